#pragma once
// Making a gfbench::file around an open libgfapi fd: what volume does after
// glfs_open or glfs_creat, and what the tests do around a fake connection.
// Not part of the API: a file's connection and fd are the library's.

#include <memory>
#include <string>
#include <utility>

#include "gfbench/file.hpp"

namespace gfbench::detail {

struct file_access {
  [[nodiscard]] static file make(std::shared_ptr<connection> c, glfs_fd* fd, std::string path,
                                 access_mode access) noexcept {
    return file(std::move(c), fd, std::move(path), access);
  }
};

}  // namespace gfbench::detail
