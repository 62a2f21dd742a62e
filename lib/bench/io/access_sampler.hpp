#pragma once
// Draws of a skewed access distribution (gfbench/distribution.hpp) over one
// thread's share of records: a rank, 0 the hottest, in constant time and
// memory however large the share. Zipf is drawn exactly by rejection
// inversion (Hörmann and Derflinger, 1996), not by a table of the share's
// probabilities, which would cost 8 bytes a record.

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "gfbench/case.hpp"
#include "gfbench/distribution.hpp"

namespace gfbench::detail {

class access_sampler {
 public:
  /// Draws over `records` ranks (at least 1), from `seed`.
  access_sampler(const access_distribution& d, std::uint64_t records, std::uint64_t seed);

  /// The next rank, in [0, records).
  [[nodiscard]] std::uint64_t draw() noexcept;

 private:
  // A draw in [0, 1), 53 random bits.
  double uniform() noexcept;
  [[nodiscard]] std::uint64_t draw_zipf() noexcept;
  [[nodiscard]] std::uint64_t draw_zoned() noexcept;

  distribution_kind kind_;
  std::uint64_t records_;
  std::uint64_t state_;
  // zipf: the exponent and the rejection-inversion constants.
  double theta_ = 0;
  double h_integral_x1_ = 0;
  double h_integral_n_ = 0;
  double squeeze_ = 0;
  // pareto: the power the uniform draw is raised to.
  double pareto_power_ = 0;
  // zoned: each zone's cumulative access share and its first rank.
  std::vector<double> zone_access_;
  std::vector<std::uint64_t> zone_first_;
};

/// Whether a case of `op` on `shape` draws its records from the shape's
/// distribution: a queued random operation, with one other than the sweep.
/// The one rule the case's name and its kernel both follow.
[[nodiscard]] bool draws_records(operation op, const io_shape& shape) noexcept;

/// The share of the requests that fall on each tenth of `records` ranks,
/// hottest tenth first, in theory (the tenths as record counts round them).
[[nodiscard]] std::array<double, 10> decile_shares(const access_distribution& d,
                                                   std::uint64_t records);

/// A zoned distribution's zones' first ranks over `records` (at least 1)
/// ranks: each zone at least one rank long where there are ranks enough.
[[nodiscard]] std::vector<std::uint64_t> zone_starts(std::span<const access_zone> zones,
                                                     std::uint64_t records);

/// The tenth of `records` ranks that `rank` is in, 0..9.
[[nodiscard]] inline unsigned decile_of(std::uint64_t rank, std::uint64_t records) noexcept {
  return static_cast<unsigned>(rank * 10 / records);
}

}  // namespace gfbench::detail
