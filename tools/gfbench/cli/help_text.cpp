// gfbench --help: what every flag does, in the words of a person who runs
// it. docs/user-guide.md must mention every flag listed here (a test checks).

#include <algorithm>
#include <string>

#include "cli/cli.hpp"
#include "gfbench/workloads.hpp"

namespace gfbench::app {

namespace {

// One line per named workload; docs/vm-workloads.md says where each comes from.
std::string workload_lines() {
  std::string out;
  for (const vm_workload& w : vm_workloads()) {
    std::string name(w.name);
    name.resize(std::max<std::size_t>(name.size(), 14), ' ');
    out += "                              " + name + std::string(w.description) + "\n";
  }
  return out;
}

}  // namespace

std::string help_text() {
  std::string text =
      R"(gfbench: IOzone-style write/rewrite/read throughput of GlusterFS, through libgfapi
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
                            server, its transport (tcp or unix; rdma is refused).
                            A dir storage whose path is on a GlusterFS FUSE mount
                            (Proxmox VE 9's way) runs through that path ("fuse")
                            and through libgfapi to the mount's volume and server
  --pve-config FILE         the storage.cfg to read (default /etc/pve/storage.cfg)

What to run:
  --sizes LIST              file sizes (default 1MiB,10MiB,100MiB)
  --block-sizes LIST        record sizes, one I/O call each (default 4KiB, IOzone's)
                            Every block size must be at most every file size and
                            divide it exactly: files are written in whole blocks.
  --ops LIST                operations, in order (default write,rewrite,read); any of
                            write, rewrite, read, reread, random_read (randread),
                            random_write (randwrite), random_rw (randrw: random
                            reads and writes mixed, see --read-percent)
  --read-cache LIST         reads (read, random_read) run once per mode listed
                            (default warm,cold); the modes mean the same on every
                            target. warm: a file just written, as IOzone reads it,
                            so caches may serve it. cold: caches emptied before
                            each pass, the client as configured (its read-ahead
                            stays): a POSIX target drops the file from the page
                            cache; gfapi reads through a client whose graph keeps
                            no data of the file. uncached: the client's caches
                            bypassed: O_DIRECT on a POSIX target, every gfapi
                            performance translator passed through (block sizes:
                            multiples of 4096 bytes). reread is always warm
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

Concurrency (docs/vm-workloads.md). Any of these makes every case queued:
threads, each with its own open file and requests in flight, on libgfapi's
asynchronous calls (gfapi) or io_uring (POSIX); every request's result is
checked, and every record read back against what was written:
  --queue-depth LIST        requests in flight per thread, e.g. 1,8,32 (one case
                            each; 1 is the synchronous call; alias --iodepth)
  --threads LIST            threads, e.g. 1,4 (one case each); each works on its
                            own contiguous share of the file's records
  --runtime SECONDS         time-based passes: each runs this long, going over
                            the file as often as it takes (default: one sweep)
  --ramp-up SECONDS         with --runtime: run this long first, not counted
  --read-percent N          random_rw's share of reads, 0-100 (default 70); alias
                            --mix; alone, it asks for --ops random_rw
  --flush-interval SECONDS  each thread fsyncs its file this often, as a guest
                            flushes its disk; flushes are counted, not timed apart
  --continue-on-error       count failed and short requests (errors_<ERRNO>)
                            instead of failing the case
  --workload NAME           a VM-image workload: a 1 GiB image (or --sizes),
                            laid out in full, O_DIRECT, 30 s passes after a 5 s
                            ramp-up, a flush every 5 s; --queue-depth and
                            --threads may sweep it. NAME is one of:
@WORKLOADS@With two or more depths or thread counts the summary adds a scaling table:
IOPS, MiB/s, p50 and p99 latency per step, and the knee where the next step
gains less than 10 %.

Small files and metadata (docs/metadata.md). --file-count runs phases over a
tree of files per thread instead, through every target by the same code:
  --file-count LIST         files per thread, e.g. 1000,10000 (one tree each);
                            alias --files-per-thread
  --ops LIST                the phases, run in this order whatever the order
                            given: create, stat, read, append, chmod, setxattr,
                            getxattr, readdir, readdir_stat (ls-l), rename,
                            unlink (delete), mkdir, rmdir (default: all)
  --sizes LIST              the files' sizes, 0 for empty files (default 4KiB)
  --threads LIST            threads, each with a directory of its own
  --fsync                   create and append fsync each file before closing it
  --meta-cache MODES        warm (default), cold or warm,cold: cold empties the
                            client's caches before each pass (gfapi: a new
                            connection; a directory: the kernel's caches,
                            machine-wide, as root)
  --files-per-dir N         files per leaf directory (default 1000)
Each phase reports files/s and each item's latency; every result is checked
(sizes, contents, modes, attribute values, listings). With --fop-stats and
profiling, the summary gives the calls each file cost at the bricks.

Many clients at once (docs/scale-out.md): run gfbench under mpirun, one rank per
client machine; each rank connects on its own and works in its own directory,
passes start and end at barriers, and rank 0 prints the aggregate table:
  mpirun -np 4 --hostfile HOSTS gfbench --volume V --server H --posix /mnt/gf
  --posix DIR               %r in DIR becomes the rank, %h the host's name
  --stonewall SECONDS       passes stop at this deadline (IOR -D); not queued
  --wear-out                with --stonewall: every rank goes on to the count of
                            the rank that did most, so all do equal work
  --reorder-reads K         rank r reads the file rank r+K laid out (IOR -C), so
                            no cache of the reader can serve it

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
                            at info, progress goes to stderr: [7/24] CASE (on a
                            terminal one line, rewritten as cases and repetitions go)
  --rows                    also print Google Benchmark's row for every repetition
                            and aggregate, with every counter (by default only the
                            summary table; --benchmark_format=json|csv and
                            --benchmark_out=FILE always give them all)
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
  const std::string marker = "@WORKLOADS@";
  text.replace(text.find(marker), marker.size(), workload_lines());
  return text;
}

}  // namespace gfbench::app
