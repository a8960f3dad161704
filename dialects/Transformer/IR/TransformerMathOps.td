//===- TransformerMathOps.td - constants, elementwise, reductions -*- tablegen -*-===//
//
// The math op group of the transformer dialect: `constant`, elementwise unary
// and binary ops (numpy broadcasting), `compare`, `where`, `cast`, and the
// reductions `reduce_sum`, `reduce_mean`, `reduce_max`. These are what ONNX's
// primitive ops import to; the raising passes turn chains of them into the
// fused ops of TransformerNNOps.td.
//
// Every op but `constant` implements `ReifyRankedShapedTypeOpInterface`, so
// that its dynamic result dims can be computed from its operands at run time
// (numpy broadcasting for the binary ops, `compare` and `where`).
//
//===----------------------------------------------------------------------===//

#ifndef TRANSFORMER_MATH_OPS_TD
#define TRANSFORMER_MATH_OPS_TD

include "Transformer/IR/TransformerBase.td"
include "Transformer/IR/TransformerAttrs.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"

//===----------------------------------------------------------------------===//
// constant
//===----------------------------------------------------------------------===//

def Transformer_ConstantOp : Transformer_Op<"constant",
    [ConstantLike, DeclareOpInterfaceMethods<InferTypeOpInterface>]> {
  let summary = "A constant tensor (weights are held without copying)";
  let description = [{
    Produces a tensor from an `ElementsAttr`. Weights imported from ONNX use
    `DenseResourceElementsAttr` (`dense_resource<blob>`), whose bytes stay in
    a resource blob (memory-mapped from the model where possible) instead of
    being uniqued into the context; small constants use `dense<...>`.

    Example:
    ```mlir
    %w = transformer.constant dense_resource<wq> : tensor<768x768xf32>
    %eps = transformer.constant dense<1.0e-05> : tensor<f32>
    ```
  }];
  let arguments = (ins ElementsAttr:$value);
  let results = (outs Transformer_Tensor:$result);
  let assemblyFormat = "attr-dict $value";
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Elementwise unary
//===----------------------------------------------------------------------===//

/// Elementwise op with one operand and a result of the same type.
class Transformer_UnaryOp<string mnemonic, Type operandType, string math,
                          list<Trait> traits = []>
    : Transformer_Op<mnemonic, !listconcat(traits,
        [SameOperandsAndResultType, Elementwise,
         DeclareOpInterfaceMethods<ReifyRankedShapedTypeOpInterface,
            ["reifyResultShapes"]>])> {
  let summary = "Elementwise " # math;
  let description = [{
    Computes `}] # math # [{` for every element. The result has the operand's
    type (shape, including dynamic dims, and element type).

    Example:
    ```mlir
    %y = transformer.}] # mnemonic # [{ %x : tensor<?x?x768xf32>
    ```
  }];
  let arguments = (ins operandType:$input);
  let results = (outs operandType:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def Transformer_NegOp : Transformer_UnaryOp<"neg", Transformer_Tensor, "-x"> {
  let hasFolder = 1;
}
def Transformer_AbsOp : Transformer_UnaryOp<"abs", Transformer_Tensor, "|x|">;
def Transformer_ExpOp : Transformer_UnaryOp<"exp", Transformer_FloatTensor, "exp(x)">;
def Transformer_LogOp : Transformer_UnaryOp<"log", Transformer_FloatTensor, "log(x)">;
def Transformer_SqrtOp : Transformer_UnaryOp<"sqrt", Transformer_FloatTensor, "sqrt(x)">;
def Transformer_RsqrtOp : Transformer_UnaryOp<"rsqrt", Transformer_FloatTensor, "1 / sqrt(x)">;
def Transformer_TanhOp : Transformer_UnaryOp<"tanh", Transformer_FloatTensor, "tanh(x)">;
def Transformer_ErfOp : Transformer_UnaryOp<"erf", Transformer_FloatTensor, "erf(x)">;
def Transformer_CosOp : Transformer_UnaryOp<"cos", Transformer_FloatTensor, "cos(x)">;
def Transformer_SinOp : Transformer_UnaryOp<"sin", Transformer_FloatTensor, "sin(x)">;
def Transformer_SigmoidOp : Transformer_UnaryOp<"sigmoid", Transformer_FloatTensor, "1 / (1 + exp(-x))">;
def Transformer_ReluOp : Transformer_UnaryOp<"relu", Transformer_Tensor, "max(x, 0)">;
def Transformer_ReciprocalOp : Transformer_UnaryOp<"reciprocal", Transformer_FloatTensor, "1 / x">;
def Transformer_NotOp : Transformer_UnaryOp<"not", Transformer_BoolTensor, "logical not">;

//===----------------------------------------------------------------------===//
// Elementwise binary with broadcasting
//===----------------------------------------------------------------------===//

/// Elementwise op on two operands of the same element type, broadcast with
/// numpy rules; the result shape is the broadcast shape.
class Transformer_BinaryOp<string mnemonic, Type operandType, string math,
                           list<Trait> traits = []>
    : Transformer_InferOp<mnemonic, !listconcat(traits,
        [AllElementTypesMatch<["lhs", "rhs", "result"]>,
         DeclareOpInterfaceMethods<ReifyRankedShapedTypeOpInterface,
            ["reifyResultShapes"]>])> {
  let summary = "Elementwise " # math # " with numpy broadcasting";
  let description = [{
    Computes `}] # math # [{` elementwise. The operands have the same element
    type and broadcast with numpy rules (dims aligned from the right; a dim of
    1 stretches; a dynamic dim against a static N > 1 is N, against 1 stays
    dynamic).

    Example:
    ```mlir
    %y = transformer.}] # mnemonic # [{ %a, %b : tensor<?x?x768xf32>, tensor<768xf32> -> tensor<?x?x768xf32>
    ```
  }];
  let arguments = (ins operandType:$lhs, operandType:$rhs);
  let results = (outs operandType:$result);
  let assemblyFormat =
      "$lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs) `->` type($result)";
}

def Transformer_AddOp : Transformer_BinaryOp<"add", Transformer_Tensor, "lhs + rhs", [Commutative]> {
  let hasFolder = 1;
}
def Transformer_SubOp : Transformer_BinaryOp<"sub", Transformer_Tensor, "lhs - rhs"> {
  let hasFolder = 1;
}
def Transformer_MulOp : Transformer_BinaryOp<"mul", Transformer_Tensor, "lhs * rhs", [Commutative]> {
  let hasFolder = 1;
}
def Transformer_DivOp : Transformer_BinaryOp<"div", Transformer_Tensor,
    "lhs / rhs (integer division truncates toward zero)"> {
  let hasFolder = 1;
}
def Transformer_PowOp : Transformer_BinaryOp<"pow", Transformer_FloatTensor, "lhs ^ rhs">;
def Transformer_MaxOp : Transformer_BinaryOp<"max", Transformer_Tensor, "max(lhs, rhs)", [Commutative]>;
def Transformer_MinOp : Transformer_BinaryOp<"min", Transformer_Tensor, "min(lhs, rhs)", [Commutative]>;
def Transformer_AndOp : Transformer_BinaryOp<"and", Transformer_BoolTensor, "lhs and rhs", [Commutative]>;
def Transformer_OrOp : Transformer_BinaryOp<"or", Transformer_BoolTensor, "lhs or rhs", [Commutative]>;

def Transformer_CompareOp : Transformer_InferOp<"compare",
    [AllElementTypesMatch<["lhs", "rhs"]>,
     DeclareOpInterfaceMethods<ReifyRankedShapedTypeOpInterface,
         ["reifyResultShapes"]>]> {
  let summary = "Elementwise comparison with numpy broadcasting, to i1";
  let description = [{
    Compares `lhs` and `rhs` elementwise with the predicate (`eq`, `ne`, `lt`,
    `le`, `gt`, `ge`); floats compare ordered (NaN compares false except with
    `ne`). Operands broadcast as for `transformer.add`; the result is `i1`.

    Example:
    ```mlir
    %m = transformer.compare lt, %pos, %len : tensor<?x1xi64>, tensor<1x?xi64> -> tensor<?x?xi1>
    ```
  }];
  let arguments = (ins Transformer_ComparePredicateAttr:$predicate,
                       Transformer_Tensor:$lhs, Transformer_Tensor:$rhs);
  let results = (outs Transformer_BoolTensor:$result);
  let assemblyFormat = [{
    $predicate `,` $lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs) `->` type($result)
  }];
}

def Transformer_WhereOp : Transformer_InferOp<"where",
    [AllElementTypesMatch<["true_value", "false_value", "result"]>,
     DeclareOpInterfaceMethods<ReifyRankedShapedTypeOpInterface,
         ["reifyResultShapes"]>]> {
  let summary = "Elementwise select with numpy broadcasting of all three operands";
  let description = [{
    `result[i] = condition[i] ? true_value[i] : false_value[i]`, with the
    three operands broadcast together (numpy rules). Causal masks imported
    from ONNX `Where` use it.

    Example:
    ```mlir
    %s = transformer.where %mask, %scores, %neg_inf
        : tensor<1x1x?x?xi1>, tensor<?x12x?x?xf32>, tensor<f32> -> tensor<?x12x?x?xf32>
    ```
  }];
  let arguments = (ins Transformer_BoolTensor:$condition,
                       Transformer_Tensor:$true_value,
                       Transformer_Tensor:$false_value);
  let results = (outs Transformer_Tensor:$result);
  let assemblyFormat = [{
    $condition `,` $true_value `,` $false_value attr-dict `:` type($condition) `,`
    type($true_value) `,` type($false_value) `->` type($result)
  }];
}

def Transformer_CastOp : Transformer_Op<"cast",
    [Elementwise, SameOperandsAndResultShape,
     DeclareOpInterfaceMethods<ReifyRankedShapedTypeOpInterface,
         ["reifyResultShapes"]>]> {
  let summary = "Elementwise element-type conversion";
  let description = [{
    Converts each element to the result's element type: float<->float rounds
    to nearest even, float->int truncates toward zero (saturation is not
    defined, as in ONNX), int->int truncates or sign-/zero-extends per the
    source signedness, int->float rounds, and `i1` converts as 0/1. The shape
    is unchanged. A cast to the same type folds away.

    Example:
    ```mlir
    %h = transformer.cast %x : tensor<?x768xf32> to tensor<?x768xf16>
    ```
  }];
  let arguments = (ins Transformer_Tensor:$input);
  let results = (outs Transformer_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `to` type($result)";
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

/// Reduction over `axes` (all axes when empty), keeping reduced dims as size 1
/// when `keep_dims` is set.
class Transformer_ReduceOp<string mnemonic, Type operandType, string math>
    : Transformer_InferOp<mnemonic, [AllElementTypesMatch<["input", "result"]>,
        DeclareOpInterfaceMethods<ReifyRankedShapedTypeOpInterface,
            ["reifyResultShapes"]>]> {
  let summary = "Reduce by " # math # " over axes";
  let description = [{
    Reduces `input` by }] # math # [{ over `axes` (negative axes count from the
    end; an empty list reduces every axis). With `keep_dims` the reduced dims
    stay as size 1, otherwise they are dropped.

    Example:
    ```mlir
    %m = transformer.}] # mnemonic # [{ %x {axes = array<i64: -1>, keep_dims = true}
        : tensor<?x?x768xf32> -> tensor<?x?x1xf32>
    ```
  }];
  let arguments = (ins operandType:$input,
                       DenseI64ArrayAttr:$axes,
                       DefaultValuedAttr<BoolAttr, "false">:$keep_dims);
  let results = (outs operandType:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
}

def Transformer_ReduceSumOp : Transformer_ReduceOp<"reduce_sum", Transformer_Tensor, "sum">;
def Transformer_ReduceMeanOp : Transformer_ReduceOp<"reduce_mean", Transformer_FloatTensor, "mean">;
def Transformer_ReduceMaxOp : Transformer_ReduceOp<"reduce_max", Transformer_Tensor, "max">;

#endif // TRANSFORMER_MATH_OPS_TD
