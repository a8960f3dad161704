//===- TargetDescription.h - what the tiling cost model knows of a target -===//
//
// A target description is the handful of machine parameters the tile-size
// cost model (CostModel.h) needs: the memory levels a tile must fit in (CPU
// caches, GPU shared memory, NPU scratchpad), the vector width and register
// count that bound the register tile, and the FMA throughput and latency
// that say how many independent accumulators keep the FMA units busy.
//
// For the CPU it comes from the host (LLVM's CPU name and features, cache
// sizes from Linux sysfs) or from a named LLVM CPU (`target-cpu=`), and any
// field can be overridden with a `key=value` list or a description file
// (`target-desc=` option of the pipeline and of the tiling passes):
//
//   l1=48KiB,l2=2MiB,vector-bits=512,registers=32,fma-units=2,threads=2
//   target-desc=@machine.txt        (same keys, one per line, # comments)
//
// The GPU target (getGPUTarget: `chip=sm_80|sm_90`, same overrides) fills
// the GPU fields below (shared memory, registers, warp size, SM count,
// tensor-core rate) for the GPU contraction cost model (GPUCostModel.h); the
// NPU target fills `scratchpadBytes`.
//
//===----------------------------------------------------------------------===//

#ifndef LLM_TILING_TARGETDESCRIPTION_H
#define LLM_TILING_TARGETDESCRIPTION_H

#include "mlir/IR/Operation.h"
#include "mlir/Support/LLVM.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <string>

namespace mlir {
namespace llm {

/// Machine parameters for tiling. Sizes are in bytes.
struct TargetDescription {
  /// LLVM CPU name the description was made for ("emeraldrapids", ...).
  std::string cpu;
  /// Where the values came from: "host", "cpu-table", plus "+overrides".
  std::string source;
  /// SIMD register width in bits (512 for AVX-512, 256 for AVX2).
  int64_t vectorBits = 128;
  /// Number of architectural SIMD registers (32 with AVX-512, else 16).
  int64_t vectorRegisters = 16;
  /// Vector FMA instructions issued per cycle per core.
  int64_t fmaUnits = 1;
  /// Cycles from an FMA's issue until its result can feed the next FMA.
  int64_t fmaLatency = 4;
  /// Private data caches per core and the shared last level.
  int64_t l1Bytes = 32 * 1024;
  int64_t l2Bytes = 256 * 1024;
  int64_t l3Bytes = 8 * 1024 * 1024;
  int64_t lineBytes = 64;
  /// Hardware threads the generated code may use.
  int64_t threads = 1;
  /// GPU shared memory per block and NPU scratchpad (0 on the CPU).
  int64_t sharedMemoryBytes = 0;
  int64_t scratchpadBytes = 0;
  /// NPU accumulator memory (array results; 0 on the CPU).
  int64_t accumulatorBytes = 0;
  /// Integer dot-product units: AVX-512 VNNI (`vpdpbusd` on 512-bit
  /// registers) and the AMX tile unit for int8 (`tdpbusd`) and bf16
  /// (`tdpbf16ps`); 1 when the CPU has them, 0 otherwise. Overrides may only
  /// turn them off (the code generator would emit instructions LLVM cannot
  /// select for a CPU without them).
  int64_t vnni = 0;
  int64_t amxInt8 = 0;
  int64_t amxBF16 = 0;

  /// GPU fields (0 on the CPU); `sharedMemoryBytes` above is the static
  /// shared memory one block may declare (48 KiB on every CUDA GPU: more
  /// needs dynamic shared memory and an opt-in launch attribute).
  /// Streaming multiprocessors, threads per warp.
  int64_t gpuSMs = 0;
  int64_t gpuWarpSize = 0;
  /// 32-bit registers per SM and the most one thread may use.
  int64_t gpuRegistersPerSM = 0;
  int64_t gpuRegistersPerThread = 0;
  /// Shared memory per SM (all resident blocks together).
  int64_t gpuSharedMemoryPerSM = 0;
  /// Resident threads per SM, threads per block, resident blocks per SM.
  int64_t gpuThreadsPerSM = 0;
  int64_t gpuThreadsPerBlock = 0;
  int64_t gpuBlocksPerSM = 0;
  /// Dense f16/bf16 tensor-core multiply-adds per cycle per SM (tf32: half).
  int64_t gpuTensorMACsPerCycle = 0;
  /// Global memory bytes per cycle (whole GPU, at the SM clock).
  int64_t gpuMemoryBytesPerCycle = 0;

  /// Elements of `elementBytes` bytes per vector register.
  int64_t vectorLanes(int64_t elementBytes) const {
    return vectorBits / 8 / elementBytes;
  }

  /// Prints the description as the `key=value` list the parser accepts.
  void print(llvm::raw_ostream &os) const;
};

/// The description of the machine this compiler runs on: LLVM's host CPU
/// name and features, cache sizes from /sys/devices/system/cpu/cpu0/cache
/// (defaults where sysfs has none), and the number of hardware threads.
TargetDescription detectHostTarget();

/// The description for LLVM CPU `cpu` ("host" or empty: detectHostTarget()):
/// vector width and registers from the CPU's features, typical cache sizes
/// for its class, the host's thread count. Fails with a message for a name
/// LLVM does not know as an x86-64 CPU.
FailureOr<TargetDescription> getCPUTarget(StringRef cpu, std::string &error);

/// Applies overrides to `desc`: a comma- or newline-separated `key=value`
/// list (keys: l1, l2, l3, line, vector-bits, registers, fma-units,
/// fma-latency, threads, shared-memory, scratchpad, accumulator, vnni,
/// amx-int8, amx-bf16, and the GPU keys sms, warp-size, registers-per-sm,
/// registers-per-thread, shared-memory-per-sm, threads-per-sm,
/// threads-per-block, blocks-per-sm, tensor-macs, memory-bytes; sizes take K/KiB/M/MiB
/// suffixes; '#' starts a comment), or `@PATH` for a file with that list.
/// On a bad key, value or unreadable file returns failure and sets `error`.
LogicalResult applyTargetOverrides(TargetDescription &desc, StringRef overrides,
                                   std::string &error);

/// The description of NVIDIA GPU `chip` (sm_80: A100, sm_90/sm_90a: H100
/// SXM; the parts the NVPTX pipeline's kernels are tuned for): the GPU
/// fields and `sharedMemoryBytes`. Fails with a message for other chips.
FailureOr<TargetDescription> getGPUTarget(StringRef chip, std::string &error);

/// getCPUTarget(cpu) followed by applyTargetOverrides(overrides).
FailureOr<TargetDescription>
resolveCPUTarget(StringRef cpu, StringRef overrides, std::string &error);

/// resolveCPUTarget for a pass's `target-cpu` / `target-desc` options: on
/// failure emits "<passName>: <problem>" as an error on `anchor`.
FailureOr<TargetDescription> resolvePassTarget(Operation *anchor,
                                               StringRef passName,
                                               StringRef cpu,
                                               StringRef overrides);

} // namespace llm
} // namespace mlir

#endif // LLM_TILING_TARGETDESCRIPTION_H
