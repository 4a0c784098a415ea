# Shared shell helpers of tools/test and tools/serve. Source it; do not run it.
# shellcheck shell=bash

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ADDONS="crm_haier_css,crm_receivables_aging,crm_b2b_portal,crm_analytics"
PYTHON=${PYTHON:-python3}

say() { printf '\n==> %s\n' "$*"; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit "${2:-1}"; }

# Odoo 18 must be importable from $PYTHON; the project never installs it.
require_odoo() {
    local version
    version=$(timeout 30 "$PYTHON" -c 'import odoo.release as r; print(r.version)' 2>/dev/null) || version=""
    case "$version" in
        18.0*) ODOO_VERSION=$version ;;
        *)
            cat >&2 <<MSG
ERROR: Odoo 18 cannot be imported by '$PYTHON' (found: '${version:-nothing}').

This suite runs against a real Odoo 18 and never installs Odoo itself. Either:
  * use Docker: 'docker compose run --rm tests' (see README.md), or
  * install Odoo 18.0 Community from source into this Python:
        git clone --depth 1 --branch 18.0 https://github.com/odoo/odoo.git
        pip install -r odoo/requirements.txt && pip install ./odoo
    (or set PYTHON=/path/to/a/python that imports odoo), then run this again.
MSG
            exit 2
            ;;
    esac
}

# Directory holding initdb/pg_ctl: $PG_BINDIR, the PATH, or Debian's layout.
find_pg_bindir() {
    if [ -n "${PG_BINDIR:-}" ]; then echo "$PG_BINDIR"; return; fi
    if command -v pg_ctl >/dev/null 2>&1; then dirname "$(command -v pg_ctl)"; return; fi
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [ -n "$dir" ] || die "PostgreSQL server binaries (initdb, pg_ctl) not found: install PostgreSQL 13+ or set PG_BINDIR, or give a server with PGHOST/PGPORT/PGUSER/PGPASSWORD."
    echo "$dir"
}

# PostgreSQL refuses to run as root: run its binaries as the 'postgres' user then.
as_pg_owner() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u "${PG_OS_USER:-postgres}" -- "$@"
    else
        "$@"
    fi
}

# Start a cluster in $1 (created when missing), socket in $1/socket.
# Sets DB_ARGS for odoo. Trust auth, no TCP listener, superuser "odoo".
pg_cluster_start() {
    local dir=$1 bindir
    bindir=$(find_pg_bindir)
    mkdir -p "$dir/socket"
    if [ "$(id -u)" = 0 ]; then chown -R "${PG_OS_USER:-postgres}" "$dir"; fi
    if [ ! -f "$dir/data/PG_VERSION" ]; then
        as_pg_owner "$bindir/initdb" -D "$dir/data" -U odoo --auth=trust -E UTF8 \
            --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
            || die "initdb failed, see $dir/initdb.log"
    fi
    if ! as_pg_owner "$bindir/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
        as_pg_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
            -o "-k $dir/socket -c listen_addresses='' -c max_connections=200 ${PG_EXTRA_OPTS:-}" \
            start >/dev/null || die "PostgreSQL did not start, see $dir/postgres.log"
    fi
    DB_ARGS=(--db_host="$dir/socket" --db_user=odoo)
    PSQL=(psql -h "$dir/socket" -U odoo -X -q)
}

pg_cluster_stop() {
    local dir=$1 bindir
    bindir=$(find_pg_bindir)
    as_pg_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
}

# Use the server the PG* variables name, if any. Returns 1 when none is given.
pg_from_env() {
    [ -n "${PGHOST:-}${PGPORT:-}${PGUSER:-}${PGPASSWORD:-}" ] || return 1
    DB_ARGS=()
    [ -n "${PGHOST:-}" ] && DB_ARGS+=(--db_host="$PGHOST")
    [ -n "${PGPORT:-}" ] && DB_ARGS+=(--db_port="$PGPORT")
    [ -n "${PGUSER:-}" ] && DB_ARGS+=(--db_user="$PGUSER")
    [ -n "${PGPASSWORD:-}" ] && DB_ARGS+=(--db_password="$PGPASSWORD")
    PSQL=(psql -X -q)
    return 0
}

odoo_cmd() {
    "$PYTHON" -m odoo "${DB_ARGS[@]}" --addons-path="$ROOT" "$@"
}
