"""Benchmark of printed output reaching a Jupyter client: Pipescope vs Debian's Python kernel (not part of the tests).

  /usr/bin/python3 bench/stream_bench.py [--jar target/pipescope.jar] [--lines 20000,200000] [--rounds 5]

Starts the Pipescope kernel (installed from the jar into a temporary prefix) and Debian's python3 kernel
(python3-ipykernel, `kernel/packages --bench`) side by side and, round by round, alternating the two, runs in each
a cell that prints the numbers 0..N-1 one per line:

  Pipescope:  for (int i = 0; i < N; i++) System.out.println(i);
  python3:    for i in range(N): print(i)

Each cell is timed through jupyter_client from its execute_request until its idle status, reading every IOPub
message as it comes; lines/s = N / that time. Every run is checked: the stream text must be exactly the N lines in
order, followed by the execute_reply and the idle status; a run that is not is reported as a failure and stops
the benchmark. Prints a Markdown table (medians, with the slowest and fastest round) and the ratio
Pipescope / python3 of the median rates; writes the raw figures to bench/out/stream_bench.json.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PROJECT = os.path.dirname(HERE)
TIMEOUT = 600


def install_pipescope(prefix, jar, name):
    subprocess.run([os.path.join(PROJECT, "kernel", "install"), "--prefix", prefix, "--jar", jar, "--name", name],
                   check=True, stdout=subprocess.DEVNULL)


def printing_cell(kernel, lines):
    if kernel == "python3":
        return f"for i in range({lines}): print(i)"
    return f"for (int i = 0; i < {lines}; i++) System.out.println(i);"


def run_printing_cell(kc, code, lines):
    """Seconds from execute_request to idle, after checking that exactly the expected output arrived."""
    start = time.perf_counter()
    msg_id = kc.execute(code)
    chunks, messages, others = [], 0, []
    while True:
        msg = kc.get_iopub_msg(timeout=TIMEOUT)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind = msg["msg_type"]
        if kind == "stream":
            chunks.append(msg["content"]["text"])
            messages += 1
        elif kind == "status" and msg["content"]["execution_state"] == "idle":
            break
        elif kind not in ("status", "execute_input"):
            others.append(kind)
    elapsed = time.perf_counter() - start
    reply = kc.get_shell_msg(timeout=TIMEOUT)
    while reply["parent_header"].get("msg_id") != msg_id:  # e.g. a late kernel_info reply
        reply = kc.get_shell_msg(timeout=TIMEOUT)
    text = "".join(chunks)
    expected = "".join(f"{i}\n" for i in range(lines))
    if reply["content"]["status"] != "ok" or others or text != expected:
        got = text.count("\n")
        raise RuntimeError(f"{code!r}: reply {reply['content'].get('status')}, other outputs {others}, "
                           f"{got} of {lines} lines, text {'equal' if text == expected else 'different'}")
    return elapsed, messages


def start(KernelManager, name):
    km = KernelManager(kernel_name=name)
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=120)
    return km, kc


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--jar", default=os.path.join(PROJECT, "target", "pipescope.jar"))
    parser.add_argument("--lines", default="20000,200000", help="comma-separated line counts")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    if not os.path.isfile(args.jar):
        sys.exit(f"no jar at {args.jar}: run mvn -DskipTests package")
    counts = [int(n) for n in args.lines.split(",")]

    prefix = tempfile.mkdtemp(prefix="pipescope-stream-bench-")
    install_pipescope(prefix, args.jar, "pipescope-stream-bench")
    # Debian's python3 kernelspec stays found in /usr/share/jupyter, after the temporary prefix
    os.environ["JUPYTER_PATH"] = os.path.join(prefix, "share", "jupyter")
    os.environ["JUPYTER_RUNTIME_DIR"] = os.path.join(prefix, "runtime")
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager
    if "python3" not in KernelSpecManager().find_kernel_specs():
        sys.exit("Debian's python3 kernel is not installed: kernel/packages --bench (python3-ipykernel)")

    kernels = {"pipescope": "pipescope-stream-bench", "python3": "python3"}
    clients = {}
    results = {k: {n: [] for n in counts} for k in kernels}
    messages = {k: {n: [] for n in counts} for k in kernels}
    try:
        for label, name in kernels.items():
            clients[label] = start(KernelManager, name)
            km, kc = clients[label]
            run_printing_cell(kc, printing_cell(label, 1000), 1000)  # warm up: JIT, imports
        for _ in range(args.rounds):
            for n in counts:
                for label in kernels:
                    seconds, count = run_printing_cell(clients[label][1], printing_cell(label, n), n)
                    results[label][n].append(seconds)
                    messages[label][n].append(count)
    finally:
        for km, kc in clients.values():
            kc.stop_channels()
            km.shutdown_kernel(now=True)
        shutil.rmtree(prefix, ignore_errors=True)

    print("| lines | kernel | median lines/s | slowest - fastest round (lines/s) | median time (s) | stream messages |")
    print("|---|---|---|---|---|---|")
    summary = {}
    for n in counts:
        rates = {}
        for label in kernels:
            times = results[label][n]
            median = statistics.median(times)
            rates[label] = n / median
            print(f"| {n:,} | {label} | {n / median:,.0f} | {n / max(times):,.0f} - {n / min(times):,.0f} | "
                  f"{median:.2f} | {statistics.median(messages[label][n]):.0f} |")
        summary[n] = rates["pipescope"] / rates["python3"]
    print()
    for n, ratio in summary.items():
        print(f"{n:,} lines: Pipescope / python3 lines/s = {ratio:.2f}")
    with open("/proc/loadavg") as load:
        print(f"load average after the run: {load.read().split()[0]} on {os.cpu_count()} cores")
    out_dir = os.path.join(HERE, "out")
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "stream_bench.json"), "w") as f:
        json.dump({"jar": args.jar, "rounds": args.rounds, "seconds": results, "messages": messages,
                   "ratio_pipescope_over_python3": summary}, f, indent=2)


if __name__ == "__main__":
    main()
