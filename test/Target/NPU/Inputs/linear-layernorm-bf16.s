# y = LayerNorm(x W^T + b) * gamma + beta with bf16 inputs on the array and
# f32 on the vector unit: x bf16[16x32], W bf16[16x32] (PyTorch Linear
# layout: one row per output feature), b, gamma, beta f32[16], y f32[16x16].
#
# K = 32 is two k-chunks of 16: each chunk of W^T goes to the scratchpad as
# 16 rows of 16 bf16 (the array's weight-tile layout, rows 32 bytes apart)
# and the second matmul accumulates onto the first (`acc`). `tb` reads the
# tile as B^T, so W needs no transpose. The normalisation uses row
# reductions (b=col broadcasts a per-row value) and b=row for the
# per-feature bias, gamma and beta.

.input  r1, "x", bf16[16x32]
.input  r2, "w", bf16[16x32]
.input  r3, "b", f32[16]
.input  r4, "gamma", f32[16]
.input  r5, "beta", f32[16]
.output r6, "y", f32[16x16]

.equ X,     0x0000           # 16 rows x 32 bf16 (64 bytes per row)
.equ W0,    0x0400           # W columns 0..15: 16 rows x 16 bf16
.equ W1,    0x0600           # W columns 16..31
.equ BIAS,  0x0800
.equ GAMMA, 0x0840
.equ BETA,  0x0880
.equ MEAN,  0x0900           # one f32 per row
.equ RSTD,  0x0940
.equ CONST, 0x0980           # 1/16, epsilon
.equ SQ,    0x1000           # 16 x 16 f32 squares

.text
dma.load sp+X, r1+0, rows=1, bytes=1024
dma.load sp+W0, r2+0, rows=16, bytes=32, dstride=64
dma.load sp+W1, r2+32, rows=16, bytes=32, dstride=64
dma.load sp+BIAS, r3+0, rows=1, bytes=64
dma.load sp+GAMMA, r4+0, rows=1, bytes=64
dma.load sp+BETA, r5+0, rows=1, bytes=64, signal=cp      # the loads complete in order
matmul.bf16 acc+0x0, sp+X, sp+W0, m=16, k=16, n=16, astride=64, tb, wait=ld
matmul.bf16 acc+0x0, sp+X+32, sp+W1, m=16, k=16, n=16, astride=64, tb, acc
vadd    acc+0x0, acc+0x0, sp+BIAS, rows=16, cols=16, b=row
vfill   sp+CONST, value=0.0625, rows=1, cols=1
vfill   sp+CONST+4, value=1e-5, rows=1, cols=1
vredsum sp+MEAN, acc+0x0, rows=16, cols=16
vmul    sp+MEAN, sp+MEAN, sp+CONST, rows=1, cols=16, b=scalar
vsub    acc+0x0, acc+0x0, sp+MEAN, rows=16, cols=16, b=col
vmul    sp+SQ, acc+0x0, acc+0x0, rows=16, cols=16
vredsum sp+RSTD, sp+SQ, rows=16, cols=16
vmul    sp+RSTD, sp+RSTD, sp+CONST, rows=1, cols=16, b=scalar
vadd    sp+RSTD, sp+RSTD, sp+CONST+4, rows=1, cols=16, b=scalar
vrsqrt  sp+RSTD, sp+RSTD, rows=1, cols=16
vmul    acc+0x0, acc+0x0, sp+RSTD, rows=16, cols=16, b=col
vmul    acc+0x0, acc+0x0, sp+GAMMA, rows=16, cols=16, b=row
vadd    acc+0x0, acc+0x0, sp+BETA, rows=16, cols=16, b=row, signal=st
dma.store r6+0, acc+0x0, rows=1, bytes=1024, wait=cp
halt
