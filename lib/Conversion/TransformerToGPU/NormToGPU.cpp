//===- NormToGPU.cpp - fused normalization / softmax GPU kernels ----------===//
//
// convert-transformer-norms-to-gpu: lowers `transformer.layer_norm`,
// `transformer.rms_norm`, `transformer.softmax` and `transformer.log_softmax`
// over the last axis to ONE `gpu.launch_func` each, a row-per-warp kernel,
// instead of the 4-5 one-thread-per-row kernels convert-transformer-to-linalg
// and the parallel-loop mapping give (a fill, one kernel per reduction, the
// elementwise kernel). The elementwise ops feeding the norm (the residual add
// before a LayerNorm, a linear layer's bias add, the scale before a softmax)
// are fused into the kernel as a prologue.
//
// The input is viewed as `[R, N]` rows (the leading dims collapsed). Grid:
// `ceil(R / W)` blocks of `W` warps (`warps-per-block`); warp `w` of block
// `b` owns row `b * W + w` (the row test is uniform across a warp, so every
// lane takes part in the shuffles). Rows of a static length of at least
// `block-row-threshold` get a block each instead (8 warps, `T` = 256
// threads sharing the row; else `T` = 32). Thread `l` of the row owns the
// chunks of `V` consecutive columns starting at `V * (l + T * k)` (`V` = 4
// when N is static and a multiple of 4: one 128-bit `vector.load` per chunk
// of f32, consecutive threads reading consecutive 16 bytes; else `V` = 1).
// Per row:
//
//   x      = prologue(leaves)               (f32; f16/bf16 extended)
//   layer_norm: mean = sum(x) / N; var = sum((x - mean)^2) / N;
//               y = (x - mean) * rsqrt(var + eps) * scale + bias
//   rms_norm:   y = x * rsqrt(sum(x^2) / N + eps) * scale
//   softmax:    m = max(x); s = sum(exp(x - m)); y = exp(x - m) / s
//   log_softmax:                            y = x - m - log(s)
//
// Each row sum / max is a thread-local accumulation followed by a butterfly
// of `gpu.shuffle xor` 16, 8, 4, 2, 1 (every lane ends with its warp's
// total; a row per warp needs no shared memory and no barrier). A row per
// block then has lane 0 of each warp store its total in workgroup memory
// (a slot of its own per reduction), one `gpu.barrier`, and every thread
// combine the 8 totals in the same order. With N static and at most 32
// elements per thread (N <= 1024 per warp, 8192 per block) the row stays
// in registers between the passes (straight-line code, one global read per
// element); otherwise each pass is an `scf.for` over the thread's chunks
// that reads the row again (L1/L2 hits).
//
// Prologue: the norm's input is a tree of `transformer.add/sub/mul/div`
// whose results have the input's type; a node other than the root is fused
// only when the norm is its only user. Leaves are tensors of the input's
// type (read at [row, col]), rows broadcast along the leading dims (shape
// [..1.., N], read at [col]) or single elements (read once). When the root
// has other users (the residual stream of a transformer block), the kernel
// writes it as a second output and those users read that.
//
// Operands enter as `bufferization.to_buffer` with identity layouts (one-shot
// bufferization copies a non-contiguous source; in our pipeline they are
// allocations, arguments copied to device memory, or weights), the outputs
// are `memref.alloc`s returned through `bufferization.to_tensor restrict
// writable`, as in AttentionToGPU.cpp.
//
// Not handled (left to convert-transformer-to-linalg): normalization over
// more than the last axis, softmax over another axis, rank-0 inputs,
// element types other than f16/bf16/f32.
//
//===----------------------------------------------------------------------===//

#include "llm/Conversion/Passes.h"

#include "llm/Conversion/GPUCommon/KernelArith.h"
#include "llm/Conversion/GPUCommon/KernelLaunch.h"

#include "Transformer/IR/TransformerOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/SymbolTable.h"

#include <limits>

namespace mlir::llm {
#define GEN_PASS_DEF_CONVERTTRANSFORMERNORMSTOGPUPASS
#include "llm/Conversion/Passes.h.inc"
} // namespace mlir::llm

using namespace mlir;
using namespace mlir::llm;

namespace {

constexpr int64_t kWarpSize = 32;
/// Most row elements a lane keeps in registers between the passes.
constexpr int64_t kMaxRowRegisters = 32;
/// Depth of the fused elementwise prologue (binary ops from the norm).
constexpr int kMaxPrologueDepth = 3;
/// Warps of a block that owns one (long) row.
constexpr int64_t kBlockRowWarps = 8;
/// Row reductions a kernel makes at most (a workgroup slot each).
constexpr int64_t kMaxReductions = 2;

enum class NormKind { LayerNorm, RMSNorm, Softmax, LogSoftmax };

/// How a leaf of the prologue (or a scale/bias) is indexed by the kernel.
enum class LeafShape {
  Full,   ///< the input's shape: [row, col] of its [R, N] view
  Row,    ///< [..1.., N]: broadcast along the rows, read at col
  Scalar, ///< one element, read once
};

struct Leaf {
  Value tensor;
  LeafShape shape;
};

/// A node of the prologue tree: a leaf, or a binary op of two nodes.
struct PrologueNode {
  enum Kind { LeafNode, Add, Sub, Mul, Div } kind;
  int leaf = -1;
  int lhs = -1, rhs = -1;
};

/// The elementwise ops fused in front of the norm.
struct Prologue {
  SmallVector<PrologueNode> nodes;
  SmallVector<Leaf> leaves;
  int root = -1;
  /// The root op when it is fused and has users besides the norm: the
  /// kernel writes its value, they read it.
  Operation *writtenRoot = nullptr;
  /// The fused ops (erased once unused).
  SmallVector<Operation *> fused;
};

/// One norm op, analysed: what the kernel computes and reads.
struct NormPlan {
  NormKind kind;
  Operation *op;
  RankedTensorType type; // the input's (and result's) type
  Prologue prologue;
  std::optional<Leaf> scale, bias;
  double epsilon = 0.0;
  int64_t vectorWidth = 1; // V
  bool rowInRegisters = false;
  /// A row per block (long static rows) instead of a row per warp.
  bool blockPerRow = false;
  /// Warps per block.
  int64_t warps = 4;
  /// Threads sharing a row: a warp, or the block.
  int64_t threadsPerRow() const {
    return blockPerRow ? warps * kWarpSize : kWarpSize;
  }
};

/// Classifies `value` as a leaf of a norm over rows of `type`'s last dim.
std::optional<LeafShape> classifyLeaf(Value value, RankedTensorType type) {
  auto leafType = dyn_cast<RankedTensorType>(value.getType());
  if (!leafType || !isKernelFloat(leafType.getElementType()))
    return std::nullopt;
  if (leafType.getShape() == type.getShape())
    return LeafShape::Full;
  ArrayRef<int64_t> shape = leafType.getShape();
  if (llvm::all_of(shape, [](int64_t d) { return d == 1; }))
    return LeafShape::Scalar;
  int64_t n = type.getShape().back();
  if (!shape.empty() && leafType.getRank() <= type.getRank() &&
      llvm::all_of(shape.drop_back(), [](int64_t d) { return d == 1; }) &&
      (shape.back() == n ||
       (ShapedType::isDynamic(shape.back()) && ShapedType::isDynamic(n))))
    return LeafShape::Row;
  return std::nullopt;
}

/// The prologue node kind of `op`, if it is a fusable binary op.
std::optional<PrologueNode::Kind> binaryKind(Operation *op) {
  if (isa<transformer::AddOp>(op))
    return PrologueNode::Add;
  if (isa<transformer::SubOp>(op))
    return PrologueNode::Sub;
  if (isa<transformer::MulOp>(op))
    return PrologueNode::Mul;
  if (isa<transformer::DivOp>(op))
    return PrologueNode::Div;
  return std::nullopt;
}

/// Builds the prologue tree of `value` (the norm's input when `isRoot`),
/// returning its node index.
int buildPrologue(Prologue &p, Value value, RankedTensorType type, bool isRoot,
                  int depth, bool fuse) {
  Operation *def = value.getDefiningOp();
  std::optional<PrologueNode::Kind> kind =
      def && fuse ? binaryKind(def) : std::nullopt;
  bool fusable = kind && depth < kMaxPrologueDepth &&
                 value.getType() == type && (isRoot || value.hasOneUse()) &&
                 llvm::all_of(def->getOperands(), [&](Value operand) {
                   return classifyLeaf(operand, type).has_value();
                 });
  if (!fusable) {
    p.leaves.push_back({value, *classifyLeaf(value, type)});
    p.nodes.push_back({PrologueNode::LeafNode, int(p.leaves.size()) - 1});
    return int(p.nodes.size()) - 1;
  }
  auto operandNode = [&](Value operand) {
    if (operand.getType() == type)
      return buildPrologue(p, operand, type, false, depth + 1, fuse);
    p.leaves.push_back({operand, *classifyLeaf(operand, type)});
    p.nodes.push_back({PrologueNode::LeafNode, int(p.leaves.size()) - 1});
    return int(p.nodes.size()) - 1;
  };
  int lhs = operandNode(def->getOperand(0));
  int rhs = operandNode(def->getOperand(1));
  p.fused.push_back(def);
  p.nodes.push_back({*kind, -1, lhs, rhs});
  return int(p.nodes.size()) - 1;
}

/// Whether every user of `value` but `norm` comes after `norm` in its block
/// (so the kernel's copy of `value` can replace it there).
bool otherUsersFollow(Value value, Operation *norm) {
  Block *block = norm->getBlock();
  for (Operation *user : value.getUsers()) {
    if (user == norm)
      continue;
    Operation *ancestor = block->findAncestorOpInBlock(*user);
    if (!ancestor || ancestor == norm || !norm->isBeforeInBlock(ancestor))
      return false;
  }
  return true;
}

/// The plan for `op`, or std::nullopt when the kernel does not take it.
std::optional<NormPlan> planNorm(Operation *op, bool fusePrologue,
                                 int64_t warps, int64_t blockRowThreshold) {
  NormPlan plan;
  plan.warps = warps;
  plan.op = op;
  Value input = op->getOperand(0);
  auto type = dyn_cast<RankedTensorType>(input.getType());
  if (!type || type.getRank() == 0 || !isKernelFloat(type.getElementType()))
    return std::nullopt;
  plan.type = type;
  int64_t rank = type.getRank();
  auto lastAxis = [&](int64_t axis) {
    return (axis < 0 ? axis + rank : axis) == rank - 1;
  };
  Value scale, bias;
  if (auto ln = dyn_cast<transformer::LayerNormOp>(op)) {
    if (!lastAxis(ln.getAxis()))
      return std::nullopt;
    plan.kind = NormKind::LayerNorm;
    plan.epsilon = ln.getEpsilon().convertToDouble();
    scale = ln.getScale();
    bias = ln.getBias();
  } else if (auto rms = dyn_cast<transformer::RMSNormOp>(op)) {
    if (!lastAxis(rms.getAxis()))
      return std::nullopt;
    plan.kind = NormKind::RMSNorm;
    plan.epsilon = rms.getEpsilon().convertToDouble();
    scale = rms.getScale();
  } else if (auto sm = dyn_cast<transformer::SoftmaxOp>(op)) {
    if (!lastAxis(sm.getAxis()))
      return std::nullopt;
    plan.kind = NormKind::Softmax;
  } else if (auto lsm = dyn_cast<transformer::LogSoftmaxOp>(op)) {
    if (!lastAxis(lsm.getAxis()))
      return std::nullopt;
    plan.kind = NormKind::LogSoftmax;
  } else {
    return std::nullopt;
  }
  for (auto [value, slot] : {std::pair{scale, &plan.scale}, {bias, &plan.bias}}) {
    if (!value)
      continue;
    std::optional<LeafShape> shape = classifyLeaf(value, type);
    // A scale/bias of the input's full shape is not a norm's (the verifier
    // limits them to the normalized dims); rank-1 inputs make them Full.
    if (!shape || (*shape == LeafShape::Full && rank != 1))
      return std::nullopt;
    *slot = Leaf{value, *shape == LeafShape::Full ? LeafShape::Row : *shape};
  }

  Prologue &p = plan.prologue;
  Operation *def = input.getDefiningOp();
  bool fuseRoot = fusePrologue && def && binaryKind(def) &&
                  otherUsersFollow(input, op);
  p.root = buildPrologue(p, input, type, /*isRoot=*/true, 0, fuseRoot);
  bool hasFullLeaf = llvm::any_of(
      p.leaves, [](const Leaf &l) { return l.shape == LeafShape::Full; });
  if (!hasFullLeaf) {
    // Only broadcast leaves: the row count would come from nowhere; read
    // the input instead.
    p = Prologue();
    p.root = buildPrologue(p, input, type, true, 0, /*fuse=*/false);
  }
  if (!p.fused.empty() && !input.hasOneUse())
    p.writtenRoot = def;

  int64_t n = type.getShape().back();
  if (!ShapedType::isDynamic(n)) {
    if (n % 4 == 0)
      plan.vectorWidth = 4;
    if (blockRowThreshold > 0 && n >= blockRowThreshold) {
      plan.blockPerRow = true;
      plan.warps = kBlockRowWarps;
    }
    int64_t perLane =
        llvm::divideCeil(n, plan.threadsPerRow() * plan.vectorWidth) *
        plan.vectorWidth;
    plan.rowInRegisters = perLane <= kMaxRowRegisters;
  }
  return plan;
}

/// The kernel operands, in the gpu.func's argument order.
struct KernelArgs {
  SmallVector<Value> leaves; // one per prologue leaf
  Value scale, bias;         // or null
  Value output;              // [R, N]
  Value root;                // [R, N], the written prologue root, or null
};

/// Emits the body of a norm kernel (see the file header).
class NormKernelBuilder : KernelArith {
public:
  NormKernelBuilder(OpBuilder &b, Location loc, const NormPlan &plan,
                    const KernelArgs &args, Value partials)
      : KernelArith(b, loc), plan(plan), args(args), partials(partials),
        f32(b.getF32Type()), V(plan.vectorWidth), T(plan.threadsPerRow()) {}

  void build();

private:
  /// One chunk of V columns of the lane's row.
  struct Chunk {
    Value col;   // the chunk's first column
    Value valid; // i1: the chunk lies in the row; null if known true
    SmallVector<Value> x; // V f32 values of the prologue (0 when invalid)
  };
  using ChunkFn =
      function_ref<SmallVector<Value>(const Chunk &chunk, ValueRange acc)>;

  /// V values of `memref` from `indices` (the last one a column), as f32.
  SmallVector<Value> loadChunk(Value memref, SmallVector<Value> indices);
  /// V values of a leaf at the chunk starting at `col`.
  SmallVector<Value> loadLeaf(Value memref, LeafShape shape, Value col);
  /// Stores V f32 values at [row, col] of a [R, N] buffer.
  void storeChunk(ArrayRef<Value> values, Value memref, Value col);
  /// The prologue's V values at `col` (loads of every leaf).
  SmallVector<Value> evalPrologue(Value col);
  /// The chunk at `col` with its values (zeros where `valid` is false).
  Chunk loadRowChunk(Value col, Value valid);
  /// Calls `fn` on every chunk of the lane, carrying `init`; returns the
  /// final values. Register mode: the chunks are loaded once (by the first
  /// call) and the calls are unrolled; loop mode: an scf.for loads them.
  SmallVector<Value> forEachChunk(ValueRange init, ChunkFn fn);
  /// `v` where `valid`, else `identity`.
  Value masked(Value valid, Value v, Value identity) {
    return valid ? arith::SelectOp::create(b, loc, valid, v, identity)
                       .getResult()
                 : v;
  }
  /// Runs `body` where `valid` holds (always when null).
  void ifValid(Value valid, function_ref<void()> body);
  /// Combines `v` across the warp (butterfly of gpu.shuffle xor).
  Value warpReduce(Value v, bool isMax);
  /// Combines `v` across the row's threads: the warp's butterfly, then (a
  /// row per block) the warps' partials through workgroup slot `slot`.
  Value rowReduce(Value v, bool isMax);
  /// Row sum (or max) of `f(x)` over the valid elements; with `writeRoot`
  /// the pass also stores the prologue's values (the written root).
  Value reduceRow(function_ref<Value(Value x)> f, bool isMax,
                  bool writeRoot = false);

  const NormPlan &plan;
  const KernelArgs &args;
  Value partials; // workgroup [kMaxReductions][warps] (a row per block)
  Type f32;
  int64_t V, T;
  int64_t reductions = 0;
  Value tid, lane, row, rows, n, numChunks;
  SmallVector<Chunk> cached; // register mode
};

SmallVector<Value> NormKernelBuilder::loadChunk(Value memref,
                                                SmallVector<Value> indices) {
  auto type = cast<MemRefType>(memref.getType());
  Type element = type.getElementType();
  SmallVector<Value> values;
  if (V == 1) {
    values.push_back(toF32(memref::LoadOp::create(b, loc, memref, indices)));
    return values;
  }
  int64_t bytes = V * element.getIntOrFloatBitWidth() / 8;
  Value vec = vector::LoadOp::create(b, loc, VectorType::get({V}, element),
                                     memref, indices, /*nontemporal=*/false,
                                     llvm::MaybeAlign(bytes));
  for (int64_t i = 0; i < V; ++i)
    values.push_back(toF32(vector::ExtractOp::create(b, loc, vec, i)));
  return values;
}

SmallVector<Value> NormKernelBuilder::loadLeaf(Value memref, LeafShape shape,
                                               Value col) {
  int64_t rank = cast<MemRefType>(memref.getType()).getRank();
  SmallVector<Value> indices(rank, index(0));
  switch (shape) {
  case LeafShape::Full:
    return loadChunk(memref, {row, col});
  case LeafShape::Row:
    indices.back() = col;
    return loadChunk(memref, indices);
  case LeafShape::Scalar: {
    Value v = toF32(memref::LoadOp::create(b, loc, memref, indices));
    return SmallVector<Value>(V, v);
  }
  }
  llvm_unreachable("unknown leaf shape");
}

void NormKernelBuilder::storeChunk(ArrayRef<Value> values, Value memref,
                                   Value col) {
  Type element = cast<MemRefType>(memref.getType()).getElementType();
  SmallVector<Value> narrowed;
  for (Value v : values)
    narrowed.push_back(fromF32(v, element));
  if (V == 1) {
    memref::StoreOp::create(b, loc, narrowed[0], memref, ValueRange{row, col});
    return;
  }
  Value vec = vector::FromElementsOp::create(
      b, loc, VectorType::get({V}, element), narrowed);
  int64_t bytes = V * element.getIntOrFloatBitWidth() / 8;
  vector::StoreOp::create(b, loc, vec, memref, ValueRange{row, col},
                          /*nontemporal=*/false, llvm::MaybeAlign(bytes));
}

SmallVector<Value> NormKernelBuilder::evalPrologue(Value col) {
  const Prologue &p = plan.prologue;
  SmallVector<SmallVector<Value>> values(p.nodes.size());
  // Nodes are stored children first.
  for (auto [i, node] : llvm::enumerate(p.nodes)) {
    if (node.kind == PrologueNode::LeafNode) {
      values[i] = loadLeaf(args.leaves[node.leaf], p.leaves[node.leaf].shape,
                           col);
      continue;
    }
    for (int64_t e = 0; e < V; ++e) {
      Value l = values[node.lhs][e], r = values[node.rhs][e];
      Value v;
      switch (node.kind) {
      case PrologueNode::Add:
        v = addF(l, r);
        break;
      case PrologueNode::Sub:
        v = subF(l, r);
        break;
      case PrologueNode::Mul:
        v = mulF(l, r);
        break;
      case PrologueNode::Div:
        v = arith::DivFOp::create(b, loc, l, r);
        break;
      case PrologueNode::LeafNode:
        llvm_unreachable("handled above");
      }
      values[i].push_back(v);
    }
  }
  return values[p.root];
}

void NormKernelBuilder::ifValid(Value valid, function_ref<void()> body) {
  if (!valid) {
    body();
    return;
  }
  auto guard = scf::IfOp::create(b, loc, valid, /*withElseRegion=*/false);
  OpBuilder::InsertionGuard g(b);
  b.setInsertionPointToStart(guard.thenBlock());
  body();
}

NormKernelBuilder::Chunk NormKernelBuilder::loadRowChunk(Value col,
                                                         Value valid) {
  Chunk chunk{col, valid, {}};
  if (!valid) {
    chunk.x = evalPrologue(col);
    return chunk;
  }
  SmallVector<Type> types(V, f32);
  auto load = scf::IfOp::create(
      b, loc, valid,
      [&](OpBuilder &tb, Location) {
        OpBuilder::InsertionGuard g(b);
        b.setInsertionPoint(tb.getInsertionBlock(), tb.getInsertionPoint());
        scf::YieldOp::create(b, loc, evalPrologue(col));
      },
      [&](OpBuilder &eb, Location) {
        OpBuilder::InsertionGuard g(b);
        b.setInsertionPoint(eb.getInsertionBlock(), eb.getInsertionPoint());
        scf::YieldOp::create(b, loc, SmallVector<Value>(V, f32Const(0.0)));
      });
  chunk.x = SmallVector<Value>(load.getResults());
  return chunk;
}

SmallVector<Value> NormKernelBuilder::forEachChunk(ValueRange init,
                                                   ChunkFn fn) {
  if (plan.rowInRegisters) {
    int64_t total = plan.type.getShape().back();
    int64_t chunks = llvm::divideCeil(total, T * V);
    if (cached.empty()) {
      for (int64_t k = 0; k < chunks; ++k) {
        Value col = mul(add(lane, index(T * k)), index(V));
        // Chunk k is in the row for every thread when all the row's
        // threads' chunks k fit; else only for those below the row's end.
        Value valid;
        if ((k + 1) * T * V > total)
          valid = ult(col, index(total));
        cached.push_back(loadRowChunk(col, valid));
      }
    }
    SmallVector<Value> acc(init);
    for (const Chunk &chunk : cached)
      acc = fn(chunk, acc);
    return acc;
  }
  auto loop = scf::ForOp::create(
      b, loc, index(0), numChunks, index(1), init,
      [&](OpBuilder &nb, Location, Value k, ValueRange acc) {
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPointToStart(nb.getInsertionBlock());
        Value col = mul(add(lane, mul(k, index(T))), index(V));
        Value valid = ult(col, n);
        Chunk chunk = loadRowChunk(col, valid);
        scf::YieldOp::create(b, loc, fn(chunk, acc));
      });
  return SmallVector<Value>(loop.getResults());
}

Value NormKernelBuilder::warpReduce(Value v, bool isMax) {
  static_assert(kWarpSize == 32, "the butterfly spans 32 lanes");
  return xorShuffleReduce(v, {16, 8, 4, 2, 1}, isMax);
}

Value NormKernelBuilder::reduceRow(function_ref<Value(Value x)> f,
                                   bool isMax, bool writeRoot) {
  Value identity =
      f32Const(isMax ? -std::numeric_limits<double>::infinity() : 0.0);
  SmallVector<Value> partial = forEachChunk(
      ValueRange{identity},
      [&](const Chunk &chunk, ValueRange acc) -> SmallVector<Value> {
        if (writeRoot)
          ifValid(chunk.valid,
                  [&] { storeChunk(chunk.x, args.root, chunk.col); });
        Value r = acc[0];
        for (Value x : chunk.x) {
          Value v = masked(chunk.valid, f(x), identity);
          r = maxOrAdd(r, v, isMax);
        }
        return {r};
      });
  return rowReduce(partial[0], isMax);
}

Value NormKernelBuilder::rowReduce(Value v, bool isMax) {
  v = warpReduce(v, isMax);
  if (!plan.blockPerRow)
    return v;
  // Lane 0 of each warp publishes its warp's total in this reduction's own
  // slot (never reused: no barrier is needed before the next write), then
  // every thread combines the warps' totals in the same order (the same
  // result in every thread).
  Value slot = index(reductions++);
  assert(reductions <= kMaxReductions && "more row reductions than slots");
  Value warp = divU(tid, kWarpSize);
  Value laneInWarp = remU(tid, kWarpSize);
  Value first = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                                      laneInWarp, index(0));
  ifValid(first, [&] {
    memref::StoreOp::create(b, loc, v, partials, ValueRange{slot, warp});
  });
  gpu::BarrierOp::create(b, loc);
  Value total = memref::LoadOp::create(b, loc, partials,
                                       ValueRange{slot, index(0)});
  for (int64_t w = 1; w < plan.warps; ++w) {
    Value other = memref::LoadOp::create(b, loc, partials,
                                         ValueRange{slot, index(w)});
    total = maxOrAdd(total, other, isMax);
  }
  return total;
}

void NormKernelBuilder::build() {
  tid = gpu::ThreadIdOp::create(b, loc, gpu::Dimension::x);
  Value block = gpu::BlockIdOp::create(b, loc, gpu::Dimension::x);
  if (plan.blockPerRow) {
    // The block's threads share row `block`.
    lane = tid;
    row = block;
  } else {
    lane = remU(tid, kWarpSize);
    Value warp = divU(tid, kWarpSize);
    row = add(mul(block, index(plan.warps)), warp);
  }
  rows = memref::DimOp::create(b, loc, args.output, 0);
  n = memref::DimOp::create(b, loc, args.output, 1);
  // Chunks per thread: ceil(N / (T V)).
  numChunks = ceilDivU(n, T * V);

  // The row test is the same for all lanes of a warp (all threads of the
  // block with a row per block): the shuffles and barriers below run with
  // all of them.
  auto rowGuard = scf::IfOp::create(
      b, loc,
      ult(row, rows),
      /*withElseRegion=*/false);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(rowGuard.thenBlock());

  Value count = arith::UIToFPOp::create(
      b, loc, f32, arith::IndexCastUIOp::create(b, loc, b.getI64Type(), n));
  bool writeRoot = static_cast<bool>(args.root);
  auto identity = [](Value x) { return x; };

  // The output pass: y = f(x, col element e) for every valid chunk.
  auto writeOutput = [&](function_ref<Value(Value x, Value scale, Value bias)>
                             f) {
    forEachChunk(ValueRange{},
                 [&](const Chunk &chunk, ValueRange) -> SmallVector<Value> {
                   ifValid(chunk.valid, [&] {
                     SmallVector<Value> scale, bias;
                     if (plan.scale)
                       scale = loadLeaf(args.scale, plan.scale->shape,
                                        chunk.col);
                     if (plan.bias)
                       bias = loadLeaf(args.bias, plan.bias->shape, chunk.col);
                     SmallVector<Value> y;
                     for (int64_t e = 0; e < V; ++e)
                       y.push_back(f(chunk.x[e],
                                     scale.empty() ? Value() : scale[e],
                                     bias.empty() ? Value() : bias[e]));
                     storeChunk(y, args.output, chunk.col);
                   });
                   return {};
                 });
  };
  auto affine = [&](Value v, Value scale, Value bias) {
    if (scale)
      v = mulF(v, scale);
    if (bias)
      v = addF(v, bias);
    return v;
  };
  Value eps = f32Const(plan.epsilon);

  switch (plan.kind) {
  case NormKind::LayerNorm: {
    Value mean = arith::DivFOp::create(
        b, loc, reduceRow(identity, /*isMax=*/false, writeRoot), count);
    Value var = arith::DivFOp::create(
        b, loc,
        reduceRow(
            [&](Value x) {
              Value d = subF(x, mean);
              return mulF(d, d);
            },
            /*isMax=*/false),
        count);
    Value rstd = math::RsqrtOp::create(b, loc, addF(var, eps));
    writeOutput([&](Value x, Value scale, Value bias) {
      return affine(mulF(subF(x, mean), rstd), scale, bias);
    });
    break;
  }
  case NormKind::RMSNorm: {
    Value meanSquare = arith::DivFOp::create(
        b, loc,
        reduceRow([&](Value x) { return mulF(x, x); }, /*isMax=*/false,
                  writeRoot),
        count);
    Value rstd = math::RsqrtOp::create(b, loc, addF(meanSquare, eps));
    writeOutput([&](Value x, Value scale, Value bias) {
      return affine(mulF(x, rstd), scale, bias);
    });
    break;
  }
  case NormKind::Softmax:
  case NormKind::LogSoftmax: {
    Value rowMax = reduceRow(identity, /*isMax=*/true, writeRoot);
    Value sum = reduceRow(
        [&](Value x) { return math::ExpOp::create(b, loc, subF(x, rowMax)); },
        /*isMax=*/false);
    if (plan.kind == NormKind::Softmax) {
      writeOutput([&](Value x, Value, Value) -> Value {
        Value e = math::ExpOp::create(b, loc, subF(x, rowMax));
        return arith::DivFOp::create(b, loc, e, sum);
      });
    } else {
      Value logSum = math::LogOp::create(b, loc, sum);
      writeOutput([&](Value x, Value, Value) {
        return subF(subF(x, rowMax), logSum);
      });
    }
    break;
  }
  }
}

/// A buffer of `tensor` with an identity layout (read only).
Value toBuffer(OpBuilder &b, Location loc, Value tensor) {
  auto type = cast<RankedTensorType>(tensor.getType());
  return bufferization::ToBufferOp::create(
      b, loc, MemRefType::get(type.getShape(), type.getElementType()), tensor,
      /*read_only=*/true);
}

/// `memref` (identity layout, rank >= 1) as [R, N]: leading dims collapsed,
/// or a unit row dim added to a 1-D buffer.
Value asRows(OpBuilder &b, Location loc, Value memref) {
  auto type = cast<MemRefType>(memref.getType());
  int64_t rank = type.getRank();
  if (rank == 2)
    return memref;
  if (rank == 1) {
    auto rowsType =
        MemRefType::get({1, type.getDimSize(0)}, type.getElementType());
    SmallVector<OpFoldResult> shape = {
        b.getIndexAttr(1), memref::getMixedSize(b, loc, memref, 0)};
    return memref::ExpandShapeOp::create(b, loc, rowsType, memref,
                                         {ReassociationIndices{0, 1}}, shape);
  }
  ReassociationIndices leading;
  for (int64_t d = 0; d < rank - 1; ++d)
    leading.push_back(d);
  return memref::CollapseShapeOp::create(
      b, loc, memref, {leading, ReassociationIndices{rank - 1}});
}

StringRef kernelSuffix(NormKind kind) {
  switch (kind) {
  case NormKind::LayerNorm:
    return "layer_norm";
  case NormKind::RMSNorm:
    return "rms_norm";
  case NormKind::Softmax:
    return "softmax";
  case NormKind::LogSoftmax:
    return "log_softmax";
  }
  llvm_unreachable("unknown norm kind");
}

/// Replaces the planned op (and its fused prologue) by one kernel launch.
void lowerNorm(const NormPlan &plan, SymbolTable &moduleSymbols) {
  Operation *op = plan.op;
  int64_t warps = plan.warps;
  Location loc = op->getLoc();
  IRRewriter rewriter(op);
  const Prologue &p = plan.prologue;

  // Host side: operands as buffers, the [R, N] views, the outputs.
  KernelArgs host;
  for (const Leaf &leaf : p.leaves) {
    Value buffer = toBuffer(rewriter, loc, leaf.tensor);
    if (leaf.shape == LeafShape::Full)
      buffer = asRows(rewriter, loc, buffer);
    host.leaves.push_back(buffer);
  }
  if (plan.scale)
    host.scale = toBuffer(rewriter, loc, plan.scale->tensor);
  if (plan.bias)
    host.bias = toBuffer(rewriter, loc, plan.bias->tensor);
  auto outputType = MemRefType::get(plan.type.getShape(),
                                    plan.type.getElementType());
  // Dynamic sizes: from a Full leaf (planNorm keeps one in every prologue;
  // the norm's own input may be a fused op that is erased below).
  Value shapeSource;
  for (const Leaf &leaf : p.leaves)
    if (leaf.shape == LeafShape::Full && !shapeSource)
      shapeSource = leaf.tensor;
  SmallVector<Value> dynamicSizes;
  for (int64_t d = 0; d < plan.type.getRank(); ++d)
    if (plan.type.isDynamicDim(d))
      dynamicSizes.push_back(
          tensor::DimOp::create(rewriter, loc, shapeSource, d));
  Value output =
      memref::AllocOp::create(rewriter, loc, outputType, dynamicSizes);
  host.output = asRows(rewriter, loc, output);
  Value rootOutput;
  if (p.writtenRoot) {
    rootOutput =
        memref::AllocOp::create(rewriter, loc, outputType, dynamicSizes);
    host.root = asRows(rewriter, loc, rootOutput);
  }
  SmallVector<Value> operands(host.leaves);
  for (Value v : {host.scale, host.bias, host.output, host.root})
    if (v)
      operands.push_back(v);

  // The kernel, in a gpu.module of its own (merged by llm-merge-gpu-modules).
  // A row per block: the warps' partial sums in workgroup memory.
  SmallVector<Type> workgroup;
  if (plan.blockPerRow)
    workgroup.push_back(MemRefType::get(
        {kMaxReductions, warps}, rewriter.getF32Type(),
        MemRefLayoutAttrInterface(),
        gpu::AddressSpaceAttr::get(rewriter.getContext(),
                                   gpu::AddressSpace::Workgroup)));
  gpu::GPUFuncOp kernel = createKernel(
      rewriter, loc, moduleSymbols, kernelName(op, kernelSuffix(plan.kind)),
      ValueRange(operands).getTypes(), workgroup, warps * kWarpSize,
      [&](gpu::GPUFuncOp func) {
        Block &entry = func.getBody().front();
        KernelArgs device;
        unsigned next = 0;
        for (size_t i = 0; i < host.leaves.size(); ++i)
          device.leaves.push_back(entry.getArgument(next++));
        if (host.scale)
          device.scale = entry.getArgument(next++);
        if (host.bias)
          device.bias = entry.getArgument(next++);
        device.output = entry.getArgument(next++);
        if (host.root)
          device.root = entry.getArgument(next++);
        Value partials = plan.blockPerRow
                             ? Value(func.getWorkgroupAttributions().front())
                             : Value();
        NormKernelBuilder(rewriter, loc, plan, device, partials).build();
      });

  // The launch: ceil(R / W) blocks of W warps (a row per warp), or R
  // blocks (a row per block).
  Value rows = memref::DimOp::create(rewriter, loc, host.output, 0);
  KernelArith k(rewriter, loc);
  Value blocks = plan.blockPerRow ? rows : k.ceilDivU(rows, warps);
  launchKernel(rewriter, loc, kernel, {blocks, k.index(1), k.index(1)},
               operands);
  auto toTensor = [&](Value buffer) {
    return kernelResult(rewriter, loc, plan.type, buffer);
  };
  if (p.writtenRoot) {
    Value root = toTensor(rootOutput);
    rewriter.replaceUsesWithIf(p.writtenRoot->getResult(0), root,
                               [&](OpOperand &use) {
                                 return use.getOwner() != op;
                               });
  }
  rewriter.replaceOp(op, toTensor(output));
  // The fused ops, consumers first (they were collected producers first).
  for (Operation *fused : llvm::reverse(p.fused))
    if (fused->use_empty())
      rewriter.eraseOp(fused);
}

} // namespace

namespace mlir::llm {
namespace {

struct ConvertTransformerNormsToGPUPass
    : impl::ConvertTransformerNormsToGPUPassBase<
          ConvertTransformerNormsToGPUPass> {
  using Base::Base;
  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (blockRowThreshold < 0) {
      mlir::emitError(module.getLoc())
          << "convert-transformer-norms-to-gpu: block-row-threshold must be "
             ">= 0, got "
          << static_cast<int64_t>(blockRowThreshold);
      return signalPassFailure();
    }
    if (warpsPerBlock <= 0 || warpsPerBlock > 32) {
      mlir::emitError(module.getLoc())
          << "convert-transformer-norms-to-gpu: warps-per-block must be in "
             "1..32, got "
          << static_cast<int64_t>(warpsPerBlock);
      return signalPassFailure();
    }
    SmallVector<Operation *> ops;
    module.walk([&](Operation *op) {
      if (isa<transformer::LayerNormOp, transformer::RMSNormOp,
              transformer::SoftmaxOp, transformer::LogSoftmaxOp>(op))
        ops.push_back(op);
    });
    if (ops.empty())
      return;
    SymbolTable moduleSymbols(module);
    for (Operation *op : ops)
      if (std::optional<NormPlan> plan =
              planNorm(op, fusePrologue, warpsPerBlock, blockRowThreshold))
        lowerNorm(*plan, moduleSymbols);
  }
};

} // namespace
} // namespace mlir::llm
