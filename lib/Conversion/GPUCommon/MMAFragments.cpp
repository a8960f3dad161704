//===- MMAFragments.cpp - mma.sync fragments in the PTX register layout --===//
//
// The fragment helpers of the tensor-core kernels (see the header): packing
// 16-bit pairs into 32-bit words, turning a word into the register(s) the
// mma takes (bf16 as i32, f16 as vector<2xf16>, tf32 rounded, 3xTF32 split
// into high and low parts), and nvvm.mma.sync with f32 accumulators.
//
//===----------------------------------------------------------------------===//

#include "llm/Conversion/GPUCommon/MMAFragments.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

using namespace mlir;
using namespace mlir::llm;

Value MMAFragmentBuilder::packPair(Value low, Value high) {
  Type half = precision == GPUMatmulPrecision::BF16 ? Type(b.getBF16Type())
                                                    : Type(b.getF16Type());
  Value word;
  for (Value v : {low, high}) {
    v = arith::TruncFOp::create(b, loc, half, v);
    v = arith::BitcastOp::create(b, loc, b.getI16Type(), v);
    v = arith::ExtUIOp::create(b, loc, b.getI32Type(), v);
    if (!word) {
      word = v;
      continue;
    }
    Value shifted = arith::ShLIOp::create(
        b, loc, v, arith::ConstantIntOp::create(b, loc, b.getI32Type(), 16));
    word = arith::OrIOp::create(b, loc, word, shifted);
  }
  return word;
}

SmallVector<Value> MMAFragmentBuilder::loadRegister(Value shared, Value row,
                                                    Value word) {
  return registersOfWord(
      memref::LoadOp::create(b, loc, shared, ValueRange{row, word}));
}

SmallVector<Value> MMAFragmentBuilder::registersOfWord(Value v) {
  Type i32 = b.getI32Type();
  if (isSixteenBit())
    return {precision == GPUMatmulPrecision::F16
                ? Value(LLVM::BitcastOp::create(
                      b, loc, VectorType::get({2}, b.getF16Type()), v))
                : v};
  // tf32 operands: the PTX ISA leaves the low 13 mantissa bits of a .tf32
  // register unspecified, so they are cleared here: rounded to nearest
  // (ties away from zero, as cvt.rna.tf32.f32) by adding half an ulp of
  // tf32 before the mask, or truncated where the split must be exact.
  Value mask = arith::ConstantIntOp::create(b, loc, i32, 0xffffe000LL);
  Value half = arith::ConstantIntOp::create(b, loc, i32, 0x1000);
  auto roundToTF32 = [&](Value f32Bits) -> Value {
    Value sum = arith::AddIOp::create(b, loc, f32Bits, half);
    return arith::AndIOp::create(b, loc, sum, mask);
  };
  Value bits = arith::BitcastOp::create(b, loc, i32, v);
  if (precision == GPUMatmulPrecision::TF32)
    return {roundToTF32(bits)};
  // 3xTF32: high = x truncated to tf32 (exact), low = x - high (exact in
  // f32), rounded to tf32; the mma adds lo*hi + hi*lo + hi*hi.
  Value hiBits = arith::AndIOp::create(b, loc, bits, mask);
  Value hi = arith::BitcastOp::create(b, loc, b.getF32Type(), hiBits);
  Value lo = arith::SubFOp::create(b, loc, v, hi);
  return {hiBits, roundToTF32(arith::BitcastOp::create(b, loc, i32, lo))};
}

void MMAFragmentBuilder::mma(ArrayRef<Value> a, ArrayRef<Value> bFrag,
                             MutableArrayRef<Value> acc) {
  Type f32 = b.getF32Type();
  auto resultType =
      LLVM::LLVMStructType::getLiteral(b.getContext(), {f32, f32, f32, f32});
  NVVM::MMATypes type = precision == GPUMatmulPrecision::BF16
                            ? NVVM::MMATypes::bf16
                        : precision == GPUMatmulPrecision::F16
                            ? NVVM::MMATypes::f16
                            : NVVM::MMATypes::tf32;
  int64_t mmaK = isSixteenBit() ? 16 : 8;
  auto op = NVVM::MmaOp::create(
      b, loc, resultType, a, bFrag, acc, {16, 8, mmaK},
      /*b1Op=*/std::nullopt, /*intOverflow=*/std::nullopt,
      std::array<NVVM::MMATypes, 2>{type, type},
      std::array<NVVM::MMALayout, 2>{NVVM::MMALayout::row,
                                     NVVM::MMALayout::col});
  for (int64_t i = 0; i < 4; ++i)
    acc[i] = LLVM::ExtractValueOp::create(b, loc, op->getResult(0),
                                          ArrayRef<int64_t>{i});
}

void MMAFragmentBuilder::accumulate(ArrayRef<SmallVector<Value>> a,
                                    ArrayRef<SmallVector<Value>> bFrag,
                                    MutableArrayRef<Value> acc) {
  // Part p of each register: 0 = the value (or 3xTF32 high), 1 = low.
  auto part = [](ArrayRef<SmallVector<Value>> regs, int64_t p) {
    SmallVector<Value> out;
    for (const SmallVector<Value> &r : regs)
      out.push_back(r[p]);
    return out;
  };
  if (precision == GPUMatmulPrecision::F32) {
    // Small products first: lo*hi, hi*lo, then hi*hi.
    mma(part(a, 1), part(bFrag, 0), acc);
    mma(part(a, 0), part(bFrag, 1), acc);
  }
  mma(part(a, 0), part(bFrag, 0), acc);
}
