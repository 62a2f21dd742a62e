#include "gfbench/units.hpp"

#include <array>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <utility>

namespace gfbench {

namespace {

struct unit {
  std::string_view suffix;  // lower case; matched case-insensitively
  std::uint64_t factor;
  std::string_view convention;
};

constexpr std::string_view iec = "IEC (1 KiB = 1024 B)";
constexpr std::string_view si = "SI (1 kB = 1000 B)";
constexpr std::string_view plain = "bytes";

// A bare "k", "M", ... is SI, as the header promises and as `dd`, `df -H`
// and disk vendors read it. IOzone reads "-s 10m" as 10 MiB; people coming
// from IOzone write "10MiB" here, and gfbench echoes the convention it used
// so a mistake shows before the run.
constexpr std::array<unit, 14> units{{
    {"", 1, plain},
    {"b", 1, plain},
    {"kib", std::uint64_t{1} << 10, iec},
    {"mib", std::uint64_t{1} << 20, iec},
    {"gib", std::uint64_t{1} << 30, iec},
    {"tib", std::uint64_t{1} << 40, iec},
    {"k", 1'000, si},
    {"kb", 1'000, si},
    {"m", 1'000'000, si},
    {"mb", 1'000'000, si},
    {"g", 1'000'000'000, si},
    {"gb", 1'000'000'000, si},
    {"t", 1'000'000'000'000, si},
    {"tb", 1'000'000'000'000, si},
}};

constexpr std::string_view expected =
    "expected a positive whole number with an optional unit: B, KiB, MiB, GiB, TiB "
    "(powers of 1024) or k/kB, M/MB, G/GB, T/TB (powers of 1000), e.g. 4KiB or 10MiB";

[[noreturn]] void fail(std::string_view text, std::string_view why) {
  std::string message = "invalid size \"";
  message += text;
  message += "\": ";
  message += why;
  throw size_error(message);
}

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

const unit* find_unit(std::string_view suffix) {
  const std::string key = lower(suffix);
  for (const unit& u : units) {
    if (u.suffix == key) return &u;
  }
  return nullptr;
}

}  // namespace

parsed_size parse_size(std::string_view text) {
  if (text.empty()) fail(text, "empty; " + std::string(expected));
  if (text.front() == '-') fail(text, "negative sizes make no sense; " + std::string(expected));
  if (!is_digit(text.front())) fail(text, expected);

  std::size_t i = 0;
  std::uint64_t value = 0;
  bool overflow = false;
  constexpr auto max = std::numeric_limits<std::uint64_t>::max();
  for (; i < text.size() && is_digit(text[i]); ++i) {
    const auto digit = static_cast<std::uint64_t>(text[i] - '0');
    if (value > (max - digit) / 10) overflow = true;
    if (!overflow) value = value * 10 + digit;
  }

  if (i < text.size() && (text[i] == '.' || text[i] == ',')) {
    fail(text, "fractions are not allowed; use a smaller unit (e.g. 1536KiB, not 1.5MiB)");
  }
  const std::string_view suffix = text.substr(i);
  const unit* u = find_unit(suffix);
  if (u == nullptr) {
    fail(text, "unknown unit \"" + std::string(suffix) + "\"; " + std::string(expected));
  }
  if (overflow || value > max / u->factor) {
    fail(text, "too large: sizes are limited to 2^64-1 bytes (about 16 EiB)");
  }
  if (value == 0) fail(text, "a size must be at least 1 byte");
  return parsed_size{value * u->factor, std::string(u->convention)};
}

std::string format_rate(double rate_iops) {
  std::string text = std::to_string(std::llround(rate_iops * 1000));
  // Thousandths: "2000000" is 2000, "2500" is 2.5.
  while (text.size() < 4) text.insert(0, "0");
  const std::string whole = text.substr(0, text.size() - 3);
  std::string fraction = text.substr(text.size() - 3);
  while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
  return fraction.empty() ? whole : whole + "." + fraction;
}

std::string format_iec(std::uint64_t bytes) {
  // Largest unit first, up to TiB only, so that parse_size reads back every
  // string this produces.
  static constexpr std::array<std::pair<std::string_view, unsigned>, 4> iec_units{
      {{"TiB", 40}, {"GiB", 30}, {"MiB", 20}, {"KiB", 10}}};
  if (bytes != 0) {
    for (const auto& [name, shift] : iec_units) {
      const std::uint64_t factor = std::uint64_t{1} << shift;
      if (bytes % factor == 0) return std::to_string(bytes / factor) + std::string(name);
    }
  }
  return std::to_string(bytes) + "B";
}

}  // namespace gfbench
