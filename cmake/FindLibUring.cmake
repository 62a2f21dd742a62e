# Finds liburing (Debian: liburing-dev), io_uring's user-space library, which
# ships a pkg-config file (liburing.pc) but no CMake package.
#
# Result: the imported target LibUring::uring and LibUring_FOUND,
# LibUring_VERSION.
include(FindPackageHandleStandardArgs)
find_package(PkgConfig QUIET)
if(PkgConfig_FOUND)
  pkg_check_modules(PC_LIBURING QUIET liburing)
endif()

find_path(LibUring_INCLUDE_DIR liburing.h
          HINTS ${PC_LIBURING_INCLUDEDIR} ${PC_LIBURING_INCLUDE_DIRS})
find_library(LibUring_LIBRARY uring
             HINTS ${PC_LIBURING_LIBDIR} ${PC_LIBURING_LIBRARY_DIRS})
set(LibUring_VERSION "${PC_LIBURING_VERSION}")

find_package_handle_standard_args(LibUring
  REQUIRED_VARS LibUring_LIBRARY LibUring_INCLUDE_DIR
  VERSION_VAR LibUring_VERSION
  REASON_FAILURE_MESSAGE "install the Debian package liburing-dev")

if(LibUring_FOUND AND NOT TARGET LibUring::uring)
  add_library(LibUring::uring UNKNOWN IMPORTED)
  set_target_properties(LibUring::uring PROPERTIES
    IMPORTED_LOCATION "${LibUring_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${LibUring_INCLUDE_DIR}")
endif()
mark_as_advanced(LibUring_INCLUDE_DIR LibUring_LIBRARY)
