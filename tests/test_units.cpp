// Byte sizes as people write them (gfbench/units.hpp): IEC and SI units,
// every rejection naming the text and what is expected, and the shortest
// exact form back.

#include <catch2/catch.hpp>

#include <cstdint>
#include <stdexcept>

#include "gfbench/units.hpp"

using Catch::Matchers::Contains;
using gfbench::size_error;

namespace {

constexpr std::uint64_t KiB = 1024;
constexpr std::uint64_t MiB = 1024 * KiB;

}  // namespace

TEST_CASE("parse_size reads IEC, SI and plain bytes, case-insensitively", "[unit]") {
  CHECK(gfbench::parse_size("4096").bytes == 4096);
  CHECK(gfbench::parse_size("4096B").bytes == 4096);
  CHECK(gfbench::parse_size("4KiB").bytes == 4 * KiB);
  CHECK(gfbench::parse_size("4kib").bytes == 4 * KiB);
  CHECK(gfbench::parse_size("10MiB").bytes == 10 * MiB);
  CHECK(gfbench::parse_size("1GiB").bytes == 1024 * MiB);
  CHECK(gfbench::parse_size("1TiB").bytes == std::uint64_t{1} << 40);
  CHECK(gfbench::parse_size("1k").bytes == 1000);
  CHECK(gfbench::parse_size("1K").bytes == 1000);
  CHECK(gfbench::parse_size("10MB").bytes == 10'000'000);
  CHECK(gfbench::parse_size("10mb").bytes == 10'000'000);
  CHECK(gfbench::parse_size("2G").bytes == 2'000'000'000);
  CHECK(gfbench::parse_size("3TB").bytes == 3'000'000'000'000);
  CHECK(gfbench::parse_size("16777215TiB").bytes == 16777215ull << 40);
  CHECK(gfbench::parse_size("18446744073709551615").bytes == 18446744073709551615ull);

  CHECK(gfbench::parse_size("1MiB").convention == "IEC (1 KiB = 1024 B)");
  CHECK(gfbench::parse_size("1MB").convention == "SI (1 kB = 1000 B)");
  CHECK(gfbench::parse_size("512").convention == "bytes");
}

TEST_CASE("parse_size rejects what is not a positive whole size", "[unit]") {
  using gfbench::size_error;
  CHECK_THROWS_WITH(gfbench::parse_size("0"), Contains("\"0\"") && Contains("at least 1 byte"));
  CHECK_THROWS_WITH(gfbench::parse_size("0KiB"), Contains("at least 1 byte"));
  CHECK_THROWS_WITH(gfbench::parse_size("-1"), Contains("\"-1\"") && Contains("negative"));
  CHECK_THROWS_WITH(gfbench::parse_size("abc"), Contains("\"abc\"") && Contains("KiB"));
  CHECK_THROWS_WITH(gfbench::parse_size(""), Contains("empty"));
  CHECK_THROWS_WITH(gfbench::parse_size("10XB"),
                    Contains("\"10XB\"") && Contains("unknown unit \"XB\""));
  CHECK_THROWS_WITH(gfbench::parse_size("1.5MiB"), Contains("fractions"));
  CHECK_THROWS_WITH(gfbench::parse_size("+4KiB"), Contains("\"+4KiB\""));
  CHECK_THROWS_WITH(gfbench::parse_size("4 KiB"), Contains("unknown unit \" KiB\""));
  CHECK_THROWS_WITH(gfbench::parse_size("99999999999999999999"),
                    Contains("\"99999999999999999999\"") && Contains("too large"));
  CHECK_THROWS_WITH(gfbench::parse_size("18446744073709551616"), Contains("too large"));
  CHECK_THROWS_WITH(gfbench::parse_size("16777216TiB"), Contains("too large"));
  CHECK_THROWS_AS(gfbench::parse_size("0"), size_error);
  CHECK_THROWS_AS(gfbench::parse_size("0"), std::invalid_argument);
}

TEST_CASE("format_iec gives the shortest exact form that parse_size reads back", "[unit]") {
  CHECK(gfbench::format_iec(4096) == "4KiB");
  CHECK(gfbench::format_iec(1048576) == "1MiB");
  CHECK(gfbench::format_iec(100 * MiB) == "100MiB");
  CHECK(gfbench::format_iec(1536 * KiB) == "1536KiB");
  CHECK(gfbench::format_iec(1000) == "1000B");
  CHECK(gfbench::format_iec(1) == "1B");
  CHECK(gfbench::format_iec(0) == "0B");
  CHECK(gfbench::format_iec(std::uint64_t{1} << 50) == "1024TiB");
  for (std::uint64_t v : {std::uint64_t{1}, std::uint64_t{4096}, std::uint64_t{10'000'000},
                          std::uint64_t{1} << 50, std::uint64_t{18446744073709551615ull}}) {
    CHECK(gfbench::parse_size(gfbench::format_iec(v)).bytes == v);
  }
}
