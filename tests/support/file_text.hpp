#pragma once
// The whole content of a file a test's run wrote (a report, a timeline), read
// back to check it. A file that cannot be read fails the test there, instead
// of passing an empty text on to the checks.

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace gfbench::testing {

/// Every byte of `path`, as written (binary: PNGs too).
inline std::string file_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  INFO(path.string());
  REQUIRE(in.good());
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace gfbench::testing
