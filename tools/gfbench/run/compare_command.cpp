#include "run/compare_command.hpp"

#include <cstdio>
#include <exception>
#include <string_view>

#include "cli/flag_values.hpp"
#include "common/usage_error.hpp"
#include "results/compare_runs.hpp"

namespace gfbench::app {
namespace {

constexpr std::string_view usage =
    "usage: gfbench compare BEFORE.json AFTER.json [--threshold PERCENT]\n"
    "       gfbench compare --baseline BASE.json AFTER.json [--threshold PERCENT]\n"
    "       gfbench compare RUN.json [OTHER.json] --targets BEFORE_TARGET,AFTER_TARGET\n"
    "\n"
    "Sets two runs' summary.json (gfbench --report DIR) side by side, case by case:\n"
    "each change of throughput with its 95 % interval and a verdict (faster, slower,\n"
    "or ~: no difference the runs can show), corrected for the number of cases\n"
    "compared, and what else differs between the runs. --targets compares one\n"
    "target's cases with another's by name (gfapi against fuse, in one run: round\n"
    "by round). --threshold PERCENT: exit 1 when a case is slower by more than that.\n";

struct compare_request {
  std::vector<std::string> files;
  double threshold = 0;
  std::string target_before;
  std::string target_after;
};

compare_request parse(const std::vector<std::string>& args) {
  compare_request r;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    const auto value = [&](const char* flag) {
      if (i + 1 >= args.size()) throw usage_error(std::string(flag) + " needs a value");
      return args[++i];
    };
    if (a == "--threshold") {
      const std::string v = value("--threshold");
      const double percent = parse_percent("--threshold", v);
      if (percent <= 0 || percent >= 100) {
        bad_value("--threshold", v, "expected a percentage above 0 and below 100, e.g. 5");
      }
      r.threshold = percent / 100;
    } else if (a == "--baseline") {
      r.files.insert(r.files.begin(), value("--baseline"));
    } else if (a == "--targets") {
      const std::string v = value("--targets");
      const std::size_t comma = v.find(',');
      if (comma == std::string::npos || comma == 0 || comma + 1 == v.size()) {
        bad_value("--targets", v, "expected two target labels, e.g. gfapi,fuse");
      }
      r.target_before = v.substr(0, comma);
      r.target_after = v.substr(comma + 1);
    } else if (a == "-h" || a == "--help") {
      std::fputs(usage.data(), stdout);
      std::exit(0);
    } else if (a.starts_with("-")) {
      throw usage_error("unknown flag " + a + " of gfbench compare");
    } else {
      r.files.push_back(a);
    }
  }
  if (!r.target_before.empty() && r.files.size() == 1) r.files.push_back(r.files.front());
  if (r.files.size() != 2) {
    throw usage_error(
        "gfbench compare takes two reports (BEFORE.json AFTER.json), or one with "
        "--targets; got " +
        std::to_string(r.files.size()));
  }
  return r;
}

}  // namespace

int compare_command(const std::vector<std::string>& args) {
  compare_request request;
  recorded_run before, after;
  try {
    request = parse(args);
    before = load_run(request.files[0]);
    after = load_run(request.files[1]);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gfbench compare: %s\n\n%s", e.what(), usage.data());
    return usage_exit_code;
  }
  const run_comparison c = compare_runs(before, after, request.target_before, request.target_after);
  if (c.cases.empty()) {
    std::fprintf(stderr, "gfbench compare: no case of %s matches one of %s\n",
                 request.files[0].c_str(), request.files[1].c_str());
    return usage_exit_code;
  }
  std::printf("before: %s (%s)\nafter:  %s (%s)\n\n", before.file.c_str(),
              before.started_utc.c_str(), after.file.c_str(), after.started_utc.c_str());
  std::fputs(format_comparison(c, request.threshold).c_str(), stdout);
  return request.threshold > 0 && !regressions(c, request.threshold).empty() ? 1 : 0;
}

}  // namespace gfbench::app
