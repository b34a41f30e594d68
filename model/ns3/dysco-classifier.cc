#include "dysco-classifier.h"

#include "core/packet.h"
#include "dysco-agent.h"
#include "ns3/log.h"
#include "ns3/simulator.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("DyscoClassifier");
NS_OBJECT_ENSURE_REGISTERED(DyscoClassifier);

TypeId
DyscoClassifier::GetTypeId()
{
    static TypeId tid = TypeId("ns3::DyscoClassifier")
                            .SetParent<DyscoMiddlebox>()
                            .SetGroupName("Dysco")
                            .AddConstructor<DyscoClassifier>();
    return tid;
}

DyscoClassifier::DyscoClassifier()
    : m_default(Ipv4Address::GetAny())
{
}

void
DyscoClassifier::Configure(Ptr<DyscoAgent> agent, std::vector<Rule> rules, Ipv4Address fallback)
{
    m_agent = agent;
    m_rules = std::move(rules);
    m_default = fallback;
}

void
DyscoClassifier::DoDispose()
{
    m_agent = nullptr;
    DyscoMiddlebox::DoDispose();
}

bool
DyscoClassifier::Process(std::vector<uint8_t>& packet, Ptr<NetDevice> /* inDevice */)
{
    if (packet.size() < 20 || packet[9] != dysco::kProtoTcp)
    {
        return true;
    }
    dysco::PacketView v(packet.data(), packet.size());
    if (v.Parse() != dysco::ParseError::kOk)
    {
        return true;
    }
    const dysco::FiveTuple t = v.Tuple();
    if (v.HasFlag(dysco::tcpflag::kSyn) && !v.HasFlag(dysco::tcpflag::kAck))
    {
        m_done.emplace(t, false); // the client's SYN orients the session
        return true;
    }
    auto it = m_done.find(t);
    if (it == m_done.end() || it->second || v.PayloadLength() == 0)
    {
        return true; // reverse direction, already classified, or no data yet
    }
    it->second = true;
    ++m_classified;
    Ipv4Address choice = m_default;
    for (const Rule& r : m_rules)
    {
        if (r.dstPort == t.dstPort)
        {
            choice = r.insert;
            break;
        }
    }
    if (choice != Ipv4Address::GetAny() && m_agent)
    {
        // Not from inside the agent's packet processing: the core is mid-packet.
        Simulator::ScheduleNow(&DyscoClassifier::Insert, this, t, choice);
    }
    return true;
}

void
DyscoClassifier::Insert(dysco::FiveTuple session, Ipv4Address middlebox)
{
    const dysco::Session* s = m_agent->GetCore().FindSession(session);
    if (s == nullptr || s->Closed())
    {
        return;
    }
    // The server end of the session is the right anchor: the chosen box goes right after us.
    const uint32_t id =
        m_agent->Reconfigure(s->rightSession, Ipv4Address(session.dstIp), {middlebox});
    NS_LOG_INFO("session " << session.dstPort << " -> " << middlebox << " request " << id);
    m_requested += id != 0 ? 1 : 0;
}

} // namespace ns3
