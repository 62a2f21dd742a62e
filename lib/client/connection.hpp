#pragma once
// One libgfapi connection (a glfs_t) and the process-wide table that shares
// it between every handle opened with the same options.

#include <glusterfs/api/glfs.h>

#include <chrono>
#include <memory>
#include <string>

#include "gfbench/volume.hpp"

namespace gfbench::detail {

struct connection {
  connection(volume_options opts, glfs_t* handle, std::chrono::nanoseconds took) noexcept;
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;
  /// Runs glfs_fini, which blocks for about 10 s on libgfapi 10.
  ~connection();

  const volume_options options;
  glfs_t* const fs;
  const std::chrono::nanoseconds connect_duration;
};

/// A live connection for these options, made now or shared with handles
/// that already hold one.
std::shared_ptr<connection> acquire_connection(const volume_options& options);

/// Throws io_error with the volume's name for a failed call without a path.
[[noreturn]] void throw_volume_error(int errno_value, const connection& c, const char* operation,
                                     std::string_view path = {}, std::string hint = {});

}  // namespace gfbench::detail
