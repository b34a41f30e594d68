#include "dysco-beamer-mux.h"

#include "core/packet.h"

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(DyscoBeamerMux);

TypeId
DyscoBeamerMux::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::DyscoBeamerMux")
            .SetParent<DyscoMiddlebox>()
            .SetGroupName("Dysco")
            .AddConstructor<DyscoBeamerMux>()
            .AddTraceSource("Rewrite", "A client packet's VIP was replaced (before, after)",
                            MakeTraceSourceAccessor(&DyscoBeamerMux::m_rewriteTrace),
                            "ns3::DyscoBeamerMux::RewriteTracedCallback");
    return tid;
}

bool
DyscoBeamerMux::Process(std::vector<uint8_t>& packet, Ptr<NetDevice> /* inDevice */)
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
    dysco::FiveTuple after = t;
    if (t.dstIp == m_table->Vip())
    {
        after.dstIp = m_table->BackendAddress(m_table->At(m_table->BucketOf(t)).current);
        v->SetTuple(after);
        ++m_steered;
        m_rewriteTrace(t, after);
    }
    else if (m_table->BackendIndex(t.srcIp) != BeamerBucketTable::kNone &&
             m_table->BackendIndex(t.dstIp) == BeamerBucketTable::kNone)
    {
        after.srcIp = m_table->Vip(); // a backend's reply: the client knows the VIP only
        v->SetTuple(after);
        ++m_replies;
    }
    return true;
}

} // namespace ns3
