#include <glusterfs/api/glfs.h>

#include "client/client_volfile.hpp"

#include <fnmatch.h>

#include <cerrno>
#include <chrono>
#include <string>
#include <thread>

#include "client/connection.hpp"
#include "gfbench/client_graph.hpp"
#include "gfbench/volume.hpp"

namespace gfbench {
namespace detail {

std::string fetch_client_volfile(const connection& c) {
  glfs_t* fs = c.fs;
  // glfs_init returns once the graph is up, but libgfapi (10.3) keeps the
  // volfile's text only after that, in the same callback that built the
  // graph: right after glfs_init, or while a changed volfile is applied, the
  // text may be missing or change under the reader. Both pass within
  // milliseconds, so the reader waits for them, with a bound.
  constexpr auto patience = std::chrono::seconds(10);
  const auto deadline = std::chrono::steady_clock::now() + patience;
  for (;;) {
    // glfs_get_volfile copies `len` bytes whatever the volfile's length and
    // returns `len`: with a larger buffer it reads past the volfile into
    // whatever follows it on the heap. So it is first asked with len 0,
    // which returns minus the volfile's length, then with exactly that.
    char probe = 0;
    const ssize_t length = glfs_get_volfile(fs, &probe, 0);
    if (length < 0) {
      std::string volfile(static_cast<std::size_t>(-length), '\0');
      if (glfs_get_volfile(fs, volfile.data(), volfile.size()) ==
          static_cast<ssize_t>(volfile.size())) {
        if (const auto nul = volfile.find('\0'); nul != std::string::npos) volfile.resize(nul);
        return volfile;
      }
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      if (length >= 0) {
        throw_volume_error(ENODATA, c, "glfs_get_volfile", "/",
                           "the client had no volfile after 10 s");
      }
      throw_volume_error(EAGAIN, c, "glfs_get_volfile", "/",
                         "the volfile kept changing while it was read for 10 s; try again");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

}  // namespace detail

client_graph volume::graph() const {
  client_graph graph = parse_client_volfile(detail::fetch_client_volfile(*connection_));
  // glfs_get_volfile returns glusterd's text; the options this connection
  // set itself (glfs_set_xlator_option, matched by fnmatch on the name)
  // are not in it, but apply.
  for (const xlator_option& o : connection_->options.xlator_options) {
    for (translator& t : graph.translators) {
      if (::fnmatch(o.xlator.c_str(), t.name.c_str(), 0) == 0) t.options[o.key] = o.value;
    }
  }
  return graph;
}

}  // namespace gfbench
