//===- GPUMatmulKernel.cpp - What the GPU matmul kernels share ------------===//
//
// Implements GPUMatmulKernel.h: the contraction match, the launch, clamped
// operand loads and the guarded C update of llm-gpu-matmul's kernels.
//
//===----------------------------------------------------------------------===//

#include "GPUMatmulKernel.h"

#include "llm/Conversion/GPUCommon/MMAFragments.h"

#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
using namespace mlir::llm;

std::optional<GPUContraction> llm::matchGPUContraction(linalg::LinalgOp op) {
  if (!op.hasPureBufferSemantics())
    return std::nullopt;
  std::optional<ContractionMatch> match =
      matchContraction(op, /*requireContiguousN=*/false);
  if (!match)
    return std::nullopt;
  for (OpOperand &operand : op->getOpOperands())
    if (!cast<MemRefType>(operand.get().getType()).getElementType().isF32())
      return std::nullopt;
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  if (!llvm::all_of(maps, [](AffineMap m) { return m.isProjectedPermutation(); }))
    return std::nullopt;
  GPUContraction c{op, *match, maps[0], maps[1], maps[2]};
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  for (unsigned dim : match->batchDims) {
    if (ShapedType::isDynamic(ranges[dim]) ||
        ShapedType::isDynamic(c.staticBatch))
      c.staticBatch = ShapedType::kDynamic;
    else
      c.staticBatch *= ranges[dim];
  }
  return c;
}

bool llm::innermostIs(AffineMap map, unsigned dim) {
  if (map.getNumResults() == 0)
    return false;
  auto expr = dyn_cast<AffineDimExpr>(map.getResults().back());
  return expr && expr.getPosition() == dim;
}

GPUMatmulKernelBase::GPUMatmulKernelBase(OpBuilder &b, Location loc,
                                         const GPUContraction &c,
                                         const GPUContractionTiles &tiles,
                                         GPUMatmulPrecision precision)
    : KernelArith(b, loc), c(c), tiles(tiles), precision(precision) {}

SmallVector<Value> GPUMatmulKernelBase::operandIndices(AffineMap map,
                                                       ArrayRef<Value> loops) {
  SmallVector<Value> indices;
  for (AffineExpr e : map.getResults())
    indices.push_back(loops[cast<AffineDimExpr>(e).getPosition()]);
  return indices;
}

gpu::LaunchOp GPUMatmulKernelBase::createLaunch(int64_t threads,
                                                TypeRange workgroupBuffers) {
  linalg::LinalgOp op = c.op;
  // Host side: loop sizes and the grid.
  SmallVector<Range> ranges = op.createLoopRanges(b, loc);
  auto size = [&](unsigned dim) {
    return getValueOrCreateConstantIndexOp(b, loc, ranges[dim].size);
  };
  sizeM = size(c.match.mDim);
  sizeN = size(c.match.nDim);
  sizeK = size(c.match.kDim);
  SmallVector<Value> batchSizes;
  Value gridZ = index(1);
  for (unsigned dim : c.match.batchDims) {
    batchSizes.push_back(size(dim));
    gridZ = mul(gridZ, batchSizes.back());
  }
  Value gridX = ceilDivU(sizeN, tiles.blockN);
  Value gridY = ceilDivU(sizeM, tiles.blockM);
  Value one = index(1);
  auto launch = gpu::LaunchOp::create(
      b, loc, gridX, gridY, gridZ, index(threads), one, one,
      /*dynamicSharedMemorySize=*/nullptr, /*asyncTokenType=*/nullptr,
      /*asyncDependencies=*/ValueRange{}, workgroupBuffers);

  Block &body = launch.getBody().front();
  b.setInsertionPointToEnd(&body);
  auto terminator = gpu::TerminatorOp::create(b, loc);
  b.setInsertionPoint(terminator);
  tid = launch.getThreadIds().x;
  m0 = mul(launch.getBlockIds().y, index(tiles.blockM));
  n0 = mul(launch.getBlockIds().x, index(tiles.blockN));
  // Batch indices: the block's z id delinearized, innermost batch dim last.
  batchLoops.assign(op.getNumLoops(), Value());
  Value z = launch.getBlockIds().z;
  for (int64_t i = static_cast<int64_t>(batchSizes.size()) - 1; i >= 0; --i) {
    batchLoops[c.match.batchDims[i]] =
        arith::RemUIOp::create(b, loc, z, batchSizes[i]);
    z = arith::DivUIOp::create(b, loc, z, batchSizes[i]);
  }
  return launch;
}

Value GPUMatmulKernelBase::operandInRange(bool isA, Value row, Value k) {
  return arith::AndIOp::create(b, loc, ult(row, isA ? sizeM : sizeN),
                               ult(k, sizeK));
}

SmallVector<Value> GPUMatmulKernelBase::clampedOperandIndices(bool isA,
                                                              Value row,
                                                              Value k) {
  unsigned rowDim = isA ? c.match.mDim : c.match.nDim;
  Value rowLimit = isA ? sizeM : sizeN;
  Value one = index(1);
  SmallVector<Value> loops = batchLoops;
  loops[rowDim] = minU(row, sub(rowLimit, one));
  loops[c.match.kDim] = minU(k, sub(sizeK, one));
  return operandIndices(isA ? c.mapA : c.mapB, loops);
}

Value GPUMatmulKernelBase::loadOperand(bool isA, Value row, Value k) {
  Value inRange = operandInRange(isA, row, k);
  linalg::LinalgOp op = c.op;
  Value memref = op.getDpsInputs()[isA ? 0 : 1];
  Value value = memref::LoadOp::create(b, loc, memref,
                                       clampedOperandIndices(isA, row, k));
  Value zero = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0));
  return arith::SelectOp::create(b, loc, inRange, value, zero);
}

Value GPUMatmulKernelBase::loadPackedPair(bool isA, Value row, Value k) {
  return MMAFragmentBuilder(b, loc, precision)
      .packPair(loadOperand(isA, row, k), loadOperand(isA, row, add(k, index(1))));
}

void GPUMatmulKernelBase::accumulateC(Value row, Value col, Value value) {
  Value inside =
      arith::AndIOp::create(b, loc, ult(row, sizeM), ult(col, sizeN));
  auto ifOp = scf::IfOp::create(b, loc, inside, /*withElse=*/false);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(ifOp.thenBlock());
  SmallVector<Value> loops = batchLoops;
  loops[c.match.mDim] = row;
  loops[c.match.nDim] = col;
  SmallVector<Value> indices = operandIndices(c.mapC, loops);
  linalg::LinalgOp op = c.op;
  Value outC = op.getDpsInits()[0];
  Value old = memref::LoadOp::create(b, loc, outC, indices);
  Value sum = arith::AddFOp::create(b, loc, old, value);
  memref::StoreOp::create(b, loc, sum, outC, indices);
}
