#pragma once
// The table gfbench prints after a run, in the shape of IOzone's report and
// of the seed study's tables: per target, one row per file size and block
// size, one column per operation, throughput in kB/s where 1 kB = 1024
// bytes; then the ratios, where the bytes went, failures and degraded
// cases.

#include <string>
#include <string_view>
#include <vector>

#include "results/results.hpp"

namespace gfbench::app {

/// Bytes per second as IOzone's kB/s (1 kB = 1024 bytes), rounded, with
/// thousands separators: 1150401536 -> "1,123,439".
[[nodiscard]] std::string format_kb_per_second(double bytes_per_second);

/// The summary table. Targets, rows and operation columns come in the order
/// they first appear in `cases`; a read's column names its cache mode
/// ("read:cold"). When a target labelled `reference` and
/// others ran, a block of ratios reference/other (median over median) follows.
/// A write case with fsync timed is in a column "write+fsync". When cases
/// have brick counters, a block per target follows with cache_share (reads)
/// and brick_write_share (writes; marked '*' without fsync timed).
[[nodiscard]] std::string format_summary(const std::vector<case_summary>& cases,
                                         std::string_view reference = "gfapi");
/// What profiling did to the run, for the lines under the summary: that
/// `gluster volume profile` was on (its cost), and, on a volume gfbench did
/// not create, that brick counters include other clients' I/O. Empty when
/// `profiling` is false.
[[nodiscard]] std::string format_profile_note(bool profiling, bool shared_volume,
                                              std::string_view volume);
/// "failed cases:" and one line per failure; empty when there is none.
[[nodiscard]] std::string format_failures(const std::vector<case_failure>& failures);
/// "degraded cases:" and one line per case that ran while a brick was
/// missing; empty when there is none.
[[nodiscard]] std::string format_degraded(const std::vector<case_summary>& cases);

}  // namespace gfbench::app
