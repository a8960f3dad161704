/* Times repeated calls of a compiled GPT-2 block from C, the way an
 * embedding program calls it: CPU time, minor page faults and system time
 * per call, optionally with glibc told to keep its heap (docs/cpu.md,
 * "Memory per call").
 *
 *   benchmarks/gpt2_block.py's export(dir, seq) writes dir/gpt2_block.onnx;
 *   llm-opt dir/gpt2_block.onnx --llm-cpu-pipeline="threads=1" \
 *       --emit=shared -o libblock.so
 *   cc -O2 benchmarks/block_calls.c -ldl -o block_calls
 *   ./block_calls ./libblock.so CALLS SEQ [MODE]
 *
 * MODE (bits): 1 = mallopt(M_TRIM_THRESHOLD, 1 GiB), 2 =
 * mallopt(M_MMAP_THRESHOLD, 1 GiB); 3 = both, the advice of docs/cpu.md.
 * One warm-up call, then CALLS timed calls on an input [1, SEQ, 768].
 * Prints the median and minimum wall time, and per call the process CPU
 * time (CLOCK_PROCESS_CPUTIME_ID, all threads), minor faults and system
 * time (getrusage): on a loaded machine compare CPU time and faults. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>
/* The memref descriptor of an f32 rank-3 tensor (docs/cpu.md, The C ABI). */
typedef struct {
  float *a, *d;
  int64_t off, sz[3], st[3];
} M3;
typedef void (*F)(M3 *, M3 *);
static double now(clockid_t c) {
  struct timespec t;
  clock_gettime(c, &t);
  return t.tv_sec * 1e3 + t.tv_nsec * 1e-6;
}
static int cmp(const void *a, const void *b) {
  double x = *(double *)a, y = *(double *)b;
  return x < y ? -1 : x > y;
}
int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: %s LIB.so CALLS SEQ [MODE]\n", argv[0]);
    return 2;
  }
  void *h = dlopen(argv[1], RTLD_NOW);
  if (!h) {
    fprintf(stderr, "%s\n", dlerror());
    return 1;
  }
  F f = (F)dlsym(h, "_mlir_ciface_main");
  if (!f) {
    fprintf(stderr, "no _mlir_ciface_main in %s\n", argv[1]);
    return 1;
  }
  int n = atoi(argv[2]);
  int S = atoi(argv[3]);
  int mode = argc > 4 ? atoi(argv[4]) : 0;
  if (mode & 1)
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
  if (mode & 2)
    mallopt(M_MMAP_THRESHOLD, 1 << 30);
  float *buf = malloc((size_t)S * 768 * 4);
  for (int i = 0; i < S * 768; i++)
    buf[i] = (i % 97) * 0.01f;
  M3 x = {buf, buf, 0, {1, S, 768}, {S * 768, 768, 1}};
  double *w = malloc(n * sizeof(double));
  M3 r;
  f(&r, &x);
  free(r.a);
  struct rusage r0, r1;
  getrusage(RUSAGE_SELF, &r0);
  double c0 = now(CLOCK_PROCESS_CPUTIME_ID);
  for (int i = 0; i < n; i++) {
    double t0 = now(CLOCK_MONOTONIC);
    f(&r, &x);
    w[i] = now(CLOCK_MONOTONIC) - t0;
    free(r.a);
  }
  double c1 = now(CLOCK_PROCESS_CPUTIME_ID);
  getrusage(RUSAGE_SELF, &r1);
  qsort(w, n, sizeof(double), cmp);
  printf("%s: median %.2f ms min %.2f ms, cpu/call %.2f ms, minflt/call %.1f, "
         "sys/call %.2f ms\n",
         argv[1], w[n / 2], w[0], (c1 - c0) / n,
         (double)(r1.ru_minflt - r0.ru_minflt) / n,
         ((r1.ru_stime.tv_sec - r0.ru_stime.tv_sec) * 1e3 +
          (r1.ru_stime.tv_usec - r0.ru_stime.tv_usec) * 1e-3) /
             n);
  return 0;
}
