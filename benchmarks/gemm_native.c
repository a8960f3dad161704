/* Native baselines of benchmarks/gemm.py, compiled by it with clang at run
 * time:
 *
 *   gemm_native peak THREADS            the f32 FMA peak of this machine:
 *                                       24 independent 512-bit (or 256-bit
 *                                       without AVX-512) FMA chains per
 *                                       thread; prints GFLOP/s
 *   gemm_native dnnl M N K REPS         oneDNN's dnnl_sgemm (row-major,
 *                                       C = A B), threads from
 *                                       OMP_NUM_THREADS; prints the median
 *                                       and the minimum milliseconds of REPS
 *                                       calls after one warm-up call
 *   gemm_native dnnl-u8s8 M N K REPS    the same for oneDNN's
 *                                       dnnl_gemm_u8s8s32 (int8 baseline of
 *                                       benchmarks/int8_gemm.py)
 *   gemm_native read THREADS REPS       the read-only memory bandwidth: THREADS
 *                                       threads sum their shares of a 512 MiB
 *                                       f32 array (2 MiB-aligned, advised
 *                                       MADV_HUGEPAGE like the JIT's weights,
 *                                       4 vector accumulators each); prints
 *                                       the median and the best GB/s (bytes
 *                                       read / time) of REPS passes
 */
#include <immintrin.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include <oneapi/dnnl/dnnl.h>

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

#ifdef __AVX512F__
typedef __m512 vec;
#define LANES 16
#define SET1 _mm512_set1_ps
#define FMA _mm512_fmadd_ps
#define REDUCE(v) _mm512_reduce_add_ps(v)
#else
typedef __m256 vec;
#define LANES 8
#define SET1 _mm256_set1_ps
#define FMA _mm256_fmadd_ps
static float REDUCE(__m256 v) {
  float out[8];
  _mm256_storeu_ps(out, v);
  float s = 0;
  for (int i = 0; i < 8; ++i)
    s += out[i];
  return s;
}
#endif

/* Short bursts (~1 ms), best of many: on a shared machine a long run
 * measures the scheduler, not the FMA units. */
#define ITERS 100000L
#define ROUNDS 200

static void *peakThread(void *result) {
  vec acc[24];
#pragma clang loop unroll(full)
  for (int i = 0; i < 24; ++i)
    acc[i] = SET1(0.001f * i);
  vec x = SET1(0.999999f), y = SET1(1e-7f);
  for (long it = 0; it < ITERS; ++it) {
#pragma clang loop unroll(full)
    for (int i = 0; i < 24; ++i)
      acc[i] = FMA(acc[i], x, y);
  }
  float sum = 0;
#pragma clang loop unroll(full)
  for (int i = 0; i < 24; ++i)
    sum += REDUCE(acc[i]);
  *(float *)result = sum;
  return NULL;
}

static int peak(int threads) {
  pthread_t ids[64];
  float sums[64];
  if (threads < 1 || threads > 64)
    return 1;
  double best = 0;
  for (int round = 0; round < ROUNDS; ++round) {
    double start = now();
    for (int t = 0; t < threads; ++t)
      pthread_create(&ids[t], NULL, peakThread, &sums[t]);
    for (int t = 0; t < threads; ++t)
      pthread_join(ids[t], NULL);
    double seconds = now() - start;
    double gflops = 2.0 * 24 * LANES * ITERS * threads / seconds * 1e-9;
    if (gflops > best)
      best = gflops;
  }
  printf("%.1f\n", best);
  return 0;
}

static int compareDouble(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static int dnnl(long m, long n, long k, int reps) {
  float *a = malloc(sizeof(float) * m * k);
  float *b = malloc(sizeof(float) * k * n);
  float *c = malloc(sizeof(float) * m * n);
  double *times = malloc(sizeof(double) * reps);
  for (long i = 0; i < m * k; ++i)
    a[i] = (float)((i % 13) - 6) * 0.01f;
  for (long i = 0; i < k * n; ++i)
    b[i] = (float)((i % 7) - 3) * 0.01f;
  if (dnnl_sgemm('N', 'N', m, n, k, 1.0f, a, k, b, n, 0.0f, c, n) !=
      dnnl_success) {
    fprintf(stderr, "dnnl_sgemm failed\n");
    return 1;
  }
  for (int r = 0; r < reps; ++r) {
    double start = now();
    dnnl_sgemm('N', 'N', m, n, k, 1.0f, a, k, b, n, 0.0f, c, n);
    times[r] = (now() - start) * 1e3;
  }
  qsort(times, reps, sizeof(double), compareDouble);
  printf("%.6f %.6f\n", times[reps / 2], times[0]);
  free(a);
  free(b);
  free(c);
  free(times);
  return 0;
}

/* oneDNN's int8 GEMM (u8 x s8 -> s32, zero offsets), timed like dnnl():
 * benchmarks/int8_gemm.py's baseline. */
static int dnnlU8S8(long m, long n, long k, int reps) {
  uint8_t *a = malloc(m * k);
  int8_t *b = malloc(k * n);
  int32_t *c = malloc(sizeof(int32_t) * m * n);
  int32_t co = 0;
  double *times = malloc(sizeof(double) * reps);
  for (long i = 0; i < m * k; ++i)
    a[i] = (uint8_t)(i * 7 % 251);
  for (long i = 0; i < k * n; ++i)
    b[i] = (int8_t)(i * 13 % 255 - 127);
  if (dnnl_gemm_u8s8s32('N', 'N', 'F', m, n, k, 1.0f, a, k, 0, b, n, 0, 0.0f,
                        c, n, &co) != dnnl_success) {
    fprintf(stderr, "dnnl_gemm_u8s8s32 failed\n");
    return 1;
  }
  for (int r = 0; r < reps; ++r) {
    double start = now();
    dnnl_gemm_u8s8s32('N', 'N', 'F', m, n, k, 1.0f, a, k, 0, b, n, 0, 0.0f, c,
                      n, &co);
    times[r] = (now() - start) * 1e3;
  }
  qsort(times, reps, sizeof(double), compareDouble);
  printf("%.6f\n", times[reps / 2]);
  free(a);
  free(b);
  free(c);
  free(times);
  return 0;
}

/* One thread's share of the read-bandwidth pass. */
struct ReadShare {
  const float *data;
  size_t count;
  float sum;
};

static void *readThread(void *arg) {
  struct ReadShare *share = arg;
  vec s0 = SET1(0), s1 = s0, s2 = s0, s3 = s0;
  for (size_t i = 0; i + 4 * LANES <= share->count; i += 4 * LANES) {
#ifdef __AVX512F__
    s0 = _mm512_add_ps(s0, _mm512_load_ps(share->data + i));
    s1 = _mm512_add_ps(s1, _mm512_load_ps(share->data + i + LANES));
    s2 = _mm512_add_ps(s2, _mm512_load_ps(share->data + i + 2 * LANES));
    s3 = _mm512_add_ps(s3, _mm512_load_ps(share->data + i + 3 * LANES));
#else
    s0 = _mm256_add_ps(s0, _mm256_load_ps(share->data + i));
    s1 = _mm256_add_ps(s1, _mm256_load_ps(share->data + i + LANES));
    s2 = _mm256_add_ps(s2, _mm256_load_ps(share->data + i + 2 * LANES));
    s3 = _mm256_add_ps(s3, _mm256_load_ps(share->data + i + 3 * LANES));
#endif
  }
  share->sum = REDUCE(s0) + REDUCE(s1) + REDUCE(s2) + REDUCE(s3);
  return NULL;
}

static volatile float readSink;

static int readBandwidth(int threads, int reps) {
  const size_t bytes = (size_t)512 << 20, huge = (size_t)2 << 20;
  if (threads < 1 || threads > 64 || reps < 1)
    return 1;
  char *raw = mmap(NULL, bytes + huge, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED)
    return 1;
  float *data = (float *)(((uintptr_t)raw + huge - 1) & ~(uintptr_t)(huge - 1));
  madvise(data, bytes, MADV_HUGEPAGE);
  size_t count = bytes / sizeof(float);
  for (size_t i = 0; i < count; ++i)
    data[i] = 1.0f;
  pthread_t ids[64];
  struct ReadShare shares[64];
  double *rates = malloc(sizeof(double) * reps);
  size_t chunk = count / threads / (4 * LANES) * (4 * LANES);
  float total = 0;
  for (int rep = -1; rep < reps; ++rep) {
    double start = now();
    for (int t = 0; t < threads; ++t) {
      shares[t] = (struct ReadShare){data + t * chunk, chunk, 0};
      pthread_create(&ids[t], NULL, readThread, &shares[t]);
    }
    for (int t = 0; t < threads; ++t) {
      pthread_join(ids[t], NULL);
      total += shares[t].sum;
    }
    if (rep >= 0)
      rates[rep] = chunk * threads * sizeof(float) / (now() - start) * 1e-9;
  }
  qsort(rates, reps, sizeof(double), compareDouble);
  readSink = total; /* keeps the loads */
  printf("%.2f %.2f\n", rates[reps / 2], rates[reps - 1]);
  free(rates);
  munmap(raw, bytes + huge);
  return 0;
}

int main(int argc, char **argv) {
  if (argc == 4 && !strcmp(argv[1], "read"))
    return readBandwidth(atoi(argv[2]), atoi(argv[3]));
  if (argc == 3 && !strcmp(argv[1], "peak"))
    return peak(atoi(argv[2]));
  if (argc == 6 && !strcmp(argv[1], "dnnl"))
    return dnnl(atol(argv[2]), atol(argv[3]), atol(argv[4]), atoi(argv[5]));
  if (argc == 6 && !strcmp(argv[1], "dnnl-u8s8"))
    return dnnlU8S8(atol(argv[2]), atol(argv[3]), atol(argv[4]),
                    atoi(argv[5]));
  fprintf(stderr, "usage: gemm_native peak THREADS | dnnl M N K REPS | "
                  "dnnl-u8s8 M N K REPS | read THREADS REPS\n");
  return 2;
}
