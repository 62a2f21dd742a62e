#pragma once
// Captured output of real programs (the gluster CLI, io-stats dumps,
// Proxmox's storage.cfg) in tests/data, for the parsers' tests.

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace gfbench::testing {

/// tests/data, where the samples are.
inline const std::filesystem::path& sample_dir() {
  static const std::filesystem::path dir = GFBENCH_TEST_DATA_DIR;
  return dir;
}

/// The whole text of tests/data/`name`; the test fails if it cannot be read.
inline std::string sample(const std::string& name) {
  std::ifstream in(sample_dir() / name);
  REQUIRE(in);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace gfbench::testing
