#include "results/confidence.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>

namespace gfbench::app {
namespace {

// The continued fraction of the regularized incomplete beta function
// (modified Lentz): converges fast for x < (a + 1) / (a + b + 2).
double beta_fraction(double a, double b, double x) {
  constexpr double tiny = 1e-300;
  constexpr double epsilon = 1e-15;
  double c = 1;
  double d = 1 - (a + b) * x / (a + 1);
  if (std::fabs(d) < tiny) d = tiny;
  d = 1 / d;
  double f = d;
  for (int m = 1; m <= 500; ++m) {
    const double m2 = 2.0 * m;
    // The even step, then the odd one.
    double step = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
    d = 1 + step * d;
    c = 1 + step / c;
    if (std::fabs(d) < tiny) d = tiny;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1 / d;
    f *= d * c;
    step = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
    d = 1 + step * d;
    c = 1 + step / c;
    if (std::fabs(d) < tiny) d = tiny;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1 / d;
    const double delta = d * c;
    f *= delta;
    if (std::fabs(delta - 1) < epsilon) break;
  }
  return f;
}

// I_x(a, b), the regularized incomplete beta function.
double incomplete_beta(double a, double b, double x) {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const double front = std::exp(std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) +
                                a * std::log(x) + b * std::log1p(-x));
  if (x < (a + 1) / (a + b + 2)) return front * beta_fraction(a, b, x) / a;
  return 1 - front * beta_fraction(b, a, 1 - x) / b;
}

struct moments {
  double mean = 0;
  double variance = 0;  // sample variance (n - 1)
  std::size_t n = 0;
};

moments moments_of(const std::vector<double>& v) {
  moments m{.n = v.size()};
  if (v.empty()) return m;
  m.mean = std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
  if (v.size() < 2) return m;
  double sum = 0;
  for (const double x : v) sum += (x - m.mean) * (x - m.mean);
  m.variance = sum / static_cast<double>(v.size() - 1);
  return m;
}

std::vector<double> logs_of(const std::vector<double>& v) {
  std::vector<double> out;
  for (const double x : v) {
    if (x > 0 && std::isfinite(x)) out.push_back(std::log(x));
  }
  return out;
}

double two_sided_p(double t, double df) {
  if (!std::isfinite(t)) return 0;
  return 2 * (1 - student_t_cdf(std::fabs(t), df));
}

// A comparison from the difference of the logs, its standard error and
// degrees of freedom.
comparison from_log_difference(double difference, double error, double df, std::size_t n,
                               bool paired) {
  comparison c{.ratio = std::exp(difference), .n = n, .paired = paired};
  if (n < 2 || df <= 0) {
    c.low = c.high = c.ratio;
    c.p = c.p_adjusted = 1;
    return c;
  }
  const double t = student_t_quantile(0.975, df);
  c.low = std::exp(difference - t * error);
  c.high = std::exp(difference + t * error);
  c.p = error > 0 ? two_sided_p(difference / error, df) : (difference == 0 ? 1.0 : 0.0);
  c.p_adjusted = c.p;
  return c;
}

}  // namespace

double student_t_cdf(double t, double df) {
  if (df <= 0) return std::numeric_limits<double>::quiet_NaN();
  if (std::isinf(t)) return t > 0 ? 1 : 0;
  const double tail = 0.5 * incomplete_beta(df / 2, 0.5, df / (df + t * t));
  return t >= 0 ? 1 - tail : tail;
}

double student_t_quantile(double p, double df) {
  if (p <= 0) return -std::numeric_limits<double>::infinity();
  if (p >= 1) return std::numeric_limits<double>::infinity();
  if (p < 0.5) return -student_t_quantile(1 - p, df);
  double low = 0, high = 1;
  while (student_t_cdf(high, df) < p) high *= 2;
  for (int i = 0; i < 200 && high - low > 1e-12 * high; ++i) {
    const double middle = (low + high) / 2;
    if (student_t_cdf(middle, df) < p) {
      low = middle;
    } else {
      high = middle;
    }
  }
  return (low + high) / 2;
}

double interval::relative_half_width() const noexcept {
  if (!known() || value == 0) return 0;
  return (high - low) / 2 / std::fabs(value);
}

interval mean_interval(const std::vector<double>& samples, double confidence) {
  const moments m = moments_of(samples);
  interval i{.value = m.mean, .low = m.mean, .high = m.mean, .n = m.n};
  if (m.n < 2) return i;
  const double sd = std::sqrt(m.variance);
  const double half = student_t_quantile(0.5 + confidence / 2, static_cast<double>(m.n - 1)) * sd /
                      std::sqrt(static_cast<double>(m.n));
  i.low = m.mean - half;
  i.high = m.mean + half;
  i.cv = m.mean != 0 ? sd / std::fabs(m.mean) : 0;
  return i;
}

interval log_interval(const std::vector<double>& samples, double confidence) {
  const std::vector<double> logs = logs_of(samples);
  const interval l = mean_interval(logs, confidence);
  interval i{
      .value = std::exp(l.value), .low = std::exp(l.low), .high = std::exp(l.high), .n = l.n};
  // The coefficient of variation of the samples themselves.
  const moments m = moments_of(samples);
  if (m.n >= 2 && m.mean != 0) i.cv = std::sqrt(m.variance) / std::fabs(m.mean);
  return i;
}

verdict comparison::verdict(double alpha) const noexcept {
  if (n < 2) return verdict::too_few;
  if (p_adjusted >= alpha) return verdict::no_difference;
  return ratio > 1 ? verdict::higher : verdict::lower;
}

comparison compare_paired(const std::vector<double>& a, const std::vector<double>& b) {
  std::vector<double> differences;
  for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
    if (a[i] > 0 && b[i] > 0) differences.push_back(std::log(a[i] / b[i]));
  }
  const moments m = moments_of(differences);
  return from_log_difference(
      m.mean, std::sqrt(m.variance / static_cast<double>(std::max<std::size_t>(m.n, 1))),
      static_cast<double>(m.n) - 1, m.n, true);
}

comparison compare_unpaired(const std::vector<double>& a, const std::vector<double>& b) {
  const moments x = moments_of(logs_of(a));
  const moments y = moments_of(logs_of(b));
  const std::size_t n = std::min(x.n, y.n);
  if (n < 2) return from_log_difference(x.mean - y.mean, 0, 0, n, false);
  const double vx = x.variance / static_cast<double>(x.n);
  const double vy = y.variance / static_cast<double>(y.n);
  const double error = std::sqrt(vx + vy);
  // Welch-Satterthwaite.
  const double df =
      error > 0
          ? (vx + vy) * (vx + vy) /
                (vx * vx / static_cast<double>(x.n - 1) + vy * vy / static_cast<double>(y.n - 1))
          : static_cast<double>(x.n + y.n - 2);
  return from_log_difference(x.mean - y.mean, error, df, n, false);
}

void adjust_holm(const std::vector<comparison*>& family) {
  std::vector<comparison*> tested;
  for (comparison* c : family) {
    if (c != nullptr && c->n >= 2) tested.push_back(c);
  }
  std::sort(tested.begin(), tested.end(),
            [](const comparison* x, const comparison* y) { return x->p < y->p; });
  const double m = static_cast<double>(tested.size());
  double running = 0;
  for (std::size_t k = 0; k < tested.size(); ++k) {
    running = std::max(running, std::min(1.0, (m - static_cast<double>(k)) * tested[k]->p));
    tested[k]->p_adjusted = running;
  }
}

std::string format_plus_minus(const interval& i) {
  if (!i.known()) return {};
  const double percent = 100 * i.relative_half_width();
  char buf[32];
  std::snprintf(buf, sizeof buf, percent < 9.95 ? "±%.1f%%" : "±%.0f%%", percent);
  return buf;
}

std::string format_ratio_interval(const comparison& c) {
  char buf[64];
  if (c.n < 2) {
    std::snprintf(buf, sizeof buf, "%.2f", c.ratio);
  } else {
    std::snprintf(buf, sizeof buf, "%.2f [%.2f-%.2f]", c.ratio, c.low, c.high);
  }
  return buf;
}

std::string format_comparison_cell(const comparison& c) {
  switch (c.verdict()) {
    case verdict::higher:
      return format_ratio_interval(c) + " faster";
    case verdict::lower:
      return format_ratio_interval(c) + " slower";
    case verdict::no_difference:
      return format_ratio_interval(c) + " ~";
    case verdict::too_few:
      break;
  }
  return format_ratio_interval(c) + " (n=" + std::to_string(c.n) + ")";
}

}  // namespace gfbench::app
