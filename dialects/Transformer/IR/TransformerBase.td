//===- TransformerBase.td - transformer dialect definition -*- tablegen -*-===//
//
// The `transformer` dialect: the graph-level IR that ONNX models are imported
// into. Ops work on value-semantic ranked tensors (dynamic dims allowed for
// batch and sequence), infer their result types, and lower to linalg/tensor for
// the CPU and GPU targets and to the npu dialect for the accelerator.
//
// This file defines the dialect and the base classes shared by the op files
// (TransformerMathOps.td, TransformerShapeOps.td, TransformerNNOps.td,
// TransformerQuantOps.td); each op file is generated into its own .inc files
// so that no translation unit holds every op.
//
//===----------------------------------------------------------------------===//

#ifndef TRANSFORMER_BASE_TD
#define TRANSFORMER_BASE_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def Transformer_Dialect : Dialect {
  let name = "transformer";
  let cppNamespace = "::mlir::llm::transformer";
  let summary = "Graph-level ops for transformer (LLM) models";
  let description = [{
    The `transformer` dialect holds LLM graphs as imported from ONNX and as
    raised by the pattern passes: elementwise math with numpy broadcasting,
    reductions, shape ops, and the fused LLM ops (`matmul`, `linear`,
    `softmax`, `layer_norm`, `rms_norm`, `gelu`, `silu`, `rotary_embedding`,
    `attention`, `embedding`) plus quantization (`quantize`, `dequantize`,
    `quantized_linear`, `quantized_matmul`).

    All ops are pure, work on ranked tensors, and infer their result types
    from their operands and attributes; dynamic dimensions (`?`) propagate
    (typically batch and sequence length).
  }];
  let useDefaultAttributePrinterParser = 1;
  let hasConstantMaterializer = 1;
  let dependentDialects = ["::mlir::tensor::TensorDialect"];
}

/// Base class of every transformer op: pure (no side effects).
class Transformer_Op<string mnemonic, list<Trait> traits = []>
    : Op<Transformer_Dialect, mnemonic, !listconcat(traits, [Pure])>;

/// Ops whose result types are computed from operands and attributes by
/// `inferReturnTypes(MLIRContext *, std::optional<Location>, Adaptor,
/// SmallVectorImpl<Type> &)`; the verifier checks the written result types
/// against it.
class Transformer_InferOp<string mnemonic, list<Trait> traits = []>
    : Transformer_Op<mnemonic, !listconcat(traits, [InferTypeOpAdaptor])>;

// Operand constraints.
def Transformer_FloatTensor : RankedTensorOf<[AnyFloat]>;
def Transformer_IntTensor : RankedTensorOf<[AnySignlessInteger, AnyUnsignedInteger]>;
def Transformer_BoolTensor : RankedTensorOf<[I1]>;
def Transformer_Tensor : RankedTensorOf<[AnyType]>;
/// Quantized storage types: 8- and 4-bit integers, signed or unsigned.
def Transformer_I4 : I<4>;
def Transformer_UI4 : UI<4>;
def Transformer_SI4 : SI<4>;
def Transformer_QuantElement
    : AnyTypeOf<[I8, UI8, SI8, Transformer_I4, Transformer_UI4, Transformer_SI4]>;
def Transformer_QuantTensor : RankedTensorOf<[I8, UI8, SI8, Transformer_I4,
                                              Transformer_UI4, Transformer_SI4]>;
def Transformer_IndexTensor : RankedTensorOf<[I32, I64, SI32, SI64]>;

#endif // TRANSFORMER_BASE_TD
