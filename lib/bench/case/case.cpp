// The case vocabulary (gfbench/case.hpp): operation and cache-mode names,
// and the one rule for which shapes can run.

#include "gfbench/case.hpp"

#include <cmath>
#include <string>

#include "gfbench/units.hpp"

namespace gfbench {

std::string_view to_string(operation op) noexcept {
  switch (op) {
    case operation::write:
      return "write";
    case operation::rewrite:
      return "rewrite";
    case operation::read:
      return "read";
    case operation::reread:
      return "reread";
    case operation::random_read:
      return "random_read";
    case operation::random_write:
      return "random_write";
    case operation::random_rw:
      return "random_rw";
  }
  return "unknown";
}

std::optional<operation> parse_operation(std::string_view name) noexcept {
  for (auto op : {operation::write, operation::rewrite, operation::read, operation::reread,
                  operation::random_read, operation::random_write, operation::random_rw}) {
    if (name == to_string(op)) return op;
  }
  if (name == "randread") return operation::random_read;
  if (name == "randwrite") return operation::random_write;
  if (name == "randrw") return operation::random_rw;
  return std::nullopt;
}

std::string_view to_string(cache_mode mode) noexcept {
  switch (mode) {
    case cache_mode::warm:
      return "warm";
    case cache_mode::cold:
      return "cold";
    case cache_mode::uncached:
      return "uncached";
  }
  return "unknown";
}

std::optional<cache_mode> parse_cache_mode(std::string_view name) noexcept {
  for (const auto mode : {cache_mode::warm, cache_mode::cold, cache_mode::uncached}) {
    if (name == to_string(mode)) return mode;
  }
  return std::nullopt;
}

std::string_view to_string(arrivals a) noexcept {
  return a == arrivals::poisson ? "poisson" : "even";
}

std::optional<arrivals> parse_arrivals(std::string_view name) noexcept {
  for (const auto a : {arrivals::even, arrivals::poisson}) {
    if (name == to_string(a)) return a;
  }
  return std::nullopt;
}

bool is_read(operation op) noexcept {
  return op == operation::read || op == operation::reread || op == operation::random_read;
}

bool is_write(operation op) noexcept {
  return op == operation::write || op == operation::rewrite || op == operation::random_write ||
         op == operation::random_rw;
}

namespace {

// A pace is one a thread can keep: a request at least once an hour, on a
// queued shape (the one-call-at-a-time kernels are IOzone's loop, which
// runs flat out by definition).
void validate_rate(const io_shape& shape) {
  using reason = shape_error::reason;
  if (shape.rate_iops == 0) return;
  if (!std::isfinite(shape.rate_iops) || shape.rate_iops < 0 ||
      shape.rate_iops * 3600 < shape.threads) {
    throw shape_error(reason::bad_rate,
                      "a rate is requests a second for the whole case, at least one an hour per "
                      "thread, not " +
                          std::to_string(shape.rate_iops));
  }
  if (!shape.queued) {
    throw shape_error(reason::rate_not_queued,
                      "a rate paces the queued engine: give a queue depth (1 sends one "
                      "synchronous call at a time) or a workload");
  }
}

}  // namespace

void validate_shape(const io_shape& shape) {
  using reason = shape_error::reason;
  if (shape.file_size == 0)
    throw shape_error(reason::empty_file, "file size must be at least 1 byte");
  if (shape.block_size == 0) {
    throw shape_error(reason::empty_block, "block size must be at least 1 byte");
  }
  if (shape.block_size > shape.file_size) {
    throw shape_error(reason::block_larger_than_file,
                      "block size " + format_iec(shape.block_size) + " is larger than file size " +
                          format_iec(shape.file_size) + ": use a block size up to the file size");
  }
  if (shape.file_size % shape.block_size != 0) {
    throw shape_error(reason::block_not_dividing,
                      "block size " + format_iec(shape.block_size) + " does not divide file size " +
                          format_iec(shape.file_size) +
                          ": every record is a whole block, so pick sizes that divide");
  }
  if (shape.direct && shape.block_size % direct_io_alignment != 0) {
    throw shape_error(reason::direct_unaligned,
                      "O_DIRECT needs block sizes that are multiples of 4KiB, not " +
                          format_iec(shape.block_size));
  }
  if (shape.wear_out && shape.stonewall.count() <= 0) {
    throw shape_error(reason::wear_out_alone, "wear-out needs a stonewall to wear out from");
  }
  if (shape.queued && shape.stonewall.count() > 0) {
    throw shape_error(reason::stonewall_queued,
                      "a stonewall cuts the passes of the one-call-at-a-time kernels; a queued "
                      "pass is cut by its runtime");
  }
  validate_rate(shape);
  if (!shape.queued && shape.distribution.kind != distribution_kind::sweep) {
    throw shape_error(shape_error::reason::distribution_not_queued,
                      "an access distribution draws the records of queued random cases: give a "
                      "queue depth (1 sends one synchronous call at a time) or a workload");
  }
  if (shape.queued) {
    if (shape.queue_depth == 0 || shape.threads == 0) {
      throw shape_error(reason::no_concurrency, "queue depth and threads must be at least 1, not " +
                                                    std::to_string(shape.queue_depth) + " and " +
                                                    std::to_string(shape.threads));
    }
    if (shape.read_percent > 100) {
      throw shape_error(reason::bad_read_percent, "the read share is a percentage, 0 to 100, not " +
                                                      std::to_string(shape.read_percent));
    }
    if (shape.block_size % 512 != 0) {
      throw shape_error(reason::queued_unaligned,
                        "with a queue depth or threads, block sizes are multiples of 512 bytes, "
                        "not " +
                            format_iec(shape.block_size));
    }
    const std::uint64_t records = shape.file_size / shape.block_size;
    if (records / shape.threads < shape.queue_depth) {
      throw shape_error(reason::too_few_records,
                        "a " + format_iec(shape.file_size) + " file has " +
                            std::to_string(records) + " records of " +
                            format_iec(shape.block_size) + ", fewer than " +
                            std::to_string(shape.threads) + " thread(s) x queue depth " +
                            std::to_string(shape.queue_depth) +
                            " in flight: use a larger file or smaller blocks, depth or threads");
    }
  }
  if (shape.cache == cache_mode::uncached && shape.block_size % direct_io_alignment != 0) {
    throw shape_error(reason::direct_unaligned,
                      "uncached reads are O_DIRECT on a POSIX target: they need block sizes that "
                      "are multiples of 4KiB, not " +
                          format_iec(shape.block_size));
  }
}

}  // namespace gfbench
