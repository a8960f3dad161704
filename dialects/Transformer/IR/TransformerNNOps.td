#ifndef TRANSFORMER_NN_OPS_TD
#define TRANSFORMER_NN_OPS_TD
include "Transformer/IR/TransformerBase.td"
include "Transformer/IR/TransformerAttrs.td"
#endif
