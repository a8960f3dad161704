#!/usr/bin/python3
"""GPT-2-small block (d = 768, 12 heads, 128 tokens) on the NPU simulator.

Exports, with PyTorch's ONNX exporter and the model code of
test/models/export_models.py (seeded random weights), the whole block and
each of its layers as separate models; compiles each with the NPU pipeline
and runs it in the simulator through `llm-run --target=npu --expected`
(outputs checked against PyTorch at the bf16 tolerance). Prints a table per
layer: simulated cycles, array utilization, and the roofline bound from the
timing model (docs/npu.md): compute = MACs / 256 per cycle, DMA = the bytes
the layer must move at least (f32 activations in and out, bf16 weights, f32
biases) / 16 bytes per cycle; the layer is compute- or DMA-bound by the
larger. The last line compares the whole block with the sum of its layers'
bounds.

usage: npu_gpt2_block.py [--build-dir build] [--seq 128] [--keep DIR]
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import warnings

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "test", "models"))
import export_models as em  # noqa: E402

PEAK_MACS = 256        # per cycle (16 x 16 array)
DRAM_BYTES = 16        # per cycle


class AttentionCore(nn.Module):
    """qkv [1, S, 3d] -> merged heads [1, S, d]: the block's attention
    without its projections (split heads, causal softmax(QK^T/sqrt(dh)) V)."""

    def __init__(self, attn):
        super().__init__()
        self.attn = attn

    def forward(self, qkv):
        a = self.attn
        q, k, v = qkv.split(a.d_model, dim=2)
        q, k, v = a.split_heads(q), a.split_heads(k), a.split_heads(v)
        w = torch.matmul(q, k.transpose(-1, -2))
        w = w / torch.tensor(v.size(-1) ** 0.5, dtype=w.dtype)
        s = q.size(-2)
        causal = a.bias[:, :, :s, :s]
        w = torch.where(causal, w, torch.tensor(torch.finfo(w.dtype).min))
        w = F.softmax(w, dim=-1)
        return a.merge_heads(torch.matmul(w, v))


class Residual(nn.Module):
    def forward(self, x, y):
        return x + y


class BlockOut(nn.Module):
    def __init__(self, block):
        super().__init__()
        self.block = block

    def forward(self, x):
        return self.block(x)[0]


def export(model, inputs, names, out_dir, name):
    model.eval()
    path = os.path.join(out_dir, name + ".onnx")
    torch.onnx.export(model, tuple(inputs), path, input_names=names,
                      output_names=["out"], opset_version=17,
                      do_constant_folding=True)
    data = os.path.join(out_dir, name, "test_data_set_0")
    os.makedirs(data, exist_ok=True)
    with torch.no_grad():
        out = model(*inputs)
    for k, (t, n) in enumerate(zip(inputs, names)):
        em.write_tensor(os.path.join(data, "input_%d.pb" % k), t.numpy(), n)
    em.write_tensor(os.path.join(data, "output_0.pb"),
                    out.numpy().astype(np.float32), "out")
    return path, os.path.join(out_dir, name)


def run(llm_run, path, expected):
    proc = subprocess.run([llm_run, path, "--target=npu", "--expected",
                           expected], capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit("llm-run failed on %s:\n%s%s" % (path, proc.stdout,
                                                  proc.stderr))
    out = proc.stdout
    cycles = int(re.search(r"cycles: (\d+)", out).group(1))
    m = re.search(r"array: (\d+) matmuls, (\d+) MACs, utilization ([\d.]+)%",
                  out)
    err = re.search(r"max abs error ([\d.e+-]+)", out).group(1)
    return cycles, int(m.group(2)), float(m.group(3)), err


def main():
    warnings.filterwarnings("ignore")
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build-dir", default=os.path.join(ROOT, "build"))
    parser.add_argument("--seq", type=int, default=128)
    parser.add_argument("--keep", help="keep the models in this directory")
    args = parser.parse_args()
    llm_run = os.path.join(args.build_dir, "bin", "llm-run")
    d, heads, s = 768, 12, args.seq
    torch.manual_seed(em.SEED)
    block = em.GPT2Block(d, heads, max(s, 128))
    em.perturb_norms(block)
    x = torch.randn(1, s, d)
    with torch.no_grad():
        h1 = block.ln_1(x)
        qkv = block.attn.c_attn(h1)
        att = AttentionCore(block.attn)(qkv)
        a = block.attn.c_proj(att)
        x2 = x + a
        h2 = block.ln_2(x2)
        f = block.c_fc(h2)
        g = block.act(f)

    out_dir = args.keep or tempfile.mkdtemp(prefix="npu_gpt2_")
    os.makedirs(out_dir, exist_ok=True)
    f32, bf16 = 4, 2
    # name, module, inputs, input names, MACs, minimal DRAM bytes
    layers = [
        ("ln_1", block.ln_1, [x], ["x"], 0, 2 * s * d * f32 + 2 * d * f32),
        ("attn.c_attn", block.attn.c_attn, [h1], ["x"], s * d * 3 * d,
         s * d * f32 + d * 3 * d * bf16 + 3 * d * f32 + s * 3 * d * f32),
        ("attention", AttentionCore(block.attn), [qkv], ["qkv"],
         2 * heads * s * s * (d // heads), s * 3 * d * f32 + s * d * f32),
        ("attn.c_proj", block.attn.c_proj, [att], ["x"], s * d * d,
         s * d * f32 + d * d * bf16 + d * f32 + s * d * f32),
        ("residual 1", Residual(), [x, a], ["x", "y"], 0, 3 * s * d * f32),
        ("ln_2", block.ln_2, [x2], ["x"], 0, 2 * s * d * f32 + 2 * d * f32),
        ("mlp.c_fc", block.c_fc, [h2], ["x"], s * d * 4 * d,
         s * d * f32 + d * 4 * d * bf16 + 4 * d * f32 + s * 4 * d * f32),
        ("gelu", block.act, [f], ["x"], 0, 2 * s * 4 * d * f32),
        ("mlp.c_proj", block.c_proj, [g], ["x"], s * 4 * d * d,
         s * 4 * d * f32 + 4 * d * d * bf16 + d * f32 + s * d * f32),
        ("residual 2", Residual(), [x2, x2], ["x", "y"], 0, 3 * s * d * f32),
    ]
    print("GPT-2-small block, d=%d, %d heads, %d tokens, bf16 array "
          "(npu-sim timing model: 256 MACs/cycle, 16 B/cycle DRAM)" %
          (d, heads, s))
    header = ("| layer | cycles | array util. | compute bound | DMA bound "
              "| bound by | cycles / bound | max abs err |")
    print(header)
    print("|" + " --- |" * 8)
    total_bound = 0
    for name, module, inputs, names, macs, dram in layers:
        path, expected = export(module, inputs, names, out_dir,
                                name.replace(" ", "_").replace(".", "_"))
        cycles, sim_macs, util, err = run(llm_run, path, expected)
        compute = macs / PEAK_MACS
        dma = dram / DRAM_BYTES
        bound = max(compute, dma)
        total_bound += bound
        print("| %s | %d | %.1f%% | %.0f | %.0f | %s | %.2f | %s |" %
              (name, cycles, util, compute, dma,
               "compute" if compute >= dma else "DMA", cycles / bound, err))
    path, expected = export(BlockOut(block), [x], ["x"], out_dir, "block")
    cycles, macs, util, err = run(llm_run, path, expected)
    print("| **whole block** | %d | %.1f%% | | | | %.2f x the sum of the "
          "layer bounds (%.0f) | %s |" % (cycles, util, cycles / total_bound,
                                          total_bound, err))
    return 0


if __name__ == "__main__":
    sys.exit(main())
