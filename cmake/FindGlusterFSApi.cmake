# Finds libgfapi, which ships only a pkg-config file (glusterfs-api.pc).
#
# Result: the imported target GlusterFSApi::gfapi and GlusterFSApi_FOUND,
# GlusterFSApi_VERSION (the API version, 7.x for glusterfs 10). glfs.h
# itself defines _FILE_OFFSET_BITS 64 and _GNU_SOURCE, so the pkg-config
# flags (including glibc-internal __USE_* macros) are not needed.
include("${CMAKE_CURRENT_LIST_DIR}/gfbench_find_pkg_config.cmake")
gfbench_find_pkg_config(GlusterFSApi glusterfs-api glusterfs/api/glfs.h gfapi
                        GlusterFSApi::gfapi libglusterfs-dev)
