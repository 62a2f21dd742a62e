#pragma once
// Reading the values of gfbench's flags (flag_values.cpp). The flag table
// (flags.cpp) calls these; each throws usage_error naming the flag.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/cli_options.hpp"
#include "common/usage_error.hpp"

namespace gfbench::app {

/// `s` in double quotes, as every message shows a value.
std::string in_quotes(std::string_view s);
/// Throws usage_error: `invalid FLAG "VALUE": EXPECTED`.
[[noreturn]] void bad_value(std::string_view flag, std::string_view value,
                            std::string_view expected);
/// A comma-separated list without empty entries.
std::vector<std::string_view> split_list(std::string_view flag, std::string_view list);
/// A list of distinct sizes (units.hpp's notation).
std::vector<size_option> parse_size_list(std::string_view flag, std::string_view list);
/// A list of distinct operations (case.hpp's names and their aliases).
std::vector<operation> parse_operation_list(std::string_view list);
/// warm, cold, or both.
std::vector<cache_mode> parse_cache_list(std::string_view flag, std::string_view list);
/// --ops with --file-count: metadata phases (metadata.hpp), each once.
std::vector<meta_operation> parse_meta_operation_list(std::string_view list);
/// --sizes with --file-count: as parse_size_list, and 0 (empty files) too.
std::vector<size_option> parse_meta_size_list(std::string_view list);
/// A list of distinct counts from 1 to `max`, e.g. --queue-depth 1,8,32.
std::vector<unsigned> parse_count_list(std::string_view flag, std::string_view list, unsigned max);
/// --rate-iops: distinct rates, requests a second, from 0.001 to 10000000,
/// e.g. 500,1000,2000 (a rate with up to three decimals).
std::vector<double> parse_rate_list(std::string_view flag, std::string_view list);
/// A latency, e.g. 5ms, 500us, 0.2s (a unit is required), above 0 and at
/// most an hour.
std::chrono::nanoseconds parse_latency(std::string_view flag, std::string_view text);
/// --file-count: whole numbers from 1 to 10000000.
std::vector<std::uint64_t> parse_file_count_list(std::string_view list);
/// A whole number without sign or spaces; nullopt otherwise.
std::optional<std::uint64_t> parse_unsigned(std::string_view text);
/// Seconds, a positive number of at most 86400 (one day), e.g. 2.5.
std::chrono::milliseconds parse_seconds(std::string_view flag, std::string_view text);
/// True when `s` has a '/' or white space (not allowed in names).
/// A percentage such as 5, 2.5 or 5% (not checked against a range).
double parse_percent(std::string_view flag, std::string_view text);
bool has_space_or_slash(std::string_view s);
/// --posix DIR[=LABEL].
posix_option parse_posix(std::string_view value);
/// --files: an absolute path inside the target, without "..".
std::string check_file_path(std::string_view path);

}  // namespace gfbench::app
