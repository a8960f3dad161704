"""Writes an ONNX model y = x @ W + b (MatMul + Add, W and b initializers)
with numpy test data, for the NPU gemm tests.

usage: make_linear.py OUTDIR M K N
OUTDIR/model.onnx and OUTDIR/test_data_set_0/{input_0,output_0}.pb; the
reference is numpy's float64 product rounded to f32.
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

out, M, K, N = sys.argv[1], *map(int, sys.argv[2:5])
rng = np.random.default_rng(7)
x = rng.standard_normal((M, K)).astype(np.float32)
w = (rng.standard_normal((K, N)) / np.sqrt(K)).astype(np.float32)
b = rng.standard_normal(N).astype(np.float32)
graph = helper.make_graph(
    [helper.make_node("MatMul", ["x", "W"], ["xw"], name="mm"),
     helper.make_node("Add", ["xw", "b"], ["y"], name="bias")],
    "linear",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, [M, K])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, [M, N])],
    [numpy_helper.from_array(w, "W"), numpy_helper.from_array(b, "b")])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
os.makedirs(os.path.join(out, "test_data_set_0"), exist_ok=True)
onnx.save(model, os.path.join(out, "model.onnx"))
y = (x.astype(np.float64) @ w.astype(np.float64) + b).astype(np.float32)
for name, t in (("input_0", numpy_helper.from_array(x, "x")),
                ("output_0", numpy_helper.from_array(y, "y"))):
    with open(os.path.join(out, "test_data_set_0", name + ".pb"), "wb") as f:
        f.write(t.SerializeToString())
