"""Peer benchmark orchestrator: Pipescope against raw JDBC, pandas, Python's sqlite3 and the sqlite3 CLI,
on the same files, in the same run. bench/run builds the jars and calls this; see BENCHMARKS.md.

  /usr/bin/python3 bench/peers.py [--reps 5] [--scales 10K,100K,1M] [--workloads load_runs,...]
                                  [--work DIR] [--fresh] [--no-report]

What it does:
  1. makes the demo databases (pipescope demo, fixed seed: the same files every time; kept in the work
     directory between runs unless --fresh) and a DAG with 1,000 snapshots;
  2. starts the long-lived workers (bench/pyworker.py and dev.pipescope.bench.PeerWorker), so neither
     interpreter start-up nor JIT warm-up is measured, and sends each system one untimed warm-up request;
  3. runs every workload on every system, alternating the order of the systems from one repetition to
     the next, and checks that all systems of a workload did the same work (same row counts and sums);
  4. measures the kernel through jupyter_client (ours against the same kernel on JShell's remote agent)
     and the cold start of a jshell session with the helpers against `python3 -c "import pandas, sqlite3"`;
  5. writes bench/results/peers.json, then BENCHMARKS.md's peer section and bench/results/peers.svg
     (bench/report.py).
"""
import argparse
import csv
import datetime
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PROJECT = os.path.dirname(HERE)
sys.path.insert(0, HERE)

import report  # noqa: E402  (bench/report.py, next to this file)

SQL_DIR = os.path.join(HERE, "sql")
PIPESCOPE_JAR = os.path.join(PROJECT, "target", "pipescope.jar")
BENCH_JAR = os.path.join(PROJECT, "target", "benchmarks.jar")
SCALES = {"10K": ("medium", 10_000), "100K": ("medium", 100_000), "1M": ("large", 1_000_000)}
# workloads that take well under a second get more repetitions: their medians move most with noise
REPS_FACTOR = {"lookups": 3, "decode_snapshots": 3}
LOOKUPS = 20_000
RECORDS = 100_000
SNAPSHOTS = 1_000
TIMELINE_RUNS = 10_000

# (system, worker, label) per workload; "pipescope" is the reference, the rest are its peers.
WORKLOADS = {
    "load_runs": [
        ("pipescope", "java", "Pipescope `allRuns()` → tablesaw Table"),
        ("jdbc", "java", "raw JDBC → arrays (same rows, timestamps parsed)"),
        ("pandas", "python", "`pandas.read_sql` with `parse_dates`"),
        ("sqlite3-cli", "cli", "`sqlite3 -csv` → CSV file"),
    ],
    "throughput_by_day": [
        ("pipescope", "java", "Pipescope `sql(...)` (GROUP BY in SQLite) → Table"),
        ("jdbc", "java", "raw JDBC, the same SQL"),
        ("pandas", "python", "pandas: `read_sql` the runs, then `groupby`"),
        ("pandas-sql", "python", "`pandas.read_sql` of the same GROUP BY"),
        ("sqlite3-cli", "cli", "`sqlite3 -csv`, the same SQL"),
    ],
    "lookups": [
        ("pipescope", "java", "Pipescope `findByName` (whole aggregate)"),
        ("jdbc", "java", "raw JDBC, reused statement, same SQL, same aggregate"),
        ("python-sqlite3", "python", "Python `sqlite3`, same SQL, same aggregate"),
        ("python-sqlite3-row", "python", "Python `sqlite3`, the pipelines row only (less work; context)"),
    ],
    "record_runs": [
        ("pipescope", "java", "Pipescope `RunRepository.recordAll`"),
        ("jdbc", "java", "raw JDBC batch insert, one transaction"),
        ("pandas", "python", "`DataFrame.to_sql` (append)"),
    ],
    "compare_regressions": [
        ("pipescope", "java", "Pipescope `compare(Duration.ofDays(7))` + `regressions()`"),
        ("pandas", "python", "pandas: `read_sql` the 5 weeks, `groupby`, nearest-rank quantiles, scipy's Mann–Whitney U and Fisher"),
    ],
    "counts_by_hour": [
        ("pipescope", "java", "Pipescope runs → `counts(runs, Duration.ofHours(1))`"),
        ("pandas", "python", "pandas: `read_sql`, `dt.floor('h')`, `groupby().size().unstack()`, `reindex` every hour"),
    ],
    "timeline": [
        ("pipescope", "java", "Pipescope newest 10,000 runs → `timeline(runs)` (JFreeChart SVG)"),
        ("pandas", "python", "pandas `read_sql` + matplotlib `broken_barh` per lane and status → SVG"),
    ],
    "decode_snapshots": [
        ("pipescope", "java", "Pipescope `forEachSnapshot`"),
        ("zstd-jackson", "java", "zstd-jni + Jackson by hand"),
    ],
}

TARGETS = [
    {"workload": "load_runs", "scale": "1M", "peer": "pandas", "max": 0.7,
     "text": "at most 0.7x pandas' time at 1M rows"},
    {"workload": "lookups", "scale": "1M", "peer": "python-sqlite3", "max": 1.0,
     "text": "at least Python's rate (the same aggregate)"},
    {"workload": "record_runs", "scale": "1M", "peer": "jdbc", "max": 1.25,
     "text": "at least 0.8x raw JDBC's speed (time at most 1.25x)"},
    {"workload": "kernel_trivial_cell", "scale": "-", "peer": "remote-agent", "max": 0.2,
     "text": "trivial cell at most 0.2x the remote-agent design"},
]


def log(message):
    print(f"[{datetime.datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


class Worker:
    """A long-lived worker process speaking JSON lines."""

    def __init__(self, name, command):
        self.name = name
        self.process = subprocess.Popen(command, cwd=PROJECT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        text=True, bufsize=1)
        ready = self._read()
        if not ready.get("ready"):
            raise RuntimeError(f"{name} worker did not start: {ready}")
        self.versions = ready.get("versions", {})

    def _read(self):
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"{self.name} worker ended (exit {self.process.poll()})")
        return json.loads(line)

    def ask(self, workload, system, db, args=None):
        self.process.stdin.write(json.dumps({"workload": workload, "system": system, "db": db,
                                             "args": args or {}}) + "\n")
        self.process.stdin.flush()
        return self._read()

    def close(self):
        try:
            self.process.stdin.write('{"quit": true}\n')
            self.process.stdin.flush()
            self.process.wait(timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()


def sqlite_cli(workload, db, args):
    """The sqlite3 shell running the workload's SQL into a CSV file, timed as a whole process."""
    sql_file = {"load_runs": "load_runs.sql", "throughput_by_day": "throughput_by_day.sql"}[workload]
    out = os.path.join(os.path.dirname(db), "cli-out.csv")
    with open(os.path.join(SQL_DIR, sql_file), encoding="utf-8") as sql, open(out, "w", encoding="utf-8") as csv_file:
        start = time.perf_counter()
        subprocess.run(["sqlite3", "-readonly", "-csv", "-header", db], stdin=sql, stdout=csv_file, check=True)
        seconds = time.perf_counter() - start
    with open(out, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    os.remove(out)
    if workload == "load_runs":
        durations = [int(r["duration_ms"]) for r in rows if r["duration_ms"] != ""]
        check = {"rows": len(rows), "sum_duration_ms": sum(durations),
                 "finished": sum(1 for r in rows if r["finished_at"] != ""),
                 "errors": sum(1 for r in rows if r["error_message"] != "")}
    else:
        check = {"groups": len(rows), "runs": sum(int(r["runs"]) for r in rows),
                 "bytes": sum(int(r["bytes"]) for r in rows)}
    return {"seconds": seconds, "check": check}


def compare_checks(checks):
    """A note naming the figures on which systems disagree, or None. Each figure is compared among the
    systems that report it; figures whose name starts with "extra" are not compared."""
    keys = set().union(*(set(c) for c in checks.values())) if checks else set()
    notes = []
    for key in sorted(k for k in keys if not k.startswith("extra")):
        values = {system: c[key] for system, c in checks.items() if key in c}
        first = next(iter(values.values()))
        for value in values.values():
            same = value == first if not isinstance(value, float) and not isinstance(first, float) \
                else abs(value - first) <= 1e-6 * max(abs(value), abs(first), 1)
            if not same:
                notes.append(f"{key}: " + ", ".join(f"{s} {v}" for s, v in values.items()))
                break
    return "; ".join(notes) or None


def run_workload(workers, workload, scale, db, args_for, reps, measurements):
    systems = WORKLOADS[workload]
    reps *= REPS_FACTOR.get(workload, 1)
    log(f"{workload} at {scale}: warm-up")
    checks = {}
    errors = {}
    for system, worker, _ in systems:
        answer = ask(workers, worker, workload, system, db, args_for(system, "warm"))
        if "error" in answer:
            errors[system] = answer["error"]
            log(f"  {system} failed: {answer['error']}")
    seconds = {system: [] for system, _, _ in systems}
    for rep in range(reps):
        # a different system goes first each repetition, so none always runs on a cooler or warmer machine
        turn = systems[rep % len(systems):] + systems[:rep % len(systems)]
        for system, worker, _ in turn:
            if system in errors:
                continue
            answer = ask(workers, worker, workload, system, db, args_for(system, rep))
            if "error" in answer:
                errors[system] = answer["error"]
                log(f"  {system} failed: {answer['error']}")
                continue
            seconds[system].append(answer["seconds"])
            checks[system] = answer["check"]
        log(f"  rep {rep + 1}/{reps}: " + ", ".join(f"{s} {seconds[s][-1]:.3f}s" for s, _, _ in systems if seconds[s]))
    mismatch = compare_checks({s: c for s, c in checks.items()})
    if mismatch:
        log(f"  CHECKS DISAGREE: {mismatch}")
    for system, _, label in systems:
        m = {"workload": workload, "scale": scale, "system": system, "label": label, "seconds": seconds[system],
             "check": checks.get(system, {})}
        if system in errors:
            m["error"] = errors[system]
        if mismatch:
            m["check_mismatch"] = mismatch
        measurements.append(m)


def ask(workers, worker, workload, system, db, args):
    if worker == "cli":
        return sqlite_cli(workload, db, args)
    if workload == "record_runs":
        # every write goes into its own fresh copy of the scale's database (the copy is not timed)
        copy = os.path.join(os.path.dirname(db), "record-copy.db")
        shutil.copyfile(db, copy)
        try:
            return workers[worker].ask(workload, system, copy, args)
        finally:
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(copy + suffix):
                    os.remove(copy + suffix)
    return workers[worker].ask(workload, system, db, args)


def make_demo(work, scale, fresh):
    shape, runs = SCALES[scale]
    path = os.path.join(work, f"demo-{scale}.db")
    if fresh or not os.path.exists(path):
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)
        log(f"making the {scale} demo database")
        subprocess.run(["java", "-jar", PIPESCOPE_JAR, "demo", "--scale", shape, "--runs", str(runs), path],
                       check=True, stdout=subprocess.DEVNULL)
    return path


def query(db, sql):
    import sqlite3
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
        return [row[0] for row in con.execute(sql)]


# ---- kernel (workload 6) and cold start (workload 7) -------------------------------------------------

def measure_kernels(db, starts, cells, runs_cells, measurements):
    import kernel_bench
    prefix = tempfile.mkdtemp(prefix="pipescope-peers-kernel-")
    kernel_bench.install(prefix, PIPESCOPE_JAR, "pipescope-peers", "local")
    kernel_bench.install(prefix, PIPESCOPE_JAR, "pipescope-peers-remote", "remote")
    os.environ["JUPYTER_PATH"] = os.path.join(prefix, "share", "jupyter")
    os.environ["JUPYTER_RUNTIME_DIR"] = os.path.join(prefix, "runtime")
    os.environ["PIPESCOPE_DB"] = db
    from jupyter_client.manager import KernelManager
    designs = [("pipescope", "pipescope-peers", "Pipescope kernel (JShell in the kernel's JVM)"),
               ("remote-agent", "pipescope-peers-remote", "Pipescope's kernel on JShell's remote agent (not IJava/JJava)")]
    figures = {system: {"kernel_ready": [], "kernel_first_result": [], "kernel_trivial_cell": [],
                        "kernel_runs_cell": []} for system, _, _ in designs}
    checks = {system: {} for system, _, _ in designs}
    try:
        for start in range(starts):
            for system, name, _ in (designs if start % 2 == 0 else designs[::-1]):
                km, kc, ready, first = kernel_bench.one_start(KernelManager, name)
                figures[system]["kernel_ready"].append(ready)
                figures[system]["kernel_first_result"].append(first)
                kc.stop_channels()
                km.shutdown_kernel(now=True)
            log(f"kernel start {start + 1}/{starts}")
        for system, name, _ in designs:
            km, kc, _, _ = kernel_bench.one_start(KernelManager, name)
            try:
                for i in range(10):
                    kernel_bench.run_cell(kc, f"{i} + 1")
                for i in range(cells):
                    t = time.perf_counter()
                    kernel_bench.run_cell(kc, f"{i} + 1")
                    figures[system]["kernel_trivial_cell"].append(time.perf_counter() - t)
                kernel_bench.run_cell(kc, "allRuns().rowCount()", timeout=600)  # warm-up
                for _ in range(runs_cells):
                    t = time.perf_counter()
                    result = kernel_bench.run_cell(kc, "allRuns()", timeout=600)
                    figures[system]["kernel_runs_cell"].append(time.perf_counter() - t)
                rows = kernel_bench.run_cell(kc, "allRuns().rowCount()", timeout=600)
                checks[system] = {"rows": int(rows["text/plain"].strip()),
                                  "has_html": "text/html" in (result or {})}
            finally:
                kc.stop_channels()
                km.shutdown_kernel(now=True)
            log(f"kernel {system}: trivial cell median {1000 * statistics.median(figures[system]['kernel_trivial_cell']):.1f} ms, "
                f"allRuns() median {statistics.median(figures[system]['kernel_runs_cell']):.2f} s")
    finally:
        shutil.rmtree(prefix, ignore_errors=True)
        os.environ.pop("PIPESCOPE_DB", None)
    mismatch = compare_checks({s: {"rows": c.get("rows")} for s, c in checks.items()})
    for system, _, label in designs:
        for workload, seconds in figures[system].items():
            m = {"workload": workload, "scale": "100K" if workload == "kernel_runs_cell" else "-", "system": system,
                 "label": label, "seconds": seconds, "check": checks[system]}
            if mismatch and workload == "kernel_runs_cell":
                m["check_mismatch"] = mismatch
            measurements.append(m)


def measure_cold_start(db, reps, measurements):
    jshell = os.path.join(PROJECT, "kernel", "jshell")
    script = "System.out.println(\"rows=\" + pipelines().rowCount());\n/exit\n"
    python = ["/usr/bin/python3", "-c", "import pandas, sqlite3"]
    ours, theirs = [], []
    rows = None
    for rep in range(reps + 1):
        order = ["jshell", "python"] if rep % 2 == 0 else ["python", "jshell"]
        for which in order:
            start = time.perf_counter()
            if which == "jshell":
                out = subprocess.run([jshell], input=script, capture_output=True, text=True, check=True,
                                     cwd=PROJECT, env={**os.environ, "PIPESCOPE_DB": db}, timeout=300).stdout
                seconds = time.perf_counter() - start
                rows = next((line.split("rows=")[1].strip() for line in out.splitlines() if "rows=" in line), None)
                if rows is None:
                    raise RuntimeError(f"jshell printed no result: {out[-500:]}")
            else:
                subprocess.run(python, check=True, timeout=300)
                seconds = time.perf_counter() - start
            if rep > 0:  # the first round only warms the file cache
                (ours if which == "jshell" else theirs).append(seconds)
    measurements.append({"workload": "cold_start", "scale": "-", "system": "pipescope",
                         "label": "`kernel/jshell` (helpers, demo DB), `pipelines()`, exit",
                         "seconds": ours, "check": {"pipelines": int(rows)}})
    measurements.append({"workload": "cold_start", "scale": "-", "system": "python-import-pandas",
                         "label": "`python3 -c \"import pandas, sqlite3\"`", "seconds": theirs, "check": {}})


def machine(versions):
    info = {"cores": os.cpu_count()}
    with open("/proc/meminfo") as f:
        info["memory_gib"] = round(int(f.readline().split()[1]) / 1024 / 1024)
    with open("/proc/cpuinfo") as f:
        info["cpu"] = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), "unknown")
    info["os"] = platform.platform()
    info.update(versions)
    info["sqlite_cli"] = subprocess.run(["sqlite3", "--version"], capture_output=True, text=True).stdout.split()[0]
    return info


def loadavg():
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reps", type=int, default=5, help="repetitions per system (default 5; lookups and"
                        " snapshot decoding get three times as many)")
    parser.add_argument("--scales", default="10K,100K,1M", help="demo sizes in runs, comma-separated (default: all)")
    parser.add_argument("--workloads", default=",".join(list(WORKLOADS) + ["kernel", "cold_start"]),
                        help="comma-separated, default all: %(default)s")
    parser.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "pipescope-peers"),
                        help="where the demo databases are kept between runs (default %(default)s)")
    parser.add_argument("--fresh", action="store_true", help="make the demo databases again")
    parser.add_argument("--no-report", action="store_true", help="write peers.json only")
    parser.add_argument("--out", default=os.path.join(HERE, "results", "peers.json"),
                        help="the results file (default bench/results/peers.json)")
    parser.add_argument("--merge", action="store_true",
                        help="keep the other measurements already in --out and replace only those measured now")
    args = parser.parse_args()
    scales = [s for s in args.scales.split(",") if s]
    wanted = [w for w in args.workloads.split(",") if w]
    for name in scales:
        if name not in SCALES:
            sys.exit(f"unknown scale {name!r}; scales: {', '.join(SCALES)}")
    for name in wanted:
        if name not in WORKLOADS and name not in ("kernel", "cold_start"):
            sys.exit(f"unknown workload {name!r}; workloads: {', '.join(list(WORKLOADS) + ['kernel', 'cold_start'])}")
    for jar in (PIPESCOPE_JAR, BENCH_JAR):
        if not os.path.isfile(jar):
            sys.exit(f"no {jar}: run bench/run (it builds both jars)")
    os.makedirs(args.work, exist_ok=True)

    started = datetime.datetime.now(datetime.timezone.utc)
    loads = [loadavg()]
    dbs = {scale: make_demo(args.work, scale, args.fresh) for scale in scales}
    workers = {"java": Worker("java", ["java", "-Xmx8g", "-cp", BENCH_JAR, "dev.pipescope.bench.PeerWorker", SQL_DIR]),
               "python": Worker("python", ["/usr/bin/python3", os.path.join(HERE, "pyworker.py")])}
    versions = {**workers["java"].versions, **workers["python"].versions}
    measurements = []
    rng = random.Random(20251101)
    try:
        for scale in scales:
            db = dbs[scale]
            if "load_runs" in wanted:
                run_workload(workers, "load_runs", scale, db, lambda s, r: {}, args.reps, measurements)
            if "throughput_by_day" in wanted:
                run_workload(workers, "throughput_by_day", scale, db, lambda s, r: {}, args.reps, measurements)
            if "lookups" in wanted:
                pipelines = query(db, "SELECT name FROM pipelines ORDER BY name")
                names = [rng.choice(pipelines) for _ in range(LOOKUPS)]
                run_workload(workers, "lookups", scale, db, lambda s, r: {"names": names}, args.reps, measurements)
            if "record_runs" in wanted:
                ids = query(db, "SELECT id FROM pipelines ORDER BY id")
                start_ms = int(datetime.datetime(2025, 11, 1, tzinfo=datetime.timezone.utc).timestamp() * 1000)
                run_workload(workers, "record_runs", scale, db,
                             lambda s, r: {"count": RECORDS, "pipeline_ids": ids, "start_ms": start_ms,
                                           "prefix": f"bench-{s}-{r}-"}, args.reps, measurements)
            if "compare_regressions" in wanted:
                run_workload(workers, "compare_regressions", scale, db, lambda s, r: {}, args.reps, measurements)
            if "counts_by_hour" in wanted:
                run_workload(workers, "counts_by_hour", scale, db, lambda s, r: {}, args.reps, measurements)
            if "timeline" in wanted:
                run_workload(workers, "timeline", scale, db, lambda s, r: {"runs": TIMELINE_RUNS}, args.reps,
                             measurements)
            loads.append(loadavg())
        if "decode_snapshots" in wanted:
            dag_db = os.path.join(args.work, f"dag-{SNAPSHOTS}.db")
            if args.fresh or not os.path.exists(dag_db):
                for suffix in ("", "-wal", "-shm"):
                    if os.path.exists(dag_db + suffix):
                        os.remove(dag_db + suffix)
                log(f"making a DAG with {SNAPSHOTS} snapshots")
                made = workers["java"].ask("prepare_dag", "pipescope", dag_db, {"snapshots": SNAPSHOTS})
                if "error" in made:
                    raise RuntimeError(made["error"])
            dag = query(dag_db, "SELECT DISTINCT dag_id FROM snapshots")[0]
            run_workload(workers, "decode_snapshots", f"{SNAPSHOTS // 1000}K snapshots", dag_db,
                         lambda s, r: {"dag": dag}, args.reps, measurements)
            loads.append(loadavg())
    finally:
        for worker in workers.values():
            worker.close()
    kernel_db = dbs.get("100K") or make_demo(args.work, "100K", False)
    if "kernel" in wanted:
        measure_kernels(kernel_db, starts=args.reps, cells=200, runs_cells=args.reps, measurements=measurements)
        loads.append(loadavg())
    if "cold_start" in wanted:
        measure_cold_start(kernel_db, args.reps, measurements)
        loads.append(loadavg())

    results = {"machine": machine(versions), "started": started.isoformat(timespec="seconds"),
               "finished": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
               "reps": args.reps, "load": loads, "measurements": measurements, "targets": TARGETS}
    if args.merge and os.path.exists(args.out):
        with open(args.out, encoding="utf-8") as f:
            earlier = json.load(f)
        fresh = {(m["workload"], str(m["scale"])) for m in measurements}
        kept = [m for m in earlier.get("measurements", []) if (m["workload"], str(m["scale"])) not in fresh]
        results["measurements"] = kept + measurements
        results["started"] = earlier.get("started", results["started"])
        results["load"] = earlier.get("load", []) + loads
        results["merged"] = f"{', '.join(sorted({w for w, _ in fresh}))} measured again at {results['finished']}"
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(results, f, indent=1)
    log(f"wrote {args.out}")
    if not args.no_report:
        report.write_report(results, os.path.join(PROJECT, "BENCHMARKS.md"),
                            os.path.join(HERE, "results", "peers.svg"))
        log("wrote BENCHMARKS.md (peer section) and bench/results/peers.svg")


if __name__ == "__main__":
    main()
