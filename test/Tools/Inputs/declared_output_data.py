"""Writes inputs for declared-output.onnxtxt.

Usage: declared_output_data.py DIR
  DIR/x2.npy, DIR/y2.npy   batch 2 (what the output declares)
  DIR/x3.npy, DIR/y3.npy   batch 3 (contradicts the declared output batch)
  DIR/expected/            batch 2 test data: numpy's tanh(relu(x + y))
"""
import os
import sys

import numpy as np
from onnx import numpy_helper

out = sys.argv[1]
os.makedirs(os.path.join(out, "expected"), exist_ok=True)
for batch in (2, 3):
    x = (np.cos(np.arange(batch * 5 * 3 * 4) * 0.37) * 2).astype(
        np.float32).reshape(batch, 5, 3, 4)
    y = np.linspace(-1, 1, batch * 4, dtype=np.float32).reshape(batch, 1, 1, 4)
    np.save(os.path.join(out, "x%d.npy" % batch), x)
    np.save(os.path.join(out, "y%d.npy" % batch), y)
    if batch == 2:
        t = np.tanh(np.maximum(x + y, 0)).astype(np.float32)
        for k, (name, value) in enumerate([("x", x), ("y", y)]):
            with open(os.path.join(out, "expected", "input_%d.pb" % k),
                      "wb") as f:
                f.write(numpy_helper.from_array(value, name)
                        .SerializeToString())
        with open(os.path.join(out, "expected", "output_0.pb"), "wb") as f:
            f.write(numpy_helper.from_array(t, "t").SerializeToString())
