// Reading what the gluster CLI and glfsheal print, and how bricks name the
// entries of their heal indices: the sandbox's waits for bricks, peers and
// self-heal rest on these. And telling glusterd's busy lock from a real
// refusal, which every runner of the CLI retries.

#include <catch2/catch.hpp>

#include <chrono>
#include <string>

#include "sandbox/gluster_output.hpp"
#include "support/sample_data.hpp"
#include "util/glusterd_lock.hpp"

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

namespace {
struct fake_cli_result {
  int exit_code = 0;
  std::string out;
  std::string err;
  [[nodiscard]] bool ok() const { return exit_code == 0; }
};
}  // namespace

TEST_CASE("a call glusterd refused for its busy lock is retried; another failure is not",
          "[unit]") {
  using gfbench::detail::glusterd_lock_busy;
  using gfbench::detail::retry_while_glusterd_busy;
  // glusterd 10.3's words, single node and across peers.
  CHECK(glusterd_lock_busy(
      "Another transaction is in progress for gfs-volume-proxmox. Please try again after some "
      "time."));
  CHECK(glusterd_lock_busy("Locking failed on 127.1.1.2. Please check log file for details."));
  CHECK_FALSE(glusterd_lock_busy("Volume gfs-volume-proxmox does not exist"));

  int calls = 0;
  const auto busy_twice = retry_while_glusterd_busy([&] {
    ++calls;
    if (calls <= 2) return fake_cli_result{1, "", "Another transaction is in progress for v."};
    return fake_cli_result{0, "done", ""};
  });
  CHECK(busy_twice.ok());
  CHECK(busy_twice.out == "done");
  CHECK(calls == 3);

  // With --xml the CLI exits 0 and says it in <opErrstr>: retried too.
  calls = 0;
  const auto busy_xml = retry_while_glusterd_busy([&] {
    ++calls;
    if (calls == 1) {
      return fake_cli_result{0,
                             "<cliOutput><opRet>-1</opRet><opErrstr>Another transaction is in "
                             "progress. Please try again after some time.</opErrstr>",
                             ""};
    }
    return fake_cli_result{0, "<cliOutput><opRet>0</opRet>", ""};
  });
  CHECK(busy_xml.out == "<cliOutput><opRet>0</opRet>");
  CHECK(calls == 2);

  calls = 0;
  const auto refused = retry_while_glusterd_busy([&] {
    ++calls;
    return fake_cli_result{1, "volume profile: failed: Volume v does not exist", ""};
  });
  CHECK_FALSE(refused.ok());
  CHECK(calls == 1);

  // A lock that stays busy is given up after the patience, with its message.
  calls = 0;
  const auto stuck = retry_while_glusterd_busy(
      [&] {
        ++calls;
        return fake_cli_result{1, "Another transaction is in progress for v.", ""};
      },
      std::chrono::milliseconds(200));
  CHECK_FALSE(stuck.ok());
  CHECK(glusterd_lock_busy(stuck.out));
  CHECK(calls >= 2);
  CHECK(calls <= 4);  // 50 + 100 ms of pauses fit in 200 ms, a third (200) does not
}
