"""Drives JupyterLab 4 and Notebook 7 in Debian's Chromium with Playwright, as a person would.

  .venv/bin/python browser_test.py --url http://127.0.0.1:PORT --token TOKEN --root DIR --screenshots DIR
                                   NOTEBOOK...

The server (started by NotebookBrowserIT) serves DIR, a copy of notebooks/. For each theme (JupyterLab
Light, JupyterLab Dark) and each interface (/lab, /notebooks), every NOTEBOOK is opened, run with
Run > Run All Cells, and checked against what its cells' metadata expect (run_notebooks.py documents
"pipescope": mime, text, rows, ename; cells tagged raises-exception must show an error, the others none).
Then a scratch notebook checks completion (Tab lists Pipescope helpers), inspection (Shift-Tab), the
interrupt button and a kernel restart. A screenshot of each opened notebook goes to --screenshots.
Playwright never downloads a browser: it runs /usr/bin/chromium (or --chromium).
Exit status 0 when every check passes; each failure is printed.
"""
import argparse
import json
import sys
import time
import urllib.request

from playwright.sync_api import sync_playwright, TimeoutError as PlaywrightTimeout

THEMES = {"light": "JupyterLab Light", "dark": "JupyterLab Dark"}
# a fresh JupyterLab workspace per page, so the tabs of earlier pages are not restored beside it
UIS = {"jupyterlab": "/lab/workspaces/{workspace}/tree/{path}", "notebook7": "/notebooks/{path}"}
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


class Server:
    def __init__(self, url, token):
        self.url = url.rstrip("/")
        self.token = token

    def call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers={"Authorization": "token " + self.token,
                                                  "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            text = response.read().decode()
            return json.loads(text) if text else None

    def set_theme(self, theme):
        self.call("PUT", "/lab/api/settings/@jupyterlab/apputils-extension:themes",
                  {"raw": json.dumps({"theme": theme})})

    def no_news(self):
        """JupyterLab's "get notified about news?" toast would cover the page."""
        self.call("PUT", "/lab/api/settings/@jupyterlab/apputils-extension:notification",
                  {"raw": json.dumps({"fetchNews": "false"})})

    def patient_completer(self):
        """JupyterLab drops a completion reply that takes over its providerTimeout (1 s by default); on two
        cores under a load average of 20 the kernel's first reply took longer, and Tab showed nothing."""
        self.call("PUT", "/lab/api/settings/@jupyterlab/completer-extension:manager",
                  {"raw": json.dumps({"providerTimeout": 20000})})

    def shut_down_kernels(self):
        for session in self.call("GET", "/api/sessions"):
            self.call("DELETE", "/api/sessions/" + session["id"])

    def notebook(self, path):
        return self.call("GET", "/api/contents/" + path)["content"]

    def put_notebook(self, path, sources):
        cells = [{"cell_type": "code", "source": s, "metadata": {}, "outputs": [], "execution_count": None}
                 for s in sources]
        self.call("PUT", "/api/contents/" + path, {"type": "notebook", "format": "json", "content": {
            "nbformat": 4, "nbformat_minor": 5, "cells": cells,
            "metadata": {"kernelspec": {"name": "pipescope", "display_name": "Pipescope (Java)", "language": "java"}}}})


class Checks:
    def __init__(self):
        self.failures = []
        self.passed = 0

    def expect(self, condition, what):
        if condition:
            self.passed += 1
        else:
            self.failures.append(what)
            print("FAIL " + what, flush=True)
        return condition


def wait_for_idle_kernel(page, timeout_ms=120_000):
    """The kernel has started and is idle (the status the toolbar shows)."""
    page.wait_for_function("""() => {
        const s = document.querySelector('.jp-Notebook-ExecutionIndicator, .jp-KernelStatus, [data-status]');
        const status = s && (s.getAttribute('data-status') || s.textContent || '');
        return /idle/i.test(status);
    }""", timeout=timeout_ms)


def kernel_started(page, server, path, seconds=120):
    """The page's session has a running Pipescope kernel; a "Select Kernel" dialog, which JupyterLab
    shows when it would not start one by itself, is answered with the notebook's own kernel."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        dialog = page.locator(".jp-Dialog .jp-mod-accept")
        if dialog.count() > 0 and dialog.first.is_visible():
            dialog.first.click()
        sessions = [s for s in server.call("GET", "/api/sessions") if s["path"] == path and s.get("kernel")]
        if sessions and sessions[0]["kernel"]["execution_state"] == "idle":
            return
        page.wait_for_timeout(500)
    raise TimeoutError(f"no idle kernel for {path} after {seconds} s")


def wait_for_execution(page, timeout_ms):
    """No code cell is queued or running ([*]), and every code cell has a number."""
    page.wait_for_function("""() => {
        const prompts = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')];
        return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
    }""", timeout=timeout_ms)


def open_notebook(page, server, ui, path):
    workspace = "w" + str(time.monotonic_ns())
    page.goto(server.url + UIS[ui].format(workspace=workspace, path=path) + "?token=" + server.token)
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
    kernel_started(page, server, path)
    wait_for_idle_kernel(page)


def menu(page, top, item):
    page.locator(".lm-MenuBar-item", has_text=top).first.click()
    page.get_by_role("menuitem", name=item, exact=True).first.click()


def cell_report(page):
    """What each cell shows: its kind, error count, text, tables (data rows) and pictures."""
    return page.evaluate("""() => [...document.querySelectorAll('.jp-Notebook .jp-Cell')].map(cell => {
        const out = cell.querySelector('.jp-OutputArea');
        const tables = out ? [...out.querySelectorAll('table')].map(t =>
            [...t.querySelectorAll('tbody tr')].filter(r => !r.classList.contains('pipescope-more')).length) : [];
        const pictures = out ? [...out.querySelectorAll('.jp-RenderedSVG img, .jp-RenderedSVG svg, .jp-RenderedImage img')]
            .filter(i => i.tagName.toLowerCase() === 'svg' || (i.complete && i.naturalWidth > 0)).length : 0;
        return {
            code: cell.classList.contains('jp-CodeCell'),
            errors: out ? out.querySelectorAll('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]').length : 0,
            text: out ? out.textContent : '',  // not innerText: it is empty for cells scrolled out of view (content-visibility)
            tables, pictures,
            svg: out ? out.querySelectorAll('.jp-RenderedSVG').length : 0,
            png: out ? out.querySelectorAll('.jp-RenderedImage').length : 0,
            markdown: out ? out.querySelectorAll('.jp-RenderedMarkdown').length : 0,
        };
    })""")


def check_notebook(checks, where, cells, shown):
    if not checks.expect(len(cells) == len(shown), f"{where}: {len(shown)} cells on the page, {len(cells)} in the file"):
        return
    for index, (cell, seen) in enumerate(zip(cells, shown), start=1):
        if cell["cell_type"] != "code":
            continue
        at = f"{where} cell {index}"
        expect = cell.get("metadata", {}).get("pipescope", {})
        raises = "raises-exception" in cell.get("metadata", {}).get("tags", [])
        if raises:
            # the page shows the traceback, not the error's name (run_notebooks.py checks that)
            checks.expect(seen["errors"] > 0, f"{at}: expected an error on the page, none shown")
            continue
        checks.expect(seen["errors"] == 0, f"{at}: shows an error: {seen['text'][:300]!r}")
        mime = expect.get("mime", [])
        if "text/html" in mime:
            checks.expect(len(seen["tables"]) > 0 or "<table" not in json.dumps(cell.get("outputs", [])),
                          f"{at}: no table on the page")
        if "rows" in expect:
            checks.expect(expect["rows"] in seen["tables"], f"{at}: no table of {expect['rows']} rows, saw {seen['tables']}")
        # a bundle of SVG and PNG is drawn once, as the richest type the page renders (SVG)
        if "image/svg+xml" in mime:
            checks.expect(seen["svg"] > 0 and seen["pictures"] > 0, f"{at}: no chart (SVG) drawn")
        elif "image/png" in mime:
            checks.expect(seen["png"] > 0 and seen["pictures"] > 0, f"{at}: no PNG picture drawn")
        if "text/markdown" in mime:
            checks.expect(seen["markdown"] > 0, f"{at}: no Markdown output")
        if "text" in expect:
            checks.expect(expect["text"] in seen["text"], f"{at}: {expect['text']!r} not in {seen['text'][:300]!r}")


def run_notebook(page, server, checks, ui, theme, path, screenshots):
    where = f"{ui}/{theme}/{path}"
    started = time.monotonic()
    open_notebook(page, server, ui, path)
    checks.expect(page.evaluate("document.body.dataset.jpThemeName") == THEMES[theme],
                  f"{where}: theme is {page.evaluate('document.body.dataset.jpThemeName')!r}")
    menu(page, "Run", "Run All Cells")
    try:
        wait_for_execution(page, 300_000)
    except PlaywrightTimeout:
        checks.expect(False, f"{where}: Run All Cells did not finish in 300 s")
    wait_for_idle_kernel(page)
    page.wait_for_timeout(500)  # the last outputs' pictures decode
    check_notebook(checks, where, server.notebook(path)["cells"], cell_report(page))
    # Run All leaves the view at the last cell; the picture shows the notebook from its top
    page.evaluate("""() => document.querySelectorAll('.jp-NotebookPanel *').forEach(e => { if (e.scrollTop > 0) e.scrollTop = 0; })""")
    page.wait_for_timeout(500)
    page.screenshot(path=f"{screenshots}/{ui}-{theme}-{path.replace('.ipynb', '')}.png")
    print(f"{where}: ran and checked in {time.monotonic() - started:.1f} s", flush=True)


def cell_editor(page, index):
    cell = page.locator(".jp-Notebook .jp-Cell").nth(index)
    cell.locator(".cm-content").click()
    return cell


def run_interactions(page, server, checks, ui, theme):
    """Completion, inspection, interrupt and restart in a scratch notebook of this interface and theme."""
    where = f"{ui}/{theme}/interactions"
    path = f"scratch-{ui}-{theme}.ipynb"
    server.put_notebook(path, ["int kept = 41;", "pipel", "runs(", "Thread.sleep(120_000);", "kept + 1",
                               "pipelines().rowCount()"])
    open_notebook(page, server, ui, path)

    # 1 run the first cell: state the restart must clear
    cell_editor(page, 0)
    page.keyboard.press("Shift+Enter")
    page.wait_for_function("""() => /\\[1\\]/.test(document.querySelector('.jp-Notebook .jp-CodeCell .jp-InputPrompt').textContent)""",
                           timeout=120_000)

    # 2 completion: Tab after "pipel" lists the helpers
    cell = cell_editor(page, 1)
    page.keyboard.press("End")
    page.keyboard.press("Tab")
    try:
        page.wait_for_selector(".jp-Completer .jp-Completer-item", timeout=30_000)
        items = page.locator(".jp-Completer .jp-Completer-item").all_inner_texts()
    except PlaywrightTimeout:
        items = []
    checks.expect(any("pipelines" in i for i in items), f"{where}: Tab after 'pipel' offered {items}, no pipelines()")
    page.keyboard.press("Escape")

    # 3 inspection: Shift-Tab inside "runs(" shows the helper's documentation
    cell_editor(page, 2)
    page.keyboard.press("End")
    page.keyboard.press("Shift+Tab")
    try:
        page.wait_for_selector(".jp-Tooltip", timeout=30_000)
        tip = page.locator(".jp-Tooltip").inner_text()
    except PlaywrightTimeout:
        tip = ""
    checks.expect("runs" in tip and "Table" in tip, f"{where}: Shift-Tab on 'runs(' showed {tip[:200]!r}")
    page.keyboard.press("Escape")

    # 4 interrupt: a two-minute sleep stops when the toolbar's stop button is pressed
    cell_editor(page, 3)
    page.keyboard.press("Control+Enter")
    page.wait_for_function("""() => /\\[\\*\\]/.test(document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')[3].textContent)""",
                           timeout=30_000)
    page.wait_for_timeout(1000)
    pressed = time.monotonic()
    page.locator('.jp-NotebookPanel-toolbar [data-command="notebook:interrupt-kernel"]').first.click()
    page.wait_for_function("""() => /\\[\\d+\\]/.test(document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')[3].textContent)""",
                           timeout=60_000)
    stopped = time.monotonic() - pressed
    checks.expect(stopped < 30, f"{where}: the interrupted cell ended {stopped:.0f} s after the stop button")
    interrupted = cell_report(page)[3]
    checks.expect(seen_interrupted(interrupted["text"]), f"{where}: the interrupted cell says {interrupted['text'][:200]!r}")

    # the kernel still answers, with its state: kept + 1 is 42
    cell_editor(page, 4)
    page.keyboard.press("Control+Enter")
    page.wait_for_function("""() => /\\[\\d+\\]/.test(document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')[4].textContent)""",
                           timeout=60_000)
    checks.expect("42" in cell_report(page)[4]["text"], f"{where}: after the interrupt, kept + 1 gave {cell_report(page)[4]['text'][:200]!r}")

    # 5 restart: the toolbar's restart button, confirmed; variables are gone, the helpers are back
    page.locator('.jp-NotebookPanel-toolbar [data-command="notebook:restart-kernel"]').first.click()
    page.locator(".jp-Dialog .jp-mod-accept").click()
    page.wait_for_timeout(1000)
    wait_for_idle_kernel(page)
    for index in (4, 5):
        cell_editor(page, index)
        page.keyboard.press("Control+Enter")
        page.wait_for_function(f"""() => {{
            const p = document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')[{index}].textContent;
            return /\\[\\d+\\]/.test(p) && !/\\[\\*\\]/.test(p);
        }}""", timeout=120_000)
        wait_for_idle_kernel(page)
    after = cell_report(page)
    checks.expect(after[4]["errors"] > 0 and "kept" in after[4]["text"],
                  f"{where}: after the restart, 'kept' should be unknown, cell shows {after[4]['text'][:200]!r}")
    checks.expect(after[5]["errors"] == 0 and any(c.isdigit() for c in after[5]["text"]),
                  f"{where}: after the restart, pipelines() gave {after[5]['text'][:200]!r}")
    print(f"{where}: completion, inspection, interrupt and restart checked", flush=True)


def seen_interrupted(text):
    return "nterrupt" in text


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--screenshots", required=True)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--themes", default="light,dark")
    parser.add_argument("--uis", default="jupyterlab,notebook7")
    parser.add_argument("notebooks", nargs="+")
    args = parser.parse_args()
    server = Server(args.url, args.token)
    checks = Checks()
    server.no_news()
    server.patient_completer()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
        for theme in args.themes.split(","):
            server.set_theme(THEMES[theme])
            for ui in args.uis.split(","):
                context = browser.new_context(viewport={"width": 1280, "height": 1000})
                page = context.new_page()
                page.set_default_timeout(60_000)
                for path in args.notebooks:
                    try:
                        run_notebook(page, server, checks, ui, theme, path, args.screenshots)
                    except Exception as e:  # one notebook's failure is reported, the others still run
                        checks.expect(False, f"{ui}/{theme}/{path}: {type(e).__name__}: {e}")
                        page.screenshot(path=f"{args.screenshots}/failed-{ui}-{theme}-{path}.png")
                    server.shut_down_kernels()
                try:
                    run_interactions(page, server, checks, ui, theme)
                except Exception as e:
                    checks.expect(False, f"{ui}/{theme}/interactions: {type(e).__name__}: {e}")
                    page.screenshot(path=f"{args.screenshots}/failed-{ui}-{theme}-interactions.png")
                server.shut_down_kernels()
                context.close()
        browser.close()
    print(f"browser: {checks.passed} passed, {len(checks.failures)} failed", flush=True)
    return 1 if checks.failures else 0


if __name__ == "__main__":
    sys.exit(main())
