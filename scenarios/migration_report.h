// The state migrations of a run (RunResult::migrations): migrations.csv, one row per
// migration with the time of each phase, and the "migrations" block of summary.json.
#ifndef DYSCOSIM_MIGRATION_REPORT_H
#define DYSCOSIM_MIGRATION_REPORT_H

#include "run_result.h"

#include <nlohmann/json.hpp>
#include <string>

namespace dyscosim
{

/// id,stream_id,entry,from,to,mode,trigger_s,reconfigured_s,new_path_up_s,exported_s,
/// installed_s,ended_s,duration_ms,state_bytes,reordered,max_gap_ms,outcome,error
std::string MigrationsCsv(const RunResult& r);

/// {"total", "migrated", "state_refused", "other"} and per mode {"count", "duration_ms"
/// {min, median, max}, "reordered", "max_gap_ms"}.
nlohmann::ordered_json MigrationSummary(const RunResult& r);

} // namespace dyscosim

#endif
