"""The notebook on a database alias, through a real jupyter_client: PIPESCOPE_DB names an alias of the config
file that PIPESCOPE_CONFIG names, open("alias") switches databases, and no output of any cell (results, errors,
displays, streams) holds the password of the server alias, whose server cannot be reached.

Run with Debian's Python: JUPYTER_PATH=<prefix>/share/jupyter /usr/bin/python3 notebook_alias_test.py SECRET -v
The kernel must see PIPESCOPE_CONFIG (aliases laptop: a SQLite file with one pipeline, prod: a server alias
whose password is SECRET) and PIPESCOPE_DB=laptop.
"""
import os
import sys
import unittest

from jupyter_client.manager import KernelManager

KERNEL = os.environ.get("PIPESCOPE_KERNEL_NAME", "pipescope")
TIMEOUT = 60
SECRET = sys.argv.pop(1)


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
    reply = kc.get_shell_msg(timeout=TIMEOUT)
    while reply["parent_header"].get("msg_id") != msg_id:
        reply = kc.get_shell_msg(timeout=TIMEOUT)
    return reply["content"], outputs


def text_of(outputs):
    """Every text a notebook would show for these outputs, in every format."""
    parts = []
    for kind, content in outputs:
        if kind == "stream":
            parts.append(content["text"])
        elif kind == "error":
            parts.extend([content["ename"], content["evalue"]] + content["traceback"])
        else:
            parts.extend(str(value) for value in content["data"].values())
    return "\n".join(parts)


class NotebookOnAnAlias(unittest.TestCase):

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

    def run_cell(self, code):
        reply, outputs = execute(self.kc, code)
        shown = text_of(outputs)
        self.assertNotIn(SECRET, shown, "a cell's output holds the password: " + code)
        return reply, shown

    def test_1_pipescope_db_names_an_alias(self):
        reply, shown = self.run_cell("describe()")
        self.assertEqual(reply["status"], "ok", shown)
        self.assertIn("laptop: ", shown)
        reply, shown = self.run_cell("pipelines().rowCount()")
        self.assertIn("1", shown)

    def test_2_a_server_alias_that_cannot_be_reached_fails_without_the_password(self):
        reply, shown = self.run_cell('open("prod")')
        self.assertEqual(reply["status"], "error", shown)
        reply, shown = self.run_cell('describe()')
        self.assertIn("laptop: ", shown, "a failed open keeps the current database")

    def test_3_a_resolved_alias_shows_where_its_password_comes_from(self):
        reply, shown = self.run_cell('pipescope.config().resolve("prod")')
        self.assertEqual(reply["status"], "ok", shown)
        self.assertIn("pool_connections", shown)
        self.assertIn("from database.prod.password", shown)
        reply, shown = self.run_cell('((DatabaseLocation.Server) pipescope.config().resolve("prod")).target()')
        self.assertIn("****", shown)

    def test_4_an_unknown_alias_lists_the_known_ones(self):
        reply, shown = self.run_cell('open("prodd")')
        self.assertEqual(reply["status"], "error", shown)
        self.assertIn("UnknownAliasException", shown)
        self.assertIn("known: laptop, prod", shown)


if __name__ == "__main__":
    unittest.main()
