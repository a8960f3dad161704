"""Inputs and numpy references for the hand-written NPU programs.

usage: gen_data.py gemm|softmax|linear DIR
Writes DIR/<input>.npy and DIR/<output>_ref.npy; the references are
computed by numpy (float64 where it matters), independently of the NPU.
"""
import os
import sys

import numpy as np


def gemm(out):
    rng = np.random.default_rng(7)
    a = rng.integers(-128, 128, size=(64, 64), dtype=np.int8)
    b = rng.integers(-128, 128, size=(64, 32), dtype=np.int8)
    np.save(os.path.join(out, "A.npy"), a)
    np.save(os.path.join(out, "B.npy"), b)
    np.save(os.path.join(out, "C_ref.npy"), a.astype(np.int32) @ b.astype(np.int32))


def softmax(out):
    rng = np.random.default_rng(11)
    x = (rng.standard_normal((4, 40)) * 4).astype(np.float32)
    x64 = x.astype(np.float64)
    e = np.exp(x64 - x64.max(axis=1, keepdims=True))
    np.save(os.path.join(out, "x.npy"), x)
    np.save(os.path.join(out, "y_ref.npy"), (e / e.sum(axis=1, keepdims=True)).astype(np.float32))


def main():
    kind, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    {"gemm": gemm, "softmax": softmax}[kind](out)


if __name__ == "__main__":
    main()
