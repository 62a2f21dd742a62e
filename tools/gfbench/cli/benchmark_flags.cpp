#include "cli/benchmark_flags.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "cli/cli.hpp"
#include "cli/flag_values.hpp"

// Google Benchmark 1.7.1 keeps its flags in these exported variables
// (src/benchmark.cc, BM_DEFINE_*), set from BENCHMARK_* variables at static
// initialisation and from the command line by Initialize; its public header
// does not declare them. tools/CMakeLists.txt requires 1.7, whose types
// these are.
namespace benchmark {
extern bool FLAGS_benchmark_display_aggregates_only;
extern bool FLAGS_benchmark_report_aggregates_only;
extern std::int32_t FLAGS_benchmark_repetitions;
extern double FLAGS_benchmark_min_time;
extern double FLAGS_benchmark_min_warmup_time;
extern std::string FLAGS_benchmark_format;
extern std::string FLAGS_benchmark_out;
extern std::string FLAGS_benchmark_out_format;
}  // namespace benchmark

namespace gfbench::app {
namespace {

// The value of --benchmark_NAME in argv (either "--" or "-" form, as Google
// Benchmark takes them), else of BENCHMARK_NAME; nullopt when neither is
// set. `source` gets which it was, for messages. A flag without "=" is
// "true", as Google Benchmark reads bool flags.
std::optional<std::string> raw_value(int argc, const char* const* argv, std::string_view name,
                                     std::string& source) {
  std::optional<std::string> found;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg.starts_with("--")) {
      arg.remove_prefix(2);
    } else if (arg.starts_with("-")) {
      arg.remove_prefix(1);
    } else {
      continue;
    }
    if (!arg.starts_with("benchmark_")) continue;
    arg.remove_prefix(10);
    if (!arg.starts_with(name)) continue;
    const std::string_view rest = arg.substr(name.size());
    if (rest.empty()) {
      found = "true";
    } else if (rest.front() == '=') {
      found = std::string(rest.substr(1));
    } else {
      continue;  // another flag with this prefix
    }
    source = "--benchmark_" + std::string(name);
  }
  if (found) return found;
  std::string variable = "BENCHMARK_" + std::string(name);
  std::transform(variable.begin(), variable.end(), variable.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  if (const char* env = std::getenv(variable.c_str())) {
    source = variable;
    return std::string(env);
  }
  return std::nullopt;
}

[[noreturn]] void bad(const std::string& source, std::string_view value,
                      std::string_view expected) {
  throw usage_error("invalid " + source + " " + in_quotes(value) + ": " + std::string(expected));
}

bool is_bool_text(std::string value) {
  std::transform(value.begin(), value.end(), value.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  constexpr std::array<std::string_view, 12> accepted{"true", "false", "yes", "no", "on", "off",
                                                      "1",    "0",     "t",   "f",  "y",  "n"};
  return std::find(accepted.begin(), accepted.end(), value) != accepted.end();
}

}  // namespace

benchmark_arguments check_benchmark_arguments(int argc, const char* const* argv) {
  benchmark_arguments seen;
  std::string source;
  const auto one_of = [&](std::string_view name, std::initializer_list<std::string_view> values) {
    const auto value = raw_value(argc, argv, name, source);
    if (!value || std::find(values.begin(), values.end(), *value) != values.end()) return;
    std::string expected = "expected ";
    for (auto it = values.begin(); it != values.end(); ++it) {
      if (it != values.begin()) expected += std::next(it) == values.end() ? " or " : ", ";
      expected += *it;
    }
    bad(source, *value, expected);
  };
  // Google Benchmark answers these with its help text and exit status 0.
  one_of("format", {"console", "json", "csv"});
  one_of("out_format", {"console", "json", "csv"});
  one_of("time_unit", {"ns", "us", "ms", "s"});
  one_of("color", {"auto", "true", "false", "yes", "no", "on", "off", "1", "0"});
  // Google Benchmark reads any other text as "true" here.
  for (const char* name : {"display_aggregates_only", "report_aggregates_only", "counters_tabular",
                           "enable_random_interleaving", "list_tests"}) {
    const auto value = raw_value(argc, argv, name, source);
    if (value && !is_bool_text(*value)) bad(source, *value, "expected true or false");
  }
  if (raw_value(argc, argv, "repetitions", source)) seen.repetitions_source = source;
  return seen;
}

benchmark_settings take_benchmark_settings(const benchmark_arguments& seen) {
  benchmark_settings s;
  s.repetitions = benchmark::FLAGS_benchmark_repetitions;
  s.repetitions_given = !seen.repetitions_source.empty();
  if (s.repetitions_given && s.repetitions < 1) {
    bad(seen.repetitions_source, std::to_string(s.repetitions),
        "expected a whole number of repetitions of at least 1 (gfbench's default is 5, the seed "
        "study's trials)");
  }
  if (benchmark::FLAGS_benchmark_min_time < 0) {
    bad("--benchmark_min_time", std::to_string(benchmark::FLAGS_benchmark_min_time),
        "expected seconds, at least 0");
  }
  if (benchmark::FLAGS_benchmark_min_warmup_time < 0) {
    bad("--benchmark_min_warmup_time", std::to_string(benchmark::FLAGS_benchmark_min_warmup_time),
        "expected seconds, at least 0");
  }
  // Taken over: Google Benchmark then hands every run to gfbench's
  // collector, which shows and writes what these flags ask for.
  s.display_aggregates_only = benchmark::FLAGS_benchmark_display_aggregates_only;
  s.report_aggregates_only = benchmark::FLAGS_benchmark_report_aggregates_only;
  s.format = benchmark::FLAGS_benchmark_format;
  s.out = benchmark::FLAGS_benchmark_out;
  s.out_format = benchmark::FLAGS_benchmark_out_format;
  benchmark::FLAGS_benchmark_display_aggregates_only = false;
  benchmark::FLAGS_benchmark_report_aggregates_only = false;
  benchmark::FLAGS_benchmark_out.clear();
  return s;
}

}  // namespace gfbench::app
