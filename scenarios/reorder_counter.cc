#include "reorder_counter.h"

#include "core/packet.h"
#include "core/seq.h"
#include "ns3/simulator.h"

#include <algorithm>

namespace dyscosim
{

using namespace ns3;

ReorderCounter::ReorderCounter(RunContext& ctx)
    : m_ctx(ctx)
{
}

void
ReorderCounter::Install()
{
    bool migrates = false;
    for (const auto& r : m_ctx.scenario.reconfigurations)
    {
        migrates = migrates || r.migrate.has_value();
    }
    if (!migrates)
    {
        return;
    }
    for (size_t n = 0; n < m_ctx.scenario.nodes.size(); ++n)
    {
        if (m_ctx.scenario.nodes[n].role != NodeRole::kHost)
        {
            continue;
        }
        m_sinks.push_back(std::make_unique<Sink>(Sink{this, n}));
        m_ctx.Agent(n)->TraceConnectWithoutContext(
            "LocalSegment", MakeBoundCallback(&ReorderCounter::OnSegment, m_sinks.back().get()));
    }
}

void
ReorderCounter::OnSegment(Sink* sink, dysco::Direction dir, const std::vector<uint8_t>& packet)
{
    if (dir != dysco::Direction::kIngress)
    {
        return;
    }
    dysco::PacketView v(const_cast<uint8_t*>(packet.data()), packet.size());
    if (v.Parse() != dysco::ParseError::kOk || v.PayloadLength() == 0)
    {
        return;
    }
    const uint64_t sid = sink->self->m_ctx.StreamOf(v.Tuple());
    if (sid == 0)
    {
        return;
    }
    Stream& st = sink->self->m_streams[sid];
    const int end = sink->self->m_ctx.Stream(sid)->from == sink->node ? 0 : 1;
    const uint32_t seq = v.SeqNumber();
    const uint32_t len = uint32_t(v.PayloadLength());
    if (st.seen[end] && dysco::Seq(seq) < dysco::Seq(st.high[end]))
    {
        ++st.reordered;
    }
    if (!st.seen[end] || dysco::Seq(st.high[end]) < dysco::Seq(seq + len))
    {
        st.high[end] = seq + len;
        st.seen[end] = true;
    }
    const double now = Simulator::Now().GetSeconds();
    if (st.last >= 0 && now - st.last > 0.001)
    {
        st.gaps.emplace_back(st.last, now);
    }
    st.last = now;
}

uint64_t
ReorderCounter::Reordered(uint64_t streamId) const
{
    auto it = m_streams.find(streamId);
    return it == m_streams.end() ? 0 : it->second.reordered;
}

double
ReorderCounter::MaxGapMs(uint64_t streamId, double fromS, double untilS) const
{
    auto it = m_streams.find(streamId);
    double best = 0;
    if (it == m_streams.end())
    {
        return best;
    }
    for (const auto& [a, b] : it->second.gaps)
    {
        if (b >= fromS && a <= untilS)
        {
            best = std::max(best, (b - a) * 1000);
        }
    }
    return best;
}

} // namespace dyscosim
