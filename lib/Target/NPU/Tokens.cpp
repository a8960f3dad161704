//===- Tokens.cpp - dependency tokens for straight-line NPU code ---------===//
//
// See Tokens.h. Per 4-byte granule of local memory the last writer and the
// last reader per queue; per 64-byte DRAM burst (and register) the last
// load and store. An instruction depends, per other queue, on the latest
// conflicting instruction there, unless another instruction it waits for
// itself waited for that one. `known[q][p]` is the latest instruction of
// queue p known to be complete when queue q's next instruction issues:
// tokens are only added beyond it, and waiting on P teaches q everything P
// knew (completion is in order within a queue, so P done implies every
// earlier instruction of P's queue done).
//
//===----------------------------------------------------------------------===//

#include "llm/Target/NPU/Tokens.h"

#include "LocalAccess.h"

#include "llvm/ADT/DenseMap.h"

#include <array>

using namespace mlir::llm::npu;

namespace {
constexpr unsigned kGranule = 4;
constexpr int64_t kNone = -1;
using QueueVector = std::array<int64_t, kNumQueues>;
} // namespace

void mlir::llm::npu::insertDependencyTokens(
    std::vector<Instruction> &instructions) {
  size_t count = instructions.size();
  std::vector<unsigned> queueOf(count);
  std::vector<QueueVector> knownAt(count);
  std::array<QueueVector, kNumQueues> known;
  for (QueueVector &k : known)
    k.fill(kNone);

  // Local memory shadow.
  size_t granules = kLocalEnd / kGranule;
  std::vector<int64_t> lastWriter(granules, kNone);
  std::vector<QueueVector> lastReader(granules);
  for (QueueVector &r : lastReader)
    r.fill(kNone);
  // DRAM shadow: (register, burst) -> last load, last store.
  llvm::DenseMap<uint64_t, std::pair<int64_t, int64_t>> dram;

  for (size_t i = 0; i < count; ++i) {
    Instruction &inst = instructions[i];
    inst.set(Field::Wait, 0);
    inst.set(Field::Signal, 0);
    if (inst.getOpcode() == Opcode::Halt)
      continue;
    unsigned q = static_cast<unsigned>(getQueue(inst));
    queueOf[i] = q;
    QueueVector deps;
    deps.fill(kNone);
    auto need = [&](int64_t producer) {
      if (producer == kNone || queueOf[producer] == q)
        return;
      int64_t &d = deps[queueOf[producer]];
      d = std::max(d, producer);
    };

    llvm::SmallVector<LocalAccess, 3> accesses = getLocalAccesses(inst);
    for (const LocalAccess &a : accesses)
      for (uint64_t r = 0; r < a.rows; ++r) {
        uint64_t lo = a.addr + r * a.stride;
        for (uint64_t g = lo / kGranule; g <= (lo + a.rowBytes - 1) / kGranule;
             ++g) {
          need(lastWriter[g]);
          if (a.isWrite)
            for (int64_t reader : lastReader[g])
              need(reader);
        }
      }

    // A gather reads DRAM like a load, any row of its table.
    bool isGather = inst.getOpcode() == Opcode::DmaGather;
    bool isLoad = inst.getOpcode() == Opcode::DmaLoad || isGather;
    bool isDma = isLoad || inst.getOpcode() == Opcode::DmaStore;
    auto forEachBurst = [&](auto fn) {
      uint64_t reg = inst.get(Field::Reg), off = inst.get(Field::DramOffset),
               bytes = inst.get(Field::RowBytes),
               dstride = isGather ? bytes : inst.get(Field::DramStride);
      uint64_t rows = inst.get(isGather ? Field::TableRows : Field::Rows);
      uint64_t prevLast = ~uint64_t(0);
      for (uint64_t r = 0; r < rows; ++r) {
        uint64_t d = off + r * dstride;
        uint64_t first = d / 64, last = (d + bytes - 1) / 64;
        if (dstride == 0 && r > 0)
          break;
        for (uint64_t b = first; b <= last; ++b) {
          if (b == prevLast && b == first)
            continue; // consecutive rows sharing a burst
          fn((reg << 40) | b);
        }
        prevLast = last;
      }
    };
    if (isDma)
      forEachBurst([&](uint64_t key) {
        auto it = dram.find(key);
        if (it == dram.end())
          return;
        need(isLoad ? it->second.second : it->second.first);
      });

    // A producer that another one this instruction waits for already waited
    // for (transitively) needs no token of its own.
    for (unsigned p = 0; p < kNumQueues; ++p)
      for (unsigned p2 = 0; p2 < kNumQueues && deps[p] != kNone; ++p2)
        if (p2 != p && deps[p2] != kNone && knownAt[deps[p2]][p] >= deps[p])
          deps[p] = kNone;

    // Tokens for what is not known yet.
    for (unsigned p = 0; p < kNumQueues; ++p) {
      int64_t producer = deps[p];
      if (producer == kNone || producer <= known[q][p])
        continue;
      instructions[producer].set(
          Field::Signal, instructions[producer].get(Field::Signal) | (1u << q));
      inst.set(Field::Wait, inst.get(Field::Wait) | (1u << p));
      for (unsigned r = 0; r < kNumQueues; ++r)
        known[q][r] = std::max(known[q][r], knownAt[producer][r]);
      known[q][p] = std::max(known[q][p], producer);
    }
    knownAt[i] = known[q];

    // Record this instruction's accesses.
    for (const LocalAccess &a : accesses)
      for (uint64_t r = 0; r < a.rows; ++r) {
        uint64_t lo = a.addr + r * a.stride;
        for (uint64_t g = lo / kGranule; g <= (lo + a.rowBytes - 1) / kGranule;
             ++g) {
          if (a.isWrite) {
            lastWriter[g] = static_cast<int64_t>(i);
            lastReader[g].fill(kNone);
          } else {
            lastReader[g][q] = static_cast<int64_t>(i);
          }
        }
      }
    if (isDma)
      forEachBurst([&](uint64_t key) {
        auto &entry = dram.try_emplace(key, kNone, kNone).first->second;
        (isLoad ? entry.first : entry.second) = static_cast<int64_t>(i);
      });
  }
}
