// TraceWriter: what a binding (ns-3 today, DPDK later) calls to record a run's trace.
// Buffered: Write appends one formatted line to a 1 MiB buffer (no allocation once warm),
// so recording costs well under a microsecond per event.
//
//   TraceWriter w;
//   if (!w.Open("run.trace", {{"nodes", {"h0", "mb1", "h1"}}, {"scenario", "fig11"}}))
//       ... w.Error() ...
//   w.Write(MakeSession(t, 7, 0, 2, tuple));
//   w.Write(MakeRange(EventKind::kWrite, t, 7, 0, offset, bytes, n));
//   w.Close(); // writes the end record; a trace without it reads as truncated
#ifndef DYSCO_VERIFY_TRACE_WRITER_H
#define DYSCO_VERIFY_TRACE_WRITER_H

#include "trace.h"

#include <cstdio>
#include <string>
#include <vector>

namespace dysco
{
namespace verify
{

class TraceWriter
{
public:
    TraceWriter() = default;
    ~TraceWriter();
    TraceWriter(const TraceWriter&) = delete;
    TraceWriter& operator=(const TraceWriter&) = delete;

    /// Creates `path` and writes the header line. `header` must hold "nodes": the node names
    /// events refer to by index; any other keys (scenario, seed, ...) are kept as they are.
    /// "format" and "version" are added. Returns false (see Error()) if the file cannot be
    /// created or the header has no node list.
    bool Open(const std::string& path, const nlohmann::json& header);
    bool Open(const std::string& path, const std::string& headerJson);

    /// Appends one record. Events must come in non-decreasing time; the writer does not
    /// check (the reader does), to stay cheap.
    void Write(const Event& e);

    /// Writes the end record and closes the file. Returns false on an I/O error.
    bool Close();

    bool IsOpen() const { return m_file != nullptr; }
    uint64_t Records() const { return m_records; }
    const std::string& Error() const { return m_error; }
    const std::vector<std::string>& Nodes() const { return m_nodes; }

private:
    void Flush();

    std::FILE* m_file = nullptr;
    std::string m_buffer;
    std::vector<std::string> m_nodes;
    uint64_t m_records = 0;
    bool m_ioError = false;
    std::string m_error;
    std::string m_path;
};

} // namespace verify
} // namespace dysco

#endif
