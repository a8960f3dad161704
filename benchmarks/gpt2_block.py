#!/usr/bin/python3
"""Benchmark one GPT-2-small block (seq 128, 512) on the CPU against PyTorch eager.

One command does everything, in one invocation:

  1. builds a GPT-2-small block in PyTorch (d_model 768, 12 heads, MLP 3072,
     GPT-2's layout from test/models/export_models.py: pre-LayerNorm, fused
     QKV, causal mask via Where, tanh GELU), with seeded random weights, and
     exports it with PyTorch's ONNX exporter (opset 17) into a temp dir
     together with an input hidden_states f32[1, S, 768] and PyTorch's
     output as ONNX test data, for every S of --seq (default 128 and 512);
  2. times PyTorch eager on the same block and input (torch.no_grad, T
     threads for every T of --threads (default 1 and 2): torch's intra-op
     pool and the OpenBLAS pool its matmuls run on are both set, since
     torch.set_num_threads alone leaves OpenBLAS on every core; with T > 1
     both ways of giving PyTorch T threads are timed and the faster kept;
     OpenBLAS told the core type: OPENBLAS_CORETYPE=SKYLAKEX, without which
     torch's OpenBLAS is ~5x slower on this machine), --warmup calls, then
     the median of N timed calls;
  3. times our compiled code with `llm-run --target=cpu --threads T --bench
     N --expected DIR --rtol 0 --atol 1e-4` (JIT compile for T threads, one
     checked call, N timed calls), which also checks our output against
     PyTorch's;
  4. repeats steps 2-3 --rounds times (baseline and ours alternate, so both
     see the same machine load) and prints the median over all rounds, the
     ratio ours / PyTorch with the same threads, GFLOP/s, and `uptime`.

FLOP count (multiply-add = 2 FLOPs, matmuls only; LayerNorm, softmax, GELU
and the residual adds are O(S*d) and below 1% of it), for sequence S,
width d, MLP width 4d:
    QKV projection      2 * S * d * 3d
    Q K^T (all heads)   2 * S * S * d      (the full S x S scores, as computed)
    scores @ V          2 * S * S * d
    output projection   2 * S * d * d
    MLP (up + down)     2 * 2 * S * d * 4d
    total               24 * S * d^2 + 4 * S^2 * d
For S = 128, d = 768: 1.862 GFLOP.

With --baseline-llm-run PATH another build of llm-run (e.g. main before a
change) is timed in the same rounds, right after ours for each thread
count and mode, and gets its own rows with the ratio baseline / ours: a
before/after comparison under the same machine load.

With --variant OPTS (e.g. fuse-epilogues=false) ours also runs with
`llm-run --pipeline-options=OPTS` (same checks) and gets its own row per
thread count: a before/after comparison of a pipeline option in one run.

With --quantize MODE (int8-dynamic, int8-weight, int4-weight) ours also
runs with `llm-run --quantize=MODE` (the weights quantized at compile time;
its output judged by cosine similarity with PyTorch's, >= 0.999 for int8,
0.99 for int4) and gets its own row per thread count.

Usage:
    benchmarks/gpt2_block.py [-n 3] [--warmup 1] [--rounds 1] [--seq 128 512]
                             [--threads 1 2] [--llm-run PATH]
                             [--baseline-llm-run PATH]
                             [--quantize MODE ...] [--variant OPTS ...]
llm-run defaults to $LLM_RUN, else the newest build*/bin/llm-run of the repo.
"""

import argparse
import ctypes
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import warnings

# OpenBLAS reads this when torch loads it: set it before importing torch.
os.environ.setdefault("OPENBLAS_CORETYPE", "SKYLAKEX")

import torch  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "test", "models"))
import export_models  # noqa: E402

SEQ, D_MODEL, N_HEAD, MAX_POS = 128, 768, 12, 1024
SEED = 2024


def block_flops(s=SEQ, d=D_MODEL):
    """Matmul FLOPs of one GPT-2 block on s tokens (see the module doc)."""
    return 24 * s * d * d + 4 * s * s * d


class Block(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.block = export_models.GPT2Block(D_MODEL, N_HEAD, MAX_POS)
        export_models.perturb_norms(self)

    def forward(self, hidden_states):
        return self.block(hidden_states)[0]


def export(out_dir, seq=SEQ):
    """Writes out_dir/gpt2_block.onnx and out_dir/data/test_data_set_0."""
    import onnx
    torch.manual_seed(SEED)
    model = Block().eval()
    x = torch.randn(1, seq, D_MODEL,
                    generator=torch.Generator().manual_seed(SEED + 1))
    path = os.path.join(out_dir, "gpt2_block.onnx")
    torch.onnx.export(model, (x,), path, input_names=["hidden_states"],
                      output_names=["output"], opset_version=17,
                      do_constant_folding=True)
    onnx.checker.check_model(onnx.load(path))
    with torch.no_grad():
        y = model(x)
    data = os.path.join(out_dir, "data", "test_data_set_0")
    os.makedirs(data)
    export_models.write_tensor(os.path.join(data, "input_0.pb"), x.numpy(),
                               "hidden_states")
    export_models.write_tensor(os.path.join(data, "output_0.pb"), y.numpy(),
                               "output")
    return model, x, path, os.path.dirname(data)


def set_openblas_threads(threads):
    """Tells the OpenBLAS that torch loaded to use `threads` threads.

    torch.set_num_threads sets only torch's own intra-op pool: Debian's torch
    calls OpenBLAS (openblas-pthread) for its matmuls, and OpenBLAS keeps its
    own pool of one thread per core. Without this a "1 thread" PyTorch run
    uses both cores of this machine for every matmul (measured: 15.7 ms wall,
    31 ms CPU per seq-128 block call; 25 ms wall = CPU with one thread).
    Returns the number of OpenBLAS libraries told (0: torch has none)."""
    told = 0
    libs = set()
    with open("/proc/self/maps") as maps:
        for line in maps:
            name = line.split()[-1]
            if "openblas" in name and ".so" in name:
                libs.add(name)
    for name in sorted(libs):
        lib = ctypes.CDLL(name)
        if hasattr(lib, "openblas_set_num_threads"):
            lib.openblas_set_num_threads(threads)
            told += 1
    return told


def time_torch(model, x, threads, n, warmup):
    """Per-call times (ms) of PyTorch eager with `threads` threads, at its best.

    With T > 1 threads there are two ways to give them to PyTorch: its own
    intra-op pool (torch.set_num_threads(T), OpenBLAS 1 thread) or OpenBLAS's
    pool (torch 1, OpenBLAS T); both at T oversubscribe the cores (2 x 2
    threads: 37-55 ms per seq-128 call here, against 15-17 ms for torch 1 /
    OpenBLAS 2 and 24.5 ms for torch 2 / OpenBLAS 1). Both are timed and the
    faster one's times are returned."""
    configs = [(1, 1)] if threads == 1 else [(1, threads), (threads, 1)]
    best = None
    for torch_threads, blas_threads in configs:
        torch.set_num_threads(torch_threads)
        set_openblas_threads(blas_threads)
        times = []
        with torch.no_grad():
            for _ in range(warmup):
                model(x)
            for _ in range(n):
                t0 = time.perf_counter()
                model(x)
                times.append((time.perf_counter() - t0) * 1e3)
        if best is None or statistics.median(times) < statistics.median(best):
            best = times
    return best


def time_ours(llm_run, path, data, n, threads=1, quantize=None,
              pipeline_options=None):
    """(median ms, compile ms) from llm-run; exits if the output differs."""
    cmd = [llm_run, path, "--target=cpu", "--threads", str(threads),
           "--bench", str(n), "--expected", data]
    if pipeline_options:
        cmd.append("--pipeline-options=" + pipeline_options)
    cmd += (["--quantize=" + quantize] if quantize else
            ["--rtol", "0", "--atol", "1e-4"])
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True)
    if proc.returncode != 0:
        sys.exit("llm-run failed (%d):\n%s" % (proc.returncode, proc.stdout))
    bench = re.search(r"median ([0-9.e+-]+) ms", proc.stdout)
    comp = re.search(r"compile: ([0-9.e+-]+) ms", proc.stdout)
    err = re.search(r"max abs error ([0-9.e+-]+)", proc.stdout)
    if not bench:
        sys.exit("no bench line in llm-run's output:\n" + proc.stdout)
    return (float(bench.group(1)), float(comp.group(1)) if comp else None,
            err.group(1) if err else "?")


# find_llm_run: $LLM_RUN, else the newest build*/bin/llm-run (gemm.py's).
from gemm import find_llm_run  # noqa: E402,F401


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("-n", type=int, default=3, help="timed calls per round")
    p.add_argument("--warmup", type=int, default=1)
    p.add_argument("--rounds", type=int, default=1)
    p.add_argument("--seq", type=int, nargs="+", default=[128, 512])
    p.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    p.add_argument("--llm-run", default=None)
    p.add_argument("--baseline-llm-run", default=None,
                   help="another llm-run timed in the same rounds")
    p.add_argument("--quantize", nargs="*", default=[],
                   help="also time ours with llm-run --quantize=MODE")
    p.add_argument("--variant", nargs="*", default=[],
                   help="also time ours with llm-run --pipeline-options=OPTS")
    args = p.parse_args()
    llm_run = args.llm_run or find_llm_run()
    warnings.filterwarnings("ignore")
    version = torch.__version__.split("+")[0]
    print("uptime: " + subprocess.run(["uptime"], stdout=subprocess.PIPE,
                                      universal_newlines=True).stdout.strip())
    print("%d round(s) x %d timed calls (+%d warm-up), medians; llm-run: %s"
          % (args.rounds, args.n, args.warmup, llm_run))
    if args.baseline_llm_run:
        print("baseline llm-run: %s" % args.baseline_llm_run)

    for seq in args.seq:
        with tempfile.TemporaryDirectory(prefix="gpt2_block_bench_") as tmp:
            model, x, path, data = export(tmp, seq)
            torch_ms = {t: [] for t in args.threads}
            ours_ms = {t: [] for t in args.threads}
            compile_ms, errs = [], []
            quantized = {(m, t): [] for m in args.quantize
                         for t in args.threads}
            # Baseline llm-run: (mode or None, threads) -> medians.
            baseline = {(m, t): [] for m in [None] + args.quantize
                        for t in args.threads}
            variants = {(v, t): [] for v in args.variant
                        for t in args.threads}
            for _ in range(args.rounds):
                for t in args.threads:
                    torch_ms[t] += time_torch(model, x, t, args.n, args.warmup)
                    med, comp, err = time_ours(llm_run, path, data, args.n, t)
                    ours_ms[t].append(med)
                    compile_ms.append(comp)
                    errs.append(err)
                    if args.baseline_llm_run:
                        baseline[(None, t)].append(time_ours(
                            args.baseline_llm_run, path, data, args.n, t)[0])
                    for mode in args.quantize:
                        quantized[(mode, t)].append(time_ours(
                            llm_run, path, data, args.n, t, mode)[0])
                        if args.baseline_llm_run:
                            baseline[(mode, t)].append(time_ours(
                                args.baseline_llm_run, path, data, args.n, t,
                                mode)[0])
                    for opts in args.variant:
                        variants[(opts, t)].append(time_ours(
                            llm_run, path, data, args.n, t,
                            pipeline_options=opts)[0])

        gflop = block_flops(seq) / 1e9
        print()
        print("GPT-2-small block: batch 1, seq %d, d %d, %d heads, f32; "
              "%.3f GFLOP/call" % (seq, D_MODEL, N_HEAD, gflop))
        print("ours matches PyTorch: max abs error %s (atol 1e-4); compile "
              "%s ms" % (", ".join(sorted(set(errs))),
                         ", ".join("%.0f" % c for c in compile_ms if c)))
        print()
        print("| %-36s | %10s | %8s | %20s |" % (
            "", "median ms", "GFLOP/s", "PyTorch / ours (same threads)"))
        print("|%s|%s|%s|%s|" % ("-" * 38, "-" * 12, "-" * 10, "-" * 22))
        for t in args.threads:
            tm, om = (statistics.median(torch_ms[t]),
                      statistics.median(ours_ms[t]))
            name = "%d thread%s" % (t, "" if t == 1 else "s")
            print("| %-36s | %10.2f | %8.2f | %20s |"
                  % ("PyTorch %s eager, %s" % (version, name), tm,
                     gflop / (tm / 1e3), ""))
            print("| %-36s | %10.2f | %8.2f | %19.2fx |"
                  % ("ours (llm-run --threads %d)" % t, om,
                     gflop / (om / 1e3), tm / om))

            def baseline_row(mode, ours):
                if not args.baseline_llm_run:
                    return
                bm = statistics.median(baseline[(mode, t)])
                print("| %-36s | %10.2f | %8.2f | %19.2fx |"
                      % ("baseline%s --threads %d (/ours %.2fx)"
                         % (" " + mode if mode else "", t, bm / ours), bm,
                         gflop / (bm / 1e3), tm / bm))
            baseline_row(None, om)
            for opts in args.variant:
                vm = statistics.median(variants[(opts, t)])
                print("| %-36s | %10.2f | %8.2f | %19.2fx |"
                      % ("ours %s --threads %d" % (opts, t), vm,
                         gflop / (vm / 1e3), tm / vm))
            for mode in args.quantize:
                qm = statistics.median(quantized[(mode, t)])
                print("| %-36s | %10.2f | %8.2f | %19.2fx |"
                      % ("ours --quantize=%s --threads %d" % (mode, t), qm,
                         gflop / (qm / 1e3), tm / qm))
                baseline_row(mode, qm)
        sys.stdout.flush()
    print()
    print("uptime: " + subprocess.run(["uptime"], stdout=subprocess.PIPE,
                                      universal_newlines=True).stdout.strip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
