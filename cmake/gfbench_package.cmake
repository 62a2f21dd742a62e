# Installs the CMake package (find_package(gfbench CONFIG)), the pkg-config
# file, and describes the .deb that CPack builds.
include(CMakePackageConfigHelpers)
set(gfbench_cmake_dir "${CMAKE_INSTALL_LIBDIR}/cmake/gfbench")

install(EXPORT gfbenchTargets NAMESPACE gfbench:: DESTINATION "${gfbench_cmake_dir}")
configure_package_config_file(
  "${PROJECT_SOURCE_DIR}/cmake/gfbenchConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/gfbenchConfig.cmake"
  INSTALL_DESTINATION "${gfbench_cmake_dir}")
write_basic_package_version_file(
  "${PROJECT_BINARY_DIR}/gfbenchConfigVersion.cmake"
  COMPATIBILITY SameMajorVersion)
install(FILES
  "${PROJECT_BINARY_DIR}/gfbenchConfig.cmake"
  "${PROJECT_BINARY_DIR}/gfbenchConfigVersion.cmake"
  "${PROJECT_SOURCE_DIR}/cmake/gfbench_find_pkg_config.cmake"
  "${PROJECT_SOURCE_DIR}/cmake/FindGlusterFSApi.cmake"
  "${PROJECT_SOURCE_DIR}/cmake/FindLibUring.cmake"
  "${PROJECT_SOURCE_DIR}/cmake/FindLibMount.cmake"
  DESTINATION "${gfbench_cmake_dir}")

# gfbench.pc finds the prefix from its own place (${pcfiledir}), so that it
# stays right for `cmake --install --prefix DIR` and for CPack's /usr, not
# only for the CMAKE_INSTALL_PREFIX configured.
file(RELATIVE_PATH gfbench_pc_prefix "/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/")
string(REGEX REPLACE "/$" "" gfbench_pc_prefix "${gfbench_pc_prefix}")
foreach(dir LIBDIR INCLUDEDIR)
  if(IS_ABSOLUTE "${CMAKE_INSTALL_${dir}}")
    set(gfbench_pc_${dir} "${CMAKE_INSTALL_${dir}}")
  else()
    set(gfbench_pc_${dir} "\${prefix}/${CMAKE_INSTALL_${dir}}")
  endif()
endforeach()
configure_file("${PROJECT_SOURCE_DIR}/cmake/gfbench.pc.in" "${PROJECT_BINARY_DIR}/gfbench.pc" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/gfbench.pc" DESTINATION "${CMAKE_INSTALL_LIBDIR}/pkgconfig")

set(CPACK_PACKAGE_NAME gfbench)
set(CPACK_PACKAGE_VENDOR "gfbench")
set(CPACK_PACKAGE_CONTACT "gfbench maintainers <gfbench@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_GENERATOR DEB)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
# Runtime libraries found by dpkg-shlibdeps; the -dev packages because the
# installed headers and CMake package need them to build against gfbench.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS 
    "libglusterfs-dev, libbenchmark-dev, libspdlog-dev, libpugixml-dev, liburing-dev")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "glusterfs-server, glusterfs-client, iproute2, fio, gnuplot-nox")
include(CPack)
