#pragma once
/// \file
/// Forwarding bases for targets and their files, as leveldb's EnvWrapper is
/// for its Env: a decorator (one that watches, records or faults calls)
/// derives from one and overrides only the calls it changes; every other
/// call goes to the wrapped object unchanged, including calls added to the
/// interface later.

#include <chrono>
#include <memory>
#include <utility>

#include "gfbench/target.hpp"

namespace gfbench {

/// A target_file that forwards every call to the file it owns.
class target_file_wrapper : public target_file {
 public:
  explicit target_file_wrapper(std::unique_ptr<target_file> inner) noexcept
      : inner_(std::move(inner)) {}

  void pwrite_all(std::span<const std::byte> data, std::uint64_t offset) override {
    inner_->pwrite_all(data, offset);
  }
  void pread_all(std::span<std::byte> buffer, std::uint64_t offset) override {
    inner_->pread_all(buffer, offset);
  }
  void fsync() override { inner_->fsync(); }
  file_status stat() override { return inner_->stat(); }
  void close() override { inner_->close(); }
  [[nodiscard]] std::unique_ptr<io_queue> open_queue(
      unsigned depth, std::chrono::milliseconds drain_timeout) override {
    return inner_->open_queue(depth, drain_timeout);
  }

  /// The wrapped file.
  [[nodiscard]] target_file& inner() const noexcept { return *inner_; }

 private:
  std::unique_ptr<target_file> inner_;
};

/// A target that forwards every call to another target (not owned; it
/// must outlive the wrapper).
class target_wrapper : public target {
 public:
  explicit target_wrapper(target& inner) noexcept : inner_(inner) {}

  [[nodiscard]] const std::string& label() const noexcept override { return inner_.label(); }
  [[nodiscard]] std::string describe() const override { return inner_.describe(); }
  [[nodiscard]] std::unique_ptr<target_file> create(std::string_view path,
                                                    const open_options& options) override {
    return inner_.create(path, options);
  }
  [[nodiscard]] std::unique_ptr<target_file> open(std::string_view path,
                                                  const open_options& options) override {
    return inner_.open(path, options);
  }
  void mkdir(std::string_view path) override { inner_.mkdir(path); }
  void unlink(std::string_view path) override { inner_.unlink(path); }
  void rmdir(std::string_view path) override { inner_.rmdir(path); }
  [[nodiscard]] bool exists(std::string_view path) override { return inner_.exists(path); }
  [[nodiscard]] file_status stat(std::string_view path) override { return inner_.stat(path); }
  [[nodiscard]] std::vector<dir_entry> list(std::string_view path) override {
    return inner_.list(path);
  }
  [[nodiscard]] space_info statvfs() override { return inner_.statvfs(); }
  [[nodiscard]] std::unique_ptr<target_file> open_cold(std::string_view path,
                                                       const open_options& options) override {
    return inner_.open_cold(path, options);
  }
  [[nodiscard]] std::unique_ptr<target_file> open_uncached(std::string_view path,
                                                           const open_options& options) override {
    return inner_.open_uncached(path, options);
  }
  void rename(std::string_view from, std::string_view to) override { inner_.rename(from, to); }
  void chmod(std::string_view path, unsigned permissions) override {
    inner_.chmod(path, permissions);
  }
  void set_xattr(std::string_view path, std::string_view name,
                 std::span<const std::byte> value) override {
    inner_.set_xattr(path, name, value);
  }
  [[nodiscard]] std::vector<std::byte> get_xattr(std::string_view path,
                                                 std::string_view name) override {
    return inner_.get_xattr(path, name);
  }
  [[nodiscard]] std::vector<dir_entry_status> list_with_status(std::string_view path) override {
    return inner_.list_with_status(path);
  }
  [[nodiscard]] std::unique_ptr<target> cold_view() override { return inner_.cold_view(); }
  [[nodiscard]] std::optional<brick_status> health() override { return inner_.health(); }

  /// The wrapped target.
  [[nodiscard]] target& inner() const noexcept { return inner_; }

 private:
  target& inner_;
};

}  // namespace gfbench
