//===- TransformerOps.h - transformer dialect ops ---------------*- C++ -*-===//
//
// Declares every op of the transformer dialect (all op groups).
//
//===----------------------------------------------------------------------===//

#ifndef LLM_DIALECTS_TRANSFORMER_IR_TRANSFORMEROPS_H
#define LLM_DIALECTS_TRANSFORMER_IR_TRANSFORMEROPS_H

#include "Transformer/IR/TransformerDialect.h"
#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#define GET_OP_CLASSES
#include "Transformer/IR/TransformerMathOps.h.inc"
#define GET_OP_CLASSES
#include "Transformer/IR/TransformerShapeOps.h.inc"
#define GET_OP_CLASSES
#include "Transformer/IR/TransformerNNOps.h.inc"
#define GET_OP_CLASSES
#include "Transformer/IR/TransformerQuantOps.h.inc"
#define GET_OP_CLASSES
#include "Transformer/IR/TransformerIndexingOps.h.inc"

#endif // LLM_DIALECTS_TRANSFORMER_IR_TRANSFORMEROPS_H
