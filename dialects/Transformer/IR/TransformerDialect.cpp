//===- TransformerDialect.cpp - transformer dialect registration ---------===//
//
// Registers the ops of every op group, the enum attributes, and the constant
// materializer used by folding (it builds `transformer.constant`).
//
//===----------------------------------------------------------------------===//

#include "Transformer/IR/TransformerDialect.h"
#include "Transformer/IR/TransformerOps.h"

#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::llm::transformer;

#include "Transformer/IR/TransformerDialect.cpp.inc"
#include "Transformer/IR/TransformerEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "Transformer/IR/TransformerAttrs.cpp.inc"

void TransformerDialect::initialize() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "Transformer/IR/TransformerAttrs.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "Transformer/IR/TransformerMathOps.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "Transformer/IR/TransformerShapeOps.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "Transformer/IR/TransformerNNOps.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "Transformer/IR/TransformerQuantOps.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "Transformer/IR/TransformerIndexingOps.cpp.inc"
      >();
}

Operation *TransformerDialect::materializeConstant(OpBuilder &builder,
                                                   Attribute value, Type type,
                                                   Location loc) {
  auto elements = dyn_cast<ElementsAttr>(value);
  if (!elements || elements.getType() != type)
    return nullptr;
  return ConstantOp::create(builder, loc, type, elements);
}
