//===- ContractionEpilogue.cpp - elementwise epilogues of contractions ----===//
//
// A contraction on buffers reaches the tiling passes as
//
//   %c = memref.alloc() : memref<128x3072xf32>          (i32 for int8)
//   linalg.fill ins(%zero) outs(%c)
//   linalg.matmul / linalg.generic {contraction} ins(%a, %b) outs(%c)
//   %v = memref.expand_shape %c [[0, 1], [2]]           (optional view)
//   linalg.generic {all parallel} ins(%x, %v, %bias) outs(%y) {
//     bias add, GELU, residual add (f32); sitofp and scales (int8) ...
//   }
//   memref.dealloc %c
//
// i.e. a zero-filled buffer written once by the contraction and read once by
// the elementwise consumer that elementwise fusion left behind it.
// matchContractionEpilogue recognises that consumer; a kernel then applies
// the consumer's body to each register tile of accumulators once they are
// final (vectorized: the body's scalar arith/math ops cloned on vectors of
// the accumulators' lanes, per-row operands such as a residual row's scale
// loaded as scalars and broadcast, per-column ones such as the bias loaded
// as vectors; or on scalars for the scalar edge tiles) and stores the result
// directly: no C buffer, no zero fill, no second pass over C.
//
// The int8 kernels (Int8Contractions.cpp) take the int8 form (C read by the
// consumer itself, integer fill); the f32 GEMM (TileContractions.cpp) also
// takes C read through an expand_shape that adds unit dims, a +0.0 fill, a
// consumer that writes in place of C and reads it through its output's block
// argument (`outs(%v) { %o + %bias }`, what llm-reuse-input-buffers makes of
// a bias add), and, with threads, a thread's chunk of C: llm-parallelize-
// outer-loops puts the fill, the contraction and the consumer into one
// scf.forall on `memref.subview %c[0, %n] [M, chunk]`, with C's allocation
// outside the loop.
// Each output element is computed from the same accumulated value by the
// same scalar operations as the unfused form.
//
//===----------------------------------------------------------------------===//

#include "ContractionEpilogue.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

using namespace mlir;
using namespace mlir::llm;

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

/// True if the fill value `value` is a zero the kernel's accumulators can
/// start from: integer 0, or (with `allowFloat`) +0.0 (a -0.0 fill would
/// keep the sign of an all -0.0 sum that +0.0 accumulators lose).
bool isZeroFill(Value value, bool allowFloat) {
  std::optional<int64_t> integer = getConstantIntValue(value);
  if (integer)
    return *integer == 0;
  return allowFloat && matchPattern(value, m_PosZeroFloat());
}

/// True if every reassociation group of `view` has at most one result dim
/// that is not a static 1: C's index then goes to that dim, 0 to the others.
bool addsUnitDimsOnly(memref::ExpandShapeOp view) {
  ArrayRef<int64_t> shape = view.getResultType().getShape();
  for (const ReassociationIndices &group : view.getReassociationIndices())
    if (llvm::count_if(group, [&](int64_t d) { return shape[d] != 1; }) > 1)
      return false;
  return true;
}

} // namespace

SmallVector<Value> llm::mapIndices(OpBuilder &b, Location loc, AffineMap map,
                                   ArrayRef<Value> loops) {
  SmallVector<Value> indices;
  for (AffineExpr expr : map.getResults()) {
    if (auto dim = dyn_cast<AffineDimExpr>(expr))
      indices.push_back(loops[dim.getPosition()]);
    else
      indices.push_back(arith::ConstantIndexOp::create(
          b, loc, cast<AffineConstantExpr>(expr).getValue()));
  }
  return indices;
}

bool llm::hasContiguousRows(Value value) {
  auto type = dyn_cast<MemRefType>(value.getType());
  if (!type)
    return false;
  SmallVector<int64_t> strides;
  int64_t offset;
  if (failed(type.getStridesAndOffset(strides, offset)))
    return false;
  return !strides.empty() && strides.back() == 1;
}

std::optional<ContractionEpilogue>
llm::matchContractionEpilogue(linalg::LinalgOp contraction,
                              EpilogueMatchOptions options) {
  if (contraction.getNumDpsInits() != 1)
    return std::nullopt;
  Value c = contraction.getDpsInits()[0];
  Block *block = contraction->getBlock();
  auto alloc = c.getDefiningOp<memref::AllocOp>();
  memref::SubViewOp chunk;
  if (!alloc && options.allowChunk) {
    // A thread's chunk: a subview, in the forall body, of an allocation
    // outside the loop.
    chunk = c.getDefiningOp<memref::SubViewOp>();
    if (!chunk || chunk->getBlock() != block ||
        !isa<scf::ForallOp>(block->getParentOp()))
      return std::nullopt;
    alloc = chunk.getSource().getDefiningOp<memref::AllocOp>();
  }
  if (!alloc || (!chunk && alloc->getBlock() != block))
    return std::nullopt;
  ContractionEpilogue epi;
  epi.chunk = chunk;
  // Readers of C other than the consumer: allowed only after an in-place
  // consumer (they read its result).
  SmallVector<Operation *> later;
  SmallVector<linalg::GenericOp> generics;
  auto addReader = [&](Operation *user) {
    auto generic = dyn_cast<linalg::GenericOp>(user);
    if (generic && generic->getBlock() == block) {
      if (!llvm::is_contained(generics, generic))
        generics.push_back(generic);
      return true;
    }
    later.push_back(user);
    return options.allowInPlace;
  };
  for (Operation *user : c.getUsers()) {
    if (user == contraction.getOperation())
      continue;
    if (user->getBlock() != block) {
      if (!options.allowInPlace)
        return std::nullopt;
      later.push_back(user);
      continue;
    }
    if (auto fill = dyn_cast<linalg::FillOp>(user)) {
      if (epi.fill || !isZeroFill(fill.getInputs()[0], options.allowFloat) ||
          !fill->isBeforeInBlock(contraction.getOperation()))
        return std::nullopt;
      epi.fill = fill;
      continue;
    }
    if (isa<memref::DeallocOp>(user)) {
      epi.deallocs.push_back(user);
      continue;
    }
    if (auto view = dyn_cast<memref::ExpandShapeOp>(user);
        view && options.allowUnitExpand) {
      if (epi.view || !addsUnitDimsOnly(view))
        return std::nullopt;
      epi.view = view;
      for (Operation *viewUser : view->getUsers())
        if (!addReader(viewUser))
          return std::nullopt;
      continue;
    }
    if (!addReader(user))
      return std::nullopt;
  }
  // The consumer is the first generic reading C; the int8 form allows no
  // other.
  if (generics.empty() || (!options.allowInPlace && generics.size() > 1))
    return std::nullopt;
  llvm::sort(generics, [](linalg::GenericOp x, linalg::GenericOp y) {
    return x->isBeforeInBlock(y.getOperation());
  });
  epi.consumer = generics.front();
  later.append(generics.begin() + 1, generics.end());
  linalg::GenericOp consumer = epi.consumer;
  if (!epi.fill || !contraction->isBeforeInBlock(consumer.getOperation()))
    return std::nullopt;
  for (Operation *dealloc : epi.deallocs)
    if (!consumer->isBeforeInBlock(dealloc))
      return std::nullopt;
  // A chunk's allocation: used by nothing else inside the loop; after it,
  // deallocated, and read only if the consumer writes in place.
  bool readAfterLoop = false;
  if (chunk) {
    Block *allocBlock = alloc->getBlock();
    Operation *loop = allocBlock->findAncestorOpInBlock(*contraction);
    if (!loop)
      return std::nullopt;
    // Views (no memory access of their own) may come before the loop;
    // their users count as the allocation's.
    SmallVector<Value> buffers = {alloc.getResult()};
    while (!buffers.empty()) {
      Value buffer = buffers.pop_back_val();
      for (Operation *user : buffer.getUsers()) {
        if (user == chunk.getOperation())
          continue;
        Operation *ancestor = allocBlock->findAncestorOpInBlock(*user);
        if (!ancestor)
          return std::nullopt;
        if (isa<ViewLikeOpInterface>(user) && isMemoryEffectFree(user) &&
            ancestor == user) {
          llvm::append_range(buffers, user->getResults());
          continue;
        }
        if (!loop->isBeforeInBlock(ancestor))
          return std::nullopt;
        if (isa<memref::DeallocOp>(user) && buffer == alloc.getResult())
          epi.deallocs.push_back(user);
        else
          readAfterLoop = true;
      }
    }
  }
  if (!later.empty() || readAfterLoop) {
    // In place: the consumer writes C (or the view it reads), and the
    // other readers come after it.
    Value cReadValue = epi.view ? epi.view.getResult() : c;
    if (consumer.getDpsInits()[0] != cReadValue)
      return std::nullopt;
    for (Operation *user : later) {
      Operation *ancestor = block->findAncestorOpInBlock(*user);
      if (!ancestor || !consumer->isBeforeInBlock(ancestor))
        return std::nullopt;
    }
  }

  // The consumer: all-parallel over C's shape, C read once at the identity,
  // one f32 output at the identity, other operands f32 read per row or per
  // column, a body of arith/math ops that does not read its output.
  Value cRead = epi.view ? epi.view.getResult() : c;
  unsigned rank = cast<MemRefType>(cRead.getType()).getRank();
  MLIRContext *ctx = contraction.getContext();
  AffineMap identity = AffineMap::getMultiDimIdentityMap(rank, ctx);
  if (!consumer.hasPureBufferSemantics() || consumer.getNumDpsInits() != 1 ||
      consumer.getNumLoops() != rank || consumer.getNumReductionLoops() != 0)
    return std::nullopt;
  SmallVector<AffineMap> maps = consumer.getIndexingMapsArray();
  Value out = consumer.getDpsInits()[0];
  auto outType = dyn_cast<MemRefType>(out.getType());
  if (!outType || !outType.getElementType().isF32() ||
      maps.back() != identity || !hasContiguousRows(out))
    return std::nullopt;
  epi.inPlace = out == cRead;
  if (epi.inPlace ? !options.allowInPlace : out == c)
    return std::nullopt;
  Block *body = consumer.getBody();
  // In place, the body may read C through its output's block argument
  // (llm-reuse-input-buffers makes `y = C + bias` write into C that way).
  bool readsOutput = !body->getArguments().back().use_empty();
  if (readsOutput && !epi.inPlace)
    return std::nullopt;
  for (Operation &inner : body->without_terminator())
    if (!isa<arith::ArithDialect, math::MathDialect>(inner.getDialect()) ||
        inner.getNumRegions() != 0)
      return std::nullopt;
  epi.cInput = -1;
  for (auto [i, input] : llvm::enumerate(consumer.getDpsInputs())) {
    if (input == cRead) {
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
  if (epi.cInput < 0) {
    if (!readsOutput)
      return std::nullopt;
    epi.cInput = consumer.getNumDpsInputs();
  }
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

SmallVector<Value> llm::epilogueLoopIndices(OpBuilder &b, Location loc,
                                            const ContractionEpilogue &epi,
                                            ArrayRef<Value> cIndices) {
  memref::ExpandShapeOp view = epi.view;
  if (!view)
    return SmallVector<Value>(cIndices);
  ArrayRef<int64_t> shape = view.getResultType().getShape();
  SmallVector<Value> loops(shape.size());
  Value zero;
  for (auto [cDim, group] :
       llvm::enumerate(view.getReassociationIndices())) {
    // C's index goes to the group's dim that is not a static 1 (the last
    // one when all are), 0 to the others.
    int64_t target = group.back();
    for (int64_t d : group)
      if (shape[d] != 1)
        target = d;
    for (int64_t d : group) {
      if (d == target) {
        loops[d] = cIndices[cDim];
        continue;
      }
      if (!zero)
        zero = arith::ConstantIndexOp::create(b, loc, 0);
      loops[d] = zero;
    }
  }
  return loops;
}

void llm::emitEpilogueStore(OpBuilder &b, Location loc,
                            const ContractionEpilogue &epi,
                            ArrayRef<Value> loops, Value acc, Value mask) {
  linalg::GenericOp consumer = epi.consumer;
  auto accType = dyn_cast<VectorType>(acc.getType());
  int64_t lanes = accType ? accType.getNumElements() : 1;
  unsigned nDim = loops.size() - 1;
  SmallVector<AffineMap> maps = consumer.getIndexingMapsArray();
  Block *body = consumer.getBody();
  // The type an op of the body takes: a vector of the accumulators' lanes,
  // or the scalar itself for a scalar accumulator.
  auto vectorOf = [&](Type scalar) -> Type {
    if (!accType)
      return scalar;
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
    Value value;
    if (!accType) {
      value = memref::LoadOp::create(b, loc, input, idx);
    } else if (!alongN) {
      value = vector::BroadcastOp::create(
          b, loc, vectorOf(arg.getType()),
          memref::LoadOp::create(b, loc, input, idx));
    } else if (mask) {
      auto type = cast<VectorType>(vectorOf(arg.getType()));
      Value zero = arith::ConstantOp::create(
          b, loc, DenseElementsAttr::get(type, b.getF32FloatAttr(0)));
      value = vector::MaskedLoadOp::create(b, loc, type, input, idx, mask,
                                           zero);
    } else {
      value = vector::LoadOp::create(
          b, loc, cast<VectorType>(vectorOf(arg.getType())), input, idx);
    }
    mapping.map(arg, value);
  }
  // In place, the output's block argument is C too.
  if (epi.inPlace)
    mapping.map(body->getArguments().back(), acc);
  // Scalars from outside the body (constants) become splats.
  auto lookup = [&](Value scalar) -> Value {
    if (Value mapped = mapping.lookupOrNull(scalar))
      return mapped;
    if (!accType)
      return scalar;
    Value splat =
        vector::BroadcastOp::create(b, loc, vectorOf(scalar.getType()), scalar);
    mapping.map(scalar, splat);
    return splat;
  };
  for (Operation &inner : body->without_terminator()) {
    if (auto constant = dyn_cast<arith::ConstantOp>(inner); constant && accType) {
      auto attr = cast<TypedAttr>(constant.getValue());
      mapping.map(constant.getResult(),
                  arith::ConstantOp::create(
                      b, loc,
                      DenseElementsAttr::get(
                          cast<VectorType>(vectorOf(attr.getType())), attr)));
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
  if (!accType)
    memref::StoreOp::create(b, loc, result, out, idx);
  else if (mask)
    vector::MaskedStoreOp::create(b, loc, out, idx, mask, result);
  else
    vector::StoreOp::create(b, loc, result, out, idx);
}

void llm::eraseFusedEpilogue(ContractionEpilogue &epi, bool eraseC) {
  epi.consumer.erase();
  // In place, later readers may still use the view.
  if (epi.view && epi.view->use_empty())
    epi.view.erase();
  epi.fill.erase();
  if (!eraseC)
    return;
  if (epi.chunk && epi.chunk->use_empty())
    epi.chunk.erase();
  if (!llvm::all_of(epi.alloc->getUsers(), [&](Operation *user) {
        return llvm::is_contained(epi.deallocs, user);
      }))
    return;
  for (Operation *dealloc : epi.deallocs)
    dealloc->erase();
  epi.alloc->erase();
}
