#!/usr/bin/python3
"""Import every ONNX backend node test model and classify the outcome.

Runs `llm-opt MODEL` on /usr/share/libonnx-testdata/data/node/*/model.onnx
(the ONNX conformance suite shipped by Debian's libonnx-testdata) and sorts
each model into:
  imported     - imported and verified;
  unsupported  - rejected up front with the list of unsupported ops,
                 attributes or opsets (the importer's designed answer);
  needs-values - rejected because a shape, axes or bounds input is a graph
                 input (only known when the model runs), which a compiler
                 that fixes shapes at import time cannot take;
  failed       - any other error, or a crash: these are importer bugs.
Prints the counts, the unsupported ops by frequency and every failure, and
exits non-zero when something failed or fewer than --min-imported models
imported.

Usage: onnx_node_tests.py LLM_OPT [--min-imported N] [--data DIR] [-j N]
"""

import argparse
import collections
import concurrent.futures
import os
import re
import subprocess
import sys

NEEDS_VALUES = [
    "must be computable at import time",
    "must be an integer tensor computable at import time",
    "must be known at import time",
    "training_mode must be a constant false",
]


def classify(llm_opt, model):
    r = subprocess.run([llm_opt, model, "-o", os.devnull],
                       capture_output=True, text=True, errors="replace")
    if r.returncode == 0:
        return "imported", []
    if r.returncode != 1:
        return "failed", ["exit status %d: %s" % (r.returncode, r.stderr[-500:])]
    if "cannot import the ONNX model" in r.stderr:
        ops = re.findall(r"unsupported op (\S+)", r.stderr)
        ops += ["%s (opset %s)" % (op, v) for v, op in
                re.findall(r"unsupported opset (\d+) of (\S+)", r.stderr)]
        ops += ["%s attribute '%s'" % (op, a) for a, op in
                re.findall(r"unsupported attribute '(\w+)' of (\S+)", r.stderr)]
        return "unsupported", ops or ["(other)"]
    first = r.stderr.strip().split("\n")[0]
    if any(p in first for p in NEEDS_VALUES):
        return "needs-values", []
    return "failed", [first]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("llm_opt")
    parser.add_argument("--data", default="/usr/share/libonnx-testdata/data/node")
    parser.add_argument("--min-imported", type=int, default=0)
    parser.add_argument("-j", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()

    models = sorted(os.path.join(args.data, t, "model.onnx")
                    for t in os.listdir(args.data)
                    if os.path.exists(os.path.join(args.data, t, "model.onnx")))
    with concurrent.futures.ThreadPoolExecutor(args.j) as pool:
        results = list(pool.map(lambda m: classify(args.llm_opt, m), models))

    counts = collections.Counter(kind for kind, _ in results)
    unsupported = collections.Counter()
    failures = []
    for model, (kind, info) in zip(models, results):
        name = os.path.basename(os.path.dirname(model))
        if kind == "unsupported":
            unsupported.update(set(info))
        elif kind == "failed":
            failures.append("%s: %s" % (name, info[0]))

    print("ONNX node tests: %d models" % len(models))
    for kind in ["imported", "unsupported", "needs-values", "failed"]:
        print("  %-13s %d" % (kind, counts[kind]))
    print("unsupported ops (models):")
    for op, n in sorted(unsupported.items(), key=lambda kv: (-kv[1], kv[0])):
        print("  %4d  %s" % (n, op))
    for f in failures:
        print("FAILED %s" % f)
    if failures or counts["imported"] < args.min_imported:
        print("FAIL: %d failures, %d imported (minimum %d)"
              % (len(failures), counts["imported"], args.min_imported))
        return 1
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
