#!/usr/bin/python3
"""f32 GEMM benchmark: our compiled matmul against OpenBLAS and oneDNN.

One command, everything in the same run:

  1. measures this machine's f32 FMA peak (benchmarks/gemm_native.c,
     compiled here with clang: 24 independent FMA chains per thread, best
     of 200 short bursts) for 1 and 2 threads, and prints `uptime` (other
     jobs on the machine skew every figure; compare same-run ratios);
  2. for every thread count T of --threads (default 1 and 2) and every
     shape C[M, N] = A[M, K] B[K, N] with M in {1, 32, 128, 512} and
     (K, N) in {(768, 768), (768, 3072), (3072, 768), (4096, 4096)}:
     - numpy's matmul (OpenBLAS, OPENBLAS_CORETYPE=SKYLAKEX so that Debian's
       OpenBLAS uses its AVX-512 kernels instead of mis-detecting this CPU,
       OPENBLAS_NUM_THREADS=T) in a subprocess,
     - oneDNN's dnnl_sgemm (libdnnl-dev, OMP_NUM_THREADS=T),
     - ours: `llm-run --threads T` on a `transformer.matmul` model (CPU
       pipeline, tiling on, compiled for T threads, JIT, one checked call
       then --bench N timed calls; the time includes allocating and
       zero-filling C, which the baselines do not do: they write into a
       preallocated C); with --weights B is instead a constant of the
       model (an ONNX MatMul with B as initializer, as a layer's weight:
       packed into register panels at compile time, not timed),
     each --reps timed calls after a warm-up (median, or with --stat min
     the fastest call: on a machine shared with other jobs the least
     disturbed one), the three
     alternating for --rounds rounds (median over rounds), so that all
     see the same machine load;
  3. prints GFLOP/s (2*M*N*K / time), our ratio to each baseline and the
     fraction of the measured peak for T threads; for M = 1 (a GEMV, bound
     by reading B once) also B's bytes per second (4*K*N / time) and their
     fraction of the read bandwidth, measured per T in the same run
     (benchmarks/gemm_native.c `read`: T threads summing a 512 MiB f32
     array in 2 MiB pages, median of --reps passes; the numpy copy figure,
     read + write bytes, is printed beside it for comparison with older
     tables).

Usage: benchmarks/gemm.py [--reps 20] [--rounds 3] [--llm-run PATH]
                          [--threads 1 2] [--shapes M,K,N ...] [--weights]
                          [--stat median|min]
llm-run defaults to $LLM_RUN, else the newest build*/bin/llm-run of the repo.
"""

import argparse
import glob
import os
import re
import statistics
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MS = (1, 32, 128, 512)
KNS = ((768, 768), (768, 3072), (3072, 768), (4096, 4096))

NUMPY_TIMER = r"""
import sys, time
import numpy as np
m, n, k, reps = map(int, sys.argv[1:5])
rng = np.random.default_rng(0)
a = rng.standard_normal((m, k), dtype=np.float32)
b = rng.standard_normal((k, n), dtype=np.float32)
c = np.empty((m, n), dtype=np.float32)
np.matmul(a, b, out=c)
times = []
for _ in range(reps):
    t = time.perf_counter()
    np.matmul(a, b, out=c)
    times.append((time.perf_counter() - t) * 1e3)
times.sort()
print(times[len(times) // 2], times[0])
"""


def find_llm_run():
    if os.environ.get("LLM_RUN"):
        return os.environ["LLM_RUN"]
    found = glob.glob(os.path.join(REPO, "build*", "bin", "llm-run"))
    if not found:
        sys.exit("no build*/bin/llm-run: build it or pass --llm-run")
    return max(found, key=os.path.getmtime)


COPY_TIMER = r"""
import statistics, sys, time
import numpy as np
a = np.ones(128 << 20, dtype=np.float32)
b = np.empty_like(a)
np.copyto(b, a)
times = []
for _ in range(int(sys.argv[1])):
    t = time.perf_counter()
    np.copyto(b, a)
    times.append(time.perf_counter() - t)
print(2 * a.nbytes / statistics.median(times) / 1e9)
"""


def run(cmd, env=None):
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True, env=env)
    if proc.returncode != 0:
        sys.exit("failed (%d): %s\n%s" % (proc.returncode, " ".join(cmd),
                                          proc.stdout))
    return proc.stdout


def threads_env(threads):
    env = dict(os.environ)
    env.update(OPENBLAS_CORETYPE="SKYLAKEX",
               OPENBLAS_NUM_THREADS=str(threads), OMP_NUM_THREADS=str(threads))
    return env


STAT_FIELD = {"median": 0, "min": 1}


def time_numpy(m, n, k, reps, threads, stat="median"):
    out = run([sys.executable, "-c", NUMPY_TIMER, str(m), str(n), str(k),
               str(reps)], threads_env(threads))
    return float(out.strip().splitlines()[-1].split()[STAT_FIELD[stat]])


def time_dnnl(native, m, n, k, reps, threads, stat="median"):
    out = run([native, "dnnl", str(m), str(n), str(k), str(reps)],
              threads_env(threads))
    return float(out.strip().split()[STAT_FIELD[stat]])


def write_weights_model(path, b, m, k):
    """An ONNX MatMul of input A [m, k] and B as an initializer (a weight)."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper
    n = b.shape[1]
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["a", "b"], ["c"])], "gemm",
        [helper.make_tensor_value_info("a", TensorProto.FLOAT, [m, k])],
        [helper.make_tensor_value_info("c", TensorProto.FLOAT, [m, n])],
        [numpy_helper.from_array(b, "b")])
    onnx.save(helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", 17)]), path)


def time_ours(llm_run, tmp, m, n, k, reps, threads, weights=False,
              stat="median"):
    import numpy as np
    rng = np.random.default_rng(0)
    a = rng.standard_normal((m, k), dtype=np.float32)
    b = rng.standard_normal((k, n), dtype=np.float32)
    np.save(os.path.join(tmp, "a.npy"), a)
    inputs = ["--input", "arg0=" + os.path.join(tmp, "a.npy")]
    if weights:
        model = os.path.join(tmp, "gemm_%d_%d_%d.onnx" % (m, n, k))
        if not os.path.exists(model):
            write_weights_model(model, b, m, k)
        inputs = ["--input", "a=" + os.path.join(tmp, "a.npy")]
    else:
        model = os.path.join(tmp, "gemm_%d_%d_%d.mlir" % (m, n, k))
        a_t, b_t, c_t = ("tensor<%dx%dxf32>" % s
                         for s in ((m, k), (k, n), (m, n)))
        with open(model, "w") as f:
            f.write("func.func @main(%%a: %s, %%b: %s) -> %s {\n"
                    "  %%0 = transformer.matmul %%a, %%b : %s, %s -> %s\n"
                    "  return %%0 : %s\n}\n"
                    % (a_t, b_t, c_t, a_t, b_t, c_t, c_t))
        np.save(os.path.join(tmp, "b.npy"), b)
        inputs += ["--input", "arg1=" + os.path.join(tmp, "b.npy")]
    out_dir = os.path.join(tmp, "out")
    out = run([llm_run, model] + inputs +
              ["--bench", str(reps), "--output-dir", out_dir,
               "--threads", str(threads)], threads_env(threads))
    got = np.load(glob.glob(os.path.join(out_dir, "*.npy"))[0])
    ref = a.astype(np.float64) @ b.astype(np.float64)
    err = float(np.abs(got - ref).max())
    if err > 1e-4 * np.sqrt(k) * max(1.0, float(np.abs(ref).max())):
        sys.exit("ours is wrong for %dx%dx%d: max abs error %g" % (m, n, k,
                                                                 err))
    med = re.search(stat + r" ([0-9.e+-]+) ms", out)
    return float(med.group(1))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--reps", type=int, default=20)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--llm-run", default=None)
    p.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    p.add_argument("--shapes", nargs="*", default=None,
                   help="M,K,N triples instead of the default grid")
    p.add_argument("--stat", choices=("median", "min"), default="median",
                   help="per-round statistic of the --reps calls (min: the "
                   "least disturbed call, for a machine shared with other "
                   "jobs)")
    p.add_argument("--weights", action="store_true",
                   help="B is a constant weight of the model (an ONNX "
                   "initializer, packed at compile time) instead of an "
                   "argument")
    args = p.parse_args()
    llm_run = args.llm_run or find_llm_run()
    shapes = ([tuple(int(x) for x in s.split(",")) for s in args.shapes]
              if args.shapes else [(m, k, n) for (k, n) in KNS for m in MS])

    with tempfile.TemporaryDirectory(prefix="gemm_bench_") as tmp:
        native = os.path.join(tmp, "gemm_native")
        run(["clang", "-O2", "-march=native", "-o", native,
             os.path.join(REPO, "benchmarks", "gemm_native.c"), "-ldnnl",
             "-lpthread"])
        peaks = {t: float(run([native, "peak", str(t)]).strip())
                 for t in sorted(set(args.threads) | {1, 2})}
        print("f32 FMA peak (measured): " + ", ".join(
            "%.1f GFLOP/s %d thread%s" % (peaks[t], t, "" if t == 1 else "s")
            for t in sorted(peaks)))
        print("uptime: " + run(["uptime"]).strip())
        print("median over %d rounds of the %s of %d calls; llm-run: %s"
              "; B: %s" % (args.rounds, args.stat, args.reps, llm_run,
                           "constant weight (ONNX initializer)" if args.weights
                           else "argument"))
        read_bw = {}
        if any(m == 1 for m, _, _ in shapes):
            for t in args.threads:
                read_bw[t] = float(run([native, "read", str(t),
                                        str(args.reps)]).split()[0])
                copy_bw = float(run([sys.executable, "-c", COPY_TIMER,
                                     str(args.reps)],
                                    threads_env(t)).strip())
                print("memory bandwidth, %d thread%s: read %.1f GB/s (sum of "
                      "512 MiB, median), copy %.1f GB/s (numpy, read + write "
                      "bytes)" % (t, "" if t == 1 else "s", read_bw[t],
                                  copy_bw))
        print()
        print("| threads | M | K | N | ours GFLOP/s | OpenBLAS | oneDNN | "
              "ours/OpenBLAS | ours/oneDNN | ours % of peak | "
              "M = 1: ours B GB/s | % of read bandwidth |")
        print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for threads in args.threads:
            for m, k, n in shapes:
                flop = 2.0 * m * n * k
                runs = {"ours": [], "blas": [], "dnnl": []}
                for _ in range(args.rounds):
                    runs["ours"].append(time_ours(llm_run, tmp, m, n, k,
                                                  args.reps, threads,
                                                  args.weights, args.stat))
                    runs["blas"].append(time_numpy(m, n, k, args.reps,
                                                   threads, args.stat))
                    runs["dnnl"].append(time_dnnl(native, m, n, k, args.reps,
                                                  threads, args.stat))
                ours, blas, dnnl = (statistics.median(runs[key])
                                    for key in ("ours", "blas", "dnnl"))
                g = lambda ms: flop / (ms * 1e-3) / 1e9
                if m == 1:
                    gbs = 4.0 * k * n / (ours * 1e-3) / 1e9
                    stream = "%.1f | %.0f%%" % (gbs,
                                                100 * gbs / read_bw[threads])
                else:
                    stream = " | "
                print("| %d | %d | %d | %d | %.1f | %.1f | %.1f | %.2f | "
                      "%.2f | %.0f%% | %s |"
                      % (threads, m, k, n, g(ours), g(blas), g(dnnl),
                         blas / ours, dnnl / ours,
                         100 * g(ours) / peaks[threads], stream))
                sys.stdout.flush()
        print("uptime: " + run(["uptime"]).strip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
