//===- HugePageMemoryMapperTest.cpp - the JIT's huge-page data blocks -----===//
//
// Tests of HugePageMemoryMapper (lib/Target/CPU): a large data block is
// 2 MiB-aligned, whole huge pages long, and advised for transparent huge
// pages (the kernel's own report, /proc/self/smaps "THPeligible: 1", unless
// THP is off on the machine); it keeps its contents through the read-only
// protection the JIT applies, and is released. Code and small blocks keep
// LLVM's default mapping.
//
//===----------------------------------------------------------------------===//

#include "llm/Target/CPU/HugePageMemoryMapper.h"

#include "llvm/Support/Memory.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

using namespace mlir::llm;
using llvm::sys::Memory;
using llvm::sys::MemoryBlock;
using Purpose = llvm::SectionMemoryManager::AllocationPurpose;

namespace {

/// The smaps value of `key` (e.g. "THPeligible") for the mapping that holds
/// `address`, or -1 when there is none.
long smapsField(const void *address, const std::string &key) {
  std::ifstream smaps("/proc/self/smaps");
  std::string line;
  uintptr_t at = reinterpret_cast<uintptr_t>(address);
  bool inside = false;
  while (std::getline(smaps, line)) {
    uintptr_t start = 0, end = 0;
    char dash = 0;
    std::istringstream range(line);
    if (range >> std::hex >> start >> dash >> end && dash == '-' &&
        line.find(':') > line.find(' ')) {
      inside = start <= at && at < end;
      continue;
    }
    if (inside && line.rfind(key + ":", 0) == 0)
      return std::stol(line.substr(key.size() + 1));
  }
  return -1;
}

/// Whether transparent huge pages can be used at all ("always" or
/// "madvise" selected in sysfs).
bool thpAvailable() {
  std::ifstream file("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string modes;
  std::getline(file, modes);
  return modes.find("[always]") != std::string::npos ||
         modes.find("[madvise]") != std::string::npos;
}

TEST(HugePageMemoryMapperTest, LargeDataBlockIsAlignedAndAdvised) {
  HugePageMemoryMapper mapper;
  std::error_code ec;
  size_t bytes = 5 * HugePageMemoryMapper::kHugePageBytes + 4096;
  MemoryBlock block = mapper.allocateMappedMemory(
      Purpose::ROData, bytes, nullptr, Memory::MF_READ | Memory::MF_WRITE, ec);
  ASSERT_FALSE(ec) << ec.message();
  ASSERT_NE(block.base(), nullptr);
  EXPECT_EQ(mapper.getHugeBlockCount(), 1u);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(block.base()) %
                HugePageMemoryMapper::kHugePageBytes,
            0u);
  // Rounded up to whole huge pages: 6 of them.
  EXPECT_EQ(block.allocatedSize(), 6 * HugePageMemoryMapper::kHugePageBytes);
  if (thpAvailable())
    EXPECT_EQ(smapsField(block.base(), "THPeligible"), 1);

  // The JIT copies the section in, then makes it read-only.
  auto *bytesPtr = static_cast<unsigned char *>(block.base());
  for (size_t i = 0; i < bytes; i += 4096)
    bytesPtr[i] = static_cast<unsigned char>(i / 4096);
  ASSERT_FALSE(mapper.protectMappedMemory(block, Memory::MF_READ));
  for (size_t i = 0; i < bytes; i += 4096)
    ASSERT_EQ(bytesPtr[i], static_cast<unsigned char>(i / 4096));
  void *base = block.base();
  ASSERT_FALSE(mapper.releaseMappedMemory(block));
  EXPECT_EQ(smapsField(base, "THPeligible"), -1);
}

TEST(HugePageMemoryMapperTest, CodeAndSmallBlocksKeepTheDefaultMapping) {
  HugePageMemoryMapper mapper;
  std::error_code ec;
  MemoryBlock code = mapper.allocateMappedMemory(
      Purpose::Code, 8 * HugePageMemoryMapper::kHugePageBytes, nullptr,
      Memory::MF_READ | Memory::MF_WRITE, ec);
  ASSERT_FALSE(ec) << ec.message();
  MemoryBlock small =
      mapper.allocateMappedMemory(Purpose::RWData, 64 * 1024, nullptr,
                                  Memory::MF_READ | Memory::MF_WRITE, ec);
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_EQ(mapper.getHugeBlockCount(), 0u);
  EXPECT_LT(small.allocatedSize(), HugePageMemoryMapper::kHugePageBytes);
  EXPECT_NE(smapsField(small.base(), "THPeligible"), 1);
  ASSERT_FALSE(mapper.releaseMappedMemory(code));
  ASSERT_FALSE(mapper.releaseMappedMemory(small));
}

TEST(HugePageMemoryMapperTest, ThresholdIsConfigurable) {
  HugePageMemoryMapper mapper(/*minBytes=*/1 << 20);
  std::error_code ec;
  MemoryBlock block =
      mapper.allocateMappedMemory(Purpose::RWData, 1 << 20, nullptr,
                                  Memory::MF_READ | Memory::MF_WRITE, ec);
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_EQ(mapper.getHugeBlockCount(), 1u);
  EXPECT_EQ(block.allocatedSize(), HugePageMemoryMapper::kHugePageBytes);
  ASSERT_FALSE(mapper.releaseMappedMemory(block));
}

} // namespace
