//===- RuntimeTest.cpp - unit tests of the runtime library ---------------===//
//
// Tests of lib/Runtime: .npy parsing and writing (header variants, Fortran
// order, errors), ONNX TensorProto parsing (raw_data and typed fields,
// errors), and the assert_allclose-style comparison (tolerances, NaN,
// infinities, worst element, shape/type mismatches). Expected bytes come
// from the numpy and ONNX format specifications.
//
//===----------------------------------------------------------------------===//

#include "llm/Runtime/Compare.h"
#include "llm/Runtime/TensorIO.h"

#include "onnx.pb.h"

#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

using namespace mlir::llm;

namespace {

/// A .npy v1.0 image with the given header dict and data bytes.
std::string makeNpy(const std::string &dict, const std::string &data,
                    char major = 1) {
  std::string header = dict;
  size_t prefix = major == 1 ? 10 : 12;
  while ((prefix + header.size() + 1) % 64)
    header += ' ';
  header += '\n';
  std::string out = "\x93NUMPY";
  out += major;
  out += '\0';
  if (major == 1) {
    out += static_cast<char>(header.size() & 0xff);
    out += static_cast<char>(header.size() >> 8);
  } else {
    for (int i = 0; i < 4; ++i)
      out += static_cast<char>((header.size() >> (8 * i)) & 0xff);
  }
  return out + header + data;
}

template <typename T>
std::string bytesOf(std::initializer_list<T> values) {
  std::string out(values.size() * sizeof(T), '\0');
  std::memcpy(out.data(), values.begin(), out.size());
  return out;
}

Tensor makeF32(std::vector<int64_t> shape, std::vector<float> values) {
  Tensor t(DType::F32, shape);
  std::memcpy(t.data(), values.data(), values.size() * sizeof(float));
  return t;
}

TEST(RuntimeNpy, ParsesCOrderFloat) {
  std::string npy = makeNpy(
      "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }",
      bytesOf<float>({1, 2, 3, 4, 5, 6}));
  auto tensor = parseNpy(npy, "t.npy");
  ASSERT_TRUE(!!tensor) << llvm::toString(tensor.takeError());
  EXPECT_EQ(tensor->getDType(), DType::F32);
  EXPECT_EQ(tensor->getShape(), llvm::ArrayRef<int64_t>({2, 3}));
  EXPECT_EQ(tensor->getAsDouble(5), 6.0);
  EXPECT_EQ(tensor->describe(), "f32[2x3]");
}

TEST(RuntimeNpy, ParsesFortranOrderAndVersion2) {
  // Column-major [[1, 2, 3], [4, 5, 6]] is stored as 1 4 2 5 3 6.
  std::string npy = makeNpy(
      "{'descr': '<i8', 'fortran_order': True, 'shape': (2, 3), }",
      bytesOf<int64_t>({1, 4, 2, 5, 3, 6}), /*major=*/2);
  auto tensor = parseNpy(npy, "t.npy");
  ASSERT_TRUE(!!tensor) << llvm::toString(tensor.takeError());
  EXPECT_EQ(tensor->getDType(), DType::I64);
  for (int i = 0; i < 6; ++i)
    EXPECT_EQ(tensor->dataAs<int64_t>()[i], i + 1);
}

TEST(RuntimeNpy, ParsesScalarsBoolsAndHalf) {
  auto scalar = parseNpy(
      makeNpy("{'descr': '<f8', 'fortran_order': False, 'shape': (), }",
              bytesOf<double>({2.5})),
      "s.npy");
  ASSERT_TRUE(!!scalar) << llvm::toString(scalar.takeError());
  EXPECT_EQ(scalar->getRank(), 0);
  EXPECT_EQ(scalar->getAsDouble(0), 2.5);

  auto bools = parseNpy(
      makeNpy("{'descr': '|b1', 'fortran_order': False, 'shape': (3,), }",
              std::string("\x01\x00\x01", 3)),
      "b.npy");
  ASSERT_TRUE(!!bools) << llvm::toString(bools.takeError());
  EXPECT_EQ(bools->getDType(), DType::Bool);
  EXPECT_EQ(bools->getAsDouble(1), 0.0);
  EXPECT_EQ(bools->getAsDouble(2), 1.0);

  // float16 1.0 = 0x3c00, -2.0 = 0xc000, 65504 = 0x7bff.
  auto half = parseNpy(
      makeNpy("{'descr': '<f2', 'fortran_order': False, 'shape': (3,), }",
              bytesOf<uint16_t>({0x3c00, 0xc000, 0x7bff})),
      "h.npy");
  ASSERT_TRUE(!!half) << llvm::toString(half.takeError());
  EXPECT_EQ(half->getAsDouble(0), 1.0);
  EXPECT_EQ(half->getAsDouble(1), -2.0);
  EXPECT_EQ(half->getAsDouble(2), 65504.0);
}

TEST(RuntimeNpy, RoundTrips) {
  for (auto shape : std::vector<std::vector<int64_t>>{{}, {5}, {2, 3}, {0, 4}}) {
    Tensor t(DType::I32, shape);
    for (int64_t i = 0; i < t.getNumElements(); ++i)
      t.dataAs<int32_t>()[i] = static_cast<int32_t>(i * 7 - 3);
    std::string bytes = serializeNpy(t);
    // The data starts 64-byte aligned, as numpy writes it.
    EXPECT_EQ((bytes.size() - t.getByteSize()) % 64, 0u);
    auto back = parseNpy(bytes, "r.npy");
    ASSERT_TRUE(!!back) << llvm::toString(back.takeError());
    EXPECT_EQ(back->getShape(), t.getShape());
    EXPECT_EQ(std::memcmp(back->data(), t.data(), t.getByteSize()), 0);
  }
}

TEST(RuntimeNpy, SerializesNumpyHeader) {
  std::string bytes = serializeNpy(Tensor(DType::F32, {5}));
  EXPECT_NE(bytes.find("{'descr': '<f4', 'fortran_order': False, "
                       "'shape': (5,), }"),
            std::string::npos);
  bytes = serializeNpy(Tensor(DType::U8, {2, 3}));
  EXPECT_NE(bytes.find("'descr': '|u1'"), std::string::npos);
  EXPECT_NE(bytes.find("'shape': (2, 3), }"), std::string::npos);
  bytes = serializeNpy(Tensor(DType::F64, {}));
  EXPECT_NE(bytes.find("'shape': (), }"), std::string::npos);
}

TEST(RuntimeNpy, ReportsErrors) {
  auto expectError = [](const std::string &bytes, const std::string &text) {
    auto tensor = parseNpy(bytes, "bad.npy");
    ASSERT_FALSE(!!tensor);
    std::string message = llvm::toString(tensor.takeError());
    EXPECT_NE(message.find("bad.npy: "), std::string::npos) << message;
    EXPECT_NE(message.find(text), std::string::npos) << message;
  };
  expectError("PK\x03\x04 not numpy", "not a .npy file");
  expectError(makeNpy("{'descr': '>f4', 'fortran_order': False, "
                      "'shape': (1,), }",
                      bytesOf<float>({1})),
              "unsupported numpy dtype '>f4'");
  expectError(makeNpy("{'descr': '<c8', 'fortran_order': False, "
                      "'shape': (1,), }",
                      bytesOf<float>({1, 2})),
              "unsupported numpy dtype '<c8'");
  expectError(makeNpy("{'descr': '<f4', 'fortran_order': False, "
                      "'shape': (2, 2), }",
                      bytesOf<float>({1, 2, 3})),
              "has 12 data bytes, but f32[2x2] needs 16");
  expectError(makeNpy("{'fortran_order': False, 'shape': (1,), }", ""),
              "no 'descr'");
}

TEST(RuntimeTensorProto, ParsesRawAndTypedData) {
  llm_onnx::TensorProto raw;
  raw.set_name("x");
  raw.set_data_type(llm_onnx::TensorProto::FLOAT);
  raw.add_dims(2);
  raw.add_dims(2);
  raw.set_raw_data(bytesOf<float>({1, 2, 3, 4}));
  auto tensor = parseTensorProto(raw.SerializeAsString(), "x.pb");
  ASSERT_TRUE(!!tensor) << llvm::toString(tensor.takeError());
  EXPECT_EQ(tensor->name, "x");
  EXPECT_EQ(tensor->tensor.describe(), "f32[2x2]");
  EXPECT_EQ(tensor->tensor.getAsDouble(3), 4.0);

  // int8 and bool values live in int32_data; uint32 in uint64_data.
  llm_onnx::TensorProto i8;
  i8.set_data_type(llm_onnx::TensorProto::INT8);
  i8.add_dims(3);
  for (int v : {-128, 0, 127})
    i8.add_int32_data(v);
  auto i8Tensor = parseTensorProto(i8.SerializeAsString(), "i8.pb");
  ASSERT_TRUE(!!i8Tensor) << llvm::toString(i8Tensor.takeError());
  EXPECT_EQ(i8Tensor->tensor.getAsDouble(0), -128.0);
  EXPECT_EQ(i8Tensor->tensor.getAsDouble(2), 127.0);

  llm_onnx::TensorProto b;
  b.set_data_type(llm_onnx::TensorProto::BOOL);
  b.add_dims(2);
  b.add_int32_data(0);
  b.add_int32_data(5);
  auto bTensor = parseTensorProto(b.SerializeAsString(), "b.pb");
  ASSERT_TRUE(!!bTensor) << llvm::toString(bTensor.takeError());
  EXPECT_EQ(bTensor->tensor.dataAs<uint8_t>()[1], 1);

  llm_onnx::TensorProto u32;
  u32.set_data_type(llm_onnx::TensorProto::UINT32);
  u32.add_uint64_data(4000000000u);
  u32.add_dims(1);
  auto u32Tensor = parseTensorProto(u32.SerializeAsString(), "u.pb");
  ASSERT_TRUE(!!u32Tensor) << llvm::toString(u32Tensor.takeError());
  EXPECT_EQ(u32Tensor->tensor.getAsDouble(0), 4000000000.0);

  // A scalar (no dims) with float_data.
  llm_onnx::TensorProto scalar;
  scalar.set_data_type(llm_onnx::TensorProto::FLOAT);
  scalar.add_float_data(-0.5f);
  auto sTensor = parseTensorProto(scalar.SerializeAsString(), "s.pb");
  ASSERT_TRUE(!!sTensor) << llvm::toString(sTensor.takeError());
  EXPECT_EQ(sTensor->tensor.getRank(), 0);
  EXPECT_EQ(sTensor->tensor.getAsDouble(0), -0.5);
}

TEST(RuntimeTensorProto, RoundTrips) {
  Tensor t = makeF32({3}, {1.5f, -2.0f, 8.0f});
  auto back = parseTensorProto(serializeTensorProto(t, "y"), "y.pb");
  ASSERT_TRUE(!!back) << llvm::toString(back.takeError());
  EXPECT_EQ(back->name, "y");
  EXPECT_EQ(std::memcmp(back->tensor.data(), t.data(), t.getByteSize()), 0);
}

TEST(RuntimeTensorProto, ReportsErrors) {
  auto expectError = [](const llm_onnx::TensorProto &proto,
                        const std::string &text) {
    auto tensor = parseTensorProto(proto.SerializeAsString(), "bad.pb");
    ASSERT_FALSE(!!tensor);
    std::string message = llvm::toString(tensor.takeError());
    EXPECT_NE(message.find(text), std::string::npos) << message;
  };
  llm_onnx::TensorProto strings;
  strings.set_data_type(llm_onnx::TensorProto::STRING);
  expectError(strings, "unsupported ONNX tensor data type 8");

  llm_onnx::TensorProto shortRaw;
  shortRaw.set_data_type(llm_onnx::TensorProto::FLOAT);
  shortRaw.add_dims(4);
  shortRaw.set_raw_data(bytesOf<float>({1, 2}));
  expectError(shortRaw, "has 8 raw_data bytes for f32[4] (4 elements)");

  llm_onnx::TensorProto shortTyped;
  shortTyped.set_data_type(llm_onnx::TensorProto::INT64);
  shortTyped.add_dims(2);
  shortTyped.add_int64_data(1);
  expectError(shortTyped, "has 1 int64_data values for i64[2]");

  auto garbage = parseTensorProto(std::string("\xff\xff\xff", 3), "g.pb");
  ASSERT_FALSE(!!garbage);
  EXPECT_NE(llvm::toString(garbage.takeError()).find("not a serialized ONNX"),
            std::string::npos);
}

TEST(RuntimeCompare, MatchesWithinTolerance) {
  Tensor expected = makeF32({2, 2}, {1.0f, 100.0f, 0.0f, -3.0f});
  // |a - e| <= atol + rtol |e|: 100 may be off by 0.1 with rtol 1e-3.
  Tensor actual = makeF32({2, 2}, {1.0f, 100.09f, 0.0f, -3.0f});
  ComparisonResult result = compareTensors(actual, expected, 1e-3, 1e-7);
  EXPECT_TRUE(result.matches);
  EXPECT_EQ(result.numMismatches, 0);
  EXPECT_NEAR(result.maxAbsError, 0.09, 1e-4);
  EXPECT_NEAR(result.maxRelError, 0.0009, 1e-6);
}

TEST(RuntimeCompare, ReportsWorstElement) {
  Tensor expected = makeF32({2, 3}, {1, 2, 3, 4, 5, 6});
  // [0, 1] is off by 0.5 (tolerance 0.002), [1, 2] by 1.0 (0.006): the
  // worst relative to its tolerance is [0, 1] (250x vs 167x).
  Tensor actual = makeF32({2, 3}, {1, 2.5, 3, 4, 5, 7});
  ComparisonResult result = compareTensors(actual, expected, 1e-3, 0);
  EXPECT_FALSE(result.matches);
  EXPECT_EQ(result.numMismatches, 2);
  EXPECT_EQ(result.worstIndex, (std::vector<int64_t>{0, 1}));
  EXPECT_EQ(result.worstActual, 2.5);
  EXPECT_EQ(result.worstExpected, 2.0);
  EXPECT_DOUBLE_EQ(result.maxAbsError, 1.0);
  EXPECT_DOUBLE_EQ(result.maxRelError, 0.25);

  std::string report;
  llvm::raw_string_ostream os(report);
  printComparison(os, "y", actual, result, 1e-3, 0);
  EXPECT_NE(report.find("'y': MISMATCH f32[2x3]: 2 of 6 elements differ"),
            std::string::npos)
      << report;
  EXPECT_NE(report.find("worst at [0, 1]: got 2.5, expected 2"),
            std::string::npos)
      << report;
}

TEST(RuntimeCompare, HandlesNaNAndInfinity) {
  float nan = NAN, inf = INFINITY;
  Tensor expected = makeF32({4}, {nan, inf, -inf, 1});
  EXPECT_TRUE(compareTensors(makeF32({4}, {nan, inf, -inf, 1}), expected,
                             1e-3, 1e-7)
                  .matches);
  ComparisonResult nanVsNumber =
      compareTensors(makeF32({4}, {0, inf, -inf, 1}), expected, 1e-3, 1e-7);
  EXPECT_FALSE(nanVsNumber.matches);
  EXPECT_EQ(nanVsNumber.worstIndex, (std::vector<int64_t>{0}));
  ComparisonResult flippedInf =
      compareTensors(makeF32({4}, {nan, -inf, -inf, 1}), expected, 1e-3, 1e-7);
  EXPECT_FALSE(flippedInf.matches);
  EXPECT_EQ(flippedInf.numMismatches, 1);
}

TEST(RuntimeCompare, RejectsShapeAndTypeMismatch) {
  Tensor a = makeF32({2, 3}, {1, 2, 3, 4, 5, 6});
  ComparisonResult shape =
      compareTensors(a, makeF32({3, 2}, {1, 2, 3, 4, 5, 6}), 1e-3, 1e-7);
  EXPECT_FALSE(shape.matches);
  EXPECT_EQ(shape.structuralError,
            "shape 2x3 differs from the expected 3x2");
  ComparisonResult type = compareTensors(a, Tensor(DType::I64, {2, 3}),
                                         1e-3, 1e-7);
  EXPECT_FALSE(type.matches);
  EXPECT_EQ(type.structuralError,
            "element type f32 differs from the expected i64");
}

TEST(RuntimeCompare, ComparesIntegersAndBools) {
  Tensor a(DType::I64, {3}), e(DType::I64, {3});
  for (int i = 0; i < 3; ++i)
    a.dataAs<int64_t>()[i] = e.dataAs<int64_t>()[i] = i - 1;
  EXPECT_TRUE(compareTensors(a, e, 1e-3, 1e-7).matches);
  a.dataAs<int64_t>()[2] = 5;
  ComparisonResult result = compareTensors(a, e, 1e-3, 1e-7);
  EXPECT_FALSE(result.matches);
  EXPECT_EQ(result.worstIndex, (std::vector<int64_t>{2}));

  Tensor p(DType::Bool, {2}), q(DType::Bool, {2});
  p.dataAs<uint8_t>()[0] = 1;
  EXPECT_FALSE(compareTensors(p, q, 1e-3, 1e-7).matches);
}

TEST(RuntimeTensor, CopiesDeeplyAndDescribes) {
  Tensor a = makeF32({2}, {1, 2});
  Tensor b = a;
  b.dataAs<float>()[0] = 9;
  EXPECT_EQ(a.dataAs<float>()[0], 1);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(a.data()) % 64, 0u);
  EXPECT_TRUE(Tensor().isNull());
  EXPECT_EQ(Tensor(DType::Bool, {}).describe(), "i1[scalar]");
  EXPECT_EQ(formatShape({-1, 4}), "?x4");
  EXPECT_EQ(dtypeFromONNX(16), DType::BF16);
  EXPECT_FALSE(dtypeFromONNX(8).has_value());
  EXPECT_EQ(bfloat16ToFloat(0x3f80), 1.0f);
}

TEST(RuntimeTensor, ViewBorrowsMemoryAndCopiesOwnTheirs) {
  float data[6] = {1, 2, 3, 4, 5, 6};
  {
    Tensor view = Tensor::view(DType::F32, {2, 3}, data);
    EXPECT_FALSE(view.isNull());
    EXPECT_EQ(view.data(), static_cast<void *>(data));
    EXPECT_EQ(view.getNumElements(), 6);
    EXPECT_EQ(view.getAsDouble(4), 5.0);
    Tensor copy = view;
    EXPECT_NE(copy.data(), static_cast<void *>(data));
    data[0] = 9;
    EXPECT_EQ(copy.getAsDouble(0), 1.0);
    EXPECT_EQ(view.getAsDouble(0), 9.0);
    Tensor moved = std::move(view);
    EXPECT_EQ(moved.data(), static_cast<void *>(data));
  } // Destroying views frees nothing (the sanitizer build checks that).
  EXPECT_EQ(data[5], 6.0f);
  Tensor empty = Tensor::view(DType::I64, {0, 3}, nullptr);
  EXPECT_FALSE(empty.isNull());
  EXPECT_EQ(empty.getByteSize(), 0u);
}

} // namespace
