//===- ModelSummary.cpp - a short report of an imported model --------------===//
//
// printModelSummary: what `llm-opt --llm-summary` and scripts/demo print
// about a module: each function's inputs and outputs (with their ONNX names
// when imported), the number of ops by op name, and the parameters (elements
// and bytes of the `transformer.constant` ops). Works on any module, imported
// or parsed.
//
//===----------------------------------------------------------------------===//

#include "llm/Import/ONNXImporter.h"

#include "Transformer/IR/TransformerOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <map>

using namespace mlir;

static void printBytes(llvm::raw_ostream &os, uint64_t bytes) {
  if (bytes >= (uint64_t(1) << 20))
    os << llvm::format("%.2f MiB", bytes / double(1 << 20));
  else if (bytes >= 1024)
    os << llvm::format("%.1f KiB", bytes / 1024.0);
  else
    os << bytes << " B";
}

void mlir::llm::printModelSummary(ModuleOp module, llvm::raw_ostream &os) {
  os << "=== model summary ===\n";
  if (auto producer = module->getAttrOfType<StringAttr>("onnx.producer"))
    os << "producer: " << producer.getValue() << "\n";
  if (auto opsets = module->getAttrOfType<DictionaryAttr>("onnx.opset_import")) {
    os << "opsets:";
    for (NamedAttribute entry : opsets)
      if (auto v = dyn_cast<IntegerAttr>(entry.getValue()))
        os << " " << entry.getName().getValue() << "=" << v.getInt();
    os << "\n";
  }

  module.walk([&](func::FuncOp func) {
    os << "function @" << func.getSymName() << "\n";
    FunctionType type = func.getFunctionType();
    for (unsigned i = 0; i < type.getNumInputs(); ++i) {
      os << "  input  " << i;
      if (auto name = func.getArgAttrOfType<StringAttr>(i, "onnx.name"))
        os << " '" << name.getValue() << "'";
      os << ": " << type.getInput(i);
      if (auto dims = func.getArgAttrOfType<ArrayAttr>(i, "onnx.dim_params")) {
        os << " (dims:";
        for (Attribute d : dims) {
          StringRef s = cast<StringAttr>(d).getValue();
          os << " " << (s.empty() ? StringRef("-") : s);
        }
        os << ")";
      }
      os << "\n";
    }
    for (unsigned i = 0; i < type.getNumResults(); ++i) {
      os << "  output " << i;
      if (auto name = func.getResultAttrOfType<StringAttr>(i, "onnx.name"))
        os << " '" << name.getValue() << "'";
      os << ": " << type.getResult(i) << "\n";
    }
  });

  std::map<std::string, int64_t> counts;
  int64_t numOps = 0, numConstants = 0, elements = 0;
  uint64_t bytes = 0;
  module.walk([&](Operation *op) {
    if (isa<ModuleOp, func::FuncOp>(op))
      return;
    ++counts[op->getName().getStringRef().str()];
    ++numOps;
    if (auto cst = dyn_cast<llm::transformer::ConstantOp>(op)) {
      auto type = cast<ShapedType>(cst.getType());
      ++numConstants;
      elements += type.getNumElements();
      unsigned bits = type.getElementTypeBitWidth();
      bytes += (static_cast<uint64_t>(type.getNumElements()) * bits + 7) / 8;
    }
  });
  os << "ops: " << numOps << "\n";
  for (const auto &[name, count] : counts)
    os << llvm::format("  %6lld  ", static_cast<long long>(count)) << name
       << "\n";
  os << "parameters: " << elements << " elements in " << numConstants
     << " constants (";
  printBytes(os, bytes);
  os << ")\n";
}
