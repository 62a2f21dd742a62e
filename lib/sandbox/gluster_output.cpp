#include "sandbox/gluster_output.hpp"

#include <pugixml.hpp>

#include <charconv>
#include <string>

#include "util/text.hpp"

namespace gfbench::detail {
namespace {

// The elements `path` selects in gluster's --xml output (an XPath, e.g.
// "//volStatus//node"); none when the text is not XML.
pugi::xpath_node_set select(const pugi::xml_document& doc, const char* path) {
  return doc.select_nodes(path);
}

// The text of a child element, without surrounding blanks; empty if absent.
std::string field(pugi::xml_node node, const char* tag) {
  return std::string(trim(node.child(tag).text().as_string()));
}

template <typename F>
void for_each_line(std::string_view text, F&& f) {
  while (!text.empty()) {
    const auto nl = text.find('\n');
    f(trim(text.substr(0, nl)));
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
  }
}

}  // namespace

std::vector<volume_status_brick> parse_volume_status_xml(std::string_view xml) {
  pugi::xml_document doc;
  doc.load_buffer(xml.data(), xml.size());
  std::vector<volume_status_brick> bricks;
  for (const pugi::xpath_node& found : select(doc, "/cliOutput/volStatus//volume/node")) {
    const pugi::xml_node node = found.node();
    volume_status_brick b;
    b.host = field(node, "hostname");
    b.path = field(node, "path");
    if (b.path.empty() || b.path.front() != '/') continue;
    b.online = field(node, "status") == "1";
    const auto pid = field(node, "pid");
    long value = -1;
    if (std::from_chars(pid.data(), pid.data() + pid.size(), value).ec == std::errc{})
      b.pid = value;
    const auto clients = field(node.child("clientsStatus"), "clientCount");
    std::size_t count = 0;
    if (std::from_chars(clients.data(), clients.data() + clients.size(), count).ec == std::errc{})
      b.clients = count;
    bricks.push_back(std::move(b));
  }
  return bricks;
}

std::vector<peer_status> parse_peer_status_xml(std::string_view xml) {
  pugi::xml_document doc;
  doc.load_buffer(xml.data(), xml.size());
  std::vector<peer_status> peers;
  for (const pugi::xpath_node& found : select(doc, "/cliOutput/peerStatus/peer")) {
    const pugi::xml_node peer = found.node();
    peers.push_back(peer_status{field(peer, "hostname"), field(peer, "connected") == "1",
                                field(peer, "stateStr")});
  }
  return peers;
}

heal_counts parse_heal_info(std::string_view output) {
  heal_counts counts;
  constexpr std::string_view prefix = "Number of entries:";
  for_each_line(output, [&](std::string_view line) {
    if (line.substr(0, prefix.size()) != prefix) return;
    const auto value = trim(line.substr(prefix.size()));
    ++counts.bricks;
    std::size_t n = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (ec == std::errc{} && end == value.data() + value.size())
      counts.pending += n;
    else
      ++counts.unknown;
  });
  return counts;
}

bool is_gfid_name(std::string_view name) noexcept {
  if (name.size() != 36) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool dash_here = i == 8 || i == 13 || i == 18 || i == 23;
    const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    if (dash_here ? c != '-' : !hex) return false;
  }
  return true;
}

std::vector<std::string> parse_volume_list(std::string_view output) {
  std::vector<std::string> names;
  for_each_line(output, [&](std::string_view line) {
    // "No volumes present in cluster" is the only line with a space.
    if (!line.empty() && line.find(' ') == std::string_view::npos) names.emplace_back(line);
  });
  return names;
}

std::string brick_pid_file_name(std::string_view host, std::string_view brick_path) {
  std::string name(host);
  name += '-';
  if (!brick_path.empty() && brick_path.front() == '/') brick_path.remove_prefix(1);
  for (char c : brick_path) name += c == '/' ? '-' : c;
  return name + ".pid";
}

}  // namespace gfbench::detail
