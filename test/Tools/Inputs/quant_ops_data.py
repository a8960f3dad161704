"""Writes an ONNX test-data directory for test/Import/quant-ops.onnxtxt.

Usage: quant_ops_data.py DIR
  DIR/test_data_set_0/input_K.pb, output_K.pb

The reference outputs are numpy's, following the ONNX operator definitions
(opset 21): QuantizeLinear y = saturate(round_half_even(x / s) + zp),
DequantizeLinear x = (q - zp) * s, DynamicQuantizeLinear (uint8, range
extended to include 0), MatMulInteger (a - a_zp) @ b in int32. The inputs
exercise ties (round half to even) and saturation at both ends of uint8
and int8, which is where a wrong zero point (128 as ui8) shows.
"""
import os
import sys

import numpy as np
from onnx import numpy_helper


def round_even(v):
    return np.rint(v)  # numpy rounds half to even


def saturate(v, dtype):
    info = np.iinfo(dtype)
    return np.clip(v, info.min, info.max).astype(dtype)


x = np.array([[0.25, -0.75], [1.25, -1.75], [70.0, -70.0], [0.0, 2.6]],
             np.float32)
q8t = np.array([[1, -2, 127], [-128, 3, 5]], np.int8)

s = np.float32(0.5)
zp = np.uint8(128)
ws = np.array([0.1, 0.2, 0.3, 0.4], np.float32)
w4 = np.array([[1, 2], [-8, -1], [0, 7], [-6, -7]], np.int8)

q = saturate(round_even(x / s) + np.float32(zp), np.uint8)
dq = ((q.astype(np.int32) - np.int32(zp)).astype(np.float32) * s)
q8 = saturate(round_even(x / ws[:, None]), np.int8)
dq4 = w4.astype(np.float32) * ws[:, None]

lo = np.minimum(np.float32(0), x.min())
hi = np.maximum(np.float32(0), x.max())
ys = np.float32((hi - lo) / np.float32(255))
yzp = saturate(round_even(np.float32(0) - lo / ys), np.uint8)
y = saturate(round_even(x / ys) + np.float32(yzp), np.uint8)
acc = (y.astype(np.int32) - np.int32(yzp)) @ q8t.astype(np.int32)

out = os.path.join(sys.argv[1], "test_data_set_0")
os.makedirs(out, exist_ok=True)
for k, (name, value) in enumerate([("x", x), ("q8t", q8t)]):
    with open(os.path.join(out, "input_%d.pb" % k), "wb") as f:
        f.write(numpy_helper.from_array(value, name).SerializeToString())
outputs = [("dq", dq), ("q8", q8), ("dq4", dq4), ("ys", np.array(ys)),
           ("acc", acc)]
for k, (name, value) in enumerate(outputs):
    with open(os.path.join(out, "output_%d.pb" % k), "wb") as f:
        f.write(numpy_helper.from_array(value, name).SerializeToString())
