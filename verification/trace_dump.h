// Human-readable view of a trace (`dyscosim check TRACE --dump`): one line per record with
// its event id, time in seconds, kind, session, node and named fields.
#ifndef DYSCO_VERIFY_TRACE_DUMP_H
#define DYSCO_VERIFY_TRACE_DUMP_H

#include "trace.h"

#include <string>

namespace dysco
{
namespace verify
{

/// "#12     0.001200300  seg-rx   s3  h1      flags=A seq=1001 ack=501 len=1448 ..."
std::string DumpEvent(const Trace& trace, size_t index);

} // namespace verify
} // namespace dysco

#endif
