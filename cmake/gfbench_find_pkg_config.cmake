# gfbench_find_pkg_config(<Package> <pc-module> <header> <library> <target> <debian-package>)
#
# The body of a Find module for a C library that ships a pkg-config file but
# no CMake package (libgfapi, liburing, libmount): finds its header and
# library (hinted by pkg-config where it is there), sets <Package>_FOUND and
# <Package>_VERSION, and makes the imported target <target>. A macro, so that
# what it sets is the calling Find module's.
include_guard(GLOBAL)
include(FindPackageHandleStandardArgs)

macro(gfbench_find_pkg_config package module header library target debian_package)
  find_package(PkgConfig QUIET)
  if(PkgConfig_FOUND)
    pkg_check_modules(PC_${package} QUIET ${module})
  endif()
  find_path(${package}_INCLUDE_DIR ${header}
            HINTS ${PC_${package}_INCLUDEDIR} ${PC_${package}_INCLUDE_DIRS})
  find_library(${package}_LIBRARY ${library}
               HINTS ${PC_${package}_LIBDIR} ${PC_${package}_LIBRARY_DIRS})
  set(${package}_VERSION "${PC_${package}_VERSION}")
  find_package_handle_standard_args(${package}
    REQUIRED_VARS ${package}_LIBRARY ${package}_INCLUDE_DIR
    VERSION_VAR ${package}_VERSION
    REASON_FAILURE_MESSAGE "install the Debian package ${debian_package}")
  if(${package}_FOUND AND NOT TARGET ${target})
    add_library(${target} UNKNOWN IMPORTED)
    set_target_properties(${target} PROPERTIES
      IMPORTED_LOCATION "${${package}_LIBRARY}"
      INTERFACE_INCLUDE_DIRECTORIES "${${package}_INCLUDE_DIR}")
  endif()
  mark_as_advanced(${package}_INCLUDE_DIR ${package}_LIBRARY)
endmacro()
