// The comparison scripts (tools/compare-*.sh, tools/cpu-per-io.sh) hand fio
// the sizes gfbench measures with. fio reads the same suffixes the other way
// round by default ("4KiB" is 4000 B to it), so the scripts convert every
// size to bytes with compare_bytes (tools/compare-common.sh): checked here
// on its own, and by fio writing exactly gfbench's bytes and records.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "support/temp_dir.hpp"
#include "util/child_process.hpp"

using Catch::Matchers::Contains;
using gfbench::detail::describe_spawn_failure;
using gfbench::detail::spawn_capture;
using gfbench::detail::spawn_result;
using gfbench::testing::temp_dir;

namespace {

const std::string common_script = std::string(GFBENCH_SCRIPTS_DIR) + "/compare-common.sh";

// compare_bytes FLAG VALUE, as a comparison script calls it.
spawn_result compare_bytes(const std::string& flag, const std::string& value) {
  return spawn_capture({"bash", "-c", "name=compare-test; . \"$0\"; compare_bytes \"$1\" \"$2\"",
                        common_script, flag, value},
                       std::chrono::seconds(30));
}

std::uint64_t bytes_of(const std::string& value) {
  const auto r = compare_bytes("--size", value);
  INFO(value << ": " << describe_spawn_failure({"compare_bytes", value}, r));
  REQUIRE(r.ok());
  return std::stoull(r.out);
}

}  // namespace

TEST_CASE("compare_bytes reads sizes as gfbench does", "[unit]") {
  CHECK(bytes_of("4KiB") == 4096);
  CHECK(bytes_of("4kib") == 4096);
  CHECK(bytes_of("256MiB") == 268'435'456);
  CHECK(bytes_of("1GiB") == 1'073'741'824);
  CHECK(bytes_of("4k") == 4'000);
  CHECK(bytes_of("10MB") == 10'000'000);
  CHECK(bytes_of("4096") == 4096);
  CHECK(bytes_of("4096B") == 4096);
  CHECK(bytes_of("08KiB") == 8192);  // not octal
}

TEST_CASE("compare_bytes refuses what is no size, naming the flag", "[unit]") {
  for (const std::string bad : {"4.5KiB", "0", "x", "", "12q", "KiB"}) {
    INFO("value \"" << bad << "\"");
    const auto r = compare_bytes("--block-sizes", bad);
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK_THAT(r.err, Contains("compare-test: --block-sizes " + bad + " is not a size"));
  }
}

TEST_CASE("fio given compare_bytes' sizes writes gfbench's bytes and records", "[unit]") {
  // fio is the peer every comparison script runs; tools/install-deps.sh installs it.
  REQUIRE(gfbench::detail::find_program("fio"));
  temp_dir dir("gfbench-fio-sizes");
  const auto file = dir.path() / "file";
  const std::uint64_t size = bytes_of("1MiB");
  const std::uint64_t block = bytes_of("4KiB");
  const std::vector<std::string> argv{"fio",
                                      "--name=sizes",
                                      "--ioengine=psync",
                                      "--rw=write",
                                      "--bs=" + std::to_string(block),
                                      "--size=" + std::to_string(size),
                                      "--filename=" + file.string(),
                                      "--output-format=json"};
  const auto r = spawn_capture(argv, std::chrono::seconds(60));
  INFO(describe_spawn_failure(argv, r));
  REQUIRE(r.ok());
  const auto job = nlohmann::json::parse(r.out.substr(r.out.find('{')))["jobs"][0];
  CHECK(job["write"]["io_bytes"].get<std::uint64_t>() == 1'048'576);
  CHECK(job["write"]["total_ios"].get<std::uint64_t>() == 256);
  CHECK(std::filesystem::file_size(file) == 1'048'576);
}
