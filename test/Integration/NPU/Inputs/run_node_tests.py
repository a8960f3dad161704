"""Runs ONNX backend node tests through llm-run on the NPU simulator.

Usage: run_node_tests.py LLM_RUN TEST_NAME...
Each test is /usr/share/libonnx-testdata/data/node/TEST_NAME: its model.onnx
is compiled with the NPU pipeline (bf16 on the array, f32 on the vector
unit), run by the simulator library on every test_data_set_N and compared
with the ONNX reference outputs at llm-run's bf16 tolerance for the NPU
(rtol = atol = 2^-5, docs/npu.md "Accuracy"). Prints one line per test, then
"N passed, M failed"; exits 1 if any failed (with that test's output).
"""
import os
import subprocess
import sys

DATA = "/usr/share/libonnx-testdata/data/node"

llm_run, names = sys.argv[1], sys.argv[2:]
failed = []
for name in names:
    directory = os.path.join(DATA, name)
    proc = subprocess.run(
        [llm_run, os.path.join(directory, "model.onnx"), "--target=npu",
         "--expected", directory], capture_output=True, text=True)
    ok = proc.returncode == 0
    print("%s %s" % ("PASS" if ok else "FAIL", name))
    if not ok:
        failed.append((name, proc.stdout + proc.stderr))
for name, log in failed:
    print("---- %s\n%s" % (name, log))
print("%d passed, %d failed" % (len(names) - len(failed), len(failed)))
sys.exit(1 if failed else 0)
