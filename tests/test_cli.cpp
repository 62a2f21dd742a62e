// The gfbench command line: what it accepts, and that every rejection says
// which value was wrong and what is expected (a usage error exits with 2).
// Sizes are read by gfbench::parse_size (test_units.cpp has its rules).

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "cli/cli.hpp"
#include "cli/flags.hpp"
#include "gfbench/units.hpp"
#include "gluster/mounts.hpp"
#include "support/cli_rejection.hpp"

using Catch::Matchers::Contains;
using gfbench::app::cli_options;
using gfbench::app::parse_cli;
using gfbench::app::usage_error;
using gfbench::testing::rejection;
using namespace std::chrono_literals;

namespace {

cli_options parse(std::vector<std::string> args) { return parse_cli(args); }

constexpr std::uint64_t KiB = 1024;
constexpr std::uint64_t MiB = 1024 * KiB;

}  // namespace

TEST_CASE("gfbench's defaults are the seed study's matrix", "[unit]") {
  const cli_options o = parse({});
  CHECK(o.zero_config());
  CHECK_FALSE(o.help);
  REQUIRE(o.file_sizes.size() == 3);
  CHECK(o.file_sizes[0].bytes == 1 * MiB);
  CHECK(o.file_sizes[1].bytes == 10 * MiB);
  CHECK(o.file_sizes[2].bytes == 100 * MiB);
  REQUIRE(o.block_sizes.size() == 1);
  CHECK(o.block_sizes[0].bytes == 4 * KiB);
  CHECK(o.operations == std::vector<gfbench::operation>{gfbench::operation::write,
                                                        gfbench::operation::rewrite,
                                                        gfbench::operation::read});
  CHECK(o.scratch_dir == "/.gfbench");
  CHECK(o.log_level == "info");
  const gfbench::benchmark_matrix m = o.matrix();
  CHECK(m.file_sizes == std::vector<std::uint64_t>{1 * MiB, 10 * MiB, 100 * MiB});
  CHECK(m.block_sizes == std::vector<std::uint64_t>{4 * KiB});
  CHECK_FALSE(m.options.fsync);
  CHECK(m.iterations == 1);  // one pass per trial, as IOzone
}

TEST_CASE("flags take their value after a space or after '='", "[unit]") {
  const cli_options o = parse({"--volume",          "vol0",    "--sizes=1MiB,4096kB",
                               "--block-sizes",     "4KiB",    "--ops=write,randread",
                               "--fsync",           "--close", "--direct",
                               "--verify",          "--keep",  "--scratch-dir=/bench/x",
                               "--connect-timeout", "2.5",     "--gfapi-log=/tmp/g.log",
                               "--gfapi-log-level", "7",       "--log-level=debug",
                               "--iterations",      "3"});
  CHECK(o.volume == "vol0");
  CHECK_FALSE(o.zero_config());
  REQUIRE(o.file_sizes.size() == 2);
  CHECK(o.file_sizes[0].bytes == MiB);
  CHECK(o.file_sizes[0].text == "1MiB");
  CHECK(o.file_sizes[1].bytes == 4'096'000);
  CHECK(o.file_sizes[1].convention == "SI (1 kB = 1000 B)");
  CHECK(o.operations == std::vector<gfbench::operation>{gfbench::operation::write,
                                                        gfbench::operation::random_read});
  CHECK(o.fsync);
  CHECK(o.include_close);
  CHECK(o.direct);
  CHECK(o.verify);
  CHECK(o.keep);
  CHECK(o.scratch_dir == "/bench/x");
  CHECK(o.connect_timeout == std::chrono::milliseconds(2500));
  CHECK(o.gfapi_log == "/tmp/g.log");
  CHECK(o.gfapi_log_level == 7);
  CHECK(o.log_level == "debug");
  CHECK(o.iterations == 3);

  const gfbench::benchmark_matrix m = o.matrix();
  CHECK(m.options.fsync);
  CHECK(m.options.include_close);
  CHECK(m.options.direct);
  CHECK(m.options.verify);
  CHECK(m.iterations == 3);

  const gfbench::volume_options v = o.connect_options();
  CHECK(v.volume == "vol0");
  CHECK(v.log_file == "/tmp/g.log");
  CHECK(v.log_level == 7);
  CHECK(v.connect_timeout == std::chrono::milliseconds(2500));
  CHECK_FALSE(v.skip_fini);
  REQUIRE(v.servers.size() == 1);
  CHECK(v.servers[0].host == "localhost");
  CHECK(v.servers[0].port == 24007);
}

TEST_CASE("--read-cache picks the cache modes reads run in", "[unit]") {
  using gfbench::cache_mode;
  CHECK(parse({}).read_cache_modes == std::vector<cache_mode>{cache_mode::warm, cache_mode::cold});
  CHECK(parse({"--read-cache", "cold"}).matrix().read_cache_modes ==
        std::vector<cache_mode>{cache_mode::cold});
  CHECK(parse({"--read-cache=cold,warm"}).read_cache_modes ==
        std::vector<cache_mode>{cache_mode::cold, cache_mode::warm});
  CHECK_THAT(rejection({"--read-cache", "hot"}), Contains("\"hot\"") && Contains("warm, cold"));
  CHECK_THAT(rejection({"--read-cache", "warm,warm"}), Contains("twice"));
}

TEST_CASE("--help and -h ask for help", "[unit]") {
  CHECK(parse({"--help"}).help);
  CHECK(parse({"-h"}).help);
  CHECK(parse({"--volume", "v", "--help"}).help);
  const std::string help = gfbench::app::help_text();
  CHECK_THAT(help, Contains("--volume NAME"));
  CHECK_THAT(help, Contains("1 kB = 1024 bytes"));
  CHECK_THAT(help, Contains("divide it exactly"));
}

TEST_CASE("--help lists every flag of the table, with the code's defaults", "[unit]") {
  const std::string help = gfbench::app::help_text();
  for (const auto& row : gfbench::app::flag_rows()) {
    INFO(row.names);
    CHECK_THAT(help, Contains("  " + gfbench::app::canonical_name(row)) ||
                         Contains(", " + gfbench::app::canonical_name(row)));
  }
  CHECK(help.find('{') == std::string::npos);  // every default filled in
  // A few defaults, as the code has them.
  CHECK_THAT(help, Contains("(default " + std::to_string(gfbench::io_shape{}.read_percent) + ")"));
  CHECK_THAT(help, Contains("Repetitions: " + std::to_string(gfbench::app::default_repetitions)));
  CHECK_THAT(help,
             Contains("(default " + std::to_string(gfbench::meta_shape{}.files_per_dir) + ")"));
}

TEST_CASE("malformed sizes are rejected naming the value", "[unit]") {
  for (const std::string bad : {"0", "-1", "abc", "10XB", "99999999999999999999", "1.5MiB"}) {
    INFO(bad);
    const std::string message = rejection({"--sizes", bad});
    CHECK_THAT(message, Contains("--sizes"));
    CHECK_THAT(message, Contains("\"" + bad + "\""));
  }
  CHECK_THAT(rejection({"--block-sizes=0"}), Contains("--block-sizes") && Contains("\"0\""));
  CHECK_THAT(rejection({"--sizes", "1MiB,,2MiB"}), Contains("empty entry"));
  CHECK_THAT(rejection({"--sizes", "1MiB,"}), Contains("empty entry"));
  CHECK_THAT(rejection({"--sizes", "1MiB,1024KiB"}), Contains("same size"));
}

TEST_CASE("block sizes must fit and divide every file size", "[unit]") {
  CHECK_THAT(rejection({"--sizes", "1MiB", "--block-sizes", "2MiB"}),
             Contains("\"2MiB\"") && Contains("larger than file size \"1MiB\""));
  CHECK_THAT(rejection({"--sizes", "10MiB", "--block-sizes", "3KiB"}),
             Contains("\"3KiB\"") && Contains("does not divide") && Contains("\"10MiB\""));
  // 10 MB (SI) is not a whole number of 4 KiB blocks.
  CHECK_THAT(rejection({"--sizes", "10MB"}), Contains("\"4KiB\"") && Contains("\"10MB\""));
  CHECK_NOTHROW(parse({"--sizes", "10MB", "--block-sizes", "1000B"}));
  CHECK_NOTHROW(parse({"--sizes", "1MiB", "--block-sizes", "1MiB"}));
  CHECK_THAT(rejection({"--direct", "--sizes", "8000B", "--block-sizes", "1000B"}),
             Contains("--direct") && Contains("4096") && Contains("\"1000B\""));
  CHECK_NOTHROW(parse({"--direct", "--block-sizes", "64KiB"}));
}

TEST_CASE("unknown operations, flags and missing values are usage errors", "[unit]") {
  CHECK_THAT(rejection({"--ops", "write,scribble"}),
             Contains("\"scribble\"") && Contains("rewrite") && Contains("random_read"));
  CHECK_THAT(rejection({"--ops", "write,write"}), Contains("twice"));
  CHECK(rejection({"--x"}) == "unknown flag --x; see gfbench --help");
  CHECK(rejection({"--x=3"}) == "unknown flag --x; see gfbench --help");
  // Google Benchmark leaves the flags it could not take: named as such.
  CHECK_THAT(
      rejection({"--benchmark_bogus=1"}),
      Contains("--benchmark_bogus: Google Benchmark did not take this flag or its value \"1\""));
  CHECK_THAT(rejection({"stray"}), Contains("\"stray\""));
  CHECK_THAT(rejection({"--volume"}), Contains("--volume needs a value"));
  CHECK_THAT(rejection({"--volume="}), Contains("--volume needs a value"));
  CHECK_THAT(rejection({"--sizes", "--fsync"}), Contains("--sizes needs a value"));
  CHECK_THAT(rejection({"--fsync=yes"}), Contains("--fsync takes no value"));
  CHECK_THAT(rejection({"--transport", "udp", "--volume", "v"}),
             Contains("\"udp\"") && Contains("tcp or unix"));
  CHECK_THAT(rejection({"--log-level", "loud"}), Contains("\"loud\"") && Contains("debug"));
  CHECK_THAT(rejection({"--gfapi-log-level", "10"}),
             Contains("\"10\"") && Contains("0 (none) to 9"));
  CHECK_THAT(rejection({"--connect-timeout", "0"}), Contains("\"0\"") && Contains("seconds"));
  CHECK_THAT(rejection({"--connect-timeout", "abc"}), Contains("\"abc\""));
  CHECK_THAT(rejection({"--connect-timeout", "-5"}), Contains("\"-5\""));
  CHECK_THAT(rejection({"--iterations", "-1"}), Contains("\"-1\""));
  CHECK_THAT(rejection({"--iterations", "x"}), Contains("\"x\""));
  CHECK_THAT(rejection({"--scratch-dir", "relative/dir"}), Contains("\"relative/dir\""));
  CHECK_THAT(rejection({"--scratch-dir", "/a/../b"}), Contains("\"/a/../b\""));
  CHECK_THAT(rejection({"--volume", "a/b"}), Contains("\"a/b\""));
}

TEST_CASE("--server HOST[:PORT], repeatable, primary first", "[unit]") {
  const cli_options o =
      parse({"--volume", "gfs-volume-proxmox", "--server", "192.168.1.1",
             "--server=192.168.1.2:24008", "--server", "[::1]:7", "--server", "[fe80::1]"});
  REQUIRE(o.servers.size() == 4);
  CHECK(o.servers[0] ==
        gfbench::volfile_server{gfbench::transport_kind::tcp, "192.168.1.1", 24007});
  CHECK(o.servers[1] ==
        gfbench::volfile_server{gfbench::transport_kind::tcp, "192.168.1.2", 24008});
  CHECK(o.servers[2] == gfbench::volfile_server{gfbench::transport_kind::tcp, "::1", 7});
  CHECK(o.servers[3].host == "fe80::1");
  CHECK(o.servers[3].port == 24007);
  CHECK(o.connect_options().servers == o.servers);

  CHECK(gfbench::app::parse_server("h:1", gfbench::transport_kind::tcp).port == 1);
  CHECK(gfbench::app::parse_server("h:65535", gfbench::transport_kind::tcp).port == 65535);
}

TEST_CASE("--server rejects bad ports and hosts, naming them", "[unit]") {
  for (const std::string port : {"0", "70000", "65536", "abc", "-1", ""}) {
    INFO(port);
    const std::string message = rejection({"--volume", "v", "--server", "host:" + port});
    CHECK_THAT(message, Contains("\"host:" + port + "\""));
    CHECK_THAT(message, Contains("1 to 65535"));
  }
  CHECK_THAT(rejection({"--volume", "v", "--server", ":24007"}), Contains("\":24007\""));
  CHECK_THAT(rejection({"--volume", "v", "--server", "::1"}), Contains("brackets"));
  CHECK_THAT(rejection({"--volume", "v", "--server", "[::1"}), Contains("\"[::1\""));
  CHECK_THAT(rejection({"--volume", "v", "--server", "a", "--server", "a:24007"}),
             Contains("twice"));
  CHECK_THAT(rejection({"--server", "a"}), Contains("--server needs --volume"));
}

TEST_CASE("--transport unix takes socket paths", "[unit]") {
  const cli_options o = parse({"--server", "/run/gd.sock", "--transport", "unix", "--volume", "v"});
  REQUIRE(o.servers.size() == 1);
  CHECK(o.servers[0].transport == gfbench::transport_kind::unix_socket);
  CHECK(o.servers[0].host == "/run/gd.sock");

  const cli_options d = parse({"--volume", "v", "--transport=unix"});
  REQUIRE(d.servers.size() == 1);
  CHECK(d.servers[0].host == "/var/run/glusterd.socket");

  CHECK_THAT(rejection({"--volume", "v", "--transport", "unix", "--server", "host:24007"}),
             Contains("\"host:24007\"") && Contains("absolute path"));
}

TEST_CASE("--posix DIR[=LABEL]; default labels come from the file system", "[unit]") {
  cli_options o = parse({"--posix", "/mnt/gluster", "--posix", "/srv/local=disk", "--posix",
                         "/data/a=b/c", "--posix", "/data/other", "--volume", "v"});
  REQUIRE(o.posix_targets.size() == 4);
  CHECK(o.posix_targets[0].directory == "/mnt/gluster");
  CHECK(o.posix_targets[0].label.empty());
  CHECK(o.posix_targets[1].directory == "/srv/local");
  CHECK(o.posix_targets[1].label == "disk");
  CHECK(o.posix_targets[2].directory == "/data/a=b/c");  // '=' inside a path is not a label
  CHECK(o.posix_targets[2].label.empty());

  // /mnt/gluster is "FUSE", the others are not: two would be "posix".
  const auto fake_probe = [](const std::filesystem::path& p) { return p == "/mnt/gluster"; };
  cli_options two_posix = o;
  CHECK_THROWS_WITH(gfbench::app::assign_target_labels(two_posix, fake_probe),
                    Contains("\"posix\"") && Contains("/data/a=b/c") && Contains("/data/other") &&
                        Contains("--posix DIR=LABEL"));

  o.posix_targets.pop_back();
  gfbench::app::assign_target_labels(o, fake_probe);
  CHECK(o.posix_targets[0].label == "fuse");
  CHECK(o.posix_targets[1].label == "disk");
  CHECK(o.posix_targets[2].label == "posix");

  cli_options clash = parse({"--volume", "v", "--posix", "/x=gfapi"});
  CHECK_THROWS_WITH(
      gfbench::app::assign_target_labels(clash, [](const std::filesystem::path&) { return false; }),
      Contains("\"gfapi\""));

  CHECK_THAT(rejection({"--posix", "/x=bad label"}), Contains("\"/x=bad label\""));
  CHECK_THAT(rejection({"--posix", "=fuse"}), Contains("\"=fuse\""));
}

TEST_CASE("a local directory is not a FUSE mount", "[unit]") {
  CHECK_FALSE(gfbench::app::on_fuse_filesystem(std::filesystem::temp_directory_path()));
  CHECK_FALSE(gfbench::app::on_fuse_filesystem("/nonexistent/gfbench/dir"));
}

TEST_CASE("describe_sizes says how each size was read", "[unit]") {
  const cli_options o = parse({"--sizes", "1MiB,10MB,4096", "--block-sizes", "128B"});
  const std::string text = gfbench::app::describe_sizes(o.file_sizes);
  CHECK(text ==
        "1MiB = 1048576 B, 10MB = 10000000 B, 4096; units read as IEC (1 KiB = 1024 B), "
        "SI (1 kB = 1000 B) and bytes");
}

TEST_CASE("--read-only, --files and --op-timeout", "[unit]") {
  using gfbench::app::parse_cli;
  const auto o =
      parse_cli(std::vector<std::string>{"--volume", "v", "--read-only", "--files", "/a,/b/c",
                                         "--files", "/d", "--op-timeout", "2.5"});
  CHECK(o.read_only);
  CHECK(o.files == std::vector<std::string>{"/a", "/b/c", "/d"});
  CHECK(o.operations == std::vector<gfbench::operation>{gfbench::operation::read});
  CHECK(o.op_timeout == 2500ms);
  CHECK(parse_cli(std::vector<std::string>{"--volume", "v"}).op_timeout == 60s);

  auto rejected = [](std::vector<std::string> args) {
    try {
      parse_cli(args);
    } catch (const gfbench::app::usage_error& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  CHECK_THAT(rejected({"--volume", "v", "--read-only", "--files", "/a", "--ops", "randwrite"}),
             Contains("\"random_write\""));
  CHECK_THAT(rejected({"--volume", "v", "--read-only", "--files", "/a", "--sizes", "1MiB"}),
             Contains("--sizes does not go with --read-only"));
  CHECK_THAT(rejected({"--volume", "v", "--read-only", "--files", "/a", "--fsync"}),
             Contains("--fsync"));
  CHECK_THAT(rejected({"--read-only", "--files", "/a"}), Contains("--volume or --posix"));
  CHECK_THAT(rejected({"--volume", "v", "--read-only", "--files", "/a/../b"}), Contains("'..'"));
  CHECK_THAT(rejected({"--volume", "v", "--op-timeout", "-1"}), Contains("--op-timeout"));
  CHECK_THAT(rejected({"--volume", "v", "--read-only", "--files", "/a", "--direct", "--block-sizes",
                       "1000"}),
             Contains("\"1000\""));
}
