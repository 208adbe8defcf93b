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


def start_kernel():
    km = KernelManager(kernel_name=KERNEL)
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=TIMEOUT)
    return km, kc


def execute(kc, code, timeout=TIMEOUT):
    """Runs code; returns (reply content, list of (msg_type, content) iopub outputs)."""
    msg_id = kc.execute(code)
    outputs = []
    while True:
        msg = kc.get_iopub_msg(timeout=timeout)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind = msg["msg_type"]
        if kind == "status" and msg["content"]["execution_state"] == "idle":
            break
        if kind in ("stream", "execute_result", "display_data", "update_display_data", "error"):
            outputs.append((kind, msg["content"]))
    reply = kc.get_shell_msg(timeout=timeout)
    while reply["parent_header"].get("msg_id") != msg_id:
        reply = kc.get_shell_msg(timeout=timeout)
    return reply["content"], outputs


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
        msg_id = self.kc.execute("long spins = 0;\nwhile (true) { spins++; }")
        time.sleep(0.8)
        self.km.interrupt_kernel()
        reply = self.kc.get_shell_msg(timeout=TIMEOUT)
        while reply["parent_header"].get("msg_id") != msg_id:
            reply = self.kc.get_shell_msg(timeout=TIMEOUT)
        self.assertEqual(reply["content"]["status"], "error")
        self.assertEqual(reply["content"]["ename"], "Interrupted")
        reply, outputs = execute(self.kc, "kept + 1")
        self.assertEqual(result_of(outputs)["text/plain"], "8")


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


class WrongKey(unittest.TestCase):

    def test_message_signed_with_wrong_key_is_rejected_and_not_executed(self):
        km, kc = start_kernel()
        try:
            marker = os.path.join(tempfile.mkdtemp(), "executed")
            forger = Session(key=b"not-the-kernel-key", username="intruder")
            code = f'java.nio.file.Files.writeString(java.nio.file.Path.of("{marker}"), "ran");'
            msg = forger.msg("execute_request", content={
                "code": code, "silent": False, "store_history": True,
                "user_expressions": {}, "allow_stdin": False, "stop_on_error": True})
            forger.send(kc.shell_channel.socket, msg)
            forged_id = msg["header"]["msg_id"]
            # anything answering the forged request (on shell or iopub) within 3 s is a failure;
            # late replies to start-up requests (kernel_info) may still arrive and are ignored
            deadline = time.time() + 3
            while time.time() < deadline:
                for channel in (kc.get_shell_msg, kc.get_iopub_msg):
                    try:
                        got = channel(timeout=0.2)
                    except Exception:
                        continue
                    self.assertNotEqual(got["parent_header"].get("msg_id"), forged_id,
                                        f"the kernel answered a forged request: {got['msg_type']}")
            self.assertFalse(os.path.exists(marker), "a forged request was executed")
            # the kernel still serves properly signed requests
            reply, outputs = execute(kc, "1 + 1")
            self.assertEqual(result_of(outputs)["text/plain"], "2")
            self.assertFalse(os.path.exists(marker))
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
