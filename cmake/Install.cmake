# Install rules: `cmake --install build --prefix P` installs the package an
# embedder finds with find_package(LLMCompiler) (docs/embedding.md):
#
#   P/include/llm/, P/include/llm-c/, P/include/Transformer/   headers (with
#                                        the generated .h.inc files)
#   P/lib/libLLMCompiler.so, P/lib/libLLMCompilerC.so
#   P/lib/cmake/LLMCompiler/             LLMCompilerConfig.cmake, its version
#                                        file and the exported targets
#   P/bin/llm-opt, P/bin/llm-run         the tools
#   P/lib/python/llm_compiler/           the Python package (when built)
#
# The static component libraries are build-internal (they are all inside
# libLLMCompiler.so), so add_mlir_library's own per-library install rules
# are switched off in the top-level CMakeLists.txt (LLVM_INSTALL_TOOLCHAIN_ONLY).
include(CMakePackageConfigHelpers)

set(LLM_INSTALL_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/LLMCompiler)

install(TARGETS LLMCompiler LLMCompilerC
  EXPORT LLMCompilerTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS llm-opt llm-run RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
set_target_properties(llm-opt llm-run PROPERTIES
  INSTALL_RPATH "${LLVM_LIBRARY_DIR}")

# Headers: the sources' and the generated ones (.h.inc), and the dialects'
# (included as "Transformer/IR/TransformerDialect.h").
foreach(root ${PROJECT_SOURCE_DIR} ${PROJECT_BINARY_DIR})
  install(DIRECTORY ${root}/include/ ${root}/dialects/
    DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
    FILES_MATCHING PATTERN "*.h" PATTERN "*.h.inc" PATTERN "*.td"
    PATTERN "CMakeFiles" EXCLUDE)
endforeach()

# The Python package, next to the libraries it links.
if(TARGET LLMCompilerPython)
  install(TARGETS LLMCompilerPython
    LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}/python/llm_compiler)
  install(FILES ${PROJECT_SOURCE_DIR}/python-bindings/llm_compiler/__init__.py
    DESTINATION ${CMAKE_INSTALL_LIBDIR}/python/llm_compiler)
endif()

install(EXPORT LLMCompilerTargets
  NAMESPACE LLMCompiler::
  DESTINATION ${LLM_INSTALL_CMAKE_DIR})
configure_package_config_file(
  ${PROJECT_SOURCE_DIR}/cmake/LLMCompilerConfig.cmake.in
  ${PROJECT_BINARY_DIR}/cmake/LLMCompilerConfig.cmake
  INSTALL_DESTINATION ${LLM_INSTALL_CMAKE_DIR}
  PATH_VARS CMAKE_INSTALL_INCLUDEDIR)
write_basic_package_version_file(
  ${PROJECT_BINARY_DIR}/cmake/LLMCompilerConfigVersion.cmake
  VERSION ${PROJECT_VERSION}
  COMPATIBILITY SameMinorVersion)
install(FILES
  ${PROJECT_BINARY_DIR}/cmake/LLMCompilerConfig.cmake
  ${PROJECT_BINARY_DIR}/cmake/LLMCompilerConfigVersion.cmake
  DESTINATION ${LLM_INSTALL_CMAKE_DIR})
