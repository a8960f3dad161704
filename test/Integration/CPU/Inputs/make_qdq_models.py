#!/usr/bin/python3
"""Writes small quantized ONNX models in QDQ form, with reference outputs.

Each model OUT/NAME.onnx gets OUT/NAME/test_data_set_0/{input,output}_K.pb;
the outputs are computed here with numpy in float64 straight from the ONNX
operator definitions (QuantizeLinear: saturate(round_half_even(x / s) + zp);
DequantizeLinear: (q - zp) * s), independently of the compiler.

  static_per_channel  x -> QuantizeLinear(u8, per tensor) -> DequantizeLinear
                      -> MatMul with DequantizeLinear(int8 weight [K, N],
                      per-channel scales, axis 1): folds to quantized_matmul
  gemm_u8_per_tensor  Gemm(transB=1) of f32 x with DequantizeLinear(uint8
                      weight [N, K], per-tensor scale and zero point), bias:
                      folds to quantized_linear (weight only)
  blocked_int4        MatMul with DequantizeLinear-21(int4 weight [K, N],
                      blocked along K with block_size 4, scales [K/4, N]):
                      folds to quantized_linear with group_size 4
  static_u8_scalar_zp as static_per_channel, with uint8 weights whose zero
                      point is a scalar (rank 0, 128): quantized_matmul
                      with a rank-0 ui8 b_zero_point (the int8 kernel takes
                      it as a constant folded into the contraction)
  qlinear_matmul_per_row  QLinearMatMul (u8 x s8 -> u8) with per-row a scales
                      and zero points and per-column b scales: imports as
                      quantized_matmul + rescale + quantize

Usage: make_qdq_models.py OUT
"""

import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

INT4 = 22  # TensorProto.INT4 (ONNX >= 1.16; Debian's onnx 1.12 lacks the name)


def quantize(x, s, zp, lo, hi):
    return np.clip(np.round(x / s) + zp, lo, hi)


def write(out, name, graph, inputs, outputs, opset):
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 8 if opset <= 17 else 10
    if opset <= 17:
        onnx.checker.check_model(model)
    with open(os.path.join(out, name + ".onnx"), "wb") as f:
        f.write(model.SerializeToString())
    data = os.path.join(out, name, "test_data_set_0")
    os.makedirs(data, exist_ok=True)
    for prefix, tensors in (("input", inputs), ("output", outputs)):
        for k, (tname, value) in enumerate(tensors):
            t = numpy_helper.from_array(value, tname)
            with open(os.path.join(data, "%s_%d.pb" % (prefix, k)), "wb") as f:
                f.write(t.SerializeToString())


def static_per_channel(out, rng):
    K, N = 16, 6
    x = rng.standard_normal((2, 5, K)).astype(np.float32)
    sx, zx = np.float32(0.03), np.uint8(120)
    w = rng.integers(-127, 128, size=(K, N)).astype(np.int8)
    sw = (rng.random(N) * 0.02 + 0.005).astype(np.float32)
    xq = quantize(x.astype(np.float64), float(sx), float(zx), 0, 255)
    y = ((xq - float(zx)) * float(sx)) @ (w.astype(np.float64) * sw.astype(np.float64))
    nodes = [
        helper.make_node("QuantizeLinear", ["x", "sx", "zx"], ["xq"], name="q_x"),
        helper.make_node("DequantizeLinear", ["xq", "sx", "zx"], ["xd"], name="dq_x"),
        helper.make_node("DequantizeLinear", ["w", "sw"], ["wd"], name="dq_w", axis=1),
        helper.make_node("MatMul", ["xd", "wd"], ["y"], name="matmul"),
    ]
    inits = [numpy_helper.from_array(np.array(sx), "sx"),
             numpy_helper.from_array(np.array(zx), "zx"),
             numpy_helper.from_array(w, "w"), numpy_helper.from_array(sw, "sw")]
    graph = helper.make_graph(
        nodes, "static_per_channel",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, x.shape)],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, y.shape)], inits)
    write(out, "static_per_channel", graph, [("x", x)],
          [("y", y.astype(np.float32))], 13)


def static_u8_scalar_zp(out, rng):
    """Static QDQ with uint8 weights whose zero point is a scalar (rank 0):
    folds to quantized_matmul with a rank-0 ui8 b_zero_point."""
    K, N = 20, 7
    x = rng.standard_normal((3, 4, K)).astype(np.float32)
    sx, zx = np.float32(0.025), np.uint8(131)
    w = rng.integers(60, 200, size=(K, N)).astype(np.uint8)
    sw, zw = np.float32(0.004), np.uint8(128)
    xq = quantize(x.astype(np.float64), float(sx), float(zx), 0, 255)
    y = ((xq - float(zx)) * float(sx)) @ \
        ((w.astype(np.float64) - float(zw)) * float(sw))
    nodes = [
        helper.make_node("QuantizeLinear", ["x", "sx", "zx"], ["xq"], name="q_x"),
        helper.make_node("DequantizeLinear", ["xq", "sx", "zx"], ["xd"], name="dq_x"),
        helper.make_node("DequantizeLinear", ["w", "sw", "zw"], ["wd"], name="dq_w"),
        helper.make_node("MatMul", ["xd", "wd"], ["y"], name="matmul"),
    ]
    inits = [numpy_helper.from_array(np.array(sx), "sx"),
             numpy_helper.from_array(np.array(zx), "zx"),
             numpy_helper.from_array(w, "w"),
             numpy_helper.from_array(np.array(sw), "sw"),
             numpy_helper.from_array(np.array(zw), "zw")]
    graph = helper.make_graph(
        nodes, "static_u8_scalar_zp",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, x.shape)],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, y.shape)], inits)
    write(out, "static_u8_scalar_zp", graph, [("x", x)],
          [("y", y.astype(np.float32))], 13)


def gemm_u8_per_tensor(out, rng):
    M, K, N = 4, 12, 5
    x = rng.standard_normal((M, K)).astype(np.float32)
    w = rng.integers(0, 256, size=(N, K)).astype(np.uint8)
    sw, zw = np.float32(0.01), np.uint8(131)
    b = rng.standard_normal(N).astype(np.float32)
    y = x.astype(np.float64) @ ((w.astype(np.float64) - float(zw)) * float(sw)).T + b
    nodes = [
        helper.make_node("DequantizeLinear", ["w", "sw", "zw"], ["wd"], name="dq_w"),
        helper.make_node("Gemm", ["x", "wd", "b"], ["y"], name="fc", transB=1),
    ]
    inits = [numpy_helper.from_array(w, "w"),
             numpy_helper.from_array(np.array(sw), "sw"),
             numpy_helper.from_array(np.array(zw), "zw"),
             numpy_helper.from_array(b, "b")]
    graph = helper.make_graph(
        nodes, "gemm_u8_per_tensor",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, x.shape)],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, y.shape)], inits)
    write(out, "gemm_u8_per_tensor", graph, [("x", x)],
          [("y", y.astype(np.float32))], 13)


def blocked_int4(out, rng):
    K, N, B = 12, 3, 4
    x = rng.standard_normal((3, K)).astype(np.float32)
    w = rng.integers(-8, 8, size=(K, N)).astype(np.int8)
    s = (rng.random((K // B, N)) * 0.1 + 0.01).astype(np.float32)
    w_float = w.astype(np.float64) * np.repeat(s.astype(np.float64), B, axis=0)
    y = x.astype(np.float64) @ w_float
    # INT4: two values per byte, low nibble first.
    flat = (w.reshape(-1).astype(np.int16) & 0xF).astype(np.uint8)
    packed = (flat[0::2] | (flat[1::2] << 4)).astype(np.uint8)
    wt = TensorProto(name="w", data_type=INT4, dims=[K, N],
                     raw_data=packed.tobytes())
    nodes = [
        helper.make_node("DequantizeLinear", ["w", "s"], ["wd"], name="dq_w",
                         axis=0, block_size=B),
        helper.make_node("MatMul", ["x", "wd"], ["y"], name="matmul"),
    ]
    graph = helper.make_graph(
        nodes, "blocked_int4",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, x.shape)],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, y.shape)],
        [wt, numpy_helper.from_array(s, "s")])
    write(out, "blocked_int4", graph, [("x", x)],
          [("y", y.astype(np.float32))], 21)


def qlinear_matmul_per_row(out, rng):
    """QLinearMatMul with a per-row a scale/zero point and per-column b scale:
    y = saturate(round((a - za) @ (b - zb) * sa[m] * sb[n] / sy) + zy)."""
    M, K, N = 3, 8, 4
    a = rng.integers(0, 256, size=(M, K)).astype(np.uint8)
    sa = (rng.random(M) * 0.02 + 0.01).astype(np.float32)
    za = rng.integers(100, 150, size=M).astype(np.uint8)
    b = rng.integers(-128, 128, size=(K, N)).astype(np.int8)
    sb = (rng.random(N) * 0.02 + 0.01).astype(np.float32)
    zb = np.zeros(N, dtype=np.int8)
    sy, zy = np.float32(0.2), np.uint8(128)
    acc = (a.astype(np.int64) - za[:, None]) @ (b.astype(np.int64) - zb[None, :])
    # float32 math in the order the model computes it (cast, * sa, * sb,
    # / sy, round half to even), so that the rounding agrees exactly.
    y = (acc.astype(np.float32) * sa[:, None]) * sb[None, :]
    y = np.clip(np.round(y / sy) + zy, 0, 255).astype(np.uint8)
    names = ["a", "sa", "za", "b", "sb", "zb", "sy", "zy"]
    node = helper.make_node("QLinearMatMul", names, ["y"], name="qlmm")
    inits = [numpy_helper.from_array(v, n) for n, v in
             zip(names[1:], [sa, za, b, sb, zb, np.array(sy), np.array(zy)])]
    graph = helper.make_graph(
        [node], "qlinear_matmul_per_row",
        [helper.make_tensor_value_info("a", TensorProto.UINT8, a.shape)],
        [helper.make_tensor_value_info("y", TensorProto.UINT8, y.shape)], inits)
    write(out, "qlinear_matmul_per_row", graph, [("a", a)], [("y", y)], 13)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(7)
    static_per_channel(out, rng)
    gemm_u8_per_tensor(out, rng)
    blocked_int4(out, rng)
    qlinear_matmul_per_row(out, rng)
    static_u8_scalar_zp(out, rng)
    return 0


if __name__ == "__main__":
    sys.exit(main())
