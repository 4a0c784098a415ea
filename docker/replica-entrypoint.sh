#!/bin/bash
# Entry point of the "db-replica" service (profile "scale"): on first start,
# clone the primary "db" with pg_basebackup (-R writes the standby settings),
# then run PostgreSQL as a hot standby that streams the primary's WAL.
set -e
if [ ! -s "$PGDATA/PG_VERSION" ]; then
    mkdir -p "$PGDATA"
    chown postgres:postgres "$PGDATA"
    chmod 700 "$PGDATA"
    until gosu postgres pg_basebackup -h db -U "$POSTGRES_USER" -D "$PGDATA" \
            -R -X stream -c fast; do
        echo "waiting for the primary..."
        sleep 2
    done
fi
exec docker-entrypoint.sh postgres -c hot_standby=on -c jit=off
