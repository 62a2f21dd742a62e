#include "gfbench/suite.hpp"

#include <benchmark/benchmark.h>

#include <optional>
#include <stdexcept>

#include "gfbench/units.hpp"
#include "log.hpp"

namespace gfbench {
namespace {

std::string case_name(const target& where, std::string_view op, const io_shape& shape,
                      std::string_view cache) {
  std::string name = where.label() + "/" + std::string(op) +
                     "/size:" + format_iec(shape.file_size) + "/bs:" + format_iec(shape.block_size);
  if (!cache.empty()) name += "/cache:" + std::string(cache);
  return name;
}

// One file per case, so cases never share data and a failed case cannot
// spoil the next.
std::string case_file_name(std::string_view op, const io_shape& shape, std::string_view cache) {
  std::string name =
      std::string(op) + "-" + format_iec(shape.file_size) + "-" + format_iec(shape.block_size);
  if (!cache.empty()) name += "-" + std::string(cache);
  return name;
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

}  // namespace

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

void suite::keep_files(bool yes) {
  keep_ = yes;
  for (auto& [where, area] : scratch_) area->keep(yes);
  for (auto& context : contexts_) context->keep_files = yes;
}

scratch_area& suite::scratch_for(target& where) {
  auto& area = scratch_[&where];
  if (!area) {
    area = std::make_unique<scratch_area>(where, scratch_root_);
    area->keep(keep_);
  }
  return *area;
}

std::vector<case_info> suite::register_matrix(const std::vector<target*>& targets,
                                              const benchmark_matrix& matrix) {
  // Check every shape before registering anything: a half-registered
  // matrix would run part of what was asked.
  std::vector<io_shape> shapes;
  for (const auto size : matrix.file_sizes) {
    for (const auto block : matrix.block_sizes) {
      io_shape shape = matrix.options;
      shape.file_size = size;
      shape.block_size = block;
      validate_shape(shape);
      shapes.push_back(shape);
    }
  }
  std::vector<case_info> added;
  for (target* where : targets) {
    if (where == nullptr) throw std::invalid_argument("register_matrix: a target is null");
    auto& area = scratch_for(*where);
    for (const auto op : matrix.operations) {
      for (const auto mode : modes_for(op, matrix)) {
        for (io_shape shape : shapes) {
          const std::string cache = mode ? std::string(to_string(*mode)) : std::string();
          if (mode) shape.cache = *mode;
          auto context = std::make_unique<case_context>(
              case_context{.scratch = &area,
                           .shape = shape,
                           .file_name = case_file_name(to_string(op), shape, cache),
                           .keep_files = keep_});
          case_info info{.name = case_name(*where, to_string(op), shape, cache),
                         .target_label = where->label(),
                         .operation = std::string(to_string(op)),
                         .cache = cache,
                         .file_size = shape.file_size,
                         .block_size = shape.block_size};
          case_context* ctx = context.get();
          configure(benchmark::RegisterBenchmark(
                        info.name.c_str(),
                        [op, ctx](benchmark::State& state) { run_kernel(op, state, *ctx); }),
                    matrix.repetitions, matrix.iterations);
          contexts_.push_back(std::move(context));
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
  auto context =
      std::make_unique<case_context>(case_context{.scratch = &area,
                                                  .shape = shape,
                                                  .file_name = case_file_name(name, shape, {}),
                                                  .keep_files = keep_});
  case_info info{.name = case_name(where, name, shape, {}),
                 .target_label = where.label(),
                 .operation = std::string(name),
                 .file_size = shape.file_size,
                 .block_size = shape.block_size};
  case_context* ctx = context.get();
  configure(
      benchmark::RegisterBenchmark(info.name.c_str(),
                                   [ctx, kernel = std::move(kernel)](benchmark::State& state) {
                                     try {
                                       kernel(state, *ctx);
                                     } catch (const std::exception& e) {
                                       state.SkipWithError(e.what());
                                     }
                                   }),
      repetitions, 0);
  contexts_.push_back(std::move(context));
  cases_.push_back(info);
  return info;
}

void suite::cleanup() {
  std::optional<std::string> failure;
  for (auto& [where, area] : scratch_) {
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
  if (failure) throw std::runtime_error("scratch clean-up failed: " + *failure);
}

}  // namespace gfbench
