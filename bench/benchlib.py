"""Shared plumbing of the benchmark scripts: a throwaway database and timing.

A benchmark creates (or reuses) a database on the PostgreSQL server named by
the usual PG* environment variables or by --db-host/--db-user, installs the
addons it measures without demo data, fills tables at scale with SQL, then
times ORM calls in-process. Nothing here is a test; scripts print figures.
"""

import argparse
import contextlib
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def parse_args(description, **defaults):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--db", default=defaults.pop("db"), help="database name")
    parser.add_argument("--db-host", default=None, help="PostgreSQL host or socket dir")
    parser.add_argument("--db-port", default=None)
    parser.add_argument("--db-user", default=None)
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument(
        "--reuse", action="store_true", help="reuse the database if it exists"
    )
    for name, value in defaults.items():
        parser.add_argument(f"--{name.replace('_', '-')}", type=int, default=value)
    return parser.parse_args()


def odoo_db_args(args):
    result = []
    for option in ("db_host", "db_port", "db_user"):
        value = getattr(args, option)
        if value:
            result.append(f"--{option}={value}")
    return result


def create_database(args, modules, reuse=False):
    """Create ``args.db`` afresh with ``modules`` installed, no demo data."""
    if reuse and database_exists(args):
        return
    drop_database(args)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "odoo",
            *odoo_db_args(args),
            f"--addons-path={ROOT}",
            "-d",
            args.db,
            "-i",
            modules,
            "--without-demo=all",
            "--stop-after-init",
            "--log-level=warn",
        ],
        check=True,
    )


def _pg_options(args):
    options = []
    if args.db_host:
        options += ["-h", args.db_host]
    if args.db_port:
        options += ["-p", str(args.db_port)]
    if args.db_user:
        options += ["-U", args.db_user]
    return options


def database_exists(args):
    result = subprocess.run(
        [
            "psql",
            *_pg_options(args),
            "-d",
            "postgres",
            "-Atc",
            f"SELECT 1 FROM pg_database WHERE datname = '{args.db}'",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip() == "1"


def drop_database(args):
    subprocess.run(
        ["dropdb", *_pg_options(args), "--if-exists", "--force", args.db], check=True
    )


@contextlib.contextmanager
def environment(args):
    """An Odoo environment (superuser) on the benchmark database."""
    import odoo
    from odoo.tools import config

    config.parse_config([*odoo_db_args(args), f"--addons-path={ROOT}", "-d", args.db])
    registry = odoo.registry(args.db)
    with registry.cursor() as cr:
        yield odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})


@contextlib.contextmanager
def measure(label, cr=None):
    """Print wall time, queries and peak memory (RSS) of the block."""
    queries = cr.sql_log_count if cr else 0
    start = time.perf_counter()
    yield
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    extra = f", {cr.sql_log_count - queries} queries" if cr else ""
    print(f"{label}: {elapsed:.2f} s{extra}, peak RSS {peak:.0f} MB", flush=True)
