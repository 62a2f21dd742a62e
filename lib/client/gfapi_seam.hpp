#pragma once
// The libgfapi calls that move data, behind one table of function pointers,
// so that tests can inject what a real volume rarely produces on demand:
// short transfers, EINTR, EIO on close. Production code never changes it.

#include <glusterfs/api/glfs.h>

#include "gfbench/export.hpp"

namespace gfbench::detail {

struct gfapi_seam {
  decltype(&::glfs_pwrite) pwrite = &::glfs_pwrite;
  decltype(&::glfs_pread) pread = &::glfs_pread;
  decltype(&::glfs_fsync) fsync = &::glfs_fsync;
  decltype(&::glfs_fdatasync) fdatasync = &::glfs_fdatasync;
  decltype(&::glfs_close) close = &::glfs_close;
};

/// The table in use. Exported only so that the test suite can swap entries.
GFBENCH_API gfapi_seam& seam() noexcept;

}  // namespace gfbench::detail
