#!/usr/bin/env python3
"""Load test: Locust against a multi-process Odoo on loopback, then integrity checks.

    python3 bench/load/run.py                 # 5 minutes at the SPEC's load
    python3 bench/load/run.py --minutes 1     # a shorter run
    python3 bench/load/run.py --reuse         # keep the database built last time

It starts a PostgreSQL cluster of its own under .local/load/pg, builds (or
reuses) a database with the four addons, their demo data (the Premier demo
account among them) and data at scale (200,000 partners, 100,000 cases),
starts Odoo with --workers and one cron worker on 127.0.0.1, runs the
scenarios of SPEC section 8 for a bounded time with Locust (installed in a
virtual environment of its own, .local/load/venv), stops everything and
prints, per scenario, the requests, throughput, p50/p95/p99 and errors.
Then it checks the database: every acknowledged intake exists exactly once,
with its reference and its SLA deadlines. The exit code is 0 only when the
checks pass. All traffic stays on the loopback interface and stops by itself.
"""

import argparse
import csv
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
STATE = ROOT / ".local" / "load"
ADDONS = "crm_haier_css,crm_receivables_aging,crm_b2b_portal,crm_analytics"
PASSWORD = "load-test-pw"


# ----------------------------------------------------------------------
# PostgreSQL cluster of the load test
# ----------------------------------------------------------------------


def pg_bindir():
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
    if not versions:
        sys.exit("PostgreSQL server binaries (initdb, pg_ctl) not found.")
    return versions[-1]


def as_pg_owner(cmd, **kwargs):
    if os.geteuid() == 0:
        cmd = ["runuser", "-u", "postgres", "--", *map(str, cmd)]
    return subprocess.run(cmd, check=True, **kwargs)


class Cluster:
    """A throwaway-or-kept cluster: trust auth, unix socket only."""

    def __init__(self, directory):
        self.dir = directory
        self.data = directory / "data"
        self.socket = directory / "socket"
        self.bindir = pg_bindir()

    def start(self):
        self.socket.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres")
            shutil.chown(self.socket, "postgres")
        if not (self.data / "PG_VERSION").exists():
            as_pg_owner(
                [self.bindir / "initdb", "-D", self.data, "-U", "odoo"]
                + ["--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"],
                stdout=subprocess.DEVNULL,
            )
        options = (
            f"-k {self.socket} -c listen_addresses='' -c max_connections=200 "
            "-c shared_buffers=512MB -c synchronous_commit=on"
        )
        status = subprocess.run(
            ["runuser", "-u", "postgres", "--"] * (os.geteuid() == 0)
            + [str(self.bindir / "pg_ctl"), "-D", str(self.data), "status"],
            capture_output=True,
        )
        if status.returncode != 0:
            as_pg_owner(
                [self.bindir / "pg_ctl", "-D", self.data, "-l", self.dir / "pg.log"]
                + ["-w", "-o", options, "start"],
                stdout=subprocess.DEVNULL,
            )

    def stop(self):
        as_pg_owner(
            [self.bindir / "pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop"],
            stdout=subprocess.DEVNULL,
        )

    def db_args(self):
        return [f"--db_host={self.socket}", "--db_user=odoo"]

    def psql(self, db, sql):
        result = subprocess.run(
            ["psql", "-h", str(self.socket), "-U", "odoo", "-X", "-At", "-d", db]
            + ["-c", sql],
            capture_output=True,
            text=True,
            check=True,
        )
        return [line.split("|") for line in result.stdout.splitlines() if line]


# ----------------------------------------------------------------------
# The database at scale
# ----------------------------------------------------------------------


def build_database(cluster, args):
    exists = cluster.psql(
        "postgres", f"SELECT 1 FROM pg_database WHERE datname = '{args.db}'"
    )
    if exists and args.reuse:
        print(f"Reusing database {args.db}", flush=True)
        return
    if exists:
        cluster.psql("postgres", f'DROP DATABASE "{args.db}" WITH (FORCE)')
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "-m", "odoo", *cluster.db_args(), f"--addons-path={ROOT}"]
        + ["-d", args.db, "-i", ADDONS, "--stop-after-init", "--log-level=warn"],
        check=True,
    )
    print(f"Installed the addons with demo data in {time.monotonic() - started:.0f} s")
    started = time.monotonic()
    subprocess.run(
        [sys.executable, str(HERE / "scale_data.py"), *cluster.db_args(), args.db]
        + ["build", str(args.partners), str(args.cases), PASSWORD],
        check=True,
    )
    print(f"Built the data at scale in {time.monotonic() - started:.0f} s", flush=True)


# ----------------------------------------------------------------------
# Odoo and Locust
# ----------------------------------------------------------------------


def odoo_launcher():
    """The ``odoo`` script beside this Python (installed with Odoo).

    Not ``python -m odoo``: in multi-process mode Odoo starts its websocket
    (gevent) process by running its own ``sys.argv[0]`` again, which must be
    a script, not the package's ``__main__.py``.
    """
    script = Path(sys.executable).parent / "odoo"
    if script.exists():
        return [sys.executable, str(script)]
    found = shutil.which("odoo") or shutil.which("odoo-bin")
    if not found:
        sys.exit("The odoo script of this Python's Odoo install was not found.")
    return [found]


def start_odoo(cluster, args, log):
    command = [
        *odoo_launcher(),
        *cluster.db_args(),
        f"--addons-path={ROOT}",
        "-d",
        args.db,
        f"--db-filter=^{args.db}$",
        "--http-interface=127.0.0.1",
        f"--http-port={args.port}",
        f"--gevent-port={args.port + 1}",
        f"--workers={args.workers}",
        "--max-cron-threads=1",
        "--limit-time-real=120",
        "--limit-memory-soft=2147483648",
        "--limit-memory-hard=2684354560",
        "--db_maxconn=32",
        f"--logfile={log}",
        "--log-level=warn",
    ]
    process = subprocess.Popen(command, start_new_session=True)
    url = f"http://127.0.0.1:{args.port}/web/health"
    for _attempt in range(120):
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return process
        except OSError:
            time.sleep(1)
    stop_process(process)
    sys.exit(f"Odoo did not answer on {url}; see {log}")


def stop_process(process):
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def locust_binary():
    venv = STATE / "venv"
    binary = venv / "bin" / "locust"
    if not binary.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run(
            [str(venv / "bin" / "pip"), "install", "-q", "--disable-pip-version-check"]
            + ["-r", str(HERE / "requirements.txt")],
            check=True,
        )
    return binary


def run_locust(args, settings, out_dir):
    env = {
        **os.environ,
        "LOAD_DB": args.db,
        "LOAD_RUN": settings["run"],
        "LOAD_ACKS": str(out_dir / "acks.tsv"),
        "LOAD_SETTINGS": json.dumps(settings),
    }
    users = sum(
        settings[key]
        for key in (
            "api_users",
            "mail_users",
            "portal_users",
            "screen_pop_users",
            "premier_users",
        )
    )
    subprocess.run(
        [str(locust_binary()), "-f", str(HERE / "locustfile.py"), "--headless"]
        # Users start ten a second: a login hashes a password, and a burst of
        # them all at once would measure the ramp rather than the load.
        + ["-u", str(users), "-r", "10", "-t", f"{args.minutes * 60:.0f}s"]
        + ["--host", f"http://127.0.0.1:{args.port}", "--csv", str(out_dir / "load")]
        + ["--only-summary", "--stop-timeout", "30", "--loglevel", "WARNING"],
        env=env,
        check=False,
    )


# ----------------------------------------------------------------------
# Figures and checks
# ----------------------------------------------------------------------


def print_table(out_dir, minutes):
    with open(out_dir / "load_stats.csv", encoding="utf-8") as stats:
        rows = list(csv.DictReader(stats))
    print(f"\nLoad: {minutes:g} min on {platform_summary()}\n")
    header = f"{'scenario':24} {'requests':>9} {'req/s':>7} {'p50':>6} {'p95':>6} "
    print(header + f"{'p99':>6} {'errors':>7}")
    for row in rows:
        if row["Name"] in ("login", "web login", "portal: form") and row["Type"]:
            continue
        name = row["Name"] if row["Type"] else "all"
        print(
            f"{name:24} {row['Request Count']:>9} "
            f"{float(row['Requests/s']):>7.1f} {row['50%']:>6} {row['95%']:>6} "
            f"{row['99%']:>6} {row['Failure Count']:>7}"
        )
    print("(times in ms)")
    return rows


def platform_summary():
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores ({cpu})"


def check_integrity(cluster, args, out_dir, run):
    """Every acknowledged intake exists exactly once, with reference and deadlines."""
    acks = []
    acks_file = out_dir / "acks.tsv"
    if acks_file.exists():
        acks = [line.split("\t") for line in acks_file.read_text().splitlines() if line]
    rows = cluster.psql(
        args.db,
        "SELECT subject, count(*), "
        "bool_and(name IS NOT NULL AND name <> '/'), "
        "bool_and(response_deadline IS NOT NULL AND resolution_deadline IS NOT NULL) "
        f"FROM css_case WHERE subject LIKE 'LOAD-{run}-%' GROUP BY subject",
    )
    found = {
        subject: (int(count), ref, deadlines) for subject, count, ref, deadlines in rows
    }
    lost = [subject for _kind, subject, _id in acks if subject not in found]
    duplicated = [subject for subject, (count, _r, _d) in found.items() if count > 1]
    incomplete = [
        subject
        for subject, (_count, ref, deadlines) in found.items()
        if ref != "t" or deadlines != "t"
    ]
    unacknowledged = len(set(found) - {subject for _k, subject, _i in acks})
    by_kind = Counter(kind for kind, _subject, _id in acks)
    print(
        f"\nIntegrity: {len(acks)} intakes acknowledged "
        f"({', '.join(f'{kind} {n}' for kind, n in sorted(by_kind.items()))}); "
        f"{len(lost)} lost, {len(duplicated)} duplicated, "
        f"{len(incomplete)} without reference or deadlines; "
        f"{unacknowledged} created but not acknowledged (client gave up)"
    )
    for label, subjects in (
        ("lost", lost),
        ("duplicated", duplicated),
        ("incomplete", incomplete),
    ):
        for subject in subjects[:10]:
            print(f"  {label}: {subject}")
    return not (lost or duplicated or incomplete)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--db", default="crm_load")
    parser.add_argument("--port", type=int, default=18470)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--partners", type=int, default=200_000)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--api-users", type=int, default=40)
    parser.add_argument("--mail-users", type=int, default=5)
    parser.add_argument("--portal-users", type=int, default=5)
    parser.add_argument("--screen-pop-users", type=int, default=5)
    parser.add_argument("--premier-users", type=int, default=10)
    parser.add_argument("--reuse", action="store_true", help="reuse the database")
    parser.add_argument(
        "--keep-cluster", action="store_true", help="leave PostgreSQL running"
    )
    args = parser.parse_args()

    STATE.mkdir(parents=True, exist_ok=True)
    run = time.strftime("%Y%m%d%H%M%S")
    out_dir = STATE / f"run-{run}"
    out_dir.mkdir()
    if os.geteuid() == 0:
        shutil.chown(STATE, "postgres")
    cluster = Cluster(STATE / "pg")
    cluster.start()
    odoo = None
    try:
        build_database(cluster, args)
        # Fresh draft quotes for this run's Premier journeys.
        journeys = max(1, int(args.minutes * 60 / 2))
        subprocess.run(
            [sys.executable, str(HERE / "scale_data.py"), *cluster.db_args(), args.db]
            + ["prepare", str(journeys), PASSWORD, str(out_dir / "settings.json")],
            check=True,
        )
        settings = json.loads((out_dir / "settings.json").read_text())
        settings.update(
            run=run,
            api_users=args.api_users,
            mail_users=args.mail_users,
            portal_users=args.portal_users,
            screen_pop_users=args.screen_pop_users,
            premier_users=args.premier_users,
        )
        odoo = start_odoo(cluster, args, out_dir / "odoo.log")
        run_locust(args, settings, out_dir)
        stop_process(odoo)
        odoo = None
        print_table(out_dir, args.minutes)
        passed = check_integrity(cluster, args, out_dir, run)
    finally:
        if odoo:
            stop_process(odoo)
        if not args.keep_cluster:
            cluster.stop()
    print(f"Figures and logs in {out_dir}")
    sys.exit(0 if passed else 1)


if __name__ == "__main__":
    main()
