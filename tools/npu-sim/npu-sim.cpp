//===- npu-sim.cpp - run, assemble and disassemble NPU programs ----------===//
//
//   npu-sim PROGRAM --input NAME=FILE ... [--output NAME=FILE] [--output-dir DIR]
//           [--expected NAME=FILE --rtol R --atol A] [--trace] [--report-json FILE]
//     runs PROGRAM (an NPU binary, or assembly text, assembled first) on the
//     given tensors (.npy, ONNX TensorProto .pb, or raw little-endian bytes
//     with any other suffix), writes the outputs, compares them with
//     references, and reports cycles, array utilization, DMA traffic and
//     stalls per queue (docs/npu.md).
//   npu-sim --assemble FILE.s -o FILE.npubin [--no-verify]
//   npu-sim --disassemble FILE.npubin [-o FILE.s]
//
// Every failure (unreadable or invalid program, wrong input, DRAM access out
// of bounds, deadlock, data race, mismatch) prints "npu-sim: error: ..." and
// exits 1.
//
//===----------------------------------------------------------------------===//

#include "llm/Runtime/Compare.h"
#include "llm/Runtime/TensorIO.h"
#include "llm/Target/NPU/Assembler.h"
#include "llm/Target/NPU/Simulator.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <cstring>

using namespace mlir::llm;
using namespace mlir::llm::npu;
namespace cl = llvm::cl;

static cl::OptionCategory simCategory("npu-sim options");
static cl::opt<std::string> programPath(cl::Positional, cl::Required,
                                        cl::desc("<program .npubin or .s>"),
                                        cl::cat(simCategory));
static cl::opt<bool> assembleOnly("assemble",
                                  cl::desc("Assemble the program text into a "
                                           "binary (-o FILE) instead of running"),
                                  cl::cat(simCategory));
static cl::opt<bool>
    disassembleOnly("disassemble",
                    cl::desc("Print the program as assembly text (-o FILE)"),
                    cl::cat(simCategory));
static cl::opt<std::string> outputFile("o", cl::desc("Output file"),
                                       cl::value_desc("file"), cl::init("-"),
                                       cl::cat(simCategory));
static cl::opt<bool> noVerify("no-verify",
                              cl::desc("Assemble without validating "
                                       "instructions (to test the simulator)"),
                              cl::cat(simCategory));
static cl::list<std::string> inputs("input", cl::desc("NAME=FILE"),
                                    cl::cat(simCategory));
static cl::list<std::string> outputs("output", cl::desc("NAME=FILE"),
                                     cl::cat(simCategory));
static cl::opt<std::string>
    outputDir("output-dir", cl::desc("Write every output as DIR/NAME.npy"),
              cl::cat(simCategory));
static cl::list<std::string>
    expected("expected", cl::desc("NAME=FILE: compare output NAME with FILE"),
             cl::cat(simCategory));
static cl::opt<double> relTol("rtol", cl::desc("Relative tolerance"),
                            cl::init(1e-5), cl::cat(simCategory));
static cl::opt<double> absTol("atol", cl::desc("Absolute tolerance"),
                            cl::init(1e-6), cl::cat(simCategory));
static cl::opt<bool> trace("trace",
                           cl::desc("Print every instruction as it issues"),
                           cl::cat(simCategory));
static cl::opt<std::string>
    statsJSON("report-json",
              cl::desc("Also write the statistics as JSON to this file"),
              cl::value_desc("file"), cl::cat(simCategory));
static cl::opt<bool> noRaceCheck("no-race-check",
                                 cl::desc("Do not report data races"),
                                 cl::cat(simCategory));
static cl::opt<unsigned> tokenDepth("token-depth",
                                    cl::desc("Tokens per channel"),
                                    cl::init(SimConfig().tokenDepth),
                                    cl::cat(simCategory));
static cl::opt<uint64_t> dramBandwidth("dram-bytes-per-cycle",
                                       cl::desc("DRAM port bandwidth"),
                                       cl::init(SimConfig().dramBytesPerCycle),
                                       cl::cat(simCategory));
static cl::opt<uint64_t> dramLatency("dram-latency",
                                     cl::desc("DRAM latency in cycles"),
                                     cl::init(SimConfig().dramLatency),
                                     cl::cat(simCategory));
static cl::opt<uint64_t> dramLimit("dram-limit",
                                   cl::desc("Most DRAM bytes to allocate"),
                                   cl::init(SimConfig().maxDramBytes),
                                   cl::cat(simCategory));

static int fail(const llvm::Twine &msg) {
  llvm::WithColor::error(llvm::errs(), "npu-sim") << msg << "\n";
  return 1;
}

/// The runtime's DType of an argument type (same spellings).
static DType toDType(ArgType type) {
  static const DType map[] = {DType::I8,  DType::U8,   DType::I16, DType::I32,
                              DType::I64, DType::F16,  DType::BF16, DType::F32,
                              DType::F64, DType::Bool};
  return map[static_cast<unsigned>(type)];
}

static bool isTensorFile(llvm::StringRef path) {
  return path.ends_with(".npy") || path.ends_with(".pb");
}

static std::string shapeString(const Argument &arg) {
  std::vector<int64_t> shape(arg.shape.begin(), arg.shape.end());
  return getArgTypeName(arg.type).str() + "[" + formatShape(shape) + "]";
}

/// Reads FILE into the bytes of `arg`, checking type and shape.
static llvm::Error readInput(const Argument &arg, llvm::StringRef path,
                             llvm::MutableArrayRef<uint8_t> memory) {
  if (!isTensorFile(path)) {
    auto buffer = llvm::MemoryBuffer::getFile(path, false, false);
    if (!buffer)
      return llvm::createStringError("cannot read '%s': %s", path.str().c_str(),
                                     buffer.getError().message().c_str());
    if ((*buffer)->getBufferSize() != memory.size())
      return llvm::createStringError(
          "raw input '%s' for '%s' has %zu bytes; %s needs %zu",
          path.str().c_str(), arg.name.c_str(), (*buffer)->getBufferSize(),
          shapeString(arg).c_str(), memory.size());
    std::memcpy(memory.data(), (*buffer)->getBufferStart(), memory.size());
    return llvm::Error::success();
  }
  llvm::Expected<NamedTensor> named = readTensorFile(path);
  if (!named)
    return named.takeError();
  Tensor &tensor = named->tensor;
  if (arg.type == ArgType::BF16 && tensor.getDType() == DType::U16)
    tensor.reinterpretAs(DType::BF16);
  std::vector<int64_t> want(arg.shape.begin(), arg.shape.end());
  if (tensor.getDType() != toDType(arg.type) ||
      tensor.getShape() != llvm::ArrayRef<int64_t>(want))
    return llvm::createStringError(
        "input '%s' is %s in '%s'; the program expects %s", arg.name.c_str(),
        tensor.describe().c_str(), path.str().c_str(), shapeString(arg).c_str());
  std::memcpy(memory.data(), tensor.data(), memory.size());
  return llvm::Error::success();
}

static Tensor toTensor(const Argument &arg, llvm::ArrayRef<uint8_t> memory) {
  std::vector<int64_t> shape(arg.shape.begin(), arg.shape.end());
  Tensor tensor(toDType(arg.type), shape);
  std::memcpy(tensor.data(), memory.data(), memory.size());
  return tensor;
}

static llvm::Error writeOutput(const Argument &arg, llvm::StringRef path,
                               llvm::ArrayRef<uint8_t> memory) {
  if (isTensorFile(path))
    return writeTensorFile(path, toTensor(arg, memory), arg.name);
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec);
  if (ec)
    return llvm::createStringError("cannot write '%s': %s", path.str().c_str(),
                                   ec.message().c_str());
  os.write(reinterpret_cast<const char *>(memory.data()), memory.size());
  return llvm::Error::success();
}

/// Splits NAME=FILE specs into a map, failing on malformed ones.
static llvm::Expected<llvm::StringMap<std::string>>
parseSpecs(const cl::list<std::string> &specs, llvm::StringRef option,
           const Program &program, ArgRole role) {
  llvm::StringMap<std::string> map;
  for (const std::string &spec : specs) {
    auto [name, file] = llvm::StringRef(spec).split('=');
    if (file.empty())
      return llvm::createStringError("--%s '%s' is not NAME=FILE",
                                     option.str().c_str(), spec.c_str());
    bool known = false;
    for (const Argument &arg : program.arguments)
      known |= arg.name == name && arg.role == role;
    if (!known) {
      std::string names;
      for (const Argument &arg : program.arguments)
        if (arg.role == role)
          names += (names.empty() ? "'" : ", '") + arg.name + "'";
      return llvm::createStringError(
          "--%s names '%s', which is not an %s of the program (%s: %s)",
          option.str().c_str(), name.str().c_str(),
          role == ArgRole::Input ? "input" : "output",
          role == ArgRole::Input ? "inputs" : "outputs",
          names.empty() ? "none" : names.c_str());
    }
    map[name] = file.str();
  }
  return map;
}

static llvm::Expected<Program> loadProgram(llvm::StringRef path) {
  auto buffer = llvm::MemoryBuffer::getFileOrSTDIN(path, /*IsText=*/false);
  if (!buffer)
    return llvm::createStringError("cannot read '%s': %s", path.str().c_str(),
                                   buffer.getError().message().c_str());
  llvm::StringRef bytes = (*buffer)->getBuffer();
  if (bytes.starts_with("LNPU"))
    return readBinary(bytes, path);
  AssemblerOptions options;
  options.verify = !noVerify;
  options.includeDir = llvm::sys::path::parent_path(path).str();
  return assemble(bytes, path, options);
}

static int writeFile(llvm::StringRef contents) {
  std::error_code ec;
  llvm::ToolOutputFile out(outputFile, ec, llvm::sys::fs::OF_None);
  if (ec)
    return fail("cannot write '" + outputFile + "': " + ec.message());
  out.os() << contents;
  out.keep();
  return 0;
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::HideUnrelatedOptions(simCategory);
  cl::ParseCommandLineOptions(argc, argv, "NPU simulator, assembler and disassembler\n");

  llvm::Expected<Program> program = loadProgram(programPath);
  if (!program) {
    // Assembler diagnostics already carry file:line:col and end in a newline.
    std::string msg = llvm::toString(program.takeError());
    if (!msg.empty() && msg.back() == '\n')
      msg.pop_back();
    return fail(msg);
  }
  if (assembleOnly) {
    llvm::Expected<std::string> binary = writeBinary(*program);
    if (!binary)
      return fail(llvm::toString(binary.takeError()));
    return writeFile(*binary);
  }
  if (disassembleOnly)
    return writeFile(disassemble(*program));

  auto inputMap = parseSpecs(inputs, "input", *program, ArgRole::Input);
  if (!inputMap)
    return fail(llvm::toString(inputMap.takeError()));
  auto outputMap = parseSpecs(outputs, "output", *program, ArgRole::Output);
  if (!outputMap)
    return fail(llvm::toString(outputMap.takeError()));
  auto expectedMap = parseSpecs(expected, "expected", *program, ArgRole::Output);
  if (!expectedMap)
    return fail(llvm::toString(expectedMap.takeError()));

  SimConfig config;
  config.checkRaces = !noRaceCheck;
  config.tokenDepth = tokenDepth;
  config.dramBytesPerCycle = dramBandwidth;
  config.dramLatency = dramLatency;
  config.maxDramBytes = dramLimit;
  if (trace)
    config.trace = &llvm::outs();
  auto sim = Simulator::create(*program, config);
  if (!sim)
    return fail(programPath + ": " + llvm::toString(sim.takeError()));

  for (size_t i = 0; i < program->arguments.size(); ++i) {
    const Argument &arg = program->arguments[i];
    if (arg.role != ArgRole::Input)
      continue;
    auto it = inputMap->find(arg.name);
    if (it == inputMap->end())
      return fail("missing --input " + arg.name + "=FILE (" + shapeString(arg) +
                  ")");
    if (llvm::Error err =
            readInput(arg, it->second, (*sim)->getArgumentMemory(i)))
      return fail(llvm::toString(std::move(err)));
  }

  if (llvm::Error err = (*sim)->run())
    return fail(programPath + ": " + llvm::toString(std::move(err)));
  const SimStats &stats = (*sim)->getStats();
  llvm::outs() << "npu-sim: " << programPath << ": "
               << program->instructions.size() << " instructions\n";
  printStats(llvm::outs(), stats);
  if (!statsJSON.empty()) {
    std::error_code ec;
    llvm::raw_fd_ostream os(statsJSON, ec);
    if (ec)
      return fail("cannot write '" + statsJSON + "': " + ec.message());
    printStatsJSON(os, stats);
  }

  bool mismatch = false;
  for (size_t i = 0; i < program->arguments.size(); ++i) {
    const Argument &arg = program->arguments[i];
    if (arg.role != ArgRole::Output)
      continue;
    llvm::ArrayRef<uint8_t> memory = (*sim)->getArgumentMemory(i);
    if (auto it = outputMap->find(arg.name); it != outputMap->end())
      if (llvm::Error err = writeOutput(arg, it->second, memory))
        return fail(llvm::toString(std::move(err)));
    if (!outputDir.empty()) {
      std::string file = arg.name;
      std::replace(file.begin(), file.end(), '/', '_');
      llvm::SmallString<256> path(outputDir);
      llvm::sys::path::append(path, file + ".npy");
      if (std::error_code ec = llvm::sys::fs::create_directories(outputDir))
        return fail("cannot create '" + outputDir + "': " + ec.message());
      if (llvm::Error err = writeOutput(arg, path, memory))
        return fail(llvm::toString(std::move(err)));
    }
    if (auto it = expectedMap->find(arg.name); it != expectedMap->end()) {
      llvm::Expected<NamedTensor> ref = readTensorFile(it->second);
      if (!ref)
        return fail(llvm::toString(ref.takeError()));
      if (arg.type == ArgType::BF16 && ref->tensor.getDType() == DType::U16)
        ref->tensor.reinterpretAs(DType::BF16);
      Tensor actual = toTensor(arg, memory);
      ComparisonResult result = compareTensors(actual, ref->tensor, relTol, absTol);
      printComparison(llvm::outs(), arg.name, actual, result, relTol, absTol);
      mismatch |= !result.matches;
    }
  }
  if (mismatch)
    return fail("outputs differ from the expected values");
  return 0;
}
