#pragma once
// The libgfapi calls of files and directories, behind one table of function
// pointers, so that a unit test can make any of them fail or fall short on
// demand: short transfers, EINTR, EIO on close, ENOSPC on create, a
// directory read that breaks off. Production code never changes it.

#include <glusterfs/api/glfs.h>

namespace gfbench::detail {

struct gfapi_seam {
  // Data.
  decltype(&::glfs_pwrite) pwrite = &::glfs_pwrite;
  decltype(&::glfs_pread) pread = &::glfs_pread;
  decltype(&::glfs_fsync) fsync = &::glfs_fsync;
  decltype(&::glfs_fdatasync) fdatasync = &::glfs_fdatasync;
  decltype(&::glfs_ftruncate) ftruncate = &::glfs_ftruncate;
  decltype(&::glfs_fallocate) fallocate = &::glfs_fallocate;
  decltype(&::glfs_fstat) fstat = &::glfs_fstat;
  decltype(&::glfs_close) close = &::glfs_close;
  // Asynchronous data (io_queue): the callback may run inside the call.
  decltype(&::glfs_preadv_async) preadv_async = &::glfs_preadv_async;
  decltype(&::glfs_pwritev_async) pwritev_async = &::glfs_pwritev_async;
  decltype(&::glfs_fsync_async) fsync_async = &::glfs_fsync_async;
  // Names.
  decltype(&::glfs_creat) creat = &::glfs_creat;
  decltype(&::glfs_open) open = &::glfs_open;
  decltype(&::glfs_stat) stat = &::glfs_stat;
  // Directories.
  decltype(&::glfs_opendir) opendir = &::glfs_opendir;
  decltype(&::glfs_readdir_r) readdir_r = &::glfs_readdir_r;
  decltype(&::glfs_closedir) closedir = &::glfs_closedir;
};

/// The table in use. Exported only so that the test suite can swap entries.
gfapi_seam& seam() noexcept;

}  // namespace gfbench::detail
