#pragma once
// How sure a figure is, and whether two differ: 95 % confidence intervals
// and the tests behind the summary's verdicts.
//
// Samples are one value per repetition (a round of every case, docs/
// statistics.md): repetitions are what the machine's drift moves, so an
// interval over them holds that drift, where one over the records of a
// single pass would not. Rates and latencies are positive and skewed: they
// are compared as logarithms, so a ratio's interval is a ratio's.
//
// A comparison of two cases that ran interleaved (A, B, A, B: the same
// rounds) is paired: each round's A over B, which drift moves less than A
// or B alone. Two runs compared after the fact are not paired (Welch's
// test). Many comparisons at once are corrected with Holm's step-down, so
// that a summary of many cells does not cry wolf: the chance that any cell
// says "different" when none is stays at 5 %.

#include <cstddef>
#include <string>
#include <vector>

namespace gfbench::app {

/// Student's t distribution: P(T <= t) with `df` degrees of freedom.
[[nodiscard]] double student_t_cdf(double t, double df);
/// The t with P(T <= t) = p.
[[nodiscard]] double student_t_quantile(double p, double df);

/// A figure and its confidence interval.
struct interval {
  double value = 0;  ///< the estimate
  double low = 0;
  double high = 0;
  double cv = 0;      ///< the samples' coefficient of variation (stddev / mean)
  std::size_t n = 0;  ///< samples
  /// With fewer than 2 samples there is no interval.
  [[nodiscard]] bool known() const noexcept { return n >= 2; }
  /// Half the interval's width, as a share of the value: 0.06 for ±6 %.
  [[nodiscard]] double relative_half_width() const noexcept;
};

/// The mean of `samples` with Student's t interval.
[[nodiscard]] interval mean_interval(const std::vector<double>& samples, double confidence = 0.95);
/// For positive, skewed samples: the geometric mean with the t interval of
/// the logarithms, taken back. Non-positive samples are left out.
[[nodiscard]] interval log_interval(const std::vector<double>& samples, double confidence = 0.95);

/// What a comparison of A with B can say.
enum class verdict {
  higher,         ///< A is higher than B
  lower,          ///< A is lower than B
  no_difference,  ///< none that this run can show
  too_few,        ///< fewer than 2 samples on a side (or pairs): no test
};

/// A over B.
struct comparison {
  double ratio = 1;  ///< geometric mean of A over geometric mean of B
  double low = 0;    ///< its 95 % interval (unadjusted)
  double high = 0;
  double p = 1;           ///< two-sided, of "no difference"
  double p_adjusted = 1;  ///< after the family's correction (Holm)
  std::size_t n = 0;      ///< pairs, or the smaller side
  bool paired = false;
  [[nodiscard]] gfbench::app::verdict verdict(double alpha = 0.05) const noexcept;
};

/// Round by round: a[i] and b[i] ran in the same round (equal sizes).
[[nodiscard]] comparison compare_paired(const std::vector<double>& a, const std::vector<double>& b);
/// Two separate runs: Welch's t-test on the logarithms.
[[nodiscard]] comparison compare_unpaired(const std::vector<double>& a,
                                          const std::vector<double>& b);
/// Holm's step-down correction over a family of comparisons: sets each
/// one's p_adjusted. Comparisons without a test (too few) are not counted.
void adjust_holm(const std::vector<comparison*>& family);

/// "±6 %" (the interval's half width); "" when it is not known.
[[nodiscard]] std::string format_plus_minus(const interval& i);
/// "1.10 [1.02-1.19]", with the interval when there is one.
[[nodiscard]] std::string format_ratio_interval(const comparison& c);
/// The ratio with its interval and verdict, as a table cell:
/// "1.10 [1.02-1.19] faster", "0.98 [0.91-1.06] ~", "1.10 (n=1)".
[[nodiscard]] std::string format_comparison_cell(const comparison& c);

}  // namespace gfbench::app
