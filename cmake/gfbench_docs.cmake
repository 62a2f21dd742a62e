# The `docs` target: the API reference of include/gfbench, made by Doxygen
# into <build>/docs/html, with warnings as errors. Not part of `all`, and
# optional: without doxygen the target only says how to get it. CI does not
# build it (Debian's doxygen pulls in about 190 MB of LLVM libraries for a
# two-second job); run it when the public headers' comments change.
# A doxygen found by an earlier configure and removed since would make
# FindDoxygen fail the whole configure: forget it and look again.
if(DOXYGEN_EXECUTABLE AND NOT EXISTS "${DOXYGEN_EXECUTABLE}")
  unset(DOXYGEN_EXECUTABLE CACHE)
endif()
find_package(Doxygen QUIET)
set(GFBENCH_DOCS_OUTPUT "${PROJECT_BINARY_DIR}/docs")
if(DOXYGEN_FOUND)
  configure_file("${PROJECT_SOURCE_DIR}/docs/Doxyfile.in" "${PROJECT_BINARY_DIR}/Doxyfile" @ONLY)
  add_custom_target(docs
    COMMAND "${CMAKE_COMMAND}" -E make_directory "${GFBENCH_DOCS_OUTPUT}"
    COMMAND Doxygen::doxygen "${PROJECT_BINARY_DIR}/Doxyfile"
    COMMAND "${CMAKE_COMMAND}" -E echo "API reference: ${GFBENCH_DOCS_OUTPUT}/html/index.html"
    WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}"
    COMMENT "Doxygen: API reference of include/gfbench"
    VERBATIM)
else()
  add_custom_target(docs
    COMMAND "${CMAKE_COMMAND}" -E echo
            "docs: doxygen not found; apt-get install doxygen, then configure again"
    COMMAND "${CMAKE_COMMAND}" -E false
    VERBATIM)
endif()
