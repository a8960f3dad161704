#!/usr/bin/python3
"""Contractions with a transposed B that is not a constant: ours vs OpenBLAS.

C = A B^T with B an input stored [batch..., N, K] (k innermost): the cases
that took the scalar loop lowering before B was packed at run time
(docs/tiling.md, "Transposed B at run time"):

  linear   transformer.linear of A [M, K] and a weight W [N, K] passed as an
           argument (linalg.matmul with the transpose_b maps)
  heads    12 x (A [M, K] @ B [N, K]^T), a linalg.generic with B read at
           (batch, n, k): the Q K^T of attention written out
  onnx     an ONNX MatMul(A, Transpose(B)) with B a graph input

Everything in the same run, alternating for --rounds rounds (median over
rounds of each round's median of --reps calls): ours (`llm-run --bench`,
the CPU pipeline, JIT; each call allocates and zero-fills C), optionally an
older llm-run (--baseline-llm-run, e.g. a build of main before this
change), and numpy (OpenBLAS, OPENBLAS_CORETYPE=SKYLAKEX, writing into a
preallocated C: np.matmul(a, b^T view)). Ours is checked against numpy once
per shape.

Usage: benchmarks/transposed_b.py [--reps 20] [--rounds 3] [--threads 1]
                                  [--llm-run PATH] [--baseline-llm-run PATH]
                                  [--cases linear:128,768,3072 ...]
"""

import argparse
import glob
import os
import re
import statistics
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gemm  # noqa: E402  (the f32 benchmark's helpers)

# kind:M,K,N (heads: 12 batches).
DEFAULT_CASES = ("linear:128,768,3072", "linear:1,768,3072",
                 "heads:128,64,128", "onnx:128,768,3072")
HEADS = 12

NUMPY_TIMER = r"""
import sys, time
import numpy as np
a, b = np.load(sys.argv[1]), np.load(sys.argv[2])
reps = int(sys.argv[3])
bt = np.swapaxes(b, -1, -2)
c = np.matmul(a, bt)
times = []
for _ in range(reps):
    t = time.perf_counter()
    np.matmul(a, bt, out=c)
    times.append((time.perf_counter() - t) * 1e3)
print(sorted(times)[len(times) // 2])
"""


def tensor(dims):
    return "tensor<%sxf32>" % "x".join(str(d) for d in dims)


def write_model(path, kind, a_shape, b_shape, c_shape):
    """The model of one case (see the module docstring)."""
    a_t, b_t, c_t = tensor(a_shape), tensor(b_shape), tensor(c_shape)
    if kind == "onnx":
        import onnx
        from onnx import TensorProto, helper
        graph = helper.make_graph(
            [helper.make_node("Transpose", ["b"], ["bt"], perm=[1, 0]),
             helper.make_node("MatMul", ["a", "bt"], ["c"])], "gemm_bt",
            [helper.make_tensor_value_info("a", TensorProto.FLOAT, a_shape),
             helper.make_tensor_value_info("b", TensorProto.FLOAT, b_shape)],
            [helper.make_tensor_value_info("c", TensorProto.FLOAT, c_shape)])
        onnx.save(helper.make_model(
            graph, opset_imports=[helper.make_opsetid("", 17)]), path)
        return
    with open(path, "w") as f:
        f.write("func.func @main(%%a: %s, %%b: %s) -> %s {\n" %
                (a_t, b_t, c_t))
        if kind == "linear":
            f.write("  %%0 = transformer.linear %%a, %%b : %s, %s -> %s\n"
                    % (a_t, b_t, c_t))
        else:
            m = "affine_map<(b, m, n, k) -> (%s)>"
            f.write(
                "  %%z = arith.constant 0.0 : f32\n"
                "  %%e = tensor.empty() : %s\n"
                "  %%c = linalg.fill ins(%%z : f32) outs(%%e : %s) -> %s\n"
                "  %%0 = linalg.generic {indexing_maps = [%s, %s, %s], "
                "iterator_types = [\"parallel\", \"parallel\", \"parallel\", "
                "\"reduction\"]} ins(%%a, %%b : %s, %s) outs(%%c : %s) {\n"
                "  ^bb0(%%x: f32, %%y: f32, %%acc: f32):\n"
                "    %%p = arith.mulf %%x, %%y : f32\n"
                "    %%s = arith.addf %%acc, %%p : f32\n"
                "    linalg.yield %%s : f32\n"
                "  } -> %s\n" % (c_t, c_t, c_t, m % "b, m, k", m % "b, n, k",
                                 m % "b, m, n", a_t, b_t, c_t, c_t))
        f.write("  return %%0 : %s\n}\n" % c_t)


def time_llm_run(llm_run, model, a_path, b_path, reps, threads, out_dir):
    out = gemm.run([llm_run, model, "--input", a_path, "--input", b_path,
                    "--bench", str(reps), "--threads", str(threads),
                    "--output-dir", out_dir], gemm.threads_env(threads))
    return float(re.search(r"median ([0-9.e+-]+) ms", out).group(1))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--reps", type=int, default=20)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--llm-run", default=None)
    p.add_argument("--baseline-llm-run", default=None,
                   help="an older llm-run timed in the same rounds")
    p.add_argument("--cases", nargs="*", default=list(DEFAULT_CASES),
                   help="kind:M,K,N with kind linear, heads or onnx")
    args = p.parse_args()
    llm_run = args.llm_run or gemm.find_llm_run()
    runs = [("ours", llm_run)]
    if args.baseline_llm_run:
        runs.append(("baseline", args.baseline_llm_run))

    print("uptime: " + gemm.run(["uptime"]).strip())
    print("threads %d; median over %d rounds of the median of %d calls; "
          "llm-run: %s%s" % (args.threads, args.rounds, args.reps, llm_run,
                             "; baseline: " + args.baseline_llm_run
                             if args.baseline_llm_run else ""))
    print()
    header = "| case | M x K x N | ours ms | GFLOP/s |"
    if args.baseline_llm_run:
        header += " baseline ms | baseline/ours |"
    header += " OpenBLAS ms | OpenBLAS/ours |"
    print(header)
    print("|" + "---|" * (header.count("|") - 1))
    rng = np.random.default_rng(0)
    with tempfile.TemporaryDirectory(prefix="transposed_b_") as tmp:
        for case in args.cases:
            kind, dims = case.split(":")
            m, k, n = (int(x) for x in dims.split(","))
            lead = [HEADS] if kind == "heads" else []
            a = rng.standard_normal(lead + [m, k], dtype=np.float32)
            b = rng.standard_normal(lead + [n, k], dtype=np.float32)
            a_path = os.path.join(tmp, "a.npy")
            b_path = os.path.join(tmp, "b.npy")
            np.save(a_path, a)
            np.save(b_path, b)
            model = os.path.join(tmp, "model." +
                                 ("onnx" if kind == "onnx" else "mlir"))
            write_model(model, kind, lead + [m, k], lead + [n, k],
                        lead + [m, n])
            times = {name: [] for name, _ in runs}
            times["numpy"] = []
            for r in range(args.rounds):
                for name, binary in runs:
                    out_dir = os.path.join(tmp, "out-" + name)
                    times[name].append(time_llm_run(
                        binary, model, a_path, b_path, args.reps,
                        args.threads, out_dir))
                    if r == 0:
                        got = np.load(glob.glob(os.path.join(out_dir,
                                                             "*.npy"))[0])
                        ref = np.matmul(a.astype(np.float64),
                                        np.swapaxes(b, -1, -2)
                                        .astype(np.float64))
                        tol = 1e-4 * np.sqrt(k) * max(1.0, np.abs(ref).max())
                        if np.abs(got - ref).max() > tol:
                            sys.exit("%s is wrong on %s" % (name, case))
                times["numpy"].append(float(gemm.run(
                    [sys.executable, "-c", NUMPY_TIMER, a_path, b_path,
                     str(args.reps)],
                    gemm.threads_env(args.threads)).split()[-1]))
            med = {name: statistics.median(t) for name, t in times.items()}
            flops = 2.0 * m * n * k * (HEADS if kind == "heads" else 1)
            row = "| %s | %s%d x %d x %d | %.3f | %.1f |" % (
                kind, "%d x " % HEADS if lead else "", m, k, n, med["ours"],
                flops / med["ours"] / 1e6)
            if args.baseline_llm_run:
                row += " %.3f | %.1fx |" % (med["baseline"],
                                            med["baseline"] / med["ours"])
            row += " %.3f | %.2f |" % (med["numpy"], med["numpy"] / med["ours"])
            print(row, flush=True)


if __name__ == "__main__":
    main()
