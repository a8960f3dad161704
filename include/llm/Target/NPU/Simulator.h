//===- Simulator.h - functional, cycle-approximate NPU simulator -*- C++ -*-===//
//
// Runs an NPU program (docs/npu.md, "Timing model"): the load, compute and
// store queues issue in order, synchronised by dependency tokens; each
// instruction executes functionally when it issues, and its timing (DMA
// bandwidth and latency on a shared DRAM port, systolic-array streaming with
// hidden weight preload, vector-unit throughput) decides when the next one
// may issue and when its tokens arrive. Cross-queue accesses to the same
// local memory bytes that no token orders are reported as data races.
//
// Every failure of a program (DRAM access outside its argument, deadlock,
// data race, too much DRAM) is an llvm::Error naming the instruction and
// its byte offset, never a crash.
//
//===----------------------------------------------------------------------===//

#ifndef LLM_TARGET_NPU_SIMULATOR_H
#define LLM_TARGET_NPU_SIMULATOR_H

#include "llm/Target/NPU/Program.h"

#include <array>
#include <memory>
#include <vector>

namespace llvm {
class raw_ostream;
} // namespace llvm

namespace mlir {
namespace llm {
namespace npu {

/// Timing parameters (defaults as in docs/npu.md, "Parameters").
struct SimConfig {
  /// Tokens a channel between two queues holds; a signal into a full
  /// channel stalls the signalling instruction.
  unsigned tokenDepth = 8;
  /// Cycles from the end of a DMA transfer on the DRAM port to its
  /// completion (the DRAM round trip).
  uint64_t dramLatency = 100;
  /// Bytes per cycle of the DRAM port shared by the load and store engines.
  uint64_t dramBytesPerCycle = 16;
  /// DRAM moves whole aligned bursts of this many bytes.
  uint64_t dramBurstBytes = 64;
  /// Cycles from the last row entering the array to the results being in
  /// the accumulator.
  uint64_t matmulLatency = 2 * kArrayDim;
  /// Pipeline latency of the vector unit (simple / transcendental ops).
  uint64_t vectorLatency = 4;
  uint64_t transcendentalLatency = 16;
  /// Largest DRAM (data segment plus arguments) the simulator allocates.
  uint64_t maxDramBytes = uint64_t(4) << 30;
  /// Report unsynchronised cross-queue accesses to local memory as errors.
  bool checkRaces = true;
  /// Where to print one line per issued instruction (nullptr: no trace).
  llvm::raw_ostream *trace = nullptr;
};

struct QueueStats {
  uint64_t instructions = 0;
  /// Cycles the queue was occupied issuing instructions.
  uint64_t busyCycles = 0;
  /// Cycles the queue's head instruction waited for a token.
  uint64_t waitStallCycles = 0;
  /// Cycles it waited for room in a full token channel.
  uint64_t fullStallCycles = 0;
};

struct SimStats {
  uint64_t cycles = 0;
  uint64_t matmuls = 0;
  /// Multiply-accumulates done by the array.
  uint64_t macs = 0;
  /// Cycles the array streamed rows or preloaded weights.
  uint64_t arrayBusyCycles = 0;
  uint64_t vectorOps = 0;
  uint64_t vectorElements = 0;
  uint64_t dmaLoads = 0, dmaStores = 0;
  /// Bytes the program asked for, and bytes moved in whole bursts.
  uint64_t dmaLoadBytes = 0, dmaStoreBytes = 0;
  uint64_t dramBurstBytes = 0;
  std::array<QueueStats, kNumQueues> queues;

  /// MACs / (array PEs x cycles): the fraction of the array's peak used.
  double getArrayUtilization() const;
  /// MACs / (array PEs x array busy cycles).
  double getArrayBusyUtilization() const;
};

class Simulator {
public:
  /// Verifies the program (verifyProgram) and lays out DRAM (docs/npu.md,
  /// "Calling convention"): the data segment at address 0 (r0), then each
  /// argument 64-byte aligned (its register).
  static llvm::Expected<std::unique_ptr<Simulator>>
  create(const Program &program, const SimConfig &config = {});
  ~Simulator();

  /// The DRAM bytes of argument `index` (write inputs here before run, read
  /// outputs after).
  llvm::MutableArrayRef<uint8_t> getArgumentMemory(size_t index);
  /// The data segment (constants, then zero-filled scratch).
  llvm::MutableArrayRef<uint8_t> getDataSegment();
  /// Local memory by unified local address: the scratchpad at [0, 256 KiB),
  /// the accumulator at [kAccumulatorBase, kLocalEnd); the gap between is
  /// unmapped (and never read or written).
  llvm::MutableArrayRef<uint8_t> getLocalMemory();
  /// Address held by register r (0 if unbound).
  uint64_t getRegister(unsigned r) const;

  /// Runs the program to its halt in every queue.
  llvm::Error run();
  const SimStats &getStats() const;

private:
  class Impl;
  explicit Simulator(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl;
};

/// Prints the statistics as npu-sim reports them.
void printStats(llvm::raw_ostream &os, const SimStats &stats);
/// The statistics as a JSON object (npu-sim --report-json), for scripts
/// such as benchmarks: cycles, matmuls, macs, array_busy_cycles,
/// array_utilization, vector_ops, vector_elements, dma_loads, dma_stores,
/// dma_load_bytes, dma_store_bytes, dram_burst_bytes, and per queue
/// ("ld", "cp", "st") instructions, busy_cycles, wait_stall_cycles,
/// full_stall_cycles.
void printStatsJSON(llvm::raw_ostream &os, const SimStats &stats);

} // namespace npu
} // namespace llm
} // namespace mlir

#endif // LLM_TARGET_NPU_SIMULATOR_H
