"""Writes a transformer.attention model (MLIR) with numpy test data, for the
NPU attention tests.

usage: make_attention.py OUTDIR B H S T D causal|full [SCALE] [--kv-heads N]
                         [--mask full|keys]
OUTDIR/model.mlir: softmax(scale Q K^T [+ causal mask]) V with Q [B, H, S, D]
and K, V [B, N, T, D] (N = H unless --kv-heads; query head h uses KV head
h // (H / N), grouped-query attention); OUTDIR/test_data_set_0/
{input_0,1,2,output_0}.pb. The reference is numpy in float64 on the f32
inputs (query i sees keys j <= i + T - S when causal; scale defaults to
1/sqrt(D)), rounded to f32. --mask adds an f32 additive mask (input_3):
`full` [B, H, S, T] (normal values, -inf on some keys, and every third
query sees only the last 16 keys), `keys` [B, 1, 1, T] (a padding mask:
0, or -10000 on the last quarter of the keys, per batch).
"""
import os
import sys

import numpy as np
from onnx import numpy_helper

args = sys.argv[1:]
KV = None
if "--kv-heads" in args:
    i = args.index("--kv-heads")
    KV = int(args[i + 1])
    del args[i:i + 2]
mask_kind = None
if "--mask" in args:
    i = args.index("--mask")
    mask_kind = args[i + 1]
    del args[i:i + 2]
out = args[0]
B, H, S, T, D = map(int, args[1:6])
KV = H if KV is None else KV
assert H % KV == 0, "query heads must be a multiple of KV heads"
causal = args[6] == "causal"
scale = float(args[7]) if len(args) > 7 else None
rng = np.random.default_rng(11)
q = rng.standard_normal((B, H, S, D)).astype(np.float32)
k = rng.standard_normal((B, KV, T, D)).astype(np.float32)
v = rng.standard_normal((B, KV, T, D)).astype(np.float32)
# KV head h // (H / KV) for query head h.
k64 = np.repeat(k.astype(np.float64), H // KV, axis=1)
v64 = np.repeat(v.astype(np.float64), H // KV, axis=1)

s = (q.astype(np.float64) @ k64.swapaxes(-1, -2)) * \
    (scale if scale is not None else 1.0 / np.sqrt(D))
mask = None
if mask_kind == "full":
    mask = rng.standard_normal((B, H, S, T)).astype(np.float32)
    mask[rng.random((B, H, S, T)) < 0.2] = -np.inf
    mask[:, :, ::3, :T - 16] = -np.inf
    mask[..., T - 1] = 0.0  # every query sees a key
elif mask_kind == "keys":
    mask = np.zeros((B, 1, 1, T), np.float32)
    for bi in range(B):
        mask[bi, ..., T - (T // 4) * (bi + 1) // B:] = -10000.0
elif mask_kind is not None:
    sys.exit("unknown mask kind " + mask_kind)
if mask is not None:
    s = s + mask.astype(np.float64)
if causal:
    s = np.where(np.tril(np.ones((S, T), bool), T - S), s, -np.inf)
p = np.exp(s - s.max(-1, keepdims=True))
p /= p.sum(-1, keepdims=True)
o = (p @ v64).astype(np.float32)

qt, kt = "tensor<%dx%dx%dx%dxf32>" % (B, H, S, D), \
    "tensor<%dx%dx%dx%dxf32>" % (B, KV, T, D)
attrs = []
if causal:
    attrs.append("causal")
if scale is not None:
    attrs.append("scale = %r : f32" % scale)
attr = " {%s}" % ", ".join(attrs) if attrs else ""
os.makedirs(os.path.join(out, "test_data_set_0"), exist_ok=True)
margs, mop = "", ""
if mask is not None:
    mt = "tensor<%sxf32>" % "x".join(map(str, mask.shape))
    margs, mop = ", %%m: %s" % mt, " mask(%%m : %s)" % mt
with open(os.path.join(out, "model.mlir"), "w") as f:
    f.write("func.func @main(%%q: %s, %%k: %s, %%v: %s%s) -> %s {\n"
            "  %%0 = transformer.attention %%q, %%k, %%v%s%s : %s, %s, %s -> %s\n"
            "  return %%0 : %s\n}\n" % (qt, kt, kt, margs, qt, mop, attr, qt,
                                        kt, kt, qt, qt))
tensors = [("input_0", q), ("input_1", k), ("input_2", v), ("output_0", o)]
if mask is not None:
    tensors.insert(3, ("input_3", mask))
for name, t in tensors:
    with open(os.path.join(out, "test_data_set_0", name + ".pb"), "wb") as f:
        f.write(numpy_helper.from_array(t, name).SerializeToString())
