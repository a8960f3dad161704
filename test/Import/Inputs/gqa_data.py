"""Writes an ONNX test-data directory for test/Import/group-query-attention.onnxtxt.

Usage: gqa_data.py DIR
  DIR/test_data_set_0/input_K.pb, output_K.pb

The reference is numpy's grouped-query attention as onnxruntime's
com.microsoft GroupQueryAttention defines it for unpadded batches: the
hidden dims split into heads ([B, S, N*H] -> [B, N, S, H]), the keys and
values appended to the cache (present = concat(past, new) along the
sequence), query head h reading KV head h // (N / kvN), scores scaled by
1/sqrt(H) (or the scale attribute), a causal mask aligned to the end
(query i sees keys j <= i + past), softmax, and the heads merged back.
Batch 2, sequence 3, past 5, 4 query heads over 2 KV heads of size 8.
"""
import os
import sys

import numpy as np
from onnx import numpy_helper

B, S, P, N, KV, H = 2, 3, 5, 4, 2, 8
rng = np.random.default_rng(7)


def heads(x, n):
    return x.reshape(B, S, n, H).transpose(0, 2, 1, 3)


def attention(q, k, v, scale):
    """q [B, N, S, H]; k, v [B, KV, T, H] -> [B, S, N*H]."""
    t = k.shape[2]
    group = N // KV
    k = np.repeat(k, group, axis=1)
    v = np.repeat(v, group, axis=1)
    scores = (q @ k.transpose(0, 1, 3, 2)).astype(np.float64) * scale
    i = np.arange(S)[:, None]
    j = np.arange(t)[None, :]
    scores = np.where(j <= i + (t - S), scores, -np.inf)
    p = np.exp(scores - scores.max(-1, keepdims=True))
    p /= p.sum(-1, keepdims=True)
    out = p @ v.astype(np.float64)
    return out.transpose(0, 2, 1, 3).reshape(B, S, N * H).astype(np.float32)


def f32(*shape):
    return rng.standard_normal(shape).astype(np.float32)


q, k, v = f32(B, S, N * H), f32(B, S, KV * H), f32(B, S, KV * H)
past_k, past_v = f32(B, KV, P, H), f32(B, KV, P, H)
qkv = f32(B, S, (N + 2 * KV) * H)
seqlens_k = np.full([B], P + S - 1, np.int32)
total_len = np.array(P + S, np.int32)

present_k = np.concatenate([past_k, heads(k, KV)], axis=2)
present_v = np.concatenate([past_v, heads(v, KV)], axis=2)
out = attention(heads(q, N), present_k, present_v, 1 / np.sqrt(H))

pq = heads(qkv[..., :N * H], N)
pk = heads(qkv[..., N * H:(N + KV) * H], KV)
pv = heads(qkv[..., (N + KV) * H:], KV)
packed_out = attention(pq, pk, pv, 0.25)

out_dir = os.path.join(sys.argv[1], "test_data_set_0")
os.makedirs(out_dir, exist_ok=True)
inputs = [("q", q), ("k", k), ("v", v), ("past_k", past_k),
          ("past_v", past_v), ("seqlens_k", seqlens_k),
          ("total_len", total_len), ("qkv", qkv)]
outputs = [("out", out), ("present_k", present_k), ("present_v", present_v),
           ("packed_out", packed_out), ("packed_k", pk)]
for prefix, tensors in (("input", inputs), ("output", outputs)):
    for n, (name, value) in enumerate(tensors):
        path = os.path.join(out_dir, "%s_%d.pb" % (prefix, n))
        with open(path, "wb") as f:
            f.write(numpy_helper.from_array(value, name).SerializeToString())
