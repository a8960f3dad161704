"""Runs one weight-only quantized matmul (f32 x with a constant f32 weight,
quantized by llm-run --quantize=MODE) through the weight-only kernels and
untiled, against numpy.

Usage: check_weight_only.py LLM_RUN WORKDIR M N K --quantize MODE
           [--group-size G] [--zero-point] [--f16-scales] [--batch B]
           [--dynamic-m] [--pipeline-options OPTS]... [--threads T]

Writes WORKDIR/wo.mlir: `transformer.matmul` of x [B,] M x K (M dynamic with
--dynamic-m) and a constant W [K, N]
(seeded by the shape). Runs llm-run --quantize=MODE once per
--pipeline-options value (the kernels: VNNI host, portable targets) and
with tile=false (the loop lowering of the same quantized op), and checks:
- each kernel output against the tile=false output: |d| <= 1e-5 * sqrt(K)
  * max|ref| + 1e-6 (same weights, different summation order);
- against numpy's product with W quantized and dequantized by the
  documented recipe (docs/quantization.md): |d| <= 1e-4 * sqrt(K) *
  max|ref| + 2 * max(scale) * max|x| (one quantization step of slack for
  a rounding tie decided differently in float32).
With --threads T every kernel run is repeated with `llm-run --threads T`
and parallel-min-cycles=0 (the panel loop on T OpenMP threads) and must
equal the one-thread output bit for bit.
Prints one OK line or exits 1 naming the first failure.
"""

import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_harness as harness  # noqa: E402


def quantize(w, mode, group, zero_point, f16):
    """Dequantized W [K, N] per docs/quantization.md."""
    k, n = w.shape
    wt = w.T.astype(np.float32)  # [N, K]
    if mode == "int8-weight":
        s = np.abs(wt).max(axis=1, keepdims=True) / np.float32(127)
        s[s == 0] = 1
        q = np.clip(np.round(wt / s), -127, 127)
        return (q * s).T, float(s.max())
    groups = (k + group - 1) // group
    deq = np.empty_like(wt)
    smax = 0.0
    for g in range(groups):
        blk = wt[:, g * group:(g + 1) * group]
        if zero_point:
            lo = np.minimum(blk.min(axis=1, keepdims=True), 0)
            hi = np.maximum(blk.max(axis=1, keepdims=True), 0)
            s = (hi - lo) / np.float32(15)
        else:
            s = np.abs(blk).max(axis=1, keepdims=True) / np.float32(7)
        s[s == 0] = 1
        if f16:
            s = s.astype(np.float16).astype(np.float32)
        if zero_point:
            zp = np.clip(np.round(-lo / s), 0, 15)
            q = np.clip(np.round(blk / s) + zp, 0, 15)
            deq[:, g * group:(g + 1) * group] = (q - zp) * s
        else:
            q = np.clip(np.round(blk / s), -8, 7)
            deq[:, g * group:(g + 1) * group] = q * s
        smax = max(smax, float(s.max()))
    return deq.T, smax


def main():
    p = harness.parser()
    harness.add_shape(p)
    p.add_argument("--quantize", required=True)
    p.add_argument("--group-size", type=int, default=32)
    p.add_argument("--zero-point", action="store_true")
    p.add_argument("--f16-scales", action="store_true")
    p.add_argument("--pipeline-options", action="append", default=[])
    args = harness.parse(p)

    rng = np.random.default_rng(args.m * 1000003 + args.n * 1009 + args.k)
    w = rng.standard_normal((args.k, args.n)).astype(np.float32)
    xshape = ([args.batch] if args.batch else []) + [args.m, args.k]
    x = rng.standard_normal(xshape).astype(np.float32)
    deq, smax = quantize(w, args.quantize, args.group_size, args.zero_point,
                         args.f16_scales)
    ref = np.matmul(x.astype(np.float64), deq.astype(np.float64))

    def ty(dims):
        return "tensor<%sxf32>" % "x".join(str(d) for d in dims)

    xdims = list(xshape)
    if args.dynamic_m:
        xdims[-2] = "?"
    ydims = xdims[:-1] + [args.n]
    mlir = os.path.join(args.workdir, "wo.mlir")
    with open(mlir, "w") as f:
        f.write("func.func @main(%%x: %s) -> %s {\n" % (ty(xdims), ty(ydims)))
        f.write("  %%w = transformer.constant dense<\"0x%s\"> : %s\n"
                % (w.tobytes().hex().upper(), ty([args.k, args.n])))
        f.write("  %%0 = transformer.matmul %%x, %%w : %s, %s -> %s\n"
                "  return %%0 : %s\n}\n" % (ty(xdims), ty([args.k, args.n]),
                                           ty(ydims), ty(ydims)))
    inputs = harness.save_inputs(args.workdir, [("arg0", x)])
    quant = ["--quantize=" + args.quantize]
    extra = "quantize-group-size=%d" % args.group_size
    if args.zero_point:
        extra += " quantize-zero-point=true"
    if args.f16_scales:
        extra += " quantize-scale-type=f16"

    def run(opts, i, threads=0):
        out = os.path.join(args.workdir, "out-%d" % i)
        options = "%s %s" % (extra, opts)
        cmd = inputs + quant
        if threads:
            cmd += ["--pipeline-options=" + harness.split_all(options),
                    "--threads", str(threads)]
        else:
            cmd += ["--pipeline-options=" + options]
        got = harness.run(args.llm_run, mlir, cmd, out, ref.shape,
                          "'%s'" % opts)
        return got.astype(np.float64)

    scale = max(1.0, float(np.abs(ref).max()))
    loops = run("tile=false", 0)
    numpy_tol = 1e-4 * np.sqrt(args.k) * scale + 2 * smax * \
        float(np.abs(x).max())
    for name, got, tol in [("tile=false vs numpy", loops, numpy_tol)]:
        err = np.abs(got - ref)
        if not np.all(err <= tol):
            sys.exit("%s: max error %g > %g" % (name, err.max(), tol))
    runs = [o.strip() for o in args.pipeline_options] or [""]
    for i, opts in enumerate(runs):
        got = run(opts, i + 1)
        tight = 1e-5 * np.sqrt(args.k) * scale + 1e-6
        harness.check_close("'%s'" % opts, got, loops, tight,
                            what="tile=false")
        err = np.abs(got - ref)
        if not np.all(err <= numpy_tol):
            sys.exit("'%s' vs numpy: max error %g > %g" % (opts, err.max(),
                                                          numpy_tol))
        if args.threads:
            harness.check_equal("'%s' with %d threads" % (opts, args.threads),
                                run(opts, 1000 + i, args.threads), got,
                                "one thread")
    print("OK %s m=%d n=%d k=%d group=%d zp=%s f16=%s batch=%d dynamic_m=%s "
          "runs=%d%s" % (args.quantize, args.m, args.n, args.k,
                         args.group_size, args.zero_point, args.f16_scales,
                         args.batch, args.dynamic_m, len(runs) + 1,
                         " threads=%d" % args.threads if args.threads else ""))


if __name__ == "__main__":
    main()
