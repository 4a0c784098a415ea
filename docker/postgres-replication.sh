#!/bin/bash
# Run once by the postgres image when it creates its cluster
# (/docker-entrypoint-initdb.d): let the streaming replica of the "scale"
# profile connect for replication, with the same password authentication as
# every other connection of the image.
set -e
echo "host replication all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
