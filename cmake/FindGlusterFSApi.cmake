# Finds libgfapi, which ships only a pkg-config file (glusterfs-api.pc).
#
# Result: the imported target GlusterFSApi::gfapi and GlusterFSApi_FOUND,
# GlusterFSApi_VERSION (the API version, 7.x for glusterfs 10).
include(FindPackageHandleStandardArgs)
find_package(PkgConfig QUIET)
if(PkgConfig_FOUND)
  pkg_check_modules(PC_GLUSTERFS_API QUIET glusterfs-api)
endif()

find_path(GlusterFSApi_INCLUDE_DIR glusterfs/api/glfs.h
          HINTS ${PC_GLUSTERFS_API_INCLUDEDIR} ${PC_GLUSTERFS_API_INCLUDE_DIRS})
find_library(GlusterFSApi_LIBRARY gfapi
             HINTS ${PC_GLUSTERFS_API_LIBDIR} ${PC_GLUSTERFS_API_LIBRARY_DIRS})
set(GlusterFSApi_VERSION "${PC_GLUSTERFS_API_VERSION}")

find_package_handle_standard_args(GlusterFSApi
  REQUIRED_VARS GlusterFSApi_LIBRARY GlusterFSApi_INCLUDE_DIR
  VERSION_VAR GlusterFSApi_VERSION
  REASON_FAILURE_MESSAGE "install the Debian package libglusterfs-dev")

if(GlusterFSApi_FOUND AND NOT TARGET GlusterFSApi::gfapi)
  add_library(GlusterFSApi::gfapi UNKNOWN IMPORTED)
  # glfs.h itself defines _FILE_OFFSET_BITS 64 and _GNU_SOURCE, so the
  # pkg-config flags (including glibc-internal __USE_* macros) are not needed.
  set_target_properties(GlusterFSApi::gfapi PROPERTIES
    IMPORTED_LOCATION "${GlusterFSApi_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${GlusterFSApi_INCLUDE_DIR}")
endif()
mark_as_advanced(GlusterFSApi_INCLUDE_DIR GlusterFSApi_LIBRARY)
