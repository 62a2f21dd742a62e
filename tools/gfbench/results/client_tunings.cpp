#include "results/client_tunings.hpp"

#include <cstddef>

namespace gfbench::app {
namespace {

// Why O_DIRECT does not reach the bricks through a client with `t`.
std::string o_direct_lost(const client_tuning& t) {
  std::string why;
  if (t.write_behind && !t.strict_o_direct) {
    why =
        "write-behind ignores it (performance.strict-o-direct off), so a write can complete from "
        "the client's memory";
  }
  if (t.remote_dio) {
    if (!why.empty()) why += "; ";
    why +=
        "network.remote-dio on strips it before the bricks (the virt group sets it), so the "
        "bricks write through their page cache";
  }
  return why;
}

}  // namespace

const char* client_kind_name(client_kind kind) noexcept {
  switch (kind) {
    case client_kind::gfapi:
      return "gfapi";
    case client_kind::gluster_fuse:
      return "gluster-fuse";
    case client_kind::other:
      break;
  }
  return "other";
}

std::string format_client_tunings(const std::vector<target_client>& clients, bool direct) {
  if (clients.empty()) return {};
  std::size_t width = 0;
  for (const auto& c : clients) width = std::max(width, c.target.size());
  const auto label = [width](const std::string& target) {
    return "  " + target + std::string(width - target.size() + 2, ' ');
  };

  std::string out = "client graphs, as each target's client runs them:\n";
  for (const auto& c : clients) {
    out += label(c.target);
    if (c.tuning) {
      out += c.tuning->describe();
      if (!c.source_note.empty()) out += " (" + c.source_note + ")";
    } else if (c.kind == client_kind::other) {
      out += "not a Gluster client";
    } else {
      out += "not known: " + c.unknown_reason;
    }
    out += "\n";
  }
  if (!direct) return out;

  out += "--direct, whether O_DIRECT reached the bricks:\n";
  for (const auto& c : clients) {
    out += label(c.target);
    if (!c.tuning) {
      out += c.kind == client_kind::other
                 ? "not a Gluster client: as its file system honours O_DIRECT"
                 : "not known, the client's graph could not be read";
    } else if (c.tuning->o_direct_reaches_bricks()) {
      out += "yes";
    } else {
      out += "no: " + o_direct_lost(*c.tuning) +
             "; for the bricks' own figures set performance.strict-o-direct on and "
             "network.remote-dio off";
    }
    out += "\n";
  }
  return out;
}

}  // namespace gfbench::app
