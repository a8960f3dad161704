//===- TransformerDialect.h - transformer dialect ---------------*- C++ -*-===//
//
// Declares the `transformer` dialect class and its enum attributes. Include
// TransformerOps.h for the ops.
//
//===----------------------------------------------------------------------===//

#ifndef LLM_DIALECTS_TRANSFORMER_IR_TRANSFORMERDIALECT_H
#define LLM_DIALECTS_TRANSFORMER_IR_TRANSFORMERDIALECT_H

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/DialectImplementation.h"

#include "Transformer/IR/TransformerDialect.h.inc"
#include "Transformer/IR/TransformerEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "Transformer/IR/TransformerAttrs.h.inc"

#endif // LLM_DIALECTS_TRANSFORMER_IR_TRANSFORMERDIALECT_H
