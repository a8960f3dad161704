#include "Transformer/IR/TransformerOps.h"
using namespace mlir;
using namespace mlir::llm::transformer;
#define GET_OP_CLASSES
#include "Transformer/IR/TransformerNNOps.cpp.inc"
