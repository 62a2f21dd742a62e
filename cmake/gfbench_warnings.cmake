# gfbench_set_warnings(target): the warning set every gfbench target builds with.
function(gfbench_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow
                         -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
                         -Wformat=2)
  # GCC 12 at -O3 (Release) warns about `"x" + std::string` in libstdc++'s
  # own inlined code (-Wrestrict false positive, GCC bug 105329, fixed in
  # GCC 13); with -Werror that fails Release builds of correct code.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_compile_options(${target} PRIVATE -Wno-restrict)
  endif()
  if(GFBENCH_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
