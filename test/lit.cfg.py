# lit configuration of the LLM compiler's test suite.
#
# Tests are .mlir, .onnxtxt and .py files under test/; they run our tools
# (llm-opt, ...) from the build tree and FileCheck from LLVM 22.

import os

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "LLM"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".onnxtxt", ".test"]
config.excludes = ["CMakeLists.txt", "README.md", "lit.cfg.py",
                   "lit.site.cfg.py", "Inputs", "unit", "models"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.llm_obj_root, "test")

config.substitutions.append(("%PATH%", config.environment["PATH"]))
config.substitutions.append(("%python", config.python_executable))
config.substitutions.append(("%llm_src_root", config.llm_src_root))

llvm_config.with_system_environment(["HOME", "INCLUDE", "LIB", "TMP", "TEMP",
                                     "ASAN_OPTIONS", "UBSAN_OPTIONS"])
llvm_config.use_default_substitutions()

tool_dirs = [config.llm_tools_dir, config.llvm_tools_dir]
tools = [
    ToolSubst("llm-opt", unresolved="fatal"),
]
llvm_config.add_tool_substitutions(tools, tool_dirs)
