#include "dysco-nat.h"

#include "core/packet.h"
#include "ns3/ipv4.h"
#include "ns3/node.h"
#include "ns3/uinteger.h"

#include <nlohmann/json.hpp>

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(DyscoNat);

namespace
{
using json = nlohmann::json;

uint64_t
PortKey(uint32_t ip, uint16_t port)
{
    return (uint64_t(ip) << 16) | port;
}
} // namespace

TypeId
DyscoNat::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::DyscoNat")
            .SetParent<DyscoStatefulMiddlebox>()
            .SetGroupName("Dysco")
            .AddConstructor<DyscoNat>()
            .AddAttribute("FirstPort", "Lowest outside port", UintegerValue(30000),
                          MakeUintegerAccessor(&DyscoNat::m_firstPort),
                          MakeUintegerChecker<uint16_t>(1))
            .AddAttribute("LastPort", "Highest outside port", UintegerValue(39999),
                          MakeUintegerAccessor(&DyscoNat::m_lastPort),
                          MakeUintegerChecker<uint16_t>(1))
            .AddTraceSource("Rewrite", "A packet's five-tuple was translated (before, after)",
                            MakeTraceSourceAccessor(&DyscoNat::m_rewriteTrace),
                            "ns3::DyscoNat::RewriteTracedCallback");
    return tid;
}

DyscoNat::DyscoNat() = default;

bool
DyscoNat::PortInUse(uint32_t ip, uint16_t port) const
{
    return m_ports.count(PortKey(ip, port)) != 0;
}

bool
DyscoNat::Allocate(const dysco::FiveTuple& /* inside */, uint32_t* ip, uint16_t* port)
{
    const uint32_t span = uint32_t(m_lastPort) - m_firstPort + 1;
    for (uint32_t i = 0; i < span; ++i)
    {
        const uint16_t p = uint16_t(m_firstPort + (m_cursor++ % span));
        if (!PortInUse(m_external, p))
        {
            *ip = m_external;
            *port = p;
            return true;
        }
    }
    return false;
}

bool
DyscoNat::InstallFlow(const DyscoNatFlow& f)
{
    auto existing = m_out.find(f.inside);
    if (existing != m_out.end())
    {
        return existing->second.outsideIp == f.outsideIp &&
               existing->second.outsidePort == f.outsidePort; // the same flow again
    }
    if (PortInUse(f.outsideIp, f.outsidePort) || m_in.count(f.Outside().Reversed()))
    {
        return false;
    }
    m_out[f.inside] = f;
    m_in[f.Outside().Reversed()] = f.inside;
    m_ports.insert(PortKey(f.outsideIp, f.outsidePort));
    return true;
}

void
DyscoNat::Rewrite(std::vector<uint8_t>& packet, const dysco::FiveTuple& before,
                  const dysco::FiveTuple& after)
{
    dysco::PacketView v(packet.data(), packet.size());
    v.Parse();
    v.SetTuple(after); // incremental checksum updates
    ++m_translated;
    m_rewriteTrace(before, after);
}

bool
DyscoNat::Process(std::vector<uint8_t>& packet, Ptr<NetDevice> inDevice)
{
    auto v = ParseTcp(packet);
    if (!v)
    {
        return true;
    }
    const dysco::FiveTuple t = v->Tuple();
    auto out = m_out.find(t);
    if (out != m_out.end())
    {
        Rewrite(packet, t, out->second.Outside());
        return true;
    }
    auto in = m_in.find(t);
    if (in != m_in.end())
    {
        Rewrite(packet, t, in->second.Reversed());
        return true;
    }
    const uint8_t flags = v->Flags();
    if (!(flags & dysco::tcpflag::kSyn) || (flags & dysco::tcpflag::kAck) ||
        !m_inside.Contains(t.srcIp))
    {
        return true; // not ours to translate
    }
    if (m_external == 0 && inDevice)
    {
        Ptr<Ipv4> ipv4 = inDevice->GetNode()->GetObject<Ipv4>();
        for (uint32_t i = 0; ipv4 && m_external == 0 && i < ipv4->GetNInterfaces(); ++i)
        {
            for (uint32_t a = 0; a < ipv4->GetNAddresses(i); ++a)
            {
                const Ipv4Address addr = ipv4->GetAddress(i, a).GetLocal();
                if (!addr.IsLocalhost())
                {
                    m_external = addr.Get();
                    break;
                }
            }
        }
    }
    if (t.srcIp == m_external)
    {
        return true; // the box's own traffic
    }
    DyscoNatFlow f;
    f.inside = t;
    if (!Allocate(t, &f.outsideIp, &f.outsidePort) || !InstallFlow(f))
    {
        ++m_exhausted;
        return false; // no outside port: the client retries its SYN
    }
    Rewrite(packet, t, f.Outside());
    return true;
}

bool
DyscoNat::GetFlow(const dysco::FiveTuple& t, DyscoNatFlow* out) const
{
    for (const auto& k : {t, t.Reversed()})
    {
        auto it = m_out.find(k);
        if (it == m_out.end())
        {
            auto in = m_in.find(k);
            if (in != m_in.end())
            {
                it = m_out.find(in->second);
            }
        }
        if (it != m_out.end())
        {
            *out = it->second;
            return true;
        }
    }
    return false;
}

dysco::FiveTuple
DyscoNat::Translate(const dysco::FiveTuple& session) const
{
    DyscoNatFlow f;
    if (GetFlow(session, &f) && f.inside == session)
    {
        return f.Outside();
    }
    return session;
}

std::string
DyscoNat::FlowsJson(const dysco::FiveTuple& session) const
{
    json flows = json::array();
    DyscoNatFlow f;
    if (GetFlow(session, &f))
    {
        flows.push_back({{"inside", DyscoEndpointText(f.inside.srcIp, f.inside.srcPort)},
                         {"remote", DyscoEndpointText(f.inside.dstIp, f.inside.dstPort)},
                         {"outside", DyscoEndpointText(f.outsideIp, f.outsidePort)}});
    }
    return flows.dump();
}

std::string
DyscoNat::ExportState(const dysco::FiveTuple& session) const
{
    json doc{{"kind", Kind()}, {"version", 1}, {"flows", json::parse(FlowsJson(session))}};
    return doc.dump();
}

bool
DyscoNat::ParseFlows(const void* docPtr, std::vector<DyscoNatFlow>* flows, std::string* error) const
{
    const json& doc = *static_cast<const json*>(docPtr);
    if (!doc.contains("flows") || !doc["flows"].is_array())
    {
        *error = "$.flows: expected an array";
        return false;
    }
    for (size_t i = 0; i < doc["flows"].size(); ++i)
    {
        const json& e = doc["flows"][i];
        const std::string at = "$.flows[" + std::to_string(i) + "]";
        DyscoNatFlow f;
        uint32_t* ips[] = {&f.inside.srcIp, &f.inside.dstIp, &f.outsideIp};
        uint16_t* ports[] = {&f.inside.srcPort, &f.inside.dstPort, &f.outsidePort};
        const char* keys[] = {"inside", "remote", "outside"};
        for (int k = 0; k < 3; ++k)
        {
            if (!e.is_object() || !e.contains(keys[k]) || !e[keys[k]].is_string() ||
                !DyscoParseEndpoint(e[keys[k]].get<std::string>(), ips[k], ports[k]))
            {
                *error = at + "." + keys[k] + ": expected \"a.b.c.d:port\"";
                return false;
            }
        }
        flows->push_back(f);
    }
    return true;
}

bool
DyscoNat::ImportState(const std::string& text, std::string* error)
{
    json doc = json::parse(text, nullptr, false);
    if (doc.is_discarded() || !doc.is_object())
    {
        *error = "$: expected a JSON object (nat state)";
        return false;
    }
    if (!doc.contains("kind") || doc["kind"] != Kind())
    {
        *error = std::string("$.kind: expected \"") + Kind() + "\"";
        return false;
    }
    if (!doc.contains("version") || doc["version"] != 1)
    {
        *error = "$.version: expected 1";
        return false;
    }
    std::vector<DyscoNatFlow> flows;
    if (!ParseFlows(&doc, &flows, error))
    {
        return false;
    }
    for (size_t i = 0; i < flows.size(); ++i)
    {
        DyscoNatFlow existing;
        if (PortInUse(flows[i].outsideIp, flows[i].outsidePort) &&
            !(GetFlow(flows[i].inside, &existing) && existing.outsidePort == flows[i].outsidePort))
        {
            *error = "$.flows[" + std::to_string(i) +
                     "].outside: " + DyscoEndpointText(flows[i].outsideIp, flows[i].outsidePort) +
                     " is in use by another session";
            return false;
        }
    }
    for (const auto& f : flows)
    {
        InstallFlow(f);
        ++m_imported;
    }
    return true;
}

} // namespace ns3
