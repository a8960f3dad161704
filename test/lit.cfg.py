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

# RUN lines may start with `not` (LLVM's exit-status inverter); lit substitutes
# it only after a pipe, so LLVM's tool directory goes first on the tests' PATH.
config.environment["PATH"] = os.pathsep.join(
    [config.llvm_tools_dir, config.environment.get("PATH", "")])
config.substitutions.append(("%PATH%", config.environment["PATH"]))
config.substitutions.append(("%python", config.python_executable))
config.substitutions.append(("%llm_src_root", config.llm_src_root))
config.substitutions.append(("%llm_obj_root", config.llm_obj_root))
# Flags for C programs a test links against one of our (possibly
# sanitizer-instrumented) libraries: in the ASan + UBSan build they must link
# the sanitizer runtimes too.
config.substitutions.append(
    ("%sanitize_cflags", "-fsanitize=address,undefined"
     if getattr(config, "llm_sanitize", False) else ""))

llvm_config.with_system_environment(["HOME", "INCLUDE", "LIB", "TMP", "TEMP",
                                     "ASAN_OPTIONS", "UBSAN_OPTIONS"])
llvm_config.use_default_substitutions()

tool_dirs = [config.llm_tools_dir, config.llvm_tools_dir]
tools = [
    ToolSubst("llm-opt", unresolved="fatal"),
    ToolSubst("llm-run", unresolved="ignore"),
    ToolSubst("llm-run-cuda", unresolved="fatal"),
    ToolSubst("npu-sim", unresolved="fatal"),
    ToolSubst("llm-import-fuzzer", unresolved="ignore"),
    ToolSubst("llvm-objdump", unresolved="fatal"),
]
llvm_config.add_tool_substitutions(tools, tool_dirs)

# valgrind (memory checks of llm-run and compiled models) where installed;
# not in the ASan build (valgrind cannot run ASan-instrumented binaries, and
# ASan checks the same things there).
import shutil
if shutil.which("valgrind") and not getattr(config, "llm_sanitize", False):
    config.available_features.add("valgrind")

# The importer's libFuzzer target (built with -DLLM_BUILD_FUZZER=ON, as the
# sanitizer build does): test/fuzz runs it briefly.
if os.path.exists(os.path.join(config.llm_tools_dir, "llm-import-fuzzer")):
    config.available_features.add("llm-import-fuzzer")

# Host int8 instruction sets (tests that run VNNI / AMX code): the CPU
# flags Linux reports (avx512_vnni; amx_int8 also needs the kernel's AMX
# support, which /proc/cpuinfo only lists when it is there).
try:
    with open("/proc/cpuinfo") as cpuinfo:
        cpu_flags = set()
        for line in cpuinfo:
            if line.startswith("flags"):
                cpu_flags = set(line.split(":", 1)[1].split())
                break
except OSError:
    cpu_flags = set()
if "avx512_vnni" in cpu_flags:
    config.available_features.add("host-vnni")
if "amx_int8" in cpu_flags and "amx_tile" in cpu_flags:
    config.available_features.add("host-amx")

# The C compiler that builds programs against compiled models (C-ABI tests).
config.substitutions.append(
    ("%clang", os.path.join(config.llvm_tools_dir, "clang")))

# Execution tests (test/Integration): %cpu-lower takes the output of
# convert-transformer-to-linalg down to the LLVM dialect with upstream passes;
# %cpu-run runs its @main with MLIR's runner and printMemref* utilities.
# Swap %cpu-lower for the compiler's own CPU pipeline once it exists.
llm_opt = os.path.join(config.llm_tools_dir, "llm-opt")
cpu_lower_passes = [
    "one-shot-bufferize{bufferize-function-boundaries}",
    "buffer-deallocation-pipeline",
    "convert-bufferization-to-memref",
    "convert-linalg-to-loops",
    "convert-scf-to-cf",
    "expand-strided-metadata",
    "lower-affine",
    "convert-math-to-llvm",
    "convert-math-to-libm",
    "finalize-memref-to-llvm",
    "convert-arith-to-llvm",
    "convert-index-to-llvm",
    "convert-func-to-llvm",
    "convert-cf-to-llvm",
    "reconcile-unrealized-casts",
]
config.substitutions.append(
    ("%cpu-lower", "%s --pass-pipeline='builtin.module(%s)'"
     % (llm_opt, ",".join(cpu_lower_passes))))
llvm_lib_dir = os.path.join(os.path.dirname(config.llvm_tools_dir), "lib")
config.substitutions.append(
    ("%cpu-run", "%s -e main -entry-point-result=void -shared-libs=%s,%s"
     % (os.path.join(config.llvm_tools_dir, "mlir-runner"),
        os.path.join(llvm_lib_dir, "libmlir_runner_utils.so"),
        os.path.join(llvm_lib_dir, "libmlir_c_runner_utils.so"))))

# The CUDA toolkit (NVPTX target tests): `ptxas` where its PTX assembler is
# installed (%ptxas runs it), `libdevice` where its math library is (kernels
# calling math functions need it; --llm-nvptx-pipeline finds it there).
cuda_path = os.environ.get("CUDA_PATH") or "/usr/local/cuda"
ptxas = os.path.join(cuda_path, "bin", "ptxas")
if os.access(ptxas, os.X_OK):
    config.available_features.add("ptxas")
    config.substitutions.append(("%ptxas", ptxas))
if os.path.exists(os.path.join(cuda_path, "nvvm", "libdevice",
                               "libdevice.10.bc")):
    config.available_features.add("libdevice")
config.substitutions.append(("%node", "/usr/share/libonnx-testdata/data/node"))
