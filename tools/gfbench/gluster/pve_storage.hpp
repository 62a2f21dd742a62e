#pragma once
// Proxmox VE's storage configuration (/etc/pve/storage.cfg): gfbench reads
// it so that `gfbench --pve-storage ID` reaches a glusterfs storage exactly
// as Proxmox does.
//
// The file is a list of stanzas, each a "TYPE: ID" line followed by
// indented "key value" lines and ended by a blank line; '#' starts a
// comment line:
//
//   glusterfs: GlusterFS
//           server 192.168.1.1
//           server2 192.168.1.2
//           volume gfs-volume-proxmox
//           content images,iso,vztmpl
//           maxfiles 1
//
// How Proxmox reaches such a storage (PVE::Storage::GlusterfsPlugin): the
// volfile server is `server` (localhost when there is none), with `server2`
// as the backup when `server` does not answer; `transport` tcp (the
// default), rdma or unix. gfbench passes server and then server2 to
// libgfapi as volfile servers, which tries them in that order.

#include <cstddef>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gfbench/volume.hpp"

namespace gfbench::app {

/// storage.cfg cannot give the storage asked for; `what()` names the file,
/// the storage and what was found instead.
class pve_storage_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Where Proxmox VE keeps it (pmxcfs, the cluster file system).
inline constexpr std::string_view default_pve_storage_config = "/etc/pve/storage.cfg";

/// One stanza of storage.cfg.
struct pve_storage_entry {
  std::string type{};    ///< "glusterfs", "dir", "nfs", ...
  std::string id{};      ///< the storage ID, e.g. "GlusterFS"
  std::size_t line = 0;  ///< of its "TYPE: ID" line, 1-based
  /// In file order; a key without a value (a flag such as "disable") has "".
  std::vector<std::pair<std::string, std::string>> properties{};

  /// The value of `key`, or null when the stanza has no such line.
  [[nodiscard]] const std::string* find(std::string_view key) const noexcept;
};

struct pve_storage_config {
  std::vector<pve_storage_entry> entries{};
  /// Lines Proxmox would ignore too (it warns about them), with their numbers.
  std::vector<std::string> warnings{};
};

/// Parses storage.cfg as Proxmox's SectionConfig does. `source` names the
/// text in messages. Throws pve_storage_error when an ID is defined twice.
[[nodiscard]] pve_storage_config parse_pve_storage_config(std::string_view text,
                                                          std::string_view source);

/// A glusterfs storage, as gfbench reaches it; or a dir storage whose path
/// is (to be checked: resolve_pve_dir_storage) on a GlusterFS FUSE mount, as
/// Proxmox VE 9, which has no glusterfs storage type, keeps VM images.
struct pve_gluster_storage {
  std::string id{};
  /// A dir storage: its path. The volume and servers are then the mount's.
  std::filesystem::path dir_path{};
  std::string volume{};
  /// server then server2 (tcp), or glusterd's socket (unix).
  std::vector<volfile_server> servers{};
  bool disabled = false;  ///< "disable" is set: Proxmox does not use it now
  std::string content{};  ///< e.g. "images,iso,vztmpl"; for the log
  /// What gfbench assumed or ignored, for the log (e.g. "no server line:
  /// using localhost, as Proxmox does").
  std::vector<std::string> notes{};
};

/// The glusterfs storage `id` of `config` (read from `source`). Throws
/// pve_storage_error when there is no storage `id` (the message lists the
/// IDs there are), when it is of another type than glusterfs or dir, is a
/// dir storage without a path, has no volume, has server2
/// but no server, or uses transport rdma (GlusterFS dropped RDMA in release
/// 8; Debian 12's libgfapi has none) or an unknown transport.
[[nodiscard]] pve_gluster_storage find_pve_gluster_storage(const pve_storage_config& config,
                                                           std::string_view id,
                                                           std::string_view source);

/// A dir storage (`dir_path` set): fills volume and servers from the
/// GlusterFS FUSE mount its path is on, read from `mountinfo` (the text of
/// /proc/self/mountinfo). Throws pve_storage_error when the path is on no
/// such mount. Other storages are left as they are.
void resolve_pve_dir_storage(pve_gluster_storage& storage, std::string_view mountinfo);

/// Reads `file` and finds the glusterfs storage `id` in it; the file's
/// ignored lines are added to the notes. Throws pve_storage_error, also
/// when the file cannot be read.
[[nodiscard]] pve_gluster_storage load_pve_gluster_storage(const std::filesystem::path& file,
                                                           std::string_view id);

}  // namespace gfbench::app
