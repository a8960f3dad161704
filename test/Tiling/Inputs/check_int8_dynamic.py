"""Runs an int8-dynamic linear layer with an epilogue through llm-run against
numpy's evaluation of the same quantization recipe.

Usage: check_int8_dynamic.py LLM_RUN WORKDIR M N K [--batch B]
           [--epilogue bias|residual|tanh|chain] [--pipeline-options OPTS]...
           [--threads T]

Builds with onnx.helper a model y = MatMul(x, W) + bias, then (residual)
+ r or (tanh) Tanh(.), x f32 [B,] M x K and r f32 [B,] M x N inputs, W and
bias constants (random, seeded by the shape), and runs it with
`llm-run --quantize=int8-dynamic` once per --pipeline-options value (the
int8 kernel with its fused epilogue: VNNI or portable by target) and once
with tile=false (the loop lowering). numpy's reference follows
docs/quantization.md in float32, operation by operation: weights per
output channel, scale = max|w| / 127, round half to even, clipped to
[-127, 127]; activations per row, range widened to 0, scale = (max - min)
/ 255, zero point round(-min / scale), q = clip(round(x / scale) + zp);
exact integer product; then acc * row scale * weight scale + bias (+ r, or
tanh). With --epilogue chain a second layer follows,
z = MatMul(y, W2) + y with W2 [N, N], so that both integer matmuls have the
same [.., M, N] i32 result (their zero fills are merged by CSE and
given back to each matmul by llm-unshare-fills, so that both fuse their
epilogues); numpy quantizes its own y for the second layer. Every output must match within 1e-6 of max |y| (tanh: the kernels'
approximation, 1e-5), and the kernel runs must equal the loop lowering's
output element for element (no tanh) -- the fused epilogue computes the
same f32 operations in the same order. With --threads T every kernel run
is repeated with `llm-run --threads T` and parallel-min-cycles=0 and must
equal the one-thread output bit for bit. Prints one OK line or exits 1.
"""

import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_harness as harness  # noqa: E402

F32 = np.float32


def quantize_weights(w):
    """[K, N] f32 -> int8 values [K, N] and per-column scales [N]."""
    amax = np.abs(w).max(axis=0)
    scale = np.where(amax > 0, amax / F32(127), F32(1)).astype(F32)
    q = np.clip(np.rint(w / scale), -127, 127).astype(np.int64)
    return q, scale


def quantize_rows(x):
    """Per-row asymmetric u8: values, scale [.., 1], zero point [.., 1]."""
    lo = np.minimum(x.min(axis=-1, keepdims=True), F32(0))
    hi = np.maximum(x.max(axis=-1, keepdims=True), F32(0))
    scale = ((hi - lo) / F32(255)).astype(F32)
    safe = np.where(scale == 0, F32(1), scale).astype(F32)
    zp = np.clip(np.rint(-lo / safe), 0, 255).astype(F32)
    q = np.clip(np.rint(x / safe) + zp, 0, 255)
    return q.astype(np.int64), scale, zp.astype(np.int64)


def main():
    p = harness.parser()
    harness.add_shape(p, dynamic_m=False)
    p.add_argument("--epilogue", default="bias",
                   choices=["bias", "residual", "tanh", "chain"])
    p.add_argument("--pipeline-options", action="append", default=[])
    args = harness.parse(p)

    rng = np.random.default_rng(args.m * 7919 + args.n * 104729 + args.k)
    lead = [args.batch] if args.batch else []
    x = rng.standard_normal(lead + [args.m, args.k]).astype(F32)
    x[..., 0, :] = np.abs(x[..., 0, :])  # a row whose range starts at 0
    w = (rng.standard_normal([args.k, args.n]) * 0.2).astype(F32)
    bias = rng.standard_normal([args.n]).astype(F32)
    r = rng.standard_normal(lead + [args.m, args.n]).astype(F32)
    w2 = (rng.standard_normal([args.n, args.n]) * 0.2).astype(F32)

    wq, wscale = quantize_weights(w)
    xq, xscale, xzp = quantize_rows(x)
    acc = np.matmul(xq - xzp, wq)
    y = ((acc.astype(F32) * xscale).astype(F32) * wscale).astype(F32) + bias
    if args.epilogue == "residual":
        y = (y + r).astype(F32)
    elif args.epilogue == "tanh":
        y = np.tanh(y).astype(F32)
    elif args.epilogue == "chain":
        w2q, w2scale = quantize_weights(w2)
        yq, yscale, yzp = quantize_rows(y)
        acc2 = np.matmul(yq - yzp, w2q)
        y = (((acc2.astype(F32) * yscale).astype(F32) * w2scale).astype(F32)
             + y).astype(F32)

    nodes = [helper.make_node("MatMul", ["x", "w"], ["mm"], name="linear"),
             helper.make_node("Add", ["mm", "bias"],
                              ["y" if args.epilogue == "bias" else "t"])]
    inputs = [helper.make_tensor_value_info("x", TensorProto.FLOAT,
                                            lead + [args.m, args.k])]
    if args.epilogue == "residual":
        nodes.append(helper.make_node("Add", ["t", "r"], ["y"]))
        inputs.append(helper.make_tensor_value_info(
            "r", TensorProto.FLOAT, lead + [args.m, args.n]))
    elif args.epilogue == "tanh":
        nodes.append(helper.make_node("Tanh", ["t"], ["y"]))
    elif args.epilogue == "chain":
        nodes += [helper.make_node("MatMul", ["t", "w2"], ["mm2"],
                                   name="linear2"),
                  helper.make_node("Add", ["mm2", "t"], ["y"])]
    graph = helper.make_graph(
        nodes, "int8_dynamic_linear", inputs,
        [helper.make_tensor_value_info("y", TensorProto.FLOAT,
                                       lead + [args.m, args.n])],
        initializer=[numpy_helper.from_array(w, "w"),
                     numpy_helper.from_array(bias, "bias")] +
        ([numpy_helper.from_array(w2, "w2")]
         if args.epilogue == "chain" else []))
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", 17)])
    onnx.checker.check_model(model)
    path = os.path.join(args.workdir, "linear.onnx")
    onnx.save(model, path)
    run_inputs = harness.save_inputs(
        args.workdir, [("x", x)] + ([("r", r)] if args.epilogue == "residual"
                                    else []))

    tol = (1e-5 if args.epilogue == "tanh" else 1e-6) * float(np.abs(y).max())
    runs = [o.strip() for o in args.pipeline_options] or [""]
    outputs = []

    def run(opts, i, threads=0):
        out = os.path.join(args.workdir, "out-%d" % i)
        cmd = run_inputs + ["--quantize=int8-dynamic"]
        if threads:
            cmd += ["--pipeline-options=" + harness.split_all(opts),
                    "--threads", str(threads)]
        else:
            cmd += ["--pipeline-options=" + opts]
        return harness.run(args.llm_run, path, cmd, out, y.shape,
                           "'%s'" % opts)

    for i, opts in enumerate(runs + ["tile=false"]):
        got = run(opts, i)
        harness.check_close("'%s'" % opts, got.astype(np.float64), y, tol)
        outputs.append(got)
        if args.threads and opts != "tile=false":
            harness.check_equal("'%s' with %d threads" % (opts, args.threads),
                                run(opts, 1000 + i, args.threads), got,
                                "one thread")
    if args.epilogue != "tanh":
        for opts, got in zip(runs, outputs):
            harness.check_equal("'%s'" % opts, got, outputs[-1],
                                "the loop lowering")
    print("OK m=%d n=%d k=%d batch=%d epilogue=%s runs=%d%s"
          % (args.m, args.n, args.k, args.batch, args.epilogue,
             len(runs) + 1,
             " threads=%d" % args.threads if args.threads else ""))


if __name__ == "__main__":
    main()
