//===- HugePageMemoryMapper.h - JIT data in 2 MiB pages ---------*- C++ -*-===//
//
// The memory the JIT (CPUJITModel) places the compiled module's sections in.
// Large read-only and read-write data sections (the model's weights, packed
// at compile time into constant globals) get 2 MiB-aligned anonymous
// mappings marked MADV_HUGEPAGE before the JIT copies the data in, so that
// the kernel backs them with transparent huge pages (with THP in "madvise"
// mode, the default of most distributions, nothing else does). Everything
// else (code, small sections) is mapped as LLVM's default mapper does.
//
// Why: a decode GEMV streams every weight once per call. Through 4 KiB pages
// a 64 MiB weight is 16384 TLB misses per call, and on a virtual machine
// each is a two-level page walk; measured on this project's VM (AMD EPYC,
// one thread): a plain AVX-512 sum over 64 MiB read 17 GB/s through 4 KiB
// pages and 30 GB/s through 2 MiB pages, and our 1 x 4096 x 4096 GEMV ran
// at 17.4 GB/s from JIT memory (docs/cpu.md, "Weights in huge pages").
//
//===----------------------------------------------------------------------===//

#ifndef LLM_TARGET_CPU_HUGEPAGEMEMORYMAPPER_H
#define LLM_TARGET_CPU_HUGEPAGEMEMORYMAPPER_H

#include "llvm/ExecutionEngine/SectionMemoryManager.h"

#include <cstddef>

namespace mlir {
namespace llm {

/// A SectionMemoryManager::MemoryMapper (ExecutionEngineOptions::
/// sectionMemoryMapper) that maps data blocks of at least `minBytes` as
/// 2 MiB-aligned anonymous memory advised MADV_HUGEPAGE (on Linux; elsewhere,
/// and for code and smaller blocks, LLVM's default mapping).
class HugePageMemoryMapper final
    : public llvm::SectionMemoryManager::MemoryMapper {
public:
  /// The huge page size the mapper aligns to.
  static constexpr size_t kHugePageBytes = size_t(2) << 20;

  explicit HugePageMemoryMapper(size_t minBytes = 2 * kHugePageBytes)
      : minBytes(minBytes) {}

  llvm::sys::MemoryBlock
  allocateMappedMemory(llvm::SectionMemoryManager::AllocationPurpose purpose,
                       size_t numBytes,
                       const llvm::sys::MemoryBlock *const nearBlock,
                       unsigned flags, std::error_code &ec) override;
  std::error_code protectMappedMemory(const llvm::sys::MemoryBlock &block,
                                      unsigned flags) override;
  std::error_code releaseMappedMemory(llvm::sys::MemoryBlock &block) override;

  /// Number of blocks mapped for huge pages so far.
  unsigned getHugeBlockCount() const { return hugeBlocks; }

private:
  size_t minBytes;
  unsigned hugeBlocks = 0;
};

} // namespace llm
} // namespace mlir

#endif // LLM_TARGET_CPU_HUGEPAGEMEMORYMAPPER_H
