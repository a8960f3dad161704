"""Exports a stack of GPT-2 blocks at GPT-2-small's width with PyTorch.

    /usr/bin/python3 export_gpt2_stack.py OUT --layers N [--seq S]

writes OUT/gpt2_stack.onnx (N blocks of test/models/export_models.py's
GPT2Block, d_model 768, 12 heads, seeded random weights) and its input and
PyTorch's output as an ONNX test-data directory OUT/gpt2_stack/
test_data_set_0 (for `llm-run --expected`). The weights are stored inside
the model (28 MiB per block).
"""

import argparse
import os
import sys
import warnings

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "..", "models"))
import export_models  # noqa: E402

D_MODEL, N_HEAD = 768, 12


class Stack(torch.nn.Module):
    """`layers` GPT-2 blocks applied in sequence to the hidden states."""

    def __init__(self, layers, max_pos):
        super().__init__()
        self.blocks = torch.nn.ModuleList(
            export_models.GPT2Block(D_MODEL, N_HEAD, max_pos)
            for _ in range(layers))
        export_models.perturb_norms(self)

    def forward(self, hidden_states):
        for block in self.blocks:
            hidden_states = block(hidden_states)[0]
        return hidden_states


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", help="output directory")
    parser.add_argument("--layers", type=int, required=True)
    parser.add_argument("--seq", type=int, default=128)
    args = parser.parse_args()
    warnings.filterwarnings("ignore", category=torch.jit.TracerWarning)
    warnings.filterwarnings("ignore", category=UserWarning)
    torch.manual_seed(export_models.SEED)
    model = Stack(args.layers, args.seq).eval()
    x = torch.randn(1, args.seq, D_MODEL,
                    generator=torch.Generator().manual_seed(
                        export_models.SEED + 1))
    os.makedirs(args.out, exist_ok=True)
    torch.onnx.export(model, (x,), os.path.join(args.out, "gpt2_stack.onnx"),
                      input_names=["hidden_states"], output_names=["output"],
                      opset_version=17, do_constant_folding=True)
    with torch.no_grad():
        y = model(x)
    data = os.path.join(args.out, "gpt2_stack", "test_data_set_0")
    os.makedirs(data, exist_ok=True)
    export_models.write_tensor(os.path.join(data, "input_0.pb"), x.numpy(),
                               "hidden_states")
    export_models.write_tensor(os.path.join(data, "output_0.pb"), y.numpy(),
                               "output")
    return 0


if __name__ == "__main__":
    sys.exit(main())
