#pragma once
// The client volfile a connection runs on (glfs_get_volfile), whole: what
// brick health and the client graph (gfbench/client_graph.hpp) read.

#include <string>

namespace gfbench::detail {

struct connection;

/// The volfile text, waiting up to 10 s for libgfapi to hold it (it keeps
/// it only after glfs_init returned). Throws io_error (ENODATA: none after
/// 10 s; EAGAIN: it kept changing while it was read).
[[nodiscard]] std::string fetch_client_volfile(const connection& c);

}  // namespace gfbench::detail
