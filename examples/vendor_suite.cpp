// A storage vendor's own benchmark suite: its own main, gfbench's write and
// read kernels on a chosen matrix, plus one custom kernel of its own (small
// appends with fdatasync-like durability via fsync), all on a volume named
// on the command line. Google Benchmark's flags work as usual.
//
//   vendor_suite SERVER VOLUME [--benchmark_filter=...]

#include <benchmark/benchmark.h>

#include <gfbench/gfbench.hpp>
#include <gfbench/recorder.hpp>
#include <gfbench/suite.hpp>
#include <iostream>
#include <vector>

namespace {

// The custom kernel: append records to a new file, fsync after each one,
// as a database log would. Timing and counters come from case_recorder, so
// its numbers read like the built-in cases'.
void durable_append(benchmark::State& state, gfbench::case_context& context) {
  auto& scratch = *context.scratch;
  const auto& shape = context.shape;
  std::vector<std::byte> record(shape.block_size, std::byte{0x5a});
  gfbench::case_recorder recorder(state);
  for (auto _ : state) {
    if (scratch.has_file(context.file_name)) scratch.remove_file(context.file_name);
    auto f = scratch.create_file(context.file_name, {.access = gfbench::access_mode::write_only});
    recorder.begin_iteration();
    for (std::uint64_t off = 0; off < shape.file_size; off += shape.block_size) {
      recorder.record(shape.block_size, [&] {
        f->pwrite_all(record, off);
        f->fsync();
      });
    }
    recorder.end_iteration();
    f->close();
  }
  recorder.finish();
  scratch.remove_file(context.file_name);
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (argc != 3) {
    std::cerr << "usage: vendor_suite SERVER VOLUME [--benchmark_...]\n";
    return 2;
  }
  try {
    auto vol = gfbench::volume::connect(
        {.volume = argv[2], .servers = {{.host = argv[1]}}, .skip_fini = true});
    auto target = gfbench::make_gfapi_target(vol);
    gfbench::suite suite("/.vendor-bench");

    gfbench::benchmark_matrix matrix;
    matrix.operations = {gfbench::operation::write, gfbench::operation::read};
    matrix.file_sizes = {4u << 20};
    matrix.block_sizes = {64u << 10, 1u << 20};
    matrix.read_cache_modes = {gfbench::cache_mode::cold};
    matrix.repetitions = 3;
    suite.register_matrix({target.get()}, matrix);
    suite.register_custom(*target, "durable_append", {.file_size = 256u << 10, .block_size = 4096},
                          durable_append, 3);

    const auto ran = benchmark::RunSpecifiedBenchmarks();
    suite.cleanup();
    benchmark::Shutdown();
    return ran > 0 ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "vendor_suite: " << e.what() << "\n";
    return 1;
  }
}
