"""Runs LayerNorm, RMSNorm and softmax through llm-run against numpy.

Usage: check_row_reductions.py LLM_RUN WORKDIR OP ROWS WIDTH [--dynamic]
                               [--threads T]

OP is layer_norm, rms_norm or softmax (last axis). Writes WORKDIR/OP.mlir
holding the transformer op on x [ROWS, WIDTH] (ROWS dynamic with
--dynamic; the norms with a random scale, LayerNorm with a bias), random
inputs seeded by the shape (with a large common offset per row, where a
naive one-pass variance would lose digits), runs it with `llm-run
--output-dir` (the CPU pipeline, whose row sums and maxima are vectorized
by llm-vectorize-row-reductions) and compares with numpy in float64:
|ours - ref| <= 1e-6 * max|ref| (1e-6 relative to the output's scale).
With --threads T it also runs compiled for and on T threads (every
parallel loop split: parallel-min-cycles=0), checked the same way and
required to be bitwise equal to the one-thread result. Prints one OK line
or exits 1 with the worst element.
"""

import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_harness as harness  # noqa: E402

EPS = 1e-5


def reference(op, x, scale, bias):
    x = x.astype(np.float64)
    if op == "softmax":
        e = np.exp(x - x.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)
    if op == "layer_norm":
        mean = x.mean(axis=-1, keepdims=True)
        var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
        return (x - mean) / np.sqrt(var + EPS) * scale + bias
    ms = (x * x).mean(axis=-1, keepdims=True)
    return x / np.sqrt(ms + EPS) * scale


def main():
    p = harness.parser()
    p.add_argument("op", choices=["layer_norm", "rms_norm", "softmax"])
    p.add_argument("rows", type=int)
    p.add_argument("width", type=int)
    p.add_argument("--dynamic", action="store_true")
    args = harness.parse(p)

    rng = np.random.default_rng(args.rows * 1000003 + args.width)
    x = (rng.standard_normal((args.rows, args.width)) +
         rng.uniform(-4, 4, (args.rows, 1))).astype(np.float32)
    scale = rng.uniform(0.5, 1.5, args.width).astype(np.float32)
    bias = rng.standard_normal(args.width).astype(np.float32)
    ref = reference(args.op, x, scale.astype(np.float64),
                    bias.astype(np.float64))

    rows = "?" if args.dynamic else str(args.rows)
    x_t = "tensor<%sx%dxf32>" % (rows, args.width)
    v_t = "tensor<%dxf32>" % args.width
    mlir = os.path.join(args.workdir, args.op + ".mlir")
    inputs = [("arg0", x)]
    with open(mlir, "w") as f:
        if args.op == "softmax":
            f.write("func.func @main(%%x: %s) -> %s {\n"
                    "  %%0 = transformer.softmax %%x : %s\n" % (x_t, x_t, x_t))
        elif args.op == "layer_norm":
            f.write("func.func @main(%%x: %s, %%g: %s, %%b: %s) -> %s {\n"
                    "  %%0 = transformer.layer_norm %%x scale %%g : %s bias "
                    "%%b : %s {epsilon = %.8e : f32} : %s\n"
                    % (x_t, v_t, v_t, x_t, v_t, v_t, EPS, x_t))
            inputs += [("arg1", scale), ("arg2", bias)]
        else:
            f.write("func.func @main(%%x: %s, %%g: %s) -> %s {\n"
                    "  %%0 = transformer.rms_norm %%x scale %%g : %s "
                    "{epsilon = %.8e : f32} : %s\n"
                    % (x_t, v_t, x_t, v_t, EPS, x_t))
            inputs += [("arg1", scale)]
        f.write("  return %%0 : %s\n}\n" % x_t)
    cmd_inputs = harness.save_inputs(args.workdir, inputs)

    tol = 1e-6 * np.abs(ref).max()
    runs = [("", 1)]
    if args.threads:
        runs.append((harness.split_all(""), args.threads))
    results = {}
    for options, threads in runs:
        out = os.path.join(args.workdir, "out-%d" % threads)
        cmd = cmd_inputs + ["--threads", str(threads)]
        if options:
            cmd.append("--pipeline-options=" + options)
        label = "threads=%d" % threads
        got = harness.run(args.llm_run, mlir, cmd, out, ref.shape, label)
        harness.check_close(label, got, ref, tol)
        results[threads] = got
    if args.threads:
        harness.check_equal("%d threads" % args.threads,
                            results[args.threads], results[1], "1 thread")
    print("OK %s rows=%d width=%d dynamic=%s%s" % (
        args.op, args.rows, args.width, args.dynamic,
        " threads=%d" % args.threads if args.threads else ""))


if __name__ == "__main__":
    main()
