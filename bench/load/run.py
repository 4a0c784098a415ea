#!/usr/bin/env python3
"""Load test: Locust against a multi-process Odoo on loopback, faults, checks.

    python3 bench/load/run.py                     # 5 minutes at the SPEC's load
    python3 bench/load/run.py --minutes 1 --reuse # shorter, on the last database
    python3 bench/load/run.py --minutes 1 --reuse --faults all

It starts a PostgreSQL cluster of its own under .local/load/pg and a
streaming replica of it under .local/load/replica (pg_basebackup -R, a second
postmaster on its own socket and port), builds (or reuses) a database with the
four addons, their demo data (the Premier demo account among them) and data at
scale (200,000 partners, 100,000 cases), starts Odoo with --workers, one cron
worker and --db_replica_host on 127.0.0.1, runs the scenarios of SPEC section 8
for a bounded time with Locust (installed in a virtual environment of its own,
.local/load/venv), stops everything and prints, per scenario, the requests,
throughput, p50/p95/p99 and errors of the measured minutes (after a warm-up,
``--warm-up``, whose figures print apart: new workers start cold); the CPU
that Odoo, each PostgreSQL server and Locust used meanwhile; then which server
answered the aging report (table scans counted on the primary and on the
replica). Then it checks
the database: every acknowledged intake exists exactly once, with its
reference and its SLA deadlines; no external reference twice; every Premier
order placed has its approval trail.

``--faults`` adds one load run per fault, each of ``--fault-minutes``
(default ``--minutes``), with the fault injected a third of the way in:
``kill-worker`` (kill -9 of one HTTP worker), ``pg-restart`` (pg_ctl restart
-m fast of the primary), ``cron-sla`` and ``cron-reminders`` (kill -9 of the
cron worker in the middle of an SLA escalation batch, of a payment reminder
batch). After recovery the same
checks run, plus: every breached case escalated once per level, every debtor
reminded exactly once with its mail queued (not logged without mail, not
twice). A table prints PASS or FAIL per fault. The exit code is 0 only when
every check passes. All traffic stays on loopback and stops by itself.
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
FAULTS = ("kill-worker", "pg-restart", "cron-sla", "cron-reminders")
PRIMARY_PORT = 5432
REPLICA_PORT = 5433
# Work prepared for the cron faults: enough for several batches.
BREACHED_CASES = 6000
DEBTORS = 1500


# ----------------------------------------------------------------------
# PostgreSQL: the primary and its streaming replica
# ----------------------------------------------------------------------


def pg_bindir():
    """The directory of the server binaries (initdb, pg_ctl, pg_basebackup)."""
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
    if not versions:
        sys.exit("PostgreSQL server binaries (initdb, pg_ctl) not found.")
    return versions[-1]


def as_pg_owner(cmd, **kwargs):
    if os.geteuid() == 0:
        cmd = ["runuser", "-u", "postgres", "--", *map(str, cmd)]
    return subprocess.run(cmd, check=True, **kwargs)


class Cluster:
    """A kept cluster: trust auth, unix socket only, a port of its own."""

    def __init__(self, directory, port=PRIMARY_PORT):
        self.dir = directory
        self.data = directory / "data"
        self.socket = directory / "socket"
        self.port = port
        self.bindir = pg_bindir()

    def _prepare_dirs(self):
        self.socket.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres")
            shutil.chown(self.socket, "postgres")

    def options(self):
        # jit=off: PostgreSQL compiles a query whose estimated cost passes
        # jit_above_cost, which for Odoo's short queries costs more than it
        # saves (30 ms of compilation for a 5 ms record-rule query, measured
        # here once the Premier approvals passed 6,000 rows).
        return (
            f"-k {self.socket} -p {self.port} -c listen_addresses='' -c jit=off "
            "-c max_connections=200 -c shared_buffers=512MB -c synchronous_commit=on "
            "-c wal_level=replica -c wal_keep_size=1GB"
        )

    def running(self):
        status = subprocess.run(
            ["runuser", "-u", "postgres", "--"] * (os.geteuid() == 0)
            + [str(self.bindir / "pg_ctl"), "-D", str(self.data), "status"],
            capture_output=True,
        )
        return status.returncode == 0

    def start(self):
        self._prepare_dirs()
        if not (self.data / "PG_VERSION").exists():
            as_pg_owner(
                [self.bindir / "initdb", "-D", self.data, "-U", "odoo"]
                + ["--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"],
                stdout=subprocess.DEVNULL,
            )
        if not self.running():
            self._pg_ctl("start")

    def _pg_ctl(self, action, *extra):
        as_pg_owner(
            [self.bindir / "pg_ctl", "-D", self.data, "-l", self.dir / "pg.log"]
            + ["-w", "-o", self.options(), *extra, action],
            stdout=subprocess.DEVNULL,
        )

    def restart(self):
        self._pg_ctl("restart", "-m", "fast")

    def stop(self):
        if self.running():
            as_pg_owner(
                [self.bindir / "pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop"],
                stdout=subprocess.DEVNULL,
            )

    def db_args(self):
        return [f"--db_host={self.socket}", f"--db_port={self.port}", "--db_user=odoo"]

    def psql(self, db, sql):
        result = subprocess.run(
            ["psql", "-h", str(self.socket), "-p", str(self.port), "-U", "odoo"]
            + ["-X", "-At", "-d", db, "-c", sql],
            capture_output=True,
            text=True,
            check=True,
        )
        return [line.split("|") for line in result.stdout.splitlines() if line]


class Replica(Cluster):
    """A hot standby of ``primary``, rebuilt at every run (pg_basebackup -R)."""

    def __init__(self, directory, primary):
        super().__init__(directory, port=REPLICA_PORT)
        self.primary = primary

    def rebuild(self):
        self.stop()
        self._prepare_dirs()
        shutil.rmtree(self.data, ignore_errors=True)
        started = time.monotonic()
        as_pg_owner(
            [self.bindir / "pg_basebackup", "-h", self.primary.socket]
            + ["-p", self.primary.port, "-U", "odoo", "-D", self.data]
            + ["-R", "-X", "stream", "-c", "fast"]
        )
        self._pg_ctl("start")
        print(
            f"Streaming replica ready in {time.monotonic() - started:.0f} s "
            f"(socket {self.socket}, port {self.port})",
            flush=True,
        )

    def options(self):
        return super().options() + " -c hot_standby=on"

    def db_args(self):
        return [f"--db_replica_host={self.socket}", f"--db_replica_port={self.port}"]


def server_counters(cluster, db):
    """Table scans of the aging's table, cases inserted, transactions."""
    rows = cluster.psql(
        db,
        "SELECT (SELECT COALESCE(seq_scan, 0) + COALESCE(idx_scan, 0)"
        "          FROM pg_stat_user_tables WHERE relname = 'account_move_line'),"
        "       (SELECT n_tup_ins FROM pg_stat_user_tables WHERE relname = 'css_case'),"
        "       (SELECT xact_commit FROM pg_stat_database"
        "         WHERE datname = current_database())",
    )
    return [int(value or 0) for value in rows[0]]


# ----------------------------------------------------------------------
# The database at scale
# ----------------------------------------------------------------------


def scale_data(cluster, args, *command):
    subprocess.run(
        [sys.executable, str(HERE / "scale_data.py"), *cluster.db_args(), args.db]
        + [str(part) for part in command],
        check=True,
    )


def build_database(cluster, args):
    exists = cluster.psql(
        "postgres", f"SELECT 1 FROM pg_database WHERE datname = '{args.db}'"
    )
    if exists and args.reuse:
        print(f"Reusing database {args.db}", flush=True)
        if args.update:
            subprocess.run(
                [sys.executable, "-m", "odoo", *cluster.db_args()]
                + [f"--addons-path={ROOT}", "-d", args.db, "-u", ADDONS]
                + ["--stop-after-init", "--log-level=warn"],
                check=True,
            )
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
    scale_data(cluster, args, "build", args.partners, args.cases, PASSWORD)
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


def start_odoo(cluster, replica, args, log):
    command = [
        *odoo_launcher(),
        *cluster.db_args(),
        *(replica.db_args() if replica else []),
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


USER_KEYS = (
    "api_users",
    "mail_users",
    "portal_users",
    "screen_pop_users",
    "premier_users",
    "report_users",
)


def start_locust(args, settings, out_dir, minutes):
    env = {
        **os.environ,
        "LOAD_DB": args.db,
        "LOAD_RUN": settings["run"],
        "LOAD_ACKS": str(out_dir / "acks.tsv"),
        "LOAD_SETTINGS": json.dumps(settings),
    }
    users = sum(settings[key] for key in USER_KEYS)
    return subprocess.Popen(
        [str(locust_binary()), "-f", str(HERE / "locustfile.py"), "--headless"]
        # Users start ten a second: a login hashes a password, and a burst of
        # them all at once would measure the ramp rather than the load.
        + ["-u", str(users), "-r", "10"]
        + ["-t", f"{minutes * 60 + settings['warm_up']:.0f}s"]
        + ["--host", f"http://127.0.0.1:{args.port}", "--csv", str(out_dir / "load")]
        + ["--only-summary", "--stop-timeout", "30", "--loglevel", "WARNING"],
        env=env,
        stdout=open(out_dir / "locust.log", "w"),
        stderr=subprocess.STDOUT,
    )


# ----------------------------------------------------------------------
# Where the machine's time goes
# ----------------------------------------------------------------------


def process_table():
    """{pid: (parent pid, CPU ticks used so far)} of every process."""
    table = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields_ = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        table[int(stat.parent.name)] = (
            int(fields_[1]),
            int(fields_[11]) + int(fields_[12]),
        )
    return table


def machine_ticks():
    """(busy, total) CPU ticks of the whole machine, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


class CpuMeter:
    """CPU used by each part of the test (Odoo, the primary, the replica,
    Locust) between ``start`` and ``stop``, as a share of the machine.

    Processes are told apart by their ancestor: Odoo's master, each
    postmaster (the one before and the one after a restart), Locust. A
    process that ends meanwhile (a killed worker, a closed database
    connection) takes its ticks with it: the shares are a floor, and "other"
    is the rest of what the machine did.
    """

    def __init__(self, roots):
        # A callable: a restarted PostgreSQL has a new postmaster.
        self.find_roots = roots
        self.roots = {}

    def _read_roots(self):
        self.roots.update({pid: name for pid, name in self.find_roots().items() if pid})

    def start(self):
        self._read_roots()
        self.before, self.machine_before = process_table(), machine_ticks()

    def _group(self, pid, table):
        seen = 0
        while pid > 1 and seen < 64:
            if pid in self.roots:
                return self.roots[pid]
            pid, seen = table.get(pid, (0, 0))[0], seen + 1
        return "other"

    def stop(self):
        self._read_roots()
        after, (busy, total) = process_table(), machine_ticks()
        busy -= self.machine_before[0]
        total -= self.machine_before[1]
        used = Counter()
        for pid, (_parent, ticks) in after.items():
            used[self._group(pid, after)] += ticks - self.before.get(pid, (0, 0))[1]
        used["other"] = max(0, busy - sum(v for k, v in used.items() if k != "other"))
        return {name: 100.0 * ticks / total for name, ticks in used.items()}, (
            100.0 * (total - busy) / total
        )


def postmaster_pid(cluster):
    try:
        return int((cluster.data / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def print_cpu(shares, idle):
    print(f"\nCPU during the load (share of the machine's {os.cpu_count()} cores)")
    order = ("Odoo", "PostgreSQL primary", "PostgreSQL replica", "Locust", "other")
    for name in order:
        if name in shares:
            print(f"{name:20} {shares[name]:5.1f} %")
    print(f"{'idle':20} {idle:5.1f} %")


# ----------------------------------------------------------------------
# Faults
# ----------------------------------------------------------------------


def children(pid):
    """Processes whose parent is ``pid``: Odoo's workers."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields_ = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields_[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def listening_socket(port):
    """The inode of the socket listening on ``port`` (Odoo's HTTP socket)."""
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        parts = line.split()
        if parts[3] == "0A" and int(parts[1].split(":")[1], 16) == port:
            return f"socket:[{parts[9]}]"
    return None


def worker_pids(odoo, port):
    """(HTTP workers, cron workers) of Odoo's master process ``odoo``.

    HTTP workers accept on the listening socket; the cron worker closes it
    when it starts; the websocket process runs ``odoo gevent``.
    """
    socket = listening_socket(port)
    http, cron = [], []
    for pid in children(odoo.pid):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
            fds = {os.readlink(fd) for fd in Path(f"/proc/{pid}/fd").iterdir()}
        except OSError:
            continue
        if cmdline.split(b"\0")[2:3] == [b"gevent"]:
            continue
        (http if socket in fds else cron).append(pid)
    return http, cron


def trigger_cron(cluster, db, xmlid):
    module, name = xmlid.split(".")
    cluster.psql(
        db,
        "INSERT INTO ir_cron_trigger (cron_id, call_at, create_date, write_date) "
        "SELECT res_id, now() at time zone 'utc', now() at time zone 'utc', "
        "now() at time zone 'utc' FROM ir_model_data "
        f"WHERE module = '{module}' AND name = '{name}'",
    )
    cluster.psql("postgres", f"NOTIFY cron_trigger, '{db}'")


CRON_FAULTS = {
    # fault: (cron, SQL counting the prepared records done, out file key)
    "cron-sla": (
        "crm_haier_css.ir_cron_css_sla_check",
        "SELECT count(*) FROM css_case WHERE id IN ({ids}) AND escalation_level > 0",
    ),
    "cron-reminders": (
        "crm_receivables_aging.ir_cron_send_reminders",
        "SELECT count(DISTINCT partner_id) FROM aging_reminder_log "
        "WHERE partner_id IN ({ids})",
    ),
}


def kill_cron_mid_batch(cluster, args, odoo, fault, ids):
    """Trigger the cron; as soon as its first batch is committed (the cron
    runner starts the next one at once), kill -9 the cron worker in the middle
    of that next batch; then wait until the cron, restarted by Odoo, has done
    all the work."""
    xmlid, done_sql = CRON_FAULTS[fault]
    done_sql = done_sql.format(ids=",".join(map(str, ids)))
    trigger_cron(cluster, args.db, xmlid)
    deadline = time.monotonic() + 120
    killed = None
    while time.monotonic() < deadline and not killed:
        done = int(cluster.psql(args.db, done_sql)[0][0])
        if 0 < done < len(ids):
            _http, crons = worker_pids(odoo, args.port)
            for pid in crons:
                os.kill(pid, signal.SIGKILL)
            killed = (
                f"cron worker {', '.join(map(str, crons))} killed in a batch, "
                f"{done}/{len(ids)} committed before"
            )
            break
        time.sleep(0.1)
    if not killed:
        return "cron batch not caught in progress", False
    # Odoo's master starts a new cron worker; the job is still due.
    deadline = time.monotonic() + 240
    done = 0
    while time.monotonic() < deadline:
        time.sleep(3)
        done = int(cluster.psql(args.db, done_sql)[0][0])
        if done >= len(ids):
            return f"{killed}; all {done} done after restart", True
        trigger_cron(cluster, args.db, xmlid)
    return f"{killed}; only {done}/{len(ids)} done after recovery", False


def inject(fault, cluster, args, odoo, fault_data):
    """Inject ``fault`` now; return (what happened, recovered)."""
    if fault == "kill-worker":
        workers, _crons = worker_pids(odoo, args.port)
        if not workers:
            return "no HTTP worker found", False
        os.kill(workers[0], signal.SIGKILL)
        for _second in range(30):
            time.sleep(1)
            if len(worker_pids(odoo, args.port)[0]) >= len(workers):
                return f"HTTP worker {workers[0]} killed, replaced", True
        return f"HTTP worker {workers[0]} killed, not replaced", False
    if fault == "pg-restart":
        started = time.monotonic()
        cluster.restart()
        return f"primary restarted in {time.monotonic() - started:.1f} s", True
    return kill_cron_mid_batch(cluster, args, odoo, fault, fault_data)


# ----------------------------------------------------------------------
# Figures and checks
# ----------------------------------------------------------------------


def print_table(out_dir, minutes, title):
    with open(out_dir / "load_stats.csv", encoding="utf-8") as stats:
        rows = list(csv.DictReader(stats))
    print(f"\n{title}: {minutes:g} min on {platform_summary()}\n")
    header = f"{'scenario':28} {'requests':>9} {'req/s':>7} {'p50':>6} {'p95':>6} "
    print(header + f"{'p99':>6} {'errors':>7}")
    seconds = minutes * 60
    for row in rows:
        if row["Name"] in ("login", "web login", "portal: form") and row["Type"]:
            continue
        name = row["Name"] if row["Type"] else "all"
        # Throughput over the measured minutes (Locust's own figure divides
        # by the time until the last reply, which includes the shutdown).
        print(
            f"{name:28} {row['Request Count']:>9} "
            f"{int(row['Request Count']) / seconds:>7.1f} {row['50%']:>6} "
            f"{row['95%']:>6} {row['99%']:>6} {row['Failure Count']:>7}"
        )
    intakes = sum(
        int(row["Request Count"]) - int(row["Failure Count"])
        for row in rows
        if row["Type"] and row["Name"].startswith("intake: ")
    )
    print(f"(times in ms; case intakes answered: {intakes / seconds:.1f}/s)")
    return rows


def print_warm_up(out_dir):
    path = out_dir / "warmup.json"
    if path.exists():
        warm = json.loads(path.read_text())
        print(
            f"Before that, the warm-up ({warm['seconds']:g} s, workers starting "
            f"cold): {warm['requests']} requests, p50 {warm['p50']:.0f} ms, "
            f"p95 {warm['p95']:.0f} ms, {warm['failures']} errors"
        )


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


def print_replica_use(rows, before, after, log):
    """Which server read the receivables while the primary took the intakes."""
    served = next(
        (int(r["Request Count"]) for r in rows if r["Name"] == "aging report"), 0
    )
    retried = log.read_text(errors="replace").count("retrying with a read/write")
    print(
        f"\nRead replica: {served} aging reports (GET /aging/report/xlsx, "
        "readonly=True route)"
    )
    print(f"{'server':10} {'account_move_line scans':>24} {'cases inserted':>15} ")
    for name in ("primary", "replica"):
        delta = [a - b for a, b in zip(after[name], before[name], strict=True)]
        inserted = f"{delta[1]:>15}" if name == "primary" else f"{'(replicated)':>15}"
        print(f"{name:10} {delta[0]:>24} {inserted}")
    print(f"read-only requests retried on the primary after a write: {retried}")


def check_integrity(cluster, args, out_dir, run, settings):
    """Every acknowledged intake exists exactly once, with reference and deadlines;
    no external reference twice; every placed Premier order has its trail."""
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
    if settings.get("external_ref"):
        duplicated += [
            f"external_ref {ref}"
            for (ref,) in cluster.psql(
                args.db,
                "SELECT external_ref FROM css_case "
                f"WHERE external_ref LIKE 'LOAD-{run}-%' "
                "GROUP BY external_ref HAVING count(*) > 1",
            )
        ]
    quotes = [q for buyer in settings["premier"]["buyers"] for q in buyer["quotes"]]
    untrailed = cluster.psql(
        args.db,
        "SELECT so.name FROM sale_order so WHERE so.id IN "
        f"({','.join(map(str, quotes))}) AND so.state = 'sale' AND ("
        " NOT EXISTS (SELECT 1 FROM b2b_approval a WHERE a.order_id = so.id)"
        " OR EXISTS (SELECT 1 FROM b2b_approval a WHERE a.order_id = so.id"
        "            AND a.state NOT IN ('approved', 'cancelled')))",
    )
    placed = cluster.psql(
        args.db,
        f"SELECT count(*) FROM sale_order WHERE id IN ({','.join(map(str, quotes))})"
        " AND state = 'sale'",
    )[0][0]
    unacknowledged = len(set(found) - {subject for _k, subject, _i in acks})
    by_kind = Counter(kind for kind, _subject, _id in acks)
    print(
        f"\nIntegrity: {len(acks)} intakes acknowledged "
        f"({', '.join(f'{kind} {n}' for kind, n in sorted(by_kind.items()))}); "
        f"{len(lost)} lost, {len(duplicated)} duplicated, "
        f"{len(incomplete)} without reference or deadlines; "
        f"{unacknowledged} created but not acknowledged (client gave up); "
        f"{placed} Premier orders placed, {len(untrailed)} without approval trail"
    )
    for label, subjects in (
        ("lost", lost),
        ("duplicated", duplicated),
        ("incomplete", incomplete),
        ("without approval trail", [name for (name,) in untrailed]),
    ):
        for subject in subjects[:10]:
            print(f"  {label}: {subject}")
    return {
        "lost": len(lost),
        "duplicated": len(duplicated),
        "incomplete": len(incomplete) + len(untrailed),
    }


def check_cron_fault(cluster, args, fault, ids):
    """After a cron killed mid-batch: each record done once, nothing half."""
    id_list = ",".join(map(str, ids))
    if fault == "cron-sla":
        rows = cluster.psql(
            args.db,
            "SELECT c.id, COALESCE(c.escalation_level, 0), "
            "  (SELECT count(*) FROM mail_activity a "
            "    JOIN ir_model_data d ON d.res_id = a.activity_type_id "
            "     AND d.model = 'mail.activity.type' "
            "     AND d.name = 'mail_activity_type_css_escalation' "
            "   WHERE a.res_model = 'css.case' AND a.res_id = c.id) "
            f"FROM css_case c WHERE c.id IN ({id_list})",
        )
        missed = sum(1 for _id, level, _n in rows if int(level) == 0)
        doubled = sum(1 for _id, level, n in rows if int(n) > int(level))
        half = sum(1 for _id, level, n in rows if int(n) < int(level))
        label = "breached cases"
    else:
        rows = cluster.psql(
            args.db,
            "SELECT p.id, "
            "  (SELECT count(*) FROM aging_reminder_log l WHERE l.partner_id = p.id),"
            "  (SELECT count(*) FROM aging_reminder_log l WHERE l.partner_id = p.id"
            "     AND l.mail_id IS NULL), "
            "  (SELECT count(*) FROM mail_mail_res_partner_rel r"
            "     WHERE r.res_partner_id = p.id) "
            f"FROM res_partner p WHERE p.id IN ({id_list})",
        )
        missed = sum(1 for _id, logs, _nm, _m in rows if int(logs) == 0)
        doubled = sum(
            1 for _id, logs, _nm, mails in rows if int(logs) > 1 or int(mails) > 1
        )
        half = sum(1 for _id, _l, no_mail, _m in rows if int(no_mail) > 0)
        label = "debtors"
    print(
        f"Cron after the fault: {len(rows)} {label}: {missed} not done, "
        f"{doubled} done twice, {half} half-written"
    )
    return {"lost": missed, "duplicated": doubled, "incomplete": half}


def run_phase(cluster, replica, args, run, fault):
    """One load run, with ``fault`` injected a third of the way in."""
    suffix = f"-{fault}" if fault else ""
    out_dir = STATE / f"run-{run}{suffix}"
    out_dir.mkdir()
    # The run's cases are told apart by their subject: LOAD-<marker>-...
    marker = f"{run}F{FAULTS.index(fault)}" if fault else run
    minutes = args.fault_minutes if fault and args.fault_minutes else args.minutes
    journeys = max(1, int(minutes * 60 / 2))
    scale_data(cluster, args, "prepare", journeys, PASSWORD, out_dir / "settings.json")
    # prepare deleted the cases of earlier runs: reclaim them now rather
    # than have autovacuum do it during the measured minutes.
    cluster.psql(
        args.db,
        "VACUUM ANALYZE css_case, mail_message, mail_followers, mail_activity, "
        "mail_notification, rating_rating",
    )
    settings = json.loads((out_dir / "settings.json").read_text())
    settings.update(run=marker, **{key: getattr(args, key) for key in USER_KEYS})
    settings["premier_think"] = args.premier_think
    settings["warm_up"] = args.warm_up
    if not replica:
        settings["report_users"] = 0
    fault_data = None
    if fault in CRON_FAULTS:
        mode, count = (
            ("breach", BREACHED_CASES) if fault == "cron-sla" else ("debtors", DEBTORS)
        )
        scale_data(cluster, args, mode, count, out_dir / "fault.json")
        fault_data = json.loads((out_dir / "fault.json").read_text())
    if replica:
        # Wait for the replica to replay what was just prepared.
        time.sleep(2)
    odoo = start_odoo(cluster, replica, args, out_dir / "odoo.log")
    before = {"primary": server_counters(cluster, args.db)}
    if replica:
        before["replica"] = server_counters(replica, args.db)
    locust = start_locust(args, settings, out_dir, minutes)
    if args.warm_up:
        print(f"Warm-up: {args.warm_up:g} s, not counted", flush=True)
        time.sleep(args.warm_up)
    meter = CpuMeter(
        lambda: {
            odoo.pid: "Odoo",
            postmaster_pid(cluster): "PostgreSQL primary",
            replica and postmaster_pid(replica): "PostgreSQL replica",
            locust.pid: "Locust",
        }
    )
    meter.start()
    # The CPU is read a few seconds before Locust ends (a process that has
    # ended no longer tells its CPU time).
    measured_until = time.monotonic() + max(1.0, minutes * 60 - 5)
    event, recovered = "none", True
    try:
        if fault:
            time.sleep(minutes * 60 / 3)
            print(f"Injecting {fault} ...", flush=True)
            event, recovered = inject(fault, cluster, args, odoo, fault_data)
            print(f"  {event}", flush=True)
        try:
            locust.wait(timeout=max(0.0, measured_until - time.monotonic()))
        except subprocess.TimeoutExpired:
            pass
        cpu = meter.stop()
        locust.wait()
    finally:
        if locust.poll() is None:
            locust.kill()
        stop_process(odoo)
    rows = print_table(out_dir, minutes, f"Load ({fault or 'no fault'})")
    print_warm_up(out_dir)
    print_cpu(*cpu)
    if replica:
        after = {
            "primary": server_counters(cluster, args.db),
            "replica": server_counters(replica, args.db),
        }
        print_replica_use(rows, before, after, out_dir / "odoo.log")
    result = check_integrity(cluster, args, out_dir, marker, settings)
    if fault in CRON_FAULTS:
        # scale_data.py postponed the cron so that it ran when triggered only.
        module, name = CRON_FAULTS[fault][0].split(".")
        cluster.psql(
            args.db,
            "UPDATE ir_cron SET nextcall = now() at time zone 'utc' WHERE id = ("
            "SELECT res_id FROM ir_model_data "
            f"WHERE module = '{module}' AND name = '{name}')",
        )
        cron = check_cron_fault(cluster, args, fault, fault_data)
        result = {key: result[key] + cron[key] for key in result}
    errors = next((int(r["Failure Count"]) for r in rows if not r["Type"]), 0)
    print(f"Figures and logs in {out_dir}", flush=True)
    return {"event": event, "recovered": recovered, "errors": errors, **result}


def print_fault_table(results):
    print("\nFaults: after recovery, every acknowledged intake exactly once\n")
    print(
        f"{'fault':16} {'errors':>7} {'lost':>5} {'dup':>5} {'half':>5} "
        f"{'result':>7}  what happened"
    )
    passed = True
    for fault, res in results.items():
        ok = res["recovered"] and not (
            res["lost"] or res["duplicated"] or res["incomplete"]
        )
        passed &= ok
        print(
            f"{fault or 'no fault':16} {res['errors']:>7} {res['lost']:>5} "
            f"{res['duplicated']:>5} {res['incomplete']:>5} "
            f"{'PASS' if ok else 'FAIL':>7}  {res['event']}"
        )
    print(
        "(errors: requests that failed while the fault lasted, retried by the "
        "clients; lost, dup, half: the checks above)"
    )
    return passed


def think_range(text):
    """``MIN,MAX`` seconds, for --premier-think."""
    try:
        low, high = (float(value) for value in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError("expected MIN,MAX in seconds") from None
    if not 0 <= low <= high:
        raise argparse.ArgumentTypeError("expected 0 <= MIN <= MAX")
    return [low, high]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--db", default="crm_load")
    parser.add_argument("--port", type=int, default=18470)
    # Three HTTP workers on two cores: a worker waiting on PostgreSQL leaves
    # its core to another (31 req/s against 26.5 with two, measured here).
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--partners", type=int, default=200_000)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--api-users", type=int, default=40)
    parser.add_argument("--mail-users", type=int, default=5)
    parser.add_argument("--portal-users", type=int, default=5)
    parser.add_argument("--screen-pop-users", type=int, default=5)
    parser.add_argument("--premier-users", type=int, default=10)
    parser.add_argument(
        "--warm-up",
        type=float,
        default=45.0,
        help="seconds of load before the measured --minutes (not counted in "
        "the figures: workers start cold); 0 to count everything",
    )
    parser.add_argument(
        "--premier-think",
        type=think_range,
        default="2,5",
        help="seconds a Premier buyer or approver thinks before each action, "
        "MIN,MAX (default 2,5; 0,0 for no pause)",
    )
    parser.add_argument(
        "--report-users",
        type=int,
        default=1,
        help="users downloading the aging report (served by the replica)",
    )
    parser.add_argument("--reuse", action="store_true", help="reuse the database")
    parser.add_argument(
        "--update", action="store_true", help="with --reuse: upgrade the addons"
    )
    parser.add_argument(
        "--no-replica", dest="replica", action="store_false", help="no read replica"
    )
    parser.add_argument(
        "--faults",
        default="",
        help=f"comma-separated, or 'all': {', '.join(FAULTS)}",
    )
    parser.add_argument(
        "--faults-only", action="store_true", help="skip the run without fault"
    )
    parser.add_argument(
        "--fault-minutes",
        type=float,
        default=None,
        help="length of each fault run (default: --minutes)",
    )
    parser.add_argument(
        "--keep-cluster", action="store_true", help="leave PostgreSQL running"
    )
    args = parser.parse_args()
    faults = (
        list(FAULTS)
        if args.faults == "all"
        else [fault for fault in args.faults.split(",") if fault]
    )
    unknown = set(faults) - set(FAULTS)
    if unknown:
        parser.error(f"unknown faults: {', '.join(sorted(unknown))}")

    STATE.mkdir(parents=True, exist_ok=True)
    run = time.strftime("%Y%m%d%H%M%S")
    if os.geteuid() == 0:
        shutil.chown(STATE, "postgres")
    cluster = Cluster(STATE / "pg")
    replica = Replica(STATE / "replica", cluster) if args.replica else None
    cluster.start()
    results = {}
    try:
        build_database(cluster, args)
        if replica:
            replica.rebuild()
        phases = ([] if args.faults_only and faults else [None]) + faults
        for fault in phases:
            results[fault] = run_phase(cluster, replica, args, run, fault)
    finally:
        if not args.keep_cluster:
            if replica:
                replica.stop()
            cluster.stop()
    passed = (
        print_fault_table(results)
        if faults
        else all(
            not (res["lost"] or res["duplicated"] or res["incomplete"])
            for res in results.values()
        )
    )
    sys.exit(0 if passed else 1)


if __name__ == "__main__":
    main()
