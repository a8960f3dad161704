#!/usr/bin/python3
"""Export small transformer models with PyTorch's own ONNX exporter, for tests.

Seven models, written here in plain PyTorch (no downloads, no `transformers`)
and laid out like their Hugging Face counterparts so that the exported graphs
have the same structure as real exports, with seeded random weights and tiny
dims:

  gpt2_block   a GPT-2 block: pre-LayerNorm, fused QKV projection split into
               heads via reshape/transpose, causal mask sliced from a boolean
               lower-triangular buffer and applied with Where, softmax
               attention, GELU (tanh approximation written out), MLP.
               hidden_states f32[1, 16, 64] -> f32[1, 16, 64].
  llama_block  a LLaMA block: RMSNorm, rotary embeddings (rotate-half, cos/sin
               caches gathered by position_ids), grouped-query attention with
               4 query heads over 2 KV heads (repeat via expand + reshape),
               additive causal mask, SwiGLU MLP, bias-free projections.
               hidden_states f32[1, 16, 64], position_ids i64[1, 16]
               -> f32[1, 16, 64].
  bert_layer   a BERT encoder layer: post-LayerNorm, Q/K/V with biases, an
               additive padding mask computed from an integer attention_mask
               input, GELU (erf), intermediate + output dense.
               hidden_states f32[2, 12, 64], attention_mask i64[2, 12]
               -> f32[2, 12, 64].
  gpt_dynamic  a whole small GPT (token + position embeddings, 2 blocks, final
               LayerNorm, tied LM head) exported with a dynamic sequence axis
               (dynamic_axes); two test-data sets of different lengths
               (8 and 13) run through one compiled model.
               input_ids i64[1, seq] -> logits f32[1, seq, 128].
  decode_step  one decode step of a one-layer GPT with a KV cache: the new
               token's keys/values are concatenated to past_key/past_value
               and returned as present_key/present_value; the past length is
               dynamic (test-data sets with 7 and 3 cached positions).
               input_ids i64[1, 1], past_key/past_value f32[1, 2, past, 16]
               -> logits f32[1, 1, 128], present_key/present_value
               f32[1, 2, past + 1, 16].

  gptj_block   a GPT-J style block (parallel attention + MLP after one
               LayerNorm): interleaved rotary embeddings on the first 8 of
               16 head dims (partial rotary; rotate_every_two written as
               strided slices + stack + flatten), sin/cos gathered from one
               sincos table by position_ids and repeat_interleave'd, applied
               in the [batch, seq, heads, head_dim] layout; causal attention,
               GELU (tanh) MLP. hidden_states f32[1, 16, 64], position_ids
               i64[1, 16] -> f32[1, 16, 64].
  neox_block   a GPT-NeoX style block: rotate-half rotary embeddings on the
               first 8 of 16 head dims (partial rotary), cos/sin computed at
               run time from position_ids (inv_freq x positions, cat(freqs,
               freqs), cos, sin, as current Hugging Face LLaMA/NeoX code
               does), causal attention, parallel residual, GELU (erf) MLP.
               hidden_states f32[1, 16, 64], position_ids i64[1, 16]
               -> f32[1, 16, 64].

For each model NAME the script writes OUT/NAME.onnx and the ONNX test-data
layout OUT/NAME/test_data_set_N/{input_K,output_K}.pb (onnx.numpy_helper),
with the outputs computed by PyTorch (an implementation independent of ours),
ready for `llm-run OUT/NAME.onnx --expected OUT/NAME`.

Usage (Debian's interpreter has torch 1.13 and onnx 1.12):
    /usr/bin/python3 test/models/export_models.py OUT [NAME ...] [--opset 17]
Without NAMEs every model is exported.
"""

import argparse
import math
import os
import sys
import warnings

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

SEED = 2024


def perturb_norms(module):
    """Gives norm layers non-trivial affine parameters, so that an importer
    that drops them is caught by the reference outputs."""
    with torch.no_grad():
        for m in module.modules():
            if isinstance(m, nn.LayerNorm):
                m.weight.add_(torch.randn_like(m.weight) * 0.1)
                m.bias.add_(torch.randn_like(m.bias) * 0.1)
            elif isinstance(m, RMSNorm):
                m.weight.add_(torch.randn_like(m.weight) * 0.1)


# --------------------------------------------------------------------------
# GPT-2 (gpt2_block, gpt_dynamic, decode_step)
# --------------------------------------------------------------------------

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


class GPT2Attention(nn.Module):
    def __init__(self, d_model, n_head, max_pos):
        super().__init__()
        self.d_model, self.n_head = d_model, n_head
        self.c_attn = Conv1D(d_model, 3 * d_model)
        self.c_proj = Conv1D(d_model, d_model)
        self.register_buffer(
            "bias",
            torch.tril(torch.ones(max_pos, max_pos, dtype=torch.bool)).view(
                1, 1, max_pos, max_pos),
            persistent=False)

    def split_heads(self, x):
        new_shape = x.size()[:-1] + (self.n_head, self.d_model // self.n_head)
        return x.view(new_shape).permute(0, 2, 1, 3)

    def merge_heads(self, x):
        x = x.permute(0, 2, 1, 3).contiguous()
        return x.view(x.size()[:-2] + (self.d_model,))

    def forward(self, x, past_key=None, past_value=None):
        q, k, v = self.c_attn(x).split(self.d_model, dim=2)
        q, k, v = self.split_heads(q), self.split_heads(k), self.split_heads(v)
        if past_key is not None:
            k = torch.cat((past_key, k), dim=-2)
            v = torch.cat((past_value, v), dim=-2)
        present = (k, v)
        w = torch.matmul(q, k.transpose(-1, -2))
        w = w / torch.tensor(v.size(-1) ** 0.5, dtype=w.dtype)
        q_len, k_len = q.size(-2), k.size(-2)
        causal = self.bias[:, :, k_len - q_len:k_len, :k_len]
        mask_value = torch.tensor(torch.finfo(w.dtype).min, dtype=w.dtype)
        w = torch.where(causal, w, mask_value)
        w = F.softmax(w, dim=-1)
        a = torch.matmul(w, v)
        return self.c_proj(self.merge_heads(a)), present


class GPT2Block(nn.Module):
    def __init__(self, d_model, n_head, max_pos):
        super().__init__()
        self.ln_1 = nn.LayerNorm(d_model, eps=1e-5)
        self.attn = GPT2Attention(d_model, n_head, max_pos)
        self.ln_2 = nn.LayerNorm(d_model, eps=1e-5)
        self.c_fc = Conv1D(d_model, 4 * d_model)
        self.act = NewGELU()
        self.c_proj = Conv1D(4 * d_model, d_model)

    def forward(self, x, past_key=None, past_value=None):
        a, present = self.attn(self.ln_1(x), past_key, past_value)
        x = x + a
        x = x + self.c_proj(self.act(self.c_fc(self.ln_2(x))))
        return x, present


class GPT2BlockOnly(nn.Module):
    """gpt2_block: one block on hidden states."""

    def __init__(self):
        super().__init__()
        self.block = GPT2Block(64, 4, 32)
        perturb_norms(self)

    def forward(self, hidden_states):
        return self.block(hidden_states)[0]


class SmallGPT(nn.Module):
    """gpt_dynamic and decode_step: embeddings, blocks, LM head (tied)."""

    def __init__(self, vocab=128, d_model=32, n_head=2, n_layer=2, max_pos=32):
        super().__init__()
        self.wte = nn.Embedding(vocab, d_model)
        self.wpe = nn.Embedding(max_pos, d_model)
        self.h = nn.ModuleList(
            [GPT2Block(d_model, n_head, max_pos) for _ in range(n_layer)])
        self.ln_f = nn.LayerNorm(d_model, eps=1e-5)
        with torch.no_grad():
            self.wte.weight.normal_(0.0, 0.5)
            self.wpe.weight.normal_(0.0, 0.1)
        perturb_norms(self)

    def forward(self, input_ids, past_key=None, past_value=None):
        past = 0 if past_key is None else past_key.size(-2)
        seq = input_ids.size(-1)
        pos = torch.arange(past, past + seq, dtype=torch.long).unsqueeze(0)
        x = self.wte(input_ids) + self.wpe(pos)
        presents = []
        for block in self.h:
            x, present = block(x, past_key, past_value)
            presents.append(present)
        x = self.ln_f(x)
        logits = torch.matmul(x, self.wte.weight.t())
        return logits, presents


class GPTLogits(nn.Module):
    def __init__(self):
        super().__init__()
        self.gpt = SmallGPT()

    def forward(self, input_ids):
        return self.gpt(input_ids)[0]


class GPTDecodeStep(nn.Module):
    def __init__(self):
        super().__init__()
        self.gpt = SmallGPT(n_layer=1)

    def forward(self, input_ids, past_key, past_value):
        logits, presents = self.gpt(input_ids, past_key, past_value)
        return logits, presents[0][0], presents[0][1]


# --------------------------------------------------------------------------
# LLaMA (llama_block)
# --------------------------------------------------------------------------

class RMSNorm(nn.Module):
    def __init__(self, d, eps=1e-6):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(d))
        self.eps = eps

    def forward(self, x):
        variance = x.pow(2).mean(-1, keepdim=True)
        return self.weight * (x * torch.rsqrt(variance + self.eps))


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


class LlamaBlock(nn.Module):
    D, N_HEAD, N_KV, HEAD_DIM, FF, MAX_POS = 64, 4, 2, 16, 128, 32

    def __init__(self):
        super().__init__()
        d, hd = self.D, self.HEAD_DIM
        self.input_layernorm = RMSNorm(d)
        self.q_proj = nn.Linear(d, self.N_HEAD * hd, bias=False)
        self.k_proj = nn.Linear(d, self.N_KV * hd, bias=False)
        self.v_proj = nn.Linear(d, self.N_KV * hd, bias=False)
        self.o_proj = nn.Linear(self.N_HEAD * hd, d, bias=False)
        self.post_attention_layernorm = RMSNorm(d)
        self.gate_proj = nn.Linear(d, self.FF, bias=False)
        self.up_proj = nn.Linear(d, self.FF, bias=False)
        self.down_proj = nn.Linear(self.FF, d, bias=False)
        inv_freq = 1.0 / (10000 ** (torch.arange(0, hd, 2).float() / hd))
        t = torch.arange(self.MAX_POS, dtype=torch.float32)
        freqs = torch.einsum("i,j->ij", t, inv_freq)
        emb = torch.cat((freqs, freqs), dim=-1)
        self.register_buffer("cos_cached", emb.cos(), persistent=False)
        self.register_buffer("sin_cached", emb.sin(), persistent=False)
        perturb_norms(self)

    def repeat_kv(self, x):
        b, n_kv, s, hd = x.shape
        n_rep = self.N_HEAD // self.N_KV
        x = x[:, :, None, :, :].expand(b, n_kv, n_rep, s, hd)
        return x.reshape(b, n_kv * n_rep, s, hd)

    def forward(self, hidden_states, position_ids):
        b, s, _ = hidden_states.shape
        hd = self.HEAD_DIM
        residual = hidden_states
        x = self.input_layernorm(hidden_states)
        q = self.q_proj(x).view(b, s, self.N_HEAD, hd).transpose(1, 2)
        k = self.k_proj(x).view(b, s, self.N_KV, hd).transpose(1, 2)
        v = self.v_proj(x).view(b, s, self.N_KV, hd).transpose(1, 2)
        cos = self.cos_cached[:s][position_ids].unsqueeze(1)
        sin = self.sin_cached[:s][position_ids].unsqueeze(1)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        k, v = self.repeat_kv(k), self.repeat_kv(v)
        w = torch.matmul(q, k.transpose(2, 3)) / math.sqrt(hd)
        mask = torch.full((s, s), torch.finfo(w.dtype).min)
        mask = torch.triu(mask, diagonal=1)[None, None, :, :]
        w = F.softmax(w + mask, dim=-1, dtype=torch.float32)
        a = torch.matmul(w, v).transpose(1, 2).reshape(b, s, self.N_HEAD * hd)
        x = residual + self.o_proj(a)
        residual = x
        x = self.post_attention_layernorm(x)
        x = self.down_proj(F.silu(self.gate_proj(x)) * self.up_proj(x))
        return residual + x


# --------------------------------------------------------------------------
# GPT-J (gptj_block) and GPT-NeoX (neox_block): partial rotary embeddings
# --------------------------------------------------------------------------

def rotate_every_two(x):
    x1 = x[:, :, :, ::2]
    x2 = x[:, :, :, 1::2]
    return torch.stack((-x2, x1), dim=-1).flatten(-2)


class CausalSelfAttention(nn.Module):
    """q/k/v projections, heads, a rotary hook, causal softmax attention."""
    D, N_HEAD, HEAD_DIM, ROTARY_DIM, MAX_POS = 64, 4, 16, 8, 32

    def __init__(self, bias):
        super().__init__()
        d = self.D
        self.q_proj = nn.Linear(d, d, bias=bias)
        self.k_proj = nn.Linear(d, d, bias=bias)
        self.v_proj = nn.Linear(d, d, bias=bias)
        self.out_proj = nn.Linear(d, d, bias=bias)
        self.register_buffer("causal", torch.tril(torch.ones(
            self.MAX_POS, self.MAX_POS, dtype=torch.bool)).view(
                1, 1, self.MAX_POS, self.MAX_POS), persistent=False)

    def attend(self, q, k, v):
        """q, k, v: [b, heads, s, head_dim] -> [b, s, d]."""
        b, _, s, hd = q.shape
        w = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(hd)
        w = torch.where(self.causal[:, :, :s, :s], w,
                        torch.tensor(torch.finfo(w.dtype).min))
        a = torch.matmul(F.softmax(w, dim=-1), v)
        return a.transpose(1, 2).reshape(b, s, self.D)


class GPTJBlock(CausalSelfAttention):
    FF = 128

    def __init__(self):
        super().__init__(bias=False)
        d, rd = self.D, self.ROTARY_DIM
        self.ln_1 = nn.LayerNorm(d)
        self.fc_in = nn.Linear(d, self.FF)
        self.fc_out = nn.Linear(self.FF, d)
        inv_freq = 1.0 / (10000 ** (torch.arange(0, rd, 2).float() / rd))
        angles = torch.einsum("i,j->ij", torch.arange(self.MAX_POS).float(),
                              inv_freq)
        self.register_buffer("embed_positions", torch.cat(
            (angles.sin(), angles.cos()), dim=1), persistent=False)
        perturb_norms(self)

    def rotary(self, x, sin, cos):
        """x: [b, s, heads, head_dim]; rotates its first ROTARY_DIM dims."""
        rd = self.ROTARY_DIM
        x_rot, x_pass = x[:, :, :, :rd], x[:, :, :, rd:]
        x_rot = x_rot * cos + rotate_every_two(x_rot) * sin
        return torch.cat((x_rot, x_pass), dim=-1)

    def forward(self, hidden_states, position_ids):
        b, s, _ = hidden_states.shape
        x = self.ln_1(hidden_states)
        shape = (b, s, self.N_HEAD, self.HEAD_DIM)
        q = self.q_proj(x).view(shape)
        k = self.k_proj(x).view(shape)
        v = self.v_proj(x).view(shape).permute(0, 2, 1, 3)
        sincos = self.embed_positions[position_ids]
        sin, cos = torch.split(sincos, sincos.shape[-1] // 2, dim=-1)
        sin = torch.repeat_interleave(sin[:, :, None, :], 2, 3)
        cos = torch.repeat_interleave(cos[:, :, None, :], 2, 3)
        q = self.rotary(q, sin, cos).permute(0, 2, 1, 3)
        k = self.rotary(k, sin, cos).permute(0, 2, 1, 3)
        attn = self.out_proj(self.attend(q, k, v))
        mlp = self.fc_out(F.gelu(self.fc_in(x), approximate="tanh"))
        return hidden_states + attn + mlp


class NeoXBlock(CausalSelfAttention):
    FF = 128

    def __init__(self):
        super().__init__(bias=True)
        d, rd = self.D, self.ROTARY_DIM
        self.input_layernorm = nn.LayerNorm(d)
        self.post_attention_layernorm = nn.LayerNorm(d)
        self.dense_h_to_4h = nn.Linear(d, self.FF)
        self.dense_4h_to_h = nn.Linear(self.FF, d)
        self.register_buffer("inv_freq", 1.0 / (10000 ** (
            torch.arange(0, rd, 2).float() / rd)), persistent=False)
        perturb_norms(self)

    def forward(self, hidden_states, position_ids):
        b, s, _ = hidden_states.shape
        rd = self.ROTARY_DIM
        x = self.input_layernorm(hidden_states)
        q, k, v = (p(x).view(b, s, self.N_HEAD, self.HEAD_DIM).transpose(1, 2)
                   for p in (self.q_proj, self.k_proj, self.v_proj))
        # cos/sin at run time: [b, s, rd/2] angles -> cat -> [b, 1, s, rd].
        freqs = (self.inv_freq[None, :, None].expand(b, -1, 1)
                 @ position_ids[:, None, :].float()).transpose(1, 2)
        emb = torch.cat((freqs, freqs), dim=-1)
        cos, sin = emb.cos()[:, None], emb.sin()[:, None]

        def rotary(t):
            t_rot, t_pass = t[..., :rd], t[..., rd:]
            t_rot = t_rot * cos + rotate_half(t_rot) * sin
            return torch.cat((t_rot, t_pass), dim=-1)

        attn = self.out_proj(self.attend(rotary(q), rotary(k), v))
        mlp = self.dense_4h_to_h(F.gelu(self.dense_h_to_4h(
            self.post_attention_layernorm(hidden_states))))
        return hidden_states + attn + mlp


# --------------------------------------------------------------------------
# BERT (bert_layer)
# --------------------------------------------------------------------------

class BertLayer(nn.Module):
    D, N_HEAD, FF = 64, 4, 128

    def __init__(self):
        super().__init__()
        d = self.D
        self.query = nn.Linear(d, d)
        self.key = nn.Linear(d, d)
        self.value = nn.Linear(d, d)
        self.attn_out = nn.Linear(d, d)
        self.attn_norm = nn.LayerNorm(d, eps=1e-12)
        self.dropout = nn.Dropout(0.1)
        self.intermediate = nn.Linear(d, self.FF)
        self.output = nn.Linear(self.FF, d)
        self.out_norm = nn.LayerNorm(d, eps=1e-12)
        perturb_norms(self)

    def heads(self, x):
        b, s, _ = x.shape
        return x.view(b, s, self.N_HEAD, self.D // self.N_HEAD).permute(
            0, 2, 1, 3)

    def forward(self, hidden_states, attention_mask):
        ext = attention_mask[:, None, None, :].to(hidden_states.dtype)
        ext = (1.0 - ext) * torch.finfo(hidden_states.dtype).min
        q = self.heads(self.query(hidden_states))
        k = self.heads(self.key(hidden_states))
        v = self.heads(self.value(hidden_states))
        w = torch.matmul(q, k.transpose(-1, -2))
        w = w / math.sqrt(self.D // self.N_HEAD) + ext
        w = self.dropout(F.softmax(w, dim=-1))
        a = torch.matmul(w, v).permute(0, 2, 1, 3).contiguous()
        a = a.view(a.size()[:-2] + (self.D,))
        x = self.attn_norm(self.dropout(self.attn_out(a)) + hidden_states)
        y = self.output(F.gelu(self.intermediate(x)))
        return self.out_norm(self.dropout(y) + x)


# --------------------------------------------------------------------------
# Export
# --------------------------------------------------------------------------

def make_gpt2_block(gen):
    model = GPT2BlockOnly()
    sets = [(torch.randn(1, 16, 64, generator=gen),)]
    return model, sets, ["hidden_states"], ["output"], None


def make_llama_block(gen):
    model = LlamaBlock()
    x = torch.randn(1, 16, 64, generator=gen)
    pos = torch.arange(16, dtype=torch.long).unsqueeze(0)
    return (model, [(x, pos)], ["hidden_states", "position_ids"], ["output"],
            None)


def make_bert_layer(gen):
    model = BertLayer()
    x = torch.randn(2, 12, 64, generator=gen)
    mask = torch.ones(2, 12, dtype=torch.long)
    mask[0, 9:] = 0   # padding at the end of each sequence
    mask[1, 5:] = 0
    return (model, [(x, mask)], ["hidden_states", "attention_mask"],
            ["output"], None)


def make_gpt_dynamic(gen):
    model = GPTLogits()
    sets = [(torch.randint(0, 128, (1, n), generator=gen, dtype=torch.long),)
            for n in (8, 13)]
    axes = {"input_ids": {1: "seq"}, "logits": {1: "seq"}}
    return model, sets, ["input_ids"], ["logits"], axes


def make_decode_step(gen):
    model = GPTDecodeStep()
    sets = []
    for past in (7, 3):
        ids = torch.randint(0, 128, (1, 1), generator=gen, dtype=torch.long)
        pk = torch.randn(1, 2, past, 16, generator=gen)
        pv = torch.randn(1, 2, past, 16, generator=gen)
        sets.append((ids, pk, pv))
    axes = {"past_key": {2: "past"}, "past_value": {2: "past"},
            "present_key": {2: "total"}, "present_value": {2: "total"}}
    return (model, sets, ["input_ids", "past_key", "past_value"],
            ["logits", "present_key", "present_value"], axes)


def make_rotary_block(cls):
    def make(gen):
        x = torch.randn(1, 16, 64, generator=gen)
        pos = torch.arange(16, dtype=torch.long).unsqueeze(0)
        return (cls(), [(x, pos)], ["hidden_states", "position_ids"],
                ["output"], None)
    return make


MODELS = {
    "gpt2_block": make_gpt2_block,
    "llama_block": make_llama_block,
    "bert_layer": make_bert_layer,
    "gpt_dynamic": make_gpt_dynamic,
    "decode_step": make_decode_step,
    "gptj_block": make_rotary_block(GPTJBlock),
    "neox_block": make_rotary_block(NeoXBlock),
}


def write_tensor(path, array, name):
    from onnx import numpy_helper
    with open(path, "wb") as f:
        f.write(numpy_helper.from_array(array, name).SerializeToString())


def export(name, out_dir, opset):
    import onnx
    torch.manual_seed(SEED)
    gen = torch.Generator().manual_seed(SEED + 1)
    model, sets, in_names, out_names, axes = MODELS[name](gen)
    model.eval()
    path = os.path.join(out_dir, name + ".onnx")
    torch.onnx.export(model, sets[0], path, input_names=in_names,
                      output_names=out_names, dynamic_axes=axes,
                      opset_version=opset, do_constant_folding=True)
    onnx.checker.check_model(onnx.load(path))
    for n, inputs in enumerate(sets):
        with torch.no_grad():
            outputs = model(*inputs)
        if isinstance(outputs, torch.Tensor):
            outputs = (outputs,)
        data_dir = os.path.join(out_dir, name, "test_data_set_%d" % n)
        os.makedirs(data_dir, exist_ok=True)
        for k, (t, tname) in enumerate(zip(inputs, in_names)):
            write_tensor(os.path.join(data_dir, "input_%d.pb" % k),
                         t.numpy(), tname)
        for k, (t, tname) in enumerate(zip(outputs, out_names)):
            write_tensor(os.path.join(data_dir, "output_%d.pb" % k),
                         t.numpy().astype(np.float32), tname)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", help="output directory")
    parser.add_argument("models", nargs="*", metavar="NAME",
                        help="models to export, of %s (default: all)"
                        % ", ".join(sorted(MODELS)))
    parser.add_argument("--opset", type=int, default=17)
    args = parser.parse_args()
    # The tracer's warnings about Python values in shape computations are
    # expected here (they are the shape subgraphs real exports contain).
    warnings.filterwarnings("ignore", category=torch.jit.TracerWarning)
    warnings.filterwarnings("ignore", category=UserWarning)
    unknown = [m for m in args.models if m not in MODELS]
    if unknown:
        parser.error("unknown model(s): %s" % ", ".join(unknown))
    os.makedirs(args.out, exist_ok=True)
    for name in args.models or sorted(MODELS):
        export(name, args.out, args.opset)
    return 0


if __name__ == "__main__":
    sys.exit(main())
