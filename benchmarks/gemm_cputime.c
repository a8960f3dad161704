// Per-call thread CPU time of one f32 GEMM C[M, N] = A[M, K] B[K, N]: our
// compiled model (a shared library from `llm-opt --emit=shared`, called
// through its C interface `_mlir_ciface_main`, docs/cpu.md "The C ABI") or
// OpenBLAS's cblas_sgemm on the same A and B. On a machine shared with other
// jobs, wall time mostly measures the scheduler; the calling thread's CPU
// time (CLOCK_THREAD_CPUTIME_ID) counts only the cycles the GEMM ran (cache
// pollution by the other jobs still shows). Single-threaded only: run
// OpenBLAS with OPENBLAS_NUM_THREADS=1 OPENBLAS_CORETYPE=SKYLAKEX.
//
//   clang -O2 -march=native benchmarks/gemm_cputime.c -o gemm_cputime \
//         -ldl -lopenblas
//   python3 -c '...' > g.onnx   # an ONNX MatMul with B an initializer
//   llm-opt g.onnx --llm-cpu-pipeline="threads=1" --emit=shared -o g.so
//   OPENBLAS_NUM_THREADS=1 OPENBLAS_CORETYPE=SKYLAKEX ./gemm_cputime blas M K N CALLS
//   ./gemm_cputime ./g.so M K N CALLS
//
// Prints the median CPU and wall time per call (after two warm-up calls)
// and the GFLOP/s (2 M N K / time). The model's result buffer is freed per
// call, so ours includes allocating C (the model zero-fills it).
#define _GNU_SOURCE
#include <cblas.h>
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
  float *allocated, *aligned;
  int64_t offset, sizes[2], strides[2];
} MemRef2D;
typedef void (*MainFn)(MemRef2D *result, MemRef2D *a);

static double ms(clockid_t clock) {
  struct timespec t;
  clock_gettime(clock, &t);
  return t.tv_sec * 1e3 + t.tv_nsec * 1e-6;
}

static int compare(const void *x, const void *y) {
  double a = *(const double *)x, b = *(const double *)y;
  return a < b ? -1 : a > b;
}

int main(int argc, char **argv) {
  if (argc != 6) {
    fprintf(stderr, "usage: %s LIB.so|blas M K N CALLS\n", argv[0]);
    return 2;
  }
  int m = atoi(argv[2]), k = atoi(argv[3]), n = atoi(argv[4]);
  int calls = atoi(argv[5]);
  if (m <= 0 || k <= 0 || n <= 0 || calls <= 0) {
    fprintf(stderr, "M, K, N and CALLS must be positive\n");
    return 2;
  }
  float *a = aligned_alloc(64, ((size_t)m * k * 4 + 63) / 64 * 64);
  float *b = aligned_alloc(64, ((size_t)k * n * 4 + 63) / 64 * 64);
  float *c = aligned_alloc(64, ((size_t)m * n * 4 + 63) / 64 * 64);
  for (long i = 0; i < (long)m * k; i++)
    a[i] = ((i * 7) % 97) * 0.01f - 0.4f;
  for (long i = 0; i < (long)k * n; i++)
    b[i] = ((i * 13) % 89) * 0.01f - 0.4f;
  MainFn fn = NULL;
  if (strcmp(argv[1], "blas") != 0) {
    void *lib = dlopen(argv[1], RTLD_NOW);
    if (!lib || !(fn = (MainFn)dlsym(lib, "_mlir_ciface_main"))) {
      fprintf(stderr, "%s: %s\n", argv[1], dlerror());
      return 1;
    }
  }
  MemRef2D in = {a, a, 0, {m, k}, {k, 1}};
  double *cpu = malloc(calls * sizeof(double));
  double *wall = malloc(calls * sizeof(double));
  for (int i = -2; i < calls; i++) {
    double c0 = ms(CLOCK_THREAD_CPUTIME_ID), w0 = ms(CLOCK_MONOTONIC);
    if (fn) {
      MemRef2D out;
      fn(&out, &in);
      free(out.allocated);
    } else {
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1.0f, a,
                  k, b, n, 0.0f, c, n);
    }
    if (i >= 0) {
      cpu[i] = ms(CLOCK_THREAD_CPUTIME_ID) - c0;
      wall[i] = ms(CLOCK_MONOTONIC) - w0;
    }
  }
  qsort(cpu, calls, sizeof(double), compare);
  qsort(wall, calls, sizeof(double), compare);
  double flop = 2.0 * m * n * k;
  printf("%s %dx%dx%d cpu %.3f ms (%.1f GFLOP/s) wall %.3f ms (%.1f GFLOP/s)\n",
         argv[1], m, k, n, cpu[calls / 2], flop / cpu[calls / 2] / 1e6,
         wall[calls / 2], flop / wall[calls / 2] / 1e6);
  return 0;
}
