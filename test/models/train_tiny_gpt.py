#!/usr/bin/python3
"""Train and export the bundled text model models/tiny-gpt/ with PyTorch.

A character-level GPT-2 style decoder (the GPT-2 layer layout of
export_models.py: token + position embeddings, pre-LayerNorm blocks with a
fused QKV projection, a causal mask sliced from a lower-triangular buffer,
tanh GELU, tied LM head), trained for a few minutes on CPU on a snapshot of
this repository's own documentation (corpus.txt, committed next to the model),
then exported with PyTorch's ONNX exporter in the Hugging Face/Optimum
"decoder with past" layout that `llm-run --generate` drives:

  inputs   input_ids                  i64[1, sequence]
           past_key_values.N.key      f32[1, heads, past_sequence, head_dim]
           past_key_values.N.value    (N = 0 .. layers-1; past_sequence may be 0)
  outputs  logits                     f32[1, sequence, vocab]
           present.N.key / .value     f32[1, heads, past_sequence + sequence, head_dim]

Files written to OUT (default models/tiny-gpt):
  model.onnx        the graph (dynamic sequence and past_sequence)
  vocab.json        the characters, token id = index
  config.json       sizes in Hugging Face's config.json names (llm-run reads
                    max_position_embeddings, the context length)
  corpus.txt        the training text
  generation.json   PyTorch's greedy generation (prompt, token ids, text), the
                    reference `llm-run --generate --expected-tokens` checks
  test_data_set_0/  prefill: the prompt with an empty cache (past 0)
  test_data_set_1/  a decode step: one token with the prompt's cache
                    (ONNX test-data layout, outputs computed by PyTorch)

Sizes: 2 layers, d_model 128, 4 heads, context 256: about 0.44 M parameters
(1.8 MB of f32 weights). Training is seeded; the result depends on the
PyTorch build, so the committed files are the reference, not a re-run.

Usage (Debian's interpreter has torch 1.13 and onnx 1.12):
    /usr/bin/python3 test/models/train_tiny_gpt.py [--out models/tiny-gpt]
        [--steps 800] [--corpus FILE ...]
An existing OUT/corpus.txt is reused, so re-running trains on the same text.
"""

import argparse
import json
import os
import sys
import time


def _openblas_at_its_best():
    """Debian's OpenBLAS mis-detects AVX-512 CPUs and runs ~5x slower
    (../shared/TOOLCHAIN.md); must be set before torch loads it."""
    try:
        with open("/proc/cpuinfo") as f:
            if "avx512f" in f.read():
                os.environ.setdefault("OPENBLAS_CORETYPE", "SKYLAKEX")
    except OSError:
        pass


_openblas_at_its_best()

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from export_models import GPT2Block, write_tensor  # noqa: E402

D_MODEL = 128
N_HEAD = 4
N_LAYER = 2
MAX_POS = 256
SEED = 20261127
PROMPT = "The transformer dialect"
NEW_TOKENS = 96
DEFAULT_CORPUS = ["README.md", "docs/architecture.md",
                  "docs/transformer-dialect.md", "docs/testing.md"]


class TinyGPT(nn.Module):
    """A GPT-2 style decoder with one KV cache per layer."""

    def __init__(self, vocab):
        super().__init__()
        self.wte = nn.Embedding(vocab, D_MODEL)
        self.wpe = nn.Embedding(MAX_POS, D_MODEL)
        self.h = nn.ModuleList(
            [GPT2Block(D_MODEL, N_HEAD, MAX_POS) for _ in range(N_LAYER)])
        self.ln_f = nn.LayerNorm(D_MODEL, eps=1e-5)
        with torch.no_grad():
            self.wte.weight.normal_(0.0, 0.02)
            self.wpe.weight.normal_(0.0, 0.01)

    def forward(self, input_ids, past=None):
        """past: None or a list of (key, value) per layer."""
        past_len = 0 if past is None else past[0][0].size(-2)
        seq = input_ids.size(-1)
        pos = torch.arange(past_len, past_len + seq,
                           dtype=torch.long).unsqueeze(0)
        x = self.wte(input_ids) + self.wpe(pos)
        presents = []
        for i, block in enumerate(self.h):
            pk, pv = (None, None) if past is None else past[i]
            x, present = block(x, pk, pv)
            presents.append(present)
        x = self.ln_f(x)
        return torch.matmul(x, self.wte.weight.t()), presents


class ExportWrapper(nn.Module):
    """Flat inputs/outputs for the exporter: ids, k0, v0, k1, v1, ..."""

    def __init__(self, gpt):
        super().__init__()
        self.gpt = gpt

    def forward(self, input_ids, *flat_past):
        past = [(flat_past[2 * i], flat_past[2 * i + 1])
                for i in range(N_LAYER)]
        logits, presents = self.gpt(input_ids, past)
        outs = [logits]
        for k, v in presents:
            outs += [k, v]
        return tuple(outs)


def train(model, data, steps, log):
    gen = torch.Generator().manual_seed(SEED + 1)
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=0.01)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3,
                                                total_steps=steps)
    block, batch = 128, 16
    loss_fn = nn.CrossEntropyLoss()
    model.train()
    start = time.time()
    for step in range(steps):
        ix = torch.randint(0, len(data) - block - 1, (batch,), generator=gen)
        x = torch.stack([data[i:i + block] for i in ix])
        y = torch.stack([data[i + 1:i + block + 1] for i in ix])
        logits, _ = model(x)
        loss = loss_fn(logits.reshape(-1, logits.size(-1)), y.reshape(-1))
        opt.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        if step % 100 == 0 or step == steps - 1:
            log("step %4d  loss %.3f  (%.0f s)" % (step, loss.item(),
                                                  time.time() - start))
    model.eval()


@torch.no_grad()
def greedy(model, prompt_ids, new_tokens):
    """PyTorch's own greedy decoding with its KV cache (the reference)."""
    ids = torch.tensor([prompt_ids], dtype=torch.long)
    logits, past = model(ids)
    out = []
    for _ in range(new_tokens):
        nxt = int(torch.argmax(logits[0, -1]))
        out.append(nxt)
        logits, past = model(torch.tensor([[nxt]], dtype=torch.long),
                             [tuple(p) for p in past])
    return out


def empty_past():
    return [torch.zeros(1, N_HEAD, 0, D_MODEL // N_HEAD)
            for _ in range(2 * N_LAYER)]


def write_test_data(directory, names, inputs, outputs, out_names):
    os.makedirs(directory, exist_ok=True)
    for k, (name, t) in enumerate(zip(names, inputs)):
        write_tensor(os.path.join(directory, "input_%d.pb" % k),
                     t.numpy(), name)
    for k, (name, t) in enumerate(zip(out_names, outputs)):
        write_tensor(os.path.join(directory, "output_%d.pb" % k),
                     t.numpy(), name)


def write_config(out, vocab):
    with open(os.path.join(out, "config.json"), "w") as f:
        json.dump({"model_type": "gpt2", "vocab_size": vocab,
                   "n_embd": D_MODEL, "n_head": N_HEAD, "n_layer": N_LAYER,
                   "max_position_embeddings": MAX_POS}, f, indent=1)
        f.write("\n")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(os.path.dirname(here))
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=os.path.join(root, "models",
                                                      "tiny-gpt"))
    parser.add_argument("--steps", type=int, default=800)
    parser.add_argument("--corpus", nargs="*",
                        help="text files to train on (default: a snapshot "
                             "of README.md and docs/*.md; an existing "
                             "OUT/corpus.txt is reused)")
    parser.add_argument("--opset", type=int, default=17)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    torch.manual_seed(SEED)
    torch.set_num_threads(1)

    corpus_path = os.path.join(args.out, "corpus.txt")
    if args.corpus:
        text = "\n".join(open(p, encoding="utf-8").read()
                         for p in args.corpus)
    elif os.path.exists(corpus_path):
        text = open(corpus_path, encoding="utf-8").read()
    else:
        text = "\n".join(open(os.path.join(root, p), encoding="utf-8").read()
                         for p in DEFAULT_CORPUS)
    with open(corpus_path, "w", encoding="utf-8") as f:
        f.write(text)
    chars = sorted(set(text))
    stoi = {c: i for i, c in enumerate(chars)}
    data = torch.tensor([stoi[c] for c in text], dtype=torch.long)
    print("corpus: %d characters, vocabulary %d" % (len(text), len(chars)))

    model = TinyGPT(len(chars))
    print("parameters: %d" % sum(p.numel() for p in model.parameters()))
    train(model, data, args.steps, print)

    prompt_ids = [stoi[c] for c in PROMPT]
    tokens = greedy(model, prompt_ids, NEW_TOKENS)
    text_out = "".join(chars[t] for t in tokens)
    print("PyTorch greedy: %r" % (PROMPT + text_out))

    with open(os.path.join(args.out, "vocab.json"), "w",
              encoding="utf-8") as f:
        json.dump(chars, f, ensure_ascii=False)
        f.write("\n")
    write_config(args.out, len(chars))
    with open(os.path.join(args.out, "generation.json"), "w",
              encoding="utf-8") as f:
        json.dump({"prompt": PROMPT, "prompt_ids": prompt_ids,
                   "max_new_tokens": NEW_TOKENS, "tokens": tokens,
                   "text": text_out,
                   "source": "PyTorch %s greedy decoding with its KV cache"
                             % torch.__version__},
                  f, ensure_ascii=False, indent=1)
        f.write("\n")

    # Export with a non-empty past and a sequence > 1 so that nothing is
    # specialised to the example sizes.
    in_names = ["input_ids"]
    out_names = ["logits"]
    axes = {"input_ids": {1: "sequence"}, "logits": {1: "sequence"}}
    for i in range(N_LAYER):
        for kv in ("key", "value"):
            pin, pout = "past_key_values.%d.%s" % (i, kv), \
                "present.%d.%s" % (i, kv)
            in_names.append(pin)
            out_names.append(pout)
            axes[pin] = {2: "past_sequence"}
            axes[pout] = {2: "total_sequence"}
    wrapper = ExportWrapper(model).eval()
    ex_ids = torch.tensor([prompt_ids[:3]], dtype=torch.long)
    ex_past = [torch.randn(1, N_HEAD, 2, D_MODEL // N_HEAD)
               for _ in range(2 * N_LAYER)]
    onnx_path = os.path.join(args.out, "model.onnx")
    torch.onnx.export(wrapper, (ex_ids, *ex_past), onnx_path,
                      input_names=in_names, output_names=out_names,
                      dynamic_axes=axes, opset_version=args.opset,
                      do_constant_folding=True)
    import onnx
    onnx.checker.check_model(onnx.load(onnx_path))

    # Test data computed by PyTorch: prefill with an empty cache, then one
    # decode step on that cache.
    with torch.no_grad():
        ids = torch.tensor([prompt_ids], dtype=torch.long)
        past = empty_past()
        outs = wrapper(ids, *past)
        write_test_data(os.path.join(args.out, "test_data_set_0"), in_names,
                        [ids] + past, outs, out_names)
        step_ids = torch.tensor([[tokens[0]]], dtype=torch.long)
        step_past = list(outs[1:])
        step_outs = wrapper(step_ids, *step_past)
        write_test_data(os.path.join(args.out, "test_data_set_1"), in_names,
                        [step_ids] + step_past, step_outs, out_names)
    size = os.path.getsize(onnx_path)
    print("wrote %s (%d bytes)" % (onnx_path, size))
    return 0


if __name__ == "__main__":
    sys.exit(main())
