#include "dysco-seq-offset.h"

#include "core/options.h"
#include "core/packet.h"
#include "dysco-agent.h"
#include "ns3/boolean.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("DyscoSeqOffset");
NS_OBJECT_ENSURE_REGISTERED(DyscoSeqOffset);

TypeId
DyscoSeqOffset::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::DyscoSeqOffset")
            .SetParent<DyscoMiddlebox>()
            .SetGroupName("Dysco")
            .AddConstructor<DyscoSeqOffset>()
            .AddAttribute("RandomClientToServer",
                          "Draw the client -> server offset per session (else ClientToServer)",
                          BooleanValue(true), MakeBooleanAccessor(&DyscoSeqOffset::m_randomC2s),
                          MakeBooleanChecker())
            .AddAttribute("RandomServerToClient",
                          "Draw the server -> client offset per session (else ServerToClient)",
                          BooleanValue(true), MakeBooleanAccessor(&DyscoSeqOffset::m_randomS2c),
                          MakeBooleanChecker())
            .AddAttribute("ClientToServer", "Fixed offset added to client -> server numbers",
                          UintegerValue(0), MakeUintegerAccessor(&DyscoSeqOffset::m_fixedC2s),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("ServerToClient", "Fixed offset added to server -> client numbers",
                          UintegerValue(0), MakeUintegerAccessor(&DyscoSeqOffset::m_fixedS2c),
                          MakeUintegerChecker<uint32_t>());
    return tid;
}

DyscoSeqOffset::DyscoSeqOffset()
    : m_rng(CreateObject<UniformRandomVariable>())
{
}

DyscoSeqOffset::~DyscoSeqOffset() = default;

void
DyscoSeqOffset::DoDispose()
{
    m_agent = nullptr;
    m_rng = nullptr;
    DyscoMiddlebox::DoDispose();
}

int64_t
DyscoSeqOffset::AssignStreams(int64_t stream)
{
    m_rng->SetStream(stream);
    return 1;
}

uint32_t
DyscoSeqOffset::Draw(bool random, uint32_t fixed)
{
    if (!random)
    {
        return fixed;
    }
    // GetInteger(0, 2^32 - 1) would overflow its max + 1; two halves cover the range.
    return (m_rng->GetInteger(0, 0xFFFF) << 16) | m_rng->GetInteger(0, 0xFFFF);
}

void
DyscoSeqOffset::Watch(Ptr<DyscoAgent> agent)
{
    m_agent = agent;
    if (m_agent)
    {
        m_agent->TraceConnectWithoutContext("AgentEvent",
                                            MakeCallback(&DyscoSeqOffset::OnAgentEvent, this));
    }
}

void
DyscoSeqOffset::OnAgentEvent(const dysco::AgentEvent& e)
{
    if (e.kind == dysco::AgentEventKind::kStateFreed)
    {
        m_active.erase(e.session);
    }
}

DyscoSeqOffsetStats*
DyscoSeqOffset::StartSession(const dysco::FiveTuple& t, Ptr<NetDevice> inDevice)
{
    if (!m_agent && inDevice)
    {
        Watch(inDevice->GetNode()->GetObject<DyscoAgent>());
    }
    if (!m_agent)
    {
        return nullptr;
    }
    // Only sessions the agent chains through this node have a delta to declare; a transit
    // SYN of someone else's subsession and a new path's SYN keep their numbers.
    const dysco::Session* s = m_agent->GetCore().FindSession(t);
    if (s == nullptr || s->marker.IsSet() || s->leftSession != t)
    {
        return nullptr;
    }
    DyscoSeqOffsetStats st;
    st.session = t;
    st.offset[0] = Draw(m_randomC2s, m_fixedC2s);
    st.offset[1] = Draw(m_randomS2c, m_fixedS2c);
    // Called from the agent's hook: talk to the core directly (DyscoAgent::SetMiddleboxDelta
    // would flush the agent's output queue from inside the hook).
    m_agent->GetCore().SetMiddleboxDelta(t, dysco::SeqDelta(st.offset[0]),
                                         dysco::SeqDelta(st.offset[1]));
    NS_LOG_INFO("session " << t.ToString() << ": offsets " << st.offset[0] << ", " << st.offset[1]);
    m_stats.push_back(st);
    m_active[t] = m_stats.size() - 1;
    return &m_stats.back();
}

bool
DyscoSeqOffset::Process(std::vector<uint8_t>& packet, Ptr<NetDevice> inDevice)
{
    auto v = ParseTcp(packet);
    if (!v)
    {
        return true;
    }
    const dysco::FiveTuple t = v->Tuple();
    const uint8_t flags = v->Flags();
    DyscoSeqOffsetStats* st = nullptr;
    int dir = 0;
    auto it = m_active.find(t);
    if (it != m_active.end())
    {
        st = &m_stats[it->second];
    }
    else if ((it = m_active.find(t.Reversed())) != m_active.end())
    {
        st = &m_stats[it->second];
        dir = 1;
    }
    else if ((flags & dysco::tcpflag::kSyn) && !(flags & dysco::tcpflag::kAck))
    {
        st = StartSession(t, inDevice);
    }
    if (st == nullptr)
    {
        return true; // not a session of ours: unchanged
    }
    const uint32_t seqOut = v->SeqNumber() + st->offset[dir];
    v->SetSeqNumber(seqOut);
    // Acks and SACK blocks name the other direction's bytes: shift them back.
    dysco::SubtractAckDelta(*v, dysco::SeqDelta(st->offset[1 - dir]));

    const uint32_t len = uint32_t(v->PayloadLength()) + ((flags & dysco::tcpflag::kSyn) ? 1 : 0) +
                         ((flags & dysco::tcpflag::kFin) ? 1 : 0);
    const uint32_t end = seqOut + len;
    ++st->packets[dir];
    if (!st->seen[dir])
    {
        st->seen[dir] = true;
        st->lastSeqOut[dir] = end;
    }
    else if (int32_t(end - st->lastSeqOut[dir]) > 0)
    {
        if (end < st->lastSeqOut[dir] && st->wrapTime[dir].IsNegative())
        {
            st->wrapTime[dir] = Simulator::Now(); // moved forward across 2^32
        }
        st->lastSeqOut[dir] = end;
    }
    return true;
}

bool
DyscoSeqOffset::GetStats(const dysco::FiveTuple& session, DyscoSeqOffsetStats* out) const
{
    for (auto it = m_stats.rbegin(); it != m_stats.rend(); ++it) // the latest use of a tuple
    {
        if (it->session == session || it->session == session.Reversed())
        {
            *out = *it;
            return true;
        }
    }
    return false;
}

std::vector<DyscoSeqOffsetStats>
DyscoSeqOffset::GetAllStats() const
{
    return m_stats;
}

} // namespace ns3
