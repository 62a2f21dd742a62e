#include <glusterfs/api/glfs.h>

#include <optional>
#include <string>

#include "gfbench/target.hpp"

namespace gfbench {
namespace {

class gfapi_file final : public target_file {
 public:
  explicit gfapi_file(file f) : file_(std::move(f)) {}
  void pwrite_all(std::span<const std::byte> data, std::uint64_t offset) override {
    file_.pwrite_all(data, offset);
  }
  void pread_all(std::span<std::byte> buffer, std::uint64_t offset) override {
    file_.pread_all(buffer, offset);
  }
  void fsync() override { file_.fsync(); }
  file_status stat() override { return file_.stat(); }
  void close() override { file_.close(); }
  std::unique_ptr<io_queue> open_queue(unsigned depth,
                                       std::chrono::milliseconds drain_timeout) override {
    return file_.open_queue(depth, drain_timeout);
  }

 private:
  file file_;
};

class gfapi_target final : public target {
 public:
  gfapi_target(volume vol, std::string label) : volume_(std::move(vol)), label_(std::move(label)) {}

  const std::string& label() const noexcept override { return label_; }
  std::string describe() const override { return "volume " + volume_.name() + " (libgfapi)"; }

  std::unique_ptr<target_file> create(std::string_view path, const open_options& options) override {
    return std::make_unique<gfapi_file>(volume_.create(path, options));
  }
  std::unique_ptr<target_file> open(std::string_view path, const open_options& options) override {
    return std::make_unique<gfapi_file>(volume_.open(path, options));
  }
  void mkdir(std::string_view path) override { volume_.mkdir(path); }
  void unlink(std::string_view path) override { volume_.unlink(path); }
  void rmdir(std::string_view path) override { volume_.rmdir(path); }
  bool exists(std::string_view path) override { return volume_.exists(path); }
  file_status stat(std::string_view path) override { return volume_.stat(path); }
  std::vector<dir_entry> list(std::string_view path) override { return volume_.list(path); }
  space_info statvfs() override { return volume_.statvfs("/"); }
  // libgfapi has no public call that empties a client graph's caches, so a
  // cold read goes through a client that holds nothing of the file: this
  // one when its graph keeps no file data, else a new connection of its own
  // with the same graph (about 7 ms, untimed), whose glfs_fini runs in the
  // background once the file is closed.
  std::unique_ptr<target_file> open_cold(std::string_view path,
                                         const open_options& options) override {
    if (!tuning().caches_data(volume_.stat(path).size)) return open(path, options);
    volume_options fresh = volume_.options();
    fresh.shared = false;
    fresh.skip_fini = false;
    fresh.fini_in_background = true;
    return std::make_unique<gfapi_file>(volume::connect(fresh).open(path, options));
  }
  // Every performance translator passed through: no read-ahead, no cache.
  // That connection is made once, on the first uncached read.
  std::unique_ptr<target_file> open_uncached(std::string_view path,
                                             const open_options& options) override {
    if (!uncached_) uncached_ = volume::connect(uncached_volume_options(volume_.options()));
    return std::make_unique<gfapi_file>(uncached_->open(path, options));
  }
  std::optional<brick_status> health() override { return volume_.bricks(); }

  void rename(std::string_view from, std::string_view to) override { volume_.rename(from, to); }
  void chmod(std::string_view path, unsigned permissions) override {
    volume_.chmod(path, permissions);
  }
  void set_xattr(std::string_view path, std::string_view name,
                 std::span<const std::byte> value) override {
    volume_.set_xattr(path, name, {reinterpret_cast<const char*>(value.data()), value.size()});
  }
  std::vector<std::byte> get_xattr(std::string_view path, std::string_view name) override {
    return volume_.get_xattr(path, name);
  }
  std::vector<dir_entry_status> list_with_status(std::string_view path) override {
    return volume_.list_with_status(path);
  }
  // A client that has seen none of the files: a new connection with the
  // same graph (about 7 ms), whose md-cache, nl-cache and quick-read hold
  // nothing yet. Its glfs_fini runs in the background when the view goes.
  std::unique_ptr<target> cold_view() override {
    volume_options fresh = volume_.options();
    fresh.shared = false;
    fresh.skip_fini = false;
    fresh.fini_in_background = true;
    return std::make_unique<gfapi_target>(volume::connect(fresh), label_);
  }

 private:
  const client_tuning& tuning() {
    if (!tuning_) tuning_ = tuning_of(volume_.graph());
    return *tuning_;
  }

  volume volume_;
  std::string label_;
  std::optional<volume> uncached_;
  std::optional<client_tuning> tuning_;
};

}  // namespace

// Xlator names are "<volume>-<type>", matched with fnmatch. "pass-through"
// makes a performance translator forward every call untouched; quick-read
// has no such switch, but with max-file-size 0 it caches nothing. Options for
// translators a volume does not load are ignored.
//
// Checked against glusterfs 10.3: each of these seven translators declares
// "pass-through" and reads it in init (STACK_WIND then skips a pass-through
// translator altogether); quick-read's max-file-size has minimum 0 and
// fetches no content at lookup when it is 0. glfs_init succeeds with all of
// them, and the client log shows them applied to the graph. On 10.3's
// default client graph (write-behind, open-behind, quick-read, md-cache,
// io-threads; io-cache and read-ahead are off) nothing caches file data
// above quick-read's 64 KiB, so warm gfapi reads reach the bricks as well:
// the cold connection matters where a volume turns caches on.
std::vector<xlator_option> uncached_xlator_options() {
  return {{"*-io-cache", "pass-through", "true"},      {"*-read-ahead", "pass-through", "true"},
          {"*-readdir-ahead", "pass-through", "true"}, {"*-open-behind", "pass-through", "true"},
          {"*-md-cache", "pass-through", "true"},      {"*-nl-cache", "pass-through", "true"},
          {"*-write-behind", "pass-through", "true"},  {"*-quick-read", "max-file-size", "0"}};
}

volume_options uncached_volume_options(const volume_options& base) {
  volume_options o = base;
  for (auto& x : uncached_xlator_options()) o.xlator_options.push_back(std::move(x));
  return o;
}

std::unique_ptr<target> make_gfapi_target(volume vol, std::string label) {
  return std::make_unique<gfapi_target>(std::move(vol), std::move(label));
}

}  // namespace gfbench
