"""Benchmark of the Pipescope kernel through jupyter_client (not part of the tests).

  /usr/bin/python3 bench/kernel_bench.py [--jar target/pipescope.jar] [--starts 5] [--cells 200]

Measures, in one run, the kernel as designed (snippets run in the kernel's JVM) and the same kernel
forced onto JShell's default remote agent (PIPESCOPE_KERNEL_EXECUTION=remote), each installed into a
temporary Jupyter prefix:
  - ready: start_kernel() until the kernel answers kernel_info (wait_for_ready)
  - first result: start_kernel() until the first cell's execute_result
  - round trip: execute_request of a trivial cell until its reply and idle status (median, p90)
  - resident memory after the cells (kernel JVM, plus the agent JVM for the remote design)
Prints a Markdown table and writes the raw figures to bench/out/kernel_bench.json.
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


def install(prefix, jar, name, execution):
    subprocess.run([os.path.join(PROJECT, "kernel", "install"), "--prefix", prefix, "--jar", jar,
                    "--name", name, "--execution", execution], check=True, stdout=subprocess.DEVNULL)


def rss_kb(pid, children):
    """Resident memory of the process, or of its child processes (the remote agent JVM)."""
    pids = [pid]
    if children:
        out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
        pids = [int(p) for p in out.split()]
    total = 0
    for p in pids:
        try:
            with open(f"/proc/{p}/status") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except FileNotFoundError:
            pass
    return total


def run_cell(kc, code, timeout=60):
    msg_id = kc.execute(code)
    result = None
    while True:
        msg = kc.get_iopub_msg(timeout=timeout)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "execute_result":
            result = msg["content"]["data"]
        if msg["msg_type"] == "error":
            raise RuntimeError(f"{code!r} failed: {msg['content']['ename']}: {msg['content']['evalue']}")
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break
    reply = kc.get_shell_msg(timeout=timeout)
    while reply["parent_header"].get("msg_id") != msg_id:  # e.g. a late kernel_info reply
        reply = kc.get_shell_msg(timeout=timeout)
    if reply["content"]["status"] != "ok":
        raise RuntimeError(f"{code!r}: {reply['content']}")
    return result


def one_start(KernelManager, name):
    start = time.perf_counter()
    km = KernelManager(kernel_name=name)
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=60)
    ready = time.perf_counter() - start
    run_cell(kc, "1 + 1")
    first = time.perf_counter() - start
    return km, kc, ready, first


def measure(KernelManager, name, starts, cells):
    readies, firsts = [], []
    for _ in range(starts):
        km, kc, ready, first = one_start(KernelManager, name)
        readies.append(ready)
        firsts.append(first)
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    km, kc, _, _ = one_start(KernelManager, name)
    try:
        for _ in range(10):  # warm both designs the same way before timing
            run_cell(kc, "1 + 1")
        trips = []
        for i in range(cells):
            t = time.perf_counter()
            run_cell(kc, f"{i} + 1")
            trips.append(time.perf_counter() - t)
        pid = km.provisioner.pid
        rss_kernel = rss_kb(pid, False)
        rss_agent = rss_kb(pid, True)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    trips_sorted = sorted(trips)
    return {
        "ready_s": statistics.median(readies), "ready_all_s": readies,
        "first_result_s": statistics.median(firsts), "first_result_all_s": firsts,
        "round_trip_median_ms": 1000 * statistics.median(trips),
        "round_trip_p90_ms": 1000 * trips_sorted[int(0.9 * len(trips_sorted)) - 1],
        "rss_kernel_mb": rss_kernel / 1024, "rss_agent_mb": rss_agent / 1024,
        "cells": cells, "starts": starts,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--jar", default=os.path.join(PROJECT, "target", "pipescope.jar"))
    parser.add_argument("--starts", type=int, default=5)
    parser.add_argument("--cells", type=int, default=200)
    args = parser.parse_args()
    if not os.path.isfile(args.jar):
        sys.exit(f"no jar at {args.jar}: run mvn -DskipTests package")

    prefix = tempfile.mkdtemp(prefix="pipescope-bench-")
    install(prefix, args.jar, "pipescope-bench", "local")
    install(prefix, args.jar, "pipescope-bench-remote", "remote")
    os.environ["JUPYTER_PATH"] = os.path.join(prefix, "share", "jupyter")
    os.environ["JUPYTER_RUNTIME_DIR"] = os.path.join(prefix, "runtime")
    from jupyter_client.manager import KernelManager

    try:
        results = {
            "local (kernel JVM)": measure(KernelManager, "pipescope-bench", args.starts, args.cells),
            "remote agent (JShell default)": measure(KernelManager, "pipescope-bench-remote", args.starts, args.cells),
        }
    finally:
        shutil.rmtree(prefix, ignore_errors=True)
    local, remote = results["local (kernel JVM)"], results["remote agent (JShell default)"]
    print(f"| design | ready (s) | first result (s) | round trip median (ms) | p90 (ms) | RSS after {args.cells} cells (MB) |")
    print("|---|---|---|---|---|---|")
    for name, r in results.items():
        rss = f"{r['rss_kernel_mb']:.0f}" if r["rss_agent_mb"] == 0 else \
            f"{r['rss_kernel_mb']:.0f} kernel + {r['rss_agent_mb']:.0f} agent"
        print(f"| {name} | {r['ready_s']:.2f} | {r['first_result_s']:.2f} | {r['round_trip_median_ms']:.1f} | "
              f"{r['round_trip_p90_ms']:.1f} | {rss} |")
    with open("/proc/loadavg") as load:
        print(f"\nload average during the run: {load.read().split()[0]} on {os.cpu_count()} cores")
    print(f"round trip ratio local/remote: {local['round_trip_median_ms'] / remote['round_trip_median_ms']:.3f}")
    out_dir = os.path.join(HERE, "out")
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "kernel_bench.json"), "w") as f:
        json.dump({"jar": args.jar, "results": results}, f, indent=2)


if __name__ == "__main__":
    main()
