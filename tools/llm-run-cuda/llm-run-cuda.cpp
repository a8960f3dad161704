//===- llm-run-cuda.cpp - run a compiled GPU model without LLVM -----------===//
//
//   llm-run-cuda libmodel.so [--input NAME=FILE.npy | FILE.npy]...
//       [--expected DIR] [--rtol R] [--atol A] [--bench N] [--output-dir DIR]
//       [--print-signature]
//
// Runs a model that `llm-opt --llm-nvptx-pipeline --emit=shared` compiled
// (host code + PTX, linked against libLLMCUDARuntime.so) on a GPU machine
// that has no LLVM or MLIR: it needs only our runtime and libc/libstdc++.
// The model's interface comes from the string `llm_model_signature` the
// artifact exports (format: include/llm/Target/NVPTX/CUDAArtifact.h). Inputs
// and expected outputs are .npy files (`--expected DIR` reads
// DIR/<output name>.npy, else DIR/output_<K>.npy; without --input the inputs
// are DIR/<input name>.npy or DIR/input_<K>.npy). Comparison as llm-run:
// |actual - expected| <= atol + rtol * |expected|, NaN == NaN.
//
// Exit status: 0 success, 1 error or mismatch, 2 CUDA not usable (no
// driver, no device, cuInit failing; the message says which).
//
//===----------------------------------------------------------------------===//

#include "llm/Runtime/CUDA/CUDARuntime.h"

#include <dlfcn.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <utility>
#include <vector>

namespace {

[[noreturn]] void fail(const std::string &message, int status = 1) {
  std::fprintf(stderr, "llm-run-cuda: error: %s\n", message.c_str());
  std::exit(status);
}

//===-- element types ------------------------------------------------------===//

struct DTypeInfo {
  const char *name;  // as getDTypeName (the signature)
  const char *descr; // numpy descr
  size_t size;
};
constexpr DTypeInfo kDTypes[] = {
    {"f32", "<f4", 4},  {"f64", "<f8", 8},  {"f16", "<f2", 2},
    {"bf16", "<u2", 2}, {"i8", "|i1", 1},   {"i16", "<i2", 2},
    {"i32", "<i4", 4},  {"i64", "<i8", 8},  {"ui8", "|u1", 1},
    {"ui16", "<u2", 2}, {"ui32", "<u4", 4}, {"ui64", "<u8", 8},
    {"i1", "|b1", 1}};

const DTypeInfo *findDType(const std::string &name) {
  for (const DTypeInfo &info : kDTypes)
    if (name == info.name)
      return &info;
  return nullptr;
}

double readElement(const std::string &dtype, const char *p) {
  auto half = [](uint16_t h) {
    uint32_t sign = (h >> 15) & 1, exp = (h >> 10) & 0x1f, mant = h & 0x3ff;
    double v = exp == 0    ? std::ldexp(mant, -24)
               : exp == 31 ? (mant ? NAN : INFINITY)
                           : std::ldexp(mant + 1024, exp - 25);
    return sign ? -v : v;
  };
  if (dtype == "f32") { float v; std::memcpy(&v, p, 4); return v; }
  if (dtype == "f64") { double v; std::memcpy(&v, p, 8); return v; }
  if (dtype == "f16") { uint16_t v; std::memcpy(&v, p, 2); return half(v); }
  if (dtype == "bf16") {
    uint16_t v; std::memcpy(&v, p, 2);
    uint32_t bits = uint32_t(v) << 16; float f; std::memcpy(&f, &bits, 4);
    return f;
  }
  if (dtype == "i8") return *reinterpret_cast<const int8_t *>(p);
  if (dtype == "ui8" || dtype == "i1") return *reinterpret_cast<const uint8_t *>(p);
  if (dtype == "i16") { int16_t v; std::memcpy(&v, p, 2); return v; }
  if (dtype == "ui16") { uint16_t v; std::memcpy(&v, p, 2); return v; }
  if (dtype == "i32") { int32_t v; std::memcpy(&v, p, 4); return v; }
  if (dtype == "ui32") { uint32_t v; std::memcpy(&v, p, 4); return v; }
  if (dtype == "i64") { int64_t v; std::memcpy(&v, p, 8); return double(v); }
  uint64_t v; std::memcpy(&v, p, 8); return double(v);
}

//===-- tensors and .npy ---------------------------------------------------===//

struct Tensor {
  std::string dtype;
  std::vector<int64_t> shape;
  std::vector<char> data;
  int64_t numElements() const {
    int64_t n = 1;
    for (int64_t d : shape) n *= d;
    return n;
  }
  std::string describe() const {
    std::string s = dtype + "[";
    for (size_t i = 0; i < shape.size(); ++i)
      s += (i ? "x" : "") + std::to_string(shape[i]);
    return s + "]";
  }
};

bool fileExists(const std::string &path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

/// Reads a C-order .npy file (numpy format versions 1-3).
Tensor readNpy(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    fail("cannot open '" + path + "'");
  std::string bytes((std::istreambuf_iterator<char>(in)), {});
  if (bytes.size() < 10 || bytes.compare(0, 6, "\x93NUMPY") != 0)
    fail("'" + path + "' is not a .npy file");
  uint8_t major = bytes[6];
  size_t headerLen, headerStart;
  if (major == 1) {
    headerLen = uint8_t(bytes[8]) | (uint8_t(bytes[9]) << 8);
    headerStart = 10;
  } else {
    if (bytes.size() < 12) fail("'" + path + "' is truncated");
    headerLen = uint32_t(uint8_t(bytes[8])) | uint32_t(uint8_t(bytes[9])) << 8 |
                uint32_t(uint8_t(bytes[10])) << 16 |
                uint32_t(uint8_t(bytes[11])) << 24;
    headerStart = 12;
  }
  if (headerStart + headerLen > bytes.size())
    fail("'" + path + "' is truncated");
  std::string header = bytes.substr(headerStart, headerLen);
  auto field = [&](const std::string &key) {
    size_t at = header.find("'" + key + "'");
    if (at == std::string::npos)
      fail("'" + path + "': no '" + key + "' in the .npy header");
    at = header.find(':', at);
    size_t end = at + 1;
    while (end < header.size() && header[end] == ' ') ++end;
    return header.substr(end);
  };
  std::string descr = field("descr");
  descr = descr.substr(1, descr.find('\'', 1) - 1);
  if (descr == "<b1" || descr == "=b1") descr = "|b1";
  if (descr == "<i1") descr = "|i1";
  if (descr == "<u1") descr = "|u1";
  if (field("fortran_order").rfind("True", 0) == 0)
    fail("'" + path + "' is in Fortran order: save it C-contiguous");
  Tensor t;
  for (const DTypeInfo &info : kDTypes)
    if (descr == info.descr && std::string(info.name) != "bf16") {
      t.dtype = info.name;
      break;
    }
  if (t.dtype.empty())
    fail("'" + path + "': unsupported .npy dtype '" + descr + "'");
  std::string shape = field("shape");
  shape = shape.substr(1, shape.find(')') - 1);
  std::stringstream ss(shape);
  std::string item;
  while (std::getline(ss, item, ','))
    if (item.find_first_not_of(' ') != std::string::npos)
      t.shape.push_back(std::stoll(item));
  size_t size = size_t(t.numElements()) * findDType(t.dtype)->size;
  size_t dataStart = headerStart + headerLen;
  if (bytes.size() - dataStart < size)
    fail("'" + path + "' has less data than its shape " + t.describe() + " needs");
  t.data.assign(bytes.begin() + dataStart, bytes.begin() + dataStart + size);
  return t;
}

void writeNpy(const std::string &path, const Tensor &t) {
  const DTypeInfo *info = findDType(t.dtype);
  std::string shape = "(";
  for (int64_t d : t.shape) shape += std::to_string(d) + ", ";
  if (t.shape.size() > 1) shape.erase(shape.size() - 2);
  else if (t.shape.size() == 1) shape.erase(shape.size() - 1);
  shape += ")";
  std::string header = std::string("{'descr': '") + info->descr +
                       "', 'fortran_order': False, 'shape': " + shape + ", }";
  while ((10 + header.size() + 1) % 64) header += ' ';
  header += '\n';
  std::ofstream out(path, std::ios::binary);
  if (!out) fail("cannot write '" + path + "'");
  out.write("\x93NUMPY\x01\x00", 8);
  char len[2] = {char(header.size() & 0xff), char(header.size() >> 8)};
  out.write(len, 2);
  out << header;
  out.write(t.data.data(), std::streamsize(t.data.size()));
}

//===-- the signature ------------------------------------------------------===//

struct TensorSpec {
  std::string name, dtype;
  std::vector<int64_t> shape; // -1: dynamic
  std::vector<std::string> dimNames;
};
struct Signature {
  std::string entry;
  std::vector<TensorSpec> inputs, outputs;
};

std::string unescape(const std::string &s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      out += char(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

Signature parseSignature(const char *text) {
  Signature sig;
  std::stringstream lines(text);
  std::string line;
  std::getline(lines, line);
  if (line != "llm-model-signature 1")
    fail("the model's llm_model_signature has an unknown format: '" + line + "'");
  while (std::getline(lines, line)) {
    std::stringstream fields(line);
    std::string role;
    fields >> role;
    if (role == "entry") {
      std::string name;
      fields >> name;
      sig.entry = unescape(name);
      continue;
    }
    TensorSpec spec;
    size_t rank = 0;
    fields >> spec.name >> spec.dtype >> rank;
    spec.name = unescape(spec.name);
    for (size_t d = 0; d < rank; ++d) {
      std::string dim;
      fields >> dim;
      spec.shape.push_back(dim == "?" ? -1 : std::stoll(dim));
    }
    for (size_t d = 0; d < rank; ++d) {
      std::string name;
      fields >> name;
      spec.dimNames.push_back(name == "-" ? "" : unescape(name));
    }
    if (!fields || !findDType(spec.dtype))
      fail("cannot parse the signature line '" + line + "'");
    (role == "input" ? sig.inputs : sig.outputs).push_back(spec);
  }
  if (sig.entry.empty())
    fail("the model's signature names no entry function");
  return sig;
}

std::string describeSpec(const TensorSpec &spec) {
  std::string s = spec.dtype + "[";
  for (size_t d = 0; d < spec.shape.size(); ++d) {
    s += d ? "x" : "";
    s += spec.shape[d] >= 0 ? std::to_string(spec.shape[d])
         : spec.dimNames[d].empty() ? "?" : spec.dimNames[d];
  }
  return s + "]";
}

/// Checks inputs against the signature: dtype, rank, static dims, equal
/// sizes for dims of the same symbolic name.
void checkInputs(const Signature &sig, const std::vector<Tensor> &inputs) {
  std::map<std::string, std::pair<int64_t, std::string>> symbols;
  for (size_t i = 0; i < sig.inputs.size(); ++i) {
    const TensorSpec &spec = sig.inputs[i];
    const Tensor &t = inputs[i];
    // numpy has no bfloat16: uint16 bit patterns stand for it.
    bool dtypeOk = t.dtype == spec.dtype || (spec.dtype == "bf16" && t.dtype == "ui16");
    if (!dtypeOk || t.shape.size() != spec.shape.size())
      fail("input '" + spec.name + "' expects " + describeSpec(spec) + ", got " +
           t.describe());
    for (size_t d = 0; d < spec.shape.size(); ++d) {
      if (spec.shape[d] >= 0 && spec.shape[d] != t.shape[d])
        fail("input '" + spec.name + "' expects dim " + std::to_string(d) + " = " +
             std::to_string(spec.shape[d]) + " (" + describeSpec(spec) +
             "), got " + t.describe());
      if (spec.shape[d] >= 0 || spec.dimNames[d].empty())
        continue;
      auto [it, inserted] =
          symbols.emplace(spec.dimNames[d], std::make_pair(t.shape[d], spec.name));
      if (!inserted && it->second.first != t.shape[d])
        fail("input '" + spec.name + "' dim " + std::to_string(d) + " ('" +
             spec.dimNames[d] + "') is " + std::to_string(t.shape[d]) +
             ", but input '" + it->second.second + "' set it to " +
             std::to_string(it->second.first));
    }
  }
}

//===-- calling the model ---------------------------------------------------===//

constexpr size_t kMaxArgs = 64;
using Arg = void *;

template <size_t... I>
void callWith(void *fn, Arg *args, std::index_sequence<I...>) {
  using Fn = void (*)(decltype(I, Arg())...);
  reinterpret_cast<Fn>(fn)(args[I]...);
}

template <size_t... N>
void callN(void *fn, Arg *args, size_t n, std::index_sequence<N...>) {
  using Caller = void (*)(void *, Arg *);
  static constexpr Caller callers[] = {
      +[](void *f, Arg *a) { callWith(f, a, std::make_index_sequence<N>()); }...};
  callers[n](fn, args);
}

/// Calls `_mlir_ciface_<entry>(results?, inputs...)` and copies the results
/// out (freeing their malloc'ed buffers). `seconds` gets the call's time.
std::vector<Tensor> runModel(void *fn, const Signature &sig,
                             const std::vector<Tensor> &inputs, double *seconds) {
  std::vector<std::vector<int64_t>> descriptors;
  for (const Tensor &t : inputs) {
    size_t rank = t.shape.size();
    std::vector<int64_t> desc(3 + 2 * rank, 0);
    const void *data = t.data.data();
    std::memcpy(&desc[0], &data, sizeof(void *));
    std::memcpy(&desc[1], &data, sizeof(void *));
    int64_t stride = 1;
    for (size_t d = rank; d-- > 0;) {
      desc[3 + d] = t.shape[d];
      desc[3 + rank + d] = stride;
      stride *= t.shape[d];
    }
    descriptors.push_back(std::move(desc));
  }
  size_t resultWords = 0;
  for (const TensorSpec &o : sig.outputs) resultWords += 3 + 2 * o.shape.size();
  std::vector<int64_t> results(std::max<size_t>(resultWords, 1), 0);
  std::vector<Arg> args;
  if (!sig.outputs.empty()) args.push_back(results.data());
  for (auto &desc : descriptors) args.push_back(desc.data());
  if (args.size() > kMaxArgs)
    fail("the model has more than " + std::to_string(kMaxArgs) + " arguments");

  auto start = std::chrono::steady_clock::now();
  callN(fn, args.data(), args.size(), std::make_index_sequence<kMaxArgs + 1>());
  auto end = std::chrono::steady_clock::now();
  if (seconds) *seconds = std::chrono::duration<double>(end - start).count();

  std::vector<Tensor> outputs;
  std::set<void *> toFree;
  size_t offset = 0;
  for (const TensorSpec &spec : sig.outputs) {
    size_t rank = spec.shape.size();
    const int64_t *desc = results.data() + offset;
    offset += 3 + 2 * rank;
    void *allocated, *aligned;
    std::memcpy(&allocated, &desc[0], sizeof(void *));
    std::memcpy(&aligned, &desc[1], sizeof(void *));
    Tensor t;
    t.dtype = spec.dtype;
    t.shape.assign(desc + 3, desc + 3 + rank);
    const int64_t *strides = desc + 3 + rank;
    size_t elem = findDType(spec.dtype)->size;
    t.data.resize(size_t(t.numElements()) * elem);
    const char *src = static_cast<const char *>(aligned) + desc[2] * int64_t(elem);
    std::vector<int64_t> index(rank, 0);
    for (int64_t linear = 0; linear < t.numElements(); ++linear) {
      int64_t off = 0;
      for (size_t d = 0; d < rank; ++d) off += index[d] * strides[d];
      std::memcpy(&t.data[size_t(linear) * elem], src + off * int64_t(elem), elem);
      for (size_t d = rank; d-- > 0;) {
        if (++index[d] < t.shape[d]) break;
        index[d] = 0;
      }
    }
    if (allocated && reinterpret_cast<uintptr_t>(allocated) != 0xdeadbeef)
      toFree.insert(allocated);
    outputs.push_back(std::move(t));
  }
  for (void *p : toFree) std::free(p);
  return outputs;
}

void checkCUDA(const std::string &when) {
  if (const char *error = llmCudaGetError())
    fail(std::string("CUDA failed ") + when + ": " + error);
}

/// Compares as the ONNX backend tests; prints one line per output.
bool compare(const TensorSpec &spec, const Tensor &actual, const Tensor &expected,
             double rtol, double atol) {
  std::string expectedType = expected.dtype == "ui16" && actual.dtype == "bf16"
                                 ? "bf16" : expected.dtype;
  if (expectedType != actual.dtype || expected.shape != actual.shape) {
    std::printf("output '%s': MISMATCH: got %s, expected %s\n", spec.name.c_str(),
                actual.describe().c_str(), expected.describe().c_str());
    return false;
  }
  size_t elem = findDType(actual.dtype)->size;
  double maxAbs = 0, maxRel = 0;
  int64_t bad = 0, worst = -1;
  double worstExcess = -1;
  for (int64_t i = 0; i < actual.numElements(); ++i) {
    double a = readElement(actual.dtype, &actual.data[size_t(i) * elem]);
    double e = readElement(actual.dtype, &expected.data[size_t(i) * elem]);
    if (std::isnan(a) && std::isnan(e)) continue;
    double diff = std::fabs(a - e);
    if (std::isnan(diff)) diff = INFINITY;
    if (a == e) diff = 0; // equal infinities
    maxAbs = std::max(maxAbs, diff);
    if (e != 0) maxRel = std::max(maxRel, diff / std::fabs(e));
    double excess = diff - (atol + rtol * std::fabs(e));
    if (excess > 0) {
      ++bad;
      if (excess > worstExcess) { worstExcess = excess; worst = i; }
    }
  }
  std::printf("output '%s': max abs error %.3g, max rel error %.3g", spec.name.c_str(),
              maxAbs, maxRel);
  if (bad) {
    double a = readElement(actual.dtype, &actual.data[size_t(worst) * elem]);
    double e = readElement(actual.dtype, &expected.data[size_t(worst) * elem]);
    std::printf(": MISMATCH in %lld of %lld elements, worst at flat index %lld: "
                "%.8g, expected %.8g",
                (long long)bad, (long long)actual.numElements(), (long long)worst, a, e);
  }
  std::printf("\n");
  return bad == 0;
}

std::string sanitize(const std::string &name) {
  std::string out = name;
  for (char &c : out)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '_')
      c = '_';
  return out;
}

/// DIR/<name>.npy, else DIR/<prefix>_<k>.npy; "" if neither exists.
std::string findData(const std::string &dir, const std::string &name,
                     const char *prefix, size_t k) {
  for (std::string path : {dir + "/" + sanitize(name) + ".npy",
                           dir + "/" + prefix + "_" + std::to_string(k) + ".npy"})
    if (fileExists(path)) return path;
  return "";
}

} // namespace

int main(int argc, char **argv) {
  std::string modelPath, expectedDir, outputDir;
  std::vector<std::pair<std::string, std::string>> inputArgs;
  double rtol = 1e-3, atol = 1e-7;
  long bench = 0;
  bool printSignature = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&]() -> std::string {
      size_t eq = arg.find('=');
      if (arg.rfind("--", 0) == 0 && eq != std::string::npos)
        return arg.substr(eq + 1);
      if (i + 1 >= argc) fail(arg + " needs a value");
      return argv[++i];
    };
    auto is = [&](const char *flag) {
      return arg == flag || arg.rfind(std::string(flag) + "=", 0) == 0;
    };
    if (is("--input")) {
      std::string v = value();
      size_t eq = v.find('=');
      inputArgs.emplace_back(eq == std::string::npos ? "" : v.substr(0, eq),
                             eq == std::string::npos ? v : v.substr(eq + 1));
    } else if (is("--expected")) expectedDir = value();
    else if (is("--output-dir")) outputDir = value();
    else if (is("--rtol")) rtol = std::stod(value());
    else if (is("--atol")) atol = std::stod(value());
    else if (is("--bench")) bench = std::stol(value());
    else if (arg == "--print-signature") printSignature = true;
    else if (arg == "-h" || arg == "--help") {
      std::printf("usage: llm-run-cuda libmodel.so [--input NAME=FILE.npy]... "
                  "[--expected DIR] [--rtol R] [--atol A] [--bench N] "
                  "[--output-dir DIR] [--print-signature]\n");
      return 0;
    } else if (arg.rfind("-", 0) == 0) fail("unknown option '" + arg + "'");
    else if (modelPath.empty()) modelPath = arg;
    else fail("more than one model given: '" + modelPath + "' and '" + arg + "'");
  }
  if (modelPath.empty()) fail("no model given (llm-run-cuda libmodel.so ...)");

  // Loading the model runs its constructor, which loads the kernels.
  void *library = dlopen(modelPath.find('/') == std::string::npos
                             ? ("./" + modelPath).c_str() : modelPath.c_str(),
                         RTLD_NOW | RTLD_LOCAL);
  if (!library) fail(std::string("cannot load the model: ") + dlerror());
  auto *signatureText =
      static_cast<const char *>(dlsym(library, "llm_model_signature"));
  if (!signatureText)
    fail("'" + modelPath + "' has no llm_model_signature: compile it with "
         "llm-opt --llm-nvptx-pipeline --emit=shared");
  Signature sig = parseSignature(signatureText);
  if (printSignature) std::printf("%s", signatureText);
  void *entry = dlsym(library, ("_mlir_ciface_" + sig.entry).c_str());
  if (!entry) fail("'" + modelPath + "' has no _mlir_ciface_" + sig.entry);

  // Inputs, by name or in order, else from the expected-data directory.
  std::vector<Tensor> inputs(sig.inputs.size());
  std::vector<bool> bound(sig.inputs.size(), false);
  size_t next = 0;
  for (auto &[name, path] : inputArgs) {
    size_t k = next;
    if (!name.empty()) {
      k = sig.inputs.size();
      for (size_t j = 0; j < sig.inputs.size(); ++j)
        if (sig.inputs[j].name == name) k = j;
      if (k == sig.inputs.size()) {
        std::string names;
        for (auto &in : sig.inputs) names += (names.empty() ? "" : ", ") + in.name;
        fail("the model has no input '" + name + "' (inputs: " + names + ")");
      }
    } else {
      while (k < bound.size() && bound[k]) ++k;
      if (k == sig.inputs.size()) fail("more --input files than model inputs");
      next = k + 1;
    }
    if (bound[k]) fail("input '" + sig.inputs[k].name + "' is given twice");
    inputs[k] = readNpy(path);
    bound[k] = true;
  }
  for (size_t k = 0; k < sig.inputs.size(); ++k) {
    if (bound[k]) continue;
    std::string path = expectedDir.empty() ? ""
                       : findData(expectedDir, sig.inputs[k].name, "input", k);
    if (path.empty())
      fail("input '" + sig.inputs[k].name + "' (" + describeSpec(sig.inputs[k]) +
           ") is missing: give --input " + sig.inputs[k].name + "=FILE.npy");
    inputs[k] = readNpy(path);
  }
  checkInputs(sig, inputs);
  for (size_t k = 0; k < inputs.size(); ++k)
    if (sig.inputs[k].dtype == "bf16") inputs[k].dtype = "bf16";

  int status = llmCudaInit();
  if (status != LLM_CUDA_OK) {
    const char *error = llmCudaGetError();
    fail(std::string("CUDA is not usable: ") + (error ? error : "unknown error"), 2);
  }
  checkCUDA("loading the model's kernels");
  std::printf("device: %s\n", llmCudaDeviceName());

  std::vector<Tensor> outputs = runModel(entry, sig, inputs, nullptr);
  checkCUDA("running the model");
  for (size_t k = 0; k < outputs.size(); ++k) {
    std::printf("output '%s': %s\n", sig.outputs[k].name.c_str(),
                outputs[k].describe().c_str());
    const TensorSpec &spec = sig.outputs[k];
    for (size_t d = 0; d < spec.shape.size(); ++d)
      if (spec.shape[d] >= 0 && outputs[k].shape[d] != spec.shape[d])
        fail("output '" + spec.name + "' is declared " + describeSpec(spec) +
             " but the model computed " + outputs[k].describe());
  }
  if (!outputDir.empty())
    for (size_t k = 0; k < outputs.size(); ++k)
      writeNpy(outputDir + "/" + sanitize(sig.outputs[k].name) + ".npy", outputs[k]);

  if (bench > 0) {
    std::vector<double> times;
    for (long i = 0; i < bench; ++i) {
      double seconds = 0;
      runModel(entry, sig, inputs, &seconds);
      checkCUDA("running the model");
      times.push_back(seconds * 1e3);
    }
    std::sort(times.begin(), times.end());
    double mean = 0;
    for (double t : times) mean += t / double(times.size());
    size_t n = times.size();
    double median = n % 2 ? times[n / 2] : (times[n / 2 - 1] + times[n / 2]) / 2;
    std::printf("bench: %zu runs: min %.4g ms, median %.4g ms, mean %.4g ms\n", n,
                times.front(), median, mean);
  }

  if (!expectedDir.empty()) {
    bool allMatch = true;
    for (size_t k = 0; k < outputs.size(); ++k) {
      std::string path = findData(expectedDir, sig.outputs[k].name, "output", k);
      if (path.empty())
        fail("no expected data for output '" + sig.outputs[k].name + "' in '" +
             expectedDir + "' (" + sanitize(sig.outputs[k].name) + ".npy or output_" +
             std::to_string(k) + ".npy)");
      allMatch &= compare(sig.outputs[k], outputs[k], readNpy(path), rtol, atol);
    }
    if (!allMatch) {
      std::printf("MISMATCH: outputs differ from '%s' beyond rtol %g, atol %g\n",
                  expectedDir.c_str(), rtol, atol);
      return 1;
    }
    std::printf("all outputs match '%s'\n", expectedDir.c_str());
  }
  return 0;
}
