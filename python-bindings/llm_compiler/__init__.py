"""The LLM compiler from Python.

Imports ONNX models into the compiler's transformer dialect, prints and
parses MLIR, runs passes and pipelines by name, writes CPU artifacts, and
compiles models for the host CPU to run them on numpy arrays::

    import numpy as np
    import llm_compiler as llm

    module = llm.import_onnx("model.onnx")
    model = llm.compile(module)              # target="cpu"
    (y,) = model(x=np.ones((2, 4), np.float32))

Errors that MLIR reports raise CompilerError (a RuntimeError) whose
``diagnostics`` lists them. The extension module is ``_llm_compiler``
(python-bindings/LLMCompilerModule.cpp); docs/embedding.md has the details.
"""

from ._llm_compiler import (
    CompilerError,
    Context,
    CPUModel,
    Module,
    __version__,
    compile,
    import_onnx,
)

__all__ = [
    "CompilerError",
    "Context",
    "CPUModel",
    "Module",
    "__version__",
    "compile",
    "import_onnx",
]
