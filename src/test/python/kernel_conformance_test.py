"""The Jupyter peers' kernel conformance suite (Debian's python3-jupyter-kernel-test) against the Pipescope kernel.

jupyter_kernel_test.KernelTests sends each request through jupyter_client, checks every reply and IOPub
message against the message spec (v5) and checks what the samples below say they produce. Each sample
is Java as a notebook user writes it.

Run with Debian's Python: JUPYTER_PATH=<prefix>/share/jupyter /usr/bin/python3 kernel_conformance_test.py -v
The kernelspec named by PIPESCOPE_KERNEL_NAME (default "pipescope") must be installed on JUPYTER_PATH.
"""
import os
import unittest

import jupyter_kernel_test

# the kernel starts JShell before its first cell; the suite's 15 s default is for an idle machine
jupyter_kernel_test.TIMEOUT = 60


class PipescopeKernelConformance(jupyter_kernel_test.KernelTests):
    kernel_name = os.environ.get("PIPESCOPE_KERNEL_NAME", "pipescope")

    # test_kernel_info
    language_name = "java"
    file_extension = ".jshell"

    # test_execute_stdout / test_execute_stderr
    code_hello_world = 'System.out.println("hello, world");'
    code_stderr = 'System.err.println("something went wrong");'

    # test_completion: each text is completed at its end; "matches" must be exactly the set returned
    completion_samples = [
        {"text": "String.valueOf(1).toUpperCas", "matches": {"toUpperCase("}},
        {"text": "Math.addExa", "matches": {"addExact("}},
        {"text": "System.currentTimeMil", "matches": {"currentTimeMillis()"}},
        {"text": "StringBuil", "matches": {"StringBuilder"}},
    ]

    # test_is_complete
    complete_code_samples = [
        "int x = 1;",
        "System.out.println(1);",
        "6 * 7",
        "for (int i = 0; i < 3; i++) { System.out.println(i); }",
    ]
    incomplete_code_samples = [
        "for (int i = 0; i < 3; i++) {",
        "String joined = String.join(\",\",",
        "int[] numbers = {1, 2,",
    ]
    invalid_code_samples = [
        "int y = 3 +* 4;",
        "int z = );",
    ]

    # test_error: exactly one IOPub output, the error
    code_generate_error = 'throw new IllegalStateException("conformance error");'

    # test_execute_result (and, through these codes, test_history)
    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        # a String result shows as its text, as docs/kernel.md says (toString(), no quotes)
        {"code": "\"con\" + \"formance\"", "result": "conformance"},
        {"code": "html(\"<b>bold</b>\")", "mime": "text/html", "result": "<b>bold</b>"},
    ]

    # test_display_data
    code_display_data = [
        {"code": "display(html(\"<i>shown</i>\"));", "mime": "text/html"},
        {"code": "display(svg(\"<svg xmlns='http://www.w3.org/2000/svg' width='4' height='4'/>\"));",
         "mime": "image/svg+xml"},
        {"code": "display(\"plain\");", "mime": "text/plain"},
    ]

    # test_history: tail, range and search (a glob, as IPython's) over the cells above
    supported_history_operations = ("tail", "range", "search")
    code_history_pattern = "6 * ?"

    # test_inspect
    code_inspect_sample = "Math.max"

    # test_clear_output
    code_clear_output = "clearOutput();"

    # test_pager: a "page" payload in the execute_reply, as IPython's help sends
    code_page_something = 'page("Math.max(a, b): the greater of two values");'


if __name__ == "__main__":
    unittest.main()
