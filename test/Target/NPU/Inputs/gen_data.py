"""Inputs and numpy references for the hand-written NPU programs.

usage: gen_data.py gemm|softmax|linear-layernorm DIR
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


def to_bf16(x):
    """float32 -> bfloat16 bit patterns (uint16), round to nearest even."""
    bits = np.asarray(x, np.float32).view(np.uint32).astype(np.uint64)
    return ((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16).astype(np.uint16)


def from_bf16(bits):
    return (bits.astype(np.uint32) << 16).view(np.float32)


def linear_layernorm(out):
    rng = np.random.default_rng(3)
    x = to_bf16(rng.standard_normal((16, 32)))
    w = to_bf16(rng.standard_normal((16, 32)) * 0.3)
    b = (rng.standard_normal(16) * 0.1).astype(np.float32)
    gamma = (1 + rng.standard_normal(16) * 0.1).astype(np.float32)
    beta = (rng.standard_normal(16) * 0.1).astype(np.float32)
    for name, value in [("x", x), ("w", w), ("b", b), ("gamma", gamma), ("beta", beta)]:
        np.save(os.path.join(out, name + ".npy"), value)
    h = from_bf16(x).astype(np.float64) @ from_bf16(w).astype(np.float64).T + b
    mean = h.mean(axis=1, keepdims=True)
    var = ((h - mean) ** 2).mean(axis=1, keepdims=True)
    y = (h - mean) / np.sqrt(var + 1e-5) * gamma + beta
    np.save(os.path.join(out, "y_ref.npy"), y.astype(np.float32))


def main():
    kind, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    {"gemm": gemm, "softmax": softmax, "linear-layernorm": linear_layernorm}[kind](out)


if __name__ == "__main__":
    main()
