// The line form of one trace record (README.md "Records"): shared by the writer, the
// golden-trace tests and the synthetic generator, so there is one formatter.
#ifndef DYSCO_VERIFY_TRACE_FORMAT_H
#define DYSCO_VERIFY_TRACE_FORMAT_H

#include "trace.h"

#include <string>
#include <vector>

namespace dysco
{
namespace verify
{

/// Appends the record's line (with its trailing newline) to out.
void AppendRecord(std::string& out, const Event& e, const std::vector<std::string>& nodes);

/// The header line (with newline): `header` plus format and version, on one line.
std::string HeaderLine(const nlohmann::json& header);

/// The whole text of a trace: header, records, end record.
std::string FormatTrace(const nlohmann::json& header, const std::vector<Event>& events);

/// The last line of a complete trace.
std::string EndLine(uint64_t records);

/// 16 lower-case hex digits.
std::string HashText(uint64_t hash);

} // namespace verify
} // namespace dysco

#endif
