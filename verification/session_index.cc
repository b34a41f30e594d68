#include "session_index.h"

#include <unordered_map>

namespace dysco
{
namespace verify
{

SessionIndex::SessionIndex(const Trace& trace)
    : m_trace(trace)
{
    // The reader guarantees every record's session is declared before it.
    std::unordered_map<uint32_t, uint32_t> dense;
    std::vector<uint32_t> sessionOf(trace.events.size());
    std::vector<uint32_t> counts;
    for (size_t i = 0; i < trace.events.size(); ++i)
    {
        const Event& e = trace.events[i];
        uint32_t d;
        if (e.kind == EventKind::kSession)
        {
            d = uint32_t(m_decls.size());
            dense.emplace(e.session, d);
            m_decls.push_back(uint32_t(i));
            counts.push_back(0);
        }
        else
        {
            d = dense.at(e.session);
        }
        sessionOf[i] = d;
        ++counts[d];
    }
    m_offsets.resize(m_decls.size() + 1, 0);
    for (size_t s = 0; s < counts.size(); ++s)
    {
        m_offsets[s + 1] = m_offsets[s] + counts[s];
    }
    m_events.resize(trace.events.size());
    std::vector<uint32_t> fill(m_offsets.begin(), m_offsets.end() - 1);
    for (size_t i = 0; i < trace.events.size(); ++i)
    {
        m_events[fill[sessionOf[i]]++] = uint32_t(i);
    }
}

SessionView
SessionIndex::View(size_t i) const
{
    SessionView v;
    v.decl = m_decls[i];
    const Event& s = m_trace.events[v.decl];
    v.sid = s.session;
    v.info = &std::get<SessionDecl>(s.payload);
    v.client = s.node;
    v.server = v.info->server;
    v.first = m_events.data() + m_offsets[i];
    v.last = m_events.data() + m_offsets[i + 1];
    return v;
}

} // namespace verify
} // namespace dysco
