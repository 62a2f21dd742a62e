// Reading what glfsheal prints and how bricks name the entries of their
// heal indices: the sandbox's wait for self-heal rests on both.

#include <catch2/catch.hpp>

#include "sandbox/gluster_output.hpp"

using gfbench::detail::is_gfid_name;
using gfbench::detail::parse_heal_info;

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
