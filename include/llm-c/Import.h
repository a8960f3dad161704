/*===- llm-c/Import.h - import ONNX models (C API) ----------------*- C -*-===*\
|*                                                                            *|
|* Imports an ONNX model (binary protobuf .onnx, or protobuf text .onnxtxt)   *|
|* into a module of transformer-dialect ops, as llm-opt does. Problems are    *|
|* reported through the context's diagnostic handlers (every unsupported op   *|
|* at once, each naming its node) and the result is then a null module       *|
|* (mlirModuleIsNull). The context needs llmRegisterAllDialects' dialects.    *|
|* The caller owns a returned module (mlirModuleDestroy).                    *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef LLM_C_IMPORT_H
#define LLM_C_IMPORT_H

#include "mlir-c/IR.h"
#include "mlir-c/Support.h"

#ifdef __cplusplus
extern "C" {
#endif

/// How ONNX input is encoded.
typedef enum LLMONNXFormat {
  /// From the (file or buffer) name: .onnxtxt, .pbtxt, .textproto and .txt
  /// are text, anything else binary.
  LLMONNXFormatAuto = 0,
  LLMONNXFormatBinary = 1,
  LLMONNXFormatText = 2,
} LLMONNXFormat;

/// Reads and imports the model at `path`; tensors with external data are
/// read from the model's directory. Returns a null module on failure.
MLIR_CAPI_EXPORTED MlirModule llmImportONNXFile(MlirContext context,
                                                MlirStringRef path);

/// Imports the model held in `buffer` (copied as needed; it only has to live
/// during the call). `name` is the file name used in locations and by
/// LLMONNXFormatAuto; external tensor data is not allowed. Returns a null
/// module on failure.
MLIR_CAPI_EXPORTED MlirModule llmImportONNXBuffer(MlirContext context,
                                                  MlirStringRef buffer,
                                                  MlirStringRef name,
                                                  LLMONNXFormat format);

#ifdef __cplusplus
}
#endif

#endif /* LLM_C_IMPORT_H */
