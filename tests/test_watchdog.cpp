// The watchdog (gfbench/watchdog.hpp): a call that runs longer than the
// operation timeout marks its case and target hung, and one that runs
// twice as long is given up on; a call that ends in time is not noticed.

#include <catch2/catch.hpp>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <string>
#include <thread>

#include "bench/watch/watched_scope.hpp"
#include "gfbench/error.hpp"
#include "gfbench/target.hpp"
#include "gfbench/target_wrapper.hpp"
#include "gfbench/watchdog.hpp"
#include "support/temp_dir.hpp"

using Catch::Matchers::Contains;
using namespace std::chrono_literals;

namespace {

// A real directory under a name of the test's choosing: the watchdog only
// needs a target to name and to mark.
class fake_target final : public gfbench::target_wrapper {
 public:
  explicit fake_target(std::string name) : target_wrapper(directory()), name_(std::move(name)) {}
  const std::string& label() const noexcept override { return name_; }
  std::string describe() const override { return "fake " + name_; }

 private:
  static gfbench::target& directory() {
    static const gfbench::testing::temp_dir dir("gfbench-watchdog");
    static const auto posix = gfbench::make_posix_target(dir.path());
    return *posix;
  }
  std::string name_;
};

}  // namespace

TEST_CASE("the watchdog marks a call that runs too long, then gives up on it", "[unit]") {
  fake_target slow("slow");
  std::atomic<int> hangs{0};
  std::atomic<int> give_ups{0};
  gfbench::watchdog_options o;
  o.op_timeout = 150ms;
  o.give_up_after = 400ms;
  std::atomic<bool> first_report_right{false};
  o.on_hang = [&](const gfbench::hang_report& r) {
    if (hangs++ == 0) {
      first_report_right = r.operation == "pread" && r.path == "/scratch/f" &&
                           r.leftover == "/scratch" && r.offset == std::uint64_t{4096} &&
                           r.target == "fake slow" && r.waited >= 150ms;
    }
  };
  o.on_give_up = [&](const gfbench::hang_report&) { ++give_ups; };
  gfbench::configure_watchdog(o);
  CHECK(gfbench::operation_timeout() == 150ms);
  {
    gfbench::detail::watched_scope scope(slow, "/scratch/f", "/scratch");
    // Quick calls never trip it, however many.
    for (int i = 0; i < 1000; ++i) scope.call("pwrite", i, [] {});
    CHECK_FALSE(gfbench::target_hung(slow));

    // Each slow call lasts until the watchdog has said what the test
    // expects of it (bounded), not a fixed time that a loaded machine may
    // not give the watchdog's thread.
    const auto until = [](const std::atomic<int>& count, int value) {
      const auto deadline = std::chrono::steady_clock::now() + 10s;
      while (count < value && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(5ms);
      }
    };
    try {
      scope.call("pread", 4096, [&] { until(give_ups, 1); });
      FAIL("a call that ran until the watchdog gave up on it passed a bound of 150 ms");
    } catch (const gfbench::io_error& e) {
      CHECK(e.errno_value() == ETIMEDOUT);
      CHECK(e.offset() == std::uint64_t{4096});
      CHECK_THAT(e.hint(), Contains("hung: did not return within"));
      CHECK_THAT(e.hint(), Contains("too late to count"));
    }
    CHECK(hangs == 1);
    CHECK(first_report_right);
    CHECK(give_ups == 1);
    CHECK(gfbench::target_hung(slow));

    // The call's own error is kept in the message.
    try {
      scope.call("fsync", {}, [&] {
        until(hangs, 2);
        throw std::runtime_error("Transport endpoint is not connected");
      });
      FAIL("no error");
    } catch (const gfbench::io_error& e) {
      CHECK(e.errno_value() == ETIMEDOUT);
      CHECK_THAT(e.hint(), Contains("it then failed: Transport endpoint is not connected"));
    }
    CHECK(hangs == 2);
    // A call after the hung one is judged on its own.
    CHECK_NOTHROW(scope.call("close", {}, [] {}));
  }
  gfbench::detail::reset_hung_targets();
  CHECK_FALSE(gfbench::target_hung(slow));
  gfbench::configure_watchdog({});
  CHECK(gfbench::operation_timeout() == 60s);
}
