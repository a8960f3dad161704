"""Generates a GPT-2-sized int8 linear layer for the NPU, with data.

usage: gen_linear_i8.py OUTDIR [M K N]   (default 128 768 768)

Writes OUTDIR/linear.s (NPU assembly), OUTDIR/A.npy (i8[M x K]),
OUTDIR/W.npy (i8[K x N], row-major as a PyTorch x @ W), OUTDIR/W_packed.npy
(the same weights tile-major: tile (j, kk) = W[16kk:16kk+16, 16j:16j+16],
contiguous, for one dense 256-byte DMA per tile) and OUTDIR/C_ref.npy
(numpy's exact int32 product).

The program: A is loaded once (M rows of K bytes); weight tiles stream
through four scratchpad buffers (the load of tile t+4 waits for the matmul
of tile t); each 16-column block of C accumulates over K/16 matmuls of
M rows in one of two accumulator buffers, and the store queue writes a
finished block while the array computes the next one.
"""
import os
import sys

import numpy as np

out = sys.argv[1]
M, K, N = (int(v) for v in sys.argv[2:5]) if len(sys.argv) > 2 else (128, 768, 768)
assert K % 16 == 0 and N % 16 == 0 and M * K <= 0x18000 and M * 64 * 2 <= 0x10000
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(1)
a = rng.integers(-128, 128, size=(M, K), dtype=np.int8)
w = rng.integers(-128, 128, size=(K, N), dtype=np.int8)
kt, nt = K // 16, N // 16
packed = w.reshape(kt, 16, nt, 16).transpose(2, 0, 1, 3).copy()  # [j][kk][r][c]
np.save(os.path.join(out, "A.npy"), a)
np.save(os.path.join(out, "W.npy"), w)
np.save(os.path.join(out, "W_packed.npy"), packed)
np.save(os.path.join(out, "C_ref.npy"), a.astype(np.int32) @ w.astype(np.int32))

NB = 4            # weight-tile buffers
WBUF = 0x18000    # after A (at most 96 KiB)
CBUF = [0x0, M * 64]
tiles = nt * kt
lines = [
    f".input  r1, \"A\", i8[{M}x{K}]",
    f".input  r2, \"W_packed\", i8[{nt}x{kt}x16x16]",
    f".output r3, \"C\", i32[{M}x{N}]",
    ".text",
    f"dma.load sp+0x0, r1+0, rows={M}, bytes={K}",
]
loads, matmuls, stores = [], [], []
for t in range(tiles):
    wait = ", wait=cp" if t >= NB else ""
    loads.append(f"dma.load sp+{WBUF + (t % NB) * 256:#x}, r2+{t * 256:#x}, rows=1, bytes=256{wait}, signal=cp")
for j in range(nt):
    for kk in range(kt):
        t = j * kt + kk
        waits = ["ld"] + (["st"] if kk == 0 and j >= 2 else [])
        signals = (["ld"] if t + NB < tiles else []) + (["st"] if kk == kt - 1 else [])
        acc = ", acc" if kk else ""
        sig = f", signal={'|'.join(signals)}" if signals else ""
        matmuls.append(f"matmul.i8 acc+{CBUF[j % 2]:#x}, sp+{kk * 16:#x}, sp+{WBUF + (t % NB) * 256:#x}, "
                       f"m={M}, k=16, n=16, astride={K}, cstride=64{acc}, wait={'|'.join(waits)}{sig}")
    sig = ", signal=cp" if j + 2 < nt else ""
    stores.append(f"dma.store r3+{j * 64:#x}, acc+{CBUF[j % 2]:#x}, rows={M}, bytes=64, dstride={N * 4}, lstride=64, wait=cp{sig}")
# Queues are independent streams: interleave them in any order.
lines += loads + matmuls + stores + ["halt"]
with open(os.path.join(out, "linear.s"), "w") as f:
    f.write("\n".join(lines) + "\n")
