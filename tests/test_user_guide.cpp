// docs/user-guide.md describes every flag `gfbench --help` lists: a flag
// added to the help text (tools/gfbench/cli/help_text.cpp) without a line in the guide fails here.

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "cli/cli.hpp"

namespace {

// The flags at the start of the help text's option lines: "  --sizes LIST
// ..." gives --sizes, "  -h, --help" gives -h and --help.
std::vector<std::string> flags_in_help(const std::string& help) {
  std::vector<std::string> flags;
  std::istringstream in(help);
  for (std::string line; std::getline(in, line);) {
    if (!line.starts_with("  -")) continue;
    std::size_t pos = 2;
    while (pos < line.size() && line[pos] == '-') {
      std::size_t end = pos;
      while (end < line.size() && line[end] != ' ' && line[end] != ',') ++end;
      flags.push_back(line.substr(pos, end - pos));
      if (line.compare(end, 2, ", ") != 0) break;
      pos = end + 2;
    }
  }
  return flags;
}

}  // namespace

TEST_CASE("the user guide describes every flag of gfbench --help", "[unit]") {
  const std::filesystem::path guide =
      std::filesystem::path(GFBENCH_TEST_DATA_DIR).parent_path().parent_path() / "docs" /
      "user-guide.md";
  std::ifstream in(guide);
  REQUIRE(in);
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};

  const auto flags = flags_in_help(gfbench::app::help_text());
  REQUIRE(flags.size() > 20);
  for (const std::string& flag : flags) {
    INFO(flag << " is in gfbench --help but not described in " << guide.string());
    // In a table cell or code span: `--flag` or `--flag VALUE`.
    CHECK((text.find("`" + flag + "`") != std::string::npos ||
           text.find("`" + flag + " ") != std::string::npos));
  }
}
