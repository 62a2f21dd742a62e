// The access distributions' names, fio's notation read back, and their
// shares in theory (gfbench/distribution.hpp).

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>
#include <system_error>

#include "bench/io/access_sampler.hpp"
#include "gfbench/distribution.hpp"

namespace gfbench {
namespace {

std::string number(double v) {
  char buf[32];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc{} ? std::string(buf, end) : std::string("?");
}

std::optional<double> read_number(std::string_view text) {
  double v = 0;
  const auto [ptr, ec] =
      std::from_chars(text.data(), text.data() + text.size(), v, std::chars_format::fixed);
  if (text.empty() || ec != std::errc{} || ptr != text.data() + text.size() || !std::isfinite(v)) {
    return std::nullopt;
  }
  return v;
}

std::optional<access_distribution> refuse(std::string* why, std::string reason) {
  if (why != nullptr) *why = std::move(reason);
  return std::nullopt;
}

std::optional<access_distribution> parse_zones(std::string_view spec, std::string* why) {
  access_distribution d{.kind = distribution_kind::zoned};
  double access = 0;
  double size = 0;
  while (!spec.empty()) {
    const std::size_t colon = spec.find(':');
    const std::string_view zone = spec.substr(0, colon);
    spec = colon == std::string_view::npos ? std::string_view{} : spec.substr(colon + 1);
    const std::size_t slash = zone.find('/');
    const auto a = read_number(zone.substr(0, slash));
    const auto z =
        slash == std::string_view::npos ? std::nullopt : read_number(zone.substr(slash + 1));
    if (!a || !z || *a <= 0 || *z <= 0) {
      return refuse(why, "a zone is ACCESS%/SIZE%, both above 0, such as 60/10, not \"" +
                             std::string(zone) + "\"");
    }
    if (d.zone_count == max_access_zones) {
      return refuse(why, "at most " + std::to_string(max_access_zones) + " zones");
    }
    d.zone_list[d.zone_count++] = {.access_percent = *a, .size_percent = *z};
    access += *a;
    size += *z;
  }
  if (std::abs(access - 100) > 1e-9 || std::abs(size - 100) > 1e-9) {
    return refuse(why, "the zones' access shares and sizes must each add up to 100, not " +
                           number(access) + " and " + number(size));
  }
  return d;
}

}  // namespace

std::string access_distribution::name() const {
  switch (kind) {
    case distribution_kind::sweep:
      return "sweep";
    case distribution_kind::uniform:
      return "uniform";
    case distribution_kind::zipf:
      return "zipf:" + number(parameter);
    case distribution_kind::pareto:
      return "pareto:" + number(parameter);
    case distribution_kind::zoned:
      break;
  }
  std::string out = "zoned";
  for (const access_zone& z : zones()) {
    out += ":" + number(z.access_percent) + "/" + number(z.size_percent);
  }
  return out;
}

double access_distribution::share_of_first(double fraction, std::uint64_t records) const {
  records = std::max<std::uint64_t>(records, 1);
  const auto n = static_cast<double>(records);
  const double m = std::clamp(std::round(fraction * n), 0.0, n);
  switch (kind) {
    case distribution_kind::sweep:
    case distribution_kind::uniform:
      return m / n;
    case distribution_kind::pareto:
      return std::pow(m / n, std::log(1 - parameter) / std::log(parameter));
    case distribution_kind::zipf: {
      double first = 0;
      double total = 0;
      for (std::uint64_t k = 1; k <= records; ++k) {
        const double w = std::pow(static_cast<double>(k), -parameter);
        total += w;
        if (static_cast<double>(k) <= m) first += w;
      }
      return first / total;
    }
    case distribution_kind::zoned:
      break;
  }
  const std::vector<std::uint64_t> starts = detail::zone_starts(zones(), records);
  double share = 0;
  for (std::size_t z = 0; z < zone_count; ++z) {
    const auto lo = static_cast<double>(starts[z]);
    const double hi = z + 1 < starts.size() ? static_cast<double>(starts[z + 1]) : n;
    share +=
        zone_list[z].access_percent / 100 * std::clamp((m - lo) / std::max(hi - lo, 1.0), 0.0, 1.0);
  }
  return share;
}

std::optional<access_distribution> parse_distribution(std::string_view text, std::string* why) {
  if (text == "uniform") return access_distribution{.kind = distribution_kind::uniform};
  if (text == "sweep") return access_distribution{};
  const std::size_t colon = text.find(':');
  const std::string_view kind = text.substr(0, colon);
  const std::string_view rest =
      colon == std::string_view::npos ? std::string_view{} : text.substr(colon + 1);
  if (kind == "zoned") return parse_zones(rest, why);
  if (kind != "zipf" && kind != "pareto") {
    return refuse(why,
                  "expected uniform, zipf:THETA, pareto:H or zoned:A/S:A/S... (fio's "
                  "random_distribution), or sweep");
  }
  const auto v = read_number(rest);
  if (kind == "zipf") {
    if (!v || *v <= 0) return refuse(why, "zipf's θ is a number above 0, such as zipf:1.2");
    return access_distribution{.kind = distribution_kind::zipf, .parameter = *v};
  }
  if (!v || *v <= 0 || *v >= 1) {
    return refuse(why, "pareto's h is a number between 0 and 1, such as pareto:0.2 (80/20)");
  }
  return access_distribution{.kind = distribution_kind::pareto, .parameter = *v};
}

}  // namespace gfbench
