/* Error paths of the C API (include/llm-c/): every failure returns a failure
   or a null module and reports a diagnostic through the context's handler,
   which prints it as "diagnostic: ..." for FileCheck
   (test/Embedding/capi-errors.test). Also builds a context by hand from a
   registry, as an embedder with its own dialects would. */
#include "llm-c/CPUTarget.h"
#include "llm-c/Import.h"
#include "llm-c/Pipelines.h"
#include "llm-c/Registration.h"
#include "mlir-c/Diagnostics.h"
#include "mlir-c/IR.h"

#include <stdio.h>

static void printToFile(MlirStringRef text, void *file) {
  fwrite(text.data, 1, text.length, (FILE *)file);
}

static MlirLogicalResult onDiagnostic(MlirDiagnostic diagnostic, void *data) {
  ++*(int *)data;
  printf("diagnostic: ");
  mlirDiagnosticPrint(diagnostic, printToFile, stdout);
  printf("\n");
  return mlirLogicalResultSuccess();
}

static MlirStringRef str(const char *s) {
  return mlirStringRefCreateFromCString(s);
}

static void report(const char *what, MlirLogicalResult result, int *count) {
  printf("%s: %s, %d diagnostic(s)\n", what,
         mlirLogicalResultIsSuccess(result) ? "success" : "failure", *count);
  *count = 0;
  fflush(stdout); /* before LLVM writes to the same stdout */
}

int main(int argc, char **argv) {
  if (argc != 2)
    return 2;
  MlirDialectRegistry registry = mlirDialectRegistryCreate();
  llmRegisterAllDialects(registry);
  llmRegisterAllPasses();
  llmRegisterAllPasses(); /* idempotent */
  MlirContext context = mlirContextCreateWithRegistry(registry, false);
  mlirDialectRegistryDestroy(registry);
  int count = 0;
  mlirContextAttachDiagnosticHandler(context, onDiagnostic, &count, NULL);

  MlirModule missing = llmImportONNXFile(context, str("/no/such/model.onnx"));
  printf("missing file: %s\n", mlirModuleIsNull(missing) ? "null" : "module");
  report("import", mlirLogicalResultFailure(), &count);

  MlirModule module = llmImportONNXFile(context, str(argv[1]));
  if (mlirModuleIsNull(module))
    return 1;
  report("bad pipeline",
         llmRunPassPipeline(module, str("canonicalize,no-such-pass")), &count);
  report("bad option",
         llmRunPipeline(module, str("llm-cpu-pipeline"),
                        str("target-cpu=not-a-cpu")),
         &count);
  report("not lowered",
         llmEmitArtifact(module, LLMArtifactObject, str("-"), str(""), -1),
         &count);
  report("passes", llmRunPassPipeline(module, str("canonicalize,cse")), &count);
  report("pipeline", llmRunPipeline(module, str("llm-cpu-pipeline"), str("")),
         &count);
  report("opt level",
         llmEmitArtifact(module, LLMArtifactLLVMIR, str("-"), str(""), 7),
         &count);
  report("kind",
         llmEmitArtifact(module, (LLMArtifactKind)42, str("-"), str(""), -1),
         &count);
  report("llvm ir to stdout",
         llmEmitArtifact(module, LLMArtifactLLVMIR, str("-"), str("host"), 0),
         &count);
  mlirModuleDestroy(module);
  mlirContextDestroy(context);
  return 0;
}
