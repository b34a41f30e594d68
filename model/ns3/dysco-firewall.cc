#include "dysco-firewall.h"

#include "core/packet.h"
#include "dysco-agent.h"
#include "ns3/boolean.h"
#include "ns3/node.h"

#include <nlohmann/json.hpp>

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(DyscoFirewall);

namespace
{
using json = nlohmann::json;

/// One key per connection: the orientation whose (address, port) pair sorts first.
dysco::FiveTuple
Key(const dysco::FiveTuple& t)
{
    const bool swap = t.srcIp > t.dstIp || (t.srcIp == t.dstIp && t.srcPort > t.dstPort);
    return swap ? t.Reversed() : t;
}

const char* const kStateNames[] = {"syn_sent", "established", "closing", "closed"};
} // namespace

TypeId
DyscoFirewall::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::DyscoFirewall")
            .SetParent<DyscoStatefulMiddlebox>()
            .SetGroupName("Dysco")
            .AddConstructor<DyscoFirewall>()
            .AddAttribute("DefaultAllow", "Action for sessions no rule matches", BooleanValue(true),
                          MakeBooleanAccessor(&DyscoFirewall::m_defaultAllow), MakeBooleanChecker())
            .AddTraceSource("Drop", "A packet was dropped (tuple as it arrived, reason)",
                            MakeTraceSourceAccessor(&DyscoFirewall::m_dropTrace),
                            "ns3::DyscoFirewall::DropTracedCallback");
    return tid;
}

DyscoFirewall::DyscoFirewall() = default;

bool
DyscoFirewall::Allows(const dysco::FiveTuple& t) const
{
    for (const auto& r : m_rules)
    {
        if (r.match.Matches(t))
        {
            return r.allow;
        }
    }
    return m_defaultAllow;
}

bool
DyscoFirewall::IsNewPathHandshake(const dysco::FiveTuple& t, uint8_t flags, size_t payload,
                                  Ptr<NetDevice> inDevice)
{
    if (payload > 0 || (flags & (dysco::tcpflag::kFin | dysco::tcpflag::kRst)))
    {
        return false;
    }
    if (!m_agent && inDevice)
    {
        m_agent = inDevice->GetNode()->GetObject<DyscoAgent>();
    }
    const dysco::Session* s = m_agent ? m_agent->GetCore().FindSession(t) : nullptr;
    return s != nullptr && s->marker.IsSet();
}

bool
DyscoFirewall::Drop(const dysco::FiveTuple& t, DropReason reason)
{
    ++(reason == DENIED ? m_denied : m_noState);
    m_dropTrace(t, reason);
    return false;
}

bool
DyscoFirewall::Process(std::vector<uint8_t>& packet, Ptr<NetDevice> inDevice)
{
    auto v = ParseTcp(packet);
    if (!v)
    {
        return true; // the agent drops what it cannot parse
    }
    const dysco::FiveTuple t = v->Tuple();
    const uint8_t flags = v->Flags();
    auto it = m_conns.find(Key(t));
    if (it == m_conns.end())
    {
        const bool syn = (flags & dysco::tcpflag::kSyn) && !(flags & dysco::tcpflag::kAck);
        if (IsNewPathHandshake(t, flags, v->PayloadLength(), inDevice))
        {
            return true;
        }
        if (!syn)
        {
            return Drop(t, NO_STATE);
        }
        if (!Allows(t))
        {
            return Drop(t, DENIED);
        }
        DyscoFirewallConn c;
        c.session = t;
        it = m_conns.emplace(Key(t), c).first;
        ++m_allowed;
    }
    DyscoFirewallConn& c = it->second;
    const int dir = t == c.session ? 0 : 1;
    ++c.packets[dir];
    if (flags & dysco::tcpflag::kRst)
    {
        c.state = DyscoFirewallConn::CLOSED;
    }
    else if (flags & dysco::tcpflag::kFin)
    {
        c.fin[dir] = true;
        c.state = c.fin[0] && c.fin[1] ? DyscoFirewallConn::CLOSED : DyscoFirewallConn::CLOSING;
    }
    else if (dir == 1 && c.state == DyscoFirewallConn::SYN_SENT && (flags & dysco::tcpflag::kSyn) &&
             (flags & dysco::tcpflag::kAck))
    {
        c.state = DyscoFirewallConn::ESTABLISHED;
    }
    return true;
}

bool
DyscoFirewall::GetConn(const dysco::FiveTuple& t, DyscoFirewallConn* out) const
{
    auto it = m_conns.find(Key(t));
    if (it == m_conns.end())
    {
        return false;
    }
    *out = it->second;
    return true;
}

std::string
DyscoFirewall::ExportState(const dysco::FiveTuple& session) const
{
    json conns = json::array();
    auto it = m_conns.find(Key(session));
    if (it != m_conns.end())
    {
        const DyscoFirewallConn& c = it->second;
        conns.push_back({{"client", DyscoEndpointText(c.session.srcIp, c.session.srcPort)},
                         {"server", DyscoEndpointText(c.session.dstIp, c.session.dstPort)},
                         {"state", kStateNames[c.state]},
                         {"fin", {c.fin[0], c.fin[1]}},
                         {"packets", {c.packets[0], c.packets[1]}}});
    }
    return json{{"kind", "firewall"}, {"version", 1}, {"connections", conns}}.dump();
}

bool
DyscoFirewall::ImportState(const std::string& text, std::string* error)
{
    json doc = json::parse(text, nullptr, false);
    auto fail = [&](const std::string& path, const std::string& what)
    {
        *error = path + ": " + what;
        return false;
    };
    if (doc.is_discarded() || !doc.is_object())
    {
        return fail("$", "expected a JSON object (firewall state)");
    }
    if (!doc.contains("kind") || doc["kind"] != "firewall")
    {
        return fail("$.kind", "expected \"firewall\"");
    }
    if (!doc.contains("version") || doc["version"] != 1)
    {
        return fail("$.version", "expected 1");
    }
    if (!doc.contains("connections") || !doc["connections"].is_array())
    {
        return fail("$.connections", "expected an array");
    }
    std::vector<DyscoFirewallConn> parsed;
    for (size_t i = 0; i < doc["connections"].size(); ++i)
    {
        const json& e = doc["connections"][i];
        const std::string at = "$.connections[" + std::to_string(i) + "]";
        if (!e.is_object())
        {
            return fail(at, "expected an object");
        }
        DyscoFirewallConn c;
        for (const char* k : {"client", "server"})
        {
            uint32_t ip = 0;
            uint16_t port = 0;
            if (!e.contains(k) || !e[k].is_string() ||
                !DyscoParseEndpoint(e[k].get<std::string>(), &ip, &port))
            {
                return fail(at + "." + k, "expected \"a.b.c.d:port\"");
            }
            (std::string(k) == "client" ? c.session.srcIp : c.session.dstIp) = ip;
            (std::string(k) == "client" ? c.session.srcPort : c.session.dstPort) = port;
        }
        bool known = false;
        for (uint8_t s = 0; s < 4; ++s)
        {
            if (e.contains("state") && e["state"] == kStateNames[s])
            {
                c.state = DyscoFirewallConn::State(s);
                known = true;
            }
        }
        if (!known)
        {
            return fail(at + ".state",
                        "expected \"syn_sent\", \"established\", \"closing\" or \"closed\"");
        }
        if (!e.contains("fin") || !e["fin"].is_array() || e["fin"].size() != 2 ||
            !e["fin"][0].is_boolean() || !e["fin"][1].is_boolean())
        {
            return fail(at + ".fin", "expected [bool, bool]");
        }
        if (!e.contains("packets") || !e["packets"].is_array() || e["packets"].size() != 2 ||
            !e["packets"][0].is_number_unsigned() || !e["packets"][1].is_number_unsigned())
        {
            return fail(at + ".packets", "expected [count, count]");
        }
        for (int d = 0; d < 2; ++d)
        {
            c.fin[d] = e["fin"][d].get<bool>();
            c.packets[d] = e["packets"][d].get<uint64_t>();
        }
        parsed.push_back(c);
    }
    for (const auto& c : parsed)
    {
        m_conns[Key(c.session)] = c;
        ++m_imported;
    }
    return true;
}

} // namespace ns3
