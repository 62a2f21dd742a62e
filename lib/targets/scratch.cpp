#include "gfbench/scratch.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <ctime>
#include <random>
#include <stdexcept>
#include <thread>

#include "gfbench/error.hpp"
#include "util/log.hpp"

namespace gfbench {
namespace {

std::string unique_run_name() {
  char host[64] = "host";
  if (::gethostname(host, sizeof host - 1) != 0) std::snprintf(host, sizeof host, "host");
  host[sizeof host - 1] = '\0';
  std::string h(host);
  std::replace(h.begin(), h.end(), '/', '_');
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  ::gmtime_r(&now, &utc);
  char when[32];
  std::strftime(when, sizeof when, "%Y%m%dT%H%M%SZ", &utc);
  std::random_device entropy;
  char suffix[17];
  std::snprintf(suffix, sizeof suffix, "%08x%08x", entropy(), entropy());
  return "run-" + h + "-" + std::to_string(::getpid()) + "-" + when + "-" + suffix;
}

bool is_valid_name(std::string_view name) {
  return !name.empty() && name != "." && name != ".." && name.find('/') == std::string_view::npos;
}

}  // namespace

void validate_scratch_root(std::string_view root) {
  if (root.empty() || root.front() != '/') {
    throw std::invalid_argument("scratch directory '" + std::string(root) +
                                "' must be an absolute path inside the volume, e.g. /.gfbench");
  }
  std::size_t start = 1;
  while (start <= root.size()) {
    const auto end = std::min(root.find('/', start), root.size());
    const auto part = root.substr(start, end - start);
    if (part == "..") {
      throw std::invalid_argument("scratch directory '" + std::string(root) +
                                  "' must not contain '..': name a directory without it");
    }
    if (part == "." || (part.empty() && end < root.size())) {
      throw std::invalid_argument("scratch directory '" + std::string(root) +
                                  "' must be normalised (no '.', no '//')");
    }
    start = end + 1;
  }
}

scratch_area::scratch_area(target& where, std::string_view root) : where_(&where) {
  validate_scratch_root(root);
  const std::string name = unique_run_name();
  // A mount may still hold a scratch root that another client of the same
  // volume removed a moment ago (FUSE keeps a dentry for its entry timeout,
  // 1 s by default): the run directory's mkdir then fails with ESTALE, or
  // ENOENT once the mount looks again. The roots are then made again, after
  // the timeout has had time to pass.
  constexpr int attempts = 4;
  for (int attempt = 1;; ++attempt) {
    const std::string prefix = make_roots(where, root);
    path_ = prefix + "/" + name;
    try {
      where.mkdir(path_);  // EEXIST here would mean a name clash: never reuse
      break;
    } catch (const io_error& e) {
      const bool stale = e.errno_value() == ESTALE || e.errno_value() == ENOENT;
      if (!stale || attempt == attempts) throw;
      detail::logger().debug("scratch root on {} was stale ({}); looking again", where.describe(),
                             e.what());
      std::this_thread::sleep_for(std::chrono::milliseconds(400 * attempt));
    }
  }
  detail::logger().debug("scratch area {} on {}", path_, where.describe());
}

std::string scratch_area::make_roots(target& where, std::string_view root) {
  std::string prefix;
  std::size_t start = 1;
  while (start < root.size()) {
    const auto end = std::min(root.find('/', start), root.size());
    prefix += '/';
    prefix += root.substr(start, end - start);
    if (!where.exists(prefix)) {
      try {
        where.mkdir(prefix);
        if (std::find(created_roots_.begin(), created_roots_.end(), prefix) ==
            created_roots_.end()) {
          created_roots_.push_back(prefix);
        }
      } catch (const io_error& e) {
        // Another run may have made it in the meantime; that is fine.
        if (e.errno_value() != EEXIST) throw;
      }
    }
    if (where.stat(prefix).type != file_type::directory) {
      throw io_error(ENOTDIR, {.operation = "scratch",
                               .volume = where.describe(),
                               .path = prefix,
                               .hint = "the scratch root must be a directory"});
    }
    start = end + 1;
  }
  return prefix;
}

scratch_area::~scratch_area() {
  if (keep_ || removed_) return;
  try {
    remove();
  } catch (const std::exception& e) {
    detail::logger().error("could not remove scratch area {}: {}", path_, e.what());
  }
}

std::string scratch_area::file_path(std::string_view name) const {
  return path_ + "/" + std::string(name);
}

std::unique_ptr<target_file> scratch_area::create_file(std::string_view name,
                                                       open_options options) {
  if (!is_valid_name(name)) {
    throw std::invalid_argument("scratch file name '" + std::string(name) +
                                "' must be a plain name");
  }
  options.exclusive = true;  // never overwrite, whatever the caller asked
  auto f = where_->create(file_path(name), options);
  files_.emplace_back(name);
  return f;
}

bool scratch_area::has_file(std::string_view name) const {
  return std::find(files_.begin(), files_.end(), name) != files_.end();
}

void scratch_area::remove_file(std::string_view name) {
  const auto it = std::find(files_.begin(), files_.end(), name);
  if (it == files_.end()) {
    throw std::invalid_argument("'" + std::string(name) + "' was not created by scratch area " +
                                path_);
  }
  where_->unlink(file_path(name));
  files_.erase(it);
}

void scratch_area::remove() {
  if (removed_) return;
  std::optional<io_error> first;
  auto attempt = [&](auto&& step) {
    try {
      step();
    } catch (const io_error& e) {
      if (!first) first = e;
    }
  };
  for (const auto& name : files_) {
    attempt([&] {
      try {
        where_->unlink(file_path(name));
      } catch (const io_error& e) {
        if (e.errno_value() != ENOENT) throw;  // already gone is what we wanted
      }
    });
  }
  files_.clear();
  attempt([&] { where_->rmdir(path_); });
  // Root directories go only when this run made them and they are empty:
  // another run may be using them.
  for (auto it = created_roots_.rbegin(); it != created_roots_.rend(); ++it) {
    try {
      where_->rmdir(*it);
    } catch (const io_error&) {
      break;  // not empty (someone else's run) or gone: leave it and its parents
    }
  }
  created_roots_.clear();
  removed_ = true;
  if (first) throw *first;
}

}  // namespace gfbench
