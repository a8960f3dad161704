/* Calls our CUDA runtime's C API directly (on the fake driver): buffer
 * reuse by size, copies, constant globals copied once, module and function
 * lookup, empty grids, one stream per thread (created once, reused, not
 * destroyed by mgpuStreamDestroy), buffers freed while kernels are queued
 * reused only by the thread that queued them until it synchronizes, copies
 * on the stream (cuMemcpyAsync), error
 * recording and clearing, the cache release. */
#include "llm/Runtime/CUDA/CUDARuntime.h"

#include <stdio.h>
#include <string.h>

int main(void) {
  printf("error before init: %s\n", llmCudaGetError() ? "yes" : "none");
  printf("init: %d, device: %s\n", llmCudaInit(), llmCudaDeviceName());

  char *a = mgpuMemAlloc(1000, NULL, true);
  memset(a, 7, 1000);
  mgpuMemFree(a, NULL);
  char *b = mgpuMemAlloc(1000, NULL, false);
  char *c = mgpuMemAlloc(999, NULL, true);
  printf("same size reused: %s, other size new: %s\n", a == b ? "yes" : "no",
         c != a ? "yes" : "no");
  char text[] = "copied through cuMemcpy";
  mgpuMemcpy(c, text, sizeof(text), NULL);
  printf("memcpy: %s\n", c);

  static const float weights[4] = {1, 2, 3, 4};
  float *g1 = llmCudaGlobal(weights, sizeof(weights));
  float *g2 = llmCudaGlobal(weights, sizeof(weights));
  printf("global: copy %s, once %s, values %g %g %g %g\n",
         (const void *)g1 != (const void *)weights ? "yes" : "no",
         g1 == g2 ? "yes" : "no", g1[0], g1[1], g1[2], g1[3]);

  static char ptx[] = ".version 8.0\n.target sm_90\n.visible .entry foo(\n)\n{ ret; }\n";
  void *module = mgpuModuleLoadJIT(ptx, 3);
  void *foo = mgpuModuleGetFunction(module, "foo");
  printf("module: %s, foo: %s, error: %s\n", module ? "loaded" : "none",
         foo ? "found" : "missing", llmCudaGetError() ? llmCudaGetError() : "none");
  void *stream = mgpuStreamCreate();
  void *again = mgpuStreamCreate();
  mgpuLaunchKernel(foo, 0, 1, 1, 32, 1, 1, 0, stream, NULL, NULL, 0);
  mgpuLaunchKernel(foo, 2, 1, 1, 32, 1, 1, 0, again, NULL, NULL, 0);
  char *queued = mgpuMemAlloc(500, NULL, true);
  mgpuMemFree(queued, NULL); /* the kernels may still use it */
  char *reused = mgpuMemAlloc(500, NULL, true);
  mgpuMemFree(reused, NULL);
  mgpuStreamDestroy(again);
  mgpuStreamSynchronize(stream);
  mgpuStreamDestroy(stream);
  void *third = mgpuStreamCreate();
  printf("stream: one per thread %s, queued free reused in order %s\n",
         stream && stream == again && again == third ? "yes" : "no",
         reused == queued ? "yes" : "no");
  /* A copy on the thread's stream is stream-ordered (cuMemcpyAsync, in the
   * log), done when the stream is synchronized. */
  char *src = mgpuMemAlloc(300, NULL, true);
  char *dst = mgpuMemAlloc(300, NULL, true);
  strcpy(src, "copied on the stream");
  mgpuMemcpy(dst, src, 300, third);
  mgpuMemFree(src, NULL);
  mgpuStreamSynchronize(third);
  printf("stream copy: %s\n", dst);
  mgpuMemFree(dst, NULL);
  void *bar = mgpuModuleGetFunction(module, "bar");
  printf("bar: %s, error: %s\n", bar ? "found" : "missing",
         llmCudaGetError() ? llmCudaGetError() : "none");
  llmCudaClearError();

  int local;
  mgpuMemFree(&local, NULL);
  printf("bad free: %s\n", llmCudaGetError() ? llmCudaGetError() : "none");
  llmCudaClearError();

  mgpuMemFree(b, NULL);
  mgpuMemFree(c, NULL);
  printf("released: %llu bytes\n", (unsigned long long)llmCudaReleaseCache());
  mgpuModuleUnload(module);
  printf("error at the end: %s\n", llmCudaGetError() ? llmCudaGetError() : "none");
  return 0;
}
