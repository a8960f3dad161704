//===- llm-run.cpp - compile and run a model -----------------------------===//
//
// `llm-run MODEL --target=cpu --input NAME=FILE ...` imports a model (.onnx,
// .onnxtxt or .mlir with transformer/linalg ops), compiles it with the CPU
// pipeline, JIT-compiles the result (mlir::ExecutionEngine) and runs it on
// the given tensors (.npy or ONNX TensorProto .pb).
//
//   --output-dir DIR    write each output as DIR/<name>.npy (or
//                       DIR/output_K.pb with --output-format=pb)
//   --expected DIR      compare the outputs with DIR/output_K.pb (an ONNX
//                       test-data directory; a model directory holding
//                       test_data_set_N/ runs every set). Without --input the
//                       inputs come from DIR/input_K.pb. Reports max abs/rel
//                       error and the worst element; exits 1 on mismatch.
//   --rtol/--atol       tolerances (defaults 1e-3 / 1e-7, as the ONNX backend
//                       tests)
//   --bench N           time N runs after a warm-up; prints min/median/mean
//                       wall time and the median process CPU time per run
//   --threads N         threads of the compiled code (default 1; 0: the
//                       host's cores): parallel loops are split into N
//                       chunks run on N OpenMP threads (docs/cpu.md)
//   --print             print the output values
//   --generate N        greedy generation of N tokens with a decoder model
//                       (input_ids, past_key_values.* -> logits, present.*;
//                       see llm/Runtime/Generation.h) from --prompt TEXT
//                       (vocab.json next to the model, or --vocab) or
//                       --prompt-ids; prints the text, time to first token
//                       and tokens/s; --expected-tokens FILE compares with a
//                       reference generation (JSON "tokens"); --no-cache
//                       re-runs the whole sequence every step
//
// Every failure (unknown input name, wrong shape or element type, missing
// file, compile error, mismatch) prints a message and exits non-zero.
//
//===----------------------------------------------------------------------===//

#include "Generate.h"
#include "RunNPU.h"

#include "llm/Import/ONNXImporter.h"
#include "llm/InitAll.h"
#include "llm/Pipelines/Pipelines.h"
#include "llm/Runtime/Compare.h"
#include "llm/Runtime/TensorIO.h"
#include "llm/Target/CPU/CPURunner.h"
#include "llm/Target/CPU/CPUTarget.h"

#include "RunCUDA.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <ctime>
#include <map>

using namespace mlir;
using namespace mlir::llm;
namespace cl = llvm::cl;

static cl::OptionCategory runCategory("llm-run options");

static cl::opt<std::string> modelPath(cl::Positional, cl::Required,
                                      cl::desc("<model .onnx|.onnxtxt|.mlir>"),
                                      cl::cat(runCategory));
static cl::opt<std::string>
    target("target", cl::desc("Where to run: cpu, cuda, or npu (the "
                              "simulator; tools/llm-run/RunNPU.cpp)"),
           cl::init("cpu"), cl::cat(runCategory));
static cl::list<std::string>
    inputSpecs("input",
               cl::desc("An input tensor: NAME=FILE (FILE .npy or ONNX "
                        "TensorProto .pb), or FILE for the next input in "
                        "order"),
               cl::value_desc("NAME=FILE"), cl::cat(runCategory));
static cl::opt<std::string>
    outputDir("output-dir", cl::desc("Write the outputs into this directory"),
              cl::value_desc("DIR"), cl::cat(runCategory));
static cl::opt<std::string> outputFormat(
    "output-format",
    cl::desc("Format of --output-dir files: npy (<name>.npy) or pb "
             "(output_K.pb, as ONNX test data)"),
    cl::init("npy"), cl::cat(runCategory));
static cl::opt<std::string> expectedDir(
    "expected",
    cl::desc("Compare the outputs with the ONNX test-data directory DIR "
             "(output_K.pb; input_K.pb are the inputs when no --input is "
             "given). A directory with test_data_set_N/ runs every set"),
    cl::value_desc("DIR"), cl::cat(runCategory));
static cl::opt<double> relTolerance("rtol",
                            cl::desc("Relative tolerance for --expected"),
                            cl::init(1e-3), cl::cat(runCategory));
static cl::opt<double> absTolerance("atol",
                            cl::desc("Absolute tolerance for --expected"),
                            cl::init(1e-7), cl::cat(runCategory));
static cl::opt<unsigned>
    benchRuns("bench",
              cl::desc("Time N runs (after one warm-up run) and print "
                       "min/median/mean"),
              cl::init(0), cl::value_desc("N"), cl::cat(runCategory));
// LLVM itself registers a `threads` option; llm-run's --threads is renamed
// to --llm-threads before parsing (see main).
static cl::opt<unsigned> numThreads(
    "llm-threads",
    cl::desc("Threads of the compiled code, given as --threads N (default "
             "1; 0: the host's cores); sets the pipeline's threads option "
             "and the OpenMP runtime's thread count"),
    cl::init(1), cl::value_desc("N"), cl::cat(runCategory));
static cl::opt<std::string>
    pipelineOptions("pipeline-options",
                    cl::desc("Options of the CPU pipeline, as for "
                             "--llm-cpu-pipeline=\"...\" in llm-opt"),
                    cl::init(""), cl::cat(runCategory));
static cl::opt<std::string>
    entryName("entry", cl::desc("The function to run (default: the only "
                                "public function, else main)"),
              cl::init(""), cl::cat(runCategory));
static cl::opt<unsigned> optLevel("opt-level",
                                  cl::desc("LLVM optimization level (0-3)"),
                                  cl::init(2), cl::cat(runCategory));
static cl::opt<unsigned> generateTokens(
    "generate",
    cl::desc("Generate N tokens greedily with a decoder model (KV cache)"),
    cl::init(0), cl::value_desc("N"), cl::cat(runCategory));
static cl::opt<std::string>
    promptText("prompt", cl::desc("The prompt for --generate, as text"),
               cl::init(""), cl::value_desc("TEXT"), cl::cat(runCategory));
static cl::opt<std::string> promptIdList(
    "prompt-ids",
    cl::desc("The prompt for --generate, as comma-separated token ids"),
    cl::init(""), cl::value_desc("IDS"), cl::cat(runCategory));
static cl::opt<std::string> vocabFile(
    "vocab",
    cl::desc("Vocabulary for --generate (JSON array of token strings; "
             "default: vocab.json next to the model)"),
    cl::init(""), cl::value_desc("FILE"), cl::cat(runCategory));
static cl::opt<std::string> expectedTokens(
    "expected-tokens",
    cl::desc("Compare --generate's tokens with a reference generation (JSON "
             "with \"tokens\", and \"prompt\"/\"prompt_ids\" used when no "
             "prompt is given); exit 1 on a difference"),
    cl::init(""), cl::value_desc("FILE"), cl::cat(runCategory));
static cl::opt<bool> noCache(
    "no-cache",
    cl::desc("--generate without the KV cache: re-run the whole sequence "
             "every step"),
    cl::init(false), cl::cat(runCategory));
static cl::opt<std::string> quantizeMode(
    "quantize",
    cl::desc("Quantize the weights before compiling (int8-weight, "
             "int8-dynamic, int4-weight; see transformer-quantize); with "
             "--expected, outputs are judged by cosine similarity"),
    cl::init("none"), cl::value_desc("MODE"), cl::cat(runCategory));
static cl::opt<double> minCosine(
    "min-cosine",
    cl::desc("With --expected: judge outputs by cosine similarity >= X "
             "instead of rtol/atol (default with --quantize: 0.999 for int8 "
             "modes, 0.99 for int4-weight)"),
    cl::init(-1), cl::value_desc("X"), cl::cat(runCategory));
static cl::opt<bool> printValues("print",
                                 cl::desc("Print the output values"),
                                 cl::init(false), cl::cat(runCategory));

/// Prints an error and returns the exit status for failures.
static int fail(const llvm::Twine &message) {
  llvm::errs() << "llm-run: error: " << message << "\n";
  return EXIT_FAILURE;
}

/// Formats a list of input names for messages: 'a', 'b'.
static std::string listNames(const std::vector<TensorSignature> &specs) {
  std::string names;
  for (const TensorSignature &spec : specs)
    names += (names.empty() ? "'" : ", '") + spec.name + "' " +
             spec.describe();
  return names.empty() ? "(none)" : names;
}

/// Prints the values of a tensor as nested lists, numpy style.
static void printTensorValues(llvm::raw_ostream &os, const Tensor &tensor) {
  llvm::ArrayRef<int64_t> shape = tensor.getShape();
  int64_t linear = 0;
  auto printElement = [&](int64_t i) {
    double v = tensor.getAsDouble(i);
    if (tensor.getDType() == DType::Bool)
      os << (v != 0 ? "true" : "false");
    else if (isFloatDType(tensor.getDType()))
      os << llvm::format("%.6g", v);
    else
      os << static_cast<long long>(v);
  };
  std::function<void(size_t)> print = [&](size_t dim) {
    if (dim == shape.size()) {
      printElement(linear++);
      return;
    }
    os << "[";
    for (int64_t i = 0; i < shape[dim]; ++i) {
      if (i)
        os << ", ";
      print(dim + 1);
    }
    os << "]";
  };
  print(0);
}

/// Replaces characters that do not belong in a file name.
static std::string sanitizeFileName(StringRef name) {
  std::string result;
  for (char c : name)
    result += (llvm::isAlnum(c) || c == '_' || c == '-' || c == '.') ? c : '_';
  return result.empty() ? "output" : result;
}

/// Loads the model into a module (ONNX import or MLIR parse).
static OwningOpRef<ModuleOp> loadModel(MLIRContext &context,
                                       llvm::SourceMgr &sourceMgr) {
  if (isONNXFileName(modelPath))
    return importONNXFile(modelPath, &context);
  std::string includedFile;
  unsigned id = sourceMgr.AddIncludeFile(modelPath, llvm::SMLoc(), includedFile);
  if (!id) {
    llvm::errs() << "llm-run: error: cannot read model '" << modelPath
                 << "'\n";
    return nullptr;
  }
  return parseSourceFile<ModuleOp>(sourceMgr, &context);
}

/// The inputs of one run: tensors in signature order.
using InputSet = std::vector<Tensor>;

/// Binds tensors to inputs: by name where `name` is an input's name, else
/// by position (the next unbound input). Errors name the file.
static llvm::Error bindInput(const ModelSignature &signature,
                             std::vector<Tensor> &bound,
                             std::vector<bool> &isBound, StringRef name,
                             StringRef file, Tensor tensor, bool byName) {
  int index = -1;
  if (byName) {
    index = signature.findInput(name);
    if (index < 0)
      return llvm::createStringError(
          llvm::inconvertibleErrorCode(),
          "the model has no input named '" + name + "' (--input " + name +
              "=" + file + "); its inputs are " + listNames(signature.inputs));
  } else {
    for (size_t i = 0; i < isBound.size(); ++i)
      if (!isBound[i]) {
        index = static_cast<int>(i);
        break;
      }
    if (index < 0)
      return llvm::createStringError(
          llvm::inconvertibleErrorCode(),
          "'" + file + "' is one input too many: the model takes " +
              std::to_string(signature.inputs.size()) + " (" +
              listNames(signature.inputs) + ")");
  }
  if (isBound[index])
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "input '" + signature.inputs[index].name +
                                       "' is given twice (again by '" + file +
                                       "')");
  // numpy has no bfloat16: .npy files and the ONNX test data hold bf16 as
  // uint16 bit patterns.
  if (signature.inputs[index].dtype == DType::BF16 &&
      tensor.getDType() == DType::U16)
    tensor.reinterpretAs(DType::BF16);
  bound[index] = std::move(tensor);
  isBound[index] = true;
  return llvm::Error::success();
}

/// Checks that every input is bound.
static llvm::Error checkAllBound(const ModelSignature &signature,
                                 const std::vector<bool> &isBound) {
  std::string missing;
  for (size_t i = 0; i < isBound.size(); ++i)
    if (!isBound[i])
      missing += (missing.empty() ? "'" : ", '") + signature.inputs[i].name +
                 "' " + signature.inputs[i].describe();
  if (missing.empty())
    return llvm::Error::success();
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "no value for input(s) " + missing +
                                     ": give --input NAME=FILE");
}

/// Inputs from --input NAME=FILE / FILE.
static llvm::Expected<InputSet>
loadCommandLineInputs(const ModelSignature &signature) {
  InputSet bound(signature.inputs.size());
  std::vector<bool> isBound(signature.inputs.size(), false);
  for (const std::string &spec : inputSpecs) {
    StringRef name, file;
    bool byName = StringRef(spec).contains('=');
    if (byName)
      std::tie(name, file) = StringRef(spec).split('=');
    else
      file = spec;
    auto tensor = readTensorFile(file);
    if (!tensor)
      return tensor.takeError();
    if (llvm::Error error = bindInput(signature, bound, isBound, name, file,
                                      std::move(tensor->tensor), byName))
      return std::move(error);
  }
  if (llvm::Error error = checkAllBound(signature, isBound))
    return std::move(error);
  return std::move(bound);
}

/// Files DIR/<prefix>_K.pb for K = 0, 1, ... while they exist.
static std::vector<std::string> listNumberedFiles(StringRef dir,
                                                  StringRef prefix) {
  std::vector<std::string> files;
  for (int k = 0;; ++k) {
    llvm::SmallString<256> path(dir);
    llvm::sys::path::append(path, prefix + "_" + llvm::Twine(k) + ".pb");
    if (!llvm::sys::fs::exists(path))
      break;
    files.push_back(path.str().str());
  }
  return files;
}

/// Inputs from DIR/input_K.pb: bound by the TensorProto name when it names
/// an input, else by position.
static llvm::Expected<InputSet> loadDirectoryInputs(
    const ModelSignature &signature, StringRef dir) {
  InputSet bound(signature.inputs.size());
  std::vector<bool> isBound(signature.inputs.size(), false);
  for (const std::string &file : listNumberedFiles(dir, "input")) {
    auto tensor = readTensorFile(file);
    if (!tensor)
      return tensor.takeError();
    bool byName = signature.findInput(tensor->name) >= 0;
    if (llvm::Error error = bindInput(signature, bound, isBound, tensor->name,
                                      file, std::move(tensor->tensor), byName))
      return std::move(error);
  }
  if (llvm::Error error = checkAllBound(signature, isBound))
    return std::move(error);
  return std::move(bound);
}

/// Writes the outputs into --output-dir.
static llvm::Error writeOutputs(const ModelSignature &signature,
                                const std::vector<Tensor> &outputs,
                                StringRef dir) {
  if (std::error_code ec = llvm::sys::fs::create_directories(dir))
    return llvm::createStringError(ec, "cannot create --output-dir '" + dir +
                                           "': " + ec.message());
  for (size_t k = 0; k < outputs.size(); ++k) {
    llvm::SmallString<256> path(dir);
    if (outputFormat == "pb")
      llvm::sys::path::append(path, "output_" + llvm::Twine(k) + ".pb");
    else
      llvm::sys::path::append(path,
                              sanitizeFileName(signature.outputs[k].name) +
                                  ".npy");
    if (llvm::Error error =
            writeTensorFile(path, outputs[k], signature.outputs[k].name))
      return error;
  }
  return llvm::Error::success();
}

/// Compares the outputs with DIR/output_K.pb; prints a report line per
/// output. Returns whether all match, or an error if the files are unusable.
static llvm::Expected<bool> compareOutputs(const ModelSignature &signature,
                                           const std::vector<Tensor> &outputs,
                                           StringRef dir) {
  std::vector<std::string> files = listNumberedFiles(dir, "output");
  if (files.empty())
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "no expected outputs (output_0.pb) in '" +
                                       dir + "'");
  if (files.size() > outputs.size())
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        "'" + dir + "' has " + std::to_string(files.size()) +
            " expected outputs, the model has " +
            std::to_string(outputs.size()));
  bool allMatch = true;
  for (size_t k = 0; k < files.size(); ++k) {
    auto expected = readTensorFile(files[k]);
    if (!expected)
      return expected.takeError();
    // Bind by name where the file names an output, else by position.
    size_t index = k;
    for (size_t i = 0; i < signature.outputs.size(); ++i)
      if (!expected->name.empty() && signature.outputs[i].name == expected->name)
        index = i;
    // bf16 expected data comes as uint16 bit patterns (see bindInput).
    if (outputs[index].getDType() == DType::BF16 &&
        expected->tensor.getDType() == DType::U16)
      expected->tensor.reinterpretAs(DType::BF16);
    ComparisonResult result =
        compareTensors(outputs[index], expected->tensor, relTolerance,
                       absTolerance);
    if (minCosine >= 0) {
      judgeByCosine(result, minCosine);
      printCosineComparison(llvm::outs(), signature.outputs[index].name,
                            outputs[index], result, minCosine);
    } else {
      printComparison(llvm::outs(), signature.outputs[index].name,
                      outputs[index], result, relTolerance, absTolerance);
    }
    allMatch &= result.matches;
  }
  return allMatch;
}

/// Runs the model once per input set; reports, compares and benchmarks.
template <typename Model>
static int runModel(Model &model, const InputSet &inputs,
                    StringRef expected) {
  const ModelSignature &signature = model.getSignature();
  std::vector<const Tensor *> inputPtrs;
  for (const Tensor &t : inputs)
    inputPtrs.push_back(&t);
  auto outputs = model.run(inputPtrs);
  if (!outputs)
    return fail(llvm::toString(outputs.takeError()));
  if (target == "cuda")
    if (llvm::Error error = takeCUDAError())
      return fail(llvm::toString(std::move(error)));

  for (size_t k = 0; k < outputs->size(); ++k) {
    llvm::outs() << "output '" << signature.outputs[k].name
                 << "': " << (*outputs)[k].describe();
    if (printValues) {
      llvm::outs() << " = ";
      printTensorValues(llvm::outs(), (*outputs)[k]);
    }
    llvm::outs() << "\n";
  }
  if (!outputDir.empty())
    if (llvm::Error error = writeOutputs(signature, *outputs, outputDir))
      return fail(llvm::toString(std::move(error)));

  if (benchRuns > 0) {
    std::vector<double> times, cpuTimes;
    for (unsigned i = 0; i < benchRuns; ++i) {
      double seconds = 0;
      std::clock_t cpuStart = std::clock();
      auto result = model.run(inputPtrs, &seconds);
      cpuTimes.push_back(double(std::clock() - cpuStart) * 1e3 /
                         CLOCKS_PER_SEC);
      if (!result)
        return fail(llvm::toString(result.takeError()));
      if (target == "cuda")
        if (llvm::Error error = takeCUDAError())
          return fail(llvm::toString(std::move(error)));
      times.push_back(seconds * 1e3);
    }
    auto median = [](std::vector<double> &values) {
      std::sort(values.begin(), values.end());
      size_t n = values.size();
      return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    };
    double mean = 0;
    for (double t : times)
      mean += t / times.size();
    double wallMedian = median(times);
    llvm::outs() << "bench: " << times.size() << " runs: min "
                 << llvm::format("%.4g", times.front()) << " ms, median "
                 << llvm::format("%.4g", wallMedian) << " ms, mean "
                 << llvm::format("%.4g", mean) << " ms\n";
    // Process CPU time (all threads) per call: on a shared machine, the
    // time the call itself computed, without the waits for a core.
    llvm::outs() << "bench CPU time: median "
                 << llvm::format("%.4g", median(cpuTimes))
                 << " ms per run (process, all threads)\n";
  }

  if (!expected.empty()) {
    auto matches = compareOutputs(signature, *outputs, expected);
    if (!matches)
      return fail(llvm::toString(matches.takeError()));
    if (!*matches) {
      if (minCosine >= 0)
        llvm::outs() << "MISMATCH: outputs differ from '" << expected
                     << "': cosine similarity below "
                     << llvm::format("%g", minCosine.getValue()) << "\n";
      else
        llvm::outs() << "MISMATCH: outputs differ from '" << expected
                     << "' beyond rtol "
                     << llvm::format("%g", relTolerance.getValue()) << ", atol "
                     << llvm::format("%g", absTolerance.getValue()) << "\n";
      return EXIT_FAILURE;
    }
    llvm::outs() << "all outputs match '" << expected << "'\n";
  }
  return EXIT_SUCCESS;
}

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  cl::HideUnrelatedOptions(runCategory);
  // --threads N / --threads=N is ours, not LLVM's option of that name.
  std::vector<std::string> argStorage(argv, argv + argc);
  for (std::string &arg : argStorage)
    for (const char *prefix : {"--threads", "-threads"})
      if (StringRef(arg) == prefix ||
          StringRef(arg).starts_with(std::string(prefix) + "="))
        arg = "--llm-threads" + arg.substr(strlen(prefix));
  std::vector<const char *> args;
  for (const std::string &arg : argStorage)
    args.push_back(arg.c_str());
  cl::ParseCommandLineOptions(
      static_cast<int>(args.size()), args.data(),
      "llm-run: compile a model for the CPU and run it\n\n"
      "  llm-run model.onnx --input x=x.npy [--expected DIR] [--bench N]\n");

  bool onNPU = target == "npu";
  if (target != "cpu" && target != "cuda" && !onNPU)
    return fail("--target=" + target +
                " is not available yet: --target=cpu, cuda or npu runs models");
  if (target == "cuda" && quantizeMode != "none")
    return fail("--quantize is not available with --target=cuda");
  if (target == "cuda")
    if (llvm::Error error = initCUDA())
      return fail(llvm::toString(std::move(error)));
  if (onNPU && !relTolerance.getNumOccurrences())
    relTolerance = kNPUBF16Tolerance;
  if (onNPU && !absTolerance.getNumOccurrences())
    absTolerance = kNPUBF16Tolerance;
  if (onNPU && minCosine < 0 &&
      StringRef(pipelineOptions).contains("dtype=int8"))
    minCosine = 0.999; // as the CPU's --quantize=int8-*
  if (outputFormat != "npy" && outputFormat != "pb")
    return fail("--output-format=" + outputFormat + " is not npy or pb");
  if (!expectedDir.empty() && !llvm::sys::fs::is_directory(expectedDir))
    return fail("--expected '" + expectedDir + "' is not a directory");

  GenerateArgs generateArgs;
  generateArgs.modelPath = modelPath;
  generateArgs.newTokens = generateTokens;
  generateArgs.prompt = promptText;
  generateArgs.promptIds = promptIdList;
  generateArgs.vocabPath = vocabFile;
  generateArgs.expectedPath = expectedTokens;
  generateArgs.useCache = !noCache;
  bool generating = generateTokens > 0;
  if (!generating && (!promptText.empty() || !promptIdList.empty() ||
                      !expectedTokens.empty() || noCache))
    return fail("--prompt, --prompt-ids, --expected-tokens and --no-cache "
                "go with --generate N");
  if (generating && (!inputSpecs.empty() || !expectedDir.empty() ||
                     benchRuns > 0 || !outputDir.empty()))
    return fail("--generate takes no --input, --expected, --bench or "
                "--output-dir: it feeds the model itself");

  CPUPipelineOptions options;
  // (--target=cuda|npu: the options are the NVPTX / NPU pipeline's,
  // RunCUDA.cpp / RunNPU.cpp.)
  if (failed(options.parseFromString(target != "cpu"
                                         ? std::string()
                                         : pipelineOptions.getValue())))
    return fail("cannot parse --pipeline-options='" + pipelineOptions + "'");
  if (quantizeMode != "none") {
    if (options.quantize != "none")
      return fail("give the quantization mode once: --quantize=" +
                  quantizeMode + " or --pipeline-options=quantize=" +
                  options.quantize);
    options.quantize = quantizeMode;
    if (minCosine < 0)
      minCosine = StringRef(quantizeMode).starts_with("int4") ? 0.99 : 0.999;
  }
  if (minCosine.getNumOccurrences() && (minCosine < -1 || minCosine > 1))
    return fail("--min-cosine must be between -1 and 1");
  // --threads N is the pipeline's threads option (unless
  // --pipeline-options gives one) and the run-time thread count.
  if (numThreads.getNumOccurrences() || options.threads == 0)
    options.threads = numThreads;
  if (auto problem = checkCPUPipelineOptions(options))
    return fail(*problem);

  DialectRegistry registry;
  registerAllDialects(registry);
  registerONNXImporterDialects(registry);
  registerCPUTranslations(registry);
  MLIRContext context(registry);
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);

  auto compileStart = std::chrono::steady_clock::now();
  OwningOpRef<ModuleOp> module = loadModel(context, sourceMgr);
  if (!module)
    return EXIT_FAILURE;
  func::FuncOp entry = findEntryFunction(*module, entryName);
  if (!entry)
    return EXIT_FAILURE;
  FailureOr<ModelSignature> signature = getModelSignature(entry);
  if (failed(signature))
    return EXIT_FAILURE;

  std::optional<GenerateInputs> generateInputs;
  if (generating) {
    auto prepared = prepareGenerate(generateArgs, *signature);
    if (!prepared)
      return fail(llvm::toString(prepared.takeError()));
    generateInputs = std::move(*prepared);
  }

  // The input sets: from --input, or from the expected-data directories.
  std::vector<std::pair<InputSet, std::string>> runs;
  std::vector<std::string> expectedDirs;
  if (!expectedDir.empty()) {
    std::error_code ec;
    for (llvm::sys::fs::directory_iterator it(expectedDir, ec), end;
         it != end && !ec; it.increment(ec))
      if (llvm::sys::path::filename(it->path()).starts_with("test_data_set_") &&
          llvm::sys::fs::is_directory(it->path()))
        expectedDirs.push_back(it->path());
    std::sort(expectedDirs.begin(), expectedDirs.end());
    if (expectedDirs.empty())
      expectedDirs.push_back(expectedDir);
  }
  if (generating) {
    // generation builds its own inputs
  } else if (!inputSpecs.empty() || expectedDirs.empty()) {
    auto inputs = loadCommandLineInputs(*signature);
    if (!inputs)
      return fail(llvm::toString(inputs.takeError()));
    if (expectedDirs.size() > 1)
      return fail("--input with --expected needs one test-data directory, "
                  "'" + expectedDir + "' has " +
                  std::to_string(expectedDirs.size()));
    runs.emplace_back(std::move(*inputs),
                      expectedDirs.empty() ? "" : expectedDirs.front());
  } else {
    for (const std::string &dir : expectedDirs) {
      auto inputs = loadDirectoryInputs(*signature, dir);
      if (!inputs)
        return fail(llvm::toString(inputs.takeError()));
      runs.emplace_back(std::move(*inputs), dir);
    }
  }
  // Wrong inputs fail before the (slower) compilation.
  for (auto &run : runs) {
    std::vector<const Tensor *> ptrs;
    for (const Tensor &t : run.first)
      ptrs.push_back(&t);
    if (llvm::Error error = checkInputs(*signature, ptrs))
      return fail(llvm::toString(std::move(error)));
  }

  if (onNPU) {
    if (generating || quantizeMode != "none")
      return fail("--generate and --quantize do not run on the NPU yet");
    // NPU programs have static shapes: a model with dynamic dims is
    // imported again per run, specialised to that run's input shapes.
    bool dynamic = llvm::any_of(signature->inputs, [](const TensorSignature &t) {
      return llvm::any_of(t.shape, [](int64_t d) { return d < 0; });
    });
    if (dynamic && !isONNXFileName(modelPath))
      return fail("the model has dynamic dims (inputs " +
                  listNames(signature->inputs) +
                  "); --target=npu specialises ONNX models to the given "
                  "input shapes, not MLIR files: give static shapes");
    std::unique_ptr<NPUModel> staticModel;
    if (!dynamic) {
      auto compiled = NPUModel::compile(*module, *signature, pipelineOptions);
      if (!compiled)
        return fail(llvm::toString(compiled.takeError()));
      staticModel = std::move(*compiled);
    }
    int status = EXIT_SUCCESS;
    for (auto &[inputs, expected] : runs) {
      if (runs.size() > 1)
        llvm::outs() << "== " << expected << "\n";
      std::unique_ptr<NPUModel> specialised;
      if (dynamic) {
        ONNXImportOptions importOptions;
        std::string shapes;
        for (auto [spec, tensor] : llvm::zip(signature->inputs, inputs)) {
          ArrayRef<int64_t> shape = tensor.getShape();
          importOptions.inputShapes[spec.name].assign(shape.begin(),
                                                      shape.end());
          shapes += (shapes.empty() ? "" : ", ") + spec.name + " " +
                    tensor.describe();
        }
        llvm::outs() << "specialised to " << shapes << "\n";
        OwningOpRef<ModuleOp> staticModule =
            importONNXFile(modelPath, &context, importOptions);
        if (!staticModule)
          return fail("specialising '" + modelPath + "' to " + shapes +
                      " failed");
        func::FuncOp staticEntry = findEntryFunction(*staticModule, entryName);
        if (!staticEntry)
          return EXIT_FAILURE;
        FailureOr<ModelSignature> staticSignature =
            getModelSignature(staticEntry);
        if (failed(staticSignature))
          return EXIT_FAILURE;
        auto compiled = NPUModel::compile(*staticModule, *staticSignature,
                                          pipelineOptions);
        if (!compiled)
          return fail(llvm::toString(compiled.takeError()));
        specialised = std::move(*compiled);
      }
      if (runModel(dynamic ? *specialised : *staticModel, inputs, expected) !=
          EXIT_SUCCESS)
        status = EXIT_FAILURE;
    }
    return status;
  }

  PassManager pm(&context);
  if (target == "cuda") {
    if (llvm::Error error = buildCUDAPipeline(pm, pipelineOptions))
      return fail(llvm::toString(std::move(error)));
  } else if (failed(buildCPUPipeline(pm, options))) {
    return fail("compiling '" + modelPath + "' for the CPU failed");
  }
  if (failed(pm.run(*module)))
    return fail("compiling '" + modelPath + "' for " +
                (target == "cuda" ? "CUDA" : "the CPU") + " failed");
  auto model = CPUJITModel::create(*module, *signature, optLevel);
  if (!model)
    return fail(llvm::toString(model.takeError()));
  if (target == "cuda") // the kernels were loaded by the constructor
    if (llvm::Error error = takeCUDAError())
      return fail(llvm::toString(std::move(error)));
  (*model)->setThreads(getCPUPipelineThreads(options));
  // The runs reuse the heap the first one grew (no page faults per call).
  keepHeapBetweenCalls();
  module = nullptr;
  double compileSeconds = std::chrono::duration<double>(
                              std::chrono::steady_clock::now() - compileStart)
                              .count();
  if (benchRuns > 0 || generating)
    llvm::outs() << "compile: " << llvm::format("%.1f", compileSeconds * 1e3)
                 << " ms\n";

  if (generating)
    return runGenerate(**model, generateArgs, *generateInputs);

  int status = EXIT_SUCCESS;
  for (auto &[inputs, expected] : runs) {
    if (runs.size() > 1)
      llvm::outs() << "== " << expected << "\n";
    if (runModel(**model, inputs, expected) != EXIT_SUCCESS)
      status = EXIT_FAILURE;
  }
  return status;
}
