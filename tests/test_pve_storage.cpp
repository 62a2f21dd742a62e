// Proxmox VE's storage.cfg: parsing, and turning a glusterfs entry into the
// servers and volume gfbench connects to, as Proxmox does. Parsing only:
// the addresses in tests/data are never connected to.

#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "gluster/pve_storage.hpp"

using Catch::Matchers::Contains;
using gfbench::transport_kind;
using gfbench::app::find_pve_gluster_storage;
using gfbench::app::load_pve_gluster_storage;
using gfbench::app::parse_pve_storage_config;
using gfbench::app::pve_storage_error;

namespace {

const std::filesystem::path data_dir = GFBENCH_TEST_DATA_DIR;
const std::filesystem::path seed_cfg = data_dir / "pve-storage-seed.cfg";
const std::filesystem::path mixed_cfg = data_dir / "pve-storage-mixed.cfg";

std::string error_of(const std::filesystem::path& file, const std::string& id) {
  try {
    (void)load_pve_gluster_storage(file, id);
  } catch (const pve_storage_error& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("the seed study's storage: server, then server2 as backup, its volume", "[unit]") {
  const auto s = load_pve_gluster_storage(seed_cfg, "GlusterFS");
  CHECK(s.id == "GlusterFS");
  CHECK(s.volume == "gfs-volume-proxmox");
  CHECK(s.content == "images,iso,vztmpl");
  CHECK_FALSE(s.disabled);
  CHECK(s.notes.empty());
  REQUIRE(s.servers.size() == 2);
  CHECK(s.servers[0].host == "192.168.1.1");
  CHECK(s.servers[1].host == "192.168.1.2");
  for (const auto& server : s.servers) {
    CHECK(server.transport == transport_kind::tcp);
    CHECK(server.port == 24007);
  }
}

TEST_CASE("storage.cfg stanzas: type, ID, properties in order, flags, comments", "[unit]") {
  const auto config = parse_pve_storage_config(
      "# comment\n"
      "dir: local\n"
      "\tpath /var/lib/vz\n"
      "  # an indented comment\n"
      "    content iso,vztmpl,backup   \n"
      "\n"
      "glusterfs:   GlusterFS  \r\n"
      "\tserver 192.168.1.1\r\n"
      "\tdisable\n"
      "\tnodes pve1,pve2",
      "test");
  CHECK(config.warnings.empty());
  REQUIRE(config.entries.size() == 2);
  const auto& local = config.entries[0];
  CHECK(local.type == "dir");
  CHECK(local.id == "local");
  CHECK(local.line == 2);
  REQUIRE(local.properties.size() == 2);
  CHECK(local.properties[0] == std::pair<std::string, std::string>{"path", "/var/lib/vz"});
  CHECK(*local.find("content") == "iso,vztmpl,backup");
  CHECK(local.find("server") == nullptr);

  const auto& gluster = config.entries[1];
  CHECK(gluster.type == "glusterfs");
  CHECK(gluster.id == "GlusterFS");
  CHECK(gluster.line == 7);
  CHECK(*gluster.find("server") == "192.168.1.1");
  REQUIRE(gluster.find("disable") != nullptr);
  CHECK(gluster.find("disable")->empty());
  CHECK(*gluster.find("nodes") == "pve1,pve2");
}

TEST_CASE("storage.cfg: stray lines are ignored with a warning, duplicate IDs refused", "[unit]") {
  const auto config = parse_pve_storage_config(
      "\tserver orphan\n"
      "dir: local\n"
      "\tpath /var/lib/vz\n"
      "not indented\n",
      "cfg");
  REQUIRE(config.entries.size() == 1);
  CHECK(config.entries[0].properties.size() == 1);
  REQUIRE(config.warnings.size() == 2);
  CHECK_THAT(config.warnings[0], Contains("cfg line 1") && Contains("server orphan"));
  CHECK_THAT(config.warnings[1], Contains("cfg line 4") && Contains("not indented"));

  CHECK_THROWS_WITH(parse_pve_storage_config("dir: a\n\tpath /x\n\nnfs: a\n\tpath /y\n", "cfg"),
                    Contains("'a' is defined twice (lines 1 and 4)"));
}

TEST_CASE("a missing file, a missing ID or another type are clear errors", "[unit]") {
  CHECK_THAT(error_of(data_dir / "no-such.cfg", "GlusterFS"),
             Contains("cannot read the Proxmox storage configuration") &&
                 Contains("no-such.cfg: No such file or directory"));
  CHECK_THAT(error_of(data_dir, "GlusterFS"), Contains("it is a directory"));

  // The IDs found are listed with their types, and a near miss is pointed out.
  CHECK_THAT(error_of(seed_cfg, "glusterfs"),
             Contains("no storage 'glusterfs' in " + seed_cfg.string()) &&
                 Contains("did you mean 'GlusterFS'?") &&
                 Contains("local (dir), local-lvm (lvmthin), GlusterFS (glusterfs)"));
  CHECK_THAT(error_of(seed_cfg, "nope"), !Contains("did you mean"));

  CHECK_THAT(error_of(seed_cfg, "local-lvm"),
             Contains("storage 'local-lvm' (" + seed_cfg.string() + " line 5)") &&
                 Contains("is of type lvmthin, not glusterfs") &&
                 Contains("which there are: GlusterFS"));
  CHECK_THAT(error_of(mixed_cfg, "backup-nfs"), Contains("is of type nfs, not glusterfs"));

  const auto empty = parse_pve_storage_config("# nothing\n", "empty.cfg");
  CHECK_THROWS_WITH(find_pve_gluster_storage(empty, "GlusterFS", "empty.cfg"),
                    Contains("it defines no storage at all"));
  const auto no_gluster = parse_pve_storage_config("lvmthin: local\n\tthinpool data\n", "d.cfg");
  CHECK_THROWS_WITH(find_pve_gluster_storage(no_gluster, "local", "d.cfg"),
                    Contains("and there is no glusterfs one there"));
}

TEST_CASE("a dir storage on a GlusterFS FUSE mount: the mount's volume and server", "[unit]") {
  // Proxmox VE 9: the volume mounted, images in a dir storage under it.
  const auto cfg = parse_pve_storage_config(
      "dir: local\n\tpath /var/lib/vz\n\tcontent iso\n\n"
      "dir: gluster-images\n\tpath /mnt/gluster/images\n\tcontent images\n\n"
      "dir: broken\n\tcontent images\n",
      "pve9.cfg");
  const std::string mountinfo =
      "22 1 254:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw\n"
      "40 22 0:40 / /mnt/gluster rw,relatime shared:20 - fuse.glusterfs "
      "pve1,pve2:/gfs-volume-proxmox rw,user_id=0,group_id=0\n";
  auto images = find_pve_gluster_storage(cfg, "gluster-images", "pve9.cfg");
  CHECK(images.dir_path == "/mnt/gluster/images");
  CHECK(images.volume.empty());  // the mount says which, once it is read
  gfbench::app::resolve_pve_dir_storage(images, mountinfo);
  CHECK(images.volume == "gfs-volume-proxmox");
  REQUIRE(images.servers.size() == 1);
  CHECK(images.servers.front().host == "pve1");  // the first of the mount's servers
  CHECK(images.servers.front().port == 24007);
  CHECK_THAT(images.notes.back(), Contains("FUSE mount /mnt/gluster of volume gfs-volume-proxmox"));

  // A dir storage on a local disk is not GlusterFS: refused, saying how to mount it.
  auto local = find_pve_gluster_storage(cfg, "local", "pve9.cfg");
  CHECK_THROWS_WITH(
      gfbench::app::resolve_pve_dir_storage(local, mountinfo),
      Contains("dir storage at /var/lib/vz, which is not on a GlusterFS FUSE mount") &&
          Contains("mount -t glusterfs"));
  CHECK_THROWS_WITH(find_pve_gluster_storage(cfg, "broken", "pve9.cfg"),
                    Contains("dir storage without an absolute path"));
  // A glusterfs storage needs no mount.
  auto seed = load_pve_gluster_storage(seed_cfg, "GlusterFS");
  const auto before = seed.servers;
  gfbench::app::resolve_pve_dir_storage(seed, mountinfo);
  CHECK(seed.servers == before);
}

TEST_CASE("glusterfs entries gfbench cannot use are refused, saying why", "[unit]") {
  CHECK_THAT(error_of(mixed_cfg, "gluster-novolume"),
             Contains("storage 'gluster-novolume'") && Contains("has no volume line"));
  CHECK_THAT(error_of(mixed_cfg, "gluster-server2-only"),
             Contains("has server2 (192.0.2.51) but no server"));
  CHECK_THAT(error_of(mixed_cfg, "gluster-rdma"),
             Contains("transport rdma") && Contains("GlusterFS dropped RDMA") &&
                 Contains("--volume fastvol --server 192.0.2.30"));
  CHECK_THAT(error_of(mixed_cfg, "gluster-odd-transport"),
             Contains("transport 'socket'") && Contains("tcp, rdma and unix"));
}

TEST_CASE("glusterfs entries: defaults and variants, as Proxmox reads them", "[unit]") {
  const auto one = load_pve_gluster_storage(mixed_cfg, "gluster-one");
  CHECK(one.volume == "vmstore");
  REQUIRE(one.servers.size() == 1);
  CHECK(one.servers[0].host == "gluster1.example.org");

  // No server: Proxmox uses localhost.
  const auto local = load_pve_gluster_storage(mixed_cfg, "gluster-default-server");
  REQUIRE(local.servers.size() == 1);
  CHECK(local.servers[0].host == "localhost");
  CHECK(local.servers[0].transport == transport_kind::tcp);
  REQUIRE(local.notes.size() == 2);
  CHECK_THAT(local.notes[0], Contains("as Proxmox does"));
  // The file's stray line (Proxmox ignores it too) is passed on for the log.
  CHECK_THAT(local.notes[1], Contains("ignored") && Contains("neither a header nor indented"));

  // IPv6 with and without brackets; a disabled storage is measured, with a note.
  const auto v6 = load_pve_gluster_storage(mixed_cfg, "gluster-ipv6");
  REQUIRE(v6.servers.size() == 2);
  CHECK(v6.servers[0].host == "2001:db8::1");
  CHECK(v6.servers[1].host == "2001:db8::2");
  CHECK(v6.disabled);
  CHECK_THAT(v6.notes.at(0), Contains("disabled"));

  // unix: glusterd's local socket; the host names are not used.
  const auto via_socket = load_pve_gluster_storage(mixed_cfg, "gluster-unix");
  REQUIRE(via_socket.servers.size() == 1);
  CHECK(via_socket.servers[0].transport == transport_kind::unix_socket);
  CHECK(via_socket.servers[0].host == "/var/run/glusterd.socket");
  CHECK_THAT(via_socket.notes.at(0), Contains("192.0.2.20") && Contains("not used"));

  // The same server twice is used once.
  const auto same = load_pve_gluster_storage(mixed_cfg, "gluster-same-servers");
  CHECK(same.servers.size() == 1);

  // The stray line of the mixed file does not stop the entries after it.
  const auto config = parse_pve_storage_config(
      "glusterfs: g\n\tvolume v\nstray\n\nglusterfs: h\n\tvolume w\n", "cfg");
  CHECK(config.entries.size() == 2);
  CHECK(config.warnings.size() == 1);
}
