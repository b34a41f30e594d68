// Checker trace reader (verification/trace_reader.h): any text either reads or fails with a
// "NAME:LINE: ..." message; no exception escapes, no sanitizer report.
#include "harness.h"
#include "trace_reader.h"

#include <string_view>

namespace dysco
{
namespace fuzz
{

int
FuzzTrace(const uint8_t* data, size_t size)
{
    const std::string text(reinterpret_cast<const char*>(data), size);
    verify::Trace trace;
    std::string error;
    const bool ok = verify::TraceReader::Parse(text, "fuzz.trace", &trace, &error);
    FUZZ_CHECK(ok || error.rfind("fuzz.trace:", 0) == 0, "read error without file:line");
    return 0;
}

} // namespace fuzz
} // namespace dysco
