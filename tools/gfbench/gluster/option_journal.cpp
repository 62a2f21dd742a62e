#include "gluster/option_journal.hpp"

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <system_error>

#include "common/app_log.hpp"
#include "gluster/brick_counters.hpp"
#include "gluster/volume_info.hpp"

namespace gfbench::app {
namespace {

using json = nlohmann::json;

std::vector<std::pair<std::string, std::optional<std::string>>> read_journal(
    const std::filesystem::path& file) {
  std::ifstream in(file);
  const json doc = json::parse(in);
  std::vector<std::pair<std::string, std::optional<std::string>>> out;
  for (const json& e : doc.at("options")) {
    out.emplace_back(
        e.at("key").get<std::string>(),
        e.at("value").is_null() ? std::nullopt : std::optional<std::string>(e.at("value")));
  }
  return out;
}

}  // namespace

void set_or_reset(gluster_cli& cli, const std::string& volume, const std::string& key,
                  const std::optional<std::string>& value) {
  if (value) {
    static_cast<void>(cli.run({"volume", "set", volume, key, *value}));
  } else {
    static_cast<void>(cli.run({"volume", "reset", volume, key}));
  }
}

std::filesystem::path option_journal::file_for(std::string_view volume) {
  const char* dir = std::getenv("GFBENCH_STATE_DIR");
  return std::filesystem::path(dir != nullptr && *dir != '\0' ? dir : "/var/lib/gfbench") /
         ("options-" + std::string(volume) + ".json");
}

std::vector<std::string> option_journal::recover(gluster_cli& cli, std::string_view volume) {
  const std::filesystem::path file = file_for(volume);
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) return {};
  std::vector<std::pair<std::string, std::optional<std::string>>> originals;
  try {
    originals = read_journal(file);
  } catch (const std::exception& e) {
    throw profile_error(file.string() +
                        " (a journal of volume options to put back) cannot be "
                        "read: " +
                        e.what() + "; put them back by hand and remove it");
  }
  std::vector<std::string> done;
  const std::string name(volume);
  for (const auto& [key, value] : originals) {
    set_or_reset(cli, name, key, value);
    done.push_back(key +
                   (value ? " set back to " + *value : std::string(" reset (it was not set)")));
  }
  std::filesystem::remove(file, ec);
  return done;
}

option_journal::option_journal(gluster_cli& cli, std::string volume,
                               const std::vector<std::string>& keys)
    : cli_(cli), volume_(std::move(volume)) {
  const volume_description d = parse_volume_info(cli_.run({"volume", "info", volume_, "--xml"}));
  json entries = json::array();
  for (const std::string& key : keys) {
    std::optional<std::string> value;
    for (const auto& [k, v] : d.options) {
      if (k == key) value = v;
    }
    originals_.emplace_back(key, value);
    entries.push_back({{"key", key}, {"value", value ? json(*value) : json(nullptr)}});
  }
  const std::filesystem::path file = file_for(volume_);
  std::error_code ec;
  std::filesystem::create_directories(file.parent_path(), ec);
  std::ofstream out(file);
  out << json{{"volume", volume_}, {"options", entries}}.dump(2) << "\n";
  out.close();
  if (!out) {
    throw std::runtime_error("cannot write " + file.string() +
                             ", the journal of the options --compare-options changes: nothing "
                             "was changed");
  }
}

option_journal::~option_journal() { restore(); }

void option_journal::restore() noexcept {
  if (restored_) return;
  restored_ = true;
  bool all = true;
  for (const auto& [key, value] : originals_) {
    try {
      set_or_reset(cli_, volume_, key, value);
    } catch (const std::exception& e) {
      all = false;
      logger().error("putting {} of {} back: {}", key, volume_, e.what());
    }
  }
  std::error_code ec;
  if (all) {
    std::filesystem::remove(file_for(volume_), ec);
    logger().info("volume {}: every option --compare-options changed is as it was", volume_);
  } else {
    logger().error(
        "volume {}: some options are not back; the next gfbench run on it tries again "
        "({})",
        volume_, file_for(volume_).string());
  }
}

}  // namespace gfbench::app
