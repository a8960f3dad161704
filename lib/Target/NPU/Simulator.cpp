//===- Simulator.cpp - functional, cycle-approximate NPU simulator -------===//
//
// A discrete-event simulation of the three queues (docs/npu.md, "Timing
// model"). Each step issues, among the queues whose head instruction can
// start (its wait tokens present, room in the channels it signals), the one
// that can start earliest; issue times therefore never decrease, and
// executing each instruction's effect when it issues gives the result the
// timed hardware would produce for any race-free program. Races are what
// the shadow state below detects: per local byte and queue, when the last
// write and read by that queue end; an access that overlaps another
// queue's in-flight access to the same byte, with at least one of them a
// write, is an error naming both instructions.
//
//===----------------------------------------------------------------------===//

#include "llm/Target/NPU/Simulator.h"

#include "LocalAccess.h"
#include "Semantics.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cstring>
#include <deque>
#include <optional>

using namespace mlir::llm::npu;

namespace {
constexpr uint32_t kNoInstruction = UINT32_MAX;

std::string hex(uint64_t v) {
  std::string s;
  llvm::raw_string_ostream(s) << llvm::format_hex(v, 2);
  return s;
}

/// Tokens from one queue to another: the cycles at which the pushed tokens
/// arrive, and when each pop happened (a push needs the pop that frees its
/// slot).
struct Channel {
  std::deque<uint64_t> tokens;
  std::vector<uint64_t> popTimes;
  uint64_t pushes = 0;
};

struct QueueState {
  std::vector<uint32_t> program; ///< instruction indices, in order
  size_t pc = 0;
  /// When the queue may issue its next instruction, and when everything it
  /// issued has completed.
  uint64_t issueFree = 0, drained = 0;
  bool lastWasMatmul = false;
  uint64_t lastMatmulRows = 0;
  bool done = false;
};

/// Per local byte and queue: when the last write and read by that queue end
/// and which instruction did them. Kept per 4 KiB page, allocated when a
/// page is first touched (most programs use a small part of local memory).
struct Shadow {
  static constexpr uint64_t kPageBytes = 4096;
  struct Page {
    uint64_t writeEnd[kNumQueues][kPageBytes] = {};
    uint64_t readEnd[kNumQueues][kPageBytes] = {};
    uint32_t writer[kNumQueues][kPageBytes];
    uint32_t reader[kNumQueues][kPageBytes];
  };
  std::vector<std::unique_ptr<Page>> pages =
      std::vector<std::unique_ptr<Page>>(kLocalEnd / kPageBytes);
  Page &page(uint64_t byte) {
    std::unique_ptr<Page> &p = pages[byte / kPageBytes];
    if (!p)
      p = std::make_unique<Page>();
    return *p;
  }
};
/// A DMA's DRAM rows (absolute addresses) while it is in flight.
struct DramAccess {
  uint32_t index;
  bool isStore;
  uint64_t base, rows, stride, bytes, end;
};

/// The first DRAM byte that row sets `a` and `b` both touch, if any.
std::optional<uint64_t> overlap(const DramAccess &a, const DramAccess &b) {
  auto last = [](const DramAccess &x) {
    return x.base + (x.rows - 1) * x.stride + x.bytes;
  };
  if (last(a) <= b.base || last(b) <= a.base)
    return std::nullopt;
  for (uint64_t r = 0; r < a.rows; ++r) {
    int64_t lo = static_cast<int64_t>(a.base + r * a.stride);
    int64_t hi = lo + static_cast<int64_t>(a.bytes);
    int64_t base = static_cast<int64_t>(b.base);
    int64_t stride = static_cast<int64_t>(b.stride);
    int64_t bytes = static_cast<int64_t>(b.bytes);
    // Rows k of b with base + k*stride < hi and base + k*stride + bytes > lo.
    int64_t kmin = 0, kmax = static_cast<int64_t>(b.rows) - 1;
    if (stride > 0) {
      kmin = std::max<int64_t>(kmin, llvm::divideFloorSigned(lo - bytes - base, stride) + 1);
      kmax = std::min<int64_t>(kmax, llvm::divideCeilSigned(hi - base, stride) - 1);
    } else if (!(base < hi && base + bytes > lo)) {
      continue;
    }
    if (kmin <= kmax)
      return static_cast<uint64_t>(std::max(lo, base + kmin * stride));
  }
  return std::nullopt;
}
} // namespace

class Simulator::Impl {
public:
  Impl(const Program &program, const SimConfig &config)
      : program(program), config(config) {}

  llvm::Error layout();
  llvm::Error run();

  Program program;
  SimConfig config;
  std::vector<uint8_t> dram;
  std::vector<uint8_t> local = std::vector<uint8_t>(kLocalEnd, 0);
  uint64_t regBase[kNumRegisters] = {}, regSize[kNumRegisters] = {};
  bool regBound[kNumRegisters] = {};
  std::string regName[kNumRegisters];
  SimStats stats;
  bool ran = false;

private:
  llvm::Error fail(size_t index, const llvm::Twine &msg) {
    return llvm::createStringError(
        (program.describeInstruction(index) + ": " + msg).str());
  }
  /// DRAM bytes [off, end) of register `reg` must lie in its buffer.
  llvm::Error checkDramRange(size_t index, unsigned reg, uint64_t off,
                             uint64_t end, const char *what);
  llvm::Error dma(size_t index, const Instruction &inst, uint64_t &dataCycles);
  llvm::Error gather(size_t index, const Instruction &inst,
                     uint64_t &dataCycles);
  /// Moves `rowBytes` from DRAM to local memory (or back) and returns the
  /// DRAM bursts it touches.
  uint64_t transferRow(uint64_t dramAddr, uint8_t *localRow, uint64_t rowBytes,
                       bool load);
  llvm::Error checkRaces(size_t index, Queue queue, const Instruction &inst,
                         uint64_t start, uint64_t end);
  llvm::Error checkDramRaces(size_t index, const Instruction &inst,
                             uint64_t start, uint64_t end);
  llvm::Error deadlock();

  QueueState queues[kNumQueues];
  Channel channels[kNumQueues][kNumQueues];
  uint64_t dramPortFree = 0;
  Shadow shadow;
  std::vector<DramAccess> dramInFlight;
};

llvm::Error Simulator::Impl::layout() {
  uint64_t size = program.dataSize;
  regBound[0] = true;
  regSize[0] = program.dataSize;
  regName[0] = "data segment";
  for (const Argument &arg : program.arguments) {
    size = llvm::alignTo(size, 64);
    regBase[arg.reg] = size;
    regSize[arg.reg] = arg.getByteSize();
    regBound[arg.reg] = true;
    regName[arg.reg] = "'" + arg.name + "'";
    size += arg.getByteSize();
    if (size > config.maxDramBytes)
      break;
  }
  if (size > config.maxDramBytes)
    return llvm::createStringError(
        "the program needs %llu bytes of DRAM (data segment and arguments); "
        "the simulator allows %llu",
        static_cast<unsigned long long>(size),
        static_cast<unsigned long long>(config.maxDramBytes));
  dram.assign(size, 0);
  std::copy(program.data.begin(), program.data.end(), dram.begin());
  return llvm::Error::success();
}

llvm::Error Simulator::Impl::checkDramRange(size_t index, unsigned reg,
                                            uint64_t off, uint64_t end,
                                            const char *what) {
  if (!regBound[reg])
    return fail(index, "r" + llvm::Twine(reg) +
                           " is not bound (no argument uses it)");
  if (end > regSize[reg])
    return fail(index, llvm::Twine(what) + " [r" + llvm::Twine(reg) + "+" +
                           hex(off) + ", r" + llvm::Twine(reg) + "+" +
                           hex(end) + ") is outside r" + llvm::Twine(reg) +
                           " (" + regName[reg] + ", " +
                           llvm::Twine(regSize[reg]) + " bytes)");
  return llvm::Error::success();
}

llvm::Error Simulator::Impl::dma(size_t index, const Instruction &inst,
                                 uint64_t &dataCycles) {
  unsigned reg = inst.get(Field::Reg);
  uint64_t rows = inst.get(Field::Rows), bytes = inst.get(Field::RowBytes);
  uint64_t off = inst.get(Field::DramOffset),
           dstride = inst.get(Field::DramStride);
  if (llvm::Error err = checkDramRange(index, reg, off,
                                       off + (rows - 1) * dstride + bytes,
                                       "DRAM access"))
    return err;
  uint64_t localAddr = inst.get(Field::LocalAddr),
           lstride = inst.get(Field::LocalStride);
  bool load = inst.getOpcode() == Opcode::DmaLoad;
  uint64_t bursts = 0;
  for (uint64_t r = 0; r < rows; ++r)
    bursts += transferRow(regBase[reg] + off + r * dstride,
                          local.data() + localAddr + r * lstride, bytes, load);
  uint64_t burstBytes = bursts * config.dramBurstBytes;
  dataCycles = llvm::divideCeil(burstBytes, config.dramBytesPerCycle);
  stats.dramBurstBytes += burstBytes;
  if (load)
    ++stats.dmaLoads, stats.dmaLoadBytes += rows * bytes;
  else
    ++stats.dmaStores, stats.dmaStoreBytes += rows * bytes;
  return llvm::Error::success();
}

uint64_t Simulator::Impl::transferRow(uint64_t d, uint8_t *l, uint64_t bytes,
                                      bool load) {
  if (load)
    std::memmove(l, dram.data() + d, bytes);
  else
    std::memmove(dram.data() + d, l, bytes);
  uint64_t first = d / config.dramBurstBytes;
  uint64_t last = (d + bytes - 1) / config.dramBurstBytes;
  return last - first + 1;
}

llvm::Error Simulator::Impl::gather(size_t index, const Instruction &inst,
                                    uint64_t &dataCycles) {
  unsigned reg = inst.get(Field::Reg);
  uint64_t rows = inst.get(Field::Rows), bytes = inst.get(Field::RowBytes);
  uint64_t off = inst.get(Field::DramOffset),
           tableRows = inst.get(Field::TableRows);
  if (llvm::Error err = checkDramRange(index, reg, off, off + tableRows * bytes,
                                       "the table"))
    return err;
  bool wide = inst.get(Field::IndexType) == static_cast<uint64_t>(IndexType::I64);
  const uint8_t *indices = local.data() + inst.get(Field::IndexAddr);
  uint8_t *dst = local.data() + inst.get(Field::LocalAddr);
  uint64_t bursts = 0;
  for (uint64_t r = 0; r < rows; ++r) {
    int64_t row;
    if (wide) {
      std::memcpy(&row, indices + 8 * r, 8);
    } else {
      int32_t narrow;
      std::memcpy(&narrow, indices + 4 * r, 4);
      row = narrow;
    }
    if (row < 0 || static_cast<uint64_t>(row) >= tableRows)
      return fail(index, "index " + llvm::Twine(row) + " (entry " +
                             llvm::Twine(r) + ") is outside the table's " +
                             llvm::Twine(tableRows) + " rows");
    bursts += transferRow(regBase[reg] + off + static_cast<uint64_t>(row) * bytes,
                          dst + r * bytes, bytes, /*load=*/true);
  }
  uint64_t burstBytes = bursts * config.dramBurstBytes;
  dataCycles = llvm::divideCeil(burstBytes, config.dramBytesPerCycle);
  stats.dramBurstBytes += burstBytes;
  ++stats.dmaLoads, stats.dmaLoadBytes += rows * bytes;
  return llvm::Error::success();
}

llvm::Error Simulator::Impl::checkRaces(size_t index, Queue queue,
                                        const Instruction &inst,
                                        uint64_t start, uint64_t end) {
  unsigned q = static_cast<unsigned>(queue);
  for (const LocalAccess &a : getLocalAccesses(inst)) {
    for (uint64_t r = 0; r < a.rows; ++r) {
      uint64_t lo = a.addr + r * a.stride;
      for (uint64_t byte = lo; byte < lo + a.rowBytes; ++byte) {
        Shadow::Page &page = shadow.page(byte);
        uint64_t i = byte % Shadow::kPageBytes;
        for (unsigned p = 0; p < kNumQueues; ++p) {
          if (p == q)
            continue;
          uint32_t other = kNoInstruction;
          uint64_t until = 0;
          const char *otherDoes = "";
          if (page.writeEnd[p][i] > start)
            other = page.writer[p][i], until = page.writeEnd[p][i],
            otherDoes = "writes";
          else if (a.isWrite && page.readEnd[p][i] > start)
            other = page.reader[p][i], until = page.readEnd[p][i],
            otherDoes = "reads";
          if (other == kNoInstruction)
            continue;
          bool acc = byte >= kAccumulatorBase;
          return fail(index,
                      "data race: its " + llvm::Twine(a.what) + " " +
                          (a.isWrite ? "writes " : "reads ") +
                          (acc ? "acc+" : "sp+") +
                          hex(acc ? byte - kAccumulatorBase : byte) +
                          " at cycle " + llvm::Twine(start) + ", which " +
                          program.describeInstruction(other) + " in the " +
                          getQueueName(static_cast<Queue>(p)) + " queue " +
                          otherDoes + " until cycle " + llvm::Twine(until) +
                          "; order them with a dependency token");
        }
        uint64_t &endTime = a.isWrite ? page.writeEnd[q][i] : page.readEnd[q][i];
        uint32_t &who = a.isWrite ? page.writer[q][i] : page.reader[q][i];
        if (end >= endTime)
          endTime = end, who = static_cast<uint32_t>(index);
      }
    }
  }
  return llvm::Error::success();
}

llvm::Error Simulator::Impl::checkDramRaces(size_t index,
                                            const Instruction &inst,
                                            uint64_t start, uint64_t end) {
  unsigned reg = inst.get(Field::Reg);
  // A gather may read any row of its table.
  bool isGather = inst.getOpcode() == Opcode::DmaGather;
  DramAccess access{static_cast<uint32_t>(index),
                    inst.getOpcode() == Opcode::DmaStore,
                    regBase[reg] + inst.get(Field::DramOffset),
                    inst.get(isGather ? Field::TableRows : Field::Rows),
                    isGather ? inst.get(Field::RowBytes)
                             : inst.get(Field::DramStride),
                    inst.get(Field::RowBytes),
                    end};
  llvm::erase_if(dramInFlight,
                 [&](const DramAccess &a) { return a.end <= start; });
  for (const DramAccess &other : dramInFlight) {
    // The load queue only reads DRAM and the store queue only writes it.
    if (other.isStore == access.isStore)
      continue;
    std::optional<uint64_t> byte = overlap(access, other);
    if (!byte)
      continue;
    return fail(index,
                "data race: it " +
                    llvm::Twine(access.isStore ? "writes" : "reads") +
                    " DRAM r" + llvm::Twine(reg) + "+" +
                    hex(*byte - regBase[reg]) + " at cycle " +
                    llvm::Twine(start) + ", which " +
                    program.describeInstruction(other.index) + " " +
                    (other.isStore ? "writes" : "reads") + " until cycle " +
                    llvm::Twine(other.end) +
                    "; order them with a dependency token");
  }
  dramInFlight.push_back(access);
  return llvm::Error::success();
}

llvm::Error Simulator::Impl::deadlock() {
  std::string msg = "deadlock: no queue can issue its next instruction";
  for (unsigned q = 0; q < kNumQueues; ++q) {
    const QueueState &state = queues[q];
    msg += "\n  ";
    msg += getQueueName(static_cast<Queue>(q)).str() + " queue: ";
    if (state.done) {
      msg += "halted";
      continue;
    }
    uint32_t index = state.program[state.pc];
    const Instruction &inst = program.instructions[index];
    msg += program.describeInstruction(index);
    for (unsigned p = 0; p < kNumQueues; ++p) {
      if ((inst.get(Field::Wait) >> p & 1) && channels[p][q].tokens.empty())
        msg += ", waits for a token from " +
               getQueueName(static_cast<Queue>(p)).str() +
               (queues[p].done ? " (which has halted)" : "");
      const Channel &out = channels[q][p];
      if ((inst.get(Field::Signal) >> p & 1) &&
          out.pushes >= config.tokenDepth &&
          out.popTimes.size() < out.pushes - config.tokenDepth + 1)
        msg += ", cannot signal " + getQueueName(static_cast<Queue>(p)).str() +
               ": its channel holds " + std::to_string(config.tokenDepth) +
               " tokens";
    }
  }
  return llvm::createStringError(msg);
}

llvm::Error Simulator::Impl::run() {
  if (ran)
    return llvm::createStringError("the simulator has already run");
  ran = true;
  // Dispatch: every instruction to its queue; halt ends every queue.
  for (uint32_t i = 0; i < program.instructions.size(); ++i) {
    const Instruction &inst = program.instructions[i];
    if (inst.getOpcode() == Opcode::Halt) {
      for (QueueState &q : queues)
        q.program.push_back(i);
      break;
    }
    queues[static_cast<unsigned>(getQueue(inst))].program.push_back(i);
  }
  while (true) {
    // Find the queue whose head instruction can start first.
    int best = -1;
    uint64_t bestStart = 0, bestReady = 0;
    bool bestSlotBound = false;
    bool allDone = true;
    for (unsigned q = 0; q < kNumQueues; ++q) {
      QueueState &state = queues[q];
      if (state.done)
        continue;
      const Instruction &inst = program.instructions[state.program[state.pc]];
      if (inst.getOpcode() == Opcode::Halt) {
        state.done = true;
        stats.cycles = std::max(stats.cycles, state.drained);
        continue;
      }
      allDone = false;
      bool isMatmul = inst.getOpcode() == Opcode::Matmul;
      // DMA requests pipeline (the next one issues when the previous one's
      // data has crossed the port), back-to-back matmuls stream; anything
      // else waits for its queue to drain (sync is a fence; dma.gather reads
      // indices that earlier loads of its queue may still be bringing in).
      bool pipelined = inst.getOpcode() == Opcode::DmaLoad ||
                       inst.getOpcode() == Opcode::DmaStore ||
                       (isMatmul && state.lastWasMatmul);
      uint64_t ready = pipelined ? state.issueFree : state.drained;
      uint64_t tokenTime = 0, slotTime = 0;
      bool blocked = false;
      for (unsigned p = 0; p < kNumQueues && !blocked; ++p) {
        if (inst.get(Field::Wait) >> p & 1) {
          if (channels[p][q].tokens.empty())
            blocked = true;
          else
            tokenTime = std::max(tokenTime, channels[p][q].tokens.front());
        }
        if (inst.get(Field::Signal) >> p & 1) {
          const Channel &out = channels[q][p];
          if (out.pushes >= config.tokenDepth) {
            size_t pop = out.pushes - config.tokenDepth;
            if (pop >= out.popTimes.size())
              blocked = true;
            else
              slotTime = std::max(slotTime, out.popTimes[pop]);
          }
        }
      }
      if (blocked)
        continue;
      uint64_t start = std::max({ready, tokenTime, slotTime});
      if (best < 0 || start < bestStart) {
        best = static_cast<int>(q);
        bestStart = start;
        bestReady = ready;
        bestSlotBound = slotTime > tokenTime;
      }
    }
    if (best < 0) {
      if (allDone)
        break;
      return deadlock();
    }
    unsigned q = static_cast<unsigned>(best);
    QueueState &state = queues[q];
    uint32_t index = state.program[state.pc];
    const Instruction &inst = program.instructions[index];
    uint64_t start = bestStart;
    QueueStats &qs = stats.queues[q];
    if (start > bestReady)
      (bestSlotBound ? qs.fullStallCycles : qs.waitStallCycles) +=
          start - bestReady;
    for (unsigned p = 0; p < kNumQueues; ++p)
      if (inst.get(Field::Wait) >> p & 1) {
        channels[p][q].tokens.pop_front();
        channels[p][q].popTimes.push_back(start);
      }

    // Execute and time it.
    uint64_t issueEnd = start + 1, complete = start + 1;
    switch (inst.getOpcode()) {
    case Opcode::DmaLoad:
    case Opcode::DmaStore:
    case Opcode::DmaGather: {
      uint64_t dataCycles;
      if (llvm::Error err = inst.getOpcode() == Opcode::DmaGather
                                ? gather(index, inst, dataCycles)
                                : dma(index, inst, dataCycles))
        return err;
      uint64_t dataStart = std::max(start, dramPortFree);
      issueEnd = dataStart + dataCycles;
      dramPortFree = issueEnd;
      complete = issueEnd + config.dramLatency;
      if (config.checkRaces)
        if (llvm::Error err = checkDramRaces(index, inst, start, complete))
          return err;
      break;
    }
    case Opcode::Matmul: {
      executeCompute(inst, local.data());
      uint64_t m = inst.get(Field::M), k = inst.get(Field::K);
      uint64_t hidden = state.lastWasMatmul ? std::min(k, state.lastMatmulRows) : 0;
      uint64_t busy = (k - hidden) + m;
      issueEnd = start + busy;
      complete = issueEnd + config.matmulLatency;
      ++stats.matmuls;
      stats.macs += m * k * inst.get(Field::N);
      stats.arrayBusyCycles += busy;
      state.lastMatmulRows = m;
      break;
    }
    case Opcode::VUnary:
    case Opcode::VBinary:
    case Opcode::VReduce:
    case Opcode::VConvert:
    case Opcode::VFill:
      executeCompute(inst, local.data());
      issueEnd = complete =
          start + getVectorCycles(inst, config.vectorLatency,
                                  config.transcendentalLatency);
      ++stats.vectorOps;
      stats.vectorElements += inst.get(Field::Rows) * inst.get(Field::Cols);
      break;
    default:
      break;
    }
    if (config.checkRaces)
      if (llvm::Error err = checkRaces(index, static_cast<Queue>(q), inst,
                                       start, complete))
        return err;
    for (unsigned p = 0; p < kNumQueues; ++p)
      if (inst.get(Field::Signal) >> p & 1) {
        channels[q][p].tokens.push_back(complete);
        ++channels[q][p].pushes;
      }
    if (config.trace)
      *config.trace << "[" << start << ", " << complete << ") "
                    << getQueueName(static_cast<Queue>(q)) << " #" << index
                    << " " << getMnemonic(inst) << "\n";
    qs.instructions += 1;
    qs.busyCycles += issueEnd - start;
    state.lastWasMatmul = inst.getOpcode() == Opcode::Matmul;
    state.issueFree = issueEnd;
    state.drained = std::max(state.drained, complete);
    ++state.pc;
  }
  return llvm::Error::success();
}

Simulator::Simulator(std::unique_ptr<Impl> impl) : impl(std::move(impl)) {}
Simulator::~Simulator() = default;

llvm::Expected<std::unique_ptr<Simulator>>
Simulator::create(const Program &program, const SimConfig &config) {
  if (llvm::Error err = verifyProgram(program))
    return std::move(err);
  if (config.tokenDepth == 0 || config.dramBytesPerCycle == 0 ||
      config.dramBurstBytes == 0)
    return llvm::createStringError(
        "token depth, DRAM bandwidth and burst size must be positive");
  auto impl = std::make_unique<Impl>(program, config);
  if (llvm::Error err = impl->layout())
    return std::move(err);
  return std::unique_ptr<Simulator>(new Simulator(std::move(impl)));
}

llvm::MutableArrayRef<uint8_t> Simulator::getArgumentMemory(size_t index) {
  const Argument &arg = impl->program.arguments[index];
  return llvm::MutableArrayRef<uint8_t>(impl->dram.data() + impl->regBase[arg.reg],
                                        arg.getByteSize());
}

llvm::MutableArrayRef<uint8_t> Simulator::getDataSegment() {
  return llvm::MutableArrayRef<uint8_t>(impl->dram.data(), impl->program.dataSize);
}

llvm::MutableArrayRef<uint8_t> Simulator::getLocalMemory() { return impl->local; }

uint64_t Simulator::getRegister(unsigned r) const {
  return r < kNumRegisters ? impl->regBase[r] : 0;
}

llvm::Error Simulator::run() { return impl->run(); }

const SimStats &Simulator::getStats() const { return impl->stats; }

double SimStats::getArrayUtilization() const {
  return cycles ? double(macs) / (double(kArrayDim * kArrayDim) * cycles) : 0;
}

double SimStats::getArrayBusyUtilization() const {
  return arrayBusyCycles
             ? double(macs) / (double(kArrayDim * kArrayDim) * arrayBusyCycles)
             : 0;
}

void mlir::llm::npu::printStats(llvm::raw_ostream &os, const SimStats &s) {
  os << "cycles: " << s.cycles << "\n";
  os << llvm::format("array: %llu matmuls, %llu MACs, utilization %.1f%% "
                     "(%.1f%% while busy, busy %llu cycles)\n",
                     (unsigned long long)s.matmuls, (unsigned long long)s.macs,
                     100 * s.getArrayUtilization(),
                     100 * s.getArrayBusyUtilization(),
                     (unsigned long long)s.arrayBusyCycles);
  os << "vector: " << s.vectorOps << " ops, " << s.vectorElements
     << " elements\n";
  os << "dma: loaded " << s.dmaLoadBytes << " bytes in " << s.dmaLoads
     << " transfers, stored " << s.dmaStoreBytes << " bytes in " << s.dmaStores
     << " transfers, " << s.dramBurstBytes << " bytes of DRAM bursts\n";
  os << "queue  instructions  busy  wait-stall  full-stall\n";
  for (unsigned q = 0; q < kNumQueues; ++q) {
    const QueueStats &qs = s.queues[q];
    os << llvm::format("%-5s  %12llu  %4llu  %10llu  %10llu\n",
                       getQueueName(static_cast<Queue>(q)).str().c_str(),
                       (unsigned long long)qs.instructions,
                       (unsigned long long)qs.busyCycles,
                       (unsigned long long)qs.waitStallCycles,
                       (unsigned long long)qs.fullStallCycles);
  }
}

void mlir::llm::npu::printStatsJSON(llvm::raw_ostream &os, const SimStats &s) {
  llvm::json::Object queues;
  for (unsigned q = 0; q < kNumQueues; ++q) {
    const QueueStats &qs = s.queues[q];
    queues[getQueueName(static_cast<Queue>(q))] = llvm::json::Object{
        {"instructions", qs.instructions},
        {"busy_cycles", qs.busyCycles},
        {"wait_stall_cycles", qs.waitStallCycles},
        {"full_stall_cycles", qs.fullStallCycles}};
  }
  llvm::json::Object root{
      {"cycles", s.cycles},
      {"matmuls", s.matmuls},
      {"macs", s.macs},
      {"array_busy_cycles", s.arrayBusyCycles},
      {"array_utilization", s.getArrayUtilization()},
      {"vector_ops", s.vectorOps},
      {"vector_elements", s.vectorElements},
      {"dma_loads", s.dmaLoads},
      {"dma_stores", s.dmaStores},
      {"dma_load_bytes", s.dmaLoadBytes},
      {"dma_store_bytes", s.dmaStoreBytes},
      {"dram_burst_bytes", s.dramBurstBytes},
      {"queues", std::move(queues)}};
  os << llvm::formatv("{0:2}", llvm::json::Value(std::move(root))) << "\n";
}
