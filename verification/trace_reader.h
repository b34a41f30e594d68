// TraceReader: parses and validates a trace (README.md). Anything that makes the trace
// unusable as evidence is an error naming the file, the line and what was expected:
// wrong format or version, truncation (no end record, or a cut last line), unknown kinds,
// malformed fields, time going backwards, events of undeclared sessions or reconfigurations,
// endpoint events at nodes that are not the session's endpoints, non-contiguous writes,
// edits that are out of order or off write boundaries.
//
// Protocol misbehaviour (lost bytes, wrong acks, double locks, ...) is not a read error: the
// checker's properties report it.
#ifndef DYSCO_VERIFY_TRACE_READER_H
#define DYSCO_VERIFY_TRACE_READER_H

#include "trace.h"

#include <string>
#include <string_view>

namespace dysco
{
namespace verify
{

class TraceReader
{
public:
    /// Reads and validates `path` into `out`. On failure returns false and sets `error` to
    /// "FILE:LINE: what is wrong".
    static bool ReadFile(const std::string& path, Trace* out, std::string* error);

    /// The same for text in memory; `name` is used in messages.
    static bool Parse(std::string_view text, const std::string& name, Trace* out,
                      std::string* error);
};

} // namespace verify
} // namespace dysco

#endif
