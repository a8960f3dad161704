//===- HugePageMemoryMapper.cpp - JIT data in 2 MiB pages -----------------===//
//
// See HugePageMemoryMapper.h. A large data block is mapped with 2 MiB to
// spare, the unaligned head and tail are unmapped again, and the rest is
// advised MADV_HUGEPAGE while still untouched: the JIT's copy of the section
// then faults it in as huge pages. Protection changes and release are plain
// mprotect / munmap (LLVM's sys::Memory), which work on either kind of block.
//
//===----------------------------------------------------------------------===//

#include "llm/Target/CPU/HugePageMemoryMapper.h"

#include "llvm/Support/Memory.h"

#include <cerrno>
#include <cstdint>

#if defined(__linux__)
#include <sys/mman.h>
#endif

using namespace mlir::llm;
using llvm::sys::Memory;
using llvm::sys::MemoryBlock;

#if defined(__linux__)
/// PROT_* of LLVM's MF_* flags.
static int protection(unsigned flags) {
  int prot = PROT_NONE;
  if (flags & Memory::MF_READ)
    prot |= PROT_READ;
  if (flags & Memory::MF_WRITE)
    prot |= PROT_WRITE;
  if (flags & Memory::MF_EXEC)
    prot |= PROT_EXEC;
  return prot;
}
#endif

MemoryBlock HugePageMemoryMapper::allocateMappedMemory(
    llvm::SectionMemoryManager::AllocationPurpose purpose, size_t numBytes,
    const MemoryBlock *const nearBlock, unsigned flags, std::error_code &ec) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  if (purpose != llvm::SectionMemoryManager::AllocationPurpose::Code &&
      numBytes >= minBytes && !(flags & Memory::MF_EXEC)) {
    size_t bytes = (numBytes + kHugePageBytes - 1) & ~(kHugePageBytes - 1);
    size_t spare = bytes + kHugePageBytes;
    // Near the previous block when that address range is free (a hint).
    void *hint = nullptr;
    if (nearBlock && nearBlock->base())
      hint = reinterpret_cast<void *>(
          (reinterpret_cast<uintptr_t>(nearBlock->base()) +
           nearBlock->allocatedSize() + kHugePageBytes - 1) &
          ~uintptr_t(kHugePageBytes - 1));
    void *raw = ::mmap(hint, spare, protection(flags),
                       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED) {
      ec = std::error_code(errno, std::generic_category());
      return MemoryBlock();
    }
    uintptr_t start = reinterpret_cast<uintptr_t>(raw);
    uintptr_t aligned =
        (start + kHugePageBytes - 1) & ~uintptr_t(kHugePageBytes - 1);
    if (aligned > start)
      ::munmap(raw, aligned - start);
    uintptr_t end = start + spare, alignedEnd = aligned + bytes;
    if (end > alignedEnd)
      ::munmap(reinterpret_cast<void *>(alignedEnd), end - alignedEnd);
    // Advice only: without THP (or with it off) the block keeps 4 KiB pages.
    (void)::madvise(reinterpret_cast<void *>(aligned), bytes, MADV_HUGEPAGE);
    ++hugeBlocks;
    ec = std::error_code();
    return MemoryBlock(reinterpret_cast<void *>(aligned), bytes);
  }
#endif
  return Memory::allocateMappedMemory(numBytes, nearBlock, flags, ec);
}

std::error_code
HugePageMemoryMapper::protectMappedMemory(const MemoryBlock &block,
                                          unsigned flags) {
  return Memory::protectMappedMemory(block, flags);
}

std::error_code HugePageMemoryMapper::releaseMappedMemory(MemoryBlock &block) {
  return Memory::releaseMappedMemory(block);
}
