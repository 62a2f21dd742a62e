#include "gluster/pve_storage.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <system_error>

#include "gluster/mounts.hpp"
#include "util/text.hpp"

namespace gfbench::app {

namespace {

constexpr std::string_view glusterd_socket = "/var/run/glusterd.socket";
constexpr std::string_view whitespace = " \t\r";

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r'; }

std::string single_quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// "GlusterFS (glusterfs), local (dir)"
std::string list_ids(const std::vector<pve_storage_entry>& entries, std::string_view only_type) {
  std::string out;
  for (const auto& e : entries) {
    if (!only_type.empty() && e.type != only_type) continue;
    if (!out.empty()) out += ", ";
    out += e.id;
    if (only_type.empty()) out += " (" + e.type + ")";
  }
  return out;
}

// "TYPE: ID" with nothing else on the line; as Proxmox's ^(\S+):\s*(\S+)\s*$.
bool parse_header(std::string_view line, std::string& type, std::string& id) {
  if (line.empty() || is_space(line.front())) return false;
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  const std::string_view t = line.substr(0, colon);
  if (t.find_first_of(whitespace) != std::string_view::npos) return false;
  const std::string_view rest = detail::trim(line.substr(colon + 1));
  if (rest.empty() || rest.find_first_of(whitespace) != std::string_view::npos) return false;
  type = std::string(t);
  id = std::string(rest);
  return true;
}

// An indented "key value" line, as ^\s+(\S+)(\s+(.*\S))?\s*$.
bool parse_property(std::string_view line, std::string& key, std::string& value) {
  if (line.empty() || !is_space(line.front())) return false;
  const std::string_view body = detail::trim(line);
  if (body.empty()) return false;
  const std::size_t gap = body.find_first_of(whitespace);
  key = std::string(body.substr(0, gap));
  value =
      gap == std::string_view::npos ? std::string() : std::string(detail::trim(body.substr(gap)));
  return true;
}

// A server as storage.cfg has it: a host name, an IPv4 address, or an IPv6
// address with or without brackets; never a port (Proxmox has none).
volfile_server tcp_server(std::string_view host) {
  volfile_server server;
  server.transport = transport_kind::tcp;
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  server.host = std::string(host);
  return server;
}

// The value of `key`, or null when the stanza has no such line or it is
// empty.
const std::string* find_non_empty(const pve_storage_entry& e, std::string_view key) {
  const std::string* value = e.find(key);
  return value != nullptr && !value->empty() ? value : nullptr;
}

// There is no storage `id`: a near miss in case, and the IDs there are.
std::string no_storage_message(const std::vector<pve_storage_entry>& entries, std::string_view id,
                               std::string_view source) {
  std::string message = "no storage " + single_quoted(id) + " in " + std::string(source);
  const auto similar = std::find_if(entries.begin(), entries.end(),
                                    [&](const auto& e) { return lower(e.id) == lower(id); });
  if (similar != entries.end()) message += "; did you mean " + single_quoted(similar->id) + "?";
  message += entries.empty() ? "; it defines no storage at all"
                             : "; the storages there are: " + list_ids(entries, {});
  return message;
}

// A dir storage: its path, to be resolved to the GlusterFS FUSE mount it is
// on (resolve_pve_dir_storage).
pve_gluster_storage dir_storage(const pve_storage_entry& e, const std::string& where) {
  const std::string* path = e.find("path");
  if (path == nullptr || path->empty() || path->front() != '/') {
    throw pve_storage_error(where + " is a dir storage without an absolute path line");
  }
  pve_gluster_storage storage;
  storage.id = e.id;
  storage.dir_path = *path;
  if (const std::string* content = e.find("content")) storage.content = *content;
  storage.disabled = e.find("disable") != nullptr;
  return storage;
}

// Transport tcp: server (localhost without one), then server2 unless it is
// the same.
void add_tcp_servers(pve_gluster_storage& storage, const std::string* server,
                     const std::string* server2) {
  if (server != nullptr) {
    storage.servers.push_back(tcp_server(*server));
  } else {
    storage.servers.push_back(tcp_server("localhost"));
    storage.notes.push_back("no server line: using localhost, as Proxmox does");
  }
  if (server2 != nullptr) {
    const volfile_server backup = tcp_server(*server2);
    if (backup == storage.servers.front()) {
      storage.notes.push_back("server2 is the same as server: used once");
    } else {
      storage.servers.push_back(backup);
    }
  }
}

// Transport unix. A unix socket reaches the local glusterd only. Proxmox's
// server line then names a host; a path there is taken as the socket.
void add_unix_server(pve_gluster_storage& storage, const std::string* server,
                     const std::string* server2) {
  volfile_server local;
  local.transport = transport_kind::unix_socket;
  local.port = 0;
  local.host = server != nullptr && server->front() == '/' ? *server : std::string(glusterd_socket);
  storage.servers.push_back(local);
  if (server != nullptr && server->front() != '/') {
    storage.notes.push_back(
        "transport unix: connecting through glusterd's socket " + local.host + "; server " +
        *server + (server2 != nullptr ? " and server2 " + *server2 : std::string()) + " not used");
  }
}

// A glusterfs storage: its volume, and its volfile servers as Proxmox
// reaches them over its transport.
pve_gluster_storage glusterfs_storage(const pve_storage_entry& e, const std::string& where) {
  pve_gluster_storage storage;
  storage.id = e.id;
  const std::string* volume = find_non_empty(e, "volume");
  if (volume == nullptr) {
    throw pve_storage_error(where +
                            " has no volume line (e.g. \"volume gfs-volume-proxmox\"); "
                            "Proxmox needs it as well");
  }
  storage.volume = *volume;
  if (const std::string* content = e.find("content")) storage.content = *content;
  storage.disabled = e.find("disable") != nullptr;

  const std::string* transport = find_non_empty(e, "transport");
  const std::string kind = transport != nullptr ? *transport : "tcp";
  const std::string* server = find_non_empty(e, "server");
  const std::string* server2 = find_non_empty(e, "server2");
  if (server2 != nullptr && server == nullptr) {
    throw pve_storage_error(where + " has server2 (" + *server2 +
                            ") but no server; Proxmox requires server with server2");
  }

  if (kind == "rdma") {
    throw pve_storage_error(
        where +
        " uses transport rdma, which gfbench does not support: GlusterFS dropped RDMA in "
        "release 8 and Debian 12's libgfapi has no rdma transport. Measure it over tcp "
        "with --volume " +
        storage.volume + " --server " + (server != nullptr ? *server : std::string("localhost")));
  }
  if (kind == "tcp") {
    add_tcp_servers(storage, server, server2);
  } else if (kind == "unix") {
    add_unix_server(storage, server, server2);
  } else {
    throw pve_storage_error(where + " has transport " + single_quoted(kind) +
                            "; Proxmox knows tcp, rdma and unix");
  }
  if (storage.disabled) {
    storage.notes.push_back("the storage is disabled in Proxmox (disable); measuring it anyway");
  }
  return storage;
}

}  // namespace

const std::string* pve_storage_entry::find(std::string_view key) const noexcept {
  for (const auto& [k, v] : properties) {
    if (k == key) return &v;
  }
  return nullptr;
}

pve_storage_config parse_pve_storage_config(std::string_view text, std::string_view source) {
  pve_storage_config config;
  std::map<std::string, std::size_t> seen;  // id -> line
  pve_storage_entry* current = nullptr;
  std::size_t number = 0;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = text.find('\n', start);
    const std::string_view line =
        text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    start = end == std::string_view::npos ? text.size() + 1 : end + 1;
    ++number;

    const std::string_view content = detail::trim(line);
    if (content.empty()) {
      current = nullptr;  // a blank line ends a stanza
      continue;
    }
    if (content.front() == '#') continue;

    std::string type, id, key, value;
    if (current == nullptr) {
      if (!parse_header(line, type, id)) {
        config.warnings.push_back(std::string(source) + " line " + std::to_string(number) +
                                  ": ignored, not a 'TYPE: ID' line: " + std::string(content));
        continue;
      }
      const auto [it, fresh] = seen.emplace(id, number);
      if (!fresh) {
        throw pve_storage_error(std::string(source) + ": storage " + single_quoted(id) +
                                " is defined twice (lines " + std::to_string(it->second) + " and " +
                                std::to_string(number) + ")");
      }
      config.entries.push_back({std::move(type), std::move(id), number, {}});
      current = &config.entries.back();
      continue;
    }
    if (parse_property(line, key, value)) {
      current->properties.emplace_back(std::move(key), std::move(value));
    } else {
      config.warnings.push_back(
          std::string(source) + " line " + std::to_string(number) +
          ": ignored, not an indented 'key value' line: " + std::string(content));
    }
  }
  return config;
}

pve_gluster_storage find_pve_gluster_storage(const pve_storage_config& config, std::string_view id,
                                             std::string_view source) {
  const auto& entries = config.entries;
  const auto it = std::find_if(entries.begin(), entries.end(),
                               [&](const pve_storage_entry& e) { return e.id == id; });
  if (it == entries.end()) throw pve_storage_error(no_storage_message(entries, id, source));

  const pve_storage_entry& e = *it;
  const std::string where = "storage " + single_quoted(e.id) + " (" + std::string(source) +
                            " line " + std::to_string(e.line) + ")";
  if (e.type == "dir") return dir_storage(e, where);
  if (e.type != "glusterfs") {
    const std::string gluster_ids = list_ids(entries, "glusterfs");
    throw pve_storage_error(where + " is of type " + e.type +
                            ", not glusterfs (or dir, on a GlusterFS FUSE mount); gfbench "
                            "measures GlusterFS " +
                            (gluster_ids.empty() ? "storages, and there is no glusterfs one there"
                                                 : "storages, which there are: " + gluster_ids));
  }
  return glusterfs_storage(e, where);
}

pve_gluster_storage load_pve_gluster_storage(const std::filesystem::path& file,
                                             std::string_view id) {
  std::error_code ec;
  if (std::filesystem::is_directory(file, ec)) {
    throw pve_storage_error("cannot read the Proxmox storage configuration " + file.string() +
                            ": it is a directory; expected a file such as " +
                            std::string(default_pve_storage_config));
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    const int err = errno;
    std::string message = "cannot read the Proxmox storage configuration " + file.string() + ": " +
                          std::strerror(err != 0 ? err : ENOENT);
    if (file == default_pve_storage_config) {
      message +=
          "; it exists on Proxmox VE nodes (pmxcfs must be running). Elsewhere, copy it from a "
          "node and pass --pve-config FILE, or use --volume and --server";
    }
    throw pve_storage_error(message);
  }
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (in.bad()) {
    throw pve_storage_error("cannot read the Proxmox storage configuration " + file.string() +
                            ": read error");
  }
  const pve_storage_config config = parse_pve_storage_config(text, file.string());
  pve_gluster_storage storage = find_pve_gluster_storage(config, id, file.string());
  storage.notes.insert(storage.notes.end(), config.warnings.begin(), config.warnings.end());
  return storage;
}

void resolve_pve_dir_storage(pve_gluster_storage& storage, std::string_view mountinfo) {
  if (storage.dir_path.empty()) return;
  const auto mount = find_gluster_fuse_mount_in(mountinfo, storage.dir_path);
  if (!mount || mount->server.empty()) {
    throw pve_storage_error("storage " + single_quoted(storage.id) + " is a dir storage at " +
                            storage.dir_path.string() +
                            ", which is not on a GlusterFS FUSE mount (mount the volume there, "
                            "e.g. mount -t glusterfs HOST:/VOLUME " +
                            storage.dir_path.string() + ")");
  }
  storage.volume = mount->volume;
  storage.servers = {volfile_server{.host = mount->server}};
  storage.notes.push_back("a dir storage on the GlusterFS FUSE mount " +
                          mount->mount_point.string() + " of volume " + mount->volume + " (from " +
                          mount->server + "): measured through that mount and through libgfapi");
}

}  // namespace gfbench::app
