/*===- CUDARuntime.h - our CUDA runtime (C ABI) ------------------*- C -*-===//
//
// libLLMCUDARuntime.so: the host side of the NVPTX target, over the CUDA
// driver API, which it loads at run time with dlopen("libcuda.so.1") (or the
// library named by $LLM_CUDA_DRIVER): building it needs nothing from CUDA,
// and it has no LLVM or MLIR dependency (libc, libdl; libstdc++ linked in).
//
// It implements the `mgpu*` functions that MLIR's host-side GPU lowering
// (gpu-to-llvm, and the gpu.binary / gpu.launch_func translation to LLVM IR)
// calls, so host code compiled by the NVPTX pipeline links against it
// unchanged, plus a few functions of ours (`llmCuda*`).
//
// Memory: every buffer the host code allocates (mgpuMemAlloc) is CUDA
// managed memory, so the host code's own loops and copies and the kernels
// see the same addresses; freed buffers are kept for reuse per size (their
// pages stay where the kernels last touched them). Constant globals (model
// weights) are copied once to managed memory (llmCudaGlobal).
//
// Errors never crash: the first error (no driver, a missing driver symbol,
// cuInit failing, no device, a failing CUDA call) is recorded with a
// message naming the call and CUDA's error name and string, later launches
// are skipped and allocations fall back to host memory; llmCudaGetError()
// returns it. Callers check it after loading a model and after each call.
//
//===----------------------------------------------------------------------===*/

#ifndef LLM_RUNTIME_CUDA_CUDARUNTIME_H
#define LLM_RUNTIME_CUDA_CUDARUNTIME_H

#include <stddef.h>
#include <stdint.h>
#ifndef __cplusplus
#include <stdbool.h>
#endif

#ifdef __cplusplus
extern "C" {
#endif

#define LLM_CUDA_API __attribute__((visibility("default")))

/// What llmCudaInit returns.
enum LLMCudaStatus {
  LLM_CUDA_OK = 0,
  /// dlopen of the driver library failed.
  LLM_CUDA_NO_DRIVER = 1,
  /// The driver library lacks a function the runtime needs.
  LLM_CUDA_MISSING_SYMBOL = 2,
  /// cuInit failed (e.g. CUDA_ERROR_NO_DEVICE, CUDA_ERROR_INSUFFICIENT_DRIVER).
  LLM_CUDA_INIT_FAILED = 3,
  /// cuDeviceGetCount reports no device, or the device asked for
  /// ($LLM_CUDA_DEVICE) does not exist.
  LLM_CUDA_NO_DEVICE = 4,
  /// The device's primary context could not be retained or made current.
  LLM_CUDA_NO_CONTEXT = 5,
};

/// Loads the driver, initializes it and makes device $LLM_CUDA_DEVICE
/// (default 0) current, once per process; later calls return the first
/// call's status. On failure llmCudaGetError() says why.
LLM_CUDA_API int llmCudaInit(void);

/// The first error recorded since the last llmCudaClearError, or NULL.
LLM_CUDA_API const char *llmCudaGetError(void);

/// Forgets the recorded error (a failed initialization is not retried).
LLM_CUDA_API void llmCudaClearError(void);

/// "NAME (sm_XY, driver A.B)" of the device in use, or "" before a
/// successful llmCudaInit.
LLM_CUDA_API const char *llmCudaDeviceName(void);

/// The managed-memory copy of `size` bytes of constant host data (a
/// model's weights), made on the first call for `hostData` and reused.
LLM_CUDA_API void *llmCudaGlobal(const void *hostData, uint64_t size);

/// Frees every cached (freed, kept for reuse) buffer and every constant
/// copy; no model call may be running or run later with the constants.
/// Returns the bytes of cached buffers released.
LLM_CUDA_API uint64_t llmCudaReleaseCache(void);

/* The mgpu* ABI of MLIR's GPU host lowering (CUDA types as opaque
   pointers). */
LLM_CUDA_API void *mgpuModuleLoad(void *data, size_t size);
LLM_CUDA_API void *mgpuModuleLoadJIT(void *data, int optLevel);
LLM_CUDA_API void mgpuModuleUnload(void *module);
LLM_CUDA_API void *mgpuModuleGetFunction(void *module, const char *name);
LLM_CUDA_API void mgpuLaunchKernel(void *function, intptr_t gridX, intptr_t gridY,
                      intptr_t gridZ, intptr_t blockX, intptr_t blockY,
                      intptr_t blockZ, int32_t smem, void *stream,
                      void **params, void **extra, size_t paramsCount);
LLM_CUDA_API void *mgpuStreamCreate(void);
LLM_CUDA_API void mgpuStreamDestroy(void *stream);
LLM_CUDA_API void mgpuStreamSynchronize(void *stream);
LLM_CUDA_API void mgpuStreamWaitEvent(void *stream, void *event);
LLM_CUDA_API void *mgpuEventCreate(void);
LLM_CUDA_API void mgpuEventDestroy(void *event);
LLM_CUDA_API void mgpuEventSynchronize(void *event);
LLM_CUDA_API void mgpuEventRecord(void *event, void *stream);
LLM_CUDA_API void *mgpuMemAlloc(uint64_t sizeBytes, void *stream, bool isHostShared);
LLM_CUDA_API void mgpuMemFree(void *ptr, void *stream);
LLM_CUDA_API void mgpuMemcpy(void *dst, void *src, size_t sizeBytes, void *stream);
LLM_CUDA_API void mgpuMemset32(void *dst, unsigned int value, size_t count, void *stream);
LLM_CUDA_API void mgpuMemset16(void *dst, unsigned short value, size_t count,
                  void *stream);

#ifdef __cplusplus
}
#endif

#endif /* LLM_RUNTIME_CUDA_CUDARUNTIME_H */
