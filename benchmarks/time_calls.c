/* time_calls.c: times calls of compiled models from C, the way an embedding
 * program calls them, for before/after comparisons on a loaded machine
 * (docs/benchmarks.md) and for the memory-per-call figures of docs/cpu.md.
 *
 *   cc -O2 benchmarks/time_calls.c -ldl -o time_calls
 *   ./time_calls [--calls N] [--warmup W] [--malloc MODE] [--gemm-n N]
 *                DIMS LIB...
 *
 * Each LIB is a shared library from `llm-opt ... --emit=shared` whose
 * `_mlir_ciface_main` (docs/cpu.md, "The C ABI") takes one f32 input of the
 * shape DIMS (comma-separated, rank 1-4, e.g. 1,128,768) and returns one
 * result, whose buffer is freed after every call; or the word `blas`:
 * OpenBLAS's cblas_sgemm (libopenblas.so.0, loaded at run time; set
 * OPENBLAS_NUM_THREADS=1 OPENBLAS_CORETYPE=SKYLAKEX) computing the input
 * A [M, K] (DIMS = M,K) times a B [K, N], for a model that is that GEMM.
 *
 * Every library gets W warm-up calls (default 1), then N timed calls
 * (default 20) that alternate library by library, so that the load of other
 * jobs falls on all of them alike. Printed per library: the median and
 * minimum of the calling thread's CPU time (CLOCK_THREAD_CPUTIME_ID: the
 * call's page faults count, other processes do not; one thread only) and of
 * the wall time, and per call the process CPU time (all threads), minor
 * page faults and system time (getrusage). With --gemm-n N (the model is
 * [M, K] x [K, N]) also the GFLOP/s, 2 M N K over the median times.
 *
 * --malloc MODE (bits): 1 = mallopt(M_TRIM_THRESHOLD, 1 GiB), 2 =
 * mallopt(M_MMAP_THRESHOLD, 1 GiB); 3 = both, the advice of docs/cpu.md
 * ("Memory per call").
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

enum { kMaxRank = 4, kMaxResultRank = 8 };

/* A memref descriptor of rank up to kMaxRank (input) or kMaxResultRank
 * (result): allocated, aligned, offset, sizes, strides. */
typedef struct {
  float *allocated, *aligned;
  int64_t rest[1 + 2 * kMaxResultRank];
} MemRef;
typedef void (*MainFn)(MemRef *result, MemRef *input);
typedef void (*SgemmFn)(int order, int transA, int transB, int m, int n,
                        int k, float alpha, const float *a, int lda,
                        const float *b, int ldb, float beta, float *c,
                        int ldc);

/* One library being timed and its measurements. */
typedef struct {
  const char *name;
  MainFn fn;           /* NULL for blas */
  double *cpu, *wall;  /* per timed call, ms */
  double processCpu, sys; /* summed over the timed calls, ms */
  long minorFaults;
} Lib;

static double ms(clockid_t clock) {
  struct timespec t;
  clock_gettime(clock, &t);
  return t.tv_sec * 1e3 + t.tv_nsec * 1e-6;
}

static double tvMs(struct timeval t) { return t.tv_sec * 1e3 + t.tv_usec * 1e-3; }

static int compare(const void *x, const void *y) {
  double a = *(const double *)x, b = *(const double *)y;
  return a < b ? -1 : a > b;
}

static int usage(const char *argv0) {
  fprintf(stderr,
          "usage: %s [--calls N] [--warmup W] [--malloc MODE] [--gemm-n N] "
          "DIMS LIB.so|blas...\n",
          argv0);
  return 2;
}

int main(int argc, char **argv) {
  int calls = 20, warmup = 1, mallocMode = 0;
  long gemmN = 0;
  int arg = 1;
  for (; arg + 1 < argc && strncmp(argv[arg], "--", 2) == 0; arg += 2) {
    if (!strcmp(argv[arg], "--calls"))
      calls = atoi(argv[arg + 1]);
    else if (!strcmp(argv[arg], "--warmup"))
      warmup = atoi(argv[arg + 1]);
    else if (!strcmp(argv[arg], "--malloc"))
      mallocMode = atoi(argv[arg + 1]);
    else if (!strcmp(argv[arg], "--gemm-n"))
      gemmN = atol(argv[arg + 1]);
    else
      return usage(argv[0]);
  }
  if (argc - arg < 2)
    return usage(argv[0]);
  if (calls < 1 || warmup < 0 || gemmN < 0) {
    fprintf(stderr, "--calls must be positive, --warmup and --gemm-n not "
                    "negative\n");
    return 2;
  }

  /* The input's shape. */
  int64_t dims[kMaxRank];
  int rank = 0;
  size_t elems = 1;
  for (char *p = strtok(argv[arg], ","); p; p = strtok(NULL, ",")) {
    if (rank == kMaxRank || atoll(p) < 1) {
      fprintf(stderr, "DIMS: 1 to %d positive sizes\n", kMaxRank);
      return 2;
    }
    dims[rank++] = atoll(p);
    elems *= (size_t)dims[rank - 1];
  }
  if (rank == 0) {
    fprintf(stderr, "DIMS: 1 to %d positive sizes\n", kMaxRank);
    return 2;
  }
  ++arg;

  /* The libraries. */
  int libs = argc - arg;
  Lib *lib = calloc(libs, sizeof(Lib));
  SgemmFn sgemm = NULL;
  for (int l = 0; l < libs; l++) {
    lib[l].name = argv[arg + l];
    lib[l].cpu = malloc(calls * sizeof(double));
    lib[l].wall = malloc(calls * sizeof(double));
    if (!strcmp(lib[l].name, "blas")) {
      if (rank != 2 || gemmN == 0) {
        fprintf(stderr, "blas needs DIMS = M,K and --gemm-n N\n");
        return 2;
      }
      void *h = dlopen("libopenblas.so.0", RTLD_NOW | RTLD_LOCAL);
      if (!h || !(sgemm = (SgemmFn)dlsym(h, "cblas_sgemm"))) {
        fprintf(stderr, "libopenblas.so.0: %s\n", dlerror());
        return 1;
      }
      continue;
    }
    void *h = dlopen(lib[l].name, RTLD_NOW | RTLD_LOCAL);
    if (!h || !(lib[l].fn = (MainFn)dlsym(h, "_mlir_ciface_main"))) {
      fprintf(stderr, "%s: %s\n", lib[l].name, dlerror());
      return 1;
    }
  }
  if (gemmN && rank != 2) {
    fprintf(stderr, "--gemm-n needs DIMS = M,K\n");
    return 2;
  }
  if (mallocMode & 1)
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
  if (mallocMode & 2)
    mallopt(M_MMAP_THRESHOLD, 1 << 30);

  /* The input, row-major, and for blas B [K, N] and C [M, N]. */
  float *input = aligned_alloc(64, (elems * 4 + 63) / 64 * 64);
  for (size_t i = 0; i < elems; i++)
    input[i] = (i % 97) * 0.01f - 0.5f;
  MemRef x = {input, input, {0}};
  int64_t stride = 1;
  for (int d = rank - 1; d >= 0; d--) {
    x.rest[1 + d] = dims[d];
    x.rest[1 + rank + d] = stride;
    stride *= dims[d];
  }
  float *b = NULL, *c = NULL;
  if (sgemm) {
    b = aligned_alloc(64, ((size_t)dims[1] * gemmN * 4 + 63) / 64 * 64);
    c = aligned_alloc(64, ((size_t)dims[0] * gemmN * 4 + 63) / 64 * 64);
    for (long i = 0; i < dims[1] * gemmN; i++)
      b[i] = ((i * 13) % 89) * 0.01f - 0.4f;
  }

  for (int i = -warmup; i < calls; i++)
    for (int l = 0; l < libs; l++) {
      struct rusage r0, r1;
      getrusage(RUSAGE_SELF, &r0);
      double p0 = ms(CLOCK_PROCESS_CPUTIME_ID);
      double c0 = ms(CLOCK_THREAD_CPUTIME_ID), w0 = ms(CLOCK_MONOTONIC);
      if (lib[l].fn) {
        MemRef result;
        lib[l].fn(&result, &x);
        free(result.allocated);
      } else {
        /* CblasRowMajor = 101, CblasNoTrans = 111. */
        sgemm(101, 111, 111, dims[0], gemmN, dims[1], 1.0f, input, dims[1],
              b, gemmN, 0.0f, c, gemmN);
      }
      double c1 = ms(CLOCK_THREAD_CPUTIME_ID), w1 = ms(CLOCK_MONOTONIC);
      double p1 = ms(CLOCK_PROCESS_CPUTIME_ID);
      getrusage(RUSAGE_SELF, &r1);
      if (i < 0)
        continue;
      lib[l].cpu[i] = c1 - c0;
      lib[l].wall[i] = w1 - w0;
      lib[l].processCpu += p1 - p0;
      lib[l].minorFaults += r1.ru_minflt - r0.ru_minflt;
      lib[l].sys += tvMs(r1.ru_stime) - tvMs(r0.ru_stime);
    }

  double flop = gemmN ? 2.0 * dims[0] * dims[1] * gemmN : 0;
  for (int l = 0; l < libs; l++) {
    Lib *t = &lib[l];
    qsort(t->cpu, calls, sizeof(double), compare);
    qsort(t->wall, calls, sizeof(double), compare);
    double cpu = t->cpu[calls / 2], wall = t->wall[calls / 2];
    printf("%s: %d calls; thread CPU median %.3f ms (min %.3f); wall median "
           "%.3f ms (min %.3f); per call: process CPU %.3f ms, minor faults "
           "%.1f, sys %.3f ms",
           t->name, calls, cpu, t->cpu[0], wall, t->wall[0],
           t->processCpu / calls, (double)t->minorFaults / calls,
           t->sys / calls);
    if (flop)
      printf("; GFLOP/s %.1f (thread CPU) %.1f (wall)", flop / cpu / 1e6,
             flop / wall / 1e6);
    printf("\n");
  }
  return 0;
}
