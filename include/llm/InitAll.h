//===- InitAll.h - register the compiler's dialects and passes -*- C++ -*-===//
//
// One place that knows what the compiler registers: our dialects and passes,
// and the upstream dialects/passes our pipelines use. Tools (llm-opt,
// llm-run) and embedders call these instead of MLIR's InitAll*, which would
// pull in (and slow down the build with) every upstream dialect.
//
//===----------------------------------------------------------------------===//

#ifndef LLM_INITALL_H
#define LLM_INITALL_H

namespace mlir {
class DialectRegistry;
namespace llm {

/// Registers the transformer dialect and the upstream dialects (and their
/// external interface models) that the compiler's pipelines produce.
void registerAllDialects(DialectRegistry &registry);

/// Registers our passes and pipelines and the upstream passes they use, so
/// they are available to `--pass-pipeline` and as llm-opt flags.
void registerAllPasses();

} // namespace llm
} // namespace mlir

#endif // LLM_INITALL_H
