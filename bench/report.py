"""Report writer of the peer benchmark: turns bench/results/peers.json into Markdown and a chart.

  /usr/bin/python3 bench/report.py [bench/results/peers.json] [--md BENCHMARKS.md] [--svg bench/results/peers.svg]

bench/peers.py calls it after a run (or import it: write_report(results, md_path, svg_path)). It
replaces the section between <!-- peers:start --> and <!-- peers:end --> in BENCHMARKS.md (or inserts
it after the "## Summary" section when the markers are missing) and writes an SVG bar chart.

Every ratio is Pipescope's median time divided by the peer's median time, both measured in the same
run: below 1 Pipescope is faster. A workload without measurements is reported as "not measured".
Standard library only, so that it runs wherever the benchmark's Python does.
"""
import argparse
import json
import math
import os
import statistics
import sys
from xml.sax.saxutils import escape

HERE = os.path.dirname(os.path.abspath(__file__))
PROJECT = os.path.dirname(HERE)

START_MARKER = "<!-- peers:start -->"
END_MARKER = "<!-- peers:end -->"
REFERENCE = "pipescope"

# Report order, with what each workload measures (the systems' own labels say how).
WORKLOADS = {
    "load_runs": "every run, with its pipeline's name and parsed timestamps, into a data frame",
    "throughput_by_day": "throughput per pipeline per UTC day over succeeded runs",
    "lookups": "pipelines looked up by name, each as its whole aggregate",
    "record_runs": "100,000 new runs written to a copy of the database",
    "decode_snapshots": "DAG snapshots decoded from their stored form",
    "kernel_ready": "Jupyter kernel start until it answers",
    "kernel_first_result": "Jupyter kernel start until the first cell's result",
    "kernel_trivial_cell": "round trip of a trivial cell",
    "kernel_runs_cell": "a cell that loads the runs",
    "cold_start": "process start until the first result",
}

# Extra column per workload: a rate, from the count in the measurement's own check.
RATES = {
    "lookups": ("lookups/s", "lookups", 20000),
    "record_runs": ("runs/s", "rows_after", 100000),
}

# Chart geometry (SVG user units); the ratio axis is log2 from 1/8x to 8x.
CHART_WIDTH = 900
PLOT_LEFT = 330
PLOT_RIGHT = 820
LABEL_RIGHT = 250
LOG2_MIN, LOG2_MAX = -3, 3
FASTER = "#2e7d32"
SLOWER = "#e8710a"
INK = "#222222"
GRID = "#d0d0d0"
ALERT = "#b00020"


def scale_key(scale):
    """Orders "-" < "10K" < "100K" < "1M" (and any other count written with K or M)."""
    text = str(scale).strip().upper()
    factor = {"K": 1e3, "M": 1e6}.get(text[-1:], 1)
    number = text[:-1] if factor != 1 else text
    try:
        return float(number) * factor
    except ValueError:
        return -1.0


def median_of(measurement):
    seconds = measurement.get("seconds") or []
    return statistics.median(seconds) if seconds else None


def fmt_time(seconds):
    if seconds is None:
        return "—"
    value, unit = (seconds * 1000, "ms") if seconds < 1 else (seconds, "s")
    # Three significant figures, trailing zeros kept so that a column reads evenly.
    decimals = 2 if value < 10 else 1 if value < 100 else 0
    return f"{value:.{decimals}f} {unit}"


def fmt_ratio(ratio):
    if ratio is None:
        return "—"
    if ratio >= 10:
        return f"{ratio:.1f}x"
    return f"{ratio:.2f}x" if ratio >= 0.1 else f"{ratio:.3f}x"


def fmt_count(value):
    return f"{value:,.0f}"


def cell(text):
    return str(text).replace("|", "\\|").replace("\n", " ")


class Results:
    """The measurements indexed by (workload, scale, system), with Pipescope's ratio to each peer."""

    def __init__(self, results):
        self.raw = results
        self.by_key = {}
        self.order = []
        for m in results.get("measurements") or []:
            key = (m.get("workload"), str(m.get("scale", "-")), m.get("system"))
            if None in key or key in self.by_key:
                continue
            self.by_key[key] = m
            self.order.append(key)

    def workloads(self):
        """The known workloads in report order, then any others the results hold."""
        seen = {w for w, _, _ in self.order}
        return list(WORKLOADS) + sorted(seen - set(WORKLOADS))

    def measured(self, workload):
        return any(w == workload and median_of(self.by_key[(w, s, y)]) is not None
                   for w, s, y in self.order)

    def scales(self, workload):
        return sorted({s for w, s, _ in self.order if w == workload}, key=scale_key)

    def systems(self, workload, scale):
        """Pipescope first, then the peers in the order the orchestrator recorded them."""
        systems = [y for w, s, y in self.order if w == workload and s == scale]
        return sorted(systems, key=lambda y: y != REFERENCE)

    def median(self, workload, scale, system):
        m = self.by_key.get((workload, scale, system))
        return median_of(m) if m else None

    def ratio(self, workload, scale, peer):
        mine = self.median(workload, scale, REFERENCE)
        theirs = self.median(workload, scale, peer)
        if mine is None or not theirs:
            return None
        return mine / theirs

    def label(self, workload, scale, system):
        m = self.by_key.get((workload, scale, system)) or {}
        return m.get("label") or system

    def chart_scale(self, workload, peer):
        """The largest scale at which both Pipescope and this peer have a median."""
        for scale in reversed(self.scales(workload)):
            if self.ratio(workload, scale, peer) is not None:
                return scale
        return None

    def peers(self, workload):
        peers = []
        for w, _, y in self.order:
            if w == workload and y != REFERENCE and y not in peers:
                peers.append(y)
        return peers

    def mismatch(self, workload, scale, system):
        """The orchestrator's note when this system's or Pipescope's check disagreed, else None."""
        for who in (system, REFERENCE):
            m = self.by_key.get((workload, scale, who)) or {}
            if m.get("check_mismatch"):
                return m["check_mismatch"]
        return None

    def targets(self, workload):
        return [t for t in self.raw.get("targets") or [] if t.get("workload") == workload]

    def target_for(self, workload, scale, peer):
        for t in self.targets(workload):
            if str(t.get("scale", "-")) == scale and t.get("peer") == peer:
                return t
        return None


def target_verdict(target, ratio):
    """("≤ 0.7x", "met" / "missed: 0.82x vs ≤ 0.7x" / "not measured")."""
    if "max" in target:
        bound = f"≤ {fmt_ratio(target['max'])}"
        if ratio is None:
            return bound, "not measured"
        if ratio <= target["max"]:
            return bound, "met"
        return bound, f"**missed**: {fmt_ratio(ratio)} vs {bound}"
    if "min" in target:
        bound = f"≥ {fmt_ratio(target['min'])}"
        if ratio is None:
            return bound, "not measured"
        if ratio >= target["min"]:
            return bound, "met"
        return bound, f"**missed**: {fmt_ratio(ratio)} vs {bound}"
    return target.get("text") or "—", "not evaluated (no max or min)"


def machine_line(machine):
    parts = []
    if machine.get("cores"):
        parts.append(f"{machine['cores']} cores")
    if machine.get("memory_gib"):
        parts.append(f"{machine['memory_gib']} GiB")
    for key in ("cpu", "os"):
        if machine.get(key):
            parts.append(str(machine[key]))
    names = [("java", "Java"), ("python", "Python"), ("pandas", "pandas"),
             ("sqlite_python", "SQLite (Python)"), ("sqlite_jdbc", "sqlite-jdbc"), ("sqlite_cli", "sqlite3 CLI")]
    parts += [f"{title} {machine[key]}" for key, title in names if machine.get(key)]
    return ", ".join(parts) if parts else "not recorded"


def summary_rows(res):
    """One row per peer at each workload's largest scale, plus every target at whatever scale."""
    rows = []
    for workload in res.workloads():
        if not res.measured(workload):
            for t in res.targets(workload):
                bound, verdict = target_verdict(t, None)
                rows.append([f"`{workload}`", str(t.get("scale", "-")), cell(t.get("peer") or "—"),
                             "—", "—", "not measured", bound, verdict])
            if workload in WORKLOADS and not res.targets(workload):
                rows.append([f"`{workload}`", "—", "—", "—", "—", "not measured", "", ""])
            continue
        keys = []
        for peer in res.peers(workload):
            scale = res.chart_scale(workload, peer)
            if scale is not None:
                keys.append((scale, peer))
        for t in res.targets(workload):
            key = (str(t.get("scale", "-")), t.get("peer"))
            if key not in keys:
                keys.append(key)
        if not keys:
            scale = res.scales(workload)[-1]
            whom = "(no Pipescope figure)" if res.peers(workload) else "(no peer)"
            rows.append([f"`{workload}`", scale, whom, fmt_time(res.median(workload, scale, REFERENCE)),
                         "—", "—", "", ""])
            continue
        keys.sort(key=lambda k: (scale_key(k[0]), res.peers(workload).index(k[1])
                                 if k[1] in res.peers(workload) else len(keys)))
        for scale, peer in keys:
            ratio = res.ratio(workload, scale, peer)
            target = res.target_for(workload, scale, peer)
            bound, verdict = target_verdict(target, ratio) if target else ("", "")
            shown = f"**{fmt_ratio(ratio)}**" if ratio is not None else "not measured"
            if res.mismatch(workload, scale, peer):
                shown += " (checks disagreed)"
            rows.append([f"`{workload}`", scale, cell(peer or "—"),
                         fmt_time(res.median(workload, scale, REFERENCE)),
                         fmt_time(res.median(workload, scale, peer)) if peer else "—", shown, bound, verdict])
    return rows


def target_lines(res, workload):
    lines = []
    for t in res.targets(workload):
        scale = str(t.get("scale", "-"))
        bound, verdict = target_verdict(t, res.ratio(workload, scale, t.get("peer")))
        text = t.get("text") or f"{bound} {t.get('peer')}"
        where = f"at {scale}, " if scale != "-" else ""
        lines += [f"Target ({where}against {t.get('peer')}): {text}: {verdict}.", ""]
    return lines


def workload_section(res, workload):
    lines = [f"### `{workload}`", ""]
    what = WORKLOADS.get(workload)
    what = what[0].upper() + what[1:] if what else None
    if not res.measured(workload):
        lines += [f"{what}: not measured in this run." if what else "Not measured in this run.", ""]
        return lines + target_lines(res, workload)
    if what:
        lines += [f"{what}.", ""]
    rate = RATES.get(workload)
    header = ["scale", "system", "median", "spread (min–max)", "Pipescope ÷ this"]
    if rate:
        header.append(rate[0])
    lines += ["| " + " | ".join(header) + " |",
              "|" + "|".join(["---", "---", "---:", "---", "---:"] + (["---:"] if rate else [])) + "|"]
    mismatches = []
    for scale in res.scales(workload):
        for system in res.systems(workload, scale):
            m = res.by_key[(workload, scale, system)]
            median = median_of(m)
            seconds = m.get("seconds") or []
            label = cell(res.label(workload, scale, system))
            if system == REFERENCE:
                label = f"**{label}**"
            if median is None:
                row = [scale, label, "failed: " + cell(m.get("error") or "no timings"), "", ""]
                if rate:
                    row.append("")
            else:
                ratio = "reference" if system == REFERENCE else fmt_ratio(res.ratio(workload, scale, system))
                row = [scale, label, fmt_time(median), f"{fmt_time(min(seconds))} – {fmt_time(max(seconds))}", ratio]
                if rate:
                    count = (m.get("check") or {}).get(rate[1]) or rate[2]
                    row.append(fmt_count(count / median) if median > 0 else "—")
            lines.append("| " + " | ".join(row) + " |")
            if m.get("check_mismatch"):
                mismatches.append(f"{scale} {system}: {cell(m['check_mismatch'])}")
    lines.append("")
    lines += target_lines(res, workload)
    if mismatches:
        lines += ["**Checks disagreed** (the systems did not do the same work, so their times do not compare):", ""]
        lines += [f"- {text}" for text in mismatches]
        lines.append("")
    return lines


def markdown(res, svg_link):
    raw = res.raw
    load = raw.get("load") or []
    reps = raw.get("reps")
    when = raw.get("started") or "not recorded"
    if raw.get("finished"):
        when += f" to {raw['finished']}"
    lines = [
        START_MARKER,
        "## Pipescope against its peers",
        "",
        "Pipescope against what a user would otherwise reach for (pandas, Python's `sqlite3`, raw JDBC, the",
        "`sqlite3` CLI, JShell's remote agent) on the same demo databases, all measured in one run. Run it",
        "with `bench/run`: `bench/peers.py` measures, `bench/report.py` writes this section and the chart;",
        "the raw figures are in `bench/results/peers.json`.",
        "Each system runs in a long-lived worker, gets one untimed warm-up, then the systems take turns",
        f"for {reps if reps else 'several'} repetitions (three times as many for lookups and snapshot decoding,"
        " which take under a second). **Ratio = Pipescope median time ÷ peer median time**:",
        "below 1 Pipescope is faster, above 1 it is slower.",
        "",
        f"Machine: {machine_line(raw.get('machine') or {})}.",
        "",
        f"Run: {when}; "
        + (f"{reps} repetitions; " if reps else "")
        + (f"load average {min(load):.1f}–{max(load):.1f} while it ran." if load else "load not recorded.")
        + (f" Merged: {raw['merged']}." if raw.get("merged") else ""),
        "",
        f"![Pipescope time ÷ peer time, largest scale of each workload]({svg_link})",
        "",
    ]
    rows = summary_rows(res)
    targets = [r for r in rows if r[6]]
    met = sum(1 for r in targets if r[7] == "met")
    unmeasured = sum(1 for r in targets if r[7] == "not measured")
    if targets:
        lines += [f"Targets met: {met} of {len(targets)}"
                  + (f" ({unmeasured} not measured)." if unmeasured else "."), ""]
    lines += ["| workload | scale | peer | Pipescope | peer | Pipescope ÷ peer | target | result |",
              "|---|---|---|---:|---:|---:|---|---|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    lines.append("")
    mismatched = [k for k in res.order if res.by_key[k].get("check_mismatch")]
    if mismatched:
        lines += [f"Checks disagreed for {len(mismatched)} measurement(s); see the workloads below.", ""]
    for workload in res.workloads():
        if workload in WORKLOADS or res.measured(workload):
            lines += workload_section(res, workload)
    lines.append(END_MARKER)
    return "\n".join(lines) + "\n"


def x_of(ratio):
    position = min(max(math.log2(ratio), LOG2_MIN), LOG2_MAX)
    return PLOT_LEFT + (position - LOG2_MIN) / (LOG2_MAX - LOG2_MIN) * (PLOT_RIGHT - PLOT_LEFT)


def wrap_names(names, width):
    """'Not measured: a, b, ...' in lines of at most about width characters (SVG 1.1 does not wrap)."""
    lines, line = [], "Not measured:"
    for i, name in enumerate(names):
        item = f" {name}" + ("," if i < len(names) - 1 else "")
        if len(line) + len(item) > width:
            lines.append(line)
            line = " "
        line += item
    return lines + [line] if names else []


def svg_chart(res):
    """Horizontal bars from 1x to the ratio, one per (workload, peer) at the workload's largest scale."""
    groups = []
    not_measured = []
    for workload in res.workloads():
        bars = []
        for peer in res.peers(workload):
            scale = res.chart_scale(workload, peer)
            if scale is not None:
                target = res.target_for(workload, scale, peer)
                bars.append((peer, scale, res.ratio(workload, scale, peer), target))
        if bars:
            groups.append((workload, bars))
        elif workload in WORKLOADS and not res.measured(workload):
            not_measured.append(workload)

    top = 72
    header_h, bar_h, row_h = 22, 14, 24
    body = sum(header_h + row_h * len(bars) for _, bars in groups) or row_h
    bottom = top + body + 8
    not_measured_lines = wrap_names(not_measured, 120)
    height = bottom + 64 + 16 * len(not_measured_lines)
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{CHART_WIDTH}" height="{height}" '
        f'viewBox="0 0 {CHART_WIDTH} {height}" font-family="DejaVu Sans, Arial, Helvetica, sans-serif">',
        '<title>Pipescope median time divided by peer median time</title>',
        # Its own background so that it reads the same on light and dark pages.
        f'<rect x="0" y="0" width="{CHART_WIDTH}" height="{height}" fill="#ffffff"/>',
        f'<text x="20" y="26" font-size="16" font-weight="bold" fill="{INK}">'
        'Pipescope time ÷ peer time (largest scale measured, log scale)</text>',
        f'<text x="20" y="45" font-size="12" fill="#555555">'
        'Left of 1x Pipescope is faster, right of it slower; the number is the ratio of medians.</text>',
    ]
    for power in range(LOG2_MIN, LOG2_MAX + 1):
        x = x_of(2.0 ** power)
        if power != 0:
            out.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{bottom}" stroke="{GRID}" stroke-width="1"/>')
        out.append(f'<text x="{x:.1f}" y="{bottom + 16}" font-size="11" text-anchor="middle" fill="{INK}">'
                   f'{2.0 ** power:g}x</text>')

    y = top
    for workload, bars in groups:
        out.append(f'<text x="20" y="{y + 15}" font-size="13" font-weight="bold" fill="{INK}">'
                   f'{escape(workload)}</text>')
        y += header_h
        for peer, scale, ratio, target in bars:
            mid = y + row_h / 2
            name = peer if scale == "-" else f"{peer} ({scale})"
            out.append(f'<text x="{LABEL_RIGHT}" y="{mid + 4:.1f}" font-size="12" text-anchor="end" fill="{INK}">'
                       f'{escape(name)}</text>')
            one, end = x_of(1.0), x_of(ratio)
            left, width = min(one, end), max(abs(end - one), 1.5)
            colour = FASTER if ratio < 1 else SLOWER
            out.append(f'<rect x="{left:.1f}" y="{mid - bar_h / 2:.1f}" width="{width:.1f}" height="{bar_h}" '
                       f'fill="{colour}"/>')
            if ratio < 1:
                out.append(f'<text x="{end - 4:.1f}" y="{mid + 4:.1f}" font-size="11" text-anchor="end" '
                           f'fill="{INK}">{fmt_ratio(ratio)}</text>')
            else:
                out.append(f'<text x="{end + 4:.1f}" y="{mid + 4:.1f}" font-size="11" fill="{INK}">'
                           f'{fmt_ratio(ratio)}</text>')
            notes = []
            if target and target_verdict(target, ratio)[1] not in ("met", "not measured"):
                notes.append("target missed")
            if res.mismatch(workload, scale, peer):
                notes.append("checks disagreed")
            if notes:
                # On the far side of the 1x line, where this row has no bar and no value.
                side = f'x="{one + 6:.1f}"' if ratio < 1 else f'x="{one - 6:.1f}" text-anchor="end"'
                out.append(f'<text {side} y="{mid + 4:.1f}" font-size="10" font-style="italic" fill="{ALERT}">'
                           f'{escape(", ".join(notes))}</text>')
            bound = target and (target.get("max") or target.get("min"))
            if bound:
                tx = x_of(bound)
                out.append(f'<line x1="{tx:.1f}" y1="{mid - bar_h / 2 - 3:.1f}" x2="{tx:.1f}" '
                           f'y2="{mid + bar_h / 2 + 3:.1f}" stroke="{INK}" stroke-width="2"/>')
                out.append(f'<text x="{tx + 3:.1f}" y="{mid - bar_h / 2 - 1:.1f}" font-size="9" fill="{INK}">'
                           'target</text>')
            y += row_h
    if not groups:
        out.append(f'<text x="20" y="{top + 16}" font-size="12" fill="{INK}">no peer measured</text>')

    # Drawn last so the bars do not hide it.
    one = x_of(1.0)
    out.append(f'<line x1="{one:.1f}" y1="{top - 4}" x2="{one:.1f}" y2="{bottom}" stroke="{INK}" stroke-width="1.5"/>')
    out.append(f'<text x="{one:.1f}" y="{top - 7}" font-size="11" text-anchor="middle" fill="{INK}">'
               'as fast as the peer</text>')
    legend_y = bottom + 40
    out += [
        f'<rect x="{PLOT_LEFT}" y="{legend_y - 10}" width="12" height="12" fill="{FASTER}"/>',
        f'<text x="{PLOT_LEFT + 18}" y="{legend_y}" font-size="12" fill="{INK}">Pipescope faster</text>',
        f'<rect x="{PLOT_LEFT + 150}" y="{legend_y - 10}" width="12" height="12" fill="{SLOWER}"/>',
        f'<text x="{PLOT_LEFT + 168}" y="{legend_y}" font-size="12" fill="{INK}">Pipescope slower</text>',
        f'<line x1="{PLOT_LEFT + 306}" y1="{legend_y - 11}" x2="{PLOT_LEFT + 306}" y2="{legend_y + 3}" '
        f'stroke="{INK}" stroke-width="2"/>',
        f'<text x="{PLOT_LEFT + 312}" y="{legend_y}" font-size="12" fill="{INK}">target</text>',
    ]
    for i, line in enumerate(not_measured_lines):
        out.append(f'<text x="20" y="{legend_y + 22 + 16 * i}" font-size="11" fill="#555555">'
                   f'{escape(line)}</text>')
    out.append('</svg>')
    return "\n".join(out) + "\n"


def merge_section(document, section):
    """The document with the peers section replaced, or inserted after "## Summary"'s section."""
    start, end = document.find(START_MARKER), document.find(END_MARKER)
    if start != -1 and end > start:
        tail = document[end + len(END_MARKER):]
        return document[:start] + section.rstrip("\n") + tail
    if start != -1 or end != -1:
        raise ValueError(f"only one of {START_MARKER} and {END_MARKER} is in the document, or in the wrong order")
    lines = document.splitlines(keepends=True)
    summary = next((i for i, line in enumerate(lines) if line.rstrip() == "## Summary"), None)
    if summary is not None:
        following = next((i for i in range(summary + 1, len(lines)) if lines[i].startswith("## ")), None)
        if following is not None:
            return "".join(lines[:following]) + section + "\n" + "".join(lines[following:])
    return document.rstrip("\n") + "\n\n" + section


def write_atomically(path, text):
    temporary = path + ".tmp"
    with open(temporary, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(temporary, path)


def write_report(results, md_path, svg_path):
    res = Results(results)
    svg_link = os.path.relpath(svg_path, os.path.dirname(os.path.abspath(md_path))).replace(os.sep, "/")
    with open(md_path, encoding="utf-8") as f:
        document = f.read()
    try:
        updated = merge_section(document, markdown(res, svg_link))
    except ValueError as e:
        raise ValueError(f"{md_path}: {e}") from e
    os.makedirs(os.path.dirname(os.path.abspath(svg_path)), exist_ok=True)
    write_atomically(svg_path, svg_chart(res))
    write_atomically(md_path, updated)


def main(argv=None):
    parser = argparse.ArgumentParser(description="Write the peer benchmark's report from its results JSON.")
    parser.add_argument("results", nargs="?", default=os.path.join(PROJECT, "bench", "results", "peers.json"))
    parser.add_argument("--md", default=os.path.join(PROJECT, "BENCHMARKS.md"))
    parser.add_argument("--svg", default=os.path.join(PROJECT, "bench", "results", "peers.svg"))
    args = parser.parse_args(argv)
    try:
        with open(args.results, encoding="utf-8") as f:
            results = json.load(f)
        write_report(results, args.md, args.svg)
    except (OSError, ValueError) as e:
        print(f"report.py: {e}", file=sys.stderr)
        return 1
    print(f"report.py: wrote {args.md} and {args.svg}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
