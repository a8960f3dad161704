//===- TransformerAttrs.td - transformer enums and attributes -*- tablegen -*-===//
//
// Enum attributes of the transformer dialect: the GELU approximation, the
// rotary-embedding layout and the comparison predicate.
//
//===----------------------------------------------------------------------===//

#ifndef TRANSFORMER_ATTRS_TD
#define TRANSFORMER_ATTRS_TD

include "Transformer/IR/TransformerBase.td"
include "mlir/IR/EnumAttr.td"

def Transformer_GeluApproximation : I32EnumAttr<"GeluApproximation",
    "how GELU is computed", [
      I32EnumAttrCase<"Erf", 0, "erf">,
      I32EnumAttrCase<"Tanh", 1, "tanh">]> {
  let cppNamespace = "::mlir::llm::transformer";
  let genSpecializedAttr = 0;
}
def Transformer_GeluApproximationAttr
    : EnumAttr<Transformer_Dialect, Transformer_GeluApproximation, "gelu_approximation">;

def Transformer_RotaryMode : I32EnumAttr<"RotaryMode",
    "how the rotated pairs of a rotary embedding are laid out", [
      I32EnumAttrCase<"RotateHalf", 0, "rotate_half">,
      I32EnumAttrCase<"Interleaved", 1, "interleaved">]> {
  let cppNamespace = "::mlir::llm::transformer";
  let genSpecializedAttr = 0;
}
def Transformer_RotaryModeAttr
    : EnumAttr<Transformer_Dialect, Transformer_RotaryMode, "rotary_mode">;

def Transformer_ComparePredicate : I32EnumAttr<"ComparePredicate",
    "elementwise comparison", [
      I32EnumAttrCase<"EQ", 0, "eq">,
      I32EnumAttrCase<"NE", 1, "ne">,
      I32EnumAttrCase<"LT", 2, "lt">,
      I32EnumAttrCase<"LE", 3, "le">,
      I32EnumAttrCase<"GT", 4, "gt">,
      I32EnumAttrCase<"GE", 5, "ge">]> {
  let cppNamespace = "::mlir::llm::transformer";
  let genSpecializedAttr = 0;
}
def Transformer_ComparePredicateAttr
    : EnumAttr<Transformer_Dialect, Transformer_ComparePredicate, "compare_predicate">;

#endif // TRANSFORMER_ATTRS_TD
