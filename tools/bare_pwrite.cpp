// gfbench-bare-pwrite: the floor gfbench's kernels are measured against.
// Nothing but libgfapi: glfs_new, glfs_init, then per pass a timed loop of
// glfs_pwrite (or glfs_pread) calls of one block size over the whole file,
// with exactly what gfbench's case does around it untimed: for --op write
// glfs_creat (O_EXCL) before and glfs_fsync, glfs_close after; for rewrite
// and read a file written once first, then per pass glfs_open before and
// (rewrite) glfs_fsync, glfs_close after. Prints each pass's rate and the
// median, in bytes per second.
//
//   gfbench-bare-pwrite --volume V --server HOST [--port 24007]
//                       --size BYTES --bs BYTES [--op write|rewrite|read]
//                       [--passes 5] [--path /f] [--buffer block|file] [--fini]
//
// --buffer block (the default) reuses one block-sized buffer, as gfbench,
// IOzone and fio do; --buffer file gives each record its own place in a
// buffer as large as the file (what gfbench did before it reused one).
// Two helpers for scripts that need a directory of their own on a volume
// (tools/compare-fio.sh gives fio one):
//   gfbench-bare-pwrite --volume V --server HOST --mkdir /dir
//   gfbench-bare-pwrite --volume V --server HOST --rmdir /dir
// --rmdir unlinks the regular files directly in /dir, then removes it.
//
//   gfbench-bare-pwrite --posix DIR --size BYTES --bs BYTES [--op ...] [--passes 5]
// does the same with open/pwrite/pread/fsync/close in a directory (a local
// one, or a FUSE mount): where a
// call costs a microsecond (tmpfs), what gfbench's own loop adds per record
// shows plainly instead of drowning in a volume's noise.
//
// glfs_fini takes a fixed ~10 s with libgfapi 10 (see docs/design.md): like
// gfbench, this program leaves the connection to the process exit unless
// --fini is given; every file is closed by then.

#include <glusterfs/api/glfs.h>

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace {

struct options {
  std::string volume;
  std::string server;
  int port = 24007;
  std::uint64_t size = 0;
  std::uint64_t block = 0;
  int passes = 5;
  std::string path;
  std::string op = "write";
  bool file_buffer = false;
  bool fini = false;
  std::string mkdir_path;
  std::string rmdir_path;
  std::string posix_dir;  // a local directory instead of a volume
};

[[noreturn]] void usage(const char* message) {
  std::fprintf(stderr,
               "gfbench-bare-pwrite: %s\n"
               "usage: gfbench-bare-pwrite --volume V --server HOST [--port N] --size BYTES "
               "--bs BYTES [--op write|rewrite|read] [--passes N] [--path /file] "
               "[--buffer block|file] [--fini]\n"
               "       gfbench-bare-pwrite --posix DIR --size BYTES --bs BYTES "
               "[--op write|rewrite|read] [--passes N] [--buffer block|file]\n"
               "       gfbench-bare-pwrite --volume V --server HOST [--port N] "
               "(--mkdir /dir | --rmdir /dir)\n",
               message);
  std::exit(2);
}

[[noreturn]] void fail(const char* call, const std::string& what) {
  const int e = errno;
  std::fprintf(stderr, "gfbench-bare-pwrite: %s %s: %s\n", call, what.c_str(), std::strerror(e));
  std::exit(1);
}

std::uint64_t parse_bytes(std::string_view text) {
  std::uint64_t scale = 1;
  const auto ends = [&](std::string_view s) {
    if (text.size() > s.size() && text.substr(text.size() - s.size()) == s) {
      text.remove_suffix(s.size());
      return true;
    }
    return false;
  };
  if (ends("KiB")) {
    scale = 1ull << 10;
  } else if (ends("MiB")) {
    scale = 1ull << 20;
  } else if (ends("GiB")) {
    scale = 1ull << 30;
  }
  char* end = nullptr;
  const std::string digits(text);
  const unsigned long long value = std::strtoull(digits.c_str(), &end, 10);
  if (digits.empty() || *end != '\0' || value == 0) usage("sizes are positive numbers, e.g. 4KiB");
  return value * scale;
}

options parse(int argc, char** argv) {
  options o;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    const auto value = [&]() -> std::string {
      if (i + 1 >= argc) usage("a flag needs a value");
      return argv[++i];
    };
    if (arg == "--volume") {
      o.volume = value();
    } else if (arg == "--server") {
      o.server = value();
    } else if (arg == "--port") {
      o.port = std::atoi(value().c_str());
    } else if (arg == "--size") {
      o.size = parse_bytes(value());
    } else if (arg == "--bs") {
      o.block = parse_bytes(value());
    } else if (arg == "--passes") {
      o.passes = std::atoi(value().c_str());
    } else if (arg == "--path") {
      o.path = value();
    } else if (arg == "--op") {
      o.op = value();
      if (o.op != "write" && o.op != "rewrite" && o.op != "read") {
        usage("--op is write, rewrite or read");
      }
    } else if (arg == "--buffer") {
      const std::string b = value();
      if (b != "file" && b != "block") usage("--buffer is file or block");
      o.file_buffer = b == "file";
    } else if (arg == "--fini") {
      o.fini = true;
    } else if (arg == "--posix") {
      o.posix_dir = value();
    } else if (arg == "--mkdir") {
      o.mkdir_path = value();
    } else if (arg == "--rmdir") {
      o.rmdir_path = value();
    } else {
      usage(("unknown argument " + std::string(arg)).c_str());
    }
  }
  if (o.posix_dir.empty() && (o.volume.empty() || o.server.empty())) {
    usage("--volume and --server (or --posix DIR) are required");
  }
  if (!o.mkdir_path.empty() || !o.rmdir_path.empty()) {
    if (!o.posix_dir.empty()) usage("--mkdir and --rmdir are for volumes");
    return o;
  }
  if (o.size == 0 || o.block == 0) usage("--size and --bs are required");
  if (o.size % o.block != 0) usage("--bs must divide --size");
  if (o.passes < 1) usage("--passes must be at least 1");
  if (o.path.empty()) o.path = "/gfbench-bare-pwrite-" + std::to_string(::getpid());
  if (!o.posix_dir.empty()) o.path = o.posix_dir + o.path;
  return o;
}

glfs_t* connect(const options& o) {
  glfs_t* fs = glfs_new(o.volume.c_str());
  if (fs == nullptr) fail("glfs_new", o.volume);
  if (glfs_set_volfile_server(fs, "tcp", o.server.c_str(), o.port) != 0) {
    fail("glfs_set_volfile_server", o.server);
  }
  if (glfs_set_logging(fs, "/dev/null", 4) != 0) fail("glfs_set_logging", "/dev/null");
  if (glfs_init(fs) != 0) fail("glfs_init", o.volume);
  return fs;
}

void remove_directory(glfs_t* fs, const std::string& dir) {
  glfs_fd_t* d = glfs_opendir(fs, dir.c_str());
  if (d == nullptr) fail("glfs_opendir", dir);
  std::vector<std::string> files;
  while (const struct dirent* e = glfs_readdir(d)) {
    if (e->d_type == DT_REG) files.emplace_back(e->d_name);
  }
  glfs_closedir(d);
  for (const auto& f : files) {
    const std::string p = dir + "/" + f;
    if (glfs_unlink(fs, p.c_str()) != 0) fail("glfs_unlink", p);
  }
  if (glfs_rmdir(fs, dir.c_str()) != 0) fail("glfs_rmdir", dir);
}

// A file through libgfapi or through POSIX calls, the two back ends the
// passes run on; every call checks its result and exits on failure.
struct gfapi_files {
  glfs_t* fs;
  std::string path;
  glfs_fd_t* open(int flags) const {
    glfs_fd_t* fd = (flags & O_CREAT) != 0 ? glfs_creat(fs, path.c_str(), flags, 0644)
                                           : glfs_open(fs, path.c_str(), flags);
    if (fd == nullptr) fail("glfs_open", path);
    return fd;
  }
  void pwrite(glfs_fd_t* fd, const unsigned char* data, std::uint64_t n, std::uint64_t off) const {
    if (glfs_pwrite(fd, data, n, static_cast<off_t>(off), 0, nullptr, nullptr) !=
        static_cast<ssize_t>(n)) {
      fail("glfs_pwrite", path);
    }
  }
  void pread(glfs_fd_t* fd, unsigned char* data, std::uint64_t n, std::uint64_t off) const {
    if (glfs_pread(fd, data, n, static_cast<off_t>(off), 0, nullptr) != static_cast<ssize_t>(n)) {
      fail("glfs_pread", path);
    }
  }
  void fsync(glfs_fd_t* fd) const {
    if (glfs_fsync(fd, nullptr, nullptr) != 0) fail("glfs_fsync", path);
  }
  void close(glfs_fd_t* fd) const {
    if (glfs_close(fd) != 0) fail("glfs_close", path);
  }
  void unlink() const {
    if (glfs_unlink(fs, path.c_str()) != 0) fail("glfs_unlink", path);
  }
};

struct posix_files {
  std::string path;
  int open(int flags) const {
    const int fd = ::open(path.c_str(), flags | O_CLOEXEC, 0644);
    if (fd < 0) fail("open", path);
    return fd;
  }
  void pwrite(int fd, const unsigned char* data, std::uint64_t n, std::uint64_t off) const {
    if (::pwrite(fd, data, n, static_cast<off_t>(off)) != static_cast<ssize_t>(n)) {
      fail("pwrite", path);
    }
  }
  void pread(int fd, unsigned char* data, std::uint64_t n, std::uint64_t off) const {
    if (::pread(fd, data, n, static_cast<off_t>(off)) != static_cast<ssize_t>(n)) {
      fail("pread", path);
    }
  }
  void fsync(int fd) const {
    if (::fsync(fd) != 0) fail("fsync", path);
  }
  void close(int fd) const {
    if (::close(fd) != 0) fail("close", path);
  }
  void unlink() const {
    if (::unlink(path.c_str()) != 0) fail("unlink", path);
  }
};

// The passes of --op, the same for both back ends. write: per pass create
// (untimed), the timed pwrite loop, fsync and close (untimed), unlink.
// rewrite and read: the file is written once first (untimed); per pass
// open (untimed), the timed pwrite or pread loop, then fsync (rewrite) and
// close (untimed); the file goes at the end. Returns each pass's rate.
template <class Files>
std::vector<double> run_passes(const options& o, const Files& files) {
  // Any bytes will do (no layer compresses); touched once, before timing.
  std::vector<unsigned char> buffer(o.file_buffer ? o.size : o.block);
  std::uint64_t x = 0x6261726570777274ULL;
  for (auto& b : buffer) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    b = static_cast<unsigned char>(x >> 56);
  }
  const auto record = [&](std::uint64_t off) { return buffer.data() + (o.file_buffer ? off : 0); };
  if (o.op != "write") {
    auto fd = files.open(O_WRONLY | O_CREAT | O_EXCL);
    for (std::uint64_t off = 0; off < o.size; off += o.block) {
      files.pwrite(fd, record(off), o.block, off);
    }
    files.fsync(fd);
    files.close(fd);
  }
  std::vector<double> rates;
  for (int pass = 0; pass < o.passes; ++pass) {
    auto fd = files.open(o.op == "write"     ? O_WRONLY | O_CREAT | O_EXCL
                         : o.op == "rewrite" ? O_WRONLY
                                             : O_RDONLY);
    const auto start = std::chrono::steady_clock::now();
    if (o.op == "read") {
      for (std::uint64_t off = 0; off < o.size; off += o.block) {
        files.pread(fd, record(off), o.block, off);
      }
    } else {
      for (std::uint64_t off = 0; off < o.size; off += o.block) {
        files.pwrite(fd, record(off), o.block, off);
      }
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (o.op != "read") files.fsync(fd);
    files.close(fd);
    if (o.op == "write") files.unlink();
    const double rate = static_cast<double>(o.size) / seconds;
    rates.push_back(rate);
    std::printf("pass %d: %llu bytes in %.6f s: bytes_per_second %.0f (%.1f MiB/s)\n", pass + 1,
                static_cast<unsigned long long>(o.size), seconds, rate, rate / (1 << 20));
  }
  if (o.op != "write") files.unlink();
  return rates;
}

void print_median(std::vector<double> rates) {
  std::sort(rates.begin(), rates.end());
  const std::size_t n = rates.size();
  const double median = n % 2 ? rates[n / 2] : (rates[n / 2 - 1] + rates[n / 2]) / 2;
  std::printf("median bytes_per_second %.0f (%.1f MiB/s) over %zu passes\n", median,
              median / (1 << 20), n);
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  const options o = parse(argc, argv);
  // A local directory: the floor of gfbench's POSIX target, and a measure
  // of what gfbench's own loop costs per record where each call is cheap.
  if (!o.posix_dir.empty()) {
    print_median(run_passes(o, posix_files{o.path}));
    return 0;
  }
  glfs_t* fs = connect(o);
  if (!o.mkdir_path.empty()) {
    if (glfs_mkdir(fs, o.mkdir_path.c_str(), 0755) != 0) fail("glfs_mkdir", o.mkdir_path);
    return 0;
  }
  if (!o.rmdir_path.empty()) {
    remove_directory(fs, o.rmdir_path);
    return 0;
  }
  print_median(run_passes(o, gfapi_files{fs, o.path}));
  if (o.fini) glfs_fini(fs);
  return 0;
}
