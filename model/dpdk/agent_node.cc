#include "agent_node.h"

#include "core/bytes.h"
#include "ether.h"

#include <algorithm>
#include <rte_mbuf.h>

namespace dysco::dpdk
{

namespace
{
dysco::AgentConfig
WithAddress(dysco::AgentConfig c, uint32_t address)
{
    c.address = address;
    c.localAddresses = {address};
    return c;
}
} // namespace

AgentNode::AgentNode(const NodeConfig& node, const dysco::AgentConfig& agent,
                     const std::vector<dysco::Policy>& policies, Port& host, Port& network,
                     rte_mempool* pool)
    : m_name(node.name)
    , m_address(node.address)
    , m_middlebox(node.middlebox)
    , m_pool(pool)
    , m_core(WithAddress(agent, node.address))
    , m_host(host, pool, node.address, node.hostMac)
    , m_network(network)
    , m_networkPeer(node.networkPeerMac)
    ,
    // Four scans per idle timeout (the core's rule), but often enough to free closed
    // sessions soon after their linger time.
    m_expiryIntervalNs(std::max<uint64_t>(
        std::min<uint64_t>({agent.idleTimeoutNs / 4, agent.closeLingerNs, 250'000'000}), 1'000'000))
{
    for (const auto& p : policies)
    {
        m_core.Policies().Add(p);
    }
    for (size_t i = 0; i < kBurst; ++i)
    {
        m_slots[i].bytes.reserve(2048); // a full frame: no allocation for copied packets
    }
    m_core.SetEventSink(
        [this](const dysco::AgentEvent& e)
        {
            ++m_events.at(size_t(e.kind));
            if (m_observer)
            {
                m_observer(*this, e);
            }
        });
}

uint32_t
AgentNode::Poll(uint64_t nowNs)
{
    rte_mbuf* frames[kBurst];
    uint16_t fromHost = m_host.GetPort().Receive(frames, kBurst);
    if (fromHost > 0)
    {
        Pass(dysco::Direction::kEgress, frames, fromHost, nowNs);
    }
    uint16_t fromNetwork = m_network.Receive(frames, kBurst);
    if (fromNetwork > 0)
    {
        Pass(dysco::Direction::kIngress, frames, fromNetwork, nowNs);
    }
    return uint32_t(fromHost) + fromNetwork;
}

void
AgentNode::Pass(dysco::Direction dir, rte_mbuf** frames, uint16_t n, uint64_t nowNs)
{
    const bool egress = dir == dysco::Direction::kEgress;
    PathCounters& c = egress ? m_egress : m_ingress;
    c.frames += n;
    rte_mbuf* pkts[kBurst];
    uint16_t m = 0;
    for (uint16_t i = 0; i < n; ++i)
    {
        rte_mbuf* f = frames[i];
        const uint8_t* d = rte_pktmbuf_mtod(f, const uint8_t*);
        if (rte_pktmbuf_data_len(f) < kEthHeader)
        {
            ++c.runt;
            rte_pktmbuf_free(f);
            continue;
        }
        const uint16_t type = EtherType(d);
        if (type != kEtherIpv4)
        {
            if (type == kEtherArp)
            {
                ++c.arp;
                egress ? m_host.OnArp(f, nowNs) : OnNetworkArp(f);
            }
            else
            {
                ++c.nonIpv4;
                rte_pktmbuf_free(f);
            }
            continue;
        }
        const FrameCheck check = CheckIpv4Frame(f);
        if (check != FrameCheck::kOk)
        {
            ++(check == FrameCheck::kRunt        ? c.runt
               : check == FrameCheck::kBadHeader ? c.badHeader
               : check == FrameCheck::kBadLength ? c.badLength
                                                 : c.badChecksum);
            rte_pktmbuf_free(f);
            continue;
        }
        if (egress)
        {
            m_host.Learn(d);
        }
        // The contiguous part of the IPv4 packet, Ethernet padding excluded.
        uint8_t* ip = rte_pktmbuf_mtod_offset(f, uint8_t*, kEthHeader);
        const size_t total = Load16(ip + 2);
        const size_t first = rte_pktmbuf_data_len(f) - kEthHeader;
        m_refs[m] = dysco::Agent::PacketRef{ip, std::min(total, first)};
        pkts[m++] = f;
    }
    RunCore(dir, pkts, m, c, nowNs);

    rte_mbuf* out[kBurst];
    uint16_t k = 0;
    for (uint16_t j = 0; j < m; ++j)
    {
        switch (m_verdicts[j])
        {
        case dysco::Verdict::kForward:
            if (!m_copied[j] || StorePacket(pkts[j], m_slots[j]))
            {
                out[k++] = pkts[j];
                continue;
            }
            ++c.bridgeErrors;
            break;
        case dysco::Verdict::kConsume:
            ++c.consumed;
            break;
        case dysco::Verdict::kDrop:
            ++c.coreDropped;
            break;
        case dysco::Verdict::kNeedPayload:
            ++c.bridgeErrors; // a whole packet cannot need more payload
            break;
        }
        rte_pktmbuf_free(pkts[j]);
    }
    c.forwarded += k;
    if (egress)
    {
        SendToNetwork(out, k);
    }
    else
    {
        m_host.Send(out, k, nowNs);
    }
    FlushOutputs(nowNs);
}

void
AgentNode::RunCore(dysco::Direction dir, rte_mbuf** pkts, uint16_t n, PathCounters& c,
                   uint64_t nowNs)
{
    // Data packets are rewritten where they are, in bursts whose lookups the core overlaps.
    // Where it stops (a SYN, which changes length; a packet an anchor may split; anything
    // not TCP or malformed), the packet goes through a copy, and the burst goes on after it.
    for (uint16_t i = 0; i < n;)
    {
        const uint16_t done =
            uint16_t(m_core.ProcessInPlace(dir, &m_refs[i], n - i, &m_verdicts[i], nowNs));
        std::fill_n(&m_copied[i], done, false);
        i = uint16_t(i + done);
        if (i == n)
        {
            break;
        }
        m_copied[i] = true;
        LoadPacket(pkts[i], m_slots[i], false);
        m_verdicts[i] = m_core.Process(dir, m_slots[i].bytes, nowNs);
        if (m_verdicts[i] == dysco::Verdict::kNeedPayload)
        {
            ++c.payloadReloads;
            LoadPacket(pkts[i], m_slots[i], true);
            m_verdicts[i] = m_core.Process(dir, m_slots[i].bytes, nowNs);
        }
        ++i;
    }
}

void
AgentNode::OnNetworkArp(rte_mbuf* frame)
{
    // The network side answers for the agent's own address only (a point-to-point link or
    // a segment with routers); the fabric carries no ARP.
    Arp arp;
    const bool ok =
        ParseArp(rte_pktmbuf_mtod(frame, const uint8_t*), rte_pktmbuf_data_len(frame), &arp);
    if (!ok || arp.op != ArpOp::kRequest || arp.targetIp != m_address)
    {
        rte_pktmbuf_free(frame);
        return;
    }
    Arp reply;
    reply.op = ArpOp::kReply;
    reply.senderMac = m_network.Mac();
    reply.senderIp = m_address;
    reply.targetMac = arp.senderMac;
    reply.targetIp = arp.senderIp;
    // The request's mbuf becomes the reply.
    rte_pktmbuf_reset(frame);
    uint8_t* p = reinterpret_cast<uint8_t*>(rte_pktmbuf_append(frame, kArpFrame));
    WriteArp(p, arp.senderMac, m_network.Mac(), reply);
    m_network.Send(&frame, 1);
    ++m_networkArpAnswered;
}

void
AgentNode::SendToNetwork(rte_mbuf** frames, uint16_t n)
{
    const MacAddress own = m_network.Mac();
    for (uint16_t i = 0; i < n; ++i)
    {
        WriteEthHeader(rte_pktmbuf_mtod(frames[i], uint8_t*), m_networkPeer, own, kEtherIpv4);
    }
    m_network.Send(frames, n);
}

void
AgentNode::FlushOutputs(uint64_t nowNs)
{
    auto& outputs = m_core.Outputs();
    if (outputs.empty())
    {
        return;
    }
    rte_mbuf* toNetwork[kBurst];
    rte_mbuf* toHost[kBurst];
    uint16_t nn = 0;
    uint16_t nh = 0;
    for (const auto& packet : outputs)
    {
        rte_mbuf* m = NewFrame(m_pool, packet);
        if (m == nullptr)
        {
            ++m_originatedLost;
            continue;
        }
        if (packet.size() >= 20 && Load32(&packet[16]) == m_address)
        {
            toHost[nh++] = m;
            ++m_originatedToHost;
        }
        else
        {
            toNetwork[nn++] = m;
            ++m_originatedToNetwork;
        }
        if (nn == kBurst)
        {
            SendToNetwork(toNetwork, nn);
            nn = 0;
        }
        if (nh == kBurst)
        {
            m_host.Send(toHost, nh, nowNs);
            nh = 0;
        }
    }
    outputs.clear();
    SendToNetwork(toNetwork, nn);
    m_host.Send(toHost, nh, nowNs);
}

void
AgentNode::Service(uint64_t nowNs)
{
    if (nowNs >= m_core.NextDeadline())
    {
        m_core.OnTimer(nowNs);
    }
    if (nowNs >= m_nextExpiryNs)
    {
        m_core.ExpireIdle(nowNs);
        m_nextExpiryNs = nowNs + m_expiryIntervalNs;
    }
    m_host.OnTime(nowNs);
    FlushOutputs(nowNs);
}

AgentNode::ReconfigResult
AgentNode::ReconfigureAll(uint32_t rightAnchor, const std::vector<uint32_t>& middleboxes,
                          uint64_t nowNs)
{
    std::vector<dysco::FiveTuple> sessions;
    m_core.ForEachSession(
        [&](const dysco::Session& s)
        {
            if (s.role != dysco::Role::kLast && !s.rightPending && !s.Closed() && !s.reconfig[1])
            {
                sessions.push_back(s.rightSession);
            }
        });
    ReconfigResult r;
    r.sessions = sessions.size();
    for (const auto& t : sessions)
    {
        if (m_core.Reconfigure(t, rightAnchor, middleboxes, nowNs) != 0)
        {
            ++r.started;
        }
    }
    FlushOutputs(nowNs);
    return r;
}

} // namespace dysco::dpdk
