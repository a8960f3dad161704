# Tiled int8 GEMM with double-buffered DMA: C[64x32] (i32) = A[64x64] (i8) x B[64x32] (i8).
#
# A is loaded once (64 rows of 64 bytes, 4 KiB at sp+0). B is cut into eight
# 16x16 tiles, streamed through two scratchpad buffers: the load queue fills
# buffer t%2 and signals the compute queue; each matmul consumes one tile
# and signals the load queue that its buffer is free again, so the load of
# tile t+2 waits for the matmul of tile t while the matmul of tile t+1 runs.
# C accumulates in the accumulator (64 rows of 32 i32 = 128 bytes) over the
# four k-tiles of each 16-column block j, then one DMA stores it.

.input  r1, "A", i8[64x64]
.input  r2, "B", i8[64x32]
.output r3, "C", i32[64x32]

.equ A_SP,   0x0000          # A: 64 x 64 bytes
.equ BUF0,   0x1000          # B tile buffers: 16 rows of 16 bytes
.equ BUF1,   0x1100
.equ ASTRIDE, 64             # bytes per row of A (= K)
.equ BROW,   32              # bytes per row of B in DRAM (= N)
.equ CSTRIDE, 128            # bytes per row of C in the accumulator (= 4 N)

.text
dma.load sp+A_SP, r1+0, rows=64, bytes=64
# tiles t = 0..7: j = t / 4 (column block), kk = t % 4 (k block)
dma.load sp+BUF0, r2+0*16*BROW+0,  rows=16, bytes=16, dstride=BROW, signal=cp
dma.load sp+BUF1, r2+1*16*BROW+0,  rows=16, bytes=16, dstride=BROW, signal=cp
matmul.i8 acc+0, sp+A_SP+0,  sp+BUF0, m=64, k=16, n=16, astride=ASTRIDE, cstride=CSTRIDE, wait=ld, signal=ld
dma.load sp+BUF0, r2+2*16*BROW+0,  rows=16, bytes=16, dstride=BROW, wait=cp, signal=cp
matmul.i8 acc+0, sp+A_SP+16, sp+BUF1, m=64, k=16, n=16, astride=ASTRIDE, cstride=CSTRIDE, acc, wait=ld, signal=ld
dma.load sp+BUF1, r2+3*16*BROW+0,  rows=16, bytes=16, dstride=BROW, wait=cp, signal=cp
matmul.i8 acc+0, sp+A_SP+32, sp+BUF0, m=64, k=16, n=16, astride=ASTRIDE, cstride=CSTRIDE, acc, wait=ld, signal=ld
dma.load sp+BUF0, r2+0*16*BROW+16, rows=16, bytes=16, dstride=BROW, wait=cp, signal=cp
matmul.i8 acc+0, sp+A_SP+48, sp+BUF1, m=64, k=16, n=16, astride=ASTRIDE, cstride=CSTRIDE, acc, wait=ld, signal=ld
dma.load sp+BUF1, r2+1*16*BROW+16, rows=16, bytes=16, dstride=BROW, wait=cp, signal=cp
matmul.i8 acc+64, sp+A_SP+0,  sp+BUF0, m=64, k=16, n=16, astride=ASTRIDE, cstride=CSTRIDE, wait=ld, signal=ld
dma.load sp+BUF0, r2+2*16*BROW+16, rows=16, bytes=16, dstride=BROW, wait=cp, signal=cp
matmul.i8 acc+64, sp+A_SP+16, sp+BUF1, m=64, k=16, n=16, astride=ASTRIDE, cstride=CSTRIDE, acc, wait=ld, signal=ld
dma.load sp+BUF1, r2+3*16*BROW+16, rows=16, bytes=16, dstride=BROW, wait=cp, signal=cp
matmul.i8 acc+64, sp+A_SP+32, sp+BUF0, m=64, k=16, n=16, astride=ASTRIDE, cstride=CSTRIDE, acc, wait=ld
matmul.i8 acc+64, sp+A_SP+48, sp+BUF1, m=64, k=16, n=16, astride=ASTRIDE, cstride=CSTRIDE, acc, wait=ld, signal=st
dma.store r3+0, acc+0, rows=64, bytes=128, wait=cp
halt
