#include "run_context.h"

#include "ns3/dysco-helper.h"
#include "ns3/inet-socket-address.h"

namespace dyscosim
{

using namespace ns3;

Ptr<DyscoAgent>
RunContext::Agent(size_t node) const
{
    return DyscoHelper::GetAgent(nodes.Get(uint32_t(node)));
}

std::optional<size_t>
RunContext::NodeOf(uint32_t address) const
{
    for (size_t n = 0; n < scenario.nodes.size(); ++n)
    {
        for (uint32_t a : plan.Addresses(n))
        {
            if (a == address)
            {
                return n;
            }
        }
    }
    return std::nullopt;
}

std::string
RunContext::NameOf(uint32_t address) const
{
    auto n = NodeOf(address);
    return n ? scenario.nodes[*n].name : dysco::Ipv4ToString(address);
}

StreamApps*
RunContext::Stream(uint64_t streamId)
{
    return streamId >= 1 && streamId <= streams.size() ? &streams[streamId - 1] : nullptr;
}

void
RunContext::IndexClients()
{
    for (const auto& st : streams)
    {
        Ptr<Socket> socket = st.sender->GetSocket();
        Address local;
        if (socket && socket->GetSockName(local) == 0 && InetSocketAddress::IsMatchingType(local))
        {
            InetSocketAddress a = InetSocketAddress::ConvertFrom(local);
            // A socket bound to any address reports 0.0.0.0: the client's first address is
            // the one its connection uses (hosts send from their only link).
            uint32_t ip = a.GetIpv4().Get();
            if (ip == 0)
            {
                ip = plan.FirstAddress(st.from);
            }
            m_byClient[{ip, a.GetPort()}] = st.streamId;
        }
    }
}

uint64_t
RunContext::StreamOf(const dysco::FiveTuple& session)
{
    for (int pass = 0; pass < 2; ++pass)
    {
        for (const auto& t : {session, session.Reversed()})
        {
            auto it = m_byClient.find({t.srcIp, t.srcPort});
            if (it != m_byClient.end())
            {
                const StreamApps& st = streams[it->second - 1];
                const TrafficSpec& ts = scenario.traffic[st.traffic];
                // Through a SOCKS-like proxy the client connects to the proxy itself.
                const uint16_t port =
                    ts.viaSocks ? scenario.nodes[*ts.viaSocks].proxy.port : ts.port;
                const size_t to = ts.viaSocks ? *ts.viaSocks : st.to;
                if (t.dstPort == port && t.dstIp == plan.FirstAddress(to))
                {
                    return it->second;
                }
            }
        }
        if (pass == 0)
        {
            IndexClients(); // sockets bind when their senders start: look again
        }
    }
    const dysco::FiveTuple original = Unalias(session);
    return original != session ? StreamOf(original) : 0;
}

void
RunContext::AddAlias(const dysco::FiveTuple& translated, const dysco::FiveTuple& original)
{
    if (translated != original)
    {
        m_aliases.emplace(translated, original);
    }
}

dysco::FiveTuple
RunContext::Unalias(const dysco::FiveTuple& t) const
{
    if (m_aliases.empty())
    {
        return t;
    }
    auto it = m_aliases.find(t);
    if (it != m_aliases.end())
    {
        return it->second;
    }
    it = m_aliases.find(t.Reversed());
    return it != m_aliases.end() ? it->second.Reversed() : t;
}

std::optional<dysco::FiveTuple>
RunContext::SessionOf(uint64_t streamId)
{
    StreamApps* st = Stream(streamId);
    if (st == nullptr || !st->sender->GetSocket())
    {
        return std::nullopt;
    }
    Address local;
    if (st->sender->GetSocket()->GetSockName(local) != 0)
    {
        return std::nullopt;
    }
    InetSocketAddress a = InetSocketAddress::ConvertFrom(local);
    uint32_t ip = a.GetIpv4().Get();
    if (ip == 0)
    {
        ip = plan.FirstAddress(st->from);
    }
    return dysco::FiveTuple{ip, plan.FirstAddress(st->to), a.GetPort(),
                            scenario.traffic[st->traffic].port, dysco::kProtoTcp};
}

std::vector<uint64_t>
RunContext::Select(const SessionSelector& sel) const
{
    std::vector<uint64_t> out;
    for (const auto& st : streams)
    {
        if (sel.traffic && st.traffic != *sel.traffic)
        {
            continue;
        }
        if (sel.count && out.size() >= *sel.count)
        {
            break;
        }
        out.push_back(st.streamId);
    }
    return out;
}

bool
RunContext::Selects(const SessionSelector& sel, uint64_t streamId) const
{
    for (uint64_t id : Select(sel))
    {
        if (id == streamId)
        {
            return true;
        }
    }
    return false;
}

bool
RunContext::LatestShiftedSeq(const dysco::FiveTuple& session, uint32_t out[2]) const
{
    bool found = false;
    for (const auto& [node, box] : seqOffsets)
    {
        DyscoSeqOffsetStats st;
        if (box->GetStats(session, &st) && st.seen[0])
        {
            out[0] = st.lastSeqOut[0];
            out[1] = st.lastSeqOut[1];
            found = true;
        }
    }
    return found;
}

} // namespace dyscosim
