#include "bench/io/access_sampler.hpp"

#include <algorithm>
#include <cmath>

#include "util/mix.hpp"

namespace gfbench::detail {
namespace {

// log1p(x) / x and expm1(x) / x, both 1 at 0, without the cancellation
// their plain forms suffer near it.
double log1p_over(double x) noexcept { return std::abs(x) > 1e-8 ? std::log1p(x) / x : 1 - x / 2; }
double expm1_over(double x) noexcept { return std::abs(x) > 1e-8 ? std::expm1(x) / x : 1 + x / 2; }

// Rejection inversion's hat: H(x), the integral of h(x) = x^-θ (up to a
// constant), its inverse, and h.
double h_integral(double x, double theta) noexcept {
  const double log_x = std::log(x);
  return expm1_over((1 - theta) * log_x) * log_x;
}
double h_integral_inverse(double x, double theta) noexcept {
  const double t = std::max(x * (1 - theta), -1.0);
  return std::exp(log1p_over(t) * x);
}
double h(double x, double theta) noexcept { return std::exp(-theta * std::log(x)); }

}  // namespace

access_sampler::access_sampler(const access_distribution& d, std::uint64_t records,
                               std::uint64_t seed)
    : kind_(d.kind), records_(std::max<std::uint64_t>(records, 1)), state_(seed) {
  if (kind_ == distribution_kind::zipf) {
    theta_ = d.parameter;
    const auto n = static_cast<double>(records_);
    h_integral_x1_ = h_integral(1.5, theta_) - 1;
    h_integral_n_ = h_integral(n + 0.5, theta_);
    squeeze_ = 2 - h_integral_inverse(h_integral(2.5, theta_) - h(2, theta_), theta_);
  } else if (kind_ == distribution_kind::pareto) {
    pareto_power_ = std::log(d.parameter) / std::log(1 - d.parameter);
  } else if (kind_ == distribution_kind::zoned) {
    double access = 0;
    for (const access_zone& z : d.zones()) {
      access += z.access_percent / 100;
      zone_access_.push_back(access);
    }
    zone_first_ = zone_starts(d.zones(), records_);
  }
}

double access_sampler::uniform() noexcept {
  state_ += 0x9e3779b97f4a7c15ULL;
  return static_cast<double>(mix(state_) >> 11) * 0x1.0p-53;
}

std::uint64_t access_sampler::draw() noexcept {
  switch (kind_) {
    case distribution_kind::zipf:
      return draw_zipf();
    case distribution_kind::pareto: {
      // The hottest share h of the ranks takes 1 - h of the draws: u^p
      // with p = log h / log(1 - h) puts exactly that share below h.
      const double x = std::pow(uniform(), pareto_power_) * static_cast<double>(records_);
      return std::min(static_cast<std::uint64_t>(x), records_ - 1);
    }
    case distribution_kind::zoned:
      return draw_zoned();
    case distribution_kind::sweep:
    case distribution_kind::uniform:
      break;
  }
  return std::min(static_cast<std::uint64_t>(uniform() * static_cast<double>(records_)),
                  records_ - 1);
}

std::uint64_t access_sampler::draw_zipf() noexcept {
  // Rejection inversion: a point under the hat's integral, taken back to
  // x; the rank nearest x is kept when it lies under the true mass (most
  // do at once: the squeeze accepts them without the second test).
  for (;;) {
    const double u = h_integral_n_ + uniform() * (h_integral_x1_ - h_integral_n_);
    const double x = h_integral_inverse(u, theta_);
    auto k = static_cast<std::uint64_t>(std::llround(x));
    k = std::clamp<std::uint64_t>(k, 1, records_);
    const auto kd = static_cast<double>(k);
    if (kd - x <= squeeze_ || u >= h_integral(kd + 0.5, theta_) - h(kd, theta_)) return k - 1;
  }
}

std::uint64_t access_sampler::draw_zoned() noexcept {
  const double u = uniform();
  const auto zone = static_cast<std::size_t>(
      std::upper_bound(zone_access_.begin(), zone_access_.end() - 1, u) - zone_access_.begin());
  const std::uint64_t first = zone_first_[zone];
  const std::uint64_t end = zone + 1 < zone_first_.size() ? zone_first_[zone + 1] : records_;
  const std::uint64_t span = std::max<std::uint64_t>(end - first, 1);
  return first +
         std::min(static_cast<std::uint64_t>(uniform() * static_cast<double>(span)), span - 1);
}

// The zones' first ranks: each at least one record long where there are
// records enough, the last ending at the share's end.
std::vector<std::uint64_t> zone_starts(std::span<const access_zone> zones, std::uint64_t records) {
  std::vector<std::uint64_t> first;
  double size = 0;
  for (const access_zone& z : zones) {
    auto start =
        static_cast<std::uint64_t>(std::llround(size * static_cast<double>(records) / 100));
    if (!first.empty()) start = std::max(start, std::min(first.back() + 1, records - 1));
    first.push_back(std::min(start, records - 1));
    size += z.size_percent;
  }
  return first;
}

bool draws_records(operation op, const io_shape& shape) noexcept {
  if (!shape.queued || shape.distribution.kind == distribution_kind::sweep) return false;
  return op == operation::random_read || op == operation::random_write ||
         op == operation::random_rw;
}

std::array<double, 10> decile_shares(const access_distribution& d, std::uint64_t records) {
  std::array<double, 10> shares{};
  records = std::max<std::uint64_t>(records, 1);
  if (d.kind == distribution_kind::zipf) {
    // Exact: every rank's weight, summed by tenth.
    double total = 0;
    for (std::uint64_t k = 1; k <= records; ++k) {
      const double w = std::pow(static_cast<double>(k), -d.parameter);
      shares[decile_of(k - 1, records)] += w;
      total += w;
    }
    for (double& s : shares) s /= total;
    return shares;
  }
  double before = 0;
  for (unsigned i = 0; i < 10; ++i) {
    // The tenth's last rank, as decile_of counts them.
    std::uint64_t end = ((i + 1) * records + 9) / 10;
    while (end > 0 && decile_of(end - 1, records) > i) --end;
    const double upto =
        d.share_of_first(static_cast<double>(end) / static_cast<double>(records), records);
    shares[i] = upto - before;
    before = upto;
  }
  return shares;
}

}  // namespace gfbench::detail
