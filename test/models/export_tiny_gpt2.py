#!/usr/bin/python3
"""Export the bundled tiny GPT-2 model (models/tiny-gpt2.onnx) with PyTorch.

A small GPT-2 style decoder written here in plain PyTorch (no downloads, no
`transformers`), laid out like Hugging Face's GPT2Model so that the exported
graph has the same shape: token + position embeddings (Gather), pre-LayerNorm
blocks with a fused QKV projection split into heads via reshape/transpose
(shape subgraphs taken from `x.size()`), a causal mask sliced from a
lower-triangular buffer and applied with Where, softmax attention, the
tanh-approximated GELU written out as Pow/Mul/Add/Tanh, a final LayerNorm and
an LM head tied to the token embedding.

Sizes: vocab 256, d_model 64, 2 heads, 2 layers, sequence 16, batch 1 (about
120k parameters, < 1 MB). Weights come from a fixed seed, so re-running the
script reproduces the committed files bit for bit on the same PyTorch.

Also writes the ONNX test-data layout next to the model, for end-to-end tests
(`llm-run --expected`):
    models/tiny-gpt2/test_data_set_0/input_0.pb   (input_ids, int64 [1, 16])
    models/tiny-gpt2/test_data_set_0/output_0.pb  (logits, float32 [1, 16, 256])
The reference output is computed by PyTorch (an implementation independent
of ours).

`--verify` instead runs the committed ONNX graph with a small numpy
evaluator (independent of PyTorch) and checks it reproduces output_0.pb.

Usage (Debian's interpreter has torch 1.13 and onnx 1.12):
    /usr/bin/python3 test/models/export_tiny_gpt2.py [--opset 17] \
        [--dynamic-seq] [--output models/tiny-gpt2.onnx] [--no-test-data]
    /usr/bin/python3 test/models/export_tiny_gpt2.py --verify
"""

import argparse
import math
import os
import sys

import numpy as np
import torch
import torch.nn as nn

VOCAB = 256
D_MODEL = 64
N_HEAD = 2
N_LAYER = 2
SEQ = 16
MAX_POS = 32
SEED = 1234


class NewGELU(nn.Module):
    """GELU, tanh approximation, written out as in GPT-2."""

    def forward(self, x):
        return 0.5 * x * (1.0 + torch.tanh(
            math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3.0))))


class Conv1D(nn.Module):
    """GPT-2's projection: y = x @ W + b with W stored [in, out]."""

    def __init__(self, nx, nf):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(nx, nf) * 0.02)
        self.bias = nn.Parameter(torch.randn(nf) * 0.02)

    def forward(self, x):
        return torch.matmul(x, self.weight) + self.bias


class Attention(nn.Module):
    def __init__(self):
        super().__init__()
        self.c_attn = Conv1D(D_MODEL, 3 * D_MODEL)
        self.c_proj = Conv1D(D_MODEL, D_MODEL)
        self.register_buffer(
            "bias",
            torch.tril(torch.ones(MAX_POS, MAX_POS, dtype=torch.bool)).view(
                1, 1, MAX_POS, MAX_POS),
            persistent=False)
        self.register_buffer("masked_bias", torch.tensor(-1e4),
                             persistent=False)

    def split_heads(self, x):
        new_shape = x.size()[:-1] + (N_HEAD, D_MODEL // N_HEAD)
        x = x.view(new_shape)
        return x.permute(0, 2, 1, 3)

    def merge_heads(self, x):
        x = x.permute(0, 2, 1, 3).contiguous()
        new_shape = x.size()[:-2] + (D_MODEL,)
        return x.view(new_shape)

    def forward(self, x):
        q, k, v = self.c_attn(x).split(D_MODEL, dim=2)
        q, k, v = self.split_heads(q), self.split_heads(k), self.split_heads(v)
        w = torch.matmul(q, k.transpose(-1, -2))
        w = w / torch.tensor(v.size(-1) ** 0.5, dtype=w.dtype)
        q_len, k_len = q.size(-2), k.size(-2)
        causal = self.bias[:, :, k_len - q_len:k_len, :k_len]
        mask_value = torch.tensor(torch.finfo(w.dtype).min, dtype=w.dtype)
        w = torch.where(causal, w, mask_value)
        w = nn.functional.softmax(w, dim=-1)
        a = torch.matmul(w, v)
        return self.c_proj(self.merge_heads(a))


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.c_fc = Conv1D(D_MODEL, 4 * D_MODEL)
        self.c_proj = Conv1D(4 * D_MODEL, D_MODEL)
        self.act = NewGELU()

    def forward(self, x):
        return self.c_proj(self.act(self.c_fc(x)))


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln_1 = nn.LayerNorm(D_MODEL, eps=1e-5)
        self.attn = Attention()
        self.ln_2 = nn.LayerNorm(D_MODEL, eps=1e-5)
        self.mlp = MLP()

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class TinyGPT2(nn.Module):
    def __init__(self):
        super().__init__()
        self.wte = nn.Embedding(VOCAB, D_MODEL)
        self.wpe = nn.Embedding(MAX_POS, D_MODEL)
        self.h = nn.ModuleList([Block() for _ in range(N_LAYER)])
        self.ln_f = nn.LayerNorm(D_MODEL, eps=1e-5)
        with torch.no_grad():
            self.wte.weight.normal_(0.0, 0.02)
            self.wpe.weight.normal_(0.0, 0.01)
            for m in self.modules():
                if isinstance(m, nn.LayerNorm):
                    # Not the identity, so that importers which drop the
                    # affine part are caught by the reference output.
                    m.weight.add_(torch.randn_like(m.weight) * 0.1)
                    m.bias.add_(torch.randn_like(m.bias) * 0.1)

    def forward(self, input_ids):
        seq = input_ids.size(-1)
        pos = torch.arange(0, seq, dtype=torch.long).unsqueeze(0)
        x = self.wte(input_ids) + self.wpe(pos)
        for block in self.h:
            x = block(x)
        x = self.ln_f(x)
        # LM head tied to the token embedding.
        return torch.matmul(x, self.wte.weight.t())


def evaluate_onnx(path, inputs):
    """Runs the exported graph with numpy, op by op (only the ops this model
    uses), independently of PyTorch and of our compiler."""
    import onnx
    from onnx import numpy_helper
    model = onnx.load(path)
    env = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    env.update(inputs)

    def attr(node, name, default=None):
        for a in node.attribute:
            if a.name == name:
                return onnx.helper.get_attribute_value(a)
        return default

    for node in model.graph.node:
        x = [env[i] if i else None for i in node.input]
        op = node.op_type
        if op == "Constant":
            y = [numpy_helper.to_array(attr(node, "value"))]
        elif op in ("Add", "Sub", "Mul", "Div", "Pow", "MatMul"):
            f = {"Add": np.add, "Sub": np.subtract, "Mul": np.multiply,
                 "Div": np.divide, "Pow": np.power, "MatMul": np.matmul}[op]
            y = [f(x[0], x[1]).astype(x[0].dtype)]
        elif op in ("Tanh", "Sqrt"):
            y = [getattr(np, op.lower())(x[0])]
        elif op == "Gather":
            y = [np.take(x[0], x[1], axis=attr(node, "axis", 0))]
        elif op == "Reshape":
            y = [x[0].reshape(x[1])]
        elif op == "Transpose":
            y = [x[0].transpose(attr(node, "perm"))]
        elif op == "Split":
            ends = np.cumsum(x[1])[:-1]
            y = np.split(x[0], ends, axis=attr(node, "axis", 0))
        elif op == "Cast":
            from onnx.mapping import TENSOR_TYPE_TO_NP_TYPE
            y = [x[0].astype(TENSOR_TYPE_TO_NP_TYPE[attr(node, "to")])]
        elif op == "Where":
            y = [np.where(x[0], x[1], x[2])]
        elif op == "Softmax":
            e = np.exp(x[0] - x[0].max(axis=attr(node, "axis", -1),
                                        keepdims=True))
            y = [e / e.sum(axis=attr(node, "axis", -1), keepdims=True)]
        elif op == "ReduceMean":
            y = [x[0].mean(axis=tuple(attr(node, "axes")),
                           keepdims=bool(attr(node, "keepdims", 1)))]
        elif op == "LayerNormalization":
            axis = attr(node, "axis", -1)
            axes = tuple(range(axis % x[0].ndim, x[0].ndim))
            mean = x[0].mean(axis=axes, keepdims=True)
            var = ((x[0] - mean) ** 2).mean(axis=axes, keepdims=True)
            y = [(x[0] - mean) / np.sqrt(var + attr(node, "epsilon", 1e-5))
                 * x[1] + (x[2] if len(x) > 2 else 0)]
        else:
            raise NotImplementedError(op)
        for name, value in zip(node.output, y):
            env[name] = value
    return [env[o.name] for o in model.graph.output]


def write_tensor(path, array, name):
    from onnx import numpy_helper
    tensor = numpy_helper.from_array(array, name)
    with open(path, "wb") as f:
        f.write(tensor.SerializeToString())


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(os.path.dirname(here))
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--opset", type=int, default=17)
    parser.add_argument("--dynamic-seq", action="store_true",
                        help="export batch and sequence as symbolic dims")
    parser.add_argument("--output",
                        default=os.path.join(root, "models", "tiny-gpt2.onnx"))
    parser.add_argument("--no-test-data", action="store_true")
    parser.add_argument("--verify", action="store_true",
                        help="do not export: run the existing model with a "
                             "numpy evaluation of its ONNX graph and compare "
                             "with its test_data_set_0")
    args = parser.parse_args()

    if args.verify:
        from onnx import numpy_helper, TensorProto
        data_dir = os.path.join(os.path.splitext(args.output)[0],
                                "test_data_set_0")
        def read(name):
            t = TensorProto()
            with open(os.path.join(data_dir, name), "rb") as f:
                t.ParseFromString(f.read())
            return numpy_helper.to_array(t)
        (logits,) = evaluate_onnx(args.output, {"input_ids": read("input_0.pb")})
        expected = read("output_0.pb")
        err = float(np.abs(logits - expected).max())
        print("max abs difference to the reference: %.3g" % err)
        return 0 if err < 1e-4 else 1

    torch.manual_seed(SEED)
    model = TinyGPT2().eval()
    gen = torch.Generator().manual_seed(SEED + 1)
    input_ids = torch.randint(0, VOCAB, (1, SEQ), generator=gen,
                              dtype=torch.long)
    with torch.no_grad():
        logits = model(input_ids)

    dynamic_axes = None
    if args.dynamic_seq:
        dynamic_axes = {"input_ids": {0: "batch", 1: "seq"},
                        "logits": {0: "batch", 1: "seq"}}
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    torch.onnx.export(model, (input_ids,), args.output,
                      input_names=["input_ids"], output_names=["logits"],
                      dynamic_axes=dynamic_axes, opset_version=args.opset,
                      do_constant_folding=True)

    import onnx
    onnx.checker.check_model(onnx.load(args.output))

    if not args.no_test_data:
        data_dir = os.path.join(os.path.splitext(args.output)[0],
                                "test_data_set_0")
        os.makedirs(data_dir, exist_ok=True)
        write_tensor(os.path.join(data_dir, "input_0.pb"),
                     input_ids.numpy().astype(np.int64), "input_ids")
        write_tensor(os.path.join(data_dir, "output_0.pb"),
                     logits.numpy().astype(np.float32), "logits")


if __name__ == "__main__":
    sys.exit(main())
