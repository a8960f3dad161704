"""ONNX models whose matmul reads a transposed B that is a graph input.

Usage: make_transposed_b_models.py OUT

Writes OUT/NAME.onnx and OUT/NAME/test_data_set_0/{input,output}_K.pb with
random inputs and the outputs numpy computes (float64, rounded to float32):

  matmul_t       MatMul(A [37, 96], Transpose(B [130, 96]))
  gemm_t         Gemm(A [33, 80], B [97, 80], C [97], transB=1)
  heads_t        MatMul(Q [12, 37, 64], Transpose(K [12, 50, 64], perm 0 2 1))
  decode_t       MatMul(A [1, 768], Transpose(B [3072, 768]))

The CPU pipeline folds the Transpose into the matmul's B
(llm-view-transposed-operands) and packs B into register panels at run time.
"""

import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def write(out, name, nodes, inputs, output):
    """A one-output model of `nodes` over the named float `inputs`."""
    ref_name, ref = output
    graph = helper.make_graph(
        nodes, name,
        [helper.make_tensor_value_info(n, TensorProto.FLOAT, list(v.shape))
         for n, v in inputs],
        [helper.make_tensor_value_info(ref_name, TensorProto.FLOAT,
                                       list(ref.shape))])
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    with open(os.path.join(out, name + ".onnx"), "wb") as f:
        f.write(model.SerializeToString())
    data = os.path.join(out, name, "test_data_set_0")
    os.makedirs(data, exist_ok=True)
    for prefix, tensors in (("input", inputs), ("output", [output])):
        for k, (tname, value) in enumerate(tensors):
            t = numpy_helper.from_array(value.astype(np.float32), tname)
            with open(os.path.join(data, "%s_%d.pb" % (prefix, k)), "wb") as f:
                f.write(t.SerializeToString())


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(7)

    def rand(*shape):
        return rng.standard_normal(shape).astype(np.float32)

    def f64(x):
        return x.astype(np.float64)

    a, b = rand(37, 96), rand(130, 96)
    write(out, "matmul_t",
          [helper.make_node("Transpose", ["b"], ["bt"], perm=[1, 0]),
           helper.make_node("MatMul", ["a", "bt"], ["y"])],
          [("a", a), ("b", b)], ("y", f64(a) @ f64(b).T))

    a, b, c = rand(33, 80), rand(97, 80), rand(97)
    write(out, "gemm_t",
          [helper.make_node("Gemm", ["a", "b", "c"], ["y"], transB=1)],
          [("a", a), ("b", b), ("c", c)], ("y", f64(a) @ f64(b).T + f64(c)))

    q, k = rand(12, 37, 64), rand(12, 50, 64)
    write(out, "heads_t",
          [helper.make_node("Transpose", ["k"], ["kt"], perm=[0, 2, 1]),
           helper.make_node("MatMul", ["q", "kt"], ["s"])],
          [("q", q), ("k", k)], ("s", f64(q) @ np.swapaxes(f64(k), 1, 2)))

    a, b = rand(1, 768), rand(3072, 768)
    write(out, "decode_t",
          [helper.make_node("Transpose", ["b"], ["bt"], perm=[1, 0]),
           helper.make_node("MatMul", ["a", "bt"], ["y"])],
          [("a", a), ("b", b)], ("y", f64(a) @ f64(b).T))


if __name__ == "__main__":
    main()
