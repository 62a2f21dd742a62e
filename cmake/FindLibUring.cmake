# Finds liburing (Debian: liburing-dev), io_uring's user-space library, which
# ships a pkg-config file (liburing.pc) but no CMake package.
#
# Result: the imported target LibUring::uring and LibUring_FOUND,
# LibUring_VERSION.
include("${CMAKE_CURRENT_LIST_DIR}/gfbench_find_pkg_config.cmake")
gfbench_find_pkg_config(LibUring liburing liburing.h uring LibUring::uring liburing-dev)
