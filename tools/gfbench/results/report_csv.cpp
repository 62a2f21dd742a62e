// summary.csv: one row per case, RFC 4180.

#include <string>
#include <vector>

#include "gfbench/units.hpp"
#include "results/report.hpp"
#include "results/report_numbers.hpp"

namespace gfbench::app {
namespace {

// RFC 4180: quoted only when it has to be.
std::string csv_field(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string csv_number(const std::optional<double>& value, double scale = 1.0) {
  if (!value || !std::isfinite(*value)) return {};
  return format_number(*value / scale);
}

}  // namespace

std::string format_report_csv(const std::vector<case_statistics>& stats,
                              std::string_view reference) {
  std::string out =
      "name,target,operation,cache,file_size_bytes,file_size,block_size_bytes,block_size,"
      "repetitions,failed_repetitions,"
      "mean_bytes_per_s,median_bytes_per_s,stddev_bytes_per_s,min_bytes_per_s,max_bytes_per_s,"
      "mean_kib_per_s,median_kib_per_s,stddev_kib_per_s,"
      "lat_p50_us,lat_p99_us,lat_max_us,ratio_";
  out += reference;
  out +=
      "_over_this,fsync_timed,degraded_repetitions,served_from_caches,brick_write_share,"
      "brick_read_bytes,brick_write_bytes,lat_p90_us,lat_p999_us,lat_p9999_us\n";
  for (const case_statistics& s : stats) {
    const case_summary& c = *s.source;
    const std::vector<std::string> fields{
        csv_field(c.name),
        csv_field(c.target),
        csv_field(c.operation),
        csv_field(c.cache),
        std::to_string(c.file_size),
        format_iec(c.file_size),
        std::to_string(c.block_size),
        format_iec(c.block_size),
        std::to_string(s.repetitions),
        std::to_string(s.failed),
        csv_number(s.mean),
        csv_number(s.median),
        csv_number(s.stddev),
        csv_number(s.min),
        csv_number(s.max),
        csv_number(s.mean, bytes_per_kib),
        csv_number(s.median, bytes_per_kib),
        csv_number(s.stddev, bytes_per_kib),
        s.latency ? format_number(s.latency->p50_us) : std::string(),
        s.latency ? csv_number(s.latency->p99_us) : std::string(),
        s.latency ? format_number(s.latency->max_us) : std::string(),
        format_ratio(s.reference_ratio),
        c.fsync_timed ? "1" : "0",
        std::to_string(c.degraded),
        csv_number(cache_share(c)),
        csv_number(brick_write_share(c)),
        csv_number(counter_median(c, "brick_read_bytes")),
        csv_number(counter_median(c, "brick_write_bytes")),
        s.latency ? csv_number(s.latency->p90_us) : std::string(),
        s.latency ? csv_number(s.latency->p999_us) : std::string(),
        s.latency ? csv_number(s.latency->p9999_us) : std::string(),
    };
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (i > 0) out += ',';
      out += fields[i];
    }
    out += '\n';
  }
  return out;
}

}  // namespace gfbench::app
