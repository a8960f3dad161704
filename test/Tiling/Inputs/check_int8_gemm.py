"""Runs one integer matmul (transformer.quantized_matmul) through llm-run,
with the int8 kernels and untiled, against numpy's exact int64 product.

Usage: check_int8_gemm.py LLM_RUN WORKDIR M N K [--a-type ui8|i8]
           [--b-type i8|ui8] [--azp none|tensor|row] [--bzp none|tensor|col]
           [--batch B] [--dynamic-m] [--pipeline-options OPTS]...
           [--threads T]

Writes WORKDIR/qmm.mlir holding `transformer.quantized_matmul` of an input
A [B,] M x K (M dynamic with --dynamic-m; its zero point an input too) and a
constant B K x N (with a constant zero point), random 8-bit data seeded by
the shape, runs `llm-run --output-dir` once per --pipeline-options value
(the int8 kernels: VNNI, AMX or portable by target) and once with
tile=false (the loop lowering), and requires every output to equal
numpy's sum_k (a - za)(b - zb) computed in int64. With --threads T the
kernel runs use `llm-run --threads T` and parallel-min-cycles=0 (the panel
loop on T OpenMP threads). Prints one OK line or exits 1 naming the first
mismatch.
"""

import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_harness as harness  # noqa: E402


def main():
    p = harness.parser()
    harness.add_shape(p)
    p.add_argument("--a-type", default="ui8", choices=["ui8", "i8"])
    p.add_argument("--b-type", default="i8", choices=["i8", "ui8"])
    p.add_argument("--azp", default="none", choices=["none", "tensor", "row"])
    p.add_argument("--bzp", default="none", choices=["none", "tensor", "col"])
    p.add_argument("--pipeline-options", action="append", default=[])
    args = harness.parse(p)

    rng = np.random.default_rng(args.m * 1000003 + args.n * 1009 + args.k)
    lead = [args.batch] if args.batch else []
    a_np = np.uint8 if args.a_type == "ui8" else np.int8
    b_np = np.uint8 if args.b_type == "ui8" else np.int8
    a_lo, a_hi = (0, 256) if args.a_type == "ui8" else (-128, 128)
    a = rng.integers(a_lo, a_hi, lead + [args.m, args.k]).astype(a_np)
    if args.b_type == "ui8":
        # Unsigned weights around their zero point, as an asymmetric
        # quantizer writes them (b - zb must fit in s8 for the kernels).
        b = rng.integers(70, 190, [args.k, args.n]).astype(b_np)
    else:
        b = rng.integers(-128, 128, [args.k, args.n]).astype(b_np)
    if args.azp == "row":
        azp = rng.integers(a_lo, a_hi, lead + [args.m, 1]).astype(a_np)
    elif args.azp == "tensor":
        azp = np.array(rng.integers(a_lo, a_hi), dtype=a_np)
    if args.bzp == "col":
        lo, hi = (120, 136) if args.b_type == "ui8" else (-3, 4)
        bzp = rng.integers(lo, hi, [args.n]).astype(b_np)
    elif args.bzp == "tensor":
        bzp = np.array(128 if args.b_type == "ui8" else 0, dtype=b_np)
        if args.b_type == "i8":
            b = np.clip(b.astype(np.int64), -127, 127).astype(np.int8)

    ref = a.astype(np.int64)
    if args.azp != "none":
        ref = ref - azp.astype(np.int64)
    bref = b.astype(np.int64)
    if args.bzp != "none":
        bref = bref - bzp.astype(np.int64)
    ref = np.matmul(ref, bref)

    def ty(dims, t):
        return "tensor<%s>" % "x".join([str(d) for d in dims] + [t])

    m_s = "?" if args.dynamic_m else args.m
    a_t = ty(lead + [m_s, args.k], args.a_type)
    b_t = ty([args.k, args.n], args.b_type)
    c_t = ty(lead + [m_s, args.n], "i32")
    params = ["%%a: %s" % a_t]
    zps = ""
    if args.azp == "row":
        azp_t = ty(lead + [m_s, 1], args.a_type)
    elif args.azp == "tensor":
        azp_t = "tensor<%s>" % args.a_type
    if args.azp != "none":
        params.append("%%azp: %s" % azp_t)
        zps += " a_zero_point(%%azp : %s)" % azp_t
    body = "  %%b = arith.constant dense<\"0x%s\"> : %s\n" % (
        b.tobytes().hex().upper(), b_t)
    if args.bzp != "none":
        bzp_t = ty([args.n], args.b_type) if args.bzp == "col" else \
            "tensor<%s>" % args.b_type
        body += "  %%bzp = arith.constant dense<\"0x%s\"> : %s\n" % (
            bzp.tobytes().hex().upper(), bzp_t)
        zps += " b_zero_point(%%bzp : %s)" % bzp_t
    mlir = os.path.join(args.workdir, "qmm.mlir")
    with open(mlir, "w") as f:
        f.write("func.func @main(%s) -> %s {\n%s"
                "  %%0 = transformer.quantized_matmul %%a, %%b%s : %s, %s -> %s\n"
                "  return %%0 : %s\n}\n"
                % (", ".join(params), c_t, body, zps, a_t, b_t, c_t, c_t))
    inputs = harness.save_inputs(
        args.workdir, [("arg0", a)] + ([("arg1", azp)] if args.azp != "none"
                                       else []))

    runs = [o.strip() for o in args.pipeline_options] or [""]
    for i, opts in enumerate(runs + ["tile=false"]):
        out = os.path.join(args.workdir, "out-%d" % i)
        if args.threads and opts != "tile=false":
            cmd = inputs + ["--pipeline-options=" + harness.split_all(opts),
                            "--threads", str(args.threads)]
        else:
            cmd = inputs + ["--pipeline-options=" + opts]
        got = harness.run(args.llm_run, mlir, cmd, out, ref.shape,
                          "'%s'" % opts)
        harness.check_equal("'%s'" % opts, got.astype(np.int64), ref,
                            "numpy")
    print("OK m=%d n=%d k=%d a=%s b=%s azp=%s bzp=%s batch=%d dynamic_m=%s "
          "runs=%d%s" % (args.m, args.n, args.k, args.a_type, args.b_type,
                         args.azp, args.bzp, args.batch, args.dynamic_m,
                         len(runs) + 1,
                         " threads=%d" % args.threads if args.threads else ""))


if __name__ == "__main__":
    main()
