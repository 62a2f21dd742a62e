// volume::connect against a real private cluster: each documented failure
// comes back as the documented errno, fast or within the deadline, and names
// what was wrong; connections are shared exactly when the options match; a
// real tear-down (glfs_fini) returns.

#include <unistd.h>

#include <catch2/catch.hpp>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <optional>
#include <regex>
#include <string>

#include "gfbench/error.hpp"
#include "gfbench/target.hpp"
#include "gfbench/volume.hpp"
#include "support/test_cluster.hpp"

using Catch::Matchers::Contains;
using gfbench::io_error;
using gfbench::transport_kind;
using gfbench::volume;
using gfbench::volume_options;
using gfbench::testing::byte_difference;
using gfbench::testing::cluster;
using gfbench::testing::expect_io_error;
using gfbench::testing::silent_listener;
using gfbench::testing::single_volume;
using gfbench::testing::test_options;
using gfbench::testing::test_volume;
using namespace std::chrono_literals;

namespace {

using steady = std::chrono::steady_clock;

double seconds_since(steady::time_point start) {
  return std::chrono::duration<double>(steady::now() - start).count();
}

std::string suffix() { return std::to_string(::getpid()); }

volume_options options_for(std::vector<gfbench::volfile_server> servers) {
  volume_options o = test_options();
  o.servers = std::move(servers);
  return o;
}

// Deletes a volume the test created, whatever happened.
struct volume_remover {
  std::string name;
  ~volume_remover() {
    try {
      cluster().delete_volume(name);
    } catch (const std::exception&) {
      // best effort; the sandbox goes at exit anyway
    }
  }
};

}  // namespace

TEST_CASE("connecting to a volume that does not exist is ENOENT naming it", "[connect]") {
  volume_options o = test_options();
  o.volume = "no-such-volume-" + suffix();
  const auto start = steady::now();
  const io_error e = expect_io_error([&] { (void)volume::connect(o); });
  const double took = seconds_since(start);
  CHECK(e.errno_value() == ENOENT);
  CHECK(e.volume() == o.volume);
  CHECK_THAT(std::string(e.what()), Contains(o.volume));
  CHECK(took < 5.0);  // measured 2 ms; well inside the 10 s deadline
  INFO("ENOENT after " << took << " s");
}

TEST_CASE("connecting to a stopped volume is EIO", "[connect]") {
  auto& sb = cluster();
  const volume_remover stopped{"gfbench-stopped-" + suffix()};
  sb.create_volume(stopped.name, 1);
  sb.stop_volume(stopped.name);
  volume_options o = sb.client_options(stopped.name);
  o.skip_fini = true;

  const auto start = steady::now();
  const io_error e = expect_io_error([&] { (void)volume::connect(o); });
  const double took = seconds_since(start);
  CHECK(e.errno_value() == EIO);
  CHECK(e.volume() == stopped.name);
  CHECK_THAT(std::string(e.what()), Contains(stopped.name));
  CHECK_THAT(e.hint(), Contains("started"));
  CHECK(took < 5.0);
}

TEST_CASE("a closed volfile server port is ENOTCONN at once", "[connect]") {
  const volume_options o = options_for({{transport_kind::tcp, "127.1.1.1", 1}});
  const auto start = steady::now();
  const io_error e = expect_io_error([&] { (void)volume::connect(o); });
  const double took = seconds_since(start);
  CHECK(e.errno_value() == ENOTCONN);
  CHECK_THAT(std::string(e.what()), Contains("127.1.1.1:1"));
  CHECK(took < 2.0);  // measured 2-3 ms
}

TEST_CASE("a server that accepts and never answers times out after connect_timeout", "[connect]") {
  cluster();  // the listener must be inside the sandbox's network namespace
  const std::uint16_t port = silent_listener("127.1.1.1");
  volume_options o = options_for({{transport_kind::tcp, "127.1.1.1", port}});
  o.connect_timeout = 2s;

  const auto start = steady::now();
  const io_error e = expect_io_error([&] { (void)volume::connect(o); });
  const double took = seconds_since(start);
  CHECK(e.errno_value() == ETIMEDOUT);
  CHECK(took >= 1.5);
  CHECK(took <= 6.0);
  const std::string what = e.what();
  CHECK_THAT(what, Contains(std::strerror(ETIMEDOUT)));
  CHECK_THAT(what, Contains("2000 ms"));
  CHECK_THAT(what, Contains("127.1.1.1:" + std::to_string(port)));

  // The abandoned glfs_init holds nothing that other connects need.
  const auto again = steady::now();
  volume good = volume::connect(test_options());
  CHECK(good.stat("/").type == gfbench::file_type::directory);
  CHECK(seconds_since(again) < 5.0);
}

TEST_CASE("an unresolvable volfile server name is an error naming it", "[connect]") {
  volume_options o;
  o.volume = std::string(single_volume);
  o.servers = {{transport_kind::tcp, "no-such-host.invalid", 24007}};
  o.connect_timeout = 5s;
  const auto start = steady::now();
  const io_error e = expect_io_error([&] { (void)volume::connect(o); });
  CHECK_THAT(std::string(e.what()), Contains("no-such-host.invalid"));
  CHECK((e.errno_value() == EHOSTUNREACH || e.errno_value() == ENOTCONN));
  CHECK(seconds_since(start) < 6.0);
}

TEST_CASE("a backup server is tried when the first one's name does not resolve", "[connect]") {
  volume_options o = gfbench::testing::test_options();
  o.servers.insert(o.servers.begin(), {transport_kind::tcp, "down.invalid", 24007});
  o.connect_timeout = 5s;
  const volume vol = volume::connect(o);  // through the second server
  CHECK(vol.name() == single_volume);
  // Only when no name resolves is it an error, naming them all.
  volume_options none = o;
  none.servers = {{transport_kind::tcp, "a.invalid", 24007},
                  {transport_kind::tcp, "b.invalid", 24007}};
  const io_error e = expect_io_error([&] { (void)volume::connect(none); });
  CHECK(e.errno_value() == EHOSTUNREACH);
  CHECK_THAT(std::string(e.what()), Contains("'a.invalid', 'b.invalid'"));
}

TEST_CASE("invalid connect options are EINVAL, before any network traffic", "[connect]") {
  volume_options good;
  good.volume = "v";
  good.servers = {{transport_kind::tcp, "127.1.1.1", 24007}};

  auto expect_einval = [](const volume_options& o, const char* what_is_wrong) {
    INFO(what_is_wrong);
    const io_error e = expect_io_error([&] { (void)volume::connect(o); });
    CHECK(e.errno_value() == EINVAL);
    CHECK_FALSE(e.hint().empty());
  };

  volume_options o = good;
  o.volume = "";
  expect_einval(o, "empty volume name");

  o = good;
  o.servers.clear();
  expect_einval(o, "no servers");

  o = good;
  o.servers[0].port = 0;
  expect_einval(o, "port 0");

  o = good;
  o.servers[0].host = "";
  expect_einval(o, "empty host");

  o = good;
  o.volume = "a/b";
  expect_einval(o, "slash in the volume name");

  o = good;
  o.connect_timeout = 0ms;
  expect_einval(o, "zero connect timeout");

  o = good;
  o.log_level = 10;
  expect_einval(o, "log level out of range");
}

TEST_CASE("the backup volfile server is used when the first is down", "[connect]") {
  volume_options o = test_options();
  o.servers = {{transport_kind::tcp, "127.1.1.9", 24007},  // nothing listens there
               {transport_kind::tcp, "127.1.1.1", 24007}};
  const auto start = steady::now();
  volume vol = volume::connect(o);
  const double took = seconds_since(start);
  CHECK(vol.name() == single_volume);
  CHECK(vol.stat("/").type == gfbench::file_type::directory);
  CHECK(took < 10.0);  // measured 3.0 s
  WARN("connect with the first volfile server down took " << took << " s");
}

TEST_CASE("connections are shared exactly when the options match", "[connect]") {
  volume a = test_volume();
  volume_options o = test_options();

  volume b = volume::connect(o);
  CHECK(a.shares_connection_with(b));
  CHECK(b.shares_connection_with(a));
  const volume copy = a;
  CHECK(copy.shares_connection_with(a));

  o.connect_timeout = 3s;  // the deadline is not part of a connection
  CHECK(volume::connect(o).shares_connection_with(a));

  o.xlator_options.push_back({"*-write-behind", "flush-behind", "off"});
  volume c = volume::connect(o);
  CHECK_FALSE(c.shares_connection_with(a));
  CHECK_FALSE(a.shares_connection_with(c));
  REQUIRE(c.options().xlator_options.size() == 1);
  CHECK(c.options().xlator_options[0].key == "flush-behind");
  CHECK(volume::connect(o).shares_connection_with(c));

  // Two connections, one volume: what one writes, the other reads.
  const std::string path = gfbench::testing::unique_path("shared");
  const gfbench::testing::scoped_remove cleanup(a, path);
  const auto data = gfbench::testing::random_bytes(70'000, 11);
  {
    auto f = a.create(path);
    f.pwrite_all(data, 0);
    f.close();
  }
  CHECK(byte_difference(c.open(path, {.access = gfbench::access_mode::read_only}).read_all(),
                        data) == "");
}

namespace {

std::atomic<int> sigpipe_count{0};
extern "C" void count_sigpipe(int) { ++sigpipe_count; }

struct sigaction sigpipe_disposition() {
  struct sigaction now {};
  ::sigaction(SIGPIPE, nullptr, &now);
  return now;
}

// Writes to a pipe whose reading end is closed: EPIPE, and SIGPIPE raised.
int write_to_closed_pipe() {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  ::close(fds[0]);
  const char byte = 'x';
  const ssize_t n = ::write(fds[1], &byte, 1);
  const int e = n < 0 ? errno : 0;
  ::close(fds[1]);
  return e;
}

}  // namespace

TEST_CASE("connecting keeps a dropped connection from killing the process by SIGPIPE",
          "[connect]") {
  const struct sigaction saved = sigpipe_disposition();

  SECTION("SIGPIPE's default action (death) becomes ignored") {
    std::signal(SIGPIPE, SIG_DFL);
    const volume v = volume::connect(test_options());
    CHECK(sigpipe_disposition().sa_handler == SIG_IGN);
    // A write to a broken pipe or socket is then an EPIPE error, not death.
    CHECK(write_to_closed_pipe() == EPIPE);
  }

  SECTION("a handler the program installed is kept") {
    std::signal(SIGPIPE, count_sigpipe);
    const volume v = volume::connect(test_options());
    CHECK(sigpipe_disposition().sa_handler == count_sigpipe);
    const int before = sigpipe_count;
    CHECK(write_to_closed_pipe() == EPIPE);
    CHECK(sigpipe_count == before + 1);
  }

  ::sigaction(SIGPIPE, &saved, nullptr);
}

TEST_CASE("the volume id is the UUID gluster volume info prints", "[connect]") {
  volume vol = test_volume();
  const std::string id = vol.id();
  REQUIRE(id.size() == 36);
  CHECK(std::regex_match(
      id, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")));
  CHECK(id != "00000000-0000-0000-0000-000000000000");
  const std::string info = cluster().gluster({"volume", "info", std::string(single_volume)});
  CHECK_THAT(info, Contains("Volume ID: " + id));
  CHECK(vol.id() == id);
}

TEST_CASE("a connection with glfs_fini is torn down when its last handle goes", "[connect]") {
  volume_options o = test_options();
  o.skip_fini = false;  // the one real tear-down of the suite

  auto connect_and_use = [&](const char* name) {
    std::optional<volume> vol = volume::connect(o);
    CHECK_FALSE(vol->shares_connection_with(test_volume()));
    const std::string path = gfbench::testing::unique_path(name);
    auto f = vol->create(path);
    f.pwrite_all(gfbench::testing::random_bytes(1 << 20, 12), 0);
    f.fsync();
    f.close();
    vol->unlink(path);
    CHECK_FALSE(vol->exists(path));
    return vol;
  };

  std::optional<volume> first = connect_and_use("teardown-1");
  const double init_ms =
      std::chrono::duration<double, std::milli>(first->connect_duration()).count();
  auto start = steady::now();
  first.reset();  // the last handle: glfs_fini runs here
  const double fini_s = seconds_since(start);
  CHECK(fini_s < 60.0);

  // The dead connection is not handed out again: same options, a new glfs_t.
  std::optional<volume> second = connect_and_use("teardown-2");
  const double init2_ms =
      std::chrono::duration<double, std::milli>(second->connect_duration()).count();
  start = steady::now();
  second.reset();
  const double fini2_s = seconds_since(start);
  CHECK(fini2_s < 60.0);

  WARN("glfs_new+glfs_init: " << init_ms << " ms and " << init2_ms
                              << " ms; glfs_fini after 1 MiB written: " << fini_s << " s and "
                              << fini2_s << " s");
}

TEST_CASE("a connection's graph is its volfile with its own xlator options applied", "[connect]") {
  volume vol = gfbench::testing::test_volume();
  // 10.3's default client graph: write-behind, quick-read, open-behind and
  // md-cache on; read-ahead and io-cache off; O_DIRECT ignored by
  // write-behind (strict-o-direct off) and not stripped (remote-dio off).
  const auto t = gfbench::tuning_of(vol.graph());
  INFO(t.describe());
  CHECK(t.write_behind);
  CHECK_FALSE(t.strict_o_direct);
  CHECK_FALSE(t.remote_dio);
  CHECK_FALSE(t.o_direct_reaches_bricks());
  CHECK_FALSE(t.read_ahead);
  CHECK_FALSE(t.io_cache);
  CHECK(t.quick_read);
  CHECK_FALSE(t.caches_data(1024 * 1024));
  // The uncached connection's own options pass every cache through.
  const volume uncached = volume::connect(gfbench::uncached_volume_options(vol.options()));
  const auto u = gfbench::tuning_of(uncached.graph());
  INFO(u.describe());
  CHECK_FALSE(u.write_behind);
  CHECK_FALSE(u.quick_read);
  CHECK_FALSE(u.caches_data(1));
  CHECK(u.o_direct_reaches_bricks());
}
