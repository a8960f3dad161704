"""Checks the raw f32 output of threads_gemm.c against numpy.

Usage: check_threads_gemm.py OUTPUT M [OTHER_OUTPUT]
Rebuilds the program's inputs, compares with numpy's float64 product
(|ours - ref| <= 1e-5 * sqrt(K) * max|ref|) and, given OTHER_OUTPUT (the
same model run with another thread count), requires both to be bitwise
equal: the threads split only parallel dims, never the K reduction.
"""

import sys

import numpy as np


def main():
    out, m = sys.argv[1], int(sys.argv[2])
    k, n = 256, 384
    a = (((np.arange(m * k) * 7) % 13 - 6) / 8.0).reshape(m, k)
    b = (((np.arange(k * n) * 5) % 11 - 5) / 4.0).reshape(k, n)
    ref = a @ b
    got = np.fromfile(out, dtype=np.float32)
    if got.size != m * n:
        sys.exit("expected %d floats, got %d" % (m * n, got.size))
    got = got.reshape(m, n)
    tol = 1e-5 * np.sqrt(k) * max(1.0, np.abs(ref).max())
    err = np.abs(got - ref)
    if not np.all(err <= tol):
        idx = np.unravel_index(np.argmax(err), err.shape)
        sys.exit("mismatch at %s: got %r, numpy %r" % (idx, got[idx], ref[idx]))
    if len(sys.argv) > 3:
        other = np.fromfile(sys.argv[3], dtype=np.float32).reshape(m, n)
        if not np.array_equal(other, got):
            sys.exit("results differ between thread counts")
    print("threads gemm m=%d matches numpy" % m)


if __name__ == "__main__":
    main()
