// Reading what the gluster CLI and glfsheal print, and how bricks name the
// entries of their heal indices: the sandbox's waits for bricks, peers and
// self-heal rest on these.

#include <catch2/catch.hpp>

#include "sandbox/gluster_output.hpp"
#include "support/sample_data.hpp"

using gfbench::detail::is_gfid_name;
using gfbench::detail::parse_heal_info;
using gfbench::testing::sample;

TEST_CASE("volume status --xml gives each brick's host, path, state and pid", "[unit]") {
  const auto bricks =
      gfbench::detail::parse_volume_status_xml(sample("gluster-10.3-volstatus-replica2.xml"));
  // Four nodes in the output: two bricks and two self-heal daemons, whose
  // "path" is a host name.
  REQUIRE(bricks.size() == 2);
  CHECK(bricks[0].host == "127.1.1.1");
  CHECK(bricks[0].path == "/tmp/gfcap/node0/bricks/gfs-volume-proxmox");
  CHECK(bricks[0].online);
  CHECK(bricks[0].pid == 31135);
  CHECK(bricks[1].host == "127.1.1.2");
  CHECK(bricks[1].path == "/tmp/gfcap/node1/bricks/gfs-volume-proxmox");
  CHECK(gfbench::detail::parse_volume_status_xml("not xml").empty());
}

TEST_CASE("peer status --xml gives each peer and whether it is connected", "[unit]") {
  const auto peers = gfbench::detail::parse_peer_status_xml(sample("gluster-10.3-peerstatus.xml"));
  REQUIRE(peers.size() == 1);
  CHECK(peers[0].hostname == "127.1.1.2");
  CHECK(peers[0].connected);
  CHECK(peers[0].state == "Peer in Cluster");
}

TEST_CASE("glfsheal's per-brick entry counts add up, and a silent brick is unknown", "[unit]") {
  SECTION("both bricks answer") {
    const auto counts = parse_heal_info(
        "Brick 127.1.1.1:/b/r0\n"
        "/heal-1\n"
        "Status: Connected\n"
        "Number of entries: 1\n"
        "\n"
        "Brick 127.1.1.2:/b/r1\n"
        "Status: Connected\n"
        "Number of entries: 0\n");
    CHECK(counts.bricks == 2);
    CHECK(counts.pending == 1);
    CHECK(counts.unknown == 0);
  }
  SECTION("a dead brick prints a dash") {
    const auto counts = parse_heal_info(
        "Brick 127.1.1.1:/b/r0\n"
        "Status: Connected\n"
        "Number of entries: 2\n"
        "\n"
        "Brick 127.1.1.2:/b/r1\n"
        "Status: Transport endpoint is not connected\n"
        "Number of entries: -\n");
    CHECK(counts.bricks == 2);
    CHECK(counts.pending == 2);
    CHECK(counts.unknown == 1);
  }
  SECTION("a brick whose entries could not all be read still counts what was read") {
    const auto counts = parse_heal_info(
        "Brick 127.1.1.1:/b/r0\n"
        "Status: Failed to process entries completely. (Transport endpoint is not connected)\n"
        "Number of entries: 3\n");
    CHECK(counts.bricks == 1);
    CHECK(counts.pending == 3);
  }
  SECTION("no brick listed: nothing to add up") {
    const auto counts = parse_heal_info("Volume r is not started\n");
    CHECK(counts.bricks == 0);
    CHECK(counts.pending == 0);
  }
}

TEST_CASE("heal index entries are gfids; the index's own base file is not", "[unit]") {
  CHECK(is_gfid_name("8f5c1a2e-0b7d-4c1e-9a3f-2d6b8e0c4f17"));
  CHECK(is_gfid_name("00000000-0000-0000-0000-000000000001"));
  CHECK_FALSE(is_gfid_name("xattrop-8f5c1a2e-0b7d-4c1e-9a3f-2d6b8e0c4f17"));
  CHECK_FALSE(is_gfid_name("8f5c1a2e-0b7d-4c1e-9a3f-2d6b8e0c4f1"));
  CHECK_FALSE(is_gfid_name("8f5c1a2e00b7d-4c1e-9a3f-2d6b8e0c4f17"));
  CHECK_FALSE(is_gfid_name("8F5C1A2E-0B7D-4C1E-9A3F-2D6B8E0C4F17"));
  CHECK_FALSE(is_gfid_name(""));
}
