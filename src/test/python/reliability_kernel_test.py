"""Reliability of the Pipescope kernel through a real jupyter_client.

- A database opened read-only from a cell cannot be changed, even by raw SQL on its connections
  (UPDATE, ATTACH of the same file outside a transaction, PRAGMA writable_schema, DELETE through the writer connection):
  the file's SHA-256 is the same before and after.
- Infinite loops (a busy loop, and one that swallows interrupts) are interrupted and the kernel
  keeps its state and stays usable.
- A cell that allocates without bound fails with OutOfMemoryError and the kernel stays usable.

Run with Debian's Python: JUPYTER_PATH=<prefix>/share/jupyter /usr/bin/python3 reliability_kernel_test.py -v
Prints "FIGURES cases=<n> attacks=<n> refused=<n>" for the reliability report.
"""
import hashlib
import os
import shutil
import tempfile
import unittest

from kernel_protocol_test import execute, iopub_until, pid_alive, result_of, shell_reply, start_kernel, stdout_of

TIMEOUT = 120
FIGURES = {"attacks": 0, "refused": 0}


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def java_string(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


class KernelReliability(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.km, cls.kc = start_kernel()
        cls.dir = tempfile.mkdtemp(prefix="pipescope-reliability-")

    @classmethod
    def tearDownClass(cls):
        cls.kc.stop_channels()
        cls.km.shutdown_kernel(now=False)
        shutil.rmtree(cls.dir, ignore_errors=True)

    def run_ok(self, code):
        reply, outputs = execute(self.kc, code, timeout=TIMEOUT)
        self.assertEqual(reply["status"], "ok", f"{code}\n{reply}\n{outputs}")
        return outputs

    def assert_usable(self):
        outputs = self.run_ok("6 * 7")
        self.assertEqual(result_of(outputs)["text/plain"], "42")

    def test_a_read_only_database_cannot_be_changed_from_a_cell(self):
        path = os.path.join(self.dir, "guarded.db")
        self.run_ok(f"""
            try (var rw = dev.pipescope.Pipescope.open(java.nio.file.Path.of({java_string(path)}))) {{
                rw.pipelines().save(dev.pipescope.domain.Pipeline.builder("guarded").build());
            }}
            """)
        before = sha256(path)
        attacks = [
            "UPDATE pipelines SET name = 'changed'",
            "DELETE FROM pipelines",
            "CREATE TABLE intruder (x)",
            f"ATTACH DATABASE {repr_sql(path)} AS again",
            "UPDATE again.pipelines SET name = 'changed'",
            "PRAGMA writable_schema = ON",
            "UPDATE sqlite_master SET sql = 'CREATE TABLE pipelines (x)' WHERE name = 'pipelines'",
            "PRAGMA query_only = OFF",
            "UPDATE pipelines SET name = 'changed'",
            "PRAGMA journal_mode = DELETE",
            "VACUUM",
        ]
        writes = {0, 1, 2, 4, 6, 8, 10}
        array = ", ".join(java_string(a) for a in attacks)
        outputs = self.run_ok(f"""
            var ro = dev.pipescope.Pipescope.openReadOnly(java.nio.file.Path.of({java_string(path)}));
            var conns = ((dev.pipescope.store.SqliteDatabase) ro).connections();
            String[] attacks = {{ {array} }};
            for (int i = 0; i < attacks.length; i++) {{
                String sql = attacks[i];
                try {{
                    conns.query("attack " + i, h -> h.execute(sql));
                    System.out.println("ALLOWED " + i);
                }} catch (RuntimeException e) {{
                    System.out.println("REFUSED " + i + " " + e.getClass().getSimpleName() + " "
                            + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
                }}
            }}
            try {{
                conns.withWriterConnection("attack writer", c -> c.createStatement().executeUpdate("DELETE FROM pipelines"));
                System.out.println("ALLOWED writer");
            }} catch (RuntimeException e) {{
                System.out.println("REFUSED writer " + e.getClass().getSimpleName());
            }}
            try {{
                ro.pipelines().save(dev.pipescope.domain.Pipeline.builder("sneaked").build());
                System.out.println("ALLOWED save");
            }} catch (dev.pipescope.error.ReadOnlyViolationException e) {{
                System.out.println("REFUSED save " + e.getClass().getSimpleName());
            }}
            System.out.println("COUNT " + ro.pipelines().count());
            ro.close();
            """)
        out = stdout_of(outputs)
        print("\n" + "\n".join(f"  {attacks[int(line.split()[1])] if line.split()[1].isdigit() else ''} -> {line}"
                                for line in out.splitlines() if line.startswith(("ALLOWED", "REFUSED"))), flush=True)
        lines = out.splitlines()
        for i in writes:
            self.assertTrue(any(l.startswith(f"REFUSED {i} ReadOnlyViolationException ") for l in lines),
                            f"write {attacks[i]!r} was not refused as a read-only violation:\n{out}")
        self.assertIn("REFUSED writer", out)
        self.assertIn("REFUSED save ReadOnlyViolationException", out)
        self.assertIn("COUNT 1", out)
        FIGURES["attacks"] += len(attacks) + 2
        FIGURES["refused"] += sum(1 for l in lines if l.startswith("REFUSED"))
        self.assertEqual(before, sha256(path), "the read-only database changed")
        for suffix in ("-wal", "-journal"):
            leftover = path + suffix
            self.assertFalse(os.path.exists(leftover) and os.path.getsize(leftover) > 0, f"{leftover} has content")
        self.assert_usable()

    def interrupt(self, code):
        """Runs code that prints "looping" and then loops; interrupts it once "looping" has arrived."""
        msg_id = self.kc.execute(code)
        iopub_until(self.kc, msg_id, lambda m: m["msg_type"] == "stream" and "looping" in m["content"]["text"], TIMEOUT)
        self.km.interrupt_kernel()
        return shell_reply(self.kc, msg_id, TIMEOUT)["content"]

    def test_infinite_loops_are_interruptible_and_the_kernel_stays_usable(self):
        self.run_ok("long survivor = 41;")
        loops = [
            "long spins = 0;\nSystem.out.println(\"looping\");\nwhile (true) { spins++; }",
            # swallows the polite interrupt: only stopping the thread ends it
            "System.out.println(\"looping\");\nwhile (true) { try { Thread.sleep(5); } catch (InterruptedException ignored) { } }",
            "System.out.println(\"looping\");\njava.util.stream.IntStream.iterate(0, i -> i + 1).map(i -> i % 7).sum()",
        ]
        for loop in loops:
            content = self.interrupt(loop)
            self.assertEqual(content["status"], "error", loop)
            self.assertEqual(content["ename"], "Interrupted", loop)
            outputs = self.run_ok("survivor + 1")
            self.assertEqual(result_of(outputs)["text/plain"], "42")

    def test_unbounded_allocation_fails_the_cell_and_the_kernel_lives(self):
        pid = self.km.provisioner.pid
        reply, outputs = execute(self.kc, "{ var hog = new java.util.ArrayList<long[]>(); while (true) hog.add(new long[1 << 20]); }",
                                 timeout=TIMEOUT)
        self.assertEqual(reply["status"], "error")
        self.assertIn("OutOfMemoryError", reply["ename"] + reply.get("evalue", ""))
        self.assertTrue(pid_alive(pid), "the kernel died")
        self.assert_usable()
        # kept in a variable: the heap stays full until the variable lets go
        self.run_ok("var kept = new java.util.ArrayList<long[]>();")
        reply, _ = execute(self.kc, "while (true) kept.add(new long[1 << 20]);", timeout=TIMEOUT)
        self.assertEqual(reply["status"], "error")
        self.assertIn("OutOfMemoryError", reply["ename"] + reply.get("evalue", ""))
        self.run_ok("kept.clear();")
        self.assert_usable()
        self.assertTrue(pid_alive(pid), "the kernel died")


def repr_sql(path):
    return "'" + path.replace("'", "''") + "'"


if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=2).result
    print(f"FIGURES cases={result.testsRun} failed={len(result.failures) + len(result.errors)} "
          f"attacks={FIGURES['attacks']} refused={FIGURES['refused']}", flush=True)
    raise SystemExit(0 if result.wasSuccessful() else 1)
