"""Writes inputs and numpy reference outputs of affine-relu.onnxtxt.

Usage: affine_relu_data.py DIR
  DIR/x.npy, DIR/b.npy               batch 3 inputs (.npy)
  DIR/x5.npy                         a batch 5 input
  DIR/model/test_data_set_0/         batch 3: input_K.pb, output_K.pb
  DIR/model/test_data_set_1/         batch 5
  DIR/bad/output_K.pb                batch 3, output 0 off by 0.01 at [1, 2]
The reference is numpy's: y = relu(2x + b), s = y.sum(1), pos = x > b,
idx = x.astype(int64).
"""
import os
import sys

import numpy as np
from onnx import numpy_helper

out = sys.argv[1]
b = np.array([0.5, -1.0, 2.0, -4.0], np.float32)
x3 = np.array([[1.5, -2.25, 0.5, 3.0], [-1.0, 0.25, -0.75, 2.5],
               [0.0, 1.0, -3.5, 0.125]], np.float32)
x5 = (np.sin(np.arange(20) * 0.731) * 4).reshape(5, 4).astype(np.float32)


def reference(x):
    y = np.maximum(x * np.float32(2) + b, 0).astype(np.float32)
    return {"y": y, "s": y.sum(1), "pos": x > b, "idx": x.astype(np.int64)}


def write_set(directory, x, outputs):
    os.makedirs(directory, exist_ok=True)
    for k, (name, value) in enumerate([("x", x), ("b", b)]):
        tensor = numpy_helper.from_array(value, name)
        with open(os.path.join(directory, "input_%d.pb" % k), "wb") as f:
            f.write(tensor.SerializeToString())
    for k, name in enumerate(["y", "s", "pos", "idx"]):
        tensor = numpy_helper.from_array(outputs[name], name)
        with open(os.path.join(directory, "output_%d.pb" % k), "wb") as f:
            f.write(tensor.SerializeToString())


os.makedirs(out, exist_ok=True)
np.save(os.path.join(out, "x.npy"), x3)
np.save(os.path.join(out, "b.npy"), b)
np.save(os.path.join(out, "x5.npy"), x5)
np.save(os.path.join(out, "x_f64.npy"), x3.astype(np.float64))
np.save(os.path.join(out, "x_wide.npy"), np.zeros((3, 5), np.float32))
write_set(os.path.join(out, "model", "test_data_set_0"), x3, reference(x3))
write_set(os.path.join(out, "model", "test_data_set_1"), x5, reference(x5))
bad = reference(x3)
bad["y"] = bad["y"].copy()
bad["y"][1, 2] += np.float32(0.01)
write_set(os.path.join(out, "bad"), x3, bad)
