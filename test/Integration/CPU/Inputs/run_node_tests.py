"""Runs ONNX backend node tests through llm-run on the CPU.

Usage: run_node_tests.py LLM_RUN [--LLM_RUN_OPTION...] TEST_NAME...
(options such as --target=npu are passed to every llm-run).
Each test is /usr/share/libonnx-testdata/data/node/TEST_NAME: its model.onnx
is compiled and run on every test_data_set_N and compared with the ONNX
reference outputs (llm-run --expected, rtol 1e-3, atol 1e-7 as the ONNX
backend tests). Prints one line per test, then "N passed, M failed"; exits 1
if any failed (with that test's llm-run output).
"""
import os
import subprocess
import sys

DATA = "/usr/share/libonnx-testdata/data/node"

llm_run = sys.argv[1]
options = [a for a in sys.argv[2:] if a.startswith("--")]
names = [a for a in sys.argv[2:] if not a.startswith("--")]
failed = []
for name in names:
    directory = os.path.join(DATA, name)
    proc = subprocess.run(
        [llm_run, os.path.join(directory, "model.onnx"), "--expected",
         directory] + options, capture_output=True, text=True)
    ok = proc.returncode == 0
    print("%s %s" % ("PASS" if ok else "FAIL", name))
    if not ok:
        failed.append((name, proc.stdout + proc.stderr))
for name, log in failed:
    print("---- %s\n%s" % (name, log))
print("%d passed, %d failed" % (len(names) - len(failed), len(failed)))
sys.exit(1 if failed else 0)
