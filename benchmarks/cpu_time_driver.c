// cpu_time_driver.c: the per-call thread CPU time of compiled models, for
// before/after comparisons on a loaded machine (docs/benchmarks.md, "f32
// epilogue fusion").
//
// Loads each `llm-opt ... --emit=shared` library given, calls its
// `_mlir_ciface_main` (one f32 input of the shape DIMS, one f32 result
// whose buffer is freed after the call) alternately, library by library,
// CALLS times after one warm-up call each, and prints per library the
// median and minimum thread CPU time (CLOCK_THREAD_CPUTIME_ID: the call's
// page faults count, other processes' time does not) and wall time. Only for
// single-threaded libraries (threads=1).
//
//   cc -O2 -o cpu_time_driver benchmarks/cpu_time_driver.c -ldl
//   ./cpu_time_driver 1,128,768 60 block-fused.so block-unfused.so
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
typedef void (*Fn)(int64_t *, int64_t *);
static double now(clockid_t c) { struct timespec t; clock_gettime(c, &t); return t.tv_sec * 1e3 + t.tv_nsec / 1e6; }
static int cmp(const void *a, const void *b) { double x = *(const double *)a, y = *(const double *)b; return x < y ? -1 : x > y; }
int main(int argc, char **argv) {
  if (argc < 4) { fprintf(stderr, "usage: %s DIMS CALLS LIB...\n", argv[0]); return 2; }
  int64_t dims[4]; int rank = 0; size_t elems = 1;
  for (char *p = strtok(argv[1], ","); p && rank < 4; p = strtok(NULL, ",")) { dims[rank++] = atoll(p); elems *= dims[rank - 1]; }
  int n = atoi(argv[2]), libs = argc - 3;
  if (n < 1 || n > 1000 || libs > 8) { fprintf(stderr, "1-1000 calls, at most 8 libraries\n"); return 2; }
  Fn fn[8]; static double cpu[8][1000], wall[8][1000];
  for (int l = 0; l < libs; l++) {
    void *h = dlopen(argv[3 + l], RTLD_NOW | RTLD_LOCAL);
    if (!h) { fprintf(stderr, "%s\n", dlerror()); return 1; }
    fn[l] = (Fn)dlsym(h, "_mlir_ciface_main");
  }
  float *buf = aligned_alloc(64, elems * 4);
  for (size_t i = 0; i < elems; i++) buf[i] = (i % 97) * 0.01f - 0.5f;
  int64_t x[11], r[11];
  x[0] = x[1] = (int64_t)buf; x[2] = 0;
  int64_t stride = 1;
  for (int d = rank - 1; d >= 0; d--) { x[3 + d] = dims[d]; x[3 + rank + d] = stride; stride *= dims[d]; }
  for (int l = 0; l < libs; l++) { fn[l](r, x); free((void *)r[0]); }  // warm-up
  for (int i = 0; i < n; i++)
    for (int l = 0; l < libs; l++) {
      double c0 = now(CLOCK_THREAD_CPUTIME_ID), w0 = now(CLOCK_MONOTONIC);
      fn[l](r, x);
      cpu[l][i] = now(CLOCK_THREAD_CPUTIME_ID) - c0; wall[l][i] = now(CLOCK_MONOTONIC) - w0;
      free((void *)r[0]);
    }
  for (int l = 0; l < libs; l++) {
    qsort(cpu[l], n, sizeof(double), cmp); qsort(wall[l], n, sizeof(double), cmp);
    printf("%s: thread CPU median %.3f ms (min %.3f); wall median %.3f ms (min %.3f); %d calls\n",
           argv[3 + l], cpu[l][n / 2], cpu[l][0], wall[l][n / 2], wall[l][0], n);
  }
  return 0;
}
