// Telling a degraded volume from what a libgfapi client sees
// (client/brick_health.hpp): the bricks the client volfile names against
// those a pathinfo query reached.

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "client/brick_health.hpp"

TEST_CASE("bricks are counted from the client volfile and a pathinfo answer", "[unit]") {
  const std::string volfile = R"(volume v-client-0
    type protocol/client
    option remote-subvolume /data/brick1
    option remote-host 10.0.0.1
end-volume

volume v-client-1
    type protocol/client
    option remote-host 10.0.0.2
    option remote-subvolume /data/brick1
end-volume

volume v-client-2
    type protocol/client
    option remote-host 10.0.0.3
    option remote-subvolume /data/arbiter
end-volume

volume v-snapd-client
    type protocol/client
    option remote-subvolume snapd-v
    option remote-host 10.0.0.1
end-volume

volume v-replicate-0
    type cluster/replicate
    subvolumes v-client-0 v-client-1 v-client-2
end-volume
)";
  const auto bricks = gfbench::detail::parse_volfile_bricks(volfile);
  REQUIRE(bricks.size() == 3);  // snapd is no brick
  CHECK(bricks[2].host == "10.0.0.3");
  CHECK(bricks[2].path == "/data/arbiter");

  const std::string all =
      "(<REPLICATE:v-replicate-0> <POSIX(/data/brick1):n1:/data/brick1/> "
      "<POSIX(/data/brick1):n2:/data/brick1/> <POSIX(/data/arbiter):n3:/data/arbiter/>)";
  const auto healthy =
      gfbench::detail::compare_bricks(bricks, gfbench::detail::parse_pathinfo_bricks(all));
  CHECK(healthy.expected == 3);
  CHECK(healthy.reachable == 3);
  CHECK_FALSE(healthy.degraded());

  // The arbiter is down: its path is unique, so it is named.
  const auto no_arbiter = gfbench::detail::compare_bricks(
      bricks, gfbench::detail::parse_pathinfo_bricks(
                  "(<REPLICATE:v-replicate-0> <POSIX(/data/brick1):n1:/data/brick1/> "
                  "<POSIX(/data/brick1):n2:/data/brick1/>)"));
  CHECK(no_arbiter.degraded());
  CHECK(no_arbiter.reachable == 2);
  CHECK(no_arbiter.unreachable == std::vector<std::string>{"10.0.0.3:/data/arbiter"});

  // One of two bricks sharing a path is down: counted, but not named.
  const auto one_data = gfbench::detail::compare_bricks(
      bricks,
      gfbench::detail::parse_pathinfo_bricks(
          "(<POSIX(/data/brick1):n1:/data/brick1/> <POSIX(/data/arbiter):n3:/data/arbiter/>)"));
  CHECK(one_data.reachable == 2);
  CHECK(one_data.degraded());
  CHECK(one_data.unreachable.empty());
}
