"""Checks llm-run --output-dir files of affine-relu.onnxtxt against numpy.

Usage: check_outputs.py DATA_DIR OUTPUT_DIR npy|pb
Prints "outputs match numpy" or raises.
"""
import os
import sys

import numpy as np
import onnx
from onnx import numpy_helper

data, outdir, fmt = sys.argv[1:4]
x = np.load(os.path.join(data, "x.npy"))
b = np.load(os.path.join(data, "b.npy"))
y = np.maximum(x * np.float32(2) + b, 0)
expected = [("y", y), ("s", y.sum(1)), ("pos", x > b),
            ("idx", x.astype(np.int64))]
for k, (name, ref) in enumerate(expected):
    if fmt == "npy":
        got = np.load(os.path.join(outdir, name + ".npy"))
    else:
        tensor = onnx.load_tensor(os.path.join(outdir, "output_%d.pb" % k))
        assert tensor.name == name, tensor.name
        got = numpy_helper.to_array(tensor)
    assert got.dtype == ref.dtype, (name, got.dtype, ref.dtype)
    assert got.shape == ref.shape, (name, got.shape, ref.shape)
    np.testing.assert_allclose(got, ref, rtol=1e-6, atol=0)
print("outputs match numpy")
