// A vendor's functional test: it starts gfbench's sandbox (a private
// Gluster on this machine, as root), writes data through libgfapi and
// checks it byte for byte, also after a brick of a replica pair died.

#define CATCH_CONFIG_FAST_COMPILE
#include <catch2/catch.hpp>

#include <gfbench/gfbench.hpp>
#include <random>
#include <vector>

namespace {

std::vector<std::byte> random_bytes(std::size_t n) {
  std::mt19937_64 generator(42);
  std::vector<std::byte> data(n);
  for (auto& b : data) b = static_cast<std::byte>(generator());
  return data;
}

}  // namespace

TEST_CASE("data survives a dead brick on a replica-2 volume", "[vendor]") {
  auto cluster = gfbench::sandbox::start({.nodes = 2});
  cluster.create_volume("vendor-replica", 2, /*replicated=*/true);
  cluster.enter_network();  // before the first connection: libgfapi's threads inherit it
  auto options = cluster.client_options("vendor-replica");
  options.skip_fini = true;  // the test process exits right after
  auto vol = gfbench::volume::connect(options);

  const auto data = random_bytes(5 * 1024 * 1024 + 3);
  cluster.kill_brick("vendor-replica", 1);
  {
    auto f = vol.create("/vendor-data");
    f.pwrite_all(data, 0);
    f.fsync();
    f.close();
  }
  cluster.restart_bricks("vendor-replica");
  cluster.wait_healed("vendor-replica");

  auto back = vol.open("/vendor-data", {.access = gfbench::access_mode::read_only}).read_all();
  REQUIRE(back == data);
  vol.unlink("/vendor-data");
}
