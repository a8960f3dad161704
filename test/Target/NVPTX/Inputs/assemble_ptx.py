"""Compiles ONNX models with the NVPTX pipeline and assembles their PTX.

Usage: assemble_ptx.py LLM_OPT PTXAS WORK_DIR MODEL.onnx...
For every model and every chip (sm_90, sm_80): `llm-opt MODEL
--llm-nvptx-pipeline=chip=CHIP --emit=ptx`, then `ptxas -arch=CHIP` on the
PTX. Prints one line per model and chip ("OK name chip: N kernels" or
"FAIL name chip: stage"), then "N passed, M failed"; exits 1 if any failed
(with the failing tool's output).
"""
import os
import subprocess
import sys

CHIPS = ["sm_90", "sm_80"]

llm_opt, ptxas, work_dir, models = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
os.makedirs(work_dir, exist_ok=True)
failed = []
count = 0
for model in models:
    name = os.path.basename(os.path.dirname(model)) \
        if os.path.basename(model) == "model.onnx" \
        else os.path.splitext(os.path.basename(model))[0]
    for chip in CHIPS:
        count += 1
        ptx = os.path.join(work_dir, "%s.%s.ptx" % (name, chip))
        steps = [
            ("llm-opt", [llm_opt, model, "--llm-nvptx-pipeline=chip=" + chip,
                         "--emit=ptx", "-o", ptx]),
            ("ptxas", [ptxas, "-arch=" + chip, ptx, "-o", ptx + ".cubin"]),
        ]
        for stage, command in steps:
            proc = subprocess.run(command, capture_output=True, text=True)
            if proc.returncode != 0:
                print("FAIL %s %s: %s" % (name, chip, stage))
                failed.append((name, chip, proc.stdout + proc.stderr))
                break
        else:
            with open(ptx) as f:
                kernels = sum(1 for line in f if line.startswith(".visible .entry"))
            print("OK %s %s: %d kernels" % (name, chip, kernels))
for name, chip, log in failed:
    print("---- %s %s\n%s" % (name, chip, log[-3000:]))
print("%d passed, %d failed" % (count - len(failed), len(failed)))
sys.exit(1 if failed else 0)
