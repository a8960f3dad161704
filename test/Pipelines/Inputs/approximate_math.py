#!/usr/bin/python3
"""Checks the values llm-approximate-math's polynomials give through the CPU
pipeline against numpy/math in float64 (an independent reference).

Usage: approximate_math.py LLM_RUN MODEL.mlir WORKDIR
MODEL's @main takes one f32[N] and returns exp, tanh, erf, log of it.
Bars: relative 1e-6 for exp and log where the f32 result is a normal number,
absolute 1e-6 for tanh and erf; special values exact: exp(-inf) = 0,
exp(+inf) = inf, exp overflow = inf, log(0) = -inf, log(x < 0) = NaN, NaN
propagates, tanh/erf saturate to +-1.
"""
import math
import os
import subprocess
import sys

import numpy as np

llm_run, model, work = sys.argv[1:4]
os.makedirs(work, exist_ok=True)
special = [-np.inf, -200.0, -100.0, -87.5, -10.0, -1e-3, 0.0, 1e-3, 0.5, 3.0,
           10.0, 80.0, 88.5, 89.0, np.inf, np.nan]
dense = np.linspace(-20.0, 20.0, 4001)
x = np.array(special + list(dense), np.float32)
np.save(os.path.join(work, "x.npy"), x)
subprocess.run([llm_run, model, "--input", "arg0=" + os.path.join(work, "x.npy"),
                "--output-dir", os.path.join(work, "out")], check=True,
               stdout=subprocess.DEVNULL)
xd = x.astype(np.float64)
with np.errstate(all="ignore"):
    refs = {
        "exp": np.exp(xd),
        "tanh": np.tanh(xd),
        "erf": np.array([math.erf(v) if not math.isnan(v) else math.nan
                         for v in xd]),
        "log": np.log(np.where(xd >= 0, xd, np.nan)),
    }
failures = 0
for k, (name, ref) in enumerate(refs.items()):
    got = np.load(os.path.join(work, "out", "result%d.npy" % k)).astype(np.float64)
    # The f32 rounding of the reference: overflow to inf, underflow to 0.
    with np.errstate(over="ignore"):
        ref32 = ref.astype(np.float32).astype(np.float64)
    worst = 0.0
    for xi, g, r in zip(xd, got, ref32):
        if math.isnan(r) or math.isinf(r) or r == 0.0 or abs(r) < 1.2e-38:
            ok = (math.isnan(r) and math.isnan(g)) or g == r or (
                abs(r) < 1.2e-38 and abs(g) < 1.2e-38)
            err = 0.0 if ok else math.inf
        elif name in ("exp", "log"):
            err = abs(g - r) / abs(r)
            ok = err <= 1e-6
        else:
            err = abs(g - r)
            ok = err <= 1e-6
        worst = max(worst, err)
        if not ok:
            failures += 1
            print("MISMATCH %s(%r) = %r, expected %r" % (name, xi, g, r))
    print("%s: %d values, worst error %.3g" % (name, len(xd), worst))
print("FAIL" if failures else "PASS")
sys.exit(1 if failures else 0)
