#!/usr/bin/python3
"""f32 GEMM + bias + GELU (a transformer MLP's up-projection): our epilogue
fusion on and off, against PyTorch, in one run.

For every shape M,K,N of --shapes (default 128,768,3072: GPT-2-small's MLP
at seq 128) and thread count T of --threads (default 1):

  - ours: `llm-run --threads T --bench N` on Y = gelu_tanh(X W + b) written
    in the transformer dialect with W [K, N] and b [N] constants of the model
    (W packed into register panels at compile time, as a layer's weight);
    once with the CPU pipeline's defaults (the bias and GELU applied to the
    GEMM's register tiles after the last k block, no C buffer, no fill, no
    second pass) and once with `--pipeline-options=fuse-epilogues=false`
    (GEMM into a zero-filled C, then a vectorized loop nest reading C back
    for bias + GELU: the lowering before the fusion existed), the same
    binary; the first call of each is checked against numpy;
  - PyTorch eager: torch.nn.functional.gelu(torch.nn.functional.linear(X,
    W^T, b), approximate="tanh") with T threads (torch and the OpenBLAS pool
    its matmul runs on; OPENBLAS_CORETYPE=SKYLAKEX), --reps calls, median;

the three alternating for --rounds rounds (median over rounds) so that all
see the same machine load; prints ms, GFLOP/s (2*M*N*K / time) and the
ratios, and `uptime` before and after.

Usage: benchmarks/gemm_epilogue.py [--shapes M,K,N ...] [--threads 1 2]
                                   [--reps 20] [--rounds 5] [--llm-run PATH]
llm-run defaults to $LLM_RUN, else the newest build*/bin/llm-run of the repo.
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

os.environ.setdefault("OPENBLAS_CORETYPE", "SKYLAKEX")

import numpy as np  # noqa: E402
import torch  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gemm import find_llm_run  # noqa: E402
from gpt2_block import set_openblas_threads  # noqa: E402


def gelu_tanh(x):
    return 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x ** 3)))


def write_model(path, m, k, n, w, b):
    """Y = gelu_tanh(X W + b) with W and b as constants (hex dense data)."""
    def hexdata(array):
        return "0x" + np.ascontiguousarray(array, dtype="<f4").tobytes().hex()

    with open(path, "w") as f:
        f.write("func.func @main(%%x: tensor<%dx%dxf32>) -> tensor<%dx%dxf32> {\n"
                % (m, k, m, n))
        f.write('  %%w = arith.constant dense<"%s"> : tensor<%dx%dxf32>\n'
                % (hexdata(w), k, n))
        f.write('  %%b = arith.constant dense<"%s"> : tensor<%dxf32>\n'
                % (hexdata(b), n))
        f.write("  %%0 = transformer.matmul %%x, %%w : tensor<%dx%dxf32>, "
                "tensor<%dx%dxf32> -> tensor<%dx%dxf32>\n" % (m, k, k, n, m, n))
        f.write("  %%1 = transformer.add %%0, %%b : tensor<%dx%dxf32>, "
                "tensor<%dxf32> -> tensor<%dx%dxf32>\n" % (m, n, n, m, n))
        f.write("  %%2 = transformer.gelu %%1 approximation = tanh : "
                "tensor<%dx%dxf32>\n" % (m, n))
        f.write("  return %%2 : tensor<%dx%dxf32>\n}\n" % (m, n))


def time_ours(llm_run, model, x_path, out_dir, reps, threads, options):
    cmd = [llm_run, model, "--input", "arg0=" + x_path, "--threads",
           str(threads), "--bench", str(reps), "--output-dir", out_dir]
    if options:
        cmd.append("--pipeline-options=" + options)
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True)
    if proc.returncode != 0:
        sys.exit("llm-run failed:\n" + proc.stdout)
    bench = re.search(r"median ([0-9.e+-]+) ms", proc.stdout)
    if not bench:
        sys.exit("no bench line in llm-run's output:\n" + proc.stdout)
    return float(bench.group(1))


def time_torch(x, w, b, reps, threads):
    torch.set_num_threads(threads)
    set_openblas_threads(threads)
    xt, wt, bt = (torch.from_numpy(x), torch.from_numpy(np.ascontiguousarray(
        w.T)), torch.from_numpy(b))
    times = []
    with torch.no_grad():
        torch.nn.functional.gelu(torch.nn.functional.linear(xt, wt, bt),
                                 approximate="tanh")
        for _ in range(reps):
            t0 = time.perf_counter()
            torch.nn.functional.gelu(torch.nn.functional.linear(xt, wt, bt),
                                     approximate="tanh")
            times.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(times)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--shapes", nargs="+", default=["128,768,3072"])
    p.add_argument("--threads", type=int, nargs="+", default=[1])
    p.add_argument("--reps", type=int, default=20)
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--llm-run", default=None)
    args = p.parse_args()
    llm_run = args.llm_run or find_llm_run()
    uptime = lambda: subprocess.run(["uptime"], stdout=subprocess.PIPE,
                                    universal_newlines=True).stdout.strip()
    print("uptime: " + uptime())
    print("%d rounds x %d timed calls, median of per-round medians; llm-run: %s"
          % (args.rounds, args.reps, llm_run))
    print()
    print("| M x K x N | threads | ours fused ms | ours unfused ms | PyTorch ms "
          "| fused GFLOP/s | unfused / fused | PyTorch / fused |")
    print("|---|---|---|---|---|---|---|---|")
    for shape in args.shapes:
        m, k, n = map(int, shape.split(","))
        rng = np.random.default_rng(m * 1000003 + n * 1009 + k)
        x = rng.standard_normal((m, k)).astype(np.float32)
        w = (rng.standard_normal((k, n)) / np.sqrt(k)).astype(np.float32)
        b = rng.standard_normal(n).astype(np.float32)
        ref = gelu_tanh(x.astype(np.float64) @ w.astype(np.float64) + b)
        with tempfile.TemporaryDirectory(prefix="gemm_epilogue_") as tmp:
            model = os.path.join(tmp, "model.mlir")
            write_model(model, m, k, n, w, b)
            x_path = os.path.join(tmp, "x.npy")
            np.save(x_path, x)
            for t in args.threads:
                runs = {"fused": [], "unfused": [], "torch": []}
                for r in range(args.rounds):
                    for label, opts in (("fused", ""),
                                        ("unfused", "fuse-epilogues=false")):
                        out = os.path.join(tmp, "%s-%d-%d" % (label, t, r))
                        runs[label].append(time_ours(llm_run, model, x_path,
                                                     out, args.reps, t, opts))
                        got = np.load(os.path.join(out, os.listdir(out)[0]))
                        tol = 1e-5 * np.sqrt(k) * max(1, np.abs(ref).max())
                        if np.abs(got - ref).max() > tol:
                            sys.exit("%s: wrong result (max error %g)"
                                     % (label, np.abs(got - ref).max()))
                    runs["torch"].append(time_torch(x, w, b, args.reps, t))
                fused, unfused, pt = (statistics.median(runs[key]) for key in
                                      ("fused", "unfused", "torch"))
                print("| %d x %d x %d | %d | %.3f | %.3f | %.3f | %.1f | "
                      "%.2fx | %.2fx |" % (m, k, n, t, fused, unfused, pt,
                                           2.0 * m * n * k / fused / 1e6,
                                           unfused / fused, pt / fused))
                sys.stdout.flush()
    print()
    print("uptime: " + uptime())
    return 0


if __name__ == "__main__":
    sys.exit(main())
