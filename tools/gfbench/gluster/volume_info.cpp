#include "gluster/volume_info.hpp"

#include <pugixml.hpp>

#include "gluster/brick_counters.hpp"
#include "util/text.hpp"

namespace gfbench::app {

volume_description parse_volume_info(std::string_view xml) {
  pugi::xml_document doc;
  if (!doc.load_buffer(xml.data(), xml.size()) || !doc.child("cliOutput")) {
    throw profile_error("`gluster volume info --xml` printed no <cliOutput>");
  }
  const pugi::xml_node volume =
      doc.child("cliOutput").child("volInfo").child("volumes").child("volume");
  if (!volume) throw profile_error("`gluster volume info --xml` names no volume");
  const auto text = [](pugi::xml_node n, const char* tag) {
    return std::string(detail::trim(n.child(tag).text().as_string()));
  };
  volume_description d{.name = text(volume, "name"),
                       .type = text(volume, "typeStr"),
                       .bricks = volume.child("brickCount").text().as_int(),
                       .options = {}};
  for (const pugi::xml_node option : volume.child("options").children("option")) {
    d.options.emplace_back(text(option, "name"), text(option, "value"));
  }
  return d;
}

}  // namespace gfbench::app
