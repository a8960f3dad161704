"""Checks the output of the docs/cpu.md C example against numpy.

The example calls test/Tools/Inputs/affine-relu.onnxtxt on the x and b below
and prints per row: y = relu(2x + b) | s = y.sum(1) | pos = x > b |
idx = int64(x). Prints "C example matches numpy" or raises."""
import sys

import numpy as np

x = np.array([[1.5, -2.25, 0.5, 3.0], [-1.0, 0.25, -0.75, 2.5],
              [0.0, 1.0, -3.5, 0.125]], np.float32)
b = np.array([0.5, -1.0, 2.0, -4.0], np.float32)
y = np.maximum(x * np.float32(2) + b, 0)
s = y.sum(1)
pos = x > b
idx = x.astype(np.int64)

rows = [line for line in open(sys.argv[1]).read().splitlines() if line]
assert len(rows) == x.shape[0], rows
for i, row in enumerate(rows):
    head, rest = row.split(":", 1)
    assert head == "row %d" % i, head
    ys, ss, ps, js = rest.split("|")
    np.testing.assert_allclose([float(v) for v in ys.split()], y[i], rtol=1e-6)
    np.testing.assert_allclose(float(ss.split()[1]), s[i], rtol=1e-6)
    assert [bool(int(v)) for v in ps.split()] == list(pos[i]), (ps, pos[i])
    assert [int(v) for v in js.split()] == list(idx[i]), (js, idx[i])
print("C example matches numpy")
