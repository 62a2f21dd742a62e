#pragma once
/// \file
/// How to reach a Gluster volume: its volfile servers, the client graph's
/// translator options, and everything else volume::connect needs. Plain
/// values, so that code which only describes a volume (a command line, a
/// Proxmox storage entry, a sandbox) needs no connection.

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace gfbench {

/// How a client reaches a volfile server (glusterd).
enum class transport_kind { tcp, unix_socket };

/// One volfile server. For `unix_socket` the host is the socket's path and
/// the port is unused.
struct volfile_server {
  transport_kind transport = transport_kind::tcp;
  std::string host{};
  std::uint16_t port = 24007;

  friend bool operator==(const volfile_server&, const volfile_server&) = default;
};

/// An option for one translator of the client graph, as
/// `glfs_set_xlator_option` takes it, e.g. {"*-write-behind", "flush-behind", "off"}.
struct xlator_option {
  std::string xlator{};
  std::string key{};
  std::string value{};

  friend bool operator==(const xlator_option&, const xlator_option&) = default;
};

/// Everything needed to connect to a volume.
struct volume_options {
  std::string volume{};
  /// Tried in order, as Proxmox's "server" then "second server": the first
  /// that answers gives the volume's layout. At least one is required.
  std::vector<volfile_server> servers{};
  /// libgfapi's own log. It never goes to the terminal; "/dev/null" drops it.
  std::string log_file = "/dev/null";
  /// libgfapi's log level: 0 none, 1 emergency, 2 alert, 3 critical,
  /// 4 error, 5 warning, 6 notice, 7 info, 8 debug, 9 trace.
  int log_level = 4;
  std::vector<xlator_option> xlator_options{};
  /// How long connecting may take. libgfapi's glfs_init can block with no
  /// limit (a server that accepts TCP and never answers, or an auth.reject
  /// rule), so gfbench gives up after this and throws ETIMEDOUT.
  std::chrono::milliseconds connect_timeout{10'000};
  /// Skip glfs_fini when the connection ends, saving its fixed ~10 s. Only
  /// for a process that is about to exit: the glfs_t and its threads are
  /// left to the exit, which closes the sockets. Data is safe once every
  /// file was closed (glfs_close waits for write-behind to flush) and, for
  /// durability, fsync'ed.
  bool skip_fini = false;
  /// Share the connection with other handles made with the same options
  /// (volume.hpp). False: a connection of its own, for a client that must
  /// start with empty caches.
  bool shared = true;
  /// Run glfs_fini on a thread of its own when the connection ends, so that
  /// the last handle's destructor does not wait ~10 s for it. For a
  /// connection made and dropped while a program goes on (skip_fini would
  /// leave its threads and memory behind for the rest of the run).
  bool fini_in_background = false;
};

}  // namespace gfbench
