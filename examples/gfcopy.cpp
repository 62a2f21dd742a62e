// gfcopy: copies a local file into a Gluster volume through libgfapi,
// printing progress and throughput. Shows the RAII API on its own:
// a shared connection, an exclusive create, whole-buffer writes, and fsync
// before the copy counts as done.
//
//   gfcopy SERVER[:PORT] VOLUME LOCAL_FILE /path/on/volume

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <gfbench/gfbench.hpp>
#include <iostream>
#include <string>
#include <vector>

namespace {

gfbench::volfile_server parse_server(const std::string& text) {
  gfbench::volfile_server server;
  const auto colon = text.rfind(':');
  server.host = text.substr(0, colon);
  if (colon != std::string::npos)
    server.port = static_cast<std::uint16_t>(std::stoi(text.substr(colon + 1)));
  return server;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) {
    std::cerr << "usage: gfcopy SERVER[:PORT] VOLUME LOCAL_FILE /path/on/volume\n";
    return 2;
  }
  std::ifstream in(argv[3], std::ios::binary);
  if (!in) {
    std::cerr << "gfcopy: cannot read " << argv[3] << "\n";
    return 1;
  }
  try {
    // The process exits right after the copy, so glfs_fini's fixed ~10 s
    // wait buys nothing: the file is fsync'ed and closed before that.
    auto vol = gfbench::volume::connect(
        {.volume = argv[2], .servers = {parse_server(argv[1])}, .skip_fini = true});
    auto out = vol.create(argv[4]);  // exclusive: never overwrites
    std::vector<std::byte> buffer(1 << 20);
    std::uint64_t copied = 0;
    const bool on_terminal = ::isatty(STDERR_FILENO) == 1;  // progress only for people
    const auto start = std::chrono::steady_clock::now();
    while (in.read(reinterpret_cast<char*>(buffer.data()),
                   static_cast<std::streamsize>(buffer.size())) ||
           in.gcount() > 0) {
      const auto n = static_cast<std::size_t>(in.gcount());
      out.pwrite_all(std::span(buffer).first(n), copied);
      copied += n;
      if (on_terminal)
        std::fprintf(stderr, "\r%llu MiB", static_cast<unsigned long long>(copied >> 20));
    }
    out.fsync();  // only now is the data on the bricks
    out.close();
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (on_terminal) std::fputs("\n", stderr);
    std::printf("copied %llu bytes to %s:%s in %.3f s (%.1f MiB/s)\n",
                static_cast<unsigned long long>(copied), argv[2], argv[4], seconds,
                static_cast<double>(copied) / (1 << 20) / (seconds > 0 ? seconds : 1));
    return 0;
  } catch (const gfbench::io_error& e) {  // says which call, volume, path and offset
    std::cerr << "gfcopy: " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {  // e.g. a port that is not a number
    std::cerr << "gfcopy: " << e.what() << "\n";
    return 2;
  }
}
