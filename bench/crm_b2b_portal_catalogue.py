#!/usr/bin/env python3
"""Benchmark: the Premier catalogue page of an account with 5,000 products.

Target (SPEC.md section 6): under 300 ms server time, with a query count that
does not depend on the number of products.

    python3 bench/crm_b2b_portal_catalogue.py --db-host /tmp/pgdev --db-user odoo

The page is served by a real Odoo HTTP server (one process, no workers) and
requested over loopback by a logged-in portal member; the server's own request
log gives the server time and query count of each request. The account first
has 100 products, then 5,000.
"""

import re
import statistics
import subprocess
import sys
import time

import requests
from benchlib import (
    ROOT,
    create_database,
    drop_database,
    environment,
    odoo_db_args,
    parse_args,
)
from crm_b2b_portal_common import PASSWORD, add_products, make_account

# werkzeug line: "GET /my/premier HTTP/1.1" 200 - <queries> <sql s> <other s>
LOG_RE = re.compile(r'"GET (\S+) HTTP/1.1" 200 - (\d+) ([\d.]+) ([\d.]+)')
URLS = ["/my/premier", "/my/premier/page/20", "/my/premier?search=00042"]


def serve(args, log):
    cmd = [
        sys.executable,
        "-m",
        "odoo",
        *odoo_db_args(args),
        f"--addons-path={ROOT}",
        "-d",
        args.db,
        f"--db-filter=^{args.db}$",
        f"--http-port={args.port}",
        "--workers=0",
        "--max-cron-threads=0",
        "--log-level=info",
        f"--logfile={log}",
    ]
    server = subprocess.Popen(cmd)
    base = f"http://127.0.0.1:{args.port}"
    for _attempt in range(120):
        try:
            requests.get(f"{base}/web/login", timeout=5)
            return server, base
        except requests.ConnectionError:
            time.sleep(0.5)
    server.terminate()
    raise RuntimeError("the Odoo server did not start")


def login(base):
    session = requests.Session()
    page = session.get(f"{base}/web/login", timeout=30).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    session.post(
        f"{base}/web/login",
        data={"login": "bench_requester", "password": PASSWORD, "csrf_token": token},
        timeout=30,
    )
    return session


def measure_pages(session, base, log, rounds):
    for url in URLS:  # warm the caches
        session.get(base + url, timeout=60)
    with open(log) as handle:
        handle.seek(0, 2)
        offset = handle.tell()
    for _round in range(rounds):
        for url in URLS:
            response = session.get(base + url, timeout=60)
            assert response.status_code == 200, (url, response.status_code)
            assert "Bench product" in response.text, (url, response.url)
    time.sleep(0.5)
    with open(log) as handle:
        handle.seek(offset)
        lines = handle.read()
    figures = {}
    for path, queries, sql, other in LOG_RE.findall(lines):
        figures.setdefault(path, []).append((int(queries), float(sql) + float(other)))
    return figures


def report(label, figures):
    for path, rows in figures.items():
        queries = {q for q, _t in rows}
        times = [t * 1000 for _q, t in rows]
        print(
            f"{label} {path}: median {statistics.median(times):.0f} ms, "
            f"max {max(times):.0f} ms server time, queries {sorted(queries)}",
            flush=True,
        )
    return {path: rows[0][0] for path, rows in figures.items()}


def main():
    args = parse_args(
        __doc__, db="b2b_bench_catalogue", products=5000, port=8370, rounds=10
    )
    create_database(args, "crm_b2b_portal")
    log = f"/tmp/{args.db}.log"
    try:
        with environment(args) as env:
            _account, category, _members = make_account(env, 100)
            env.cr.commit()
            server, base = serve(args, log)
            try:
                session = login(base)
                small = report(
                    "100 products  ", measure_pages(session, base, log, args.rounds)
                )
                started = time.perf_counter()
                add_products(env, category, args.products - 100, start=100)
                env.cr.commit()
                print(
                    f"created {args.products - 100} more products in "
                    f"{time.perf_counter() - started:.1f} s",
                    flush=True,
                )
                large = report(
                    f"{args.products} products",
                    measure_pages(session, base, log, args.rounds),
                )
                same = all(small[p] == large.get(p) for p in small)
                print(f"query count independent of catalogue size: {same}", flush=True)
            finally:
                server.terminate()
                server.wait(30)
    finally:
        if not args.keep:
            drop_database(args)


if __name__ == "__main__":
    main()
