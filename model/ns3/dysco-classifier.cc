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
    m_matchers.clear();
    for (const Rule& r : m_rules)
    {
        m_matchers.push_back(r.match);
    }
    m_longestPrefix = LongestPrefix(m_matchers);
    m_decisions.assign(m_rules.size() + 1, 0);
}

void
DyscoClassifier::DoDispose()
{
    m_agent = nullptr;
    DyscoMiddlebox::DoDispose();
}

DyscoClassifier::Pending*
DyscoClassifier::Undecided(dysco::PacketView& v, const std::vector<uint8_t>& packet)
{
    if (packet.size() < 20 || packet[9] != dysco::kProtoTcp ||
        v.Parse() != dysco::ParseError::kOk || v.HasFlag(dysco::tcpflag::kSyn))
    {
        return nullptr;
    }
    auto it = m_sessions.find(v.Tuple());
    // Not found: the reverse direction, or a session that began before the box did.
    return it == m_sessions.end() || it->second.decided ? nullptr : &it->second;
}

bool
DyscoClassifier::WantsPayload(const std::vector<uint8_t>& packet)
{
    // PacketView only reads here.
    dysco::PacketView v(const_cast<uint8_t*>(packet.data()), packet.size());
    return Undecided(v, packet) != nullptr && v.PayloadLength() > 0;
}

bool
DyscoClassifier::Process(std::vector<uint8_t>& packet, Ptr<NetDevice> /* inDevice */)
{
    dysco::PacketView v(packet.data(), packet.size());
    Pending* p = Undecided(v, packet);
    if (p == nullptr)
    {
        if (packet.size() >= 20 && packet[9] == dysco::kProtoTcp &&
            v.Parse() == dysco::ParseError::kOk && v.HasFlag(dysco::tcpflag::kSyn) &&
            !v.HasFlag(dysco::tcpflag::kAck))
        {
            // The client's SYN orients the session and numbers its stream (a later SYN with
            // the same tuple, e.g. a new path's, finds it classified already).
            m_sessions.emplace(v.Tuple(), Pending{StreamStart(v.SeqNumber(), m_longestPrefix)});
        }
        return true;
    }
    if (v.HasFlag(dysco::tcpflag::kRst))
    {
        Done(*p); // aborted before its first bytes decided: not classified
        return true;
    }
    const bool fin = v.HasFlag(dysco::tcpflag::kFin);
    const size_t n = v.PayloadLength();
    if (n == 0 && !fin)
    {
        return true; // no stream bytes, and not the stream's end
    }
    p->start.Add(v.SeqNumber(), v.Payload(), v.HasFullPayload() ? n : 0);
    // A FIN ends the stream, so an undecided prefix can no longer match: once every byte
    // before it passed (a FIN after a lost segment waits for the retransmission).
    Decide(v.Tuple(), *p, fin && p->start.Covers(v.SeqNumber() + uint32_t(n)));
    return true; // the segment passes whether or not the session is decided
}

void
DyscoClassifier::Decide(const dysco::FiveTuple& t, Pending& p, bool complete)
{
    const ClassifierDecision d =
        DecideClass(m_matchers, t.dstPort, p.start.Data(), p.start.Contiguous(), complete);
    if (d.kind == ClassifierDecision::kWait)
    {
        return; // an earlier rule's prefix is still undecided
    }
    Done(p);
    ++m_classified;
    const bool matched = d.kind == ClassifierDecision::kRule;
    ++m_decisions[matched ? d.rule : m_rules.size()];
    const Ipv4Address choice = matched ? m_rules[d.rule].insert : m_default;
    if (choice != Ipv4Address::GetAny() && m_agent)
    {
        // Not from inside the agent's packet processing: the core is mid-packet.
        Simulator::ScheduleNow(&DyscoClassifier::Insert, this, t, choice);
    }
}

void
DyscoClassifier::Done(Pending& p)
{
    p.decided = true;
    p.start = StreamStart(0, 0); // its bytes are no longer needed
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
