/* A stand-in for the CUDA driver (libcuda.so.1) for the tests of our CUDA
 * runtime on machines without a GPU. Built by the lit tests only. It runs
 * no kernels: memory is host memory, modules are the PTX text, a function
 * exists if the PTX has `.entry NAME(`, launches are logged.
 *   FAKE_CUDA_INIT_RESULT=N    cuInit returns N (e.g. 100 CUDA_ERROR_NO_DEVICE)
 *   FAKE_CUDA_DEVICE_COUNT=N   devices (default 1)
 *   FAKE_CUDA_LAUNCH_RESULT=N  cuLaunchKernel returns N
 *   FAKE_CUDA_LOG=FILE         appends one line per module load, launch,
 *                              stream create/sync/destroy and stream-ordered
 *                              copy (cuMemcpyAsync)
 * Built with -DFAKE_CUDA_NO_LAUNCH it lacks cuLaunchKernel (an old driver). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef int CUresult;
typedef unsigned long long CUdeviceptr;

static int envInt(const char *name, int fallback) {
  const char *v = getenv(name);
  return v && *v ? atoi(v) : fallback;
}

static void logLine(const char *fmt, const char *s, const long long *v, int n) {
  const char *path = getenv("FAKE_CUDA_LOG");
  if (!path || !*path)
    return;
  FILE *f = fopen(path, "a");
  if (!f)
    return;
  fprintf(f, fmt, s);
  for (int i = 0; i < n; ++i)
    fprintf(f, " %lld", v[i]);
  fprintf(f, "\n");
  fclose(f);
}

CUresult cuInit(unsigned flags) { (void)flags; return envInt("FAKE_CUDA_INIT_RESULT", 0); }
CUresult cuDriverGetVersion(int *v) { *v = 13000; return 0; }

static const char *errorName(CUresult e) {
  switch (e) {
  case 0: return "CUDA_SUCCESS";
  case 35: return "CUDA_ERROR_INSUFFICIENT_DRIVER";
  case 100: return "CUDA_ERROR_NO_DEVICE";
  case 500: return "CUDA_ERROR_NOT_FOUND";
  case 700: return "CUDA_ERROR_ILLEGAL_ADDRESS";
  default: return NULL;
  }
}
static const char *errorString(CUresult e) {
  switch (e) {
  case 0: return "no error";
  case 35: return "CUDA driver version is insufficient for CUDA runtime version";
  case 100: return "no CUDA-capable device is detected";
  case 500: return "named symbol not found";
  case 700: return "an illegal memory access was encountered";
  default: return NULL;
  }
}
CUresult cuGetErrorName(CUresult e, const char **s) { *s = errorName(e); return *s ? 0 : 1; }
CUresult cuGetErrorString(CUresult e, const char **s) { *s = errorString(e); return *s ? 0 : 1; }
CUresult cuDeviceGetCount(int *n) { *n = envInt("FAKE_CUDA_DEVICE_COUNT", 1); return 0; }
CUresult cuDeviceGet(int *d, int i) { *d = i; return 0; }
CUresult cuDeviceGetName(char *name, int len, int d) {
  (void)d;
  snprintf(name, (size_t)len, "Fake GPU");
  return 0;
}
CUresult cuDeviceGetAttribute(int *v, int attr, int d) {
  (void)d;
  *v = attr == 75 ? 9 : 0;
  return 0;
}
CUresult cuDevicePrimaryCtxRetain(void **ctx, int d) { (void)d; *ctx = (void *)0x1; return 0; }
CUresult cuCtxSetCurrent(void *ctx) { (void)ctx; return 0; }
CUresult cuCtxSynchronize(void) { return 0; }

static CUresult loadModule(void **module, const void *image) {
  const char *ptx = (const char *)image;
  int entries = 0;
  for (const char *p = strstr(ptx, ".entry "); p; p = strstr(p + 1, ".entry "))
    ++entries;
  *module = strdup(ptx);
  long long n = entries;
  logLine("load kernels:", "", &n, 1);
  return 0;
}
CUresult cuModuleLoadData(void **module, const void *image) { return loadModule(module, image); }
CUresult cuModuleLoadDataEx(void **module, const void *image, unsigned n, int *o, void **v) {
  (void)n; (void)o; (void)v;
  return loadModule(module, image);
}
CUresult cuModuleUnload(void *module) { free(module); return 0; }
CUresult cuModuleGetFunction(void **function, void *module, const char *name) {
  char pattern[512];
  snprintf(pattern, sizeof(pattern), ".entry %s(", name);
  if (!strstr((const char *)module, pattern))
    return 500;
  /* Function handles live as long as the process (as the driver's live as
     long as their module): one interned copy per name. */
  static char names[256][128];
  static int count;
  for (int i = 0; i < count; ++i)
    if (strcmp(names[i], name) == 0) {
      *function = names[i];
      return 0;
    }
  if (count == 256 || strlen(name) >= sizeof(names[0]))
    return 1;
  strcpy(names[count], name);
  *function = names[count++];
  return 0;
}
#ifndef FAKE_CUDA_NO_LAUNCH
CUresult cuLaunchKernel(void *f, unsigned gx, unsigned gy, unsigned gz, unsigned bx,
                        unsigned by, unsigned bz, unsigned smem, void *stream,
                        void **params, void **extra) {
  (void)smem; (void)stream; (void)params; (void)extra;
  long long dims[6] = {gx, gy, gz, bx, by, bz};
  logLine("launch %s", (const char *)f, dims, 6);
  return envInt("FAKE_CUDA_LAUNCH_RESULT", 0);
}
#endif
CUresult cuStreamCreate(void **s, unsigned flags) {
  (void)flags;
  *s = malloc(1);
  logLine("stream %s", "create", NULL, 0);
  return 0;
}
CUresult cuStreamDestroy_v2(void *s) {
  free(s);
  logLine("stream %s", "destroy", NULL, 0);
  return 0;
}
CUresult cuStreamSynchronize(void *s) {
  (void)s;
  logLine("stream %s", "sync", NULL, 0);
  return 0;
}
CUresult cuStreamWaitEvent(void *s, void *e, unsigned f) { (void)s; (void)e; (void)f; return 0; }
CUresult cuEventCreate(void **e, unsigned f) { (void)f; *e = malloc(1); return 0; }
CUresult cuEventDestroy_v2(void *e) { free(e); return 0; }
CUresult cuEventRecord(void *e, void *s) { (void)e; (void)s; return 0; }
CUresult cuEventSynchronize(void *e) { (void)e; return 0; }
CUresult cuMemAllocManaged(CUdeviceptr *p, size_t size, unsigned flags) {
  (void)flags;
  *p = (CUdeviceptr)(size_t)calloc(1, size);
  return 0;
}
CUresult cuMemFree_v2(CUdeviceptr p) { free((void *)(size_t)p); return 0; }
CUresult cuMemcpy(CUdeviceptr d, CUdeviceptr s, size_t n) {
  memmove((void *)(size_t)d, (const void *)(size_t)s, n);
  return 0;
}
CUresult cuMemcpyAsync(CUdeviceptr d, CUdeviceptr s, size_t n, void *stream) {
  long long bytes = (long long)n;
  (void)stream;
  memmove((void *)(size_t)d, (const void *)(size_t)s, n);
  logLine("memcpy %s", "async", &bytes, 1);
  return 0;
}
CUresult cuMemsetD32_v2(CUdeviceptr d, unsigned v, size_t n) {
  for (size_t i = 0; i < n; ++i)
    ((unsigned *)(size_t)d)[i] = v;
  return 0;
}
CUresult cuMemsetD16_v2(CUdeviceptr d, unsigned short v, size_t n) {
  for (size_t i = 0; i < n; ++i)
    ((unsigned short *)(size_t)d)[i] = v;
  return 0;
}
