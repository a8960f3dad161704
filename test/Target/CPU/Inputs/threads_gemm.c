/* Calls a matmul model compiled with threads (llm-opt --emit=shared, see
 * c-abi-threads.test): C[m, 384] = A[m, 256] x B[256, 384] for m given on
 * the command line, inputs from a formula check_threads_gemm.py repeats,
 * the result written to stdout as raw floats. The thread count comes from
 * OMP_NUM_THREADS. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct { float *allocated, *aligned; int64_t offset, sizes[2], strides[2]; } MemRefF32x2;

void _mlir_ciface_main(MemRefF32x2 *result, MemRefF32x2 *a, MemRefF32x2 *b);

int main(int argc, char **argv) {
  int64_t m = argc > 1 ? atoll(argv[1]) : 1, k = 256, n = 384;
  float *a = malloc(sizeof(float) * m * k), *b = malloc(sizeof(float) * k * n);
  for (int64_t i = 0; i < m * k; ++i)
    a[i] = (float)((i * 7) % 13 - 6) / 8.0f;
  for (int64_t i = 0; i < k * n; ++i)
    b[i] = (float)((i * 5) % 11 - 5) / 4.0f;
  MemRefF32x2 aDesc = {a, a, 0, {m, k}, {k, 1}};
  MemRefF32x2 bDesc = {b, b, 0, {k, n}, {n, 1}};
  MemRefF32x2 c;
  _mlir_ciface_main(&c, &aDesc, &bDesc);
  for (int64_t i = 0; i < c.sizes[0]; ++i)
    for (int64_t j = 0; j < c.sizes[1]; ++j)
      fwrite(&c.aligned[c.offset + i * c.strides[0] + j * c.strides[1]],
             sizeof(float), 1, stdout);
  free(c.allocated);
  free(a);
  free(b);
  return 0;
}
