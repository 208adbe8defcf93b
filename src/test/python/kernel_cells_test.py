"""What a cell is, seen through a real jupyter_client: which lines are magics, which cells show a value,
is_complete on cell magics, cursor positions in code points, tooltips of overloaded methods, and values
kept across a method's redefinition.

Run with Debian's Python: JUPYTER_PATH=<prefix>/share/jupyter /usr/bin/python3 kernel_cells_test.py -v
The kernelspec named by PIPESCOPE_KERNEL_NAME (default "pipescope") must be installed on JUPYTER_PATH.
"""
import os
import unittest

from jupyter_client.manager import KernelManager

KERNEL = os.environ.get("PIPESCOPE_KERNEL_NAME", "pipescope")
TIMEOUT = 60


def reply_to(kc, msg_id, get):
    reply = get(timeout=TIMEOUT)
    while reply["parent_header"].get("msg_id") != msg_id:
        reply = get(timeout=TIMEOUT)
    return reply["content"]


def execute(kc, code):
    """Runs code; returns (reply content, list of (msg_type, content) iopub outputs)."""
    msg_id = kc.execute(code)
    outputs = []
    while True:
        msg = kc.get_iopub_msg(timeout=TIMEOUT)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind = msg["msg_type"]
        if kind == "status" and msg["content"]["execution_state"] == "idle":
            break
        if kind in ("stream", "execute_result", "display_data", "error"):
            outputs.append((kind, msg["content"]))
    return reply_to(kc, msg_id, kc.get_shell_msg), outputs


def results(outputs):
    return [c["data"]["text/plain"] for k, c in outputs if k == "execute_result"]


class Cells(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.km = KernelManager(kernel_name=KERNEL)
        cls.km.start_kernel()
        cls.kc = cls.km.client()
        cls.kc.start_channels()
        cls.kc.wait_for_ready(timeout=TIMEOUT)

    @classmethod
    def tearDownClass(cls):
        cls.kc.stop_channels()
        cls.km.shutdown_kernel(now=False)

    def is_complete(self, code):
        return reply_to(self.kc, self.kc.is_complete(code), self.kc.get_shell_msg)

    def complete(self, code, cursor):
        return reply_to(self.kc, self.kc.complete(code, cursor), self.kc.get_shell_msg)

    def inspect(self, code, cursor):
        return reply_to(self.kc, self.kc.inspect(code, cursor), self.kc.get_shell_msg)

    def test_is_complete_takes_cell_magic_cells(self):
        self.assertEqual(self.is_complete("%%sql\nSELECT 1 AS x")["status"], "complete")
        self.assertEqual(self.is_complete("%%sql")["status"], "incomplete")
        self.assertEqual(self.is_complete("%%time\nfor (int i = 0; i < 3; i++) {")["status"], "incomplete")
        self.assertEqual(self.is_complete("int minRuns = 1;\n%%sql\nSELECT 1")["status"], "invalid")

    def test_completion_counts_code_points(self):
        code = 'String t = "\U0001D41A\U0001D41A"; Math.ma'
        self.assertEqual(len(code), 24)  # Python counts code points, as the protocol does
        reply = self.complete(code, len(code))
        self.assertIn("max(", reply["matches"])
        self.assertEqual(reply["cursor_start"], 22)
        self.assertEqual(reply["cursor_end"], 24)

    def test_inspection_counts_code_points(self):
        reply = self.inspect('String t = "\U0001D41A\U0001D41A"; Math.max(1, 2)', 23)
        self.assertTrue(reply["found"])
        self.assertIn("Math.max(int a, int b)", reply["data"]["text/plain"])

    def test_an_overloaded_methods_tooltip_lists_each_signature_once(self):
        reply, _ = execute(self.kc, "String tag(String t, int width) { return tag(t); }\nString tag(String t) { return t; }")
        self.assertEqual(reply["status"], "ok", reply)
        for code in ("tag(", "runs("):
            reply = self.inspect(code, len(code))
            self.assertTrue(reply["found"], code)
            signatures = [entry.splitlines()[0] for entry in reply["data"]["text/plain"].split("\n\n")]
            self.assertGreaterEqual(len(signatures), 2, signatures)
            self.assertEqual(len(signatures), len(set(signatures)), signatures)
        self.assertEqual(set(signatures_of(self.inspect("tag(", 4))), {"String tag(String t, int width)", "String tag(String t)"})

    def test_percent_lines_inside_java_are_java(self):
        reply, outputs = execute(self.kc, 'String template = """\n    %s ran %d times\n    """;\nString.format(template, "ingest", 3)')
        self.assertEqual(reply["status"], "ok", reply)
        self.assertEqual(results(outputs), ["ingest ran 3 times\n"])
        reply, outputs = execute(self.kc, "int a = 7, b = 4;\nint r = a\n    %b;\nr")
        self.assertEqual(reply["status"], "ok", reply)
        self.assertEqual(results(outputs), ["3"])

    def test_a_cell_magic_below_java_says_it_must_come_first(self):
        reply, _ = execute(self.kc, "int minRuns = 1;\n%%sql\nSELECT 1 AS x")
        self.assertEqual(reply["status"], "error")
        self.assertEqual(reply["ename"], "MagicError")
        self.assertIn("%%sql must be the first line of its cell", reply["evalue"])

    def test_only_a_bare_expression_shows_a_value(self):
        execute(self.kc, "int[] xs = new int[2];")
        for quiet in ("xs[0] = 3;", "xs[1] = 4", "xs[0];"):
            reply, outputs = execute(self.kc, quiet)
            self.assertEqual(reply["status"], "ok", reply)
            self.assertEqual(results(outputs), [], quiet)
        _, outputs = execute(self.kc, "xs[0] + xs[1]")
        self.assertEqual(results(outputs), ["7"])

    def test_redefining_a_method_keeps_a_value_computed_with_it(self):
        execute(self.kc, "int f() { return 1; }")
        execute(self.kc, "var v = f();")
        execute(self.kc, "int f() { return 2; }")
        _, outputs = execute(self.kc, "v")
        self.assertEqual(results(outputs), ["1"])


def signatures_of(reply):
    return [entry.splitlines()[0] for entry in reply["data"]["text/plain"].split("\n\n")]


if __name__ == "__main__":
    unittest.main()
