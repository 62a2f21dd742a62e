#include "gluster/profile_xml.hpp"

#include <pugixml.hpp>

#include <charconv>
#include <string>

#include "util/text.hpp"

namespace gfbench::app {
namespace {

std::string text_of(pugi::xml_node within, const char* tag);

// The gluster CLI's --xml output, parsed, with its <cliOutput> checked:
// opRet 0, or a profile_error with gluster's own message.
class cli_output {
 public:
  cli_output(std::string_view xml, std::string_view command) {
    const pugi::xml_parse_result parsed = document_.load_buffer(xml.data(), xml.size());
    root_ = document_.child("cliOutput");
    if (!parsed || !root_) {
      throw profile_error(
          "`gluster " + std::string(command) +
          " --xml` printed no <cliOutput>: not the XML output expected" +
          (parsed ? std::string() : std::string(" (") + parsed.description() + ")"));
    }
    const pugi::xml_node ret = root_.child("opRet");
    if (!ret) {
      throw profile_error("`gluster " + std::string(command) +
                          " --xml` printed no <opRet>: not the XML output expected");
    }
    const std::string code(detail::trim(ret.text().as_string()));
    if (code != "0") {
      const std::string message = text_of(root_, "opErrstr");
      throw profile_error("`gluster " + std::string(command) + "` failed" +
                          (message.empty() ? " (opRet " + code + ")" : ": " + message));
    }
  }
  [[nodiscard]] pugi::xml_node root() const noexcept { return root_; }

 private:
  pugi::xml_document document_;
  pugi::xml_node root_;
};

// The text of the element `tag` under `within`, without surrounding blanks.
std::string text_of(pugi::xml_node within, const char* tag) {
  return std::string(detail::trim(within.child(tag).text().as_string()));
}

// The whole number in the element `tag` under `within`.
std::uint64_t u64_of(pugi::xml_node within, const char* tag, const std::string& what) {
  const std::string text = text_of(within, tag);
  std::uint64_t value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc{} || ptr != end) {
    throw profile_error("gluster output: no whole number in <" + std::string(tag) + "> of " + what);
  }
  return value;
}

double double_of(pugi::xml_node within, const char* tag, const std::string& what) {
  const std::string text = text_of(within, tag);
  double value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc{} || ptr != end) {
    throw profile_error("gluster output: no number in <" + std::string(tag) + "> of " + what);
  }
  return value;
}

bool truthy(std::string_view v) {
  return v == "on" || v == "yes" || v == "true" || v == "enable" || v == "1";
}

}  // namespace

profile_snapshot parse_profile_xml(std::string_view xml) {
  const cli_output out(xml, "volume profile VOLUME info");
  const pugi::xml_node profile = out.root().child("volProfile");
  if (!profile) throw profile_error("gluster profile output has no <volProfile>");
  profile_snapshot snapshot;
  for (const pugi::xml_node brick : profile.children("brick")) {
    brick_stats b;
    b.brick = text_of(brick, "brickName");
    if (b.brick.empty()) throw profile_error("gluster profile output: a <brick> without a name");
    pugi::xml_node stats = brick.child("cumulativeStats");
    if (!stats) stats = brick.child("intervalStats");
    if (!stats) throw profile_error("gluster profile output: no stats for brick " + b.brick);
    b.duration_s = u64_of(stats, "duration", b.brick);
    b.bytes_read = u64_of(stats, "totalRead", b.brick);
    b.bytes_written = u64_of(stats, "totalWrite", b.brick);
    for (const pugi::xml_node fop : stats.child("fopStats").children("fop")) {
      const std::string name = text_of(fop, "name");
      if (name.empty()) throw profile_error("gluster profile output: a <fop> without a name");
      fop_counts counts;
      counts.calls = u64_of(fop, "hits", b.brick + " " + name);
      counts.total_latency_ns =
          double_of(fop, "avgLatency", b.brick + " " + name) * static_cast<double>(counts.calls);
      b.fops[name] = counts;
    }
    snapshot.bricks.push_back(std::move(b));
  }
  return snapshot;
}

volume_layout parse_volume_info_xml(std::string_view xml, std::string_view volume) {
  const cli_output out(xml, "volume info");
  const std::string name(volume);
  for (const pugi::xml_node candidate :
       out.root().child("volInfo").child("volumes").children("volume")) {
    if (name != text_of(candidate, "name")) continue;
    volume_layout layout;
    layout.type = text_of(candidate, "typeStr");
    const std::string what = "volume " + name;
    layout.bricks = u64_of(candidate, "brickCount", what);
    const auto replica = u64_of(candidate, "replicaCount", what);
    const auto disperse =
        candidate.child("disperseCount") ? u64_of(candidate, "disperseCount", what) : 0;
    const auto redundancy =
        candidate.child("redundancyCount") ? u64_of(candidate, "redundancyCount", what) : 0;
    if (disperse > redundancy && disperse > 0) {
      layout.write_copies =
          static_cast<double>(disperse) / static_cast<double>(disperse - redundancy);
    } else if (replica > 1) {
      layout.write_copies = static_cast<double>(replica);
    }
    bool latency = false;
    bool hits = false;
    for (const pugi::xml_node option : candidate.child("options").children("option")) {
      const std::string key = text_of(option, "name");
      const std::string value = text_of(option, "value");
      if (key == "diagnostics.latency-measurement") latency = truthy(value);
      if (key == "diagnostics.count-fop-hits") hits = truthy(value);
    }
    layout.profiling = latency && hits;
    return layout;
  }
  throw profile_error("`gluster volume info " + name + "` does not list that volume");
}

}  // namespace gfbench::app
