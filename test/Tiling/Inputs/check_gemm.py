"""Runs one f32 matmul through llm-run, tiled and untiled, against numpy.

Usage: check_gemm.py LLM_RUN WORKDIR M N K [--batch B] [--dynamic-m]
                     [--pipeline-options OPTS] [--threads T] [--const-b]
                     [--linear]

Writes WORKDIR/gemm.mlir holding `transformer.matmul` of A [B,] M x K and
B [B,] K x N (M dynamic with --dynamic-m), random inputs (seeded by the
shape), runs `llm-run --output-dir` with the CPU pipeline's tiling on
(plus OPTS) and off (tile=false, the scalar reference lowering), and
compares both outputs with numpy's float64 product: |ours - ref| <=
1e-5 * sqrt(K) * max|ref| + 1e-6. With --threads T the tiled model also
runs compiled for and on T threads (llm-run --threads T, every parallel
loop split: parallel-min-cycles=0), checked against numpy and required to
be bitwise equal to the one-thread result. With --const-b, B is a constant
of the model (an arith.constant weight, which the pipeline packs into
register panels at compile time) instead of an argument. With --linear the
model is `transformer.linear` of A and W = B^T [N, K] (a linear layer's
weight layout; constant with --const-b). Prints one OK
line or exits 1 with the worst element.
"""

import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_harness as harness  # noqa: E402


def write_transposed_b_model(path, a_t, b_t, c_t, batch, dynamic_m):
    """C = A B^T as a linalg.generic on tensors, B read at (batch, n, k)."""
    lead = ["b"] if batch else []
    dims = lead + ["m", "n", "k"]

    def amap(results):
        return "affine_map<(%s) -> (%s)>" % (", ".join(dims),
                                             ", ".join(lead + results))

    iters = ", ".join(['"parallel"'] * (len(dims) - 1) + ['"reduction"'])
    m_pos = len(lead)
    with open(path, "w") as f:
        f.write("func.func @main(%%a: %s, %%b: %s) -> %s {\n" %
                (a_t, b_t, c_t))
        f.write("  %zero = arith.constant 0.0 : f32\n")
        if dynamic_m:
            f.write("  %%i = arith.constant %d : index\n"
                    "  %%m = tensor.dim %%a, %%i : %s\n"
                    "  %%e = tensor.empty(%%m) : %s\n" % (m_pos, a_t, c_t))
        else:
            f.write("  %%e = tensor.empty() : %s\n" % c_t)
        f.write("  %%c = linalg.fill ins(%%zero : f32) outs(%%e : %s) -> %s\n"
                % (c_t, c_t))
        f.write("  %%0 = linalg.generic {indexing_maps = [%s, %s, %s], "
                "iterator_types = [%s]} ins(%%a, %%b : %s, %s) "
                "outs(%%c : %s) {\n"
                "  ^bb0(%%x: f32, %%y: f32, %%acc: f32):\n"
                "    %%p = arith.mulf %%x, %%y : f32\n"
                "    %%s = arith.addf %%acc, %%p : f32\n"
                "    linalg.yield %%s : f32\n"
                "  } -> %s\n"
                "  return %%0 : %s\n}\n" %
                (amap(["m", "k"]), amap(["n", "k"]), amap(["m", "n"]), iters,
                 a_t, b_t, c_t, c_t, c_t))


def main():
    p = harness.parser()
    harness.add_shape(p)
    p.add_argument("--pipeline-options", default="")
    p.add_argument("--const-b", action="store_true")
    p.add_argument("--linear", action="store_true")
    p.add_argument("--transposed-b", action="store_true")
    args = harness.parse(p)

    lead = [args.batch] if args.batch else []
    rng = np.random.default_rng(args.m * 1000003 + args.n * 1009 + args.k)
    a = rng.standard_normal(lead + [args.m, args.k]).astype(np.float32)
    b = rng.standard_normal(lead + [args.k, args.n]).astype(np.float32)
    ref = np.matmul(a.astype(np.float64), b.astype(np.float64))

    def ty(dims):
        return "tensor<%sxf32>" % "x".join(dims)

    lead_s = [str(args.batch)] if args.batch else []
    m_s = "?" if args.dynamic_m else str(args.m)
    a_t = ty(lead_s + [m_s, str(args.k)])
    b_t = ty(lead_s + [str(args.k), str(args.n)])
    op = "matmul"
    if args.linear:
        b = np.ascontiguousarray(b.T)
        b_t = ty([str(args.n), str(args.k)])
        op = "linear"
    c_t = ty(lead_s + [m_s, str(args.n)])
    mlir = os.path.join(args.workdir, "gemm.mlir")
    if args.transposed_b:
        b = np.ascontiguousarray(np.swapaxes(b, -1, -2))
        b_t = ty(lead_s + [str(args.n), str(args.k)])
        write_transposed_b_model(mlir, a_t, b_t, c_t, bool(args.batch),
                                 args.dynamic_m)
    with open(mlir, "a" if args.transposed_b else "w") as f:
        if args.transposed_b:
            pass
        elif args.const_b:
            # float32 values printed exactly (repr of the float64 widening).
            data = np.array2string(b.astype(np.float64), separator=", ",
                                   threshold=b.size + 1,
                                   floatmode="unique", max_line_width=1 << 30)
            f.write("func.func @main(%%a: %s) -> %s {\n"
                    "  %%b = arith.constant dense<%s> : %s\n"
                    % (a_t, c_t, data, b_t))
        else:
            f.write("func.func @main(%%a: %s, %%b: %s) -> %s {\n"
                    % (a_t, b_t, c_t))
        if not args.transposed_b:
            f.write("  %%0 = transformer.%s %%a, %%b : %s, %s -> %s\n"
                    "  return %%0 : %s\n}\n" % (op, a_t, b_t, c_t, c_t))
    inputs = harness.save_inputs(
        args.workdir, [("arg0", a)] + ([] if args.const_b else [("arg1", b)]))

    tol = 1e-5 * np.sqrt(args.k) * max(1.0, np.abs(ref).max()) + 1e-6
    runs = [("true", args.pipeline_options, 1), ("false", "", 1)]
    if args.threads:
        runs.append(("true", harness.split_all(args.pipeline_options),
                     args.threads))
    results = {}
    for tile, extra, threads in runs:
        out = os.path.join(args.workdir, "out-%s-%d" % (tile, threads))
        opts = ("tile=%s %s" % (tile, extra)).strip()
        label = "tile=%s" % tile
        got = harness.run(args.llm_run, mlir, inputs + [
            "--pipeline-options=" + opts, "--threads", str(threads)], out,
            ref.shape, label)
        harness.check_close(label, got, ref, tol)
        results[(tile, threads)] = got
    if args.threads:
        harness.check_equal("%d threads" % args.threads,
                            results[("true", args.threads)],
                            results[("true", 1)], "1 thread")
    print("OK batch=%d m=%d n=%d k=%d dynamic_m=%s%s%s%s%s" % (
        args.batch, args.m, args.n, args.k, args.dynamic_m,
        " threads=%d" % args.threads if args.threads else "",
        " const_b" if args.const_b else "",
        " linear" if args.linear else "",
        " transposed_b" if args.transposed_b else ""))


if __name__ == "__main__":
    main()
