#include "gfbench/suite.hpp"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cerrno>
#include <optional>
#include <stdexcept>
#include <utility>

#include "bench/case/case_binding_access.hpp"
#include "bench/case/case_name.hpp"
#include "bench/io/access_sampler.hpp"
#include "bench/meta/meta_kernel.hpp"
#include "bench/meta/meta_tree.hpp"
#include "bench/record/running_case.hpp"
#include "gfbench/error.hpp"
#include "gfbench/units.hpp"
#include "gfbench/watchdog.hpp"
#include "util/log.hpp"

namespace gfbench {
namespace {

// Whether a case of `op` draws its records from the shape's distribution:
// queued random operations with one other than the sweep.
bool drawn(std::optional<operation> op, const io_shape& shape) {
  return op && detail::draws_records(*op, shape);
}

// The fields that name a case of `shape`.
// `kernel`: the built-in operation that runs it; nullopt for a custom kernel.
detail::case_key key_of(std::string_view op, const io_shape& shape, std::string_view cache,
                        std::optional<operation> kernel) {
  return {.op = std::string(op),
          .file_size = shape.file_size,
          .block_size = shape.block_size,
          .cache = std::string(cache),
          .queued = shape.queued,
          .queue_depth = shape.queue_depth,
          .threads = shape.threads,
          .rate_iops = shape.rate_iops,
          .poisson = shape.arrival == arrivals::poisson,
          .distribution = drawn(kernel, shape) ? shape.distribution.name() : std::string()};
}

// The queue depths and thread counts a matrix runs: its lists, or 1.
std::vector<std::pair<unsigned, unsigned>> concurrency_of(const benchmark_matrix& matrix) {
  if (!matrix.options.queued) return {{1, 1}};
  const std::vector<unsigned> depths =
      matrix.queue_depths.empty() ? std::vector<unsigned>{1} : matrix.queue_depths;
  const std::vector<unsigned> threads =
      matrix.thread_counts.empty() ? std::vector<unsigned>{1} : matrix.thread_counts;
  std::vector<std::pair<unsigned, unsigned>> all;
  for (const unsigned t : threads) {
    for (const unsigned d : depths) all.emplace_back(d, t);
  }
  return all;
}

// The rates a matrix paces its cases at: its list, or the options' one.
std::vector<double> rates_of(const benchmark_matrix& matrix) {
  return matrix.rates_iops.empty() ? std::vector<double>{matrix.options.rate_iops}
                                   : matrix.rates_iops;
}

// The cache modes an operation runs in: reads in each listed mode (reread
// only warm), writes in none.
std::vector<std::optional<cache_mode>> modes_for(operation op, const benchmark_matrix& matrix) {
  if (!is_read(op)) return {std::nullopt};
  if (op == operation::reread) return {cache_mode::warm};
  std::vector<std::optional<cache_mode>> modes(matrix.read_cache_modes.begin(),
                                               matrix.read_cache_modes.end());
  if (modes.empty()) modes.emplace_back(cache_mode::warm);
  return modes;
}

benchmark::internal::Benchmark* configure(benchmark::internal::Benchmark* b, int repetitions,
                                          std::int64_t iterations) {
  // Manual time is wall-clock time measured around exactly the I/O a case
  // claims; CPU time would make every rate meaningless for I/O.
  b->UseManualTime()->Unit(benchmark::kMillisecond);
  if (repetitions > 0) b->Repetitions(repetitions);
  if (iterations > 0) b->Iterations(iterations);
  return b;
}

// Gives a case's context what observers need: the case and the list.
void attach(case_context& context, const case_info& info,
            const std::vector<case_observer*>& observers, std::chrono::milliseconds interval) {
  detail::case_binding_access::bind(context, info, observers, interval);
}

// Google Benchmark 1.7.1 requires every repetition of a case to report the
// same iteration count: ComputeStats CHECKs it and aborts the process. A
// repetition that fails before its `for (auto _ : state)` loop (a stop
// request, a hung target, a failed health check, lay-out or observer)
// reports 0 iterations while the others report theirs. So after the body,
// a loop that was never entered is entered here with the error already
// set: it runs no pass and reports the count the other repetitions do.
void settle_iterations(benchmark::State& state) {
  if (state.iterations() != 0) return;  // the body entered its loop
  if (!state.error_occurred()) {
    state.SkipWithError("the kernel returned without running its timed passes");
  }
  for (auto _ : state) {
  }
}

// Runs a case's body between its observers' before_case and after_case
// (observer.hpp): before_* in the order the observers were added, after_*
// in reverse. A hook that throws fails the case; after_case always runs.
// Every repetition reports the same iteration count (settle_iterations).
template <class Body>
void observed(benchmark::State& state, const case_context& context, Body&& body) {
  struct settle {
    benchmark::State& state;
    ~settle() { settle_iterations(state); }
  } settled{state};
  const detail::running_case_scope running(context);
  const auto* observers = context.binding.observers();
  if (observers == nullptr || observers->empty() || context.binding.info() == nullptr) {
    return body();
  }
  const case_info& info = *context.binding.info();
  std::size_t entered = 0;
  try {
    for (case_observer* o : *observers) {
      o->before_case(info);
      ++entered;
    }
  } catch (const std::exception& e) {
    state.SkipWithError((std::string("observer before the case: ") + e.what()).c_str());
  }
  if (entered == observers->size()) body();
  for (std::size_t i = entered; i-- > 0;) {
    try {
      (*observers)[i]->after_case(info, state);
    } catch (const std::exception& e) {
      if (!state.error_occurred()) {
        state.SkipWithError((std::string("observer after the case: ") + e.what()).c_str());
      }
    }
  }
}

// Registers one of the library's kernels as a Google Benchmark case run
// between its observers; `contexts` keeps the case's context alive for as
// long as Google Benchmark may run it.
void register_kernel_case(operation op, std::unique_ptr<case_context> context,
                          const case_info& info, const std::vector<case_observer*>& observers,
                          std::chrono::milliseconds interval, const benchmark_matrix& matrix,
                          std::vector<std::unique_ptr<case_context>>& contexts) {
  case_context* ctx = context.get();
  attach(*ctx, info, observers, interval);
  configure(benchmark::RegisterBenchmark(info.name.c_str(),
                                         [op, ctx](benchmark::State& state) {
                                           observed(state, *ctx,
                                                    [&] { run_kernel(op, state, *ctx); });
                                         }),
            matrix.repetitions, matrix.iterations);
  contexts.push_back(std::move(context));
}

// Every tree shape of a metadata matrix, each checked.
std::vector<meta_shape> meta_shapes_of(const metadata_matrix& matrix) {
  std::vector<meta_shape> shapes;
  for (const auto files : matrix.files_per_thread) {
    for (const auto size : matrix.file_sizes) {
      for (const auto threads : matrix.thread_counts) {
        meta_shape shape = matrix.options;
        shape.files_per_thread = files;
        shape.file_size = size;
        shape.threads = threads;
        validate_meta_shape(shape);
        shapes.push_back(shape);
      }
    }
  }
  return shapes;
}

// Its cache modes (warm when none), each checked.
std::vector<cache_mode> meta_modes_of(const metadata_matrix& matrix) {
  std::vector<cache_mode> modes = matrix.cache_modes;
  if (modes.empty()) modes.push_back(cache_mode::warm);
  for (const auto mode : modes) {
    meta_shape probe = matrix.options;
    probe.cache = mode;
    validate_meta_shape(probe);
  }
  return modes;
}

// Its phases in the order they make sense in, each once.
std::vector<meta_operation> phases_of(const metadata_matrix& matrix) {
  std::vector<meta_operation> phases;
  for (const auto op : all_meta_operations()) {
    if (std::find(matrix.operations.begin(), matrix.operations.end(), op) !=
        matrix.operations.end()) {
      phases.push_back(op);
    }
  }
  return phases;
}

std::uint64_t saturating_add(std::uint64_t a, std::uint64_t b) noexcept {
  return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

}  // namespace

std::uint64_t bytes_needed(const benchmark_matrix& matrix, bool keep) {
  std::uint64_t need = 0;
  for (const auto op : matrix.operations) {
    const std::size_t cases = modes_for(op, matrix).size() * matrix.block_sizes.size() *
                              concurrency_of(matrix).size() * rates_of(matrix).size();
    for (const auto size : matrix.file_sizes) {
      for (std::size_t n = 0; n < cases; ++n) {
        need = keep ? saturating_add(need, size) : std::max(need, size);
      }
    }
  }
  return need;
}

std::uint64_t free_space_required(std::uint64_t need) noexcept {
  constexpr std::uint64_t min_margin = 16u << 20;
  return saturating_add(need, std::max(min_margin, need / 20));
}

suite::suite(std::string scratch_root) : scratch_root_(std::move(scratch_root)) {
  validate_scratch_root(scratch_root_);
}

suite::~suite() {
  try {
    cleanup();
  } catch (const std::exception& e) {
    detail::logger().error("cleaning up scratch areas: {}", e.what());
  }
}

void suite::add_observer(case_observer& observer) { observers_.push_back(&observer); }

void suite::timeline_interval(std::chrono::milliseconds interval) {
  if (interval < min_timeline_interval) {
    throw std::invalid_argument("a timeline interval is at least " +
                                std::to_string(min_timeline_interval.count()) + " ms, not " +
                                std::to_string(interval.count()) + " ms");
  }
  timeline_interval_ = interval;
}

void suite::set_client(std::string tag,
                       std::function<std::string(const scratch_area&, const std::string&)> from) {
  file_tag_ = std::move(tag);
  read_from_ = std::move(from);
}

std::vector<std::string> suite::case_file_names(const target& where) const {
  std::vector<std::string> names;
  for (const auto& context : contexts_) {
    if (context->scratch != nullptr && &context->scratch->where() == &where) {
      names.push_back(context->file_name);
    }
  }
  return names;
}

void suite::keep_files(bool yes) {
  keep_ = yes;
  for (auto& [where, area] : scratch_) area->keep(yes);
  for (auto& context : contexts_) context->keep_files = yes;
  for (auto& tree : trees_) tree->keep(yes);
}

scratch_area& suite::scratch_for(target& where) {
  if (const auto it = scratch_.find(&where); it != scratch_.end()) return *it->second;
  // Made before it is entered: an area that could not be made (its
  // directory refused) leaves no empty entry for clean-up to trip on.
  auto area = std::make_unique<scratch_area>(where, scratch_root_);
  area->keep(keep_);
  scratch_order_.push_back(&where);
  return *scratch_.emplace(&where, std::move(area)).first->second;
}

std::vector<case_info> suite::register_matrix(const std::vector<target*>& targets,
                                              const benchmark_matrix& matrix) {
  // Check every shape before registering anything: a half-registered
  // matrix would run part of what was asked.
  std::vector<io_shape> shapes;
  for (const auto size : matrix.file_sizes) {
    for (const auto block : matrix.block_sizes) {
      for (const auto& [depth, threads] : concurrency_of(matrix)) {
        for (const double rate : rates_of(matrix)) {
          io_shape shape = matrix.options;
          shape.file_size = size;
          shape.block_size = block;
          shape.queue_depth = depth;
          shape.threads = threads;
          shape.rate_iops = rate;
          validate_shape(shape);
          shapes.push_back(shape);
        }
      }
    }
  }
  for (target* where : targets) {
    if (where == nullptr) throw std::invalid_argument("register_matrix: a target is null");
    static_cast<void>(scratch_for(*where));
  }
  // Case by case, each on every target in turn: run in rounds (one
  // repetition of every case per round), a case's targets then run side by
  // side in time, A, B, A, B, so that the machine's drift hits them alike.
  std::vector<case_info> added;
  for (const auto op : matrix.operations) {
    const std::string op_name =
        matrix.workload.empty() ? std::string(to_string(op)) : matrix.workload;
    for (const auto mode : modes_for(op, matrix)) {
      for (io_shape shape : shapes) {
        const std::string cache = mode ? std::string(to_string(*mode)) : std::string();
        if (mode) shape.cache = *mode;
        const detail::case_key key = key_of(op_name, shape, cache, op);
        for (target* where : targets) {
          auto& area = scratch_for(*where);
          std::string file_name = detail::case_file_name(key);
          if (!file_tag_.empty()) file_name += "." + file_tag_;
          auto context = std::make_unique<case_context>(case_context{
              .scratch = &area, .shape = shape, .file_name = file_name, .keep_files = keep_});
          if (is_read(op)) context->read_from = read_from_;
          case_info info{.name = detail::case_name(where->label(), key),
                         .target_label = where->label(),
                         .operation = op_name,
                         .cache = cache,
                         .file_size = shape.file_size,
                         .block_size = shape.block_size,
                         .data_file = area.file_path(file_name),
                         .fsync_timed = shape.fsync && is_write(op),
                         .queue_depth = shape.queued ? shape.queue_depth : 0,
                         .threads = shape.queued ? shape.threads : 0,
                         .runtime = shape.queued ? shape.runtime : std::chrono::milliseconds{0},
                         .rate_iops = shape.rate_iops,
                         .arrival = shape.arrival,
                         .distribution = key.distribution.empty() ? "sweep" : key.distribution};
          register_kernel_case(op, std::move(context), info, observers_, timeline_interval_, matrix,
                               contexts_);
          cases_.push_back(info);
          added.push_back(std::move(info));
        }
      }
    }
  }
  return added;
}

case_info suite::register_custom(target& where, std::string_view name, const io_shape& shape,
                                 kernel_function kernel, int repetitions) {
  validate_shape(shape);
  if (!kernel) throw std::invalid_argument("register_custom: no kernel given");
  auto& area = scratch_for(where);
  const detail::case_key key = key_of(name, shape, {}, std::nullopt);
  auto context =
      std::make_unique<case_context>(case_context{.scratch = &area,
                                                  .shape = shape,
                                                  .file_name = detail::case_file_name(key),
                                                  .keep_files = keep_});
  case_info info{.name = detail::case_name(where.label(), key),
                 .target_label = where.label(),
                 .operation = std::string(name),
                 .file_size = shape.file_size,
                 .block_size = shape.block_size,
                 .data_file = area.file_path(context->file_name)};
  case_context* ctx = context.get();
  attach(*ctx, info, observers_, timeline_interval_);
  configure(
      benchmark::RegisterBenchmark(info.name.c_str(),
                                   [ctx, kernel = std::move(kernel)](benchmark::State& state) {
                                     observed(state, *ctx, [&] {
                                       try {
                                         kernel(state, *ctx);
                                       } catch (const std::exception& e) {
                                         state.SkipWithError(e.what());
                                       }
                                     });
                                   }),
      repetitions, 0);
  contexts_.push_back(std::move(context));
  cases_.push_back(info);
  return info;
}

std::vector<case_info> suite::register_metadata(const std::vector<target*>& targets,
                                                const metadata_matrix& matrix) {
  if (matrix.operations.empty()) throw std::invalid_argument("no metadata phase given");
  const std::vector<meta_shape> shapes = meta_shapes_of(matrix);
  const std::vector<cache_mode> modes = meta_modes_of(matrix);
  const std::vector<meta_operation> phases = phases_of(matrix);
  std::vector<case_info> added;
  for (target* where : targets) {
    if (where == nullptr) throw std::invalid_argument("register_metadata: a target is null");
    auto& area = scratch_for(*where);
    for (const meta_shape& shape : shapes) {
      const std::string group = "files:" + std::to_string(shape.files_per_thread) +
                                "/size:" + format_iec(shape.file_size) +
                                "/threads:" + std::to_string(shape.threads);
      auto tree = std::make_unique<detail::meta_tree>(
          area,
          "meta-" + std::to_string(shape.files_per_thread) + "-" + format_iec(shape.file_size) +
              "-t" + std::to_string(shape.threads),
          shape);
      tree->keep(keep_);
      detail::meta_tree* t = tree.get();
      trees_.push_back(std::move(tree));
      // Every warm phase before the cold ones: a cold pass on gfapi runs on
      // a connection of its own, and the warm one may then hold attributes
      // from before it for a while (md-cache's timeout).
      for (const auto mode : modes) {
        for (const auto op : phases) {
          meta_shape phase_shape = shape;
          phase_shape.cache = mode;
          const std::string op_name = "meta:" + std::string(to_string(op));
          const std::string cache(to_string(mode));
          auto context =
              std::make_unique<case_context>(case_context{.scratch = &area, .keep_files = keep_});
          case_info info{.name = where->label() + "/" + op_name + "/" + group + "/cache:" + cache,
                         .target_label = where->label(),
                         .operation = op_name,
                         .cache = cache,
                         .file_size = shape.file_size,
                         .block_size = 0,
                         .fsync_timed = shape.fsync && (op == meta_operation::create ||
                                                        op == meta_operation::append),
                         .threads = shape.threads,
                         .file_count = shape.files_per_thread};
          case_context* ctx = context.get();
          attach(*ctx, info, observers_, timeline_interval_);
          configure(benchmark::RegisterBenchmark(
                        info.name.c_str(),
                        [op, phase_shape, t, ctx](benchmark::State& state) {
                          observed(state, *ctx, [&] {
                            detail::run_meta_kernel(op, phase_shape, *t, state, *ctx);
                          });
                        }),
                    matrix.repetitions, 1);
          contexts_.push_back(std::move(context));
          cases_.push_back(info);
          added.push_back(std::move(info));
        }
      }
    }
  }
  return added;
}

std::vector<case_info> suite::register_files(const std::vector<target*>& targets,
                                             const std::vector<std::string>& paths,
                                             const benchmark_matrix& matrix) {
  for (const auto op : matrix.operations) {
    if (!is_read(op)) {
      throw std::invalid_argument("read-only mode runs read, reread and random_read only, not " +
                                  std::string(to_string(op)));
    }
  }
  for (const auto block : matrix.block_sizes) {
    if (block == 0) throw std::invalid_argument("block size must be at least 1 byte");
  }
  if (paths.empty()) throw std::invalid_argument("read-only mode needs at least one file");
  std::vector<case_info> added;
  for (target* where : targets) {
    if (where == nullptr) throw std::invalid_argument("register_files: a target is null");
    // Every path first, so that a typo registers nothing.
    std::vector<std::pair<std::string, std::uint64_t>> files;  // path, size
    for (const auto& path : paths) {
      if (path.empty() || path.front() != '/' || path.find("/../") != std::string::npos ||
          path.ends_with("/..")) {
        throw std::invalid_argument("file '" + path +
                                    "' must be an absolute path inside the target, without '..'");
      }
      const file_status st = where->stat(path);
      if (st.type == file_type::regular) {
        files.emplace_back(path, st.size);
        continue;
      }
      if (st.type != file_type::directory) {
        throw io_error(EINVAL, {.operation = "read-only",
                                .volume = where->describe(),
                                .path = path,
                                .hint = "neither a regular file nor a directory"});
      }
      std::vector<std::string> names;
      for (const auto& entry : where->list(path)) {
        if (entry.type == file_type::regular) names.push_back(entry.name);
      }
      std::sort(names.begin(), names.end());
      if (names.empty()) {
        throw io_error(ENOENT, {.operation = "read-only",
                                .volume = where->describe(),
                                .path = path,
                                .hint = "the directory holds no regular file to read"});
      }
      for (const auto& name : names) {
        const std::string file = path == "/" ? "/" + name : path + "/" + name;
        files.emplace_back(file, where->stat(file).size);
      }
    }
    for (const auto op : matrix.operations) {
      for (const auto mode : modes_for(op, matrix)) {
        for (const auto block : matrix.block_sizes) {
          for (const auto& [file, size] : files) {
            io_shape shape = matrix.options;
            shape.file_size = size;
            shape.block_size = block;
            const std::string cache = mode ? std::string(to_string(*mode)) : std::string();
            if (mode) shape.cache = *mode;
            auto context = std::make_unique<case_context>(
                case_context{.shape = shape, .where = where, .existing_file = file});
            case_info info{
                .name = detail::case_name(where->label(), key_of(to_string(op), shape, cache, op)) +
                        "/file:" + file,
                .target_label = where->label(),
                .operation = std::string(to_string(op)),
                .cache = cache,
                .file_size = size,
                .block_size = block,
                .file = file,
                .data_file = file};
            register_kernel_case(op, std::move(context), info, observers_, timeline_interval_,
                                 matrix, contexts_);
            cases_.push_back(info);
            added.push_back(std::move(info));
          }
        }
      }
    }
  }
  return added;
}

void suite::cleanup() {
  std::optional<std::string> failure;
  // The metadata trees first: they live in the areas' directories.
  for (auto& tree : trees_) {
    if (target_hung(tree->where())) {
      tree->keep(true);
      continue;  // said below, with its area
    }
    if (tree->kept()) continue;
    try {
      tree->remove();
    } catch (const std::exception& e) {
      detail::logger().error("could not remove {}: {}", tree->root(), e.what());
      if (!failure) failure = e.what();
    }
  }
  trees_.clear();
  // Last made first: two targets on one volume (gfapi and its FUSE mount)
  // share the scratch root, which the first one made and removes once the
  // other's run directory is gone.
  for (auto it = scratch_order_.rbegin(); it != scratch_order_.rend(); ++it) {
    target* where = *it;
    auto& area = scratch_.at(where);
    if (target_hung(*where)) {
      // Its calls would hang again. Nothing of the area is touched.
      area->keep(true);
      const std::string left = area->path() + " on " + where->describe() +
                               " is left behind: a call on it hung; remove it once the volume "
                               "answers again";
      detail::logger().error("{}", left);
      if (!failure) failure = left;
      continue;
    }
    if (area->kept()) {
      detail::logger().info("kept scratch area {} on {}", area->path(), where->describe());
      continue;
    }
    try {
      area->remove();
    } catch (const std::exception& e) {
      if (!failure) failure = e.what();
    }
  }
  scratch_.clear();
  scratch_order_.clear();
  if (failure) throw std::runtime_error("scratch clean-up failed: " + *failure);
}

}  // namespace gfbench
