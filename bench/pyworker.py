"""Python worker of the peer benchmark: runs the Python side (pandas, sqlite3) of each workload.

  /usr/bin/python3 bench/pyworker.py

bench/peers.py starts this once and keeps it running, so that interpreter start-up and the pandas
import are never part of a measurement. It speaks JSON lines: one object per line on stdin, one on
stdout. First it prints

  {"ready": true, "versions": {"python": ..., "pandas": ..., "sqlite_python": ...}}

then, per request {"workload": ..., "system": ..., "db": "/abs/path.db", "args": {...}}, it answers
{"seconds": wall time of the measured part, "check": {...}} or {"error": "..."}, and exits on
{"quit": true}. The orchestrator compares the "check" figures across systems to make sure every
system did the same work. Logging goes to stderr: stdout carries the protocol only.

Systems per workload:
  load_runs          pandas
  throughput_by_day  pandas (group in the data frame), pandas-sql (group in SQL)
  lookups            python-sqlite3 (whole pipeline aggregate), python-sqlite3-row (one row)
  record_runs        pandas (DataFrame.to_sql)
The SQL texts are read from bench/sql so that every system runs the same statements.
"""
import datetime
import json
import os
import platform
import sqlite3
import sys
import time
import traceback

import numpy as np
import pandas as pd

SQL_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sql")

# The one-row lookup is context only (what a point read costs without building an aggregate), so it
# has no counterpart in Pipescope's SQL and no file of its own.
PIPELINE_ROW_BY_NAME = "SELECT * FROM pipelines WHERE name = ?"

RUN_COLUMNS = [
    "id", "pipeline_id", "status", "attempt", "started_at", "finished_at", "updated_at", "duration_ms",
    "bytes_processed", "bytes_total", "chunks_processed", "chunks_total", "throughput_bytes_per_second",
    "compression_ratio", "error_count", "warning_count", "input_file_size_bytes",
    "output_file_size_bytes", "input_file_checksum", "output_file_checksum", "error_message",
]

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


def required(args, key, workload):
    if key not in args:
        raise ValueError(f"{workload} needs args.{key} (got: {', '.join(args) or 'no args'})")
    return args[key]


def read_sql_text(name):
    with open(os.path.join(SQL_DIR, name), encoding="utf-8") as f:
        return f.read()


def open_read_only(db):
    # mode=ro fails on a missing file instead of creating an empty database that would then
    # "succeed" with zero rows.
    try:
        return sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    except sqlite3.OperationalError as e:
        raise sqlite3.OperationalError(f"{e}: {db}") from e


def read_frame(db, sql, **read_sql_options):
    """pandas.read_sql on a connection of its own. Opening a file costs microseconds; it is timed here,
    and not for Pipescope, whose session a notebook opens once."""
    con = open_read_only(db)
    try:
        return pd.read_sql(sql, con, **read_sql_options)
    finally:
        con.close()


def load_runs(system, db, args):
    if system != "pandas":
        raise ValueError(f"load_runs has no system {system!r} here (only 'pandas')")
    sql = read_sql_text("load_runs.sql")
    start = time.perf_counter()
    df = read_frame(db, sql, parse_dates={"started_at": {"utc": True}, "finished_at": {"utc": True}})
    seconds = time.perf_counter() - start
    max_started = df["started_at"].max()
    check = {
        "rows": int(len(df)),
        # duration_ms holds NULLs for running runs, so pandas made it float; sum only the present ones
        # as integers to keep the figure exact.
        "sum_duration_ms": int(df["duration_ms"].dropna().astype("int64").sum()),
        "finished": int(df["finished_at"].notna().sum()),
        "max_started_ms": None if pd.isna(max_started) else int(max_started.value // 1_000_000),
        "errors": int(df["error_message"].notna().sum()),
    }
    return seconds, check


def throughput_check(groups):
    return {
        "groups": int(len(groups)),
        "runs": int(groups["runs"].sum()),
        "bytes": int(groups["bytes"].sum()),
    }


def throughput_by_day(system, db, args):
    if system == "pandas":
        sql = read_sql_text("throughput_inputs.sql")
        start = time.perf_counter()
        runs = read_frame(db, sql)
        # A NULL duration is NaN, and NaN > 0 is False, so this also drops runs still running.
        runs = runs[(runs["status"] == "succeeded") & (runs["duration_ms"] > 0)]
        # started_at is RFC 3339 text at +00:00, so its first ten characters are the UTC day.
        runs = runs.assign(day=runs["started_at"].str[:10])
        # groupby sorts by its keys, which is the order asked for: pipeline, then day.
        groups = (runs.groupby(["pipeline", "day"])
                  .agg(runs=("duration_ms", "size"), bytes=("bytes_processed", "sum"),
                       duration_ms=("duration_ms", "sum"))
                  .reset_index())
        groups["throughput_bytes_per_s"] = groups["bytes"] * 1000.0 / groups["duration_ms"]
        seconds = time.perf_counter() - start
    elif system == "pandas-sql":
        sql = read_sql_text("throughput_by_day.sql")
        start = time.perf_counter()
        groups = read_frame(db, sql)
        seconds = time.perf_counter() - start
    else:
        raise ValueError(f"throughput_by_day has no system {system!r} here (only 'pandas', 'pandas-sql')")
    return seconds, throughput_check(groups)


def pipeline_aggregate(rows):
    """The pipeline, its stages (with parameters) and configuration from pipeline_by_name.sql's rows,
    shaped like Pipescope's aggregate; None when no kind-0 row (no such unarchived pipeline)."""
    pipeline = None
    stages = {}
    configuration = {}
    for row in rows:
        kind = row[0]
        if kind == 0:
            pipeline = {"id": row[1], "name": row[2], "archived": bool(row[3]),
                        "created_at": row[4], "updated_at": row[5]}
        elif kind == 1:
            # A stage comes once per parameter (or once with a NULL key when it has none).
            stage = stages.get(row[2])
            if stage is None:
                stage = {"id": row[2], "name": row[3], "stage_type": row[4], "enabled": bool(row[5]),
                         "stage_order": row[6], "algorithm": row[7], "parallel_processing": bool(row[8]),
                         "chunk_size": row[9], "archived": bool(row[10]), "created_at": row[11],
                         "updated_at": row[12], "parameters": {}}
                stages[row[2]] = stage
            if row[13] is not None:
                stage["parameters"][row[13]] = row[14]
        elif kind == 2:
            configuration[row[2]] = row[3]
    if pipeline is None:
        return None
    pipeline["stages"] = sorted(stages.values(), key=lambda s: s["stage_order"])
    pipeline["configuration"] = configuration
    return pipeline


def lookups(system, db, args):
    names = required(args, "names", "lookups")
    con = open_read_only(db)
    try:
        found = 0
        stage_count = 0
        if system == "python-sqlite3":
            sql = read_sql_text("pipeline_by_name.sql")
            start = time.perf_counter()
            for name in names:
                pipeline = pipeline_aggregate(con.execute(sql, {"name": name}).fetchall())
                if pipeline is not None:
                    found += 1
                    stage_count += len(pipeline["stages"])
            seconds = time.perf_counter() - start
        elif system == "python-sqlite3-row":
            start = time.perf_counter()
            for name in names:
                if con.execute(PIPELINE_ROW_BY_NAME, (name,)).fetchone() is not None:
                    found += 1
            seconds = time.perf_counter() - start
        else:
            raise ValueError(
                f"lookups has no system {system!r} here (only 'python-sqlite3', 'python-sqlite3-row')")
    finally:
        con.close()
    check = {"lookups": len(names), "found": found}
    if system == "python-sqlite3":
        check["stages"] = stage_count  # the row-only lookup reads no stages, so it has no such figure
    return seconds, check


def rfc3339_ms(epoch_ms):
    moment = EPOCH + datetime.timedelta(milliseconds=epoch_ms)
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{epoch_ms % 1000:03d}+00:00"


def runs_frame(count, pipeline_ids, start_ms, prefix):
    """The rows of record_runs, exactly as the spec defines them (every system writes the same)."""
    rows = []
    for i in range(count):
        started_ms = start_ms + i * 1000
        duration_ms = 500 + (i * 37) % 60000
        finished = rfc3339_ms(started_ms + duration_ms)
        size = 1_000_000 + (i * 7919) % 50_000_000
        chunks = 1 + size // (1 << 20)
        rows.append((
            f"{prefix}{i:08d}", pipeline_ids[i % len(pipeline_ids)], "succeeded", 1,
            rfc3339_ms(started_ms), finished, finished, duration_ms,
            size, size, chunks, chunks, size * 1000.0 / duration_ms,
            None, 0, 0, size, size // 3, None, None, None,
        ))
    return pd.DataFrame.from_records(rows, columns=RUN_COLUMNS)


def record_runs(system, db, args):
    if system != "pandas":
        raise ValueError(f"record_runs has no system {system!r} here (only 'pandas')")
    if not os.path.isfile(db):
        # sqlite3.connect would create an empty file and to_sql a table of its own in it.
        raise FileNotFoundError(f"record_runs: no database file {db}")
    prefix = required(args, "prefix", "record_runs")
    pipeline_ids = list(required(args, "pipeline_ids", "record_runs"))
    if not pipeline_ids:
        raise ValueError("record_runs needs at least one pipeline id in args.pipeline_ids")
    frame = runs_frame(int(required(args, "count", "record_runs")), pipeline_ids,
                       int(required(args, "start_ms", "record_runs")), prefix)
    con = sqlite3.connect(db)
    try:
        start = time.perf_counter()
        frame.to_sql("pipeline_runs", con, if_exists="append", index=False)
        con.commit()
        seconds = time.perf_counter() - start
        rows_after = con.execute("SELECT COUNT(*) FROM pipeline_runs WHERE id LIKE ? || '%'",
                                 (prefix,)).fetchone()[0]
    finally:
        con.close()
    return seconds, {"rows_after": rows_after}


# ---- analysis: compare + regressions, counts by hour, a timeline --------------------------------------

FINISHED = ("succeeded", "failed", "cancelled", "timed_out")
ALPHA, MIN_CHANGE_PERCENT, MIN_RATE_DROP_POINTS, MIN_RUNS = 0.05, 5.0, 2.0, 5
DAY = pd.Timedelta(days=1)


def nearest_rank(values, p):
    """Pipescope's percentile: numpy's inverted CDF is the nearest rank (always one of the values)."""
    return float(np.percentile(values, p, method="inverted_cdf"))


def window_stats(frame):
    """Per pipeline: runs, succeeded, finished, sorted succeeded durations and throughputs."""
    stats = {}
    for pipeline, g in frame.groupby("pipeline", sort=True):
        ok = g[g["status"] == "succeeded"]
        stats[pipeline] = {
            "runs": len(g), "succeeded": len(ok), "finished": int(g["status"].isin(FINISHED).sum()),
            "durations": ok["duration_ms"].dropna().to_numpy(), "throughputs": ok["throughput"].dropna().to_numpy(),
        }
    return stats


def compare_regressions(system, db, args):
    if system != "pandas":
        raise ValueError(f"compare_regressions has no system {system!r} here (only 'pandas')")
    from scipy import stats as sps
    start = time.perf_counter()
    con = open_read_only(db)
    try:
        newest = pd.to_datetime(con.execute("SELECT max(started_at) FROM pipeline_runs").fetchone()[0], utc=True)
    finally:
        con.close()
    end = newest + pd.Timedelta(milliseconds=1)
    since = (end - 36 * DAY).strftime("%Y-%m-%d")
    runs = read_frame(db, "SELECT p.name AS pipeline, r.status, r.started_at, r.duration_ms,"
                      " r.throughput_bytes_per_second AS throughput FROM pipeline_runs r"
                      " JOIN pipelines p ON p.id = r.pipeline_id WHERE r.started_at >= ?",
                      params=(since,), parse_dates={"started_at": {"utc": True}})

    def between(a, b):
        return runs[(runs["started_at"] >= a) & (runs["started_at"] < b)]

    recent_from = end - 7 * DAY
    before, after = window_stats(between(recent_from - 7 * DAY, recent_from)), window_stats(between(recent_from, end))
    rows = []
    for pipeline in sorted(set(before) | set(after)):
        a, b = before.get(pipeline), after.get(pipeline)
        row = {"pipeline": pipeline, "runs_a": a["runs"] if a else 0, "runs_b": b["runs"] if b else 0,
               "p95_b": nearest_rank(b["durations"], 95) if b and len(b["durations"]) else None, "worse": None}
        if a and b:
            changes = []
            for p in (50, 95):
                if len(a["durations"]) and len(b["durations"]):
                    pa, pb = nearest_rank(a["durations"], p), nearest_rank(b["durations"], p)
                    if pa:
                        changes.append(100 * (pb - pa) / pa)
            if len(a["throughputs"]) and len(b["throughputs"]) and a["throughputs"].mean():
                changes.append(100 * (a["throughputs"].mean() - b["throughputs"].mean()) / a["throughputs"].mean())
            if a["finished"] and b["finished"]:
                changes.append(100 * (a["succeeded"] / a["finished"] - b["succeeded"] / b["finished"]))
            row["worse"] = max(changes) if changes else None
        rows.append(row)
    compared = pd.DataFrame(rows).sort_values("worse", ascending=False, na_position="last")

    baseline = window_stats(between(recent_from - 28 * DAY, recent_from))
    candidates = []
    for pipeline, b in after.items():
        a = baseline.get(pipeline)
        if a is None:
            continue
        for key, worse_when in (("durations", 1), ("throughputs", -1)):
            x, y = a[key], b[key]
            if len(x) >= MIN_RUNS and len(y) >= MIN_RUNS:
                ma, mb = nearest_rank(x, 50), nearest_rank(y, 50)
                change = 100 * (mb - ma) / ma if ma else float("nan")
                p = sps.mannwhitneyu(x, y, use_continuity=False, alternative="two-sided", method="asymptotic").pvalue
                candidates.append((p, worse_when * (mb - ma) > 0 and worse_when * change >= MIN_CHANGE_PERCENT))
        if a["finished"] >= MIN_RUNS and b["finished"] >= MIN_RUNS:
            ra, rb = a["succeeded"] / a["finished"], b["succeeded"] / b["finished"]
            p = sps.fisher_exact([[a["succeeded"], a["finished"] - a["succeeded"]],
                                  [b["succeeded"], b["finished"] - b["succeeded"]]]).pvalue
            candidates.append((p, rb < ra and 100 * (ra - rb) >= MIN_RATE_DROP_POINTS))
    threshold = ALPHA / max(1, len(candidates))
    found = [p for p, worse in candidates if worse and p < threshold]
    seconds = time.perf_counter() - start
    check = {"compare_rows": int(len(compared)), "runs_a": int(compared["runs_a"].sum()),
             "runs_b": int(compared["runs_b"].sum()), "sum_p95_b": int(compared["p95_b"].dropna().sum()),
             "regressions": len(found)}
    return seconds, check


def counts_by_hour(system, db, args):
    if system != "pandas":
        raise ValueError(f"counts_by_hour has no system {system!r} here (only 'pandas')")
    start = time.perf_counter()
    runs = read_frame(db, "SELECT status, started_at FROM pipeline_runs", parse_dates={"started_at": {"utc": True}})
    counts = runs.groupby([runs["started_at"].dt.floor("h"), "status"]).size().unstack(fill_value=0)
    counts = counts.reindex(pd.date_range(counts.index.min(), counts.index.max(), freq="h"), fill_value=0)
    seconds = time.perf_counter() - start
    total = counts.sum(axis=1)
    return seconds, {"buckets": int(len(counts)), "runs": int(total.sum()),
                     "failed": int(counts["failed"].sum()) if "failed" in counts else 0,
                     "empty_buckets": int((total == 0).sum())}


TIMELINE_COLOURS = {"succeeded": "#2e9e4f", "failed": "#d63b2f", "timed_out": "#e07b1a", "cancelled": "#8c8c8c",
                    "running": "#2f6fd6", "pending": "#b39ddb"}


def timeline(system, db, args):
    if system != "pandas":
        raise ValueError(f"timeline has no system {system!r} here (only 'pandas')")
    import io
    import matplotlib
    matplotlib.use("svg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    count = int(required(args, "runs", "timeline"))
    start = time.perf_counter()
    runs = read_frame(db, "SELECT p.name AS pipeline, r.status, r.started_at, r.finished_at FROM pipeline_runs r"
                      " JOIN pipelines p ON p.id = r.pipeline_id ORDER BY r.started_at DESC, r.rowid DESC LIMIT ?",
                      params=(count,), parse_dates={"started_at": {"utc": True}, "finished_at": {"utc": True}})
    newest = max(runs["started_at"].max(), runs["finished_at"].max())
    begin = mdates.date2num(runs["started_at"])
    end = mdates.date2num(runs["finished_at"].fillna(newest))
    lanes = sorted(runs["pipeline"].unique())
    lane_of = {name: i for i, name in enumerate(lanes)}
    y = runs["pipeline"].map(lane_of).to_numpy()
    fig, ax = plt.subplots(figsize=(9, (140 + 22 * len(lanes)) / 100))
    for (lane, status), index in runs.groupby(["pipeline", "status"]).indices.items():
        ax.broken_barh(list(zip(begin[index], end[index] - begin[index])), (lane_of[lane] - 0.35, 0.7),
                       facecolors=TIMELINE_COLOURS.get(status, "#444444"), label=status)
    failed = runs["status"].isin(("failed", "timed_out")).to_numpy()
    ax.scatter(end[failed], y[failed], marker="x", color="#801010")
    ax.set_yticks(range(len(lanes)), lanes)
    ax.invert_yaxis()
    ax.xaxis_date()
    ax.set_title(f"Timeline: {len(runs)} runs in {len(lanes)} lanes")
    out = io.StringIO()
    fig.savefig(out, format="svg")
    plt.close(fig)
    seconds = time.perf_counter() - start
    return seconds, {"runs": int(len(runs)), "lanes": len(lanes), "failed": int((runs["status"] == "failed").sum()),
                     "extra_svg_bytes": len(out.getvalue())}


WORKLOADS = {
    "load_runs": load_runs,
    "throughput_by_day": throughput_by_day,
    "lookups": lookups,
    "record_runs": record_runs,
    "compare_regressions": compare_regressions,
    "counts_by_hour": counts_by_hour,
    "timeline": timeline,
}


def handle(request):
    workload = request.get("workload")
    run = WORKLOADS.get(workload)
    if run is None:
        raise ValueError(f"unknown workload {workload!r} (known: {', '.join(WORKLOADS)})")
    db = request.get("db")
    if not db:
        raise ValueError(f"request for {workload} has no 'db'")
    seconds, check = run(request.get("system"), db, request.get("args") or {})
    return {"seconds": seconds, "check": check}


def reply(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def main():
    reply({"ready": True, "versions": {"python": platform.python_version(), "pandas": pd.__version__,
                                       "sqlite_python": sqlite3.sqlite_version}})
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            request = json.loads(line)
            if not isinstance(request, dict):
                raise ValueError(f"request is not a JSON object: {line[:200]}")
            if request.get("quit"):
                return 0
            reply(handle(request))
        except Exception as e:  # a failed request is reported and the worker goes on with the next
            message = f"{type(e).__name__}: {e}"
            print(f"pyworker: {message}\n{traceback.format_exc()}", file=sys.stderr)
            reply({"error": message})
    return 0


if __name__ == "__main__":
    sys.exit(main())
