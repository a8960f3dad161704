"""Runs one f32 matmul with an elementwise epilogue through llm-run, with the
epilogue fused into the GEMM's register tiles, unfused, and untiled, against
numpy.

Usage: check_gemm_epilogue.py LLM_RUN WORKDIR M N K
           [--epilogue bias|gelu-tanh|gelu-erf|residual|scale]
           [--dynamic-m] [--const-b] [--threads T] [--pipeline-options OPTS]

Writes WORKDIR/epilogue.mlir: Y = epilogue(A [M, K] x B [K, N]) with
  bias       Y = AB + bias[N]
  gelu-tanh  Y = gelu_tanh(AB + bias)     (GPT-2's MLP)
  gelu-erf   Y = gelu_erf(AB + bias)      (BERT's MLP)
  residual   Y = R[M, N] + (AB + bias)    (an attention / MLP output)
  scale      Y = AB * 0.125               (a scalar constant in the body)
(M dynamic with --dynamic-m; B an argument, or with --const-b a constant
weight that the pipeline packs into register panels at compile time), random
inputs seeded by the shape, and runs `llm-run --output-dir` three ways:
fused (the CPU pipeline's default, plus OPTS), unfused (fuse-epilogues=false,
plus OPTS) and untiled (tile=false, the scalar reference lowering). Each is
compared with numpy's float64 evaluation: |ours - ref| <= 1e-5 * sqrt(K) *
max(1, max|ref|) + 1e-5; fused and unfused must agree within 1e-6 * max(1,
max|ref|) (the line says `bitwise` when they are equal). With --threads T the
fused model also runs compiled for and on T threads (every parallel loop
split: parallel-min-cycles=0) and must equal the one-thread result bit for
bit. Prints one OK line or exits 1 with the worst element.
"""

import math
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_harness as harness  # noqa: E402


def erf(x):
    return np.vectorize(math.erf)(x)


def reference(kind, ab, bias, res):
    if kind == "scale":
        return ab * 0.125
    x = ab + bias
    if kind == "gelu-tanh":
        return 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) *
                                      (x + 0.044715 * x ** 3)))
    if kind == "gelu-erf":
        return 0.5 * x * (1 + erf(x / np.sqrt(2)))
    if kind == "residual":
        return res + x
    return x


def main():
    p = harness.parser()
    harness.add_shape(p, batch=False)
    p.add_argument("--epilogue", default="bias",
                   choices=["bias", "gelu-tanh", "gelu-erf", "residual",
                            "scale"])
    p.add_argument("--const-b", action="store_true")
    p.add_argument("--pipeline-options", default="")
    args = harness.parse(p)

    m, n, k = args.m, args.n, args.k
    rng = np.random.default_rng(m * 1000003 + n * 1009 + k)
    a = rng.standard_normal((m, k)).astype(np.float32)
    b = (rng.standard_normal((k, n)) / np.sqrt(k)).astype(np.float32)
    bias = rng.standard_normal(n).astype(np.float32)
    res = rng.standard_normal((m, n)).astype(np.float32)
    ab = a.astype(np.float64) @ b.astype(np.float64)
    ref = reference(args.epilogue, ab, bias.astype(np.float64),
                    res.astype(np.float64))

    m_s = "?" if args.dynamic_m else str(m)
    a_t = "tensor<%sx%dxf32>" % (m_s, k)
    b_t = "tensor<%dx%dxf32>" % (k, n)
    c_t = "tensor<%sx%dxf32>" % (m_s, n)
    bias_t = "tensor<%dxf32>" % n
    params = ["%%a: %s" % a_t]
    inputs = [("a", a)]
    body = []
    if args.const_b:
        data = np.array2string(b.astype(np.float64), separator=", ",
                               threshold=b.size + 1, floatmode="unique",
                               max_line_width=1 << 30)
        body.append("  %%b = arith.constant dense<%s> : %s" % (data, b_t))
    else:
        params.append("%%b: %s" % b_t)
        inputs.append(("b", b))
    if args.epilogue != "scale":
        params.append("%%bias: %s" % bias_t)
        inputs.append(("bias", bias))
    if args.epilogue == "residual":
        params.append("%%r: %s" % c_t)
        inputs.append(("r", res))
    body.append("  %%ab = transformer.matmul %%a, %%b : %s, %s -> %s"
                % (a_t, b_t, c_t))
    if args.epilogue == "scale":
        body.append("  %s = arith.constant dense<0.125> : tensor<1xf32>")
        body.append("  %%y = transformer.mul %%ab, %%s : %s, tensor<1xf32>"
                    " -> %s" % (c_t, c_t))
    else:
        x = "%y" if args.epilogue == "bias" else "%x"
        body.append("  %s = transformer.add %%ab, %%bias : %s, %s -> %s"
                    % (x, c_t, bias_t, c_t))
        if args.epilogue.startswith("gelu"):
            body.append("  %%y = transformer.gelu %%x approximation = %s : %s"
                        % (args.epilogue[5:], c_t))
        elif args.epilogue == "residual":
            body.append("  %%y = transformer.add %%r, %%x : %s, %s -> %s"
                        % (c_t, c_t, c_t))
    mlir = os.path.join(args.workdir, "epilogue.mlir")
    with open(mlir, "w") as f:
        f.write("func.func @main(%s) -> %s {\n%s\n  return %%y : %s\n}\n"
                % (", ".join(params), c_t, "\n".join(body), c_t))
    cmd_inputs = harness.save_inputs(
        args.workdir,
        [("arg%d" % i, value) for i, (_, value) in enumerate(inputs)])

    scale = max(1.0, float(np.abs(ref).max()))
    tol = 1e-5 * np.sqrt(k) * scale + 1e-5
    extra = args.pipeline_options
    runs = [("fused", extra, 1),
            ("unfused", (extra + " fuse-epilogues=false").strip(), 1),
            ("untiled", "tile=false", 1)]
    if args.threads:
        runs.append(("fused-threads", harness.split_all(extra),
                     args.threads))
    results = {}
    for label, opts, threads in runs:
        out = os.path.join(args.workdir, "out-" + label)
        cmd = cmd_inputs + ["--threads", str(threads)]
        if opts:
            cmd.append("--pipeline-options=" + opts)
        got = harness.run(args.llm_run, mlir, cmd, out, ref.shape, label)
        harness.check_close(label, got, ref, tol)
        results[label] = got
    harness.check_close("fused", results["fused"], results["unfused"],
                        1e-6 * scale, what="unfused")
    same = np.array_equal(results["fused"], results["unfused"])
    if args.threads:
        harness.check_equal("%d threads" % args.threads,
                            results["fused-threads"], results["fused"],
                            "1 thread")
    print("OK m=%d n=%d k=%d epilogue=%s%s%s%s fused=unfused%s" % (
        m, n, k, args.epilogue, " dynamic_m" if args.dynamic_m else "",
        " const_b" if args.const_b else "",
        " threads=%d" % args.threads if args.threads else "",
        " bitwise" if same else " within 1e-6"))


if __name__ == "__main__":
    main()
