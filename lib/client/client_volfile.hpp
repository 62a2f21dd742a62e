#pragma once
// The client volfile a connection runs on (glfs_get_volfile), whole: what
// brick health and the client graph (gfbench/client_graph.hpp) read.

#include <string>

namespace gfbench::detail {

struct connection;

/// The volfile text. Throws io_error (ENODATA: none yet; EAGAIN: it changed
/// while it was read).
[[nodiscard]] std::string fetch_client_volfile(const connection& c);

}  // namespace gfbench::detail
