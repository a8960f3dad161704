//===- Int8Epilogue.cpp - elementwise epilogues fused into int8 kernels ---===//
//
// The integer matmul of int8-dynamic (and of QLinearMatMul / static QDQ)
// reaches the int8 kernels on buffers as
//
//   %c = memref.alloc() : memref<1x128x768xi32>
//   linalg.fill ins(%c0_i32) outs(%c)
//   linalg.generic {contraction} ins(%a, %b, %azp) outs(%c)
//   linalg.generic {all parallel} ins(%x, %c, %ascale, %wscale, %bias)
//       outs(%y : memref<1x128x768xf32>) {
//     sitofp, mulf by the scales, addf bias, addf residual, GELU, ...
//   }
//   memref.dealloc %c
//
// i.e. a zero-filled i32 buffer written once by the kernel and read once by
// the dequantizing epilogue (which elementwise fusion already merged with the
// bias, residual add or GELU that follows). matchInt8Epilogue recognises that
// consumer; the kernel then applies the consumer's body to each register tile
// of i32 accumulators (vectorized: the body's scalar arith/math ops cloned on
// vectors of 16 lanes, per-row operands such as the activation scale loaded
// as scalars and broadcast, per-column ones such as weight scales and bias
// loaded as vectors) and stores the f32 result directly: no i32 buffer, no
// zero fill, no second pass over C, and one allocation less per matmul.
//
// Each output element is still computed from the same exact i32 sum by the
// same scalar operations, so the results are bitwise those of the unfused
// form.
//
//===----------------------------------------------------------------------===//

#include "Int8Kernels.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

using namespace mlir;
using namespace mlir::llm;
using namespace mlir::llm::int8;

namespace {

/// True if `map`'s results are loop dims or constants, and loop dim `dim`
/// appears at most once, as the last result.
bool readsAlongInnermost(AffineMap map, unsigned dim, bool &usesDim) {
  usesDim = false;
  for (auto [i, expr] : llvm::enumerate(map.getResults())) {
    if (auto d = dyn_cast<AffineDimExpr>(expr)) {
      if (d.getPosition() == dim) {
        if (i + 1 != map.getNumResults())
          return false;
        usesDim = true;
      }
      continue;
    }
    if (!isa<AffineConstantExpr>(expr))
      return false;
  }
  return true;
}

/// True if `op` may sit between the contraction and the consumer that is
/// moved up to it: it reads and writes no memory (allocation and release of
/// other buffers included).
bool isInert(Operation *op) {
  return isMemoryEffectFree(op) ||
         isa<memref::AllocOp, memref::AllocaOp, memref::DeallocOp>(op);
}

} // namespace

std::optional<Int8Epilogue>
int8::matchInt8Epilogue(linalg::GenericOp contraction) {
  Value c = contraction.getDpsInits()[0];
  auto alloc = c.getDefiningOp<memref::AllocOp>();
  if (!alloc)
    return std::nullopt;
  Block *block = contraction->getBlock();
  if (alloc->getBlock() != block)
    return std::nullopt;
  Int8Epilogue epi;
  for (Operation *user : c.getUsers()) {
    if (user == contraction.getOperation())
      continue;
    if (user->getBlock() != block)
      return std::nullopt;
    if (auto fill = dyn_cast<linalg::FillOp>(user)) {
      std::optional<int64_t> value =
          getConstantIntValue(fill.getInputs()[0]);
      if (epi.fill || !value || *value != 0 ||
          !fill->isBeforeInBlock(contraction))
        return std::nullopt;
      epi.fill = fill;
      continue;
    }
    if (isa<memref::DeallocOp>(user)) {
      epi.deallocs.push_back(user);
      continue;
    }
    auto generic = dyn_cast<linalg::GenericOp>(user);
    if (!generic || epi.consumer)
      return std::nullopt;
    epi.consumer = generic;
  }
  linalg::GenericOp consumer = epi.consumer;
  if (!epi.fill || !consumer || !contraction->isBeforeInBlock(consumer))
    return std::nullopt;
  for (Operation *dealloc : epi.deallocs)
    if (!consumer->isBeforeInBlock(dealloc))
      return std::nullopt;

  // The consumer: all-parallel over C's shape, C read once at the identity,
  // one f32 output at the identity, other operands f32 read per row or per
  // column, a body of arith/math ops that does not read its output.
  unsigned rank = cast<MemRefType>(c.getType()).getRank();
  MLIRContext *ctx = contraction.getContext();
  AffineMap identity = AffineMap::getMultiDimIdentityMap(rank, ctx);
  if (!consumer.hasPureBufferSemantics() || consumer.getNumDpsInits() != 1 ||
      consumer.getNumLoops() != rank || consumer.getNumReductionLoops() != 0)
    return std::nullopt;
  SmallVector<AffineMap> maps = consumer.getIndexingMapsArray();
  Value out = consumer.getDpsInits()[0];
  auto outType = dyn_cast<MemRefType>(out.getType());
  if (!outType || !outType.getElementType().isF32() ||
      maps.back() != identity || out == c || !hasContiguousRows(out))
    return std::nullopt;
  Block *body = consumer.getBody();
  if (!body->getArguments().back().use_empty())
    return std::nullopt;
  for (Operation &inner : body->without_terminator())
    if (!isa<arith::ArithDialect, math::MathDialect>(inner.getDialect()) ||
        inner.getNumRegions() != 0)
      return std::nullopt;
  epi.cInput = -1;
  for (auto [i, input] : llvm::enumerate(consumer.getDpsInputs())) {
    if (input == c) {
      if (epi.cInput >= 0 || maps[i] != identity)
        return std::nullopt;
      epi.cInput = i;
      continue;
    }
    auto type = dyn_cast<MemRefType>(input.getType());
    if (!type || !type.getElementType().isF32())
      return std::nullopt;
    bool alongN = false;
    if (!readsAlongInnermost(maps[i], rank - 1, alongN))
      return std::nullopt;
    if (alongN && !hasContiguousRows(input))
      return std::nullopt;
    // Writing the output early must not change what is read: an input that
    // is the output itself is read only at the element being written.
    if (input == out && maps[i] != identity)
      return std::nullopt;
  }
  if (epi.cInput < 0)
    return std::nullopt;
  // The consumer runs at the contraction's place: everything in between
  // must leave memory alone.
  SmallVector<Operation *> between;
  for (Operation *op = contraction->getNextNode(); op != consumer;
       op = op->getNextNode()) {
    if (!isInert(op))
      return std::nullopt;
    if (!isa<memref::DeallocOp>(op))
      between.push_back(op);
  }
  // What the consumer's operands need (its output's allocation, views of
  // the scales) now goes before the contraction, in order.
  for (Operation *op : between)
    op->moveBefore(contraction);
  epi.alloc = alloc;
  return epi;
}

void int8::emitInt8EpilogueStore(OpBuilder &b, Location loc,
                                 const Int8Epilogue &epi,
                                 ArrayRef<Value> loops, Value acc,
                                 Value mask) {
  linalg::GenericOp consumer = epi.consumer;
  auto accType = cast<VectorType>(acc.getType());
  int64_t lanes = accType.getNumElements();
  unsigned nDim = loops.size() - 1;
  SmallVector<AffineMap> maps = consumer.getIndexingMapsArray();
  Block *body = consumer.getBody();
  auto vectorOf = [&](Type scalar) {
    return VectorType::get({lanes}, scalar);
  };
  IRMapping mapping;
  for (auto [i, input] : llvm::enumerate(consumer.getDpsInputs())) {
    BlockArgument arg = body->getArgument(i);
    if (static_cast<int>(i) == epi.cInput) {
      mapping.map(arg, acc);
      continue;
    }
    if (arg.use_empty())
      continue;
    SmallVector<Value> idx = mapIndices(b, loc, maps[i], loops);
    bool alongN = false;
    readsAlongInnermost(maps[i], nDim, alongN);
    VectorType type = vectorOf(arg.getType());
    Value value;
    if (!alongN) {
      value = vector::BroadcastOp::create(
          b, loc, type, memref::LoadOp::create(b, loc, input, idx));
    } else if (mask) {
      Value zero = arith::ConstantOp::create(
          b, loc, DenseElementsAttr::get(type, b.getF32FloatAttr(0)));
      value = vector::MaskedLoadOp::create(b, loc, type, input, idx, mask,
                                           zero);
    } else {
      value = vector::LoadOp::create(b, loc, type, input, idx);
    }
    mapping.map(arg, value);
  }
  // Scalars from outside the body (constants) become splats.
  auto lookup = [&](Value scalar) -> Value {
    if (Value mapped = mapping.lookupOrNull(scalar))
      return mapped;
    Value splat =
        vector::BroadcastOp::create(b, loc, vectorOf(scalar.getType()), scalar);
    mapping.map(scalar, splat);
    return splat;
  };
  for (Operation &inner : body->without_terminator()) {
    if (auto constant = dyn_cast<arith::ConstantOp>(inner)) {
      auto attr = cast<TypedAttr>(constant.getValue());
      mapping.map(constant.getResult(),
                  arith::ConstantOp::create(
                      b, loc,
                      DenseElementsAttr::get(vectorOf(attr.getType()), attr)));
      continue;
    }
    for (Value operand : inner.getOperands())
      lookup(operand);
    Operation *clone = b.clone(inner, mapping);
    for (Value result : clone->getResults())
      result.setType(vectorOf(result.getType()));
  }
  Value result = lookup(body->getTerminator()->getOperand(0));
  SmallVector<Value> idx = mapIndices(b, loc, maps.back(), loops);
  Value out = consumer.getDpsInits()[0];
  if (mask)
    vector::MaskedStoreOp::create(b, loc, out, idx, mask, result);
  else
    vector::StoreOp::create(b, loc, result, out, idx);
}

void int8::eraseFusedInt8Epilogue(Int8Epilogue &epi) {
  epi.consumer.erase();
  epi.fill.erase();
  for (Operation *dealloc : epi.deallocs)
    dealloc->erase();
  if (epi.alloc->use_empty())
    epi.alloc->erase();
}
