"""Protocol tests of the Pipescope kernel through a real jupyter_client.

Run with Debian's Python: JUPYTER_PATH=<prefix>/share/jupyter /usr/bin/python3 kernel_protocol_test.py -v
The kernelspec named by PIPESCOPE_KERNEL_NAME (default "pipescope") must be installed on JUPYTER_PATH.
"""
import os
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
import unittest

from jupyter_client.manager import KernelManager
from jupyter_client.session import Session

KERNEL = os.environ.get("PIPESCOPE_KERNEL_NAME", "pipescope")
TIMEOUT = 60


def start_kernel(**launch):
    """A kernel and a started client; launch options go to the kernel's process (e.g. stderr=a file)."""
    km = KernelManager(kernel_name=KERNEL)
    km.start_kernel(**launch)
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=TIMEOUT)
    return km, kc


def execute(kc, code, timeout=TIMEOUT, **options):
    """Runs code (options as for KernelClient.execute, e.g. silent=True); returns (reply content, list of
    (msg_type, content) IOPub messages between busy and idle)."""
    msg_id = kc.execute(code, **options)
    outputs = []
    while True:
        msg = kc.get_iopub_msg(timeout=timeout)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind = msg["msg_type"]
        if kind == "status" and msg["content"]["execution_state"] == "idle":
            break
        if kind in ("stream", "execute_input", "execute_result", "display_data", "update_display_data",
                    "clear_output", "error"):
            outputs.append((kind, msg["content"]))
    return shell_reply(kc, msg_id, timeout)["content"], outputs


def shell_reply(kc, msg_id, timeout=TIMEOUT):
    """The shell reply to msg_id, skipping others (e.g. a late kernel_info reply)."""
    reply = kc.get_shell_msg(timeout=timeout)
    while reply["parent_header"].get("msg_id") != msg_id:
        reply = kc.get_shell_msg(timeout=timeout)
    return reply


def iopub_until(kc, msg_id, condition, timeout=TIMEOUT):
    """Reads IOPub until a message for msg_id meets condition; returns it. Fails after timeout seconds."""
    deadline = time.time() + timeout
    while True:
        msg = kc.get_iopub_msg(timeout=max(0.1, deadline - time.time()))
        if msg["parent_header"].get("msg_id") == msg_id and condition(msg):
            return msg
        if time.time() > deadline:
            raise AssertionError(f"no such IOPub message for {msg_id} within {timeout} s")


def control_reply(kc, msg_type, timeout=TIMEOUT):
    """Sends a request with no content on the control channel; returns its reply."""
    msg = kc.session.msg(msg_type, content={})
    kc.control_channel.send(msg)
    reply = kc.get_control_msg(timeout=timeout)
    while reply["parent_header"].get("msg_id") != msg["header"]["msg_id"]:
        reply = kc.get_control_msg(timeout=timeout)
    return reply


def stdout_of(outputs):
    return "".join(c["text"] for k, c in outputs if k == "stream" and c["name"] == "stdout")


def result_of(outputs):
    results = [c for k, c in outputs if k == "execute_result"]
    return results[-1]["data"] if results else None


def pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie child still answers kill(0): look at its state
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def wait_gone(pid, seconds):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if not pid_alive(pid):
            return True
        time.sleep(0.1)
    return not pid_alive(pid)


class SharedKernel(unittest.TestCase):
    """Requests against one kernel, as a notebook session makes them."""

    @classmethod
    def setUpClass(cls):
        cls.km, cls.kc = start_kernel()

    @classmethod
    def tearDownClass(cls):
        cls.kc.stop_channels()
        cls.km.shutdown_kernel(now=False)

    def test_kernel_info(self):
        self.kc.kernel_info()
        reply = self.kc.get_shell_msg(timeout=TIMEOUT)
        while reply["msg_type"] != "kernel_info_reply":
            reply = self.kc.get_shell_msg(timeout=TIMEOUT)
        reply = reply["content"]
        self.assertEqual(reply["status"], "ok")
        self.assertEqual(reply["language_info"]["name"], "java")
        self.assertEqual(reply["implementation"], "pipescope")

    def test_execute_streams_stdout_and_returns_last_expression(self):
        reply, outputs = execute(self.kc, 'System.out.println("line one");\nSystem.err.println("warned");\nint answer = 6 * 7;\nanswer')
        self.assertEqual(reply["status"], "ok")
        self.assertEqual(stdout_of(outputs), "line one\n")
        stderr = "".join(c["text"] for k, c in outputs if k == "stream" and c["name"] == "stderr")
        self.assertEqual(stderr, "warned\n")
        self.assertEqual(result_of(outputs)["text/plain"], "42")

    def test_mime_bundles(self):
        _, outputs = execute(self.kc, 'html("<b>bold</b>")')
        self.assertEqual(result_of(outputs)["text/html"], "<b>bold</b>")
        _, outputs = execute(self.kc, 'svg("<svg xmlns=\'http://www.w3.org/2000/svg\' width=\'10\' height=\'10\'/>")')
        self.assertIn("image/svg+xml", result_of(outputs))
        _, outputs = execute(self.kc, textwrap.dedent("""\
            var image = new java.awt.image.BufferedImage(4, 4, java.awt.image.BufferedImage.TYPE_INT_RGB);
            image"""))
        self.assertIn("image/png", result_of(outputs))

    def test_display_and_update_display(self):
        reply, outputs = execute(self.kc, 'String id = display("first");\nupdateDisplay(id, html("<i>second</i>"));')
        self.assertEqual(reply["status"], "ok")
        shown = [c for k, c in outputs if k == "display_data"]
        updated = [c for k, c in outputs if k == "update_display_data"]
        self.assertEqual(shown[0]["data"]["text/plain"], "first")
        self.assertEqual(updated[0]["data"]["text/html"], "<i>second</i>")
        self.assertEqual(shown[0]["transient"]["display_id"], updated[0]["transient"]["display_id"])

    def test_compile_error_points_at_cell_line(self):
        reply, outputs = execute(self.kc, "int fine = 1;\nint broken = fine +\n    undefinedName;")
        self.assertEqual(reply["status"], "error")
        self.assertEqual(reply["ename"], "CompileError")
        self.assertIn("line 3", reply["evalue"])
        errors = [c for k, c in outputs if k == "error"]
        self.assertTrue(any("undefinedName" in line for line in errors[0]["traceback"]))

    def test_runtime_error_names_exception_and_cell_lines(self):
        reply, _ = execute(self.kc, 'int ok = 1;\nthrow new IllegalArgumentException("bad value");')
        self.assertEqual(reply["status"], "error")
        self.assertEqual(reply["ename"], "IllegalArgumentException")
        self.assertEqual(reply["evalue"], "bad value")
        count = reply["execution_count"]
        self.assertIn(f"    at In [{count}], line 2", reply["traceback"])
        self.assertFalse(any("$JShell$" in line for line in reply["traceback"]))

    def test_history(self):
        execute(self.kc, "int remembered = 5;")
        self.kc.history(hist_access_type="tail", n=50)
        reply = self.kc.get_shell_msg(timeout=TIMEOUT)
        while reply["msg_type"] != "history_reply":
            reply = self.kc.get_shell_msg(timeout=TIMEOUT)
        self.assertEqual(reply["content"]["status"], "ok")
        inputs = [entry[2] for entry in reply["content"]["history"]]
        self.assertIn("int remembered = 5;", inputs)

    def test_complete(self):
        code = "String.valueOf(1).toUpp"
        self.kc.complete(code, len(code))
        reply = self.kc.get_shell_msg(timeout=TIMEOUT)["content"]
        self.assertEqual(reply["status"], "ok")
        self.assertIn("toUpperCase(", reply["matches"])
        self.assertEqual(reply["cursor_start"], len(code) - len("toUpp"))
        self.assertEqual(reply["cursor_end"], len(code))

    def test_inspect(self):
        self.kc.inspect("Math.max(1, 2)", 6)
        reply = self.kc.get_shell_msg(timeout=TIMEOUT)["content"]
        self.assertTrue(reply["found"])
        self.assertIn("Math.max(", reply["data"]["text/plain"])

    def test_is_complete(self):
        def ask(code):
            self.kc.is_complete(code)
            return self.kc.get_shell_msg(timeout=TIMEOUT)["content"]
        self.assertEqual(ask("int x = 1;")["status"], "complete")
        incomplete = ask("for (int i = 0; i < 3; i++) {")
        self.assertEqual(incomplete["status"], "incomplete")
        self.assertEqual(incomplete["indent"], "    ")
        self.assertEqual(ask("int y = 3 +* 4;")["status"], "invalid")

    def test_magics(self):
        reply, outputs = execute(self.kc, "%time 20 + 22")
        self.assertEqual(reply["status"], "ok")
        self.assertRegex(stdout_of(outputs), r"^Wall time: \d+\.\d ms\n$")
        self.assertEqual(result_of(outputs)["text/plain"], "42")
        reply, outputs = execute(self.kc, "%lsmagic")
        self.assertIn("%jars", stdout_of(outputs))
        reply, _ = execute(self.kc, "%nosuchmagic")
        self.assertEqual(reply["ename"], "MagicError")

    def test_a_cell_sent_after_reading_an_error_reply_runs(self):
        # only requests queued behind the failed cell are aborted, never the client's next one
        for i in range(25):
            reply, _ = execute(self.kc, 'throw new IllegalStateException("again");')
            self.assertEqual(reply["status"], "error")
            reply, outputs = execute(self.kc, f"{i} + 1")
            self.assertEqual(reply["status"], "ok", f"round {i}: {reply}")
            self.assertEqual(result_of(outputs)["text/plain"], str(i + 1))

    def test_requests_queued_behind_a_failed_cell_are_aborted(self):
        failing = self.kc.execute('Thread.sleep(500);\nthrow new IllegalStateException("stop here");')
        queued = self.kc.execute("int ranAfterFailure = 1;")
        replies = {}
        while len(replies) < 2:
            reply = self.kc.get_shell_msg(timeout=TIMEOUT)
            if reply["parent_header"].get("msg_id") in (failing, queued):
                replies[reply["parent_header"]["msg_id"]] = reply["content"]
        self.assertEqual(replies[failing]["status"], "error")
        self.assertEqual(replies[queued]["status"], "aborted")
        reply, _ = execute(self.kc, "ranAfterFailure")
        self.assertEqual(reply["ename"], "CompileError")
        # without stop_on_error the next request runs
        self.kc.execute('throw new IllegalStateException("keep going");', stop_on_error=False)
        reply, outputs = execute(self.kc, "40 + 2")
        self.assertEqual(result_of(outputs)["text/plain"], "42")

    def test_timeout_setting(self):
        execute(self.kc, "%timeout 0.5")
        try:
            reply, _ = execute(self.kc, "Thread.sleep(20_000);")
            self.assertEqual(reply["status"], "error")
            self.assertEqual(reply["ename"], "EvalTimeout")
        finally:
            execute(self.kc, "%timeout 0")

    def test_interrupt_reports_the_cell_and_keeps_state(self):
        execute(self.kc, "long kept = 7;")
        msg_id = self.kc.execute("long spins = 0;\nSystem.out.println(\"spinning\");\nwhile (true) { spins++; }")
        iopub_until(self.kc, msg_id, lambda m: m["msg_type"] == "stream" and "spinning" in m["content"]["text"])
        self.km.interrupt_kernel()
        reply = shell_reply(self.kc, msg_id)
        self.assertEqual(reply["content"]["status"], "error")
        self.assertEqual(reply["content"]["ename"], "Interrupted")
        reply, outputs = execute(self.kc, "kept + 1")
        self.assertEqual(result_of(outputs)["text/plain"], "8")

    def test_history_search_without_n_returns_every_match(self):
        for i in range(12):
            execute(self.kc, f"int searched{i} = {i};")
        # IPython reads a search without n as no limit (it was read as n = 0: nothing)
        self.kc.history(hist_access_type="search", pattern="int searched*")
        reply = self.kc.get_shell_msg(timeout=TIMEOUT)
        while reply["msg_type"] != "history_reply":
            reply = self.kc.get_shell_msg(timeout=TIMEOUT)
        inputs = [entry[2] for entry in reply["content"]["history"]]
        self.assertEqual(inputs, [f"int searched{i} = {i};" for i in range(12)])

    def test_silent_execution_is_not_recorded_and_does_not_advance_the_count(self):
        reply, _ = execute(self.kc, "int beforeSilent = 1;")
        count = reply["execution_count"]
        reply, outputs = execute(self.kc, "int silentlySet = 2;\nsilentlySet", silent=True)
        self.assertEqual(reply["status"], "ok")
        self.assertEqual([kind for kind, _ in outputs], [], "a silent execution publishes no input and no result")
        reply, outputs = execute(self.kc, "silentlySet + beforeSilent")
        self.assertEqual(result_of(outputs)["text/plain"], "3", "the silent cell ran")
        self.assertEqual(reply["execution_count"], count + 1)
        self.kc.history(hist_access_type="tail", n=1000)
        reply = self.kc.get_shell_msg(timeout=TIMEOUT)
        while reply["msg_type"] != "history_reply":
            reply = self.kc.get_shell_msg(timeout=TIMEOUT)
        inputs = [entry[2] for entry in reply["content"]["history"]]
        self.assertIn("silentlySet + beforeSilent", inputs)
        self.assertNotIn("int silentlySet = 2;\nsilentlySet", inputs)

    def test_interrupt_and_comm_info_replies_have_a_status(self):
        reply = control_reply(self.kc, "interrupt_request")
        self.assertEqual(reply["content"], {"status": "ok"})
        msg_id = self.kc.comm_info()
        reply = shell_reply(self.kc, msg_id)
        self.assertEqual(reply["msg_type"], "comm_info_reply")
        self.assertEqual(reply["content"], {"status": "ok", "comms": {}})
        # the kernel still runs cells after an interrupt that found none running
        reply, outputs = execute(self.kc, "20 + 1")
        self.assertEqual(result_of(outputs)["text/plain"], "21")

    def test_a_result_too_large_to_send_is_an_error_and_the_kernel_stays_usable(self):
        reply, outputs = execute(self.kc, '"x".repeat(200_000_000)', timeout=300)
        self.assertEqual(reply["status"], "error", reply)
        self.assertEqual(reply["ename"], "OutputTooLarge")
        self.assertRegex(reply["evalue"], r"200,000,\d{3} bytes")
        self.assertIn("33,554,432 bytes", reply["evalue"])
        self.assertEqual([c["ename"] for k, c in outputs if k == "error"], ["OutputTooLarge"])
        self.assertIsNone(result_of(outputs))
        reply, outputs = execute(self.kc, "1 + 1")
        self.assertEqual(result_of(outputs)["text/plain"], "2")
        # a display too large fails in the cell, which can catch it
        reply, outputs = execute(self.kc, 'try { display("y".repeat(40_000_000)); } catch (dev.pipescope.kernel.OutputTooLarge e) { System.out.println("caught: " + e.bytes()); }', timeout=300)
        self.assertEqual(reply["status"], "ok", reply)
        self.assertRegex(stdout_of(outputs), r"^caught: 40000\d{3}\n$")
        reply, outputs = execute(self.kc, "3 + 3")
        self.assertEqual(result_of(outputs)["text/plain"], "6")


def build_integration_jar(directory):
    """A library jar with a NotebookIntegration: an import, startup code and a renderer for its type."""
    jar = os.environ.get("PIPESCOPE_JAR")
    if not jar:
        raise unittest.SkipTest("PIPESCOPE_JAR is not set")
    src = os.path.join(directory, "src", "demo", "ext")
    os.makedirs(src)
    with open(os.path.join(src, "Temperature.java"), "w") as f:
        f.write("package demo.ext; public record Temperature(double celsius) {}\n")
    with open(os.path.join(src, "TemperatureIntegration.java"), "w") as f:
        f.write(textwrap.dedent("""\
            package demo.ext;
            import dev.pipescope.kernel.*;
            public final class TemperatureIntegration implements NotebookIntegration {
                @Override
                public void configure(IntegrationContext context) {
                    context.addImport("demo.ext.*")
                           .addStartupCode("Temperature freezing = new Temperature(0);")
                           .addRenderer(Temperature.class, t -> MimeBundle.html("<b>" + t.celsius() + " C</b>"));
                }
            }
            """))
    classes = os.path.join(directory, "classes")
    subprocess.run(["javac", "-d", classes, "-cp", jar,
                    os.path.join(src, "Temperature.java"), os.path.join(src, "TemperatureIntegration.java")], check=True)
    services = os.path.join(classes, "META-INF", "services")
    os.makedirs(services)
    with open(os.path.join(services, "dev.pipescope.kernel.NotebookIntegration"), "w") as f:
        f.write("demo.ext.TemperatureIntegration\n")
    import zipfile
    path = os.path.join(directory, "temperature.jar")
    with zipfile.ZipFile(path, "w") as z:
        for root, _, files in os.walk(classes):
            for name in files:
                full = os.path.join(root, name)
                z.write(full, os.path.relpath(full, classes))
    return path


class Integration(unittest.TestCase):

    def test_jars_magic_installs_a_libraries_notebook_integration(self):
        jar = build_integration_jar(tempfile.mkdtemp())
        km, kc = start_kernel()
        try:
            reply, outputs = execute(kc, f"%jars {os.path.dirname(jar)}/*.jar")
            self.assertEqual(reply["status"], "ok", reply)
            self.assertIn("temperature.jar", stdout_of(outputs))
            reply, outputs = execute(kc, "freezing")  # defined by the integration's startup code
            self.assertEqual(result_of(outputs)["text/html"], "<b>0.0 C</b>")
            reply, outputs = execute(kc, "new Temperature(21.5)")  # imported by the integration
            self.assertEqual(result_of(outputs)["text/html"], "<b>21.5 C</b>")
            self.assertEqual(result_of(outputs)["text/plain"], "Temperature[celsius=21.5]")
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)


class Authentication(unittest.TestCase):
    """Requests that are not the client's own are not executed, and each leaves one line in the kernel's log."""

    def setUp(self):
        self.log_path = os.path.join(tempfile.mkdtemp(), "kernel.log")
        self.log = open(self.log_path, "w")
        self.km, self.kc = start_kernel(stderr=self.log)

    def tearDown(self):
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)
        self.log.close()

    def kernel_log(self):
        with open(self.log_path) as f:
            return f.read()

    def assert_not_answered(self, msg_id, seconds=3):
        """Nothing answers msg_id (on shell or IOPub) for a few seconds; late start-up replies are ignored."""
        deadline = time.time() + seconds
        while time.time() < deadline:
            for channel in (self.kc.get_shell_msg, self.kc.get_iopub_msg):
                try:
                    got = channel(timeout=0.2)
                except Exception:
                    continue
                self.assertNotEqual(got["parent_header"].get("msg_id"), msg_id,
                                    f"the kernel answered a rejected request: {got['msg_type']}")

    def test_message_signed_with_wrong_key_is_rejected_and_not_executed(self):
        marker = os.path.join(tempfile.mkdtemp(), "executed")
        forger = Session(key=b"not-the-kernel-key", username="intruder")
        code = f'java.nio.file.Files.writeString(java.nio.file.Path.of("{marker}"), "ran");'
        msg = forger.msg("execute_request", content={
            "code": code, "silent": False, "store_history": True,
            "user_expressions": {}, "allow_stdin": False, "stop_on_error": True})
        forger.send(self.kc.shell_channel.socket, msg)
        forged_id = msg["header"]["msg_id"]
        self.assert_not_answered(forged_id)
        self.assertFalse(os.path.exists(marker), "a forged request was executed")
        # the kernel still serves properly signed requests
        reply, outputs = execute(self.kc, "1 + 1")
        self.assertEqual(result_of(outputs)["text/plain"], "2")
        self.assertFalse(os.path.exists(marker))
        log = self.kernel_log()
        rejections = [line for line in log.splitlines() if "rejected a message" in line]
        self.assertEqual(len(rejections), 1, log)
        self.assertIn("invalid signature", rejections[0])
        self.assertIn(f"execute_request {forged_id}", rejections[0])
        self.assertNotIn(self.km.session.key.decode(), log, "the kernel logged its key")

    def test_a_replayed_request_is_rejected_and_logged(self):
        execute(self.kc, "int replays = 0;")
        msg = self.kc.session.msg("execute_request", content={
            "code": "replays++;", "silent": False, "store_history": True,
            "user_expressions": {}, "allow_stdin": False, "stop_on_error": True})
        self.kc.shell_channel.send(msg)
        shell_reply(self.kc, msg["header"]["msg_id"])
        # the same bytes again, as an eavesdropper would send a captured request: same signature
        self.kc.shell_channel.send(msg)
        # requests are handled in order: once this one is answered, the replay was read
        reply, outputs = execute(self.kc, "replays")
        self.assertEqual(result_of(outputs)["text/plain"], "1", "a replayed request was executed")
        log = self.kernel_log()
        rejections = [line for line in log.splitlines() if "rejected a message" in line]
        self.assertEqual(len(rejections), 1, log)
        self.assertIn("replayed", rejections[0])
        self.assertIn(f"execute_request {msg['header']['msg_id']}", rejections[0])
        self.assertNotIn(self.km.session.key.decode(), log, "the kernel logged its key")

    def test_an_unsigned_request_is_rejected_and_logged(self):
        unsigned = Session(key=b"", username="intruder")
        msg = unsigned.msg("kernel_info_request", content={})
        unsigned.send(self.kc.shell_channel.socket, msg)
        self.assert_not_answered(msg["header"]["msg_id"])
        reply, outputs = execute(self.kc, "2 + 2")
        self.assertEqual(result_of(outputs)["text/plain"], "4")
        rejections = [line for line in self.kernel_log().splitlines() if "rejected a message" in line]
        self.assertEqual(len(rejections), 1, rejections)
        self.assertIn("missing signature", rejections[0])


def nbclient_cells(cells, timeout):
    """Runs the cells in one notebook through nbclient, as `jupyter nbconvert --execute` does; returns
    (the executed cells, the exception nbclient raised or None)."""
    import nbformat
    from nbclient import NotebookClient
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(code) for code in cells]
    try:
        NotebookClient(notebook, kernel_name=KERNEL, timeout=timeout, allow_errors=False).execute()
        return notebook.cells, None
    except Exception as failure:  # reported by each test that needs the cells
        return notebook.cells, failure


def numbers(lines):
    return "".join(f"{i}\n" for i in range(lines))


class PrintedOutput(unittest.TestCase):
    """Everything a cell prints reaches the client in order, batched, before the cell's reply and idle status.
    Through nbclient, which stops reading a cell's output 4 s (its iopub_timeout) after the reply."""

    UNICODE = "é€😀"

    @classmethod
    def setUpClass(cls):
        cls.cells, cls.failure = nbclient_cells([
            "for (int i = 0; i < 20_000; i++) System.out.println(i);",
            "for (int i = 0; i < 200_000; i++) System.out.println(i);",
            'System.out.println("out 1");\nSystem.err.println("err 1");\ndisplay(html("<b>shown</b>"));\n'
            'System.out.println("out 2");\nSystem.out.print("no newline");',
            f'for (int i = 0; i < 50_000; i++) System.out.println("{cls.UNICODE} " + i);',
        ], timeout=300)

    def outputs(self, index):
        self.assertIsNone(self.failure, f"nbclient failed: {self.failure!r}")
        return self.cells[index].outputs

    def assert_numbers(self, index, lines):
        streams = [o for o in self.outputs(index) if o.output_type == "stream"]
        text = "".join(o.text for o in streams)
        got = text.splitlines()
        # not assertEqual on the texts: its diff of 200,000 lines would bury the figures
        self.assertTrue(text == numbers(lines), f"{len(got)} of {lines} lines arrived; first difference at line "
                        f"{next((i for i, (a, b) in enumerate(zip(got, map(str, range(lines)))) if a != b), len(got))}")
        self.assertEqual({o.name for o in streams}, {"stdout"})
        self.assertLess(len(streams), lines // 100, f"{len(streams)} stream messages: output is not batched")

    def test_20_000_printed_lines_all_arrive_in_order(self):
        self.assert_numbers(0, 20_000)

    def test_200_000_printed_lines_all_arrive_and_the_cell_ends(self):
        self.assert_numbers(1, 200_000)

    def test_output_keeps_the_order_the_cell_made_it_in(self):
        merged = []
        for output in self.outputs(2):
            if output.output_type == "stream":
                if merged and merged[-1][0] == output.name:
                    merged[-1] = (output.name, merged[-1][1] + output.text)
                else:
                    merged.append((output.name, output.text))
            else:
                merged.append((output.output_type, output.data.get("text/html")))
        self.assertEqual(merged, [("stdout", "out 1\n"), ("stderr", "err 1\n"), ("display_data", "<b>shown</b>"),
                                  ("stdout", "out 2\nno newline")])

    def test_characters_of_several_bytes_are_never_cut(self):
        text = "".join(o.text for o in self.outputs(3) if o.output_type == "stream")
        self.assertTrue(text == "".join(f"{self.UNICODE} {i}\n" for i in range(50_000)),
                        f"{text.count(chr(0xFFFD))} replacement characters, {text.count(chr(10))} lines")


class InterruptPrinting(unittest.TestCase):

    def test_interrupting_a_printing_loop_ends_with_the_error_and_the_idle_status(self):
        km, kc = start_kernel()
        try:
            # a stopped cell thread used to die half way through sending a message, which then broke IOPub for
            # good; where it stops is chance, so several rounds
            for round in range(3):
                msg_id = kc.execute("while (true) System.out.println(1);")
                # interrupt once the loop has printed a good deal (a condition, not a sleep)
                received = 0
                while received < 20_000:
                    msg = iopub_until(kc, msg_id, lambda m: m["msg_type"] == "stream")
                    received += msg["content"]["text"].count("\n")
                km.interrupt_kernel()
                error = iopub_until(kc, msg_id, lambda m: m["msg_type"] == "error", timeout=120)
                self.assertEqual(error["content"]["ename"], "Interrupted", f"round {round}")
                iopub_until(kc, msg_id, lambda m: m["msg_type"] == "status" and m["content"]["execution_state"] == "idle",
                            timeout=120)
                reply = shell_reply(kc, msg_id, timeout=120)
                self.assertEqual(reply["content"]["ename"], "Interrupted", f"round {round}")
                reply, outputs = execute(kc, "6 * 7")
                self.assertEqual(result_of(outputs)["text/plain"], "42", f"round {round}")
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)


class Lifecycle(unittest.TestCase):

    def test_shutdown_is_graceful(self):
        km, kc = start_kernel()
        pid = km.provisioner.pid
        kc.shutdown()
        reply = kc.get_control_msg(timeout=TIMEOUT)["content"]
        self.assertEqual(reply["status"], "ok")
        self.assertFalse(reply["restart"])
        self.assertTrue(wait_gone(pid, 10), "kernel did not exit after shutdown_request")
        kc.stop_channels()
        km.cleanup_resources()

    def test_restart_gives_a_fresh_kernel(self):
        km, kc = start_kernel()
        try:
            execute(kc, "int before = 1;")
            old_pid = km.provisioner.pid
            km.restart_kernel(now=False)
            kc.wait_for_ready(timeout=TIMEOUT)
            self.assertNotEqual(km.provisioner.pid, old_pid)
            self.assertTrue(wait_gone(old_pid, 10))
            reply, _ = execute(kc, "before")
            self.assertEqual(reply["ename"], "CompileError")
            reply, outputs = execute(kc, "2 + 2")
            self.assertEqual(result_of(outputs)["text/plain"], "4")
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)

    def test_kernel_exits_when_its_parent_dies(self):
        launcher = textwrap.dedent(f"""\
            import sys, time
            from jupyter_client.manager import KernelManager
            km = KernelManager(kernel_name={KERNEL!r})
            km.start_kernel()
            kc = km.client(); kc.start_channels(); kc.wait_for_ready(timeout=60)
            print(km.provisioner.pid, flush=True)
            time.sleep(120)
            """)
        parent = subprocess.Popen([sys.executable, "-c", launcher], stdout=subprocess.PIPE, text=True)
        try:
            kernel_pid = int(parent.stdout.readline())
            self.assertTrue(pid_alive(kernel_pid))
            parent.send_signal(signal.SIGKILL)
            parent.wait()
            self.assertTrue(wait_gone(kernel_pid, 10), "the kernel outlived its parent")
        finally:
            if parent.poll() is None:
                parent.kill()


if __name__ == "__main__":
    unittest.main()
