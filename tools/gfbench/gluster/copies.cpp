#include "gluster/copies.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include "common/app_log.hpp"
#include "util/mix.hpp"

namespace gfbench::app {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t chunk_bytes = 1 << 20;

// A file opened for reading, closed on every path out.
class reader {
 public:
  explicit reader(const fs::path& path) : fd_(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {
    if (fd_ < 0) {
      throw std::runtime_error("cannot open " + path.string() + ": " + std::strerror(errno));
    }
  }
  ~reader() { ::close(fd_); }
  reader(const reader&) = delete;
  reader& operator=(const reader&) = delete;

  // Up to `n` bytes at `offset`; fewer only at the end of the file.
  std::size_t read_at(char* into, std::size_t n, std::uint64_t offset, const fs::path& path) {
    std::size_t got = 0;
    while (got < n) {
      const ssize_t r = ::pread(fd_, into + got, n - got, static_cast<off_t>(offset + got));
      if (r < 0 && errno == EINTR) continue;
      if (r < 0) {
        throw std::runtime_error("cannot read " + path.string() + ": " + std::strerror(errno));
      }
      if (r == 0) break;
      got += static_cast<std::size_t>(r);
    }
    return got;
  }

 private:
  int fd_;
};

std::string brick_name(const sandbox_volume& v, std::size_t b) {
  return "brick " + std::to_string(b + 1) + " (" + v.bricks[b].host + ":" +
         v.bricks[b].path.string() + ")";
}

std::string record_text(std::uint64_t offset, std::uint64_t block_size) {
  if (block_size == 0) return "byte " + std::to_string(offset);
  return "byte " + std::to_string(offset) + ", record " + std::to_string(offset / block_size) +
         " of " + std::to_string(block_size) + " bytes";
}

std::uint64_t size_of(const fs::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    throw std::runtime_error("cannot stat " + path.string() + ": " + std::strerror(errno));
  }
  return static_cast<std::uint64_t>(st.st_size);
}

std::optional<std::string> xattr(const fs::path& path, const char* name) {
  std::array<char, 256> value{};
  const ssize_t n = ::lgetxattr(path.c_str(), name, value.data(), value.size());
  if (n < 0) return std::nullopt;
  return std::string(value.data(), static_cast<std::size_t>(n));
}

// A DHT link file points to the brick that holds the data: not a copy.
bool is_link_file(const fs::path& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) return false;
  return (st.st_mode & S_ISVTX) != 0 && st.st_size == 0 &&
         xattr(path, "trusted.glusterfs.dht.linkto").has_value();
}

bool holds(const fs::path& path) {
  std::error_code ec;
  return fs::is_regular_file(path, ec) && !is_link_file(path);
}

// The first byte where two copies differ, or nullopt when they are equal
// (same size, same bytes).
std::optional<std::uint64_t> first_difference(const fs::path& a, const fs::path& b) {
  const std::uint64_t size_a = size_of(a);
  const std::uint64_t size_b = size_of(b);
  reader ra(a), rb(b);
  std::vector<char> buf_a(chunk_bytes), buf_b(chunk_bytes);
  const std::uint64_t common = std::min(size_a, size_b);
  for (std::uint64_t offset = 0; offset < common; offset += chunk_bytes) {
    const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(chunk_bytes, common - offset));
    const std::size_t got_a = ra.read_at(buf_a.data(), n, offset, a);
    const std::size_t got_b = rb.read_at(buf_b.data(), n, offset, b);
    const std::size_t got = std::min(got_a, got_b);
    const auto [ia, ib] =
        std::mismatch(buf_a.begin(), buf_a.begin() + static_cast<long>(got), buf_b.begin());
    if (ia != buf_a.begin() + static_cast<long>(got)) {
      return offset + static_cast<std::uint64_t>(ia - buf_a.begin());
    }
    if (got < n) return offset + got;  // one ended early: it shrank meanwhile
  }
  if (size_a != size_b) return common;
  return std::nullopt;
}

// "12345678-..." from the 16 bytes of trusted.gfid.
std::string gfid_text(const std::string& raw) {
  std::string out;
  char hex[3];
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    std::snprintf(hex, sizeof hex, "%02x", static_cast<unsigned char>(raw[i]));
    out += hex;
  }
  return out;
}

std::uint64_t big_endian(const std::string& raw) {
  std::uint64_t value = 0;
  for (const char c : raw.substr(0, 8)) value = (value << 8) | static_cast<unsigned char>(c);
  return value;
}

// The replica sets of a replicated (or arbiter) volume: per set, its data
// bricks and its arbiter, if any.
struct replica_set {
  std::vector<std::size_t> data;
  std::optional<std::size_t> arbiter;
};

std::vector<replica_set> replica_sets(const sandbox_volume& v) {
  std::vector<replica_set> sets;
  const auto per_set = static_cast<std::size_t>(std::max(v.replica, 1));
  for (std::size_t first = 0; first < v.bricks.size(); first += per_set) {
    replica_set set;
    for (std::size_t b = first; b < std::min(first + per_set, v.bricks.size()); ++b) {
      set.data.push_back(b);
    }
    if (v.layout == volume_layout::arbiter && set.data.size() > 1) {
      set.arbiter = set.data.back();
      set.data.pop_back();
    }
    sets.push_back(std::move(set));
  }
  return sets;
}

// Compares the copies of one file (`relative` to the brick roots) in every
// set that holds it; `base` is where the file starts in the volume's file
// (a shard's offset). Returns how many copies were compared.
std::size_t compare_in_sets(const sandbox_volume& v, const std::vector<replica_set>& sets,
                            const fs::path& relative, std::uint64_t base, std::uint64_t block_size,
                            const std::string& what) {
  std::size_t compared = 0;
  for (const replica_set& set : sets) {
    std::vector<std::size_t> holding;
    for (const std::size_t b : set.data) {
      if (holds(v.bricks[b].path / relative)) holding.push_back(b);
    }
    if (holding.empty()) continue;
    for (const std::size_t b : set.data) {
      if (std::find(holding.begin(), holding.end(), b) == holding.end()) {
        throw std::runtime_error(brick_name(v, b) + " has no copy of " + what + ", which " +
                                 brick_name(v, holding.front()) + " holds");
      }
    }
    if (set.arbiter && !fs::exists(v.bricks[*set.arbiter].path / relative)) {
      throw std::runtime_error("the arbiter " + brick_name(v, *set.arbiter) + " has no entry for " +
                               what);
    }
    const fs::path first = v.bricks[holding.front()].path / relative;
    for (std::size_t k = 1; k < holding.size(); ++k) {
      const fs::path other = v.bricks[holding[k]].path / relative;
      if (const auto at = first_difference(first, other)) {
        const std::uint64_t size_first = size_of(first);
        const std::uint64_t size_other = size_of(other);
        std::string how = size_first != size_other && *at == std::min(size_first, size_other)
                              ? " in size (" + std::to_string(size_first) + " and " +
                                    std::to_string(size_other) + " bytes)"
                              : " at " + record_text(base + *at, block_size);
        throw std::runtime_error("the copies of " + what + " on " + brick_name(v, holding.front()) +
                                 " and " + brick_name(v, holding[k]) + " differ" + how);
      }
    }
    compared += holding.size();
  }
  return compared;
}

std::string compare_replicas(const sandbox_volume& v, const fs::path& relative,
                             const std::string& file, std::uint64_t block_size) {
  const auto sets = replica_sets(v);
  const std::size_t copies = compare_in_sets(v, sets, relative, 0, block_size, file);
  if (copies == 0) throw std::runtime_error("no brick holds a copy of " + file);
  // A sharded file (features.shard, which group=virt turns on) keeps its
  // first block under its name and the rest as .shard/<gfid>.N, each
  // placed on a replica set of its own.
  std::optional<std::string> gfid, shard_size;
  for (const replica_set& set : sets) {
    for (const std::size_t b : set.data) {
      const fs::path path = v.bricks[b].path / relative;
      if (!holds(path)) continue;
      gfid = xattr(path, "trusted.gfid");
      shard_size = xattr(path, "trusted.glusterfs.shard.block-size");
      break;
    }
    if (gfid) break;
  }
  std::size_t shards = 0, shard_copies = 0;
  if (gfid && shard_size) {
    const std::string prefix = gfid_text(*gfid) + ".";
    std::set<std::string> names;
    for (const auto& brick : v.bricks) {
      std::error_code ec;
      for (fs::directory_iterator it(brick.path / ".shard", ec), end; !ec && it != end;
           it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.starts_with(prefix)) names.insert(name);
      }
    }
    const std::uint64_t shard_bytes = big_endian(*shard_size);
    for (const std::string& name : names) {
      const std::uint64_t index = std::strtoull(name.c_str() + prefix.size(), nullptr, 10);
      shard_copies += compare_in_sets(v, sets, fs::path(".shard") / name, index * shard_bytes,
                                      block_size, file + "'s shard " + name);
      ++shards;
    }
  }
  std::string verdict = std::to_string(copies) + " copies of " + file + " on the bricks compared";
  if (shards > 0) {
    verdict += ", with " + std::to_string(shards) + " shards (" + std::to_string(shard_copies) +
               " copies)";
  }
  return verdict + ": the same";
}

// Per record of `block_size` bytes, a hash of the file read through a
// FUSE mount; the last element is the size.
std::vector<std::uint64_t> record_hashes(const fs::path& path, std::uint64_t block_size) {
  const std::uint64_t size = size_of(path);
  reader r(path);
  const std::size_t record = block_size > 0 && block_size <= chunk_bytes
                                 ? static_cast<std::size_t>(block_size)
                                 : std::size_t{4096};
  std::vector<char> buf(chunk_bytes - chunk_bytes % record);
  std::vector<std::uint64_t> hashes;
  for (std::uint64_t offset = 0; offset < size; offset += buf.size()) {
    const std::size_t got = r.read_at(buf.data(), buf.size(), offset, path);
    for (std::size_t at = 0; at < got; at += record) {
      std::uint64_t h = 0;
      const std::size_t end = std::min(got, at + record);
      std::size_t i = at;
      for (; i + 8 <= end; i += 8) {
        std::uint64_t word;
        std::memcpy(&word, buf.data() + i, 8);
        h = detail::mix(h ^ word);
      }
      for (; i < end; ++i) h = detail::mix(h ^ static_cast<unsigned char>(buf[i]));
      hashes.push_back(h);
    }
    if (got < buf.size()) break;
  }
  hashes.push_back(size);
  return hashes;
}

// Waits (bounded) until each brick has as many clients as `before`: after
// a brick was killed and started, every client that used it reconnects.
void wait_clients_back(sandbox& box, const std::string& volume,
                       const std::vector<std::size_t>& before) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  for (;;) {
    const auto now = box.brick_clients(volume);
    bool back = now.size() == before.size();
    for (std::size_t b = 0; back && b < now.size(); ++b) back = now[b] >= before[b];
    if (back) return;
    if (std::chrono::steady_clock::now() >= until) {
      logger().warn("not every client of {} reconnected to its bricks within 60 s", volume);
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
}

// Whether a FUSE mount's client of brick `index` is connected, as its
// meta xlator shows it (.meta/graphs/active/VOL-client-N/private).
bool mount_connected_to(const fs::path& mount, const std::string& volume, std::size_t index) {
  std::ifstream in(mount / ".meta" / "graphs" / "active" /
                   (volume + "-client-" + std::to_string(index)) / "private");
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("connected")) return line.ends_with("= 1");
  }
  return false;
}

// Waits (bounded) until a new mount is connected to every brick but
// `down`. The mount answers as soon as a disperse set has as many bricks
// as it has data fragments; a read before it reached the others can meet
// a brick it never connected to and fail, which is not what is compared.
void wait_mount_connected(const fs::path& mount, const sandbox_volume& v,
                          std::optional<std::size_t> down) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  for (;;) {
    std::string missing;
    for (std::size_t b = 0; b < v.bricks.size(); ++b) {
      if (b != down && !mount_connected_to(mount, v.name, b)) {
        missing += (missing.empty() ? "" : ", ") + brick_name(v, b);
      }
    }
    if (missing.empty()) return;
    if (std::chrono::steady_clock::now() >= until) {
      throw std::runtime_error("a new mount of " + v.name + " is not connected to " + missing +
                               " after 60 s");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

// What a brick's fragment of a disperse file says of the file: its data
// and metadata versions and its size, which a write updates on every brick
// it reached.
std::string fragment_state(const fs::path& fragment) {
  const auto version = xattr(fragment, "trusted.ec.version");
  const auto size = xattr(fragment, "trusted.ec.size");
  if (!version || version->size() < 16 || !size) return "no version or size";
  return "version " + std::to_string(big_endian(*version)) + "." +
         std::to_string(big_endian(version->substr(8))) + ", size " +
         std::to_string(big_endian(*size));
}

// Reads with a brick down compare fragments only if every brick's fragment
// describes the same file. Where they do not (a write that reached some
// bricks: a client that exited before its last update, flush-behind's
// among them), self-heal decides, and a read that needs the lagging brick
// fails: that is said, not read.
void require_fragments_agree(const sandbox_volume& v, const std::string& file) {
  const fs::path relative = fs::path(file).relative_path();
  const std::string first = fragment_state(v.bricks[0].path / relative);
  for (std::size_t b = 1; b < v.bricks.size(); ++b) {
    const std::string state = fragment_state(v.bricks[b].path / relative);
    if (state != first) {
      throw std::runtime_error("the fragments of " + file + " disagree (" + brick_name(v, 0) +
                               ": " + first + "; " + brick_name(v, b) + ": " + state +
                               "): it needs self-heal before its copies can be compared");
    }
  }
}

std::string compare_disperse(sandbox& box, const std::string& volume, const std::string& file,
                             std::uint64_t block_size) {
  const sandbox_volume& v = box.volume_info(volume);
  require_fragments_agree(v, file);
  const auto clients_before = box.brick_clients(volume);
  const auto read_through_new_mount = [&](std::optional<std::size_t> down) {
    const fs::path mount = box.fuse_mount(volume);
    try {
      wait_mount_connected(mount, v, down);
      auto hashes = record_hashes(mount / fs::path(file).relative_path(), block_size);
      box.unmount(mount);
      return hashes;
    } catch (...) {
      box.unmount(mount);
      throw;
    }
  };
  const auto all_up = read_through_new_mount(std::nullopt);
  const std::uint64_t record = block_size > 0 && block_size <= chunk_bytes ? block_size : 4096;
  for (std::size_t b = 0; b < v.bricks.size(); ++b) {
    box.kill_brick(volume, b);
    std::vector<std::uint64_t> without;
    try {
      without = read_through_new_mount(b);
    } catch (const std::exception& e) {
      box.restart_bricks(volume);
      throw std::runtime_error(file + " cannot be read with " + brick_name(v, b) +
                               " down: " + e.what());
    }
    box.restart_bricks(volume);
    // The brick is back only once every client reconnected to it: the next
    // brick down with this one not yet reconnected would leave one of three.
    wait_clients_back(box, volume, clients_before);
    if (without.back() != all_up.back()) {
      throw std::runtime_error(file + " read with " + brick_name(v, b) + " down has " +
                               std::to_string(without.back()) + " bytes, with every brick " +
                               std::to_string(all_up.back()));
    }
    const auto a = std::mismatch(all_up.begin(), all_up.end() - 1, without.begin()).first;
    if (a != all_up.end() - 1) {
      const auto at = static_cast<std::uint64_t>(a - all_up.begin()) * record;
      throw std::runtime_error(file + " read with " + brick_name(v, b) +
                               " down differs from the read with every brick at " +
                               record_text(at, record));
    }
  }
  wait_clients_back(box, volume, clients_before);
  return file + " read through a new client with each of the " + std::to_string(v.bricks.size()) +
         " bricks down in turn: the same every time";
}

}  // namespace

std::string compare_copies(sandbox& box, const std::string& volume, const std::string& file,
                           std::uint64_t block_size) {
  const sandbox_volume& v = box.volume_info(volume);
  const fs::path relative = fs::path(file).relative_path();
  if (v.layout == volume_layout::disperse) return compare_disperse(box, volume, file, block_size);
  if (v.replica < 2) {
    const std::size_t copies = compare_in_sets(v, replica_sets(v), relative, 0, block_size, file);
    if (copies == 0) throw std::runtime_error("no brick holds " + file);
    return file + " has one copy (the volume keeps one)";
  }
  return compare_replicas(v, relative, file, block_size);
}

}  // namespace gfbench::app
