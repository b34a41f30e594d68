#include "agent.h"

#include "bytes.h"
#include "packet.h"
#include "packet_edit.h"
#include "syn_payload.h"

#include <algorithm>

namespace dysco
{

namespace
{
constexpr uint8_t kTagOptionLength = 6; // kind, length, 32-bit tag

bool
IsPlainSyn(uint8_t flags)
{
    return (flags & tcpflag::kSyn) && !(flags & tcpflag::kAck);
}
} // namespace

const char*
ToString(AgentEventKind k)
{
    switch (k)
    {
    case AgentEventKind::kChainStart:
        return "chain_start";
    case AgentEventKind::kChainHop:
        return "chain_hop";
    case AgentEventKind::kChainEnd:
        return "chain_end";
    case AgentEventKind::kSessionClosed:
        return "session_closed";
    case AgentEventKind::kStateFreed:
        return "state_freed";
    case AgentEventKind::kMalformedDrop:
        return "malformed_drop";
    case AgentEventKind::kBadSynPayload:
        return "bad_syn_payload";
    case AgentEventKind::kBadTag:
        return "bad_tag";
    case AgentEventKind::kTableFull:
        return "table_full";
    case AgentEventKind::kPortsExhausted:
        return "ports_exhausted";
    }
    return "unknown";
}

Agent::Agent(AgentConfig config)
    : m_config(std::move(config))
{
    if (m_config.lastPort < m_config.firstPort)
    {
        std::swap(m_config.firstPort, m_config.lastPort);
    }
    if (std::find(m_config.localAddresses.begin(), m_config.localAddresses.end(),
                  m_config.address) == m_config.localAddresses.end())
    {
        m_config.localAddresses.push_back(m_config.address);
    }
}

void
Agent::SetAddresses(uint32_t address, std::vector<uint32_t> localAddresses)
{
    m_config.address = address;
    m_config.localAddresses = std::move(localAddresses);
    if (std::find(m_config.localAddresses.begin(), m_config.localAddresses.end(), address) ==
        m_config.localAddresses.end())
    {
        m_config.localAddresses.push_back(address);
    }
}

bool
Agent::IsLocal(uint32_t ip) const
{
    return std::find(m_config.localAddresses.begin(), m_config.localAddresses.end(), ip) !=
           m_config.localAddresses.end();
}

Verdict
Agent::Process(Direction dir, std::vector<uint8_t>& packet, uint64_t nowNs)
{
    ++m_counters.packets;
    // Only IPv4 TCP is Dysco's business; everything else passes untouched.
    if (packet.size() < 20 || (packet[0] >> 4) != 4 || packet[9] != kProtoTcp)
    {
        ++m_counters.passed;
        return Verdict::kForward;
    }
    PacketView v(packet.data(), packet.size());
    ParseError err = v.Parse();
    if (err != ParseError::kOk)
    {
        FiveTuple t;
        t.srcIp = Load32(&packet[12]);
        t.dstIp = Load32(&packet[16]);
        return Drop(AgentEventKind::kMalformedDrop, &m_counters.malformed, t, uint32_t(err),
                    nowNs);
    }
    return dir == Direction::kEgress ? Egress(packet, nowNs) : Ingress(packet, nowNs);
}

Verdict
Agent::Egress(std::vector<uint8_t>& packet, uint64_t nowNs)
{
    PacketView v(packet.data(), packet.size());
    const FiveTuple t = v.Tuple();
    const uint8_t flags = v.Flags();
    if (IsPlainSyn(flags))
    {
        TcpOptionRef tag;
        if (v.FindOption(tcpopt::kDyscoTag, &tag))
        {
            return ForwardTaggedSyn(packet, Load32(v.Tcp() + tag.offset + 2), nowNs);
        }
        MapEntry* e = m_sessions.Lookup(MapDirection::kEgress, t);
        if (e != nullptr && (e->flags & MapEntry::kTowardRight))
        {
            // A retransmitted SYN: it must carry the address list again.
            const Session& s = m_sessions.Get(e->session);
            ++m_counters.rewritten;
            return SendChainSyn(packet, s) ? Verdict::kForward : Verdict::kDrop;
        }
        if (e == nullptr)
        {
            const Policy* p = m_policies.Match(t);
            if (p != nullptr && !p->chain.empty())
            {
                return StartChain(packet, t, *p, nowNs);
            }
        }
    }
    MapEntry* e = m_sessions.Lookup(MapDirection::kEgress, t);
    if (e == nullptr)
    {
        ++m_counters.passed;
        return Verdict::kForward;
    }
    return Translate(packet, *e, nowNs);
}

Verdict
Agent::Ingress(std::vector<uint8_t>& packet, uint64_t nowNs)
{
    PacketView v(packet.data(), packet.size());
    const FiveTuple t = v.Tuple();
    if (IsPlainSyn(v.Flags()) && v.PayloadLength() > 0 && v.HasFullPayload() &&
        LooksLikeSynPayload(v.Payload(), v.PayloadLength()))
    {
        return AcceptChainSyn(packet, nowNs);
    }
    MapEntry* e = m_sessions.Lookup(MapDirection::kIngress, t);
    if (e == nullptr)
    {
        ++m_counters.passed;
        return Verdict::kForward;
    }
    return Translate(packet, *e, nowNs);
}

Verdict
Agent::Translate(std::vector<uint8_t>& packet, MapEntry& e, uint64_t nowNs)
{
    PacketView v(packet.data(), packet.size());
    const uint8_t flags = v.Flags();
    v.SetTuple(e.Rewrite());
    ++m_counters.rewritten;
    if (flags & (tcpflag::kFin | tcpflag::kRst))
    {
        TrackClose(e.session, flags, (e.flags & MapEntry::kTowardRight) != 0, nowNs);
    }
    return Verdict::kForward;
}

Verdict
Agent::StartChain(std::vector<uint8_t>& packet, const FiveTuple& session, const Policy& policy,
                  uint64_t nowNs)
{
    if (m_sessions.Size() >= m_config.maxSessions)
    {
        ++m_counters.tableFull;
        ++m_counters.passed;
        Emit(AgentEventKind::kTableFull, session, FiveTuple{}, 0, nowNs);
        return Verdict::kForward;
    }
    FiveTuple sub;
    if (!NewRightSubsession(policy.chain.front(), &sub))
    {
        return Drop(AgentEventKind::kPortsExhausted, &m_counters.portsExhausted, session, 0,
                    nowNs);
    }
    uint32_t idx = m_sessions.Allocate();
    Session& s = m_sessions.Get(idx);
    s.role = Role::kFirst;
    s.leftSession = session;
    s.rightSession = session;
    s.rightSub = sub;
    s.nextAddresses = policy.chain;
    s.nextAddresses.push_back(session.dstIp);
    m_sessions.Insert(MapDirection::kEgress, session, sub, idx, true);
    m_sessions.Insert(MapDirection::kIngress, sub.Reversed(), session.Reversed(), idx, false);
    ++m_counters.sessionsCreated;
    Emit(AgentEventKind::kChainStart, session, sub, uint32_t(policy.chain.size()), nowNs);
    ++m_counters.rewritten;
    if (!SendChainSyn(packet, s))
    {
        FreeSession(idx, nowNs);
        return Drop(AgentEventKind::kBadSynPayload, &m_counters.badSynPayload, session, 0,
                    nowNs);
    }
    return Verdict::kForward;
}

bool
Agent::NewRightSubsession(uint32_t next, FiveTuple* sub)
{
    // Both ports are allocated (§2.3). A pair is free iff no subsession of this agent has
    // its reverse tuple as an ingress key: that also catches a pair the peer already chose
    // for a subsession toward us. Walking (src, dst) pairs gives span^2 subsessions per peer.
    const uint64_t span = uint64_t(m_config.lastPort) - m_config.firstPort + 1;
    for (int attempt = 0; attempt < 256; ++attempt)
    {
        const uint64_t c = m_portCursor++;
        const uint16_t srcPort = uint16_t(m_config.firstPort + c % span);
        const uint16_t dstPort = uint16_t(m_config.firstPort + (c / span) % span);
        FiveTuple cand{m_config.address, next, srcPort, dstPort, kProtoTcp};
        if (!m_sessions.Contains(MapDirection::kIngress, cand.Reversed()))
        {
            *sub = cand;
            return true;
        }
    }
    return false;
}

bool
Agent::SendChainSyn(std::vector<uint8_t>& packet, const Session& s)
{
    SynPayload payload{s.rightSession, s.nextAddresses};
    std::vector<uint8_t> bytes;
    if (EncodeSynPayload(payload, bytes) == 0 || !SetTcpPayload(packet, bytes.data(), bytes.size()))
    {
        return false;
    }
    PacketView v(packet.data(), packet.size());
    v.Parse();
    v.SetTuple(s.rightSub);
    return true;
}

Verdict
Agent::AcceptChainSyn(std::vector<uint8_t>& packet, uint64_t nowNs)
{
    PacketView v(packet.data(), packet.size());
    const FiveTuple wire = v.Tuple();
    SynPayload payload;
    SynPayloadError err = DecodeSynPayload(v.Payload(), v.PayloadLength(), &payload);
    if (err != SynPayloadError::kOk)
    {
        return Drop(AgentEventKind::kBadSynPayload, &m_counters.badSynPayload, wire,
                    uint32_t(err), nowNs);
    }
    // The list must name this host first; a SYN meant for someone else is not ours to splice.
    if (!IsLocal(payload.addresses.front()) || !IsLocal(wire.dstIp))
    {
        return Drop(AgentEventKind::kBadSynPayload, &m_counters.badSynPayload, wire, 100,
                    nowNs);
    }

    uint32_t idx;
    MapEntry* existing = m_sessions.Lookup(MapDirection::kIngress, wire);
    if (existing != nullptr)
    {
        idx = existing->session; // retransmitted SYN: same session, same tag
    }
    else
    {
        if (m_sessions.Size() >= m_config.maxSessions)
        {
            return Drop(AgentEventKind::kTableFull, &m_counters.tableFull, payload.session, 0,
                        nowNs);
        }
        idx = m_sessions.Allocate();
        Session& s = m_sessions.Get(idx);
        s.leftSub = wire;
        s.leftSession = payload.session;
        s.rightSession = payload.session;
        s.nextAddresses.assign(payload.addresses.begin() + 1, payload.addresses.end());
        m_sessions.Insert(MapDirection::kIngress, wire, payload.session, idx, true);
        m_sessions.Insert(MapDirection::kEgress, payload.session.Reversed(), wire.Reversed(), idx,
                          false);
        ++m_counters.sessionsCreated;
        if (s.nextAddresses.empty())
        {
            s.role = Role::kLast;
            Emit(AgentEventKind::kChainEnd, payload.session, wire, 0, nowNs);
        }
        else
        {
            s.role = Role::kMiddle;
            s.rightPending = true;
            s.tag = m_nextTag++;
            if (m_nextTag == 0)
            {
                m_nextTag = 1;
            }
            m_sessions.SetTag(s.tag, idx);
        }
    }
    const Session& s = m_sessions.Get(idx);
    if (!SetTcpPayload(packet, nullptr, 0))
    {
        return Drop(AgentEventKind::kMalformedDrop, &m_counters.malformed, wire, 0, nowNs);
    }
    PacketView stripped(packet.data(), packet.size());
    stripped.Parse();
    stripped.SetTuple(s.leftSession);
    if (s.role == Role::kMiddle)
    {
        uint8_t tag[4];
        Store32(tag, s.tag);
        if (!AddTcpOption(packet, tcpopt::kDyscoTag, tag, sizeof(tag)))
        {
            // No room for the tag: the SYN could not be matched when it re-emerges.
            FreeSession(idx, nowNs);
            return Drop(AgentEventKind::kBadTag, &m_counters.badTag, payload.session,
                        kTagOptionLength, nowNs);
        }
    }
    ++m_counters.rewritten;
    return Verdict::kForward;
}

Verdict
Agent::ForwardTaggedSyn(std::vector<uint8_t>& packet, uint32_t tag, uint64_t nowNs)
{
    PacketView v(packet.data(), packet.size());
    const FiveTuple t = v.Tuple();
    int64_t found = m_sessions.FindTag(tag);
    // The tag never leaves the host: strip it even from a SYN we cannot place.
    RemoveTcpOption(packet, tcpopt::kDyscoTag);
    if (found < 0)
    {
        return Drop(AgentEventKind::kBadTag, &m_counters.badTag, t, tag, nowNs);
    }
    uint32_t idx = uint32_t(found);
    Session& s = m_sessions.Get(idx);
    if (s.rightPending)
    {
        FiveTuple sub;
        if (!NewRightSubsession(s.nextAddresses.front(), &sub))
        {
            return Drop(AgentEventKind::kPortsExhausted, &m_counters.portsExhausted, t, 0,
                        nowNs);
        }
        // The header leaving the middlebox is this side's session header (a NAT may have
        // changed it).
        s.rightSession = t;
        s.rightSub = sub;
            s.rightPending = false;
        m_sessions.Insert(MapDirection::kEgress, t, sub, idx, true);
        m_sessions.Insert(MapDirection::kIngress, sub.Reversed(), t.Reversed(), idx, false);
        Emit(AgentEventKind::kChainHop, t, sub, uint32_t(s.nextAddresses.size()), nowNs);
    }
    ++m_counters.rewritten;
    return SendChainSyn(packet, s) ? Verdict::kForward : Verdict::kDrop;
}

void
Agent::TrackClose(uint32_t index, uint8_t flags, bool towardRight, uint64_t nowNs)
{
    Session& s = m_sessions.Get(index);
    bool wasClosed = s.Closed();
    if (flags & tcpflag::kRst)
    {
        s.reset = true;
    }
    if (flags & tcpflag::kFin)
    {
        (towardRight ? s.finFromLeft : s.finFromRight) = true;
    }
    if (!wasClosed && s.Closed())
    {
        s.closedAtNs = nowNs;
        m_closed.push_back(index);
        Emit(AgentEventKind::kSessionClosed, s.leftSession, FiveTuple{}, s.reset ? 1 : 0, nowNs);
    }
}

size_t
Agent::ExpireIdle(uint64_t nowNs)
{
    size_t freed = 0;
    // Closed sessions keep their state for a linger time, so the last ACK and any
    // retransmitted FIN are still translated.
    std::vector<uint32_t> waiting;
    for (uint32_t idx : m_closed)
    {
        const Session& s = m_sessions.Get(idx);
        if (!s.inUse || !s.Closed())
        {
            continue;
        }
        if (nowNs - s.closedAtNs >= m_config.closeLingerNs)
        {
            FreeSession(idx, nowNs);
            ++freed;
        }
        else
        {
            waiting.push_back(idx);
        }
    }
    m_closed.swap(waiting);

    // Idle detection: four scans per timeout; a session with no traffic in four
    // consecutive scans has been silent for at least the timeout.
    const uint64_t interval = std::max<uint64_t>(m_config.idleTimeoutNs / 4, 1);
    if (nowNs - m_lastScanNs >= interval)
    {
        m_lastScanNs = nowNs;
        std::vector<uint32_t> idle;
        m_sessions.Scan([&](uint32_t idx, Session& s, bool active) {
            s.idleScans = active ? 0 : uint8_t(s.idleScans + 1);
            if (s.idleScans >= 4)
            {
                idle.push_back(idx);
            }
        });
        for (uint32_t idx : idle)
        {
            FreeSession(idx, nowNs);
            ++freed;
        }
    }
    return freed;
}

void
Agent::FreeSession(uint32_t index, uint64_t nowNs)
{
    Session& s = m_sessions.Get(index);
    if (!s.inUse)
    {
        return;
    }
    Emit(AgentEventKind::kStateFreed, s.leftSession, FiveTuple{}, 0, nowNs);
    m_sessions.Free(index);
    ++m_counters.sessionsFreed;
}

Verdict
Agent::Drop(AgentEventKind kind, uint64_t* counter, const FiveTuple& t, uint32_t detail,
            uint64_t nowNs)
{
    ++*counter;
    ++m_counters.dropped;
    Emit(kind, t, FiveTuple{}, detail, nowNs);
    return Verdict::kDrop;
}

void
Agent::Emit(AgentEventKind kind, const FiveTuple& session, const FiveTuple& sub, uint32_t detail,
            uint64_t nowNs)
{
    if (m_sink)
    {
        AgentEvent ev;
        ev.kind = kind;
        ev.timeNs = nowNs;
        ev.session = session;
        ev.subsession = sub;
        ev.detail = detail;
        m_sink(ev);
    }
}

} // namespace dysco
