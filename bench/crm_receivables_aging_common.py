"""Shared setup of the crm_receivables_aging benchmarks.

Creates a throwaway database on the dev cluster (or the server given by the
PGHOST / PGUSER environment variables), installs the addon without demo data and
opens an Odoo environment on it. Data is generated with plain SQL inserts.
"""

import argparse
import contextlib
import os
import pathlib
import resource
import subprocess
import time
import tracemalloc

ROOT = pathlib.Path(__file__).resolve().parent.parent


def parse_args(description, **defaults):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--db", default=defaults.get("db", "aging_bench"))
    parser.add_argument("--db-host", default=os.environ.get("PGHOST", "/tmp/pgdev"))
    parser.add_argument("--db-user", default=os.environ.get("PGUSER", "odoo"))
    parser.add_argument("--customers", type=int, default=defaults.get("customers"))
    parser.add_argument("--lines", type=int, default=defaults.get("lines"))
    parser.add_argument(
        "--keep", action="store_true", help="keep the database afterwards"
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="reuse the database of a run with --keep instead of installing again",
    )
    return parser.parse_args()


def create_database(args):
    """Create the benchmark database with the addon installed, no demo data."""
    pg = ["-h", args.db_host, "-U", args.db_user]
    if args.reuse:
        return
    subprocess.run(["dropdb", *pg, "--if-exists", args.db], check=True)
    subprocess.run(
        [
            "odoo",
            "-d",
            args.db,
            f"--db_host={args.db_host}",
            f"--db_user={args.db_user}",
            f"--addons-path={ROOT}",
            "-i",
            "crm_receivables_aging",
            "--without-demo=all",
            "--stop-after-init",
            "--http-port=8270",
            "--log-level=warn",
        ],
        check=True,
    )


def drop_database(args):
    import odoo

    odoo.sql_db.close_db(args.db)
    if not args.keep:
        subprocess.run(
            ["dropdb", "-h", args.db_host, "-U", args.db_user, "--if-exists", args.db],
            check=True,
        )


@contextlib.contextmanager
def odoo_env(args):
    """An Odoo environment (superuser) on the benchmark database."""
    import odoo
    from odoo.api import Environment

    odoo.tools.config.parse_config(
        [
            "-d",
            args.db,
            f"--db_host={args.db_host}",
            f"--db_user={args.db_user}",
            f"--addons-path={ROOT}",
            "--log-level=warn",
        ]
    )
    registry = odoo.modules.registry.Registry(args.db)
    with registry.cursor() as cr:
        env = Environment(cr, odoo.SUPERUSER_ID, {})
        yield env


def receivable_setup(env):
    """Ids the SQL generators need: company, journals, accounts, currency."""
    company = env.company
    journal = env["account.journal"].search(
        [("type", "=", "sale"), ("company_id", "=", company.id)], limit=1
    )
    bank = env["account.journal"].search(
        [("type", "=", "bank"), ("company_id", "=", company.id)], limit=1
    )
    receivable = env["account.account"].search(
        [("account_type", "=", "asset_receivable"), ("company_ids", "in", company.id)],
        limit=1,
    )
    income = env["account.account"].search(
        [("account_type", "=", "income"), ("company_ids", "in", company.id)], limit=1
    )
    cash = bank.default_account_id
    return {
        "company": company.id,
        "currency": company.currency_id.id,
        "journal": journal.id,
        "bank": bank.id,
        "receivable": receivable.id,
        "income": income.id,
        "cash": cash.id,
    }


def create_customers(cr, count, with_email=True):
    """Insert customer partners with SQL; return the first and last ids."""
    cr.execute(
        """
        INSERT INTO res_partner (name, complete_name, email, active, is_company,
                                 customer_rank, type, autopost_bills,
                                 create_date, write_date)
        SELECT 'Customer ' || n, 'Customer ' || n,
               CASE WHEN %s THEN 'customer' || n || '@example.com' END,
               TRUE, TRUE, 1, 'contact', 'ask', NOW(), NOW()
          FROM generate_series(1, %s) n
        RETURNING id
        """,
        (with_email, count),
    )
    ids = [row[0] for row in cr.fetchall()]
    cr.execute(
        "UPDATE res_partner SET commercial_partner_id = id WHERE id BETWEEN %s AND %s",
        (ids[0], ids[-1]),
    )
    return ids[0], ids[-1]


def best_time(fn, repeat=3):
    """Best wall time of several runs of fn, and its last result."""
    best, result = None, None
    for _run in range(repeat):
        start = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return best, result


def peak_memory(fn):
    """Peak Python allocation (MB) while fn runs, and the process max RSS (MB)."""
    tracemalloc.start()
    fn()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return peak / 2**20, rss
