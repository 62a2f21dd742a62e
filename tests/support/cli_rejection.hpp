#pragma once
// The message of the usage_error a gfbench command line must raise; the
// test fails when the command line is accepted.

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "cli/cli.hpp"

namespace gfbench::testing {

inline std::string rejection(const std::vector<std::string>& args) {
  try {
    static_cast<void>(gfbench::app::parse_cli(args));
  } catch (const gfbench::app::usage_error& e) {
    return e.what();
  }
  FAIL("accepted a bad command line");
  return {};
}

}  // namespace gfbench::testing
