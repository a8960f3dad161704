#!/usr/bin/python3
"""Benchmark ONNX import: time and peak memory for a GPT-2-small-sized model.

One command:

  1. builds GPT-2 small in PyTorch (12 layers, d_model 768, 12 heads, vocab
     50257, 1024 positions; the SmallGPT of test/models/export_models.py,
     seeded random weights) and exports it with PyTorch's ONNX exporter
     (opset 17, dynamic batch/sequence) to --model-dir (default
     /tmp/llm-import-bench; reused when present, never committed);
  2. reads the model once (`cat > /dev/null`) so every timed run starts
     from the page cache, as a real import of a recently written model does;
  3. runs, -n times each under /usr/bin/time -v,
       import:  `llm-opt MODEL --onnx-import-only` (import and verify,
                nothing printed; the import is what llm-run and the C/C++/
                Python APIs do), and
       llm-opt: `llm-opt MODEL --mlir-elide-resource-strings-if-larger=16
                -o /dev/null` (import from llm-opt's own buffer, which
                protobuf copies raw_data out of, then llm-opt's bytecode
                hand-off of the module to MlirOptMain, which copies the
                weights again, and printing, which hex-encodes them before
                eliding);
     and reports for each the median wall time, the largest maximum
     resident set size, the import rate (weight bytes / median wall) and
     peak RSS / weight bytes, where the weight bytes are the sum of the
     initializers' data.

Goal (issue 3): peak RSS below 1.3x the weight bytes, at least 200 MB/s.

Usage:
    benchmarks/import.py [-n 5] [--model-dir DIR] [--llm-opt PATH]
llm-opt defaults to $LLM_OPT, else the newest build*/bin/llm-opt of the repo.
"""

import argparse
import glob
import os
import re
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def find_llm_opt(explicit):
    if explicit:
        return explicit
    if os.environ.get("LLM_OPT"):
        return os.environ["LLM_OPT"]
    candidates = glob.glob(os.path.join(ROOT, "build*", "bin", "llm-opt"))
    if not candidates:
        sys.exit("import.py: no build*/bin/llm-opt; pass --llm-opt")
    return max(candidates, key=os.path.getmtime)


def export(model_path):
    import torch
    sys.path.insert(0, os.path.join(ROOT, "test", "models"))
    from export_models import SmallGPT, GPTLogits  # noqa: F401

    torch.manual_seed(0)
    gpt = SmallGPT(vocab=50257, d_model=768, n_head=12, n_layer=12,
                   max_pos=1024)

    class Logits(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.gpt = gpt

        def forward(self, input_ids):
            return self.gpt(input_ids)[0]

    model = Logits().eval()
    ids = torch.zeros(1, 8, dtype=torch.long)
    start = time.monotonic()
    with torch.no_grad():
        torch.onnx.export(model, (ids,), model_path, opset_version=17,
                          input_names=["input_ids"], output_names=["logits"],
                          dynamic_axes={"input_ids": {0: "batch", 1: "seq"},
                                        "logits": {0: "batch", 1: "seq"}})
    print("exported %s in %.1f s" % (model_path, time.monotonic() - start))


def weight_bytes(model_path):
    import onnx
    from onnx import numpy_helper
    model = onnx.load(model_path)
    return sum(numpy_helper.to_array(t).nbytes
               for t in model.graph.initializer)


MODES = [
    ("import", ["--onnx-import-only"]),
    ("llm-opt", ["--mlir-elide-resource-strings-if-larger=16", "-o",
                 os.devnull]),
]


def run_once(llm_opt, model_path, flags):
    cmd = ["/usr/bin/time", "-v", llm_opt, model_path] + flags
    start = time.monotonic()
    r = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.monotonic() - start
    if r.returncode != 0:
        sys.exit("import.py: llm-opt failed:\n" + r.stderr)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", r.stderr)
    return wall, int(rss.group(1)) * 1024


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=5)
    parser.add_argument("--model-dir", default="/tmp/llm-import-bench")
    parser.add_argument("--llm-opt")
    args = parser.parse_args()
    llm_opt = find_llm_opt(args.llm_opt)
    os.makedirs(args.model_dir, exist_ok=True)
    model_path = os.path.join(args.model_dir, "gpt2-small.onnx")
    if not os.path.exists(model_path):
        export(model_path)
    weights = weight_bytes(model_path)
    file_bytes = os.path.getsize(model_path)
    subprocess.run(["cat", model_path], stdout=subprocess.DEVNULL, check=True)

    mb = 1e6
    print("llm-opt: %s" % llm_opt)
    print("model: %s (%.1f MB file, %.1f MB of weights)"
          % (model_path, file_bytes / mb, weights / mb))
    for name, flags in MODES:
        walls, rss = [], []
        for _ in range(args.n):
            w, r = run_once(llm_opt, model_path, flags)
            walls.append(w)
            rss.append(r)
        median = statistics.median(walls)
        print("%-8s wall: median %.3f s over %d runs (min %.3f, max %.3f); "
              "%.0f MB/s of weights; peak RSS %.1f MB = %.2fx the weight bytes"
              % (name, median, args.n, min(walls), max(walls),
                 weights / mb / median, max(rss) / mb, max(rss) / weights))

if __name__ == "__main__":
    main()
