"""Executes notebooks with nbclient against the installed Pipescope kernelspec and checks their outputs.

  JUPYTER_PATH=<prefix>/share/jupyter /usr/bin/python3 run_notebooks.py [--out DIR] NOTEBOOK...

Every code cell must run without an error output, except cells tagged "raises-exception", which must
raise one. A code cell may state what its outputs must contain in its metadata:

  "pipescope": {"mime": ["text/html"],   # MIME types among the cell's rich outputs
                "text": "Wall time:",    # text in its streams or text/plain outputs
                "rows": 3,               # body rows (<tr> in <tbody>) of its text/html output
                "ename": "CompileError"} # the error's name (with the raises-exception tag)

The kernel inherits this process's environment, so PIPESCOPE_DB and fixture paths pass through.
Exit status 0 when every notebook passes; failures are listed on stderr.
"""
import argparse
import os
import re
import sys

import nbformat
from nbclient import NotebookClient

KERNEL = os.environ.get("PIPESCOPE_KERNEL_NAME", "pipescope")


def cell_texts(cell):
    for out in cell.outputs:
        if out.output_type == "stream":
            yield out.text
        elif out.output_type in ("execute_result", "display_data"):
            text = out.get("data", {}).get("text/plain")
            if text is not None:
                yield text if isinstance(text, str) else "".join(text)
        elif out.output_type == "error":
            yield out.ename + ": " + out.evalue


def html_body_rows(html):
    """Data rows only: a renderer's "N more rows" marker row is not one."""
    body = re.search(r"<tbody>(.*?)</tbody>", html, re.S)
    rows = re.findall(r"<tr([\s>][^>]*)", body.group(1) if body else html)
    data = [r for r in rows if "pipescope-more" not in r]
    return len(data) if body else max(0, len(data) - 1)


def check(nb, name):
    problems = []
    for index, cell in enumerate(nb.cells, start=1):
        if cell.cell_type != "code":
            continue
        where = f"{name} cell {index}"
        if cell.execution_count is None:
            problems.append(f"{where}: did not run")
            continue
        errors = [o for o in cell.outputs if o.output_type == "error"]
        expect = cell.metadata.get("pipescope", {})
        if "raises-exception" in cell.metadata.get("tags", []):
            if not errors:
                problems.append(f"{where}: expected an error, none raised")
            elif "ename" in expect and errors[0].ename != expect["ename"]:
                problems.append(f"{where}: expected {expect['ename']}, got {errors[0].ename}: {errors[0].evalue}")
        elif errors:
            problems.append(f"{where}: {errors[0].ename}: {errors[0].evalue}\n    " + "\n    ".join(errors[0].traceback))
        mimes = set()
        html = []
        for out in cell.outputs:
            if out.output_type in ("execute_result", "display_data"):
                mimes.update(out.get("data", {}).keys())
                if "text/html" in out.data:
                    value = out.data["text/html"]
                    html.append(value if isinstance(value, str) else "".join(value))
        for mime in expect.get("mime", []):
            if mime not in mimes:
                problems.append(f"{where}: no {mime} output (got {sorted(mimes)})")
        if "text" in expect and not any(expect["text"] in t for t in cell_texts(cell)):
            problems.append(f"{where}: no output contains {expect['text']!r}")
        if "rows" in expect:
            counts = [html_body_rows(h) for h in html]
            if expect["rows"] not in counts:
                problems.append(f"{where}: expected a table of {expect['rows']} rows, found {counts or 'no table'}")
    return problems


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", help="directory for the executed notebooks")
    parser.add_argument("--timeout", type=int, default=120, help="seconds per cell")
    parser.add_argument("notebooks", nargs="+")
    args = parser.parse_args()
    failures = []
    for path in args.notebooks:
        name = os.path.basename(path)
        nb = nbformat.read(path, as_version=4)
        client = NotebookClient(nb, kernel_name=KERNEL, timeout=args.timeout, allow_errors=False,
                                resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}})
        try:
            client.execute()
            problems = check(nb, name)
        except Exception as e:  # nbclient raises on an unexpected error output: report it as the failure
            problems = [f"{name}: {type(e).__name__}: {e}"]
        if args.out:
            os.makedirs(args.out, exist_ok=True)
            nbformat.write(nb, os.path.join(args.out, name))
        status = "ok" if not problems else f"{len(problems)} problem(s)"
        print(f"{name}: {status}", flush=True)
        failures.extend(problems)
    for problem in failures:
        print(problem, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
