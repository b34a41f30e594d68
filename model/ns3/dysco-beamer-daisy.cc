#include "dysco-beamer-daisy.h"

#include "core/packet.h"

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(DyscoBeamerDaisy);

TypeId
DyscoBeamerDaisy::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::DyscoBeamerDaisy")
            .SetParent<DyscoMiddlebox>()
            .SetGroupName("Dysco")
            .AddConstructor<DyscoBeamerDaisy>()
            .AddTraceSource("Rewrite",
                            "A packet was passed on to the previous backend (before, after)",
                            MakeTraceSourceAccessor(&DyscoBeamerDaisy::m_rewriteTrace),
                            "ns3::DyscoBeamerMux::RewriteTracedCallback");
    return tid;
}

bool
DyscoBeamerDaisy::Process(std::vector<uint8_t>& packet, Ptr<NetDevice> /* inDevice */)
{
    if (!m_table)
    {
        return true;
    }
    auto v = ParseTcp(packet);
    if (!v)
    {
        return true;
    }
    const dysco::FiveTuple t = v->Tuple();
    if (t.dstIp != m_table->BackendAddress(m_self))
    {
        return true; // forwarded through this host, or its own traffic
    }
    dysco::FiveTuple session = t;
    session.dstIp = m_table->Vip();
    const uint8_t flags = v->Flags();
    if ((flags & dysco::tcpflag::kSyn) && !(flags & dysco::tcpflag::kAck))
    {
        m_sessions.insert(session);
        return true;
    }
    if (m_sessions.count(session) || !m_daisyChaining)
    {
        return true;
    }
    const BeamerBucketTable::Bucket& b = m_table->At(m_table->BucketOf(session));
    if (b.current != m_self || b.previous == BeamerBucketTable::kNone)
    {
        return true; // passed on to us already, or nowhere to go: our TCP answers it
    }
    dysco::FiveTuple after = t;
    after.dstIp = m_table->BackendAddress(b.previous);
    v->SetTuple(after);
    ++m_forwarded;
    m_rewriteTrace(t, after);
    return true;
}

} // namespace ns3
