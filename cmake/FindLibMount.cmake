# Finds libmount (Debian: libmount-dev, util-linux's), which reads the
# kernel's mount table, and ships a pkg-config file (mount.pc) but no CMake
# package.
#
# Result: the imported target LibMount::mount and LibMount_FOUND,
# LibMount_VERSION.
include("${CMAKE_CURRENT_LIST_DIR}/gfbench_find_pkg_config.cmake")
gfbench_find_pkg_config(LibMount mount libmount/libmount.h mount LibMount::mount libmount-dev)
