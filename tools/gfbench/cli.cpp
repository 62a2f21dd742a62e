#include "cli.hpp"

#include <sys/vfs.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <optional>
#include <set>
#include <string>
#include <system_error>
#include <utility>

#include "gfbench/scratch.hpp"
#include "gfbench/units.hpp"

namespace gfbench::detail {

namespace {

constexpr long fuse_super_magic = 0x65735546;
constexpr std::uint64_t direct_alignment = 4096;
constexpr std::string_view default_unix_socket = "/var/run/glusterd.socket";
constexpr std::string_view default_host = "localhost";

// spdlog's level names, with the aliases spdlog::level::from_str also takes.
constexpr std::array<std::pair<std::string_view, std::string_view>, 9> log_levels{{
    {"trace", "trace"},
    {"debug", "debug"},
    {"info", "info"},
    {"warn", "warning"},
    {"warning", "warning"},
    {"err", "error"},
    {"error", "error"},
    {"critical", "critical"},
    {"off", "off"},
}};

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

std::string operation_names() {
  return "write, rewrite, read, reread, random_read (randread), random_write (randwrite)";
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

std::vector<cache_mode> parse_cache_list(std::string_view list) {
  std::vector<cache_mode> modes;
  for (std::string_view item : split_list("--read-cache", list)) {
    cache_mode mode{};
    if (item == "warm") {
      mode = cache_mode::warm;
    } else if (item == "cold") {
      mode = cache_mode::cold;
    } else {
      throw usage_error("invalid --read-cache: unknown cache mode " + in_quotes(item) +
                        "; expected warm, cold or warm,cold");
    }
    if (std::find(modes.begin(), modes.end(), mode) != modes.end()) {
      throw usage_error("invalid --read-cache: " + in_quotes(item) + " is listed twice");
    }
    modes.push_back(mode);
  }
  return modes;
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

bool has_space_or_slash(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    return c == '/' || c == ' ' || c == '\t' || c == '\n' || c == '\r';
  });
}

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

struct flag_spec {
  std::string_view name;
  bool takes_value;
  std::string_view value_hint;  // for "needs a value" messages
};

constexpr std::array<flag_spec, 34> flags{{
    {"--help", false, ""},
    {"--volume", true, "a volume name"},
    {"--server", true, "HOST[:PORT], or a socket path with --transport unix"},
    {"--transport", true, "tcp or unix"},
    {"--connect-timeout", true, "seconds"},
    {"--gfapi-log", true, "a file for libgfapi's log"},
    {"--gfapi-log-level", true, "0 (none) to 9 (trace)"},
    {"--posix", true, "DIR or DIR=LABEL"},
    {"--sizes", true, "a list of file sizes, e.g. 1MiB,10MiB,100MiB"},
    {"--block-sizes", true, "a list of block sizes, e.g. 4KiB,1MiB"},
    {"--ops", true, "a list of operations, e.g. write,rewrite,read"},
    {"--read-cache", true, "warm, cold or warm,cold"},
    {"--iterations", true, "a positive whole number"},
    {"--fsync", false, ""},
    {"--close", false, ""},
    {"--direct", false, ""},
    {"--verify", false, ""},
    {"--keep", false, ""},
    {"--scratch-dir", true, "an absolute directory path inside each target"},
    {"--log-level", true, "trace, debug, info, warn, error, critical or off"},
    {"--report", true, "a directory for summary.json, summary.csv and the plot"},
    {"--pve-storage", true, "a storage ID of Proxmox VE's storage.cfg, e.g. GlusterFS"},
    {"--pve-config", true, "the path of a Proxmox VE storage.cfg"},
    {"--read-only", false, ""},
    {"--files", true, "a list of absolute paths inside each target, e.g. /.gfbench/run-x/f"},
    {"--op-timeout", true, "seconds"},
    {"--profile", false, ""},
    {"--no-profile", false, ""},
    {"--gluster-cli", true, "the command that runs gluster on a node, e.g. \"ssh pve1 gluster\""},
    {"--fop-stats", false, ""},
    // Aliases and short forms.
    {"-h", false, ""},
    {"--size", true, "a list of file sizes, e.g. 1MiB,10MiB,100MiB"},
    {"--block-size", true, "a list of block sizes, e.g. 4KiB,1MiB"},
    {"--op", true, "a list of operations, e.g. write,rewrite,read"},
}};

const flag_spec* find_flag(std::string_view name) {
  for (const flag_spec& f : flags) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

std::string_view canonical(std::string_view name) {
  if (name == "-h") return "--help";
  if (name == "--size") return "--sizes";
  if (name == "--block-size") return "--block-sizes";
  if (name == "--op") return "--ops";
  return name;
}

void check_shapes(const cli_options& o) {
  for (const size_option& b : o.block_sizes) {
    if (o.direct && b.bytes % direct_alignment != 0) {
      throw usage_error("--direct (O_DIRECT) needs block sizes that are multiples of 4096 bytes; " +
                        in_quotes(b.text) + " is " + std::to_string(b.bytes) + " bytes");
    }
    for (const size_option& f : o.file_sizes) {
      if (b.bytes > f.bytes) {
        throw usage_error("block size " + in_quotes(b.text) + " is larger than file size " +
                          in_quotes(f.text) + "; a block size must be at most every file size");
      }
      if (f.bytes % b.bytes != 0) {
        throw usage_error("block size " + in_quotes(b.text) + " (" + std::to_string(b.bytes) +
                          " bytes) does not divide file size " + in_quotes(f.text) + " (" +
                          std::to_string(f.bytes) +
                          " bytes) exactly; files are written in whole blocks, so every block "
                          "size must divide every file size");
      }
    }
  }
}

// --read-only: reads of files that exist, nothing else. Every flag that
// would write, or that only means something when gfbench writes, is refused
// rather than ignored, so that nobody believes it took effect.
void check_read_only(const cli_options& o, const std::set<std::string_view>& given) {
  if (!o.read_only) {
    throw usage_error("--files names files for --read-only; add --read-only to read them");
  }
  if (o.files.empty()) {
    throw usage_error(
        "--read-only needs --files PATH[,PATH...]: the files (or directories of files) to read, "
        "e.g. what --keep left in /.gfbench/run-...");
  }
  if (o.zero_config()) {
    throw usage_error(
        "--read-only needs --volume or --posix: a fresh sandbox volume has nothing to read");
  }
  for (const operation op : o.operations) {
    if (is_write(op)) {
      throw usage_error("--read-only refuses the write operation " +
                        in_quotes(to_string(op)) + "; allowed: read, reread, random_read");
    }
  }
  for (std::string_view flag : {"--sizes", "--fsync", "--keep", "--scratch-dir"}) {
    if (given.contains(flag)) {
      throw usage_error(std::string(flag) +
                        " does not go with --read-only: it reads existing files as they are "
                        "(their own sizes), creating, syncing and keeping nothing");
    }
  }
}

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

}  // namespace

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

cli_options parse_cli(const std::vector<std::string>& args) {
  cli_options o;
  std::vector<std::string> server_texts;
  bool transport_given = false;
  std::set<std::string_view> given;  // canonical names of the flags used

  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    if (arg.size() < 2 || arg.front() != '-') {
      throw usage_error("unexpected argument " + in_quotes(arg) +
                        "; gfbench takes only flags; see gfbench --help");
    }
    const std::size_t eq = arg.find('=');
    const std::string_view name = arg.substr(0, eq);
    const flag_spec* spec = find_flag(name);
    if (spec == nullptr) {
      throw usage_error("unknown flag " + std::string(name) + "; see gfbench --help");
    }
    std::string_view value;
    if (spec->takes_value) {
      if (eq != std::string_view::npos) {
        value = arg.substr(eq + 1);
      } else if (i + 1 < args.size() && !args[i + 1].starts_with("--")) {
        value = args[++i];
      } else {
        throw usage_error(std::string(name) + " needs a value: " + std::string(spec->value_hint));
      }
      if (value.empty()) {
        throw usage_error(std::string(name) + " needs a value: " + std::string(spec->value_hint));
      }
    } else if (eq != std::string_view::npos) {
      throw usage_error(std::string(name) + " takes no value (got " +
                        in_quotes(arg.substr(eq + 1)) + ")");
    }

    const std::string_view flag = canonical(name);
    given.insert(flag);
    if (flag == "--help") {
      o.help = true;
    } else if (flag == "--volume") {
      if (has_space_or_slash(value)) {
        bad_value(flag, value,
                  "expected a volume name, such as gfs-volume-proxmox (no '/' or spaces)");
      }
      o.volume = std::string(value);
    } else if (flag == "--server") {
      server_texts.emplace_back(value);
    } else if (flag == "--transport") {
      if (value == "tcp") {
        o.transport = transport_kind::tcp;
      } else if (value == "unix") {
        o.transport = transport_kind::unix_socket;
      } else {
        bad_value(flag, value, "expected tcp or unix");
      }
      transport_given = true;
    } else if (flag == "--connect-timeout") {
      o.connect_timeout = parse_seconds(flag, value);
    } else if (flag == "--gfapi-log") {
      o.gfapi_log = std::string(value);
    } else if (flag == "--report") {
      o.report_dir = std::string(value);
    } else if (flag == "--pve-storage") {
      if (value.find_first_of(" \t/") != std::string_view::npos) {
        bad_value(flag, value, "expected a storage ID as in storage.cfg, e.g. GlusterFS");
      }
      o.pve_storage = std::string(value);
    } else if (flag == "--pve-config") {
      o.pve_config = std::string(value);
    } else if (flag == "--gfapi-log-level") {
      const std::optional<std::uint64_t> level = parse_unsigned(value);
      if (!level || *level > 9)
        bad_value(flag, value, "expected a number from 0 (none) to 9 (trace)");
      o.gfapi_log_level = static_cast<int>(*level);
    } else if (flag == "--posix") {
      o.posix_targets.push_back(parse_posix(value));
    } else if (flag == "--sizes") {
      o.file_sizes = parse_size_list(flag, value);
    } else if (flag == "--block-sizes") {
      o.block_sizes = parse_size_list(flag, value);
    } else if (flag == "--ops") {
      o.operations = parse_operation_list(value);
    } else if (flag == "--read-cache") {
      o.read_cache_modes = parse_cache_list(value);
    } else if (flag == "--iterations") {
      const std::optional<std::uint64_t> n = parse_unsigned(value);
      if (!n || *n > 1'000'000'000) {
        bad_value(flag, value,
                  "expected a whole number of passes per repetition from 0 to 1000000000");
      }
      o.iterations = static_cast<std::int64_t>(*n);
    } else if (flag == "--fsync") {
      o.fsync = true;
    } else if (flag == "--close") {
      o.include_close = true;
    } else if (flag == "--direct") {
      o.direct = true;
    } else if (flag == "--verify") {
      o.verify = true;
    } else if (flag == "--keep") {
      o.keep = true;
    } else if (flag == "--scratch-dir") {
      try {
        validate_scratch_root(value);
      } catch (const std::invalid_argument& e) {
        bad_value(flag, value, e.what());
      }
      o.scratch_dir = std::string(value);
    } else if (flag == "--log-level") {
      const auto it = std::find_if(log_levels.begin(), log_levels.end(),
                                   [&](const auto& level) { return level.first == value; });
      if (it == log_levels.end()) {
        bad_value(flag, value, "expected trace, debug, info, warn, error, critical or off");
      }
      o.log_level = std::string(it->second);
    } else if (flag == "--read-only") {
      o.read_only = true;
    } else if (flag == "--files") {
      for (std::string_view path : split_list(flag, value)) o.files.push_back(check_file_path(path));
    } else if (flag == "--op-timeout") {
      o.op_timeout = parse_seconds(flag, value);
    } else if (flag == "--profile") {
      o.profile = true;
    } else if (flag == "--no-profile") {
      o.no_profile = true;
    } else if (flag == "--gluster-cli") {
      o.gluster_cli.clear();
      std::size_t start = 0;
      while (start < value.size()) {  // words, split on spaces: no shell, no quoting
        const std::size_t space = std::min(value.find(' ', start), value.size());
        if (space > start) o.gluster_cli.emplace_back(value.substr(start, space - start));
        start = space + 1;
      }
      if (o.gluster_cli.empty()) bad_value(flag, value, "expected a command, e.g. gluster");
      o.profile = true;
    } else if (flag == "--fop-stats") {
      o.fop_stats = true;
    }
  }

  if (o.help) return o;

  if (o.profile && o.no_profile) {
    throw usage_error("--no-profile contradicts --profile (or --gluster-cli, which implies it)");
  }

  if (!o.pve_config.empty() && o.pve_storage.empty()) {
    throw usage_error("--pve-config needs --pve-storage ID (the storage to read from it)");
  }
  if (!o.pve_storage.empty() && (!o.volume.empty() || !server_texts.empty() || transport_given)) {
    throw usage_error(
        "--pve-storage takes the volume, servers and transport from storage.cfg; leave out "
        "--volume, --server and --transport");
  }

  if (o.volume.empty()) {
    if (!server_texts.empty())
      throw usage_error("--server needs --volume NAME (the volume to connect to)");
    if (transport_given)
      throw usage_error("--transport needs --volume NAME (the volume to connect to)");
  } else {
    for (const std::string& text : server_texts)
      o.servers.push_back(parse_server(text, o.transport));
    if (o.servers.empty()) {
      o.servers.push_back(parse_server(
          o.transport == transport_kind::unix_socket ? default_unix_socket : default_host,
          o.transport));
    }
    for (std::size_t a = 0; a < o.servers.size(); ++a) {
      for (std::size_t b = a + 1; b < o.servers.size(); ++b) {
        if (o.servers[a] == o.servers[b]) {
          throw usage_error("--server " + in_quotes(server_texts.at(b)) + " is given twice");
        }
      }
    }
  }

  if (o.file_sizes.empty()) o.file_sizes = parse_size_list("--sizes", "1MiB,10MiB,100MiB");
  if (o.block_sizes.empty()) o.block_sizes = parse_size_list("--block-sizes", "4KiB");
  if (o.operations.empty()) {
    o.operations = o.read_only ? std::vector<operation>{operation::read}
                               : std::vector<operation>{operation::write, operation::rewrite,
                                                        operation::read};
  }
  if (o.read_only || !o.files.empty()) {
    check_read_only(o, given);
    // The files' own sizes replace --sizes: only O_DIRECT's alignment of
    // the block sizes can be checked now.
    for (const size_option& b : o.block_sizes) {
      if (o.direct && b.bytes % direct_alignment != 0) {
        throw usage_error(
            "--direct (O_DIRECT) needs block sizes that are multiples of 4096 bytes; " +
            in_quotes(b.text) + " is " + std::to_string(b.bytes) + " bytes");
      }
    }
    return o;
  }
  check_shapes(o);
  return o;
}

cli_options parse_cli(int argc, const char* const* argv) {
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) args.emplace_back(argv[i]);
  return parse_cli(args);
}

benchmark_matrix cli_options::matrix() const {
  benchmark_matrix m;
  m.operations = operations;
  m.file_sizes.clear();
  for (const size_option& s : file_sizes) m.file_sizes.push_back(s.bytes);
  m.block_sizes.clear();
  for (const size_option& s : block_sizes) m.block_sizes.push_back(s.bytes);
  m.read_cache_modes = read_cache_modes;
  m.options.fsync = fsync;
  m.options.include_close = include_close;
  m.options.direct = direct;
  m.options.verify = verify;
  m.iterations = iterations;
  return m;
}

volume_options cli_options::connect_options() const {
  volume_options v;
  v.volume = volume;
  v.servers = servers;
  v.log_file = gfapi_log.empty() ? "/dev/null" : gfapi_log;
  v.log_level = gfapi_log_level;
  v.connect_timeout = connect_timeout;
  return v;
}

void assign_target_labels(cli_options& options,
                          const std::function<bool(const std::filesystem::path&)>& is_fuse) {
  // label -> where it came from, for the message
  std::vector<std::pair<std::string, std::string>> seen;
  if (!options.volume.empty()) seen.emplace_back("gfapi", "volume " + options.volume);
  for (posix_option& p : options.posix_targets) {
    if (p.label.empty()) p.label = is_fuse(p.directory) ? "fuse" : "posix";
    for (const auto& [label, origin] : seen) {
      if (label == p.label) {
        throw usage_error("two targets are labelled " + in_quotes(label) + " (" + origin + " and " +
                          p.directory.string() + "); name them with --posix DIR=LABEL");
      }
    }
    seen.emplace_back(p.label, p.directory.string());
  }
}

bool on_fuse_filesystem(const std::filesystem::path& directory) noexcept {
  struct statfs info {};
  if (::statfs(directory.c_str(), &info) != 0) return false;
  return static_cast<long>(info.f_type) == fuse_super_magic;
}

std::string describe_sizes(const std::vector<size_option>& sizes) {
  std::string out;
  std::vector<std::string> conventions;
  for (const size_option& s : sizes) {
    if (!out.empty()) out += ", ";
    out += s.text;
    if (s.text != std::to_string(s.bytes)) out += " = " + std::to_string(s.bytes) + " B";
    if (std::find(conventions.begin(), conventions.end(), s.convention) == conventions.end()) {
      conventions.push_back(s.convention);
    }
  }
  if (!conventions.empty()) {
    out += "; units read as ";
    for (std::size_t i = 0; i < conventions.size(); ++i) {
      if (i > 0) out += i + 1 == conventions.size() ? " and " : ", ";
      out += conventions[i];
    }
  }
  return out;
}

std::string help_text() {
  return R"(gfbench: IOzone-style write/rewrite/read throughput of GlusterFS, through libgfapi
and through a FUSE mount or any directory, side by side.

usage: gfbench [flags] [--benchmark_* flags]

With none of --volume, --pve-storage or --posix, gfbench starts a private
one-node Gluster sandbox (needs root), creates the volume gfs-volume-proxmox,
runs every case through libgfapi ("gfapi") and through a FUSE mount of it
("fuse"), and tears it all down again.

Targets:
  --volume NAME             benchmark volume NAME through libgfapi (label "gfapi")
  --server HOST[:PORT]      volfile server (glusterd); repeat for backups, tried in
                            order like Proxmox's "server" and "second server".
                            PORT 1-65535, default 24007; IPv6 as [ADDR]:PORT.
                            Default: localhost (tcp), /var/run/glusterd.socket (unix)
  --transport tcp|unix      how to reach glusterd (default tcp); with unix,
                            --server is the path of glusterd's socket
  --connect-timeout SECONDS give up connecting after this long (default 10)
  --gfapi-log FILE          libgfapi's own log, never the terminal (default:
                            DIR/gfapi.log with --report DIR, else gfapi.log in
                            the sandbox's directory in a zero-config run (kept
                            with --keep), else /dev/null)
  --gfapi-log-level N       its level, 0 (none) to 9 (trace) (default 4, error)
  --posix DIR[=LABEL]       also benchmark the directory DIR (repeatable); LABEL
                            defaults to "fuse" if DIR is on a FUSE mount, else "posix"
  --pve-storage ID          benchmark the glusterfs storage ID of Proxmox VE's
                            storage.cfg through libgfapi, reached as Proxmox does:
                            its volume, server then server2 as backup volfile
                            server, its transport (tcp or unix; rdma is refused)
  --pve-config FILE         the storage.cfg to read (default /etc/pve/storage.cfg)

What to run:
  --sizes LIST              file sizes (default 1MiB,10MiB,100MiB)
  --block-sizes LIST        record sizes, one I/O call each (default 4KiB, IOzone's)
                            Every block size must be at most every file size and
                            divide it exactly: files are written in whole blocks.
  --ops LIST                operations, in order (default write,rewrite,read); any of
                            write, rewrite, read, reread, random_read (randread),
                            random_write (randwrite)
  --read-cache LIST         reads (read, random_read) run once per mode listed
                            (default warm,cold): warm reads a file just written,
                            as IOzone does, so caches may serve it; cold empties
                            or bypasses the caches first. reread is always warm
  --iterations N            passes over the file per repetition (default 1: one
                            pass per trial, as IOzone; 0: Google Benchmark
                            decides from --benchmark_min_time)
  --fsync                   include fsync in the timing (IOzone -e)
  --close                   include close in the timing (IOzone -c)
  --direct                  O_DIRECT; block sizes must be multiples of 4096 bytes
  --verify                  write a pattern and check every block read (untimed)
  --keep                    keep the benchmark's files and directories
  --scratch-dir PATH        absolute directory inside each target where gfbench
                            creates its own run directory (default /.gfbench)

Safety (see docs/safety.md):
  --read-only               only read files that are already there (--files):
                            read, reread, random_read; nothing is created,
                            written or removed, and no scratch directory is made.
                            Data is checked where the file carries gfbench's
                            pattern (what --keep left); with --verify it must
                            carry it, or the case fails
  --files LIST              for --read-only: absolute paths inside each target;
                            a directory stands for the regular files in it
  --op-timeout SECONDS      a single I/O call running longer than this fails its
                            case as hung (default 60); after twice as long
                            gfbench gives up: exit 1, the hung target is not
                            cleaned up. libgfapi itself gives up on a brick after
                            the volume's network.ping-timeout (42 s by default)
Before writing, gfbench checks that each target has room for the run's files
(the largest file, or all of them with --keep, plus 5% or 16 MiB) and refuses
to start otherwise.

Output:
  --log-level LEVEL         trace, debug, info, warn, error, critical, off (default info);
                            at info, progress goes to stderr: [7/24] CASE
  --report DIR              after the run, write DIR/summary.json, DIR/summary.csv
                            (every case: mean, median, stddev throughput in bytes/s
                            and KiB/s, latency p50/p99/max in us, gfapi/other
                            ratio) and DIR/throughput.png and .svg, drawn by
                            gnuplot from DIR/throughput.gp (apt-get install
                            gnuplot-nox; without it the script is still written)
  --profile                 count what reached the bricks in each case's timed
                            passes (`gluster volume profile`): brick_read_bytes,
                            brick_write_bytes and the summary's "where the bytes
                            went" block. On by default for the zero-config
                            sandbox; for other volumes it needs the gluster CLI
                            of a node of the cluster (see --gluster-cli) and
                            root there. It turns the volume's profiling on for
                            the run (and off after, if it was off): every client
                            of the volume switches to a new graph, and the
                            bricks and clients measure each call's latency.
                            About 0.2 s per snapshot, two per pass, untimed.
  --no-profile              not even for the sandbox
  --gluster-cli "CMD"       how to run gluster for --profile (implies it); words
                            split on spaces (default "gluster", for a node of the
                            cluster), e.g. "ssh root@192.168.1.1 gluster"
  --fop-stats               also count each client call per pass: fop_<op>_calls,
                            fop_<op>_avg_us (libgfapi's and the FUSE client's
                            io-stats, dumped to /var/run/gluster and removed),
                            and with profiling the bricks' brick_<op>_calls and
                            brick_<op>_avg_us
  -h, --help                this text

Sizes: digits and an optional unit, no spaces or fractions, case-insensitive.
  B, KiB, MiB, GiB, TiB are powers of 1024 (IEC): 4KiB = 4096 bytes.
  k/kB, M/MB, G/GB, T/TB are powers of 1000 (SI): 10MB = 10000000 bytes.
  IOzone's "-s 10m" means 10MiB; write it that way here.

Repetitions: 5 (the seed study's trials) unless --benchmark_repetitions is given.
After the run gfbench prints, per target, the mean and median throughput of each
file size and operation in kB/s where 1 kB = 1024 bytes, as IOzone reports it,
and the ratio gfapi / other target. Exit status: 0 all cases ran, 1 a case or the
set-up failed, 2 a bad command line (also a --pve-storage that storage.cfg
cannot give), 128+N interrupted by signal N.

Google Benchmark's flags (--benchmark_filter, --benchmark_repetitions,
--benchmark_format=json, --benchmark_out=FILE, ...) work as usual:
)";
}

}  // namespace gfbench::detail
