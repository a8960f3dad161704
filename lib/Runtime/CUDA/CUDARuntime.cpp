//===- CUDARuntime.cpp - mgpu* functions over the CUDA driver API ---------===//
//
// The CUDA driver API, loaded with dlopen at the first use (no CUDA header
// or library at build time: the few types and constants used are declared
// here), behind the mgpu* C ABI of MLIR's GPU host lowering. See
// include/llm/Runtime/CUDA/CUDARuntime.h for the contract: managed memory
// for every buffer, a per-size cache of freed buffers, constant globals
// copied once, and errors recorded (never a crash) for the caller to query.
//
// Streams: each host thread gets ONE stream, created at its first
// mgpuStreamCreate and reused by every later one (mgpuStreamDestroy of it
// does nothing; it is destroyed when the thread exits). The host code
// (llm-gpu-async-launches) launches a call's kernels on it without waiting
// and synchronizes once, where the host reads the results. Buffers freed on
// a thread while its stream may still use them are kept for that thread
// (which reuses them in stream order) until the stream is synchronized;
// only then can another thread get them.
//
//===----------------------------------------------------------------------===//

#include "llm/Runtime/CUDA/CUDARuntime.h"

#include <dlfcn.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace {

// The driver API's types, as cuda.h declares them.
using CUresult = int;
using CUdevice = int;
using CUdeviceptr = unsigned long long;
using CUcontext = void *;
using CUmodule = void *;
using CUfunction = void *;
using CUstream = void *;
using CUevent = void *;
constexpr CUresult kSuccess = 0;
constexpr int kJitErrorLogBuffer = 5;          // CU_JIT_ERROR_LOG_BUFFER
constexpr int kJitErrorLogBufferSize = 6;      // ..._SIZE_BYTES
constexpr int kJitOptimizationLevel = 7;       // CU_JIT_OPTIMIZATION_LEVEL
constexpr unsigned kMemAttachGlobal = 1;       // CU_MEM_ATTACH_GLOBAL
constexpr unsigned kStreamNonBlocking = 1;     // CU_STREAM_NON_BLOCKING
constexpr int kAttrComputeCapabilityMajor = 75;
constexpr int kAttrComputeCapabilityMinor = 76;

/// The driver functions the runtime calls: (member, symbol name).
#define LLM_CUDA_FUNCTIONS(X)                                                  \
  X(cuInit, "cuInit", CUresult(unsigned))                                  \
  X(cuDriverGetVersion, "cuDriverGetVersion", CUresult(int *))             \
  X(cuGetErrorName, "cuGetErrorName", CUresult(CUresult, const char **))   \
  X(cuGetErrorString, "cuGetErrorString",                                      \
    CUresult(CUresult, const char **))                                     \
  X(cuDeviceGetCount, "cuDeviceGetCount", CUresult(int *))                 \
  X(cuDeviceGet, "cuDeviceGet", CUresult(CUdevice *, int))                 \
  X(cuDeviceGetName, "cuDeviceGetName", CUresult(char *, int, CUdevice))   \
  X(cuDeviceGetAttribute, "cuDeviceGetAttribute",                              \
    CUresult(int *, int, CUdevice))                                        \
  X(cuDevicePrimaryCtxRetain, "cuDevicePrimaryCtxRetain",                      \
    CUresult(CUcontext *, CUdevice))                                       \
  X(cuCtxSetCurrent, "cuCtxSetCurrent", CUresult(CUcontext))               \
  X(cuCtxSynchronize, "cuCtxSynchronize", CUresult())                      \
  X(cuModuleLoadData, "cuModuleLoadData",                                      \
    CUresult(CUmodule *, const void *))                                    \
  X(cuModuleLoadDataEx, "cuModuleLoadDataEx",                                  \
    CUresult(CUmodule *, const void *, unsigned, int *, void **))          \
  X(cuModuleUnload, "cuModuleUnload", CUresult(CUmodule))                  \
  X(cuModuleGetFunction, "cuModuleGetFunction",                                \
    CUresult(CUfunction *, CUmodule, const char *))                        \
  X(cuLaunchKernel, "cuLaunchKernel",                                          \
    CUresult(CUfunction, unsigned, unsigned, unsigned, unsigned, unsigned, \
                 unsigned, unsigned, CUstream, void **, void **))              \
  X(cuStreamCreate, "cuStreamCreate", CUresult(CUstream *, unsigned))      \
  X(cuStreamDestroy, "cuStreamDestroy_v2", CUresult(CUstream))             \
  X(cuStreamSynchronize, "cuStreamSynchronize", CUresult(CUstream))        \
  X(cuStreamWaitEvent, "cuStreamWaitEvent",                                    \
    CUresult(CUstream, CUevent, unsigned))                                 \
  X(cuEventCreate, "cuEventCreate", CUresult(CUevent *, unsigned))         \
  X(cuEventDestroy, "cuEventDestroy_v2", CUresult(CUevent))                \
  X(cuEventRecord, "cuEventRecord", CUresult(CUevent, CUstream))           \
  X(cuEventSynchronize, "cuEventSynchronize", CUresult(CUevent))           \
  X(cuMemAllocManaged, "cuMemAllocManaged",                                    \
    CUresult(CUdeviceptr *, size_t, unsigned))                             \
  X(cuMemFree, "cuMemFree_v2", CUresult(CUdeviceptr))                      \
  X(cuMemcpy, "cuMemcpy", CUresult(CUdeviceptr, CUdeviceptr, size_t))      \
  X(cuMemcpyAsync, "cuMemcpyAsync",                                            \
    CUresult(CUdeviceptr, CUdeviceptr, size_t, CUstream))                  \
  X(cuMemsetD32, "cuMemsetD32_v2",                                             \
    CUresult(CUdeviceptr, unsigned, size_t))                               \
  X(cuMemsetD16, "cuMemsetD16_v2",                                             \
    CUresult(CUdeviceptr, unsigned short, size_t))

template <typename T> using Ptr = T *;

struct Driver {
#define LLM_CUDA_MEMBER(member, symbol, type) Ptr<type> member = nullptr;
  LLM_CUDA_FUNCTIONS(LLM_CUDA_MEMBER)
#undef LLM_CUDA_MEMBER
};

/// The runtime's process-wide state.
struct State {
  std::once_flag initOnce;
  int status = LLM_CUDA_OK;
  Driver driver;
  CUcontext context = nullptr;
  std::string deviceName;

  std::mutex mutex; // guards everything below
  std::string error;
  bool hasError = false;
  /// Sizes of live managed buffers; free managed buffers per size.
  std::unordered_map<void *, size_t> liveSizes;
  std::unordered_map<size_t, std::vector<void *>> freeBySize;
  /// Host-memory stand-ins allocated after an error.
  std::unordered_set<void *> hostFallbacks;
  /// Managed copies of constant globals, by host address.
  std::unordered_map<const void *, void *> globals;
};

State &state() {
  static State *s = new State(); // never destroyed: used by global dtors
  return *s;
}

bool initialized();

/// The calling thread's stream and the buffers it freed since the stream
/// was last synchronized (kernels queued on it may still use them).
struct ThreadStream {
  CUstream stream = nullptr;
  /// Kernels launched on `stream` since its last synchronization.
  bool pending = false;
  std::vector<std::pair<size_t, void *>> freed;

  /// Hands the freed buffers to every thread (after a synchronization).
  void release() {
    State &s = state();
    std::lock_guard<std::mutex> lock(s.mutex);
    for (auto &[size, ptr] : freed)
      s.freeBySize[size].push_back(ptr);
    freed.clear();
  }

  ~ThreadStream() {
    if (stream && initialized()) {
      state().driver.cuStreamSynchronize(stream);
      state().driver.cuStreamDestroy(stream);
    }
    release();
  }
};

ThreadStream &threadStream() {
  thread_local ThreadStream stream;
  return stream;
}

void recordError(const std::string &message) {
  State &s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  if (!s.hasError) {
    s.hasError = true;
    s.error = message;
  }
}

bool hasError() {
  State &s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  return s.hasError;
}

/// "NAME (string)" of a CUDA error code, via the driver when it has loaded.
std::string describe(CUresult result) {
  const Driver &d = state().driver;
  const char *name = nullptr, *text = nullptr;
  if (d.cuGetErrorName)
    d.cuGetErrorName(result, &name);
  if (d.cuGetErrorString)
    d.cuGetErrorString(result, &text);
  std::string out = name ? name : "CUDA error " + std::to_string(result);
  if (text)
    out += std::string(" (") + text + ")";
  return out;
}

/// Records the failure of `call` (a driver function, with context) unless
/// `result` is success; returns whether it succeeded.
bool check(CUresult result, const std::string &call) {
  if (result == kSuccess)
    return true;
  recordError(call + " failed: " + describe(result));
  return false;
}

int initialize() {
  State &s = state();
  const char *library = std::getenv("LLM_CUDA_DRIVER");
  if (!library || !*library)
    library = "libcuda.so.1";
  void *handle = dlopen(library, RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char *why = dlerror();
    recordError(std::string("cannot load the CUDA driver: dlopen(\"") +
                library + "\") failed: " + (why ? why : "unknown error") +
                " (is an NVIDIA driver installed? $LLM_CUDA_DRIVER names "
                "another library)");
    return LLM_CUDA_NO_DRIVER;
  }
#define LLM_CUDA_RESOLVE(member, symbol, type)                                 \
  s.driver.member = reinterpret_cast<Ptr<type>>(dlsym(handle, symbol));             \
  if (!s.driver.member) {                                                      \
    recordError(std::string("the CUDA driver '") + library +                   \
                "' has no function " symbol " (driver too old?)");            \
    return LLM_CUDA_MISSING_SYMBOL;                                            \
  }
  LLM_CUDA_FUNCTIONS(LLM_CUDA_RESOLVE)
#undef LLM_CUDA_RESOLVE
  const Driver &d = s.driver;
  if (!check(d.cuInit(0), "cuInit"))
    return LLM_CUDA_INIT_FAILED;
  int count = 0;
  if (!check(d.cuDeviceGetCount(&count), "cuDeviceGetCount"))
    return LLM_CUDA_NO_DEVICE;
  int ordinal = 0;
  if (const char *env = std::getenv("LLM_CUDA_DEVICE"); env && *env)
    ordinal = std::atoi(env);
  if (count == 0) {
    recordError("no CUDA device: cuDeviceGetCount found 0 devices");
    return LLM_CUDA_NO_DEVICE;
  }
  if (ordinal < 0 || ordinal >= count) {
    recordError("no CUDA device " + std::to_string(ordinal) +
                " ($LLM_CUDA_DEVICE): the driver found " +
                std::to_string(count));
    return LLM_CUDA_NO_DEVICE;
  }
  CUdevice device = 0;
  if (!check(d.cuDeviceGet(&device, ordinal), "cuDeviceGet"))
    return LLM_CUDA_NO_DEVICE;
  if (!check(d.cuDevicePrimaryCtxRetain(&s.context, device),
             "cuDevicePrimaryCtxRetain") ||
      !check(d.cuCtxSetCurrent(s.context), "cuCtxSetCurrent"))
    return LLM_CUDA_NO_CONTEXT;
  char name[256] = {0};
  int major = 0, minor = 0, version = 0;
  d.cuDeviceGetName(name, sizeof(name) - 1, device);
  d.cuDeviceGetAttribute(&major, kAttrComputeCapabilityMajor, device);
  d.cuDeviceGetAttribute(&minor, kAttrComputeCapabilityMinor, device);
  d.cuDriverGetVersion(&version);
  s.deviceName = std::string(name) + " (sm_" + std::to_string(major) +
                 std::to_string(minor) + ", driver " +
                 std::to_string(version / 1000) + "." +
                 std::to_string(version % 1000 / 10) + ")";
  return LLM_CUDA_OK;
}

/// Initializes once and makes the context current on this thread; false
/// (with the error recorded) if CUDA is unusable or an error happened.
bool ready() {
  State &s = state();
  std::call_once(s.initOnce, [&] { s.status = initialize(); });
  if (s.status != LLM_CUDA_OK || hasError())
    return false;
  thread_local CUcontext current = nullptr;
  if (current != s.context) {
    if (!check(s.driver.cuCtxSetCurrent(s.context), "cuCtxSetCurrent"))
      return false;
    current = s.context;
  }
  return true;
}

/// Whether the driver is initialized, errors or not: releasing resources
/// (streams, events, modules) goes on after an error.
bool initialized() {
  State &s = state();
  std::call_once(s.initOnce, [&] { s.status = initialize(); });
  if (s.status != LLM_CUDA_OK)
    return false;
  thread_local bool current = false;
  if (!current && s.driver.cuCtxSetCurrent(s.context) == kSuccess)
    current = true;
  return current;
}

CUdeviceptr toDevice(const void *ptr) {
  return static_cast<CUdeviceptr>(reinterpret_cast<uintptr_t>(ptr));
}

void *fromDevice(CUdeviceptr ptr) {
  return reinterpret_cast<void *>(static_cast<uintptr_t>(ptr));
}

/// A buffer for the host code when CUDA is unusable: host memory, so the
/// host code runs on (its results are garbage, and the error is recorded).
void *hostFallback(uint64_t size) {
  void *ptr = std::malloc(size ? size : 1);
  State &s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  s.hostFallbacks.insert(ptr);
  return ptr;
}

} // namespace

extern "C" {

int llmCudaInit(void) {
  State &s = state();
  std::call_once(s.initOnce, [&] { s.status = initialize(); });
  return s.status;
}

const char *llmCudaGetError(void) {
  State &s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  return s.hasError ? s.error.c_str() : nullptr;
}

void llmCudaClearError(void) {
  State &s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  s.hasError = false;
  s.error.clear();
}

const char *llmCudaDeviceName(void) {
  return state().status == LLM_CUDA_OK ? state().deviceName.c_str() : "";
}

void *mgpuModuleLoadJIT(void *data, int optLevel) {
  if (!ready())
    return nullptr;
  char log[8192] = {0};
  int options[] = {kJitErrorLogBuffer, kJitErrorLogBufferSize,
                   kJitOptimizationLevel};
  void *values[] = {log, reinterpret_cast<void *>(sizeof(log) - 1),
                    reinterpret_cast<void *>(
                        static_cast<intptr_t>(optLevel < 0   ? 0
                                              : optLevel > 4 ? 4
                                                             : optLevel))};
  CUmodule module = nullptr;
  CUresult result =
      state().driver.cuModuleLoadDataEx(&module, data, 3, options, values);
  if (result != kSuccess) {
    recordError("cuModuleLoadDataEx (JIT-compiling the kernels' PTX) failed: " +
                describe(result) + (log[0] ? std::string(": ") + log : ""));
    return nullptr;
  }
  return module;
}

void *mgpuModuleLoad(void *data, size_t /*size*/) {
  if (!ready())
    return nullptr;
  CUmodule module = nullptr;
  if (!check(state().driver.cuModuleLoadData(&module, data),
             "cuModuleLoadData (loading the kernels)"))
    return nullptr;
  return module;
}

void mgpuModuleUnload(void *module) {
  if (module && initialized())
    check(state().driver.cuModuleUnload(module), "cuModuleUnload");
}

void *mgpuModuleGetFunction(void *module, const char *name) {
  if (!module || !ready())
    return nullptr;
  CUfunction function = nullptr;
  if (!check(state().driver.cuModuleGetFunction(&function, module, name),
             std::string("cuModuleGetFunction(\"") + name + "\")"))
    return nullptr;
  return function;
}

void mgpuLaunchKernel(void *function, intptr_t gridX, intptr_t gridY,
                      intptr_t gridZ, intptr_t blockX, intptr_t blockY,
                      intptr_t blockZ, int32_t smem, void *stream,
                      void **params, void **extra, size_t /*paramsCount*/) {
  if (!function || !ready())
    return;
  // An empty grid (a dim of size 0 at run time) launches nothing.
  if (gridX <= 0 || gridY <= 0 || gridZ <= 0)
    return;
  ThreadStream &own = threadStream();
  if (stream && stream == own.stream)
    own.pending = true;
  check(state().driver.cuLaunchKernel(
            function, gridX, gridY, gridZ, blockX, blockY, blockZ, smem,
            stream, params, extra),
        "cuLaunchKernel(grid " + std::to_string(gridX) + "x" +
            std::to_string(gridY) + "x" + std::to_string(gridZ) + ", block " +
            std::to_string(blockX) + "x" + std::to_string(blockY) + "x" +
            std::to_string(blockZ) + ")");
}

void *mgpuStreamCreate(void) {
  if (!ready())
    return nullptr;
  ThreadStream &own = threadStream();
  if (!own.stream)
    check(state().driver.cuStreamCreate(&own.stream, kStreamNonBlocking),
          "cuStreamCreate");
  return own.stream;
}

void mgpuStreamDestroy(void *stream) {
  // The thread's stream lives as long as the thread.
  if (stream && stream != threadStream().stream && initialized())
    check(state().driver.cuStreamDestroy(stream), "cuStreamDestroy");
}

void mgpuStreamSynchronize(void *stream) {
  ThreadStream &own = threadStream();
  bool ownStream = stream && stream == own.stream;
  if (!ready()) {
    if (ownStream && initialized()) { // after an error: still drain it
      state().driver.cuStreamSynchronize(stream);
      own.pending = false;
      own.release();
    }
    return;
  }
  // Errors of asynchronous work (a kernel's illegal address) surface here.
  check(state().driver.cuStreamSynchronize(stream),
        "cuStreamSynchronize (after a kernel launch)");
  if (ownStream) {
    own.pending = false;
    own.release();
  }
}

void mgpuStreamWaitEvent(void *stream, void *event) {
  if (ready())
    check(state().driver.cuStreamWaitEvent(stream, event, 0),
          "cuStreamWaitEvent");
}

void *mgpuEventCreate(void) {
  if (!ready())
    return nullptr;
  CUevent event = nullptr;
  check(state().driver.cuEventCreate(&event, /*CU_EVENT_DISABLE_TIMING=*/2),
        "cuEventCreate");
  return event;
}

void mgpuEventDestroy(void *event) {
  if (event && initialized())
    check(state().driver.cuEventDestroy(event), "cuEventDestroy");
}

void mgpuEventSynchronize(void *event) {
  if (event && ready())
    check(state().driver.cuEventSynchronize(event), "cuEventSynchronize");
}

void mgpuEventRecord(void *event, void *stream) {
  if (event && ready())
    check(state().driver.cuEventRecord(event, stream), "cuEventRecord");
}

void *mgpuMemAlloc(uint64_t sizeBytes, void * /*stream*/,
                   bool /*isHostShared*/) {
  // Every buffer is managed memory (see the header), host-shared or not.
  if (!ready())
    return hostFallback(sizeBytes);
  size_t size = sizeBytes ? sizeBytes : 1;
  State &s = state();
  ThreadStream &own = threadStream();
  for (auto it = own.freed.rbegin(); it != own.freed.rend(); ++it)
    if (it->first == size) { // reused in the order of the thread's stream
      void *ptr = it->second;
      own.freed.erase(std::next(it).base());
      std::lock_guard<std::mutex> lock(s.mutex);
      s.liveSizes[ptr] = size;
      return ptr;
    }
  {
    std::lock_guard<std::mutex> lock(s.mutex);
    auto it = s.freeBySize.find(size);
    if (it != s.freeBySize.end() && !it->second.empty()) {
      void *ptr = it->second.back();
      it->second.pop_back();
      s.liveSizes[ptr] = size;
      return ptr;
    }
  }
  CUdeviceptr ptr = 0;
  if (!check(s.driver.cuMemAllocManaged(&ptr, size, kMemAttachGlobal),
             "cuMemAllocManaged(" + std::to_string(size) + " bytes)"))
    return hostFallback(sizeBytes);
  std::lock_guard<std::mutex> lock(s.mutex);
  s.liveSizes[fromDevice(ptr)] = size;
  return fromDevice(ptr);
}

void mgpuMemFree(void *ptr, void * /*stream*/) {
  if (!ptr)
    return;
  State &s = state();
  ThreadStream &own = threadStream();
  std::lock_guard<std::mutex> lock(s.mutex);
  if (s.hostFallbacks.erase(ptr)) {
    std::free(ptr);
    return;
  }
  auto it = s.liveSizes.find(ptr);
  if (it == s.liveSizes.end()) {
    if (!s.hasError) {
      s.hasError = true;
      s.error = "mgpuMemFree of a pointer the runtime did not allocate";
    }
    return;
  }
  // Kernels queued on this thread's stream may still use it.
  if (own.pending)
    own.freed.emplace_back(it->second, ptr);
  else
    s.freeBySize[it->second].push_back(ptr);
  s.liveSizes.erase(it);
}

void mgpuMemcpy(void *dst, void *src, size_t sizeBytes, void *stream) {
  if (!ready()) {
    std::memmove(dst, src, sizeBytes); // host fallback buffers
    return;
  }
  if (!stream) {
    check(state().driver.cuMemcpy(toDevice(dst), toDevice(src), sizeBytes),
          "cuMemcpy(" + std::to_string(sizeBytes) + " bytes)");
    return;
  }
  // Stream-ordered (llm-gpu-async-launches queues copies between buffers
  // after the kernels producing them): the host waits at the stream's sync.
  ThreadStream &own = threadStream();
  if (stream == own.stream)
    own.pending = true;
  check(state().driver.cuMemcpyAsync(toDevice(dst), toDevice(src), sizeBytes,
                                     stream),
        "cuMemcpyAsync(" + std::to_string(sizeBytes) + " bytes)");
}

void mgpuMemset32(void *dst, unsigned int value, size_t count,
                  void * /*stream*/) {
  if (ready())
    check(state().driver.cuMemsetD32(toDevice(dst), value, count),
          "cuMemsetD32");
}

void mgpuMemset16(void *dst, unsigned short value, size_t count,
                  void * /*stream*/) {
  if (ready())
    check(state().driver.cuMemsetD16(toDevice(dst), value, count),
          "cuMemsetD16");
}

void *llmCudaGlobal(const void *hostData, uint64_t size) {
  State &s = state();
  {
    std::lock_guard<std::mutex> lock(s.mutex);
    auto it = s.globals.find(hostData);
    if (it != s.globals.end())
      return it->second;
  }
  // Without CUDA the host code reads the host copy.
  if (!ready())
    return const_cast<void *>(hostData);
  CUdeviceptr ptr = 0;
  if (!check(s.driver.cuMemAllocManaged(&ptr, size ? size : 1,
                                        kMemAttachGlobal),
             "cuMemAllocManaged(" + std::to_string(size) +
                 " bytes for a constant)"))
    return const_cast<void *>(hostData);
  std::memcpy(fromDevice(ptr), hostData, size);
  std::lock_guard<std::mutex> lock(s.mutex);
  auto [it, inserted] = s.globals.try_emplace(hostData, fromDevice(ptr));
  if (!inserted) // another thread copied it meanwhile
    s.driver.cuMemFree(ptr);
  return it->second;
}

uint64_t llmCudaReleaseCache(void) {
  State &s = state();
  if (s.status != LLM_CUDA_OK)
    return 0;
  // The calling thread's queued kernels finish first; its freed buffers
  // join the cache.
  ThreadStream &own = threadStream();
  if (own.stream)
    s.driver.cuStreamSynchronize(own.stream);
  own.pending = false;
  own.release();
  std::lock_guard<std::mutex> lock(s.mutex);
  uint64_t released = 0;
  for (auto &[size, buffers] : s.freeBySize)
    for (void *ptr : buffers) {
      s.driver.cuMemFree(toDevice(ptr));
      released += size;
    }
  s.freeBySize.clear();
  for (auto &[host, copy] : s.globals)
    s.driver.cuMemFree(toDevice(copy));
  s.globals.clear();
  return released;
}

} // extern "C"
