// Telling a degraded volume from what a libgfapi client sees
// (client/brick_health.hpp): the bricks the client volfile names against
// those a pathinfo query reached.

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "client/brick_health.hpp"
#include "gfbench/client_graph.hpp"

using Catch::Matchers::Contains;

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

TEST_CASE("a client volfile's translators, options and the tuning they make", "[unit]") {
  const std::string volfile = R"(volume v-client-0
    type protocol/client
    option remote-host 10.0.0.1
    option filter-O_DIRECT enable
    option event-threads 4
end-volume

volume v-write-behind
    type performance/write-behind
    option strict-O_DIRECT on
    subvolumes v-client-0
end-volume

volume v-quick-read
    type performance/quick-read
    option max-file-size 128KB
    subvolumes v-write-behind
end-volume

volume v-io-cache
    type performance/io-cache
    option pass-through true
    subvolumes v-quick-read
end-volume

volume v
    type debug/io-stats
    subvolumes v-io-cache
end-volume
)";
  const gfbench::client_graph g = gfbench::parse_client_volfile(volfile);
  REQUIRE(g.translators.size() == 5);
  CHECK(g.translators[1].name == "v-write-behind");
  CHECK(g.translators[1].subvolumes == std::vector<std::string>{"v-client-0"});
  CHECK(g.option("protocol/client", "remote-host", "?") == "10.0.0.1");
  CHECK(g.option("protocol/client", "ping-timeout", "42") == "42");    // the default
  CHECK_FALSE(g.option("performance/read-ahead", "page-count", "4"));  // no such translator
  const auto t = gfbench::tuning_of(g);
  CHECK(t.event_threads == 4);
  CHECK(t.remote_dio);
  CHECK(t.write_behind);
  CHECK(t.strict_o_direct);
  CHECK_FALSE(t.o_direct_reaches_bricks());  // remote-dio strips it
  CHECK(t.quick_read);
  CHECK(t.quick_read_max_file_size == 128 * 1024);
  CHECK_FALSE(t.io_cache);  // passed through
  CHECK_FALSE(t.read_ahead);
  CHECK(t.caches_data(64 * 1024));  // quick-read keeps it whole
  CHECK_FALSE(t.caches_data(1024 * 1024));
  CHECK_THAT(t.describe(), Contains("event-threads 4") && Contains("remote-dio on") &&
                               Contains("quick-read on (128KiB)") && Contains("io-cache off"));
}
