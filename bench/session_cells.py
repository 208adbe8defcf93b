"""The analyst session of bench/notebook_session.py: twelve everyday questions about a demo file, each as one
Pipescope notebook cell and one pandas notebook cell that give the same answer, plus a last, untimed cell per
notebook that prints figures of those answers (key=value lines) for the benchmark to check that both did the
same work.

`@DB@` in a cell is the demo file's path. The Pipescope kernel opens the file itself (PIPESCOPE_DB, as
kernel/start sets it); the pandas notebook opens it read-only with Python's sqlite3.

What each side reads: Pipescope's helpers read the runs of every tool in the file (Pipescope runs,
Hyperpage jobs, etl-core executions, dagger nodes); the pandas notebook reads the pipeline runs in its first
cell, as an analyst would, and builds the same every-tool frame in the cell that asks about every tool (4),
with the rules Pipescope documents (docs/sources.md): Hyperpage's start is started_at else created_at and a
timeout is a failure, etl-core's naive times are UTC here, a dagger node is a run that ended at its
timestamp. Later cells use that frame where Pipescope's helper covers every tool (compare, counts, slowest,
the export).
"""

# (key, question, Pipescope cell, pandas cell)
CELLS = [
    ("open", "open the file: what it holds, every run, the failed ones",
     """import tech.tablesaw.api.*;
System.out.println(describe());
var all = allRuns();
var failed = all.where(all.stringColumn("status").isEqualTo("failed"));
failed""",
     """import json, sqlite3
import pandas as pd
con = sqlite3.connect("file:@DB@?mode=ro", uri=True)
tables = [name for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
print(pd.Series({t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}, name="rows").to_string())
runs = pd.read_sql("SELECT p.name AS pipeline, r.* FROM pipeline_runs r JOIN pipelines p ON p.id = r.pipeline_id",
                   con, parse_dates={"started_at": {"utc": True}, "finished_at": {"utc": True}})
failed = runs[runs.status == "failed"]
failed"""),

    ("pipelines", "the pipelines: stage chain, latest run, runs, success rate, throughput",
     """pipelines()""",
     """stages = pd.read_sql("SELECT pipeline_id, algorithm FROM pipeline_stages WHERE NOT archived ORDER BY pipeline_id, stage_order", con)
pipelines = pd.read_sql("SELECT id, name, archived, created_at FROM pipelines", con)
per = runs.groupby("pipeline_id")
latest = runs.sort_values("started_at").groupby("pipeline_id").last()
finished = runs.status.isin(["succeeded", "failed", "cancelled"])
pipelines = pipelines.assign(
    stages=pipelines.id.map(stages.groupby("pipeline_id").algorithm.agg(" → ".join)),
    latest_status=pipelines.id.map(latest.status), latest_run_at=pipelines.id.map(latest.started_at),
    runs=pipelines.id.map(per.size()),
    success_rate=pipelines.id.map((runs.status == "succeeded").groupby(runs.pipeline_id).sum()
                                  / finished.groupby(runs.pipeline_id).sum()),
    throughput_bytes_per_s=pipelines.id.map(per.throughput_bytes_per_second.mean())).sort_values("name")
pipelines"""),

    ("stats", "per pipeline: runs by outcome, success rate, p50/p95 duration (nearest rank), throughput",
     """stats()""",
     """import numpy as np
def nearest_rank(values, p):
    return np.percentile(values, p, method="inverted_cdf") if len(values) else np.nan
ok = runs[runs.status == "succeeded"]
stats = runs.groupby("pipeline").status.value_counts().unstack(fill_value=0)
stats.insert(0, "runs", stats.sum(axis=1))
stats["success_rate"] = stats.succeeded / (stats.succeeded + stats.failed + stats.cancelled)
stats["p50_duration_ms"] = ok.groupby("pipeline").duration_ms.apply(nearest_rank, 50)
stats["p95_duration_ms"] = ok.groupby("pipeline").duration_ms.apply(nearest_rank, 95)
stats["throughput_mean"] = ok.groupby("pipeline").throughput_bytes_per_second.mean()
stats["throughput_best"] = ok.groupby("pipeline").throughput_bytes_per_second.max()
stats"""),

    ("failures_by_tool", "failures across every tool in the file, per tool and pipeline",
     """failed.countBy("source", "pipeline")""",
     """import zstandard
def unzstd(blob):
    # dagger compresses snapshots twice: unwrap while the bytes start with zstd's magic number
    while blob[:4] == b"\\x28\\xb5\\x2f\\xfd":
        blob = zstandard.ZstdDecompressor().decompressobj().decompress(blob)
    return blob
def utc_ms(column):
    return pd.to_datetime(column, unit="ms", utc=True)
jobs = pd.read_sql("SELECT id, name AS pipeline, status, created_at, updated_at, started_at, completed_at FROM jobs", con)
ended = jobs.status.isin(["completed", "failed", "cancelled", "timeout"])
hyperpage = pd.DataFrame({"source": "hyperpage", "pipeline": jobs.pipeline, "id": jobs.id,
    "status": jobs.status.replace({"completed": "succeeded", "timeout": "failed"}),
    "started_at": utc_ms(jobs.started_at.fillna(jobs.created_at)),
    "finished_at": utc_ms(jobs.completed_at.fillna(jobs.updated_at.where(ended))),
    "duration_ms": jobs.completed_at - jobs.started_at})
executions = pd.read_sql("SELECT e.id, j.name AS pipeline, e.status, e.started_at, e.finished_at"
                         " FROM executiontable e JOIN jobtable j ON j.id = e.job_id", con)
etl = executions.assign(source="etl", status=executions.status.str.lower().replace({"success": "succeeded"}),
    started_at=pd.to_datetime(executions.started_at, utc=True), finished_at=pd.to_datetime(executions.finished_at, utc=True))
etl["duration_ms"] = (etl.finished_at - etl.started_at).dt.total_seconds() * 1000
nodes = []
for dag, blob in con.execute("SELECT dag_id, tree_data FROM execution_trees"):
    tree = json.loads(unzstd(blob))
    for _, node in tree["nodes"]:
        nodes.append({"source": "dagger", "pipeline": f"{dag}/{node['node_id']}", "id": f"{dag}/{node['node_id']}",
                      "status": "succeeded" if node["outcome"]["success"] else "failed",
                      "finished_at": pd.Timestamp(node["timestamp"], tz="UTC")})
dagger = pd.DataFrame(nodes)
everything = pd.concat([runs.assign(source="pipescope", throughput=runs.throughput_bytes_per_second)[
                            ["source", "pipeline", "id", "status", "started_at", "finished_at", "duration_ms", "throughput"]],
                        hyperpage, etl[["source", "pipeline", "id", "status", "started_at", "finished_at", "duration_ms"]], dagger],
                       ignore_index=True)
everything["time"] = everything.started_at.fillna(everything.finished_at)
failures = everything[everything.status == "failed"]
failures.groupby(["source", "pipeline"]).size().rename("count").reset_index()"""),

    ("compare", "this week against the week before, per tool and pipeline, most worsened first",
     """var week = window(Duration.ofDays(7));
var compared = compare(week.previous(), week);
compared""",
     """end = everything.time.max() + pd.Timedelta(milliseconds=1)
week = pd.Timedelta(days=7)
def window_stats(frame):
    ok = frame[frame.status == "succeeded"].groupby(["source", "pipeline"])
    done = frame[frame.status.isin(["succeeded", "failed", "cancelled"])].groupby(["source", "pipeline"]).size()
    out = pd.DataFrame({"runs": frame.groupby(["source", "pipeline"]).size()})
    out["success_rate"] = ok.size().reindex(out.index, fill_value=0) / done.reindex(out.index)
    out["p50"] = ok.duration_ms.apply(lambda d: nearest_rank(d.dropna(), 50))
    out["p95"] = ok.duration_ms.apply(lambda d: nearest_rank(d.dropna(), 95))
    out["throughput"] = ok.throughput.mean()
    return out
a = window_stats(everything[(everything.time >= end - 2 * week) & (everything.time < end - week)])
b = window_stats(everything[(everything.time >= end - week) & (everything.time < end)])
compared = a.join(b, how="outer", lsuffix="_a", rsuffix="_b")
compared.insert(0, "worse_by_percent", pd.concat([
    100 * (compared.p50_b - compared.p50_a) / compared.p50_a, 100 * (compared.p95_b - compared.p95_a) / compared.p95_a,
    100 * (compared.throughput_a - compared.throughput_b) / compared.throughput_a,
    100 * (compared.success_rate_a - compared.success_rate_b)], axis=1).max(axis=1).round(1))
compared[["runs_a", "runs_b"]] = compared[["runs_a", "runs_b"]].fillna(0).astype(int)
compared = compared.sort_values("worse_by_percent", ascending=False, na_position="last", kind="stable").reset_index()
compared"""),

    ("counts", "runs per hour and outcome over the last two days of data, quiet hours as 0",
     """var hourly = counts(runs(Duration.ofDays(2)), Duration.ofHours(1));
hourly""",
     """recent = everything[(everything.time >= end - pd.Timedelta(days=2)) & (everything.time < end)]
hourly = recent.groupby([recent.time.dt.floor("h"), "status"]).size().unstack(fill_value=0)
hourly = hourly.reindex(pd.date_range(hourly.index.min(), hourly.index.max(), freq="h", name="bucket"), fill_value=0)
hourly = hourly.reindex(columns=["pending", "running", "succeeded", "failed", "cancelled"], fill_value=0)
hourly.insert(0, "runs", hourly.sum(axis=1))
hourly"""),

    ("chart", "a chart of failed and cancelled runs per hour",
     """chart(hourly, "bucket", "failed", "cancelled")""",
     """hourly.plot(y=["failed", "cancelled"], figsize=(9, 4), title="failed and cancelled runs per hour");"""),

    ("slowest", "the five slowest runs of any tool (runs without a duration last)",
     """slowest(5)""",
     """everything.sort_values("duration_ms", ascending=False, na_position="last", kind="stable").head(5)"""),

    ("graph", "a DAG's execution tree as a picture",
     """graph("train_model")""",
     """import networkx as nx
import matplotlib.pyplot as plt
(blob,) = con.execute("SELECT tree_data FROM execution_trees WHERE dag_id = ?", ("train_model",)).fetchone()
tree = json.loads(unzstd(blob))
dag = nx.DiGraph()
for index, node in tree["nodes"]:
    outcome = node["outcome"]
    dag.add_node(index, label=node["node_id"], colour="#f8b4b4" if not outcome["success"]
                 else "#fde68a" if outcome["retry_messages"] else "#bbf7d0")
dag.add_edges_from((a, b, {"label": edge["label"]}) for a, b, edge in tree["edges"])
for layer, members in enumerate(nx.topological_generations(dag)):
    for index in members:
        dag.nodes[index]["layer"] = layer
position = nx.multipartite_layout(dag, subset_key="layer")
fig, ax = plt.subplots(figsize=(9, 3))
nx.draw_networkx(dag, position, ax=ax, labels=nx.get_node_attributes(dag, "label"), node_shape="s", node_size=1800,
                 node_color=[dag.nodes[index]["colour"] for index in dag], font_size=7)
nx.draw_networkx_edge_labels(dag, position, edge_labels=nx.get_edge_attributes(dag, "label"), ax=ax, font_size=6)
ax.set_title("train_model")
ax.axis("off");"""),

    ("sql_join", "SQL: failed runs per pipeline, joining runs to pipelines",
     """%%sql failing
SELECT p.name AS pipeline, count(*) AS failed, max(r.started_at) AS last_failure
FROM pipeline_runs r JOIN pipelines p ON p.id = r.pipeline_id
WHERE r.status = 'failed'
GROUP BY p.name ORDER BY failed DESC, p.name""",
     """failing = pd.read_sql(\"\"\"
SELECT p.name AS pipeline, count(*) AS failed, max(r.started_at) AS last_failure
FROM pipeline_runs r JOIN pipelines p ON p.id = r.pipeline_id
WHERE r.status = 'failed'
GROUP BY p.name ORDER BY failed DESC, p.name\"\"\", con)
failing"""),

    ("snapshot", "a DAG's cache as it was at a given time (node by key)",
     """var snaps = snapshots("train_model");
Instant asOf = snaps.instantColumn("created_at").get(2).plusSeconds(1);
var cache = snapshot("train_model", asOf);
cache""",
     """snaps = pd.read_sql("SELECT id, created_at FROM snapshots WHERE dag_id = ? ORDER BY created_at", con,
                    params=("train_model",), parse_dates={"created_at": {"utc": True}})
as_of = snaps.created_at[2] + pd.Timedelta(seconds=1)
in_force = snaps[snaps.created_at <= as_of].iloc[-1]
(blob,) = con.execute("SELECT snapshot_data FROM snapshots WHERE id = ?", (int(in_force.id),)).fetchone()
stored = json.loads(unzstd(blob))
cache = pd.DataFrame([(node, key, json.dumps(value)) for node, keys in stored.items() for key, value in keys.items()],
                     columns=["node", "key", "value"])
cache"""),

    ("export", "every tool's failures to CSV",
     """Path csv = Path.of("@OUT@", "pipescope-failed.csv");
export(failed, csv)""",
     """csv = "@OUT@/pandas-failed.csv"
failures.to_csv(csv, index=False)
csv"""),
]

# The last cell of each notebook, not timed: figures of the answers above, one key=value a line.
CHECK = (
    """var check = new LinkedHashMap<String, Object>();
check.put("failed_pipeline_runs", failed.where(failed.stringColumn("source").isEqualTo("pipescope")).rowCount());
var listed = pipelines();
check.put("pipelines", listed.rowCount());
check.put("pipeline_runs", Math.round(listed.numberColumn("runs").sum()));
var perPipeline = stats();
check.put("stats_rows", perPipeline.rowCount());
check.put("stats_failed", Math.round(perPipeline.numberColumn("failed").sum()));
check.put("stats_p95_sum", Math.round(perPipeline.numberColumn("p95_duration_ms (nearest rank)").sum()));
var bySource = new TreeMap<String, Integer>();
failed.stringColumn("source").forEach(source -> bySource.merge(source, 1, Integer::sum));
check.put("failures_by_tool", bySource.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue())
        .collect(java.util.stream.Collectors.joining(" ")));
check.put("compare_rows", compared.rowCount());
check.put("compare_runs_a", Math.round(compared.numberColumn("runs_a").sum()));
check.put("compare_runs_b", Math.round(compared.numberColumn("runs_b").sum()));
check.put("compare_first", compared.stringColumn("pipeline").get(0) + " " + compared.numberColumn("worse_by_percent").getDouble(0));
check.put("hours", hourly.rowCount());
check.put("hourly_runs", Math.round(hourly.numberColumn("runs").sum()));
check.put("hourly_failed", Math.round(hourly.numberColumn("failed").sum()));
var five = slowest(5);
check.put("slowest", String.join(" ", five.stringColumn("id").asList()));
check.put("sql_rows", failing.rowCount());
check.put("sql_failed", Math.round(failing.numberColumn("failed").sum()));
check.put("snapshot_rows", cache.rowCount());
check.put("csv_rows", Files.readAllLines(csv).size() - 1);
check.forEach((key, value) -> System.out.println(key + "=" + value));""",
    """check = {
    "failed_pipeline_runs": len(failed),
    "pipelines": len(pipelines), "pipeline_runs": int(pipelines.runs.sum()),
    "stats_rows": len(stats), "stats_failed": int(stats.failed.sum()), "stats_p95_sum": int(round(stats.p95_duration_ms.sum())),
    "failures_by_tool": " ".join(f"{source}:{count}" for source, count in sorted(failures.source.value_counts().items())),
    "compare_rows": len(compared), "compare_runs_a": int(compared.runs_a.sum()), "compare_runs_b": int(compared.runs_b.sum()),
    "compare_first": f"{compared.pipeline[0]} {compared.worse_by_percent[0]}",
    "hours": len(hourly), "hourly_runs": int(hourly.runs.sum()), "hourly_failed": int(hourly.failed.sum()),
    "slowest": " ".join(everything.sort_values("duration_ms", ascending=False, na_position="last", kind="stable").head(5).id),
    "sql_rows": len(failing), "sql_failed": int(failing.failed.sum()),
    "snapshot_rows": len(cache),
    "csv_rows": sum(1 for _ in open(csv)) - 1,
}
for key, value in check.items():
    print(f"{key}={value}")""",
)
