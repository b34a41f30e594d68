#include "trace_writer.h"

#include "trace_format.h"

#include <cerrno>
#include <cstring>

namespace dysco
{
namespace verify
{

namespace
{
constexpr size_t kFlushBytes = 1 << 20;
}

TraceWriter::~TraceWriter()
{
    if (m_file)
    {
        Close();
    }
}

bool
TraceWriter::Open(const std::string& path, const std::string& headerJson)
{
    nlohmann::json h = nlohmann::json::parse(headerJson, nullptr, false);
    if (h.is_discarded())
    {
        m_error = "trace header is not valid JSON";
        return false;
    }
    return Open(path, h);
}

bool
TraceWriter::Open(const std::string& path, const nlohmann::json& header)
{
    if (m_file)
    {
        Close();
    }
    m_error.clear();
    m_nodes.clear();
    if (!header.is_object() || !header.contains("nodes") || !header["nodes"].is_array())
    {
        m_error = "trace header needs \"nodes\": an array of node names";
        return false;
    }
    for (const auto& n : header["nodes"])
    {
        if (!n.is_string())
        {
            m_error = "trace header \"nodes\" must hold strings";
            return false;
        }
        m_nodes.push_back(n.get<std::string>());
    }
    m_file = std::fopen(path.c_str(), "wb");
    if (!m_file)
    {
        m_error = "cannot create " + path + ": " + std::strerror(errno);
        return false;
    }
    m_path = path;
    m_records = 0;
    m_ioError = false;
    m_buffer.clear();
    m_buffer.reserve(kFlushBytes + 4096);
    m_buffer += HeaderLine(header);
    return true;
}

void
TraceWriter::Write(const Event& e)
{
    if (!m_file)
    {
        return;
    }
    AppendRecord(m_buffer, e, m_nodes);
    ++m_records;
    if (m_buffer.size() >= kFlushBytes)
    {
        Flush();
    }
}

void
TraceWriter::Flush()
{
    if (!m_buffer.empty() &&
        std::fwrite(m_buffer.data(), 1, m_buffer.size(), m_file) != m_buffer.size())
    {
        m_ioError = true;
    }
    m_buffer.clear();
}

bool
TraceWriter::Close()
{
    if (!m_file)
    {
        return !m_ioError;
    }
    m_buffer += EndLine(m_records);
    Flush();
    if (std::fclose(m_file) != 0)
    {
        m_ioError = true;
    }
    m_file = nullptr;
    if (m_ioError)
    {
        m_error = "I/O error writing " + m_path;
    }
    return !m_ioError;
}

} // namespace verify
} // namespace dysco
