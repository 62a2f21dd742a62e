// The flags for output and Proxmox: --report, --pve-storage, --pve-config,
// and where libgfapi's log goes by default.

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "cli/cli.hpp"

using Catch::Matchers::Contains;
using gfbench::app::parse_cli;
using gfbench::app::usage_error;

TEST_CASE("--report DIR is kept for the tool", "[unit]") {
  CHECK(parse_cli(std::vector<std::string>{}).report_dir.empty());
  CHECK(parse_cli({"--report", "/tmp/r"}).report_dir == "/tmp/r");
  CHECK(parse_cli({"--report=out"}).report_dir == "out");
  CHECK_THROWS_WITH(parse_cli({"--report"}), Contains("--report needs a value"));
}

TEST_CASE("libgfapi's log never defaults to the terminal", "[unit]") {
  const auto defaults = parse_cli({"--volume", "v"});
  CHECK(defaults.gfapi_log.empty());  // the tool picks: report dir, sandbox dir, /dev/null
  CHECK(defaults.connect_options().log_file == "/dev/null");
  const auto given = parse_cli({"--volume", "v", "--gfapi-log", "/tmp/g.log"});
  CHECK(given.connect_options().log_file == "/tmp/g.log");
}

TEST_CASE("--pve-storage names a storage; it excludes --volume, --server, --transport", "[unit]") {
  const auto o = parse_cli({"--pve-storage", "GlusterFS"});
  CHECK(o.pve_storage == "GlusterFS");
  CHECK(o.pve_config.empty());
  CHECK_FALSE(o.zero_config());  // no sandbox: the storage is the target
  CHECK(o.volume.empty());       // filled in by the tool from storage.cfg

  const auto with_file = parse_cli({"--pve-storage=GlusterFS", "--pve-config", "/tmp/s.cfg"});
  CHECK(with_file.pve_config == "/tmp/s.cfg");

  CHECK_THROWS_AS(parse_cli({"--pve-config", "/tmp/s.cfg"}), usage_error);
  CHECK_THROWS_WITH(parse_cli({"--pve-config", "/tmp/s.cfg"}), Contains("needs --pve-storage"));
  for (const auto& extra : std::vector<std::vector<std::string>>{
           {"--volume", "v"}, {"--server", "h"}, {"--transport", "tcp"}}) {
    std::vector<std::string> args{"--pve-storage", "GlusterFS"};
    args.insert(args.end(), extra.begin(), extra.end());
    CHECK_THROWS_WITH(parse_cli(args), Contains("leave out --volume, --server and --transport"));
  }
  CHECK_THROWS_WITH(parse_cli({"--pve-storage", "a b"}), Contains("expected a storage ID"));
  CHECK_THROWS_WITH(parse_cli({"--pve-storage", "a/b"}), Contains("expected a storage ID"));
}
