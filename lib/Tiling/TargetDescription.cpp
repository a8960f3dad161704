//===- TargetDescription.cpp - detect and override target descriptions ----===//
//
// Fills a TargetDescription from the host (LLVM's CPU name and features,
// Linux sysfs cache sizes) or from an LLVM CPU name, and applies `key=value`
// overrides given inline or in a file. See TargetDescription.h.
//
//===----------------------------------------------------------------------===//

#include "llm/Tiling/TargetDescription.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/X86TargetParser.h"

#include <thread>

using namespace mlir;
using namespace mlir::llm;

void TargetDescription::print(llvm::raw_ostream &os) const {
  os << "cpu=" << cpu << " source=" << source << " vector-bits=" << vectorBits
     << " registers=" << vectorRegisters << " fma-units=" << fmaUnits
     << " fma-latency=" << fmaLatency << " l1=" << l1Bytes << " l2=" << l2Bytes
     << " l3=" << l3Bytes << " line=" << lineBytes << " threads=" << threads
     << " shared-memory=" << sharedMemoryBytes
     << " scratchpad=" << scratchpadBytes
     << " accumulator=" << accumulatorBytes << " vnni=" << vnni
     << " amx-int8=" << amxInt8 << " amx-bf16=" << amxBF16;
  if (gpuSMs)
    os << " sms=" << gpuSMs << " warp-size=" << gpuWarpSize
       << " registers-per-sm=" << gpuRegistersPerSM
       << " registers-per-thread=" << gpuRegistersPerThread
       << " shared-memory-per-sm=" << gpuSharedMemoryPerSM
       << " threads-per-sm=" << gpuThreadsPerSM
       << " threads-per-block=" << gpuThreadsPerBlock
       << " blocks-per-sm=" << gpuBlocksPerSM
       << " tensor-macs=" << gpuTensorMACsPerCycle
       << " memory-bytes=" << gpuMemoryBytesPerCycle;
}

/// Vector width, registers and FMA issue width from a feature test (LLVM's
/// CPU tables list the highest features, e.g. avx2 without avx).
static void setVectorUnits(TargetDescription &desc,
                           llvm::function_ref<bool(StringRef)> has) {
  if (has("avx512f")) {
    desc.vectorBits = 512;
    desc.vectorRegisters = 32;
    desc.fmaUnits = 2;
  } else if (has("avx2") || has("avx")) {
    desc.vectorBits = 256;
    desc.vectorRegisters = 16;
    desc.fmaUnits = has("fma") ? 2 : 1;
  } else {
    desc.vectorBits = 128;
    desc.vectorRegisters = 16;
    desc.fmaUnits = 1;
  }
  desc.fmaLatency = 4;
  desc.vnni = has("avx512f") && has("avx512vnni");
  desc.amxInt8 = has("amx-tile") && has("amx-int8");
  desc.amxBF16 = has("amx-tile") && has("amx-bf16");
}

/// Typical private caches of a CPU class (the values of current server
/// parts; a host description reads the real ones from sysfs).
static void setTypicalCaches(TargetDescription &desc) {
  desc.l1Bytes = (desc.vectorBits == 512 ? 48 : 32) * 1024;
  desc.l2Bytes = (desc.vectorBits == 512 ? 2048 : 512) * 1024;
  desc.l3Bytes = 32 * 1024 * 1024;
  desc.lineBytes = 64;
}

static int64_t hostThreads() {
  unsigned n = std::thread::hardware_concurrency();
  return n ? n : 1;
}

/// Parses a size with an optional K/KiB/M/MiB/G/GiB suffix ("48K", "2MiB").
static std::optional<int64_t> parseSize(StringRef text) {
  text = text.trim();
  int64_t scale = 1;
  for (auto [suffix, factor] : {std::pair<StringRef, int64_t>{"KiB", 1024},
                                {"MiB", 1024 * 1024},
                                {"GiB", 1024 * 1024 * 1024},
                                {"KB", 1024},
                                {"MB", 1024 * 1024},
                                {"K", 1024},
                                {"M", 1024 * 1024},
                                {"G", 1024 * 1024 * 1024}}) {
    if (text.consume_back(suffix)) {
      scale = factor;
      break;
    }
  }
  int64_t value;
  if (text.trim().getAsInteger(10, value) || value < 0)
    return std::nullopt;
  return value * scale;
}

/// Reads /sys/devices/system/cpu/cpu0/cache/index*/ into the description.
static void readSysfsCaches(TargetDescription &desc) {
  for (int index = 0; index < 8; ++index) {
    std::string dir =
        "/sys/devices/system/cpu/cpu0/cache/index" + std::to_string(index);
    auto read = [&](StringRef name) -> std::string {
      auto buffer = llvm::MemoryBuffer::getFileAsStream(dir + "/" + name);
      if (!buffer)
        return "";
      return (*buffer)->getBuffer().trim().str();
    };
    std::string level = read("level");
    if (level.empty())
      break;
    std::string type = read("type");
    if (type == "Instruction")
      continue;
    std::optional<int64_t> size = parseSize(read("size"));
    if (!size || *size == 0)
      continue;
    if (level == "1")
      desc.l1Bytes = *size;
    else if (level == "2")
      desc.l2Bytes = *size;
    else if (level == "3")
      desc.l3Bytes = *size;
    if (std::optional<int64_t> line = parseSize(read("coherency_line_size")))
      if (*line > 0)
        desc.lineBytes = *line;
  }
}

TargetDescription llm::detectHostTarget() {
  TargetDescription desc;
  desc.cpu = llvm::sys::getHostCPUName().str();
  desc.source = "host";
  llvm::StringMap<bool> features = llvm::sys::getHostCPUFeatures();
  setVectorUnits(desc, [&](StringRef name) { return features.lookup(name); });
  setTypicalCaches(desc);
  readSysfsCaches(desc);
  desc.threads = hostThreads();
  return desc;
}

FailureOr<TargetDescription> llm::getCPUTarget(StringRef cpu,
                                               std::string &error) {
  if (cpu.empty() || cpu == "host")
    return detectHostTarget();
  if (llvm::X86::parseArchX86(cpu, /*Only64Bit=*/true) == llvm::X86::CK_None) {
    error = "target-cpu=" + cpu.str() +
            " is not an x86-64 CPU LLVM knows (examples: host, x86-64-v3, "
            "skylake-avx512, sapphirerapids, znver4)";
    return failure();
  }
  TargetDescription desc;
  desc.cpu = cpu.str();
  desc.source = "cpu-table";
  SmallVector<StringRef> features;
  llvm::X86::getFeaturesForCPU(cpu, features);
  setVectorUnits(
      desc, [&](StringRef name) { return llvm::is_contained(features, name); });
  setTypicalCaches(desc);
  desc.threads = hostThreads();
  return desc;
}

FailureOr<TargetDescription> llm::getGPUTarget(StringRef chip,
                                               std::string &error) {
  // NVIDIA's published figures (CUDA programming guide, compute capability
  // tables; A100 and H100 SXM whitepapers). Tensor rate: dense f16 FLOP/s /
  // 2 / SMs / boost clock (A100: 312 T / 2 / 108 / 1.41 GHz = 1024; H100
  // SXM: 989 T / 2 / 132 / 1.83 GHz = 2048, reached by wgmma; mma.sync gets
  // roughly two thirds of it). Memory: bandwidth / boost clock (A100 40 GB:
  // 1555 GB/s -> 1100 B/cycle; H100 SXM: 3350 GB/s -> 1830 B/cycle).
  TargetDescription desc;
  desc.cpu = chip.str();
  desc.source = "gpu-table";
  desc.threads = 1;
  desc.sharedMemoryBytes = 48 * 1024;
  desc.gpuWarpSize = 32;
  desc.gpuRegistersPerSM = 65536;
  desc.gpuRegistersPerThread = 255;
  desc.gpuThreadsPerSM = 2048;
  desc.gpuThreadsPerBlock = 1024;
  desc.gpuBlocksPerSM = 32;
  if (chip == "sm_80") {
    desc.gpuSMs = 108;
    desc.gpuSharedMemoryPerSM = 164 * 1024;
    desc.gpuTensorMACsPerCycle = 1024;
    desc.gpuMemoryBytesPerCycle = 1100;
  } else if (chip == "sm_90" || chip == "sm_90a") {
    desc.gpuSMs = 132;
    desc.gpuSharedMemoryPerSM = 228 * 1024;
    desc.gpuTensorMACsPerCycle = 2048;
    desc.gpuMemoryBytesPerCycle = 1830;
  } else {
    error = "no GPU description for chip=" + chip.str() +
            " (known: sm_80, sm_90, sm_90a; give every GPU field with "
            "target-desc= to use another)";
    return failure();
  }
  return desc;
}

LogicalResult llm::applyTargetOverrides(TargetDescription &desc,
                                        StringRef overrides,
                                        std::string &error) {
  overrides = overrides.trim();
  if (overrides.empty())
    return success();
  std::unique_ptr<llvm::MemoryBuffer> file;
  if (overrides.consume_front("@")) {
    auto buffer = llvm::MemoryBuffer::getFile(overrides);
    if (!buffer) {
      error = "cannot read target description file '" + overrides.str() +
              "': " + buffer.getError().message();
      return failure();
    }
    file = std::move(*buffer);
    overrides = file->getBuffer();
  }
  llvm::StringMap<int64_t *> fields = {
      {"l1", &desc.l1Bytes},
      {"l2", &desc.l2Bytes},
      {"l3", &desc.l3Bytes},
      {"line", &desc.lineBytes},
      {"vector-bits", &desc.vectorBits},
      {"registers", &desc.vectorRegisters},
      {"fma-units", &desc.fmaUnits},
      {"fma-latency", &desc.fmaLatency},
      {"threads", &desc.threads},
      {"shared-memory", &desc.sharedMemoryBytes},
      {"scratchpad", &desc.scratchpadBytes},
      {"accumulator", &desc.accumulatorBytes},
      {"vnni", &desc.vnni},
      {"amx-int8", &desc.amxInt8},
      {"amx-bf16", &desc.amxBF16},
      {"sms", &desc.gpuSMs},
      {"warp-size", &desc.gpuWarpSize},
      {"registers-per-sm", &desc.gpuRegistersPerSM},
      {"registers-per-thread", &desc.gpuRegistersPerThread},
      {"shared-memory-per-sm", &desc.gpuSharedMemoryPerSM},
      {"threads-per-sm", &desc.gpuThreadsPerSM},
      {"threads-per-block", &desc.gpuThreadsPerBlock},
      {"blocks-per-sm", &desc.gpuBlocksPerSM},
      {"tensor-macs", &desc.gpuTensorMACsPerCycle},
      {"memory-bytes", &desc.gpuMemoryBytesPerCycle}};
  // The instruction sets the CPU has: an override may turn them off only.
  llvm::StringMap<int64_t> available = {{"vnni", desc.vnni},
                                        {"amx-int8", desc.amxInt8},
                                        {"amx-bf16", desc.amxBF16}};
  SmallVector<StringRef> lines;
  overrides.split(lines, '\n');
  for (StringRef line : lines) {
    line = line.split('#').first;
    SmallVector<StringRef> items;
    line.split(items, ',', /*MaxSplit=*/-1, /*KeepEmpty=*/false);
    for (StringRef item : items) {
      item = item.trim();
      if (item.empty())
        continue;
      auto [key, value] = item.split('=');
      key = key.trim();
      auto it = fields.find(key);
      if (it == fields.end()) {
        error = "unknown target description key '" + key.str() +
                "' (known: l1, l2, l3, line, vector-bits, registers, "
                "fma-units, fma-latency, threads, shared-memory, scratchpad, "
                "accumulator, vnni, "
                "amx-int8, amx-bf16; GPU: sms, warp-size, registers-per-sm, "
                "registers-per-thread, shared-memory-per-sm, threads-per-sm, "
                "threads-per-block, blocks-per-sm, tensor-macs, memory-bytes)";
        return failure();
      }
      std::optional<int64_t> number = parseSize(value);
      bool mustBePositive = key != "shared-memory" && key != "scratchpad" &&
                            key != "accumulator" &&
                            !available.count(key);
      if (!number || (mustBePositive && *number == 0)) {
        error = "bad value '" + value.trim().str() + "' for target " +
                "description key '" + key.str() +
                "' (expected a non-negative integer, sizes may end in "
                "K/KiB/M/MiB/G/GiB)";
        return failure();
      }
      if (key == "vector-bits" &&
          (*number < 64 || !llvm::isPowerOf2_64(*number))) {
        error = "vector-bits=" + value.trim().str() +
                " must be a power of two of at least 64";
        return failure();
      }
      if (auto feature = available.find(key); feature != available.end()) {
        if (*number > 1) {
          error = key.str() + "=" + value.trim().str() + " must be 0 or 1";
          return failure();
        }
        if (*number > feature->second) {
          error = key.str() + "=1 but CPU '" + desc.cpu +
                  "' does not have it (an override can only turn an "
                  "instruction set off)";
          return failure();
        }
      }
      *it->second = *number;
    }
  }
  desc.source += "+overrides";
  return success();
}

FailureOr<TargetDescription>
llm::resolveCPUTarget(StringRef cpu, StringRef overrides, std::string &error) {
  FailureOr<TargetDescription> desc = getCPUTarget(cpu, error);
  if (failed(desc) || failed(applyTargetOverrides(*desc, overrides, error)))
    return failure();
  return desc;
}

FailureOr<TargetDescription> llm::resolvePassTarget(Operation *anchor,
                                                    StringRef passName,
                                                    StringRef cpu,
                                                    StringRef overrides) {
  std::string error;
  FailureOr<TargetDescription> desc = resolveCPUTarget(cpu, overrides, error);
  if (failed(desc))
    anchor->emitError() << passName << ": " << error;
  return desc;
}
