// Per-session timing of a run, for the paper's figures: connect() latency (Figure 7),
// goodput over the transfer (Figure 8) and the rate of completed request/response sessions
// (Figure 9). Plain data in, plain data out: no ns-3.
#ifndef DYSCOSIM_TIMING_SUMMARY_H
#define DYSCOSIM_TIMING_SUMMARY_H

#include "run_result.h"

#include <nlohmann/json.hpp>
#include <string>

namespace dyscosim
{

/// When the session was over for both ends (the later of the receiver's and the client's
/// close), or -1 if one of them has not closed.
double SessionDoneS(const SessionResult& s);

/// summary.json "timing": connect_ms {count, mean, median, p99, min, max}, first_start_s,
/// last_done_s, goodput_bps (bytes delivered both ways over first start to last done) and
/// completed_per_s (completed sessions over the same span), and steady_goodput_bps: the
/// rate between the samples where 10 % and 90 % of all delivered bytes had arrived (start-up
/// and the last stragglers excluded), and steady_completed_per_s (SteadyCompletionRate).
nlohmann::ordered_json TimingSummary(const RunResult& r);

/// Sessions completed per second between the 10th and 90th percentile completion times
/// (0 with fewer than 10 completed sessions).
double SteadyCompletionRate(const RunResult& r);

/// goodput.csv: time_s, then bytes delivered so far per traffic entry (bundle0, ...).
std::string GoodputCsv(const RunResult& r);

/// timings.csv: stream_id,start_s,connect_ms,done_s (empty cells when it did not happen).
std::string TimingsCsv(const RunResult& r);

} // namespace dyscosim

#endif
