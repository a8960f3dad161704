//===- CPURunner.cpp - run compiled models on the host CPU ---------------===//
//
// Model signatures, input checking and the JIT runner (see CPURunner.h).
//
// Calling convention of `_mlir_ciface_<f>` (MLIR's C interface, the same one
// docs/cpu.md documents for shared libraries): when f has results, the first
// argument points to the result (one descriptor, or a struct of descriptors
// laid out back to back for several); then one pointer per input to its
// descriptor. A rank-N descriptor is
//   { T *allocated; T *aligned; int64_t offset; int64_t sizes[N];
//     int64_t strides[N]; }
// i.e. 3 + 2N eight-byte words. The packed wrapper the ExecutionEngine adds
// (`_mlir__mlir_ciface_<f>(void **args)`) takes a pointer to each of those
// arguments.
//
//===----------------------------------------------------------------------===//

#include "llm/Target/CPU/CPURunner.h"
#include "llm/Target/CPU/CPUTarget.h"
#include "llm/Target/CPU/HugePageMemoryMapper.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "llvm/Support/DynamicLibrary.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Target/TargetMachine.h"

#include <chrono>
#include <cstdlib>
#include <cstring>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

using namespace mlir;
using namespace mlir::llm;

static llvm::Error makeError(const Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

bool llm::keepHeapBetweenCalls() {
#if defined(__GLIBC__)
  // Blocks up to 1 GiB come from the heap (not a mapping of their own that
  // free unmaps), and free never gives the heap's top back to the kernel
  // below 1 GiB of free memory. Setting either also stops glibc's dynamic
  // adjustment of the mmap threshold.
  constexpr int kThreshold = 1 << 30;
  bool mmap = mallopt(M_MMAP_THRESHOLD, kThreshold) == 1;
  bool trim = mallopt(M_TRIM_THRESHOLD, kThreshold) == 1;
  return mmap && trim;
#else
  return false;
#endif
}

func::FuncOp llm::findEntryFunction(ModuleOp module, StringRef name) {
  if (!name.empty()) {
    auto func = module.lookupSymbol<func::FuncOp>(name);
    if (!func || func.isExternal())
      module.emitError() << "no function definition named '" << name << "'";
    return func && !func.isExternal() ? func : func::FuncOp();
  }
  SmallVector<func::FuncOp> candidates;
  for (auto func : module.getOps<func::FuncOp>())
    if (func.isPublic() && !func.isExternal())
      candidates.push_back(func);
  if (candidates.size() == 1)
    return candidates.front();
  if (auto main = module.lookupSymbol<func::FuncOp>("main"))
    if (!main.isExternal())
      return main;
  module.emitError() << (candidates.empty()
                             ? "the module has no public function to run"
                             : "the module has several public functions and "
                               "none is named 'main'");
  return {};
}

/// The runtime element type of an MLIR element type.
static std::optional<DType> getDType(Type type) {
  if (type.isF16())
    return DType::F16;
  if (type.isBF16())
    return DType::BF16;
  if (type.isF32())
    return DType::F32;
  if (type.isF64())
    return DType::F64;
  auto intType = dyn_cast<IntegerType>(type);
  if (!intType)
    return std::nullopt;
  bool isUnsigned = intType.isUnsigned();
  switch (intType.getWidth()) {
  case 1:
    return DType::Bool;
  case 8:
    return isUnsigned ? DType::U8 : DType::I8;
  case 16:
    return isUnsigned ? DType::U16 : DType::I16;
  case 32:
    return isUnsigned ? DType::U32 : DType::I32;
  case 64:
    return isUnsigned ? DType::U64 : DType::I64;
  default:
    return std::nullopt;
  }
}

/// Builds the signature of one argument or result.
static FailureOr<TensorSignature>
getTensorSignature(func::FuncOp func, Type type, StringAttr name,
                   ArrayAttr dimNames, const Twine &fallbackName) {
  // Ranked tensors, or ranked memrefs (a GPU module's host code).
  auto tensorType = dyn_cast<ShapedType>(type);
  if (tensorType && !(isa<RankedTensorType>(type) || isa<MemRefType>(type)))
    tensorType = nullptr;
  std::optional<DType> dtype =
      tensorType ? getDType(tensorType.getElementType()) : std::nullopt;
  std::string label = name ? name.getValue().str() : fallbackName.str();
  if (!dtype) {
    func.emitError() << "cannot run '" << label << "' of type " << type
                     << ": only ranked tensors of f16, bf16, f32, f64, i1 "
                        "and 8-64 bit integers are supported";
    return failure();
  }
  TensorSignature signature;
  signature.name = label;
  signature.dtype = *dtype;
  for (int64_t dim : tensorType.getShape())
    signature.shape.push_back(ShapedType::isDynamic(dim) ? -1 : dim);
  signature.dimNames.assign(signature.shape.size(), "");
  if (dimNames && dimNames.size() == signature.shape.size())
    for (auto [i, attr] : llvm::enumerate(dimNames))
      if (auto str = dyn_cast<StringAttr>(attr))
        signature.dimNames[i] = str.getValue().str();
  return signature;
}

FailureOr<ModelSignature> llm::getModelSignature(func::FuncOp func) {
  ModelSignature signature;
  signature.functionName = func.getSymName().str();
  FunctionType type = func.getFunctionType();
  for (unsigned i = 0; i < type.getNumInputs(); ++i) {
    auto input = getTensorSignature(
        func, type.getInput(i), func.getArgAttrOfType<StringAttr>(i, "onnx.name"),
        func.getArgAttrOfType<ArrayAttr>(i, "onnx.dim_params"),
        "arg" + Twine(i));
    if (failed(input))
      return failure();
    signature.inputs.push_back(std::move(*input));
  }
  for (unsigned i = 0; i < type.getNumResults(); ++i) {
    // The ONNX declaration of an output, where it is more static than the
    // computed type, is what the result is checked against after a run.
    Type resultType = type.getResult(i);
    if (auto declared =
            func.getResultAttrOfType<TypeAttr>(i, "onnx.declared_type")) {
      auto declaredType = dyn_cast<RankedTensorType>(declared.getValue());
      auto computedType = dyn_cast<ShapedType>(resultType);
      if (!declaredType || !computedType ||
          declaredType.getElementType() != computedType.getElementType() ||
          failed(verifyCompatibleShape(declaredType, computedType))) {
        func.emitError() << "result #" << i << " of type " << resultType
                         << " has an incompatible onnx.declared_type "
                         << declared.getValue();
        return failure();
      }
      resultType = declaredType;
    }
    auto output = getTensorSignature(
        func, resultType,
        func.getResultAttrOfType<StringAttr>(i, "onnx.name"), ArrayAttr(),
        "result" + Twine(i));
    if (failed(output))
      return failure();
    signature.outputs.push_back(std::move(*output));
  }
  return signature;
}

llvm::Error llm::checkInputs(const ModelSignature &signature,
                             ArrayRef<const Tensor *> inputs) {
  if (inputs.size() != signature.inputs.size())
    return makeError("the model takes " + Twine(signature.inputs.size()) +
                     " inputs, got " + Twine(inputs.size()));
  llvm::StringMap<std::pair<int64_t, std::string>> symbols;
  for (auto [spec, tensor] : llvm::zip(signature.inputs, inputs)) {
    if (!tensor || tensor->isNull())
      return makeError("input '" + spec.name + "' (" + spec.describe() +
                       ") is missing");
    if (tensor->getDType() != spec.dtype)
      return makeError("input '" + spec.name + "' expects element type " +
                       getDTypeName(spec.dtype) + " (" + spec.describe() +
                       "), got " + tensor->describe());
    if (tensor->getRank() != static_cast<int64_t>(spec.shape.size()))
      return makeError("input '" + spec.name + "' expects rank " +
                       Twine(spec.shape.size()) + " (" + spec.describe() +
                       "), got " + tensor->describe());
    for (size_t d = 0; d < spec.shape.size(); ++d) {
      int64_t actual = tensor->getShape()[d];
      if (spec.shape[d] >= 0 && actual != spec.shape[d])
        return makeError("input '" + spec.name + "' expects dim " + Twine(d) +
                         " = " + Twine(spec.shape[d]) + " (" +
                         spec.describe() + "), got " + tensor->describe());
      const std::string &symbol = spec.dimNames[d];
      if (spec.shape[d] >= 0 || symbol.empty())
        continue;
      auto [it, inserted] =
          symbols.try_emplace(symbol, actual, spec.name);
      if (!inserted && it->second.first != actual)
        return makeError("input '" + spec.name + "' dim " + Twine(d) +
                         " ('" + symbol + "') is " + Twine(actual) +
                         ", but input '" + it->second.second + "' set '" +
                         symbol + "' = " + Twine(it->second.first));
    }
  }
  return llvm::Error::success();
}

llvm::Error llm::checkOutputs(const ModelSignature &signature,
                              ArrayRef<Tensor> outputs) {
  for (auto [spec, tensor] : llvm::zip(signature.outputs, outputs)) {
    if (tensor.getRank() != static_cast<int64_t>(spec.shape.size()))
      return makeError("output '" + spec.name + "' is declared with rank " +
                       Twine(spec.shape.size()) + " (" + spec.describe() +
                       "), but the model computed " + tensor.describe());
    for (size_t d = 0; d < spec.shape.size(); ++d)
      if (spec.shape[d] >= 0 && tensor.getShape()[d] != spec.shape[d])
        return makeError(
            "output '" + spec.name + "' is declared with dim " + Twine(d) +
            " = " + Twine(spec.shape[d]) + " (" + spec.describe() +
            "), but the model computed " + tensor.describe() +
            " from these inputs: the inputs contradict the model's "
            "declared output shape");
  }
  return llvm::Error::success();
}

CPUJITModel::~CPUJITModel() = default;

llvm::Expected<std::unique_ptr<CPUJITModel>>
CPUJITModel::create(ModuleOp loweredModule, ModelSignature signature,
                    unsigned optLevel) {
  initializeNativeTarget();
  std::unique_ptr<CPUJITModel> model(new CPUJITModel());
  model->signature = std::move(signature);

  // The optimizing transformer needs a TargetMachine that outlives it; the
  // ExecutionEngine takes only a function_ref to the transformer.
  // The CPU the pipeline recorded (target-cpu), the host by default.
  auto targetMachine =
      createCPUTargetMachine(getModuleTargetCPU(loweredModule), optLevel);
  if (!targetMachine)
    return targetMachine.takeError();
  model->targetMachine = std::move(*targetMachine);
  std::function<llvm::Error(llvm::Module *)> transformer =
      makeOptimizingTransformer(std::min(optLevel, 3u), /*sizeLevel=*/0,
                                model->targetMachine.get());
  ExecutionEngineOptions options;
  options.transformer = transformer;
  options.jitCodeGenOptLevel = optLevel >= 3   ? llvm::CodeGenOptLevel::Aggressive
                               : optLevel == 2 ? llvm::CodeGenOptLevel::Default
                               : optLevel == 1 ? llvm::CodeGenOptLevel::Less
                                               : llvm::CodeGenOptLevel::None;
  options.enableGDBNotificationListener = false;
  options.enablePerfNotificationListener = false;
  // Large data sections (weights) in transparent huge pages.
  model->memoryMapper = std::make_unique<HugePageMemoryMapper>();
  options.sectionMemoryMapper = model->memoryMapper.get();
  // Parallel regions call libomp (__kmpc_fork_call, ...).
  SmallVector<StringRef, 1> sharedLibs;
  bool openMP = usesOpenMP(loweredModule);
  if (openMP)
    sharedLibs.push_back(getOpenMPRuntimePath());
  options.sharedLibPaths = sharedLibs;
  auto engine = ExecutionEngine::create(loweredModule, options);
  if (!engine)
    return engine.takeError();
  model->engine = std::move(*engine);
  model->engine->initialize();
  if (openMP) {
    std::string error;
    auto runtime = llvm::sys::DynamicLibrary::getPermanentLibrary(
        getOpenMPRuntimePath().str().c_str(), &error);
    if (!runtime.isValid())
      return makeError("cannot load the OpenMP runtime '" +
                       getOpenMPRuntimePath().str() + "': " + error);
    model->ompSetNumThreads = reinterpret_cast<void (*)(int)>(
        runtime.getAddressOfSymbol("omp_set_num_threads"));
  }
  // Fail now, not at the first call, if the wrapper is missing.
  auto packed = model->engine->lookupPacked("_mlir_ciface_" +
                                            model->signature.functionName);
  if (!packed)
    return makeError("the compiled module has no C-interface wrapper "
                     "_mlir_ciface_" +
                     model->signature.functionName +
                     " (was it lowered with --llm-cpu-pipeline?): " +
                     llvm::toString(packed.takeError()));
  return std::move(model);
}

/// Number of 8-byte words of a rank-N memref descriptor.
static size_t descriptorWords(size_t rank) { return 3 + 2 * rank; }

llvm::Expected<std::vector<Tensor>>
CPUJITModel::run(ArrayRef<const Tensor *> inputs, double *seconds) {
  if (llvm::Error error = checkInputs(signature, inputs))
    return std::move(error);

  // Input descriptors: dense row-major over the tensors' storage. The
  // compiled code does not write its inputs (the pipeline marks them
  // read-only for bufferization).
  std::vector<std::vector<int64_t>> inputDescriptors;
  for (const Tensor *tensor : inputs) {
    size_t rank = tensor->getRank();
    std::vector<int64_t> desc(descriptorWords(rank), 0);
    void *data = const_cast<void *>(tensor->data());
    std::memcpy(&desc[0], &data, sizeof(void *));
    std::memcpy(&desc[1], &data, sizeof(void *));
    desc[2] = 0;
    int64_t stride = 1;
    for (int64_t d = static_cast<int64_t>(rank) - 1; d >= 0; --d) {
      desc[3 + d] = tensor->getShape()[d];
      desc[3 + rank + d] = stride;
      stride *= tensor->getShape()[d];
    }
    inputDescriptors.push_back(std::move(desc));
  }

  // The results: one block of back-to-back descriptors.
  size_t resultWords = 0;
  for (const TensorSignature &output : signature.outputs)
    resultWords += descriptorWords(output.shape.size());
  std::vector<int64_t> results(std::max<size_t>(resultWords, 1), 0);

  // Packed call: args[i] points to the i-th argument of the wrapper, which
  // is itself a pointer (to the results, then to each input descriptor).
  std::vector<void *> argValues;
  if (!signature.outputs.empty())
    argValues.push_back(results.data());
  for (auto &desc : inputDescriptors)
    argValues.push_back(desc.data());
  std::vector<void *> packedArgs;
  for (void *&value : argValues)
    packedArgs.push_back(&value);

  auto packed =
      engine->lookupPacked("_mlir_ciface_" + signature.functionName);
  if (!packed)
    return packed.takeError();
  if (ompSetNumThreads && numThreads > 0)
    ompSetNumThreads(numThreads);
  auto start = std::chrono::steady_clock::now();
  (*packed)(packedArgs.data());
  auto end = std::chrono::steady_clock::now();
  if (seconds)
    *seconds = std::chrono::duration<double>(end - start).count();

  // Copy the results out, then free their buffers (each distinct
  // allocation once: several results may share a buffer).
  std::vector<Tensor> outputs;
  SmallVector<void *> allocations;
  size_t offset = 0;
  for (const TensorSignature &spec : signature.outputs) {
    size_t rank = spec.shape.size();
    const int64_t *desc = results.data() + offset;
    offset += descriptorWords(rank);
    void *allocated, *aligned;
    std::memcpy(&allocated, &desc[0], sizeof(void *));
    std::memcpy(&aligned, &desc[1], sizeof(void *));
    std::vector<int64_t> shape(desc + 3, desc + 3 + rank);
    const int64_t *strides = desc + 3 + rank;
    Tensor tensor(spec.dtype, shape);
    size_t elemSize = getDTypeSize(spec.dtype);
    auto *src = static_cast<const char *>(aligned) + desc[2] * elemSize;
    auto *dst = static_cast<char *>(tensor.data());
    int64_t n = tensor.getNumElements();
    std::vector<int64_t> index(rank, 0);
    for (int64_t linear = 0; linear < n; ++linear) {
      int64_t elemOffset = 0;
      for (size_t d = 0; d < rank; ++d)
        elemOffset += index[d] * strides[d];
      std::memcpy(dst + linear * elemSize, src + elemOffset * elemSize,
                  elemSize);
      for (int64_t d = static_cast<int64_t>(rank) - 1; d >= 0; --d) {
        if (++index[d] < shape[d])
          break;
        index[d] = 0;
      }
    }
    // Buffers of globals (memref.get_global) carry the marker 0xdeadbeef as
    // their allocated pointer; they are not the caller's to free.
    if (allocated && reinterpret_cast<uintptr_t>(allocated) != 0xdeadbeef)
      allocations.push_back(allocated);
    outputs.push_back(std::move(tensor));
  }
  llvm::DenseSet<void *> freed;
  for (void *allocated : allocations)
    if (freed.insert(allocated).second)
      std::free(allocated);
  if (llvm::Error error = checkOutputs(signature, outputs))
    return std::move(error);
  return std::move(outputs);
}
