// The group of ranks under mpirun: MPI's side of client_group.hpp.
//
// Every step that involves all ranks is a non-blocking collective waited
// for by polling, so that a stop request (Ctrl-C to mpirun, which sends
// SIGTERM to every rank; or a dead rank, after which mpirun does the same)
// is seen while waiting: after a short grace the group counts as broken
// and each rank winds down alone, within the second mpirun gives before
// its SIGKILL (odls_base_sigkill_timeout).
//
// A case is one conversation of votes: each rank votes at before_pass,
// after_pass, at a wear-out and when a read waits for its peers, and keeps
// voting "ended" in after_case until every rank has ended. MPI matches
// collectives by their order, not by where they are called, so a rank that
// fails half way (and goes straight to after_case) meets the others at
// their next vote; they see that it ended, fail the case too, and all
// leave after_case together.

#include <mpi.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "common/counter_names.hpp"
#include "common/text_table.hpp"
#include "gfbench/case.hpp"
#include "gfbench/stop.hpp"
#include "group/client_group.hpp"
#include "results/timeline_merge.hpp"

namespace gfbench::app {
namespace {

using steady = std::chrono::steady_clock;

// How long a wait goes on once a stop was requested: enough for ranks
// that also stop to get there, well inside mpirun's 1 s before SIGKILL.
constexpr auto stop_grace = std::chrono::milliseconds(400);
// Rounds of the clock-offset ping-pong per rank; the fastest round counts.
constexpr int offset_rounds = 20;

// A vote, reduced with MPI_MAX over the ranks.
enum slot : std::size_t {
  any_ended,    // 1 when a rank has left the case
  any_running,  // 1 while a rank has not
  any_origin,   // 1 when a rank failed the case by itself (not as a follower)
  ended_rank,   // the highest rank that left the case, else -1
  value,        // the most of a count (wear-out)
  slots
};
using ballot = std::array<long long, slots>;

std::string host_name() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0) return "?";
  return name;
}

void check(int rc, const char* what) {
  if (rc == MPI_SUCCESS) return;
  char text[MPI_MAX_ERROR_STRING] = {};
  int length = 0;
  MPI_Error_string(rc, text, &length);
  throw std::runtime_error(std::string("MPI ") + what + ": " + text);
}

class mpi_group;

// The observer that lines up the ranks' passes (client_group::pass_observer).
class pass_sync final : public case_observer {
 public:
  explicit pass_sync(mpi_group& group) : group_(group) {}
  void before_case(const case_info& c) override;
  void before_pass(const case_info& c) override;
  void pass_moved(const case_info& /*c*/, const pass_totals& moved) override { moved_ = moved; }
  void pass_timeline(const case_info& c, const gfbench::pass_timeline& timeline) override;
  void after_pass(const case_info& c) override;
  std::uint64_t stonewall_reached(const case_info& c, std::uint64_t records) override;
  void before_removal(const case_info& /*c*/) override { running_step(); }
  void after_case(const case_info& c, benchmark::State& state) override;
  // A step inside the case: throws when another rank has left it.
  ballot running_step(long long count = 0);
  void add_up_timelines();

  std::vector<client_pass> passes;
  std::vector<std::string> failed_elsewhere;
  std::vector<case_timeline> timelines;  // rank 0: every rank's passes added up

 private:
  mpi_group& group_;
  std::map<std::string, int> repetitions_;
  std::string case_name_;
  int repetition_ = 0;
  int pass_ = 0;
  double start_ = 0;
  pass_totals moved_{};
  rank_timeline timeline_{};           // this rank's last pass, begun on the common clock
  bool followed_ = false;              // this rank failed the case because another did
  std::uint64_t last_pass_bytes_ = 0;  // rank 0: every rank's bytes of the last pass
};

class mpi_group final : public client_group {
 public:
  mpi_group(int* argc, char*** argv) {
    int provided = 0;
    check(MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided), "init");
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
    host_ = host_name();
    hosts_ = share(host_);
    measure_offsets();
    sync_ = std::make_unique<pass_sync>(*this);
  }
  ~mpi_group() override {
    // A rank stuck in a collective cannot finalize; mpirun ends the job.
    if (!broken_) MPI_Finalize();
  }
  mpi_group(const mpi_group&) = delete;
  mpi_group& operator=(const mpi_group&) = delete;

  [[nodiscard]] int rank() const noexcept override { return rank_; }
  [[nodiscard]] int size() const noexcept override { return size_; }
  [[nodiscard]] const std::string& host() const noexcept override { return host_; }
  [[nodiscard]] int host_count() const noexcept override {
    return static_cast<int>(std::set<std::string>(hosts_.begin(), hosts_.end()).size());
  }
  [[nodiscard]] std::string clock_note() const override { return clock_note_; }
  [[nodiscard]] bool broken() const noexcept override { return broken_; }
  [[nodiscard]] const std::string& host_of(int rank) const { return hosts_.at(rank); }

  // Seconds on rank 0's MPI_Wtime.
  [[nodiscard]] double now() const { return MPI_Wtime() + offset_; }

  std::vector<rank_failure> agree(const std::string& error) override {
    const auto errors = share(error);
    std::vector<rank_failure> failed;
    for (int r = 0; r < size_; ++r) {
      if (!errors[r].empty()) failed.push_back({r, hosts_.at(r), errors[r]});
    }
    return failed;
  }

  std::string broadcast(const std::string& text) override {
    long long length = static_cast<long long>(text.size());
    bcast(&length, 1, MPI_LONG_LONG);
    std::string out = rank_ == 0 ? text : std::string(static_cast<std::size_t>(length), '\0');
    if (length > 0) bcast(out.data(), static_cast<int>(length), MPI_CHAR);
    return out;
  }

  std::vector<std::string> share(const std::string& text) override {
    if (broken_) throw group_broken("the ranks no longer answer");
    const int mine = static_cast<int>(text.size());
    std::vector<int> lengths(static_cast<std::size_t>(size_));
    {
      MPI_Request r = MPI_REQUEST_NULL;
      check(MPI_Iallgather(&mine, 1, MPI_INT, lengths.data(), 1, MPI_INT, MPI_COMM_WORLD, &r),
            "allgather");
      wait(r);
    }
    std::vector<int> offsets(lengths.size());
    int total = 0;
    for (std::size_t i = 0; i < lengths.size(); ++i) {
      offsets[i] = total;
      total += lengths[i];
    }
    std::string all(static_cast<std::size_t>(total), '\0');
    {
      MPI_Request r = MPI_REQUEST_NULL;
      check(MPI_Iallgatherv(text.data(), mine, MPI_CHAR, all.data(), lengths.data(), offsets.data(),
                            MPI_CHAR, MPI_COMM_WORLD, &r),
            "allgatherv");
      wait(r);
    }
    std::vector<std::string> out;
    for (std::size_t i = 0; i < lengths.size(); ++i) {
      out.push_back(
          all.substr(static_cast<std::size_t>(offsets[i]), static_cast<std::size_t>(lengths[i])));
    }
    return out;
  }

  case_observer& pass_observer() override { return *sync_; }
  void wait_for_peers() override { sync_->running_step(); }
  [[nodiscard]] const std::vector<client_pass>& passes() const noexcept override {
    return sync_->passes;
  }
  [[nodiscard]] const std::vector<std::string>& failed_elsewhere() const noexcept override {
    return sync_->failed_elsewhere;
  }
  [[nodiscard]] const std::vector<case_timeline>& timelines() const noexcept override {
    return sync_->timelines;
  }

  ballot vote(const ballot& mine) {
    if (broken_) throw group_broken("the ranks no longer answer");
    ballot all{};
    MPI_Request r = MPI_REQUEST_NULL;
    check(MPI_Iallreduce(mine.data(), all.data(), static_cast<int>(slots), MPI_LONG_LONG, MPI_MAX,
                         MPI_COMM_WORLD, &r),
          "allreduce");
    wait(r);
    return all;
  }

  // Rank 0 gets every rank's `values` (the same count on each), in rank order.
  std::vector<double> gather(const std::vector<double>& values) {
    if (broken_) throw group_broken("the ranks no longer answer");
    std::vector<double> all(rank_ == 0 ? values.size() * static_cast<std::size_t>(size_) : 0);
    MPI_Request r = MPI_REQUEST_NULL;
    check(MPI_Igather(values.data(), static_cast<int>(values.size()), MPI_DOUBLE, all.data(),
                      static_cast<int>(values.size()), MPI_DOUBLE, 0, MPI_COMM_WORLD, &r),
          "gather");
    wait(r);
    return all;
  }

 private:
  void bcast(void* data, int count, MPI_Datatype type) {
    if (broken_) throw group_broken("the ranks no longer answer");
    MPI_Request r = MPI_REQUEST_NULL;
    check(MPI_Ibcast(data, count, type, 0, MPI_COMM_WORLD, &r), "bcast");
    wait(r);
  }

  // Polls until the request completes. Spinning briefly keeps the
  // barriers tight; then it sleeps in short steps, so that waiting ranks
  // leave the cores to the ranks still working.
  void wait(MPI_Request& request) {
    std::optional<steady::time_point> stop_seen;
    for (int polls = 0;; ++polls) {
      int done = 0;
      check(MPI_Test(&request, &done, MPI_STATUS_IGNORE), "test");
      if (done != 0) return;
      if (stop_requested()) {
        const auto now = steady::now();
        if (!stop_seen) stop_seen = now;
        if (now - *stop_seen > stop_grace) {
          broken_ = true;
          throw group_broken("interrupted while waiting for the other ranks");
        }
      }
      if (polls < 2000) {
        std::this_thread::yield();
      } else {
        std::this_thread::sleep_for(std::chrono::microseconds(100));
      }
    }
  }

  // Open MPI's MPI_Wtime is each host's own clock (MPI_WTIME_IS_GLOBAL 0):
  // each rank measures its offset to rank 0 with a ping-pong, keeping the
  // round with the shortest round trip, whose half bounds the error.
  void measure_offsets() {
    int* is_global = nullptr;
    int found = 0;
    MPI_Comm_get_attr(MPI_COMM_WORLD, MPI_WTIME_IS_GLOBAL, &is_global, &found);
    if (found != 0 && is_global != nullptr && *is_global != 0) {
      clock_note_ = "MPI_Wtime is global";
      return;
    }
    double best_trip = std::numeric_limits<double>::infinity();
    for (int peer = 1; peer < size_; ++peer) {
      for (int round = 0; round < offset_rounds; ++round) {
        if (rank_ == 0) {
          double ping = 0;
          MPI_Recv(&ping, 1, MPI_DOUBLE, peer, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
          const double mine = MPI_Wtime();
          MPI_Send(&mine, 1, MPI_DOUBLE, peer, 1, MPI_COMM_WORLD);
        } else if (rank_ == peer) {
          const double sent = MPI_Wtime();
          MPI_Send(&sent, 1, MPI_DOUBLE, 0, 0, MPI_COMM_WORLD);
          double theirs = 0;
          MPI_Recv(&theirs, 1, MPI_DOUBLE, 0, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
          const double back = MPI_Wtime();
          if (back - sent < best_trip) {
            best_trip = back - sent;
            offset_ = theirs - (sent + back) / 2;
          }
        }
      }
    }
    const std::vector<double> mine{std::fabs(offset_), rank_ == 0 ? 0 : best_trip / 2};
    const std::vector<double> all = gather(mine);
    if (rank_ != 0) return;
    double largest = 0, error = 0;
    for (std::size_t i = 0; i < all.size(); i += 2) {
      largest = std::max(largest, all[i]);
      error = std::max(error, all[i + 1]);
    }
    clock_note_ = "MPI_Wtime is not global; each rank's offset to rank 0's, measured at start: " +
                  std::string("at most ") + format_fixed(largest * 1e6, 1) + " us, each within +-" +
                  format_fixed(error * 1e6, 1) + " us";
  }

  int rank_ = 0;
  int size_ = 1;
  std::string host_;
  std::vector<std::string> hosts_;
  double offset_ = 0;
  std::string clock_note_;
  bool broken_ = false;
  std::unique_ptr<pass_sync> sync_;
};

ballot pass_sync::running_step(long long count) {
  ballot mine{};
  mine[any_running] = 1;
  mine[ended_rank] = -1;
  mine[value] = count;
  const ballot all = group_.vote(mine);
  if (all[any_ended] != 0) {
    followed_ = true;
    const int who = static_cast<int>(all[ended_rank]);
    throw std::runtime_error("rank " + std::to_string(who) + " (" + group_.host_of(who) + ") " +
                             followed_marker + "; its own error is listed at the end");
  }
  return all;
}

void pass_sync::before_case(const case_info& c) {
  case_name_ = c.name;
  repetition_ = repetitions_[c.name]++;
  pass_ = 0;
  followed_ = false;
}

void pass_sync::before_pass(const case_info& /*c*/) {
  running_step();
  moved_ = {};
  timeline_ = {};
  start_ = group_.now();
}

void pass_sync::pass_timeline(const case_info& /*c*/, const gfbench::pass_timeline& timeline) {
  // Its begin on the clock the ranks agree on: now on that clock, less
  // how long ago it began on this host's steady clock.
  const double ago = std::chrono::duration<double>(steady::now() - timeline.begin).count();
  timeline_ = {.begin_s = group_.now() - ago, .timeline = timeline};
}

void pass_sync::after_pass(const case_info& /*c*/) {
  const double end = group_.now();
  running_step();
  const std::vector<double> mine{start_, end, static_cast<double>(moved_.bytes),
                                 static_cast<double>(moved_.records)};
  const std::vector<double> all = group_.gather(mine);
  if (group_.rank() == 0) {
    client_pass pass{
        .case_name = case_name_, .repetition = repetition_, .pass = pass_, .ranks = {}};
    for (int r = 0; r < group_.size(); ++r) {
      const auto at = static_cast<std::size_t>(r) * mine.size();
      pass.ranks.push_back({.rank = r,
                            .host = group_.host_of(r),
                            .start = all[at],
                            .end = all[at + 1],
                            .bytes = static_cast<std::uint64_t>(all[at + 2]),
                            .records = static_cast<std::uint64_t>(all[at + 3])});
    }
    last_pass_bytes_ = 0;
    for (const auto& r : pass.ranks) last_pass_bytes_ += r.bytes;
    passes.push_back(std::move(pass));
  }
  add_up_timelines();
  ++pass_;
}

// Every rank's timeline of the pass, added up on rank 0 on the common clock.
void pass_sync::add_up_timelines() {
  const std::vector<std::string> all = group_.share(
      timeline_.timeline.intervals.empty() ? std::string() : encode_timeline(timeline_));
  if (group_.rank() != 0 || timeline_.timeline.intervals.empty()) return;
  std::vector<rank_timeline> ranks{timeline_};
  for (std::size_t r = 1; r < all.size(); ++r) {
    if (!all[r].empty()) ranks.push_back(decode_timeline(all[r]));
  }
  timelines.push_back(
      {.case_name = case_name_ + " [all " + std::to_string(ranks.size()) + " ranks]",
       .repetition = repetition_,
       .pass = pass_,
       .failed = false,
       .timeline = merge_timelines(ranks)});
}

std::uint64_t pass_sync::stonewall_reached(const case_info& /*c*/, std::uint64_t records) {
  const ballot all = running_step(static_cast<long long>(records));
  return static_cast<std::uint64_t>(all[value]);
}

void pass_sync::after_case(const case_info& c, benchmark::State& state) {
  if (group_.broken()) return;
  // Rank 0's brick counters (--profile) count every rank's I/O: the shares
  // they give (read from caches, written to the bricks) are of every
  // rank's bytes of the pass, as statistics.hpp's pass_bytes reads them.
  if (group_.rank() == 0 && pass_ > 0 && !state.error_occurred()) {
    state.counters[bytes_per_pass_counter] =
        benchmark::Counter(static_cast<double>(last_pass_bytes_));
  }
  ballot mine{};
  mine[any_ended] = 1;
  mine[ended_rank] = group_.rank();
  mine[any_origin] = state.error_occurred() && !followed_ ? 1 : 0;
  ballot all{};
  do {
    all = group_.vote(mine);
  } while (all[any_running] != 0);
  if (all[any_origin] == 0) return;
  // Which ranks failed by themselves: rank 0 names them.
  const std::vector<double> origins = group_.gather({static_cast<double>(mine[any_origin])});
  if (group_.rank() != 0) return;
  std::string names;
  for (std::size_t r = 1; r < origins.size(); ++r) {
    if (origins[r] == 0) continue;
    names += (names.empty() ? "" : ", ") + std::string("rank ") + std::to_string(r) + " (" +
             group_.host_of(static_cast<int>(r)) + ")";
  }
  if (names.empty()) return;  // rank 0's own error
  failed_elsewhere.push_back(c.name);
  if (!state.error_occurred()) {
    state.SkipWithError(("failed on " + names + "; its error is listed at the end").c_str());
  }
}

}  // namespace

std::unique_ptr<client_group> join_client_group(int* argc, char*** argv) {
  return std::make_unique<mpi_group>(argc, argv);
}

}  // namespace gfbench::app
