//===- Semantics.cpp - what NPU compute instructions do ------------------===//
//
// The functional definition of the compute queue (docs/npu.md,
// "Instructions"): the systolic array's matmul (int8 x int8 -> int32 with
// wrap-around, bf16 x bf16 -> f32 accumulated in k order) and the f32
// vector unit (elementwise, broadcasting binary ops, lane-ordered
// reductions, conversions, fill). All sources are read before any
// destination is written, so in-place operations are well defined.
//
//===----------------------------------------------------------------------===//

#include "Semantics.h"

#include "llm/Target/NPU/Numerics.h"

#include <cmath>
#include <cstring>
#include <vector>

using namespace mlir::llm::npu;

namespace {
float loadF32(const uint8_t *p) {
  float v;
  std::memcpy(&v, p, 4);
  return v;
}
void storeF32(uint8_t *p, float v) { std::memcpy(p, &v, 4); }
int32_t loadI32(const uint8_t *p) {
  int32_t v;
  std::memcpy(&v, p, 4);
  return v;
}
void storeI32(uint8_t *p, int32_t v) { std::memcpy(p, &v, 4); }
uint16_t loadU16(const uint8_t *p) {
  uint16_t v;
  std::memcpy(&v, p, 2);
  return v;
}

void matmul(const Instruction &inst, uint8_t *local) {
  uint64_t m = inst.get(Field::M), k = inst.get(Field::K),
           n = inst.get(Field::N);
  bool bf16 = inst.get(Field::MatType), tb = inst.get(Field::TransposeB);
  bool accumulate = inst.get(Field::Accumulate);
  unsigned es = bf16 ? 2 : 1;
  const uint8_t *a = local + inst.get(Field::AAddr);
  const uint8_t *b = local + inst.get(Field::BAddr);
  uint8_t *c = local + kAccumulatorBase + inst.get(Field::CAddr);
  uint64_t astride = inst.get(Field::AStride),
           cstride = inst.get(Field::CStride);
  // B(kk, j): row kk of B (or row j of B^T), rows kArrayDim elements apart.
  auto bIndex = [&](uint64_t kk, uint64_t j) {
    return (tb ? j * kArrayDim + kk : kk * kArrayDim + j) * es;
  };
  for (uint64_t i = 0; i < m; ++i) {
    const uint8_t *arow = a + i * astride;
    uint8_t *crow = c + i * cstride;
    for (uint64_t j = 0; j < n; ++j) {
      if (!bf16) {
        // Two's-complement wrap-around, as the hardware's 32-bit adders.
        uint32_t acc = accumulate ? static_cast<uint32_t>(loadI32(crow + 4 * j)) : 0;
        for (uint64_t kk = 0; kk < k; ++kk)
          acc += static_cast<uint32_t>(int32_t(int8_t(arow[kk])) *
                                       int32_t(int8_t(b[bIndex(kk, j)])));
        storeI32(crow + 4 * j, static_cast<int32_t>(acc));
      } else {
        float acc = accumulate ? loadF32(crow + 4 * j) : 0.0f;
        for (uint64_t kk = 0; kk < k; ++kk) {
          // The product of two bf16 values is exact in f32.
          float p = bf16ToFloat(loadU16(arow + 2 * kk)) *
                    bf16ToFloat(loadU16(b + bIndex(kk, j)));
          acc = acc + p;
        }
        storeF32(crow + 4 * j, acc);
      }
    }
  }
}

float unary(UnaryFunc func, float x) {
  switch (func) {
  case UnaryFunc::Copy:
    return x;
  case UnaryFunc::Neg:
    return -x;
  case UnaryFunc::Abs:
    return std::fabs(x);
  case UnaryFunc::Relu:
    return x > 0.0f ? x : (std::isnan(x) ? x : 0.0f);
  case UnaryFunc::Exp:
    return std::exp(x);
  case UnaryFunc::Tanh:
    return std::tanh(x);
  case UnaryFunc::Sqrt:
    return std::sqrt(x);
  case UnaryFunc::Rsqrt:
    return 1.0f / std::sqrt(x);
  case UnaryFunc::Recip:
    return 1.0f / x;
  case UnaryFunc::Sigmoid:
    return 1.0f / (1.0f + std::exp(-x));
  }
  return x;
}

float binary(BinaryFunc func, float x, float y) {
  switch (func) {
  case BinaryFunc::Add:
    return x + y;
  case BinaryFunc::Sub:
    return x - y;
  case BinaryFunc::Mul:
    return x * y;
  case BinaryFunc::Max:
    return std::fmax(x, y);
  case BinaryFunc::Min:
    return std::fmin(x, y);
  }
  return x;
}

/// Reduces one row as the 16-lane unit does: lane l accumulates the
/// elements l, l+16, ... in order, then the lanes combine pairwise
/// (l with l+8, then l+4, l+2, l+1).
float reduceRow(ReduceFunc func, const uint8_t *row, uint64_t cols) {
  float lanes[kVectorLanes];
  bool used[kVectorLanes] = {};
  for (uint64_t c = 0; c < cols; ++c) {
    unsigned l = c % kVectorLanes;
    float x = loadF32(row + 4 * c);
    if (!used[l])
      lanes[l] = x, used[l] = true;
    else
      lanes[l] = func == ReduceFunc::Sum ? lanes[l] + x : std::fmax(lanes[l], x);
  }
  for (unsigned half = kVectorLanes / 2; half >= 1; half /= 2)
    for (unsigned l = 0; l < half; ++l) {
      if (!used[l + half])
        continue;
      if (!used[l])
        lanes[l] = lanes[l + half], used[l] = true;
      else
        lanes[l] = func == ReduceFunc::Sum ? lanes[l] + lanes[l + half]
                                           : std::fmax(lanes[l], lanes[l + half]);
    }
  return lanes[0];
}

void convert(const Instruction &inst, uint8_t *local) {
  ElemType from = ElemType(inst.get(Field::SrcType));
  ElemType to = ElemType(inst.get(Field::DstType));
  uint64_t rows = inst.get(Field::Rows), cols = inst.get(Field::Cols);
  unsigned ssize = getElemTypeSize(from), dsize = getElemTypeSize(to);
  const uint8_t *src = local + inst.get(Field::A);
  uint64_t sstride = inst.get(Field::Stride), dstride = inst.get(Field::DstStride);
  std::vector<uint8_t> out(rows * cols * dsize);
  bool intToInt = (from == ElemType::I8 || from == ElemType::I32) &&
                  (to == ElemType::I8 || to == ElemType::I32);
  for (uint64_t r = 0; r < rows; ++r)
    for (uint64_t c = 0; c < cols; ++c) {
      const uint8_t *p = src + r * sstride + c * ssize;
      uint8_t *q = out.data() + (r * cols + c) * dsize;
      int64_t i = 0;
      float f = 0;
      switch (from) {
      case ElemType::I8:
        i = int8_t(*p), f = float(i);
        break;
      case ElemType::I32:
        i = loadI32(p), f = float(i);
        break;
      case ElemType::BF16:
        f = bf16ToFloat(loadU16(p));
        break;
      case ElemType::F32:
        f = loadF32(p);
        break;
      }
      switch (to) {
      case ElemType::I8:
        *q = static_cast<uint8_t>(
            intToInt ? int8_t(std::min<int64_t>(127, std::max<int64_t>(-128, i)))
                     : floatToI8(f));
        break;
      case ElemType::I32:
        storeI32(q, intToInt ? int32_t(i) : floatToI32(f));
        break;
      case ElemType::BF16: {
        uint16_t h = floatToBF16(f);
        std::memcpy(q, &h, 2);
        break;
      }
      case ElemType::F32:
        storeF32(q, f);
        break;
      }
    }
  uint8_t *dst = local + inst.get(Field::Dst);
  for (uint64_t r = 0; r < rows; ++r)
    std::memcpy(dst + r * dstride, out.data() + r * cols * dsize, cols * dsize);
}
} // namespace

void mlir::llm::npu::executeCompute(const Instruction &inst, uint8_t *local) {
  Opcode op = inst.getOpcode();
  if (op == Opcode::Matmul)
    return matmul(inst, local);
  if (op == Opcode::VConvert)
    return convert(inst, local);
  if (op != Opcode::VUnary && op != Opcode::VBinary && op != Opcode::VReduce &&
      op != Opcode::VFill)
    return;
  uint64_t rows = inst.get(Field::Rows), cols = inst.get(Field::Cols);
  uint64_t stride = inst.get(Field::Stride);
  const uint8_t *a = local + inst.get(Field::A);
  uint8_t *dst = local + inst.get(Field::Dst);
  if (op == Opcode::VReduce) {
    ReduceFunc func = ReduceFunc(inst.get(Field::Func));
    std::vector<float> out(rows);
    for (uint64_t r = 0; r < rows; ++r) {
      float v = reduceRow(func, a + r * stride, cols);
      if (inst.get(Field::Accumulate)) {
        float old = loadF32(dst + 4 * r);
        v = func == ReduceFunc::Sum ? old + v : std::fmax(old, v);
      }
      out[r] = v;
    }
    for (uint64_t r = 0; r < rows; ++r)
      storeF32(dst + 4 * r, out[r]);
    return;
  }
  std::vector<float> out(rows * cols);
  const uint8_t *b = local + inst.get(Field::B);
  BMode mode = BMode(inst.get(Field::BMode));
  for (uint64_t r = 0; r < rows; ++r)
    for (uint64_t c = 0; c < cols; ++c) {
      float &o = out[r * cols + c];
      if (op == Opcode::VFill) {
        o = inst.getImm();
        continue;
      }
      float x = loadF32(a + r * stride + 4 * c);
      if (op == Opcode::VUnary) {
        o = unary(UnaryFunc(inst.get(Field::Func)), x);
        continue;
      }
      uint64_t bOffset = mode == BMode::Tile  ? r * stride + 4 * c
                         : mode == BMode::Row ? 4 * c
                         : mode == BMode::Col ? 4 * r
                                              : 0;
      o = binary(BinaryFunc(inst.get(Field::Func)), x, loadF32(b + bOffset));
    }
  for (uint64_t r = 0; r < rows; ++r)
    std::memcpy(dst + r * stride, &out[r * cols], cols * 4);
}

uint64_t mlir::llm::npu::getVectorCycles(const Instruction &inst,
                                         uint64_t latency,
                                         uint64_t transcendentalLatency) {
  uint64_t rows = inst.get(Field::Rows), cols = inst.get(Field::Cols);
  uint64_t beats = rows * ((cols + kVectorLanes - 1) / kVectorLanes);
  switch (inst.getOpcode()) {
  case Opcode::VUnary:
    return beats + (UnaryFunc(inst.get(Field::Func)) >= UnaryFunc::Exp
                        ? transcendentalLatency
                        : latency);
  case Opcode::VReduce:
    // log2(16) = 4 extra beats per row for the lane tree.
    return beats + 4 * rows + latency;
  default:
    return beats + latency;
  }
}
