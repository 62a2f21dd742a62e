// Reading the values of gfbench's flags: lists, sizes, operations, cache
// modes, seconds, volfile servers, --posix directories and --files paths.
// Every failure is a usage_error naming the flag, the value and what is
// expected.

#include "cli/flag_values.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>
#include <system_error>

#include "cli/cli.hpp"
#include "gfbench/units.hpp"

namespace gfbench::app {

namespace {

bool is_label_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '.';
}

void check_label(std::string_view label, std::string_view flag_value) {
  if (label.empty() || !std::all_of(label.begin(), label.end(), is_label_char)) {
    bad_value("--posix", flag_value,
              "the label after '=' must be a non-empty name of letters, digits, '_', '-' or '.' "
              "(it becomes part of the case names), e.g. /mnt/gluster=fuse");
  }
}

std::string operation_names() {
  return "write, rewrite, read, reread, random_read (randread), random_write (randwrite)";
}

}  // namespace

std::string in_quotes(std::string_view s) {
  std::string out = "\"";
  out += s;
  out += '"';
  return out;
}

[[noreturn]] void bad_value(std::string_view flag, std::string_view value,
                            std::string_view expected) {
  std::string message = "invalid ";
  message += flag;
  message += ' ';
  message += in_quotes(value);
  message += ": ";
  message += expected;
  throw usage_error(message);
}

std::vector<std::string_view> split_list(std::string_view flag, std::string_view list) {
  std::vector<std::string_view> items;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = list.find(',', start);
    const std::string_view item = list.substr(
        start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    if (item.empty()) {
      bad_value(flag, list,
                "empty entry; expected a comma-separated list without spaces, e.g. 1MiB,10MiB");
    }
    items.push_back(item);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return items;
}

std::vector<size_option> parse_size_list(std::string_view flag, std::string_view list) {
  std::vector<size_option> sizes;
  for (std::string_view item : split_list(flag, list)) {
    parsed_size parsed;
    try {
      parsed = parse_size(item);
    } catch (const size_error& e) {
      throw usage_error(std::string(flag) + ": " + e.what());
    }
    for (const size_option& earlier : sizes) {
      if (earlier.bytes == parsed.bytes) {
        bad_value(flag, list,
                  in_quotes(earlier.text) + " and " + in_quotes(item) + " are the same size (" +
                      format_iec(parsed.bytes) + "); list each size once");
      }
    }
    sizes.push_back({parsed.bytes, std::string(item), std::move(parsed.convention)});
  }
  return sizes;
}

std::vector<operation> parse_operation_list(std::string_view list) {
  std::vector<operation> ops;
  for (std::string_view item : split_list("--ops", list)) {
    const std::optional<operation> op = parse_operation(item);
    if (!op) {
      throw usage_error("invalid --ops: unknown operation " + in_quotes(item) + "; expected " +
                        operation_names());
    }
    if (std::find(ops.begin(), ops.end(), *op) != ops.end()) {
      throw usage_error("invalid --ops: " + in_quotes(item) + " is listed twice");
    }
    ops.push_back(*op);
  }
  return ops;
}

std::vector<cache_mode> parse_cache_list(std::string_view flag, std::string_view list) {
  const std::string f(flag);
  const bool meta = flag == "--meta-cache";
  std::vector<cache_mode> modes;
  for (std::string_view item : split_list(flag, list)) {
    const std::optional<cache_mode> parsed = parse_cache_mode(item);
    if (!parsed || (meta && *parsed == cache_mode::uncached)) {
      throw usage_error("invalid " + f + ": unknown cache mode " + in_quotes(item) +
                        (meta ? "; expected warm, cold or warm,cold"
                              : "; expected a list of warm, cold and uncached, e.g. warm,cold"));
    }
    const cache_mode mode = *parsed;
    if (std::find(modes.begin(), modes.end(), mode) != modes.end()) {
      throw usage_error("invalid " + f + ": " + in_quotes(item) + " is listed twice");
    }
    modes.push_back(mode);
  }
  return modes;
}

std::vector<meta_operation> parse_meta_operation_list(std::string_view list) {
  std::vector<meta_operation> ops;
  for (std::string_view item : split_list("--ops", list)) {
    const std::optional<meta_operation> op = parse_meta_operation(item);
    if (!op) {
      std::string names;
      for (const meta_operation o : all_meta_operations()) {
        names += (names.empty() ? "" : ", ") + std::string(to_string(o));
      }
      throw usage_error("invalid --ops with --file-count: unknown phase " + in_quotes(item) +
                        "; expected " + names + " (ls-l and delete are also understood)");
    }
    if (std::find(ops.begin(), ops.end(), *op) != ops.end()) {
      throw usage_error("invalid --ops: " + in_quotes(item) + " is listed twice");
    }
    ops.push_back(*op);
  }
  return ops;
}

std::vector<size_option> parse_meta_size_list(std::string_view list) {
  std::vector<size_option> sizes;
  for (std::string_view item : split_list("--sizes", list)) {
    if (item == "0" || item == "0B") {
      for (const size_option& earlier : sizes) {
        if (earlier.bytes == 0) bad_value("--sizes", list, "0 is listed twice");
      }
      sizes.push_back({0, std::string(item), "bytes"});
      continue;
    }
    for (size_option& s : parse_size_list("--sizes", item)) {
      for (const size_option& earlier : sizes) {
        if (earlier.bytes == s.bytes) {
          bad_value("--sizes", list,
                    in_quotes(earlier.text) + " and " + in_quotes(item) + " are the same size");
        }
      }
      sizes.push_back(std::move(s));
    }
  }
  return sizes;
}

std::vector<std::uint64_t> parse_file_count_list(std::string_view list) {
  std::vector<std::uint64_t> counts;
  for (std::string_view item : split_list("--file-count", list)) {
    const std::optional<std::uint64_t> n = parse_unsigned(item);
    if (!n || *n == 0 || *n > 10'000'000) {
      bad_value("--file-count", list,
                "expected whole numbers of files per thread from 1 to 10000000, e.g. 1000,10000");
    }
    if (std::find(counts.begin(), counts.end(), *n) != counts.end()) {
      bad_value("--file-count", list, in_quotes(item) + " is listed twice");
    }
    counts.push_back(*n);
  }
  return counts;
}

std::optional<std::uint64_t> parse_unsigned(std::string_view text) {
  std::uint64_t value = 0;
  const char* const end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc{} || ptr != end) return std::nullopt;
  return value;
}

std::chrono::milliseconds parse_seconds(std::string_view flag, std::string_view text) {
  constexpr std::string_view expected =
      "expected seconds, a positive number of at most 86400 such as 10 or 2.5";
  double seconds = 0;
  const char* const end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, seconds, std::chars_format::fixed);
  if (text.empty() || ec != std::errc{} || ptr != end || !std::isfinite(seconds) || seconds <= 0 ||
      seconds > 86400) {
    bad_value(flag, text, expected);
  }
  const auto ms = static_cast<std::int64_t>(std::ceil(seconds * 1000.0));
  return std::chrono::milliseconds{std::max<std::int64_t>(ms, 1)};
}

double parse_percent(std::string_view flag, std::string_view text) {
  if (text.ends_with("%")) text.remove_suffix(1);
  double percent = 0;
  const char* const end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, percent, std::chars_format::fixed);
  if (text.empty() || ec != std::errc{} || ptr != end || !std::isfinite(percent)) {
    bad_value(flag, text, "expected a percentage, a number such as 5 or 2.5");
  }
  return percent;
}

bool has_space_or_slash(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    return c == '/' || c == ' ' || c == '\t' || c == '\n' || c == '\r';
  });
}

// DIR[=LABEL]. A path may contain '=', a label never contains '/', so only a
// last '=' followed by no '/' starts a label.
posix_option parse_posix(std::string_view value) {
  posix_option option;
  std::string_view dir = value;
  const std::size_t eq = value.rfind('=');
  if (eq != std::string_view::npos && value.find('/', eq) == std::string_view::npos) {
    dir = value.substr(0, eq);
    const std::string_view label = value.substr(eq + 1);
    check_label(label, value);
    option.label = std::string(label);
  }
  if (dir.empty()) {
    bad_value("--posix", value,
              "expected DIR or DIR=LABEL, e.g. /mnt/gluster or /mnt/gluster=fuse");
  }
  option.directory = std::filesystem::path(std::string(dir));
  return option;
}

// --files: absolute paths inside the target, without "..".
std::string check_file_path(std::string_view path) {
  if (path.front() != '/') {
    bad_value("--files", path, "expected an absolute path inside the target, e.g. /dir/file");
  }
  std::size_t start = 1;
  while (start <= path.size()) {
    const auto end = std::min(path.find('/', start), path.size());
    if (path.substr(start, end - start) == "..") {
      bad_value("--files", path, "must not contain '..': name the file without it");
    }
    start = end + 1;
  }
  return std::string(path);
}

volfile_server parse_server(std::string_view text, transport_kind transport) {
  volfile_server server;
  server.transport = transport;
  if (transport == transport_kind::unix_socket) {
    if (text.empty() || text.front() != '/') {
      bad_value("--server", text,
                "with --transport unix, expected the absolute path of glusterd's socket, "
                "e.g. /var/run/glusterd.socket");
    }
    server.host = std::string(text);
    server.port = 0;
    return server;
  }

  constexpr std::string_view expected =
      "expected HOST or HOST:PORT (PORT 1-65535, default 24007); an IPv6 address in brackets, "
      "e.g. [::1]:24007";
  std::string_view host = text;
  std::optional<std::string_view> port;
  if (!text.empty() && text.front() == '[') {
    const std::size_t close = text.find(']');
    if (close == std::string_view::npos) bad_value("--server", text, expected);
    host = text.substr(1, close - 1);
    const std::string_view rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') bad_value("--server", text, expected);
      port = rest.substr(1);
    }
  } else {
    const std::size_t colon = text.find(':');
    if (colon != std::string_view::npos) {
      if (text.find(':', colon + 1) != std::string_view::npos) {
        bad_value("--server", text, "an IPv6 address needs brackets: [ADDRESS] or [ADDRESS]:PORT");
      }
      host = text.substr(0, colon);
      port = text.substr(colon + 1);
    }
  }
  if (host.empty() || has_space_or_slash(host)) bad_value("--server", text, expected);
  server.host = std::string(host);
  if (port) {
    const std::optional<std::uint64_t> value = parse_unsigned(*port);
    if (!value || *value < 1 || *value > 65535) {
      bad_value(
          "--server", text,
          "the port " + in_quotes(*port) + " must be a number from 1 to 65535 (default 24007)");
    }
    server.port = static_cast<std::uint16_t>(*value);
  }
  return server;
}

std::vector<unsigned> parse_count_list(std::string_view flag, std::string_view list, unsigned max) {
  std::vector<unsigned> counts;
  for (std::string_view item : split_list(flag, list)) {
    const std::optional<std::uint64_t> n = parse_unsigned(item);
    if (!n || *n == 0 || *n > max) {
      bad_value(flag, item,
                "expected whole numbers from 1 to " + std::to_string(max) + ", e.g. 1,8,32");
    }
    if (std::find(counts.begin(), counts.end(), *n) != counts.end()) {
      throw usage_error("invalid " + std::string(flag) + ": " + in_quotes(item) +
                        " is listed twice");
    }
    counts.push_back(static_cast<unsigned>(*n));
  }
  return counts;
}

std::vector<double> parse_rate_list(std::string_view flag, std::string_view list) {
  constexpr std::string_view expected =
      "expected requests a second, numbers from 0.001 to 10000000 such as 500,1000,2000";
  std::vector<double> rates;
  for (std::string_view item : split_list(flag, list)) {
    double rate = 0;
    const char* const end = item.data() + item.size();
    const auto [ptr, ec] = std::from_chars(item.data(), end, rate, std::chars_format::fixed);
    if (ec != std::errc{} || ptr != end || !std::isfinite(rate) || rate < 0.001 || rate > 1e7) {
      bad_value(flag, item, expected);
    }
    // Case names show a rate to the thousandth: two that round alike
    // would be one case twice.
    rate = std::round(rate * 1000) / 1000;
    if (std::find(rates.begin(), rates.end(), rate) != rates.end()) {
      throw usage_error("invalid " + std::string(flag) + ": " + in_quotes(item) +
                        " is listed twice");
    }
    rates.push_back(rate);
  }
  return rates;
}

std::chrono::nanoseconds parse_latency(std::string_view flag, std::string_view text) {
  constexpr std::string_view expected =
      "expected a latency with its unit, above 0 and at most an hour, such as 5ms, 500us or 0.2s";
  struct unit {
    std::string_view suffix;
    double ns;
  };
  constexpr unit units[] = {{"ns", 1}, {"us", 1e3}, {"ms", 1e6}, {"s", 1e9}};
  for (const unit& u : units) {
    if (!text.ends_with(u.suffix)) continue;
    const std::string_view number = text.substr(0, text.size() - u.suffix.size());
    double value = 0;
    const char* const end = number.data() + number.size();
    const auto [ptr, ec] = std::from_chars(number.data(), end, value, std::chars_format::fixed);
    const double ns = value * u.ns;
    if (number.empty() || ec != std::errc{} || ptr != end || !std::isfinite(ns) || ns < 1 ||
        ns > 3600e9) {
      bad_value(flag, text, expected);
    }
    return std::chrono::nanoseconds(std::llround(ns));
  }
  bad_value(flag, text, expected);
}

}  // namespace gfbench::app
