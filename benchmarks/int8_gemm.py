#!/usr/bin/python3
"""int8 GEMM and low-bit GEMV benchmark: our int8 kernels against our f32
GEMM and oneDNN, in the same run.

1. int8 GEMM, C[M, N] (i32) = A[M, K] (u8, a model input) x B[K, N] (s8,
   a constant: packed at compile time, as weights are), for M in
   {1, 32, 128, 512} and (K, N) in {(768, 768), (768, 3072), (3072, 768),
   (4096, 4096)}:
   - ours int8: `llm-run` on a `transformer.quantized_matmul` model (the
     CPU pipeline picks VNNI / AMX / portable from the host; output
     checked exactly against numpy),
   - ours f32: benchmarks/gemm.py's `transformer.matmul` run (the f32
     tiled kernel; checked against numpy),
   - oneDNN f32 (dnnl_sgemm) and oneDNN int8 (dnnl_gemm_u8s8s32), through
     benchmarks/gemm_native.c (compiled here, as gemm.py does);
   each the median of --reps calls, alternating for --rounds rounds
   (median over rounds); prints GOP/s (2*M*N*K / time) and ratios.
2. Weight-only GEMV (M = 1, decode): one f32 model `x @ W` with a constant
   W [K, N], run by `llm-run` as f32 and with --quantize=int8-weight,
   int8-dynamic and int4-weight (group 32); prints the time, the weight
   bytes each reads per call (f32: 4 K N; int8: K N + scales; int4: K N / 2,
   two values per byte, + group scales) as GB/s, against this machine's
   measured memory bandwidth (numpy copy of 512 MiB, read + write bytes).

Our timings include allocating C (llm-run's --bench times whole model
calls); the oneDNN ones write into a preallocated C. Each table is printed
for every thread count T of --threads (default 1): ours compiled and run
with `llm-run --threads T` (the kernels' panel loop on T OpenMP threads),
oneDNN with OMP_NUM_THREADS=T.

Usage: benchmarks/int8_gemm.py [--reps 20] [--rounds 3] [--llm-run PATH]
         [--threads 1 2] [--shapes M,K,N ...] [--gemv K,N ...] [--no-gemm]
         [--no-gemv]
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

GEMV = ((768, 3072), (4096, 4096))

BANDWIDTH_TIMER = r"""
import time
import numpy as np
a = np.ones(128 << 20, dtype=np.float32)
b = np.empty_like(a)
np.copyto(b, a)
best = min((lambda t: (np.copyto(b, a), time.perf_counter() - t)[1])(
    time.perf_counter()) for _ in range(10))
print(2 * a.nbytes / best / 1e9)
"""


def median_ms(out):
    return float(re.search(r"median ([0-9.e+-]+) ms", out).group(1))


def time_ours_int8(llm_run, tmp, m, n, k, reps, threads):
    rng = np.random.default_rng(1)
    a = rng.integers(0, 256, (m, k)).astype(np.uint8)
    b = rng.integers(-128, 128, (k, n)).astype(np.int8)
    model = os.path.join(tmp, "qmm_%d_%d_%d.mlir" % (m, n, k))
    if not os.path.exists(model):
        with open(model, "w") as f:
            f.write("func.func @main(%%a: tensor<%dx%dxui8>) -> "
                    "tensor<%dx%dxi32> {\n" % (m, k, m, n))
            f.write("  %%b = arith.constant dense<\"0x%s\"> : "
                    "tensor<%dx%dxi8>\n" % (b.tobytes().hex(), k, n))
            f.write("  %%0 = transformer.quantized_matmul %%a, %%b : "
                    "tensor<%dx%dxui8>, tensor<%dx%dxi8> -> tensor<%dx%dxi32>\n"
                    "  return %%0 : tensor<%dx%dxi32>\n}\n"
                    % (m, k, k, n, m, n, m, n))
    np.save(os.path.join(tmp, "a8.npy"), a)
    out_dir = os.path.join(tmp, "out8")
    out = gemm.run([llm_run, model, "--input",
                    "arg0=" + os.path.join(tmp, "a8.npy"), "--bench",
                    str(reps), "--output-dir", out_dir,
                    "--threads", str(threads)])
    got = np.load(glob.glob(os.path.join(out_dir, "*.npy"))[0])
    # Exact: |sums| < 255 * 128 * K < 2^53.
    ref = a.astype(np.float64) @ b.astype(np.float64)
    if not np.array_equal(got.astype(np.float64), ref):
        sys.exit("ours int8 is wrong for %dx%dx%d" % (m, n, k))
    return median_ms(out)


def time_dnnl_int8(native, m, n, k, reps, threads):
    out = gemm.run([native, "dnnl-u8s8", str(m), str(n), str(k), str(reps)],
                   gemm.threads_env(threads))
    return float(out.strip())


def gemv_model(tmp, k, n):
    rng = np.random.default_rng(2)
    w = (rng.standard_normal((k, n)) / np.sqrt(k)).astype(np.float32)
    x = rng.standard_normal((1, k)).astype(np.float32)
    model = os.path.join(tmp, "gemv_%d_%d.mlir" % (k, n))
    with open(model, "w") as f:
        f.write("func.func @main(%%x: tensor<1x%dxf32>) -> tensor<1x%dxf32> {\n"
                % (k, n))
        f.write("  %%w = transformer.constant dense<\"0x%s\"> : tensor<%dx%dxf32>\n"
                % (w.tobytes().hex(), k, n))
        f.write("  %%0 = transformer.matmul %%x, %%w : tensor<1x%dxf32>, "
                "tensor<%dx%dxf32> -> tensor<1x%dxf32>\n"
                "  return %%0 : tensor<1x%dxf32>\n}\n" % (k, k, n, n, n))
    np.save(os.path.join(tmp, "x.npy"), x)
    return model, x @ w


def time_gemv(llm_run, tmp, model, ref, mode, reps, threads):
    cmd = [llm_run, model, "--input", "arg0=" + os.path.join(tmp, "x.npy"),
           "--bench", str(reps), "--output-dir", os.path.join(tmp, "outv"),
           "--threads", str(threads)]
    if mode != "f32":
        cmd.append("--quantize=" + mode)
    out = gemm.run(cmd)
    got = np.load(glob.glob(os.path.join(tmp, "outv", "*.npy"))[0])
    cos = float((got * ref).sum() /
                (np.linalg.norm(got) * np.linalg.norm(ref)))
    if cos < (0.99 if mode == "int4-weight" else 0.999):
        sys.exit("%s GEMV: cosine similarity %g" % (mode, cos))
    return median_ms(out)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--reps", type=int, default=20)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--llm-run", default=None)
    p.add_argument("--shapes", nargs="*", default=None,
                   help="M,K,N triples instead of the default grid")
    p.add_argument("--gemv", nargs="*", default=None,
                   help="K,N pairs instead of the default GEMV shapes")
    p.add_argument("--no-gemm", action="store_true")
    p.add_argument("--no-gemv", action="store_true")
    p.add_argument("--threads", type=int, nargs="+", default=[1])
    args = p.parse_args()
    llm_run = args.llm_run or gemm.find_llm_run()
    shapes = ([tuple(int(x) for x in s.split(",")) for s in args.shapes]
              if args.shapes else
              [(m, k, n) for (k, n) in gemm.KNS for m in gemm.MS])
    gemvs = ([tuple(int(x) for x in s.split(",")) for s in args.gemv]
             if args.gemv else GEMV)

    with tempfile.TemporaryDirectory(prefix="int8_bench_") as tmp:
        native = os.path.join(tmp, "gemm_native")
        gemm.run(["clang", "-O2", "-march=native", "-o", native,
                  os.path.join(gemm.REPO, "benchmarks", "gemm_native.c"),
                  "-ldnnl", "-lpthread"])
        print("median over %d rounds of the median of %d calls; "
              "llm-run: %s" % (args.rounds, args.reps, llm_run))
        print("uptime: " + gemm.run(["uptime"]).strip())
        if not args.no_gemm:
            print()
            print("| threads | M | K | N | ours int8 GOP/s | ours f32 GFLOP/s "
                  "| oneDNN int8 | oneDNN f32 | int8/f32 (ours) | "
                  "ours/oneDNN int8 |")
            print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
            for th, (m, k, n) in [(th, s) for th in args.threads
                                  for s in shapes]:
                runs = {key: [] for key in ("i8", "f32", "dnnl8", "dnnl32")}
                for _ in range(args.rounds):
                    runs["i8"].append(time_ours_int8(llm_run, tmp, m, n, k,
                                                     args.reps, th))
                    runs["f32"].append(gemm.time_ours(llm_run, tmp, m, n, k,
                                                      args.reps, th))
                    runs["dnnl8"].append(time_dnnl_int8(native, m, n, k,
                                                        args.reps, th))
                    runs["dnnl32"].append(gemm.time_dnnl(native, m, n, k,
                                                         args.reps, th))
                t = {key: statistics.median(v) for key, v in runs.items()}
                g = lambda ms: 2.0 * m * n * k / (ms * 1e-3) / 1e9
                print("| %d | %d | %d | %d | %.1f | %.1f | %.1f | %.1f | %.2f "
                      "| %.2f |" % (th, m, k, n, g(t["i8"]), g(t["f32"]),
                                  g(t["dnnl8"]), g(t["dnnl32"]),
                                  t["f32"] / t["i8"], t["dnnl8"] / t["i8"]))
                sys.stdout.flush()
        if not args.no_gemv:
            bandwidth = float(gemm.run([sys.executable, "-c",
                                        BANDWIDTH_TIMER]).strip())
            print()
            print("memory bandwidth (numpy copy of 512 MiB, read + write "
                  "bytes): %.1f GB/s" % bandwidth)
            print()
            print("| threads | K | N | mode | ms | weight MB | GB/s | "
                  "% of bandwidth | speed-up vs f32 |")
            print("|---:|---:|---:|---|---:|---:|---:|---:|---:|")
            modes = ("f32", "int8-weight", "int8-dynamic", "int4-weight")
            for th, (k, n) in [(th, s) for th in args.threads
                               for s in gemvs]:
                model, ref = gemv_model(tmp, k, n)
                runs = {mode: [] for mode in modes}
                for _ in range(args.rounds):
                    for mode in modes:
                        runs[mode].append(time_gemv(llm_run, tmp, model, ref,
                                                    mode, args.reps, th))
                t = {mode: statistics.median(v) for mode, v in runs.items()}
                for mode in modes:
                    groups = (k + 31) // 32
                    nbytes = {"f32": 4 * k * n, "int8-weight": k * n + 4 * n,
                              "int8-dynamic": k * n + 4 * n,
                              "int4-weight": (k + 1) // 2 * n +
                              4 * n * groups}[mode]
                    gbs = nbytes / (t[mode] * 1e-3) / 1e9
                    print("| %d | %d | %d | %s | %.3f | %.1f | %.1f | %.0f%% "
                          "| %.2f |" % (th, k, n, mode, t[mode], nbytes / 1e6,
                                        gbs,
                                      100 * gbs / bandwidth,
                                      t["f32"] / t[mode]))
                sys.stdout.flush()
        print("uptime: " + gemm.run(["uptime"]).strip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
