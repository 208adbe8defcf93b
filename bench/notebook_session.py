"""A notebook session, Pipescope against pandas (not part of the tests): the twelve questions of
bench/session_cells.py asked cell by cell on the small demo file (5,000 runs), once in the Pipescope kernel and
once in Debian's Python kernel with pandas, each notebook executed by nbclient in a fresh kernel.

  /usr/bin/python3 bench/notebook_session.py [--rounds 3] [--jar target/pipescope.jar] [--work DIR] [--fresh]
                                             [--only pipescope|pandas] [--jvm-option OPT]... [--no-report]
                                             [--before bench/results/session-before.json] [--build TEXT]

bench/session builds the jar, installs what is missing and calls this; `bench/run --session` does the same.

Measured per notebook and round (the two notebooks alternate which goes first from one round to the next):
  - ready: starting the kernel until it answers kernel_info (nbclient's setup_kernel, client side)
  - per cell: from the kernel's execute_input to its idle status (the kernel's own message timestamps, as
    nbclient records them in the cell's metadata), and the client's wall time around the cell
  - first result after ready: the client's wall time of the first cell, run as soon as the kernel is ready
  - the load average before and after each notebook
Each notebook ends with an untimed cell printing figures of its answers; the run fails unless the two
notebooks' figures agree and every timed cell ran without an error and showed something (the chart and graph
cells a PNG). Medians over the rounds go to bench/results/session.md and to the session section of
BENCHMARKS.md; every round's figures to bench/results/session.json. With --before, an earlier run's
session.json (bench/results/session-before.json is main before the start-up work of issue 18, measured with
--jar on that build) is shown in a column beside this one.

--jvm-option adds a JVM flag to the Pipescope kernelspec (e.g. -XX:StartFlightRecording=filename=k.jfr to
profile); such runs are for looking, so they write no report unless --report is given too.
"""
import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import nbformat
from nbclient import NotebookClient

HERE = os.path.dirname(os.path.abspath(__file__))
PROJECT = os.path.dirname(HERE)
sys.path.insert(0, HERE)

import session_cells  # noqa: E402  (bench/session_cells.py, next to this file)

RESULTS = os.path.join(HERE, "results")
START_MARKER = "<!-- session:start -->"
END_MARKER = "<!-- session:end -->"
SYSTEMS = ("pipescope", "pandas")
KERNELS = {"pipescope": "pipescope", "pandas": "python3"}
# cells that must show a picture, as PNG (nbconvert, GitHub and the pandas inline backend all use it)
PICTURES = {"chart", "graph"}


def log(message):
    print(f"[{datetime.datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def make_demo(jar, path):
    log(f"making the small demo file {path}")
    subprocess.run(["java", "-jar", jar, "demo", "--scale", "small", path], check=True, stdout=subprocess.DEVNULL)


def install_kernel(prefix, jar, jvm_options):
    """The Pipescope kernelspec as kernel/install writes it (class-data archive included), in a prefix of its own."""
    subprocess.run([os.path.join(PROJECT, "kernel", "install"), "--prefix", prefix, "--jar", jar, "--no-launcher"],
                   check=True, stdout=subprocess.DEVNULL)
    spec_file = os.path.join(prefix, "share", "jupyter", "kernels", "pipescope", "kernel.json")
    with open(spec_file) as f:
        spec = json.load(f)
    if jvm_options:
        # last before -cp, after kernel/install's own flags: the JVM takes the last of a repeated flag
        at = spec["argv"].index("-cp")
        spec["argv"][at:at] = jvm_options
        with open(spec_file, "w") as f:
            json.dump(spec, f, indent=1)
    return spec


def notebook(system, db, out_dir):
    column = 2 if system == "pipescope" else 3
    cells = [entry[column] for entry in session_cells.CELLS]
    cells.append(session_cells.CHECK[0 if system == "pipescope" else 1])
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source.replace("@DB@", db).replace("@OUT@", out_dir)) for source in cells]
    return nb


def seconds_between(start, end):
    """Seconds between two of the kernel's ISO-8601 message timestamps, as nbclient records them."""
    def parse(text):
        return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return (parse(end) - parse(start)).total_seconds()


def cpu_seconds(pid):
    """User + system CPU time of a process (all its threads) so far, from /proc."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid):
    """Resident memory of a process in MiB, from /proc."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def kernel_environment(db):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIPESCOPE_")}
    env["PIPESCOPE_DB"] = db
    # ipykernel's debugger otherwise warns about frozen modules on every start
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    return env


def run_notebook(system, db, out_dir):
    """Runs one notebook in a fresh kernel; returns its timings, the check cell's figures and any problems."""
    nb = notebook(system, db, out_dir)
    # nbclient makes the kernel manager itself, so that it also shuts the kernel down at the end (a kernel
    # given to it is left running, and a previous round's kernel would share the machine with this one)
    client = NotebookClient(nb, kernel_name=KERNELS[system], timeout=300, allow_errors=True, record_timing=True)
    problems = []
    cells = []
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    with client.setup_kernel(env=kernel_environment(db)):
        ready = time.perf_counter() - started
        pid = client.km.provisioner.process.pid
        ready_cpu = cpu_seconds(pid)
        for index, cell in enumerate(nb.cells):
            before, cpu_before = time.perf_counter(), cpu_seconds(pid)
            client.execute_cell(cell, index)
            wall = time.perf_counter() - before
            timing = cell.metadata.get("execution", {})
            kernel_time = seconds_between(timing["iopub.execute_input"], timing["iopub.status.idle"])
            cells.append({"kernel_s": kernel_time, "wall_s": wall, "cpu_s": cpu_seconds(pid) - cpu_before})
            errors = [o for o in cell.outputs if o.output_type == "error"]
            if errors:
                problems.append(f"{system} cell {index + 1} failed: {errors[0].ename}: {errors[0].evalue[:500]}")
            elif index < len(session_cells.CELLS):
                key = session_cells.CELLS[index][0]
                shown = [o for o in cell.outputs if o.output_type in ("execute_result", "display_data", "stream")]
                if not shown:
                    problems.append(f"{system} cell {index + 1} ({key}) showed nothing")
                if key in PICTURES and not any("image/png" in o.get("data", {}) for o in cell.outputs):
                    problems.append(f"{system} cell {index + 1} ({key}) showed no PNG picture")
        total = time.perf_counter() - started
        rss = rss_mb(pid)
    check_cell = nb.cells[-1]
    text = "".join(o.get("text", "") for o in check_cell.outputs if o.output_type == "stream" and o.name == "stdout")
    figures = dict(line.split("=", 1) for line in text.splitlines() if "=" in line)
    return {"ready_s": ready, "ready_cpu_s": ready_cpu, "cells": cells[:len(session_cells.CELLS)], "check_cell_s": cells[-1]["wall_s"],
            "session_s": total - cells[-1]["wall_s"], "load_before": load_before, "load_after": os.getloadavg()[0], "rss_mb": rss,
            "figures": figures}, problems


def compare_figures(rounds):
    """Both notebooks must have found the same answers, in every round."""
    problems = []
    for number, result in enumerate(rounds, 1):
        a, b = result["pipescope"]["figures"], result["pandas"]["figures"]
        if not a or not b:
            problems.append(f"round {number}: a check cell printed nothing (pipescope {len(a)}, pandas {len(b)} figures)")
        for key in sorted(set(a) | set(b)):
            if a.get(key) != b.get(key):
                problems.append(f"round {number}: {key} differs: pipescope {a.get(key)!r}, pandas {b.get(key)!r}")
    return problems


def median(values):
    return statistics.median(values) if values else float("nan")


def summarise(rounds, systems):
    summary = {"cells": [], "systems": {}}
    for index, (key, question, _, _) in enumerate(session_cells.CELLS):
        row = {"key": key, "question": question}
        for system in systems:
            row[system] = median([r[system]["cells"][index]["kernel_s"] for r in rounds])
            row[system + "_wall"] = median([r[system]["cells"][index]["wall_s"] for r in rounds])
            row[system + "_cpu"] = median([r[system]["cells"][index]["cpu_s"] for r in rounds])
        summary["cells"].append(row)
    for system in systems:
        summary["systems"][system] = {
            "ready_s": median([r[system]["ready_s"] for r in rounds]),
            "cells_s": median([sum(c["kernel_s"] for c in r[system]["cells"]) for r in rounds]),
            "cells_wall_s": median([sum(c["wall_s"] for c in r[system]["cells"]) for r in rounds]),
            "session_s": median([r[system]["session_s"] for r in rounds]),
            "first_after_ready_s": median([r[system]["cells"][0]["wall_s"] for r in rounds]),
            "slowest_later_cell_s": median([max(c["kernel_s"] for c in r[system]["cells"][1:]) for r in rounds]),
            "ready_cpu_s": median([r[system]["ready_cpu_s"] for r in rounds]),
            "cells_cpu_s": median([sum(c["cpu_s"] for c in r[system]["cells"]) for r in rounds]),
            "session_cpu_s": median([r[system]["ready_cpu_s"] + sum(c["cpu_s"] for c in r[system]["cells"]) for r in rounds]),
            "rss_mb": median([r[system]["rss_mb"] for r in rounds]),
        }
    return summary


def ratio(a, b):
    return f"{a / b:.2f}x" if b else "-"


def load_range(result):
    loads = [r[system][k] for r in result["rounds"] for system in result["systems"] for k in ("load_before", "load_after")]
    return f"load average {min(loads):.1f}-{max(loads):.1f} (median {statistics.median(loads):.1f})"


def markdown(result, before=None):
    """The report; {@code before} is an earlier run's result (another build), shown in a column of its own."""
    s = result["summary"]
    b = before["summary"] if before else None
    lines = [
        f"Notebook session, Pipescope against pandas: {result['date']} UTC, {result['cores']} cores "
        f"(shared with other sessions), {len(result['rounds'])} rounds, {load_range(result)} during the run. "
        f"{result['versions']}.",
        "",
        "The twelve questions of `bench/session_cells.py`, cell by cell, on the small demo file (5,000 pipeline runs, "
        "416 Hyperpage jobs, 125 etl-core executions, 6 dagger DAGs), each notebook run by nbclient in a fresh kernel "
        "(`bench/session`). A cell's time runs from the kernel's `execute_input` to its idle status; CPU is the kernel "
        "process's (all its threads, the JIT compiler's and the warm-ups' included) while the cell ran; medians over "
        "the rounds. Both notebooks found the same answers (their last, untimed cells print figures that the run "
        "compares).",
    ]
    if b:
        lines += ["", f"*before*: the same benchmark on {before['build']} ({before['date']} UTC, {load_range(before)})."]
    head = "| # | question |" + (" Pipescope before (s) |" if b else "") + \
        " Pipescope (s) | pandas (s) | Pipescope ÷ pandas | Pipescope CPU (s) | pandas CPU (s) |"
    lines += ["", head, "|---:|---|" + ("---:|" if b else "") + "---:|---:|---:|---:|---:|"]
    for number, row in enumerate(s["cells"], 1):
        earlier = f" {b['cells'][number - 1]['pipescope']:.3f} |" if b else ""
        lines.append(f"| {number} | {row['question']} (`{row['key']}`) |{earlier} {row['pipescope']:.3f} | {row['pandas']:.3f} "
                     f"| {ratio(row['pipescope'], row['pandas'])} | {row['pipescope_cpu']:.2f} | {row['pandas_cpu']:.2f} |")
    p, q = s["systems"]["pipescope"], s["systems"]["pandas"]
    bp = b["systems"]["pipescope"] if b else None
    earlier = f" **{bp['cells_s']:.2f}** |" if b else ""
    lines.append(f"| | **all twelve cells** |{earlier} **{p['cells_s']:.2f}** | **{q['cells_s']:.2f}** | "
                 f"**{ratio(p['cells_s'], q['cells_s'])}** | **{p['cells_cpu_s']:.2f}** | **{q['cells_cpu_s']:.2f}** |")

    def line(label, key, digits=2, unit=""):
        earlier = f" {bp[key]:.{digits}f}{unit} |" if b else ""
        return f"| {label} |{earlier} {p[key]:.{digits}f}{unit} | {q[key]:.{digits}f}{unit} | {ratio(p[key], q[key])} |"

    lines += [
        "",
        "| |" + (" Pipescope before |" if b else "") + " Pipescope | pandas | Pipescope ÷ pandas |",
        "|---|" + ("---:|" if b else "") + "---:|---:|---:|",
        line("kernel ready: start until kernel_info is answered (s)", "ready_s"),
        line("first cell: from ready until its result, client's clock (s)", "first_after_ready_s"),
        line("slowest cell after the first (s)", "slowest_later_cell_s", 3),
        line("twelve cells, client's clock (s)", "cells_wall_s"),
        line("**whole session: kernel start to the twelfth result (s)**", "session_s"),
        line("kernel CPU until ready (s)", "ready_cpu_s"),
        line("kernel CPU, start to the twelfth result (s)", "session_cpu_s"),
        line("kernel resident memory at the end (MiB)", "rss_mb", 0),
        "",
        "Per round (twelve cells by the kernel's clock, in seconds; load average before → after):",
        "",
        "| round | first | Pipescope ready | Pipescope cells | pandas ready | pandas cells | load |",
        "|---:|---|---:|---:|---:|---:|---|",
    ]
    for number, r in enumerate(result["rounds"], 1):
        cells = {system: sum(c["kernel_s"] for c in r[system]["cells"]) for system in result["systems"]}
        lines.append(f"| {number} | {r['order'][0]} | {r['pipescope']['ready_s']:.2f} | {cells['pipescope']:.2f} | "
                     f"{r['pandas']['ready_s']:.2f} | {cells['pandas']:.2f} | "
                     f"{r[r['order'][0]]['load_before']:.1f} → {r[r['order'][-1]]['load_after']:.1f} |")
    return "\n".join(lines) + "\n"


def write_benchmarks_section(text, path):
    """Replaces the session section of BENCHMARKS.md (between its markers), or appends it."""
    section = (f"{START_MARKER}\n## A notebook session against pandas\n\n"
               "Written by `bench/session` (bench/notebook_session.py); the same table is in "
               "[bench/results/session.md](bench/results/session.md).\n\n" + text + f"{END_MARKER}")
    with open(path) as f:
        document = f.read()
    start, end = document.find(START_MARKER), document.find(END_MARKER)
    if start == -1 and end == -1:
        document = document.rstrip("\n") + "\n\n" + section + "\n"
    elif start == -1 or end == -1 or end < start:
        raise ValueError(f"only one of {START_MARKER} and {END_MARKER} is in {path}, or in the wrong order")
    else:
        document = document[:start] + section + document[end + len(END_MARKER):]
    with open(path, "w") as f:
        f.write(document)


def git_build():
    """The commit the working tree is at, with '+changes' when it has uncommitted ones."""
    head = subprocess.run(["git", "-C", PROJECT, "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    if head.returncode != 0:
        return "an unknown build (not a git checkout)"
    dirty = subprocess.run(["git", "-C", PROJECT, "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True).stdout.strip()
    return f"commit {head.stdout.strip()}" + (" with uncommitted changes" if dirty else "")


def versions(jar):
    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]
    import pandas
    return f"{java.strip()}, Python {platform.python_version()} with pandas {pandas.__version__}"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3, help="notebook pairs to run (default 3; report medians)")
    parser.add_argument("--jar", default=os.path.join(PROJECT, "target", "pipescope.jar"))
    parser.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "pipescope-session"),
                        help="where the demo file is kept between runs")
    parser.add_argument("--fresh", action="store_true", help="make the demo file again")
    parser.add_argument("--only", choices=SYSTEMS, help="run one notebook only (no comparison, no report)")
    parser.add_argument("--jvm-option", action="append", default=[], help="a JVM flag for the Pipescope kernel")
    parser.add_argument("--build", default=None, help="what the jar is, for the report (default: the git commit)")
    parser.add_argument("--before", help="an earlier run's session.json (another build): the report shows it beside")
    parser.add_argument("--no-report", action="store_true", help="write no results files")
    parser.add_argument("--report", action="store_true", help="write the results files even with --jvm-option")
    args = parser.parse_args()
    if args.rounds < 1:
        parser.error("--rounds must be 1 or more")
    jar = os.path.abspath(args.jar)
    if not os.path.isfile(jar):
        parser.error(f"no jar at {jar} (mvn -DskipTests package)")
    os.makedirs(args.work, exist_ok=True)
    db = os.path.join(args.work, "demo-small.db")
    if args.fresh or not os.path.isfile(db):
        for leftover in (db, db + "-wal", db + "-shm"):
            if os.path.exists(leftover):
                os.remove(leftover)
        make_demo(jar, db)

    systems = (args.only,) if args.only else SYSTEMS
    prefix = tempfile.mkdtemp(prefix="pipescope-session-kernels-")
    out_dir = tempfile.mkdtemp(prefix="pipescope-session-out-")
    previous_path = os.environ.get("JUPYTER_PATH")
    try:
        if "pipescope" in systems:
            spec = install_kernel(prefix, jar, args.jvm_option)
            log("Pipescope kernel: " + " ".join(spec["argv"]))
        os.environ["JUPYTER_PATH"] = os.path.join(prefix, "share", "jupyter") + (
            os.pathsep + previous_path if previous_path else "")
        rounds = []
        problems = []
        for number in range(args.rounds):
            order = list(systems) if number % 2 == 0 else list(reversed(systems))
            result = {"order": order}
            for system in order:
                for leftover in os.listdir(out_dir):
                    os.remove(os.path.join(out_dir, leftover))
                figures, found = run_notebook(system, db, out_dir)
                result[system] = figures
                problems += [f"round {number + 1}: {p}" for p in found]
                cells = sum(c["kernel_s"] for c in figures["cells"])
                log(f"round {number + 1} {system}: ready {figures['ready_s']:.2f} s, first cell "
                    f"{figures['cells'][0]['wall_s']:.2f} s, twelve cells {cells:.2f} s, load "
                    f"{figures['load_before']:.1f} → {figures['load_after']:.1f}")
            rounds.append(result)
    finally:
        shutil.rmtree(prefix, ignore_errors=True)
        shutil.rmtree(out_dir, ignore_errors=True)
        if previous_path is None:
            os.environ.pop("JUPYTER_PATH", None)
        else:
            os.environ["JUPYTER_PATH"] = previous_path

    if len(systems) == 2:
        problems += compare_figures(rounds)
    summary = summarise(rounds, systems)
    for row in summary["cells"]:
        print("  ".join(f"{system} {row[system]:.3f} s" for system in systems) + f"  {row['key']}")
    for system in systems:
        print(f"{system}: " + ", ".join(f"{k} {v:.2f}" for k, v in summary["systems"][system].items()))
    if problems:
        for problem in problems:
            print("PROBLEM: " + problem, file=sys.stderr)
        sys.exit(1)
    if len(systems) < 2 or args.no_report or (args.jvm_option and not args.report):
        return
    result = {"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M"), "cores": os.cpu_count(),
              "versions": versions(jar), "build": args.build or git_build(), "systems": list(systems),
              "jvm_options": args.jvm_option, "rounds": rounds, "summary": summary}
    before = None
    if args.before:
        with open(args.before) as f:
            before = json.load(f)
    os.makedirs(RESULTS, exist_ok=True)
    with open(os.path.join(RESULTS, "session.json"), "w") as f:
        json.dump(result, f, indent=1)
    text = markdown(result, before)
    with open(os.path.join(RESULTS, "session.md"), "w") as f:
        f.write("# A notebook session: Pipescope against pandas\n\n" + text)
    write_benchmarks_section(text, os.path.join(PROJECT, "BENCHMARKS.md"))
    print(text)


if __name__ == "__main__":
    main()
