// The files a run leaves in its output directory: summary.json (the contract of DESIGN.md
// that other tools read, plus seed, git_describe, agent state and middlebox counters),
// sessions.csv (one delivery record per session) and reconfigurations.csv.
#ifndef DYSCOSIM_SUMMARY_H
#define DYSCOSIM_SUMMARY_H

#include "delivery_check.h"
#include "run_result.h"

#include <nlohmann/json.hpp>
#include <string>

namespace dyscosim
{

/// Keys in a fixed order, so equal runs give byte-identical files (wall_time_s aside).
nlohmann::ordered_json MakeSummary(const RunResult& r, const CheckOutcome& check,
                                   const std::string& gitDescribe);

/// Writes `text` to `path` atomically enough for readers (temp file + rename).
/// Throws std::runtime_error naming the path on failure.
void WriteTextFile(const std::string& path, const std::string& text);

void WriteSummary(const std::string& path, const nlohmann::ordered_json& summary);

/// stream_id,from,to,bytes_written,bytes_delivered,first_mismatch,completed,close_time_s,
/// reverse_written,reverse_delivered,reverse_first_mismatch,injected
std::string SessionsCsv(const RunResult& r);

/// One row per reconfiguration (RunResult::reconfigurations): left anchor, request id,
/// session, new path, trigger / start / end times, duration (trigger to old-path teardown),
/// outcome and abort reason.
std::string ReconfigurationsCsv(const RunResult& r);

} // namespace dyscosim

#endif
