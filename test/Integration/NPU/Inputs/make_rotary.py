"""Writes an ONNX model with one com.microsoft RotaryEmbedding node (x
[B, N, S, H], i64 position_ids [B, S], cos/sin caches [max_seq, R/2] as
initializers) and numpy test data, for the NPU rotary-embedding tests.

usage: make_rotary.py OUTDIR MODE ROTARY_DIM
MODE is `half` (rotate-half: pairs x[i], x[i + R/2]) or `interleaved`
(pairs x[2i], x[2i + 1]); ROTARY_DIM 0 rotates all of H, else the first
ROTARY_DIM elements (the rest pass through). The reference is computed in
float64 by the formulas of the RotaryEmbedding contrib op.
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

out, mode, rotary_dim = sys.argv[1], sys.argv[2], int(sys.argv[3])
B, N, S, H, MAX_SEQ = 2, 3, 5, 8, 12
R = rotary_dim or H
rng = np.random.default_rng(11)
x = rng.standard_normal((B, N, S, H)).astype(np.float32)
pos = np.stack([rng.permutation(MAX_SEQ)[:S] for _ in range(B)]).astype(np.int64)
angles = np.arange(MAX_SEQ)[:, None] / 10000.0 ** (np.arange(R // 2) / (R // 2))
cos = np.cos(angles).astype(np.float32)
sin = np.sin(angles).astype(np.float32)

attrs = {"interleaved": int(mode == "interleaved")}
if rotary_dim:
    attrs["rotary_embedding_dim"] = rotary_dim
    attrs["num_heads"] = N
node = helper.make_node("RotaryEmbedding", ["x", "position_ids", "cos", "sin"],
                        ["y"], name="rope", domain="com.microsoft", **attrs)
graph = helper.make_graph(
    [node], "rotary",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, [B, N, S, H]),
     helper.make_tensor_value_info("position_ids", TensorProto.INT64, [B, S])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, [B, N, S, H])],
    [numpy_helper.from_array(cos, "cos"), numpy_helper.from_array(sin, "sin")])
model = helper.make_model(graph, opset_imports=[
    helper.make_opsetid("", 17), helper.make_opsetid("com.microsoft", 1)])

# Reference: per batch row the cos/sin of its positions, broadcast over heads.
c = cos.astype(np.float64)[pos][:, None]  # [B, 1, S, R/2]
s = sin.astype(np.float64)[pos][:, None]
xd = x.astype(np.float64)
y = xd.copy()
if mode == "interleaved":
    x1, x2 = xd[..., 0:R:2], xd[..., 1:R:2]
    y[..., 0:R:2] = x1 * c - x2 * s
    y[..., 1:R:2] = x2 * c + x1 * s
else:
    x1, x2 = xd[..., : R // 2], xd[..., R // 2 : R]
    y[..., : R // 2] = x1 * c - x2 * s
    y[..., R // 2 : R] = x2 * c + x1 * s

os.makedirs(os.path.join(out, "test_data_set_0"), exist_ok=True)
onnx.save(model, os.path.join(out, "model.onnx"))
for name, t in (("input_0", numpy_helper.from_array(x, "x")),
                ("input_1", numpy_helper.from_array(pos, "position_ids")),
                ("output_0", numpy_helper.from_array(y.astype(np.float32), "y"))):
    with open(os.path.join(out, "test_data_set_0", name + ".pb"), "wb") as f:
        f.write(t.SerializeToString())
