"""Tests of the llm_compiler Python module (python-bindings/).

Run by test/Embedding/python.test (lit) with build/python_packages on
PYTHONPATH and LLM_SRC_ROOT set. Expected values come from numpy (computed
here from the inputs) and from PyTorch's output stored with the bundled
tiny GPT-2 model, never from the compiler itself.
"""
import os

import numpy as np
import onnx
import onnx.numpy_helper
import pytest
from onnx import TensorProto, helper

import llm_compiler as llm

SRC = os.environ["LLM_SRC_ROOT"]
AFFINE_RELU = os.path.join(SRC, "test", "Tools", "Inputs", "affine-relu.onnxtxt")
TINY_GPT2 = os.path.join(SRC, "models", "tiny-gpt2.onnx")
TINY_GPT2_DATA = os.path.join(SRC, "models", "tiny-gpt2", "test_data_set_0")


def affine_relu_reference(x, b):
    """What test/Tools/Inputs/affine-relu.onnxtxt computes, in numpy."""
    y = np.maximum(x * np.float32(2) + b, 0)
    return [y, y.sum(axis=1), x > b, np.trunc(x).astype(np.int64)]


@pytest.fixture(scope="module")
def affine_relu():
    return llm.compile(llm.import_onnx(AFFINE_RELU))


def test_version():
    assert llm.__version__.count(".") == 2


def test_import_file_print_and_parse():
    module = llm.import_onnx(AFFINE_RELU)
    text = str(module)
    assert "func.func @main" in text and "transformer.add" in text
    # The printed IR parses back, in the same or a new context, to the same text.
    assert str(llm.Module.parse(text, module.context)) == text
    assert str(llm.Module.parse(text)) == text
    summary = module.summary()
    assert "x" in summary and "transformer.add" in summary


def test_import_bytes_text_and_binary():
    with open(AFFINE_RELU, "rb") as f:
        text_model = f.read()
    from_text = llm.import_onnx(text_model, name="m.onnxtxt")
    binary_model = onnx.load(TINY_GPT2).SerializeToString()
    from_binary = llm.import_onnx(binary_model, format="binary")
    assert "transformer." in str(from_text)
    assert "transformer.attention" in str(from_binary) or \
        "transformer.matmul" in str(from_binary)


def test_run_dynamic_batch(affine_relu):
    assert [t["name"] for t in affine_relu.inputs] == ["x", "b"]
    assert affine_relu.inputs[0]["shape"] == ("n", 4)
    assert affine_relu.inputs[0]["dtype"] == np.float32
    assert [t["name"] for t in affine_relu.outputs] == ["y", "s", "pos", "idx"]
    rng = np.random.default_rng(1)
    b = rng.standard_normal(4, dtype=np.float32)
    for n in (1, 5):
        x = rng.standard_normal((n, 4), dtype=np.float32) * 3
        outputs = affine_relu(x, b)
        expected = affine_relu_reference(x, b)
        assert [o.dtype for o in outputs] == [e.dtype for e in expected]
        for got, want in zip(outputs, expected):
            np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-6)


def test_inputs_by_name_lists_and_strided_arrays(affine_relu):
    wide = np.arange(24, dtype=np.float32).reshape(3, 8) - 10
    x = wide[:, ::2]  # not contiguous: copied before the call
    assert not x.flags["C_CONTIGUOUS"]
    b = [0.5, -1.0, 2.0, 0.0]  # a list: converted to float32
    outputs = affine_relu(b=b, x=x)
    expected = affine_relu_reference(np.ascontiguousarray(x),
                                     np.array(b, np.float32))
    for got, want in zip(outputs, expected):
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-6)


def test_unaligned_input_is_copied(affine_relu):
    raw = np.zeros(4 * 8 + 1, np.uint8)
    x = raw[1:].view(np.float32).reshape(2, 4)  # misaligned by one byte
    assert not x.flags["ALIGNED"]
    x[...] = np.arange(8, dtype=np.float32).reshape(2, 4) - 3
    b = np.full(4, 0.25, np.float32)
    outputs = affine_relu(x, b)
    expected = affine_relu_reference(np.array(x), b)
    for got, want in zip(outputs, expected):
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-6)


def test_outputs_own_their_memory(affine_relu):
    x = np.ones((2, 4), np.float32)
    b = np.zeros(4, np.float32)
    y, s, _, _ = affine_relu(x, b)
    del affine_relu  # the arrays outlive the call and the model's inputs
    y += 1
    np.testing.assert_array_equal(y, np.full((2, 4), 3, np.float32))
    np.testing.assert_array_equal(s, np.full(2, 8, np.float32))


def test_input_errors(affine_relu):
    x = np.ones((2, 4), np.float32)
    b = np.zeros(4, np.float32)
    with pytest.raises(TypeError, match="input 'x' must be float32"):
        affine_relu(x.astype(np.float64), b)
    with pytest.raises(TypeError, match="'b' is missing"):
        affine_relu(x)
    with pytest.raises(TypeError, match="no input named 'z'"):
        affine_relu(x, b, z=b)
    with pytest.raises(TypeError, match="given twice"):
        affine_relu(x, b, x=x)
    with pytest.raises(ValueError, match="'b'"):
        affine_relu(x, np.zeros(3, np.float32))


def test_tiny_gpt2_matches_pytorch():
    def load(name):
        proto = onnx.TensorProto()
        with open(os.path.join(TINY_GPT2_DATA, name), "rb") as f:
            proto.ParseFromString(f.read())
        return onnx.numpy_helper.to_array(proto)

    model = llm.compile(llm.import_onnx(TINY_GPT2))
    outputs = model(load("input_0.pb"))
    np.testing.assert_allclose(outputs[0], load("output_0.pb"),
                               rtol=0, atol=1e-4)


def test_onnx_helper_graph_against_numpy():
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["a", "w"], ["m"]),
         helper.make_node("Add", ["m", "bias"], ["z"]),
         helper.make_node("Tanh", ["z"], ["out"])],
        "mm", [helper.make_tensor_value_info("a", TensorProto.FLOAT, [2, 3])],
        [helper.make_tensor_value_info("out", TensorProto.FLOAT, [2, 4])],
        [onnx.numpy_helper.from_array(
            np.linspace(-1, 1, 12, dtype=np.float32).reshape(3, 4), "w"),
         onnx.numpy_helper.from_array(
            np.array([0.1, 0.2, -0.3, 0.0], np.float32), "bias")])
    data = helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", 17)]).SerializeToString()
    model = llm.compile(llm.import_onnx(data), opt_level=0)
    a = np.array([[1, 2, 3], [-1, 0.5, 0]], np.float32)
    w = np.linspace(-1, 1, 12, dtype=np.float32).reshape(3, 4)
    expected = np.tanh(a @ w + np.array([0.1, 0.2, -0.3, 0.0], np.float32))
    (out,) = model(a)
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-6)


def test_passes_pipeline_and_artifacts(tmp_path):
    module = llm.import_onnx(AFFINE_RELU)
    original = str(module)
    lowered = module.clone()
    lowered.run_passes("canonicalize,cse")
    lowered.run_pipeline("llm-cpu-pipeline", "target-cpu=x86-64-v3")
    assert str(module) == original  # clone() is deep
    assert "llvm.func @_mlir_ciface_main" in str(lowered)
    assert "transformer." not in str(lowered)
    lowered.emit("llvm", str(tmp_path / "m.ll"))
    lowered.emit("obj", str(tmp_path / "m.o"), opt_level=1)
    assert "define" in (tmp_path / "m.ll").read_text()
    assert (tmp_path / "m.o").read_bytes()[:4] == b"\x7fELF"


def test_npu_pipeline_by_name(tmp_path):
    # The NPU pipeline is registered like the others: a static f32 model
    # becomes one npu.program of instructions (llm-opt --emit=npu-asm writes
    # it; llm-run --target=npu simulates it).
    w = np.linspace(-1, 1, 12, dtype=np.float32).reshape(3, 4)
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["a", "w"], ["m"]),
         helper.make_node("Relu", ["m"], ["y"])], "mm",
        [helper.make_tensor_value_info("a", TensorProto.FLOAT, [2, 3])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 4])],
        [onnx.numpy_helper.from_array(w, "w")])
    data = helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", 17)]).SerializeToString()
    module = llm.import_onnx(data)
    module.run_pipeline("llm-npu-pipeline", "dtype=bf16")
    text = str(module)
    assert "npu.program @" in text and "npu.matmul" in text
    assert "transformer." not in text
    with pytest.raises(llm.CompilerError, match="dtype=fp8 is not bf16"):
        llm.import_onnx(data).run_pipeline("llm-npu-pipeline", "dtype=fp8")
    # The program as assembly and as a binary (the format's magic, docs/npu.md).
    asm = tmp_path / "mm.s"
    module.emit("npu-asm", str(asm))
    assert "halt" in asm.read_text()
    module.emit("npu-bin", str(tmp_path / "mm.bin"))
    assert (tmp_path / "mm.bin").stat().st_size > 0


def test_nvptx_pipeline_emits_ptx(tmp_path):
    module = llm.import_onnx(AFFINE_RELU)
    module.run_pipeline("llm-nvptx-pipeline", "chip=sm_90")
    module.emit("ptx", str(tmp_path / "m.ptx"))
    ptx = (tmp_path / "m.ptx").read_text()
    assert ".target sm_90" in ptx and ".entry" in ptx
    with pytest.raises(llm.CompilerError, match="npu"):
        module.emit("npu-asm", str(tmp_path / "m.s"))


def test_compiler_errors_carry_diagnostics():
    with pytest.raises(llm.CompilerError) as info:
        llm.Module.parse("func.func @f() {\n  transformer.nonsense\n}",
                         name="bad.mlir")
    assert isinstance(info.value, RuntimeError)
    assert info.value.diagnostics and "bad.mlir:2" in info.value.diagnostics[0]

    bad_model = (b"ir_version: 8 opset_import { version: 17 } graph { "
                 b"node { name: 'n1' op_type: 'NoSuchOp' input: 'x' output: 'y' } "
                 b"input { name: 'x' type { tensor_type { elem_type: 1 "
                 b"shape { dim { dim_value: 1 } } } } } "
                 b"output { name: 'y' type { tensor_type { elem_type: 1 } } } }")
    with pytest.raises(llm.CompilerError) as info:
        llm.import_onnx(bad_model, name="bad.onnxtxt")
    assert any("NoSuchOp" in d and "n1" in d for d in info.value.diagnostics)

    with pytest.raises(llm.CompilerError) as info:
        llm.import_onnx(os.path.join(SRC, "no-such-model.onnx"))
    assert "no-such-model.onnx" in str(info.value)

    module = llm.import_onnx(AFFINE_RELU)
    with pytest.raises(llm.CompilerError, match="no-such-pass"):
        module.run_passes("no-such-pass")
    with pytest.raises(llm.CompilerError, match="target-cpu=not-a-cpu"):
        module.run_pipeline("llm-cpu-pipeline", "target-cpu=not-a-cpu")
    with pytest.raises(llm.CompilerError) as info:
        module.emit("obj", "/nonexistent/x.o")  # not lowered to LLVM
    assert info.value.diagnostics
    with pytest.raises(ValueError, match="not one of"):
        module.emit("exe", "x")


def test_compile_options():
    module = llm.import_onnx(AFFINE_RELU)
    with pytest.raises(ValueError, match="not built yet"):
        llm.compile(module, target="npu")
    with pytest.raises(ValueError, match="unknown target"):
        llm.compile(module, target="tpu")
    with pytest.raises(ValueError, match="not-a-cpu"):
        llm.compile(module, target_cpu="not-a-cpu")
    with pytest.raises(llm.CompilerError, match="nope"):
        llm.compile(module, function="nope")
