"""Writes a binary ONNX model whose initializer 'w' (f32[1025]) has 4096
bytes of raw_data instead of 4100: large enough for the zero-copy parse to
leave it in the mapped file (test/Import/zero-copy.test).

Usage: bad_raw_data.py OUT.onnx
"""
import sys

import onnx
from onnx import TensorProto, helper

w = TensorProto(name="w", data_type=TensorProto.FLOAT, dims=[1025],
                raw_data=b"\0" * 4096)
graph = helper.make_graph(
    [helper.make_node("Add", ["x", "w"], ["y"], name="add")], "g",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1025])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1025])], [w])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
with open(sys.argv[1], "wb") as f:
    f.write(model.SerializeToString())
