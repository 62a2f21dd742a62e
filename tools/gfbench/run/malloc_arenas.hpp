#pragma once
// How many malloc arenas the gfbench process keeps. glibc gives each thread
// that allocates while others do an arena of its own, up to eight per core,
// and each holds on to what was freed in it. libgfapi runs a dozen threads
// or more per connection (epoll, io-threads, syncops), so that at queue
// depth the client's resident memory is mostly idle arena pages, not I/O.

namespace gfbench::app {

/// Limits malloc to two arenas per online CPU (glibc's own limit is eight)
/// unless MALLOC_ARENA_MAX is set: the environment decides then. Measured
/// on 2 CPUs, queued random reads at depth 32 x 4 threads: 61-63 MiB
/// resident instead of 92-108, IOPS 1.03 of glibc's limit (median of 5
/// interleaved rounds); one arena per CPU saved 8 MiB more but cost 4 %.
/// Call it first in main, before any thread exists. Returns the limit set,
/// or 0 when it left glibc's own.
int limit_malloc_arenas();

}  // namespace gfbench::app
