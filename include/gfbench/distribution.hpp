#pragma once
/// \file
/// Which records a queued random case visits, and how often: a disk image's
/// blocks are not equally hot. The names and meanings are fio's
/// (random_distribution): uniform, zipf:θ, pareto:h, zoned:A/S:A/S...
///
/// The rules of queued cases still hold: each thread draws from its own
/// share of the file's records (a contiguous part of the pass's random
/// order, so its hot records lie scattered over the file), and no record is
/// ever twice in flight. A draw that lands on a record in flight is drawn
/// again, up to `redraws` times, and then takes the next record of the
/// share (in the distribution's order, hottest first) that is free; a hot
/// record thus limits depth, and the case reports how far the requests it
/// sent are from the distribution asked for.
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "gfbench/export.hpp"

namespace gfbench {

enum class distribution_kind {
  /// No draws: each pass goes over the share in the pass's random order,
  /// every record once per sweep (IOzone's -i 2, fio's randommap). The
  /// default.
  sweep,
  /// Every record equally likely, drawn with replacement.
  uniform,
  /// Zipf: the record of rank k (1 the hottest) drawn with a probability
  /// proportional to 1/k^θ (θ > 0; fio's zipf:1.2).
  zipf,
  /// Pareto: the hottest share h of the records takes 1 - h of the
  /// requests, and so on within it (0 < h < 1; pareto:0.2 is the 80/20
  /// rule).
  pareto,
  /// Zones: A % of the requests on the next S % of the share, zone after
  /// zone, uniform within each (zoned:60/10:30/20:10/70).
  zoned,
};

/// One zone of a zoned distribution: `access_percent` of the requests on
/// the next `size_percent` of the records.
struct access_zone {
  double access_percent = 0;
  double size_percent = 0;
};

/// The most zones a zoned distribution has.
inline constexpr std::size_t max_access_zones = 16;

/// Plain data, as io_shape is: the zones are an array, not a vector.
struct access_distribution {
  distribution_kind kind = distribution_kind::sweep;
  double parameter = 0;  ///< zipf's θ, pareto's h
  /// zoned: the first `zone_count`, in order as given.
  std::array<access_zone, max_access_zones> zone_list{};
  std::size_t zone_count = 0;

  [[nodiscard]] std::span<const access_zone> zones() const noexcept {
    return {zone_list.data(), zone_count};
  }
  /// "sweep", "uniform", "zipf:1.2", "pareto:0.2", "zoned:60/10:40/90".
  [[nodiscard]] GFBENCH_API std::string name() const;
  /// The share of the requests that fall on the first `fraction` (0..1) of
  /// the records in the distribution's order, in theory.
  [[nodiscard]] GFBENCH_API double share_of_first(double fraction, std::uint64_t records) const;
};

/// A draw on a record in flight is drawn again this many times, then the
/// next free record is taken.
inline constexpr int distribution_redraws = 4;

/// fio's notation, as `name()` writes it; nullopt with a reason in `why`
/// when it is not one: θ must be above 0, h between 0 and 1 (exclusive),
/// zones' access and size percentages each above 0 and adding up to 100,
/// at most max_access_zones zones.
[[nodiscard]] GFBENCH_API std::optional<access_distribution> parse_distribution(
    std::string_view text, std::string* why = nullptr);

}  // namespace gfbench
