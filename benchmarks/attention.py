#!/usr/bin/python3
"""Benchmark attention on the CPU: our flash-style lowering, our unfused
lowering and PyTorch eager, time and peak memory, in one run.

For each sequence length S and with/without a causal mask, this script

  1. builds softmax(Q K^T / sqrt(64) [masked]) V in PyTorch (batch 1, 12
     heads, head dim 64, f32; the causal mask as in GPT-2: a Where with a
     lower-triangular bool buffer and finfo.min), exports it with PyTorch's
     ONNX exporter (opset 17) with seeded random Q, K, V and PyTorch's output
     as ONNX test data;
  2. runs `llm-run --bench N --expected DATA --rtol 0 --atol 1e-4` twice:
     with the default pipeline (the exported graph is fused into one
     transformer.attention and lowered flash-style: "flash") and with
     `--pipeline-options="raise-patterns=false fuse-attention=false"` (the
     exporter's matmul / div / where / softmax / matmul lowered one by one,
     the S x S scores materialised: "unfused"); both are checked against
     PyTorch's output;
  3. runs PyTorch 1.13 eager on the same module (torch.no_grad, 1 and 2
     intra-op threads, OPENBLAS_CORETYPE=SKYLAKEX) in a child process:
     --warmup calls, then the median of N calls;

and reports the medians and each process's peak resident memory (GNU time's
%M: it includes the process itself, for llm-run the JIT compiler and the
inputs, for PyTorch the Python interpreter and torch; compare the growth
with S). Ours runs with `--threads` 1 (default) or the counts given
(llm-run --threads: the flash lowering's batch x head loop on OpenMP
threads); PyTorch is shown at 1 and 2 threads.

FLOPs (multiply-add = 2): Q K^T and P V, 4 * H * S^2 * D (causal: the same
count, as PyTorch computes the full product).

Usage:
    benchmarks/attention.py [--sizes 512,1024,2048,4096] [--causal both|yes|no]
                            [-n 1] [--warmup 1] [--impl flash,unfused,torch]
                            [--threads 1,2] [--llm-run PATH]
llm-run defaults to $LLM_RUN, else the newest build*/bin/llm-run of the repo.
"""

import argparse
import math
import os
import re
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

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gpt2_block import find_llm_run  # noqa: E402

HEADS, HEAD_DIM = 12, 64
SEED = 2024


class Attention(torch.nn.Module):
    """softmax(q k^T / sqrt(d) [causal]) v, masked the way GPT-2 does."""

    def __init__(self, seq, causal):
        super().__init__()
        self.causal = causal
        if causal:
            self.register_buffer(
                "bias", torch.tril(torch.ones(seq, seq, dtype=torch.bool))
                .view(1, 1, seq, seq), persistent=False)

    def forward(self, q, k, v):
        w = torch.matmul(q, k.transpose(-1, -2))
        w = w / math.sqrt(q.size(-1))
        if self.causal:
            s = q.size(-2)
            w = torch.where(self.bias[:, :, :s, :s], w,
                            torch.tensor(torch.finfo(w.dtype).min))
        w = torch.softmax(w, dim=-1)
        return torch.matmul(w, v)


def make_inputs(seq):
    gen = torch.Generator().manual_seed(SEED + seq)
    return tuple(torch.randn(1, HEADS, seq, HEAD_DIM, generator=gen)
                 for _ in range(3))


def export(out_dir, seq, causal):
    """Writes out_dir/attention.onnx and out_dir/data/test_data_set_0."""
    import onnx
    model = Attention(seq, causal).eval()
    inputs = make_inputs(seq)
    path = os.path.join(out_dir, "attention.onnx")
    torch.onnx.export(model, inputs, path, input_names=["q", "k", "v"],
                      output_names=["out"], opset_version=17,
                      do_constant_folding=True)
    onnx.checker.check_model(onnx.load(path))
    with torch.no_grad():
        out = model(*inputs)
    data = os.path.join(out_dir, "data", "test_data_set_0")
    os.makedirs(data)
    for i, (t, name) in enumerate(zip(inputs, "qkv")):
        export_models.write_tensor(os.path.join(data, "input_%d.pb" % i),
                                   t.numpy(), name)
    export_models.write_tensor(os.path.join(data, "output_0.pb"),
                               out.numpy(), "out")
    return path, os.path.dirname(data)


def run_measured(cmd):
    """(stdout, peak RSS MiB) of a child process, measured by /usr/bin/time
    (GNU time's %M: the child's own high-water mark; the rusage this Python
    process gets from wait4 would also count the pre-exec copy of itself)."""
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss_file:
        proc = subprocess.run(["/usr/bin/time", "-f", "%M", "-o",
                               rss_file.name] + cmd,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              universal_newlines=True)
        if proc.returncode != 0:
            sys.exit("failed (%d): %s\n%s" % (proc.returncode, " ".join(cmd),
                                              proc.stdout))
        rss_kib = int(rss_file.read().split()[-1])
    return proc.stdout, rss_kib / 1024.0


def time_ours(llm_run, path, data, n, fused, threads=1):
    cmd = [llm_run, path, "--target=cpu", "--bench", str(n), "--expected",
           data, "--rtol", "0", "--atol", "1e-4", "--threads", str(threads)]
    if not fused:
        cmd.append("--pipeline-options=raise-patterns=false "
                   "fuse-attention=false")
    out, rss = run_measured(cmd)
    bench = re.search(r"median ([0-9.e+-]+) ms", out)
    err = re.search(r"max abs error ([0-9.e+-]+)", out)
    if not bench or "all outputs match" not in out:
        sys.exit("llm-run did not match or time:\n" + out)
    return float(bench.group(1)), rss, err.group(1) if err else "?"


TORCH_CHILD = r"""
import os, statistics, sys, time
os.environ.setdefault("OPENBLAS_CORETYPE", "SKYLAKEX")
# torch.set_num_threads does not reach the OpenBLAS pool torch calls.
os.environ["OPENBLAS_NUM_THREADS"] = "{threads}"
sys.path.insert(0, {bench_dir!r})
import torch, attention
torch.set_num_threads({threads})
model = attention.Attention({seq}, {causal}).eval()
inputs = attention.make_inputs({seq})
times = []
with torch.no_grad():
    for _ in range({warmup}):
        model(*inputs)
    for _ in range({n}):
        t0 = time.perf_counter()
        model(*inputs)
        times.append((time.perf_counter() - t0) * 1e3)
print("median %f ms" % statistics.median(times))
"""


def time_torch(seq, causal, threads, n, warmup):
    code = TORCH_CHILD.format(bench_dir=os.path.dirname(os.path.abspath(
        __file__)), threads=threads, seq=seq, causal=causal, warmup=warmup,
        n=n)
    out, rss = run_measured([sys.executable, "-c", code])
    return float(re.search(r"median ([0-9.e+-]+) ms", out).group(1)), rss


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--sizes", default="512,1024,2048,4096")
    p.add_argument("--causal", choices=["both", "yes", "no"], default="both")
    p.add_argument("--impl", default="flash,unfused,torch",
                   help="comma-separated subset of flash,unfused,torch")
    p.add_argument("-n", type=int, default=1, help="timed calls")
    p.add_argument("--warmup", type=int, default=1)
    p.add_argument("--llm-run", default=None)
    p.add_argument("--threads", default="1",
                   help="comma-separated thread counts for ours (e.g. 1,2)")
    args = p.parse_args()
    llm_run = args.llm_run or find_llm_run()
    impls = args.impl.split(",")
    warnings.filterwarnings("ignore")
    causals = {"both": [False, True], "yes": [True], "no": [False]}
    version = torch.__version__.split("+")[0]
    print("attention: batch 1, %d heads, head dim %d, f32; medians of %d "
          "call(s) after %d warm-up; llm-run: %s"
          % (HEADS, HEAD_DIM, args.n, args.warmup, llm_run))
    print()
    print("| S | causal | implementation | median ms | GFLOP/s | peak RSS MiB "
          "| vs PyTorch 1 thread |")
    print("|---|---|---|---|---|---|---|")
    for seq in [int(s) for s in args.sizes.split(",")]:
        gflop = 4 * HEADS * seq * seq * HEAD_DIM / 1e9
        for causal in causals[args.causal]:
            rows = []
            if "torch" in impls:
                for threads in (1, 2):
                    ms, rss = time_torch(seq, causal, threads, args.n,
                                         args.warmup)
                    rows.append(("PyTorch %s eager, %d thread%s" % (
                        version, threads, "s" if threads > 1 else ""), ms,
                        rss))
            with tempfile.TemporaryDirectory(prefix="attention_bench_") as tmp:
                path, data = export(tmp, seq, causal)
                for name, fused in (("flash", True), ("unfused", False)):
                    if name not in impls:
                        continue
                    for threads in [int(t) for t in args.threads.split(",")]:
                        ms, rss, err = time_ours(llm_run, path, data, args.n,
                                                 fused, threads)
                        rows.append(("ours, %s (%d thread%s; max abs err %s)"
                                     % (name, threads,
                                        "s" if threads > 1 else "", err),
                                     ms, rss))
            base = rows[0][1] if "torch" in impls else None
            for name, ms, rss in rows:
                ratio = "%.2fx" % (ms / base) if base else "-"
                print("| %d | %s | %s | %.1f | %.2f | %.0f | %s |"
                      % (seq, "yes" if causal else "no", name, ms,
                         gflop / (ms / 1e3), rss, ratio))
            sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
