// The libgfapi io-threads workers a gfapi case starts with: counted from the
// process's thread names, reported per case, and named in the summary when
// a case found more than its own requests could have grown.

#include <pthread.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "gluster/client_io_workers.hpp"
#include "support/file_text.hpp"
#include "support/temp_dir.hpp"
#include "support/test_cluster.hpp"
#include "support/tool_runner.hpp"

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using gfbench::app::count_io_workers;
using gfbench::testing::concat;
using gfbench::testing::describe;
using gfbench::testing::file_text;
using gfbench::testing::own_volume;
using gfbench::testing::temp_dir;

TEST_CASE("io-threads workers are the threads named glfs_iotwr", "[unit]") {
  temp_dir tasks;
  const auto task = [&](const std::string& tid, const std::string& comm) {
    fs::create_directory(tasks.path() / tid);
    std::ofstream(tasks.path() / tid / "comm") << comm << '\n';
  };
  task("100", "gfbench");
  task("101", "glfs_iotwr000");
  task("102", "glfs_epoll000");
  task("103", "glfs_iotwr00f");
  task("104", "glfs_iotw");                    // not a worker's name: too short
  fs::create_directory(tasks.path() / "105");  // a thread that ended: no comm
  CHECK(count_io_workers(tasks.path()) == 2);
  CHECK(count_io_workers(tasks.path() / "gone") == 0);

  // This process's own threads, named as libgfapi names its workers.
  const unsigned before = count_io_workers();
  std::atomic<bool> stop{false};
  std::atomic<int> named{0};
  std::vector<std::thread> workers;
  for (int i = 0; i < 3; ++i) {
    workers.emplace_back([&, i] {
      pthread_setname_np(pthread_self(), ("glfs_iotwr0" + std::to_string(10 + i)).c_str());
      ++named;
      while (!stop) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    });
  }
  while (named < 3) std::this_thread::yield();
  CHECK(count_io_workers() == before + 3);
  stop = true;
  for (auto& t : workers) t.join();
  CHECK(count_io_workers() == before);
}

TEST_CASE(
    "each gfapi case reports the io-threads workers it started with, and the summary says "
    "when it found more than its requests in flight",
    "[queued]") {
  own_volume v("gfbench-io-workers");
  temp_dir report;
  // Depth 32 first, then depth 1, in one process and on one connection.
  const auto r = gfbench::testing::run_tool(
      concat(v.args(), {"--ops", "random_read", "--read-cache", "warm", "--sizes", "8MiB",
                        "--queue-depth", "32,1", "--runtime", "1", "--no-profile", "--report",
                        report.path().string(), "--benchmark_repetitions=1"}),
      std::chrono::seconds(180));
  INFO(describe(r));
  REQUIRE(r.exit_code == 0);
  const auto summary = nlohmann::json::parse(file_text(report.path() / "summary.json"));
  REQUIRE(summary["cases"].size() == 2);
  bool any_beyond = false;
  for (const auto& c : summary["cases"]) {
    INFO(c["name"]);
    REQUIRE(c["counters"].contains("client_io_workers"));
    const double workers = c["counters"]["client_io_workers"];
    // The volume's client graph has io-threads (glusterfs' default for a
    // volume without replication), which always keeps one worker.
    CHECK(workers >= 1);
    const double in_flight = c["queue_depth"].get<double>() * c["threads"].get<double>();
    if (workers > in_flight) {
      any_beyond = true;
      CHECK_THAT(r.out, Contains(c["name"].get<std::string>() + " started with more libgfapi "
                                                                "io-threads workers"));
    }
  }
  CHECK((r.out.find("client io-threads: ") != std::string::npos) == any_beyond);
}
