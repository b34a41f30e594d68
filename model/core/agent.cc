#include "agent.h"

#include "bytes.h"
#include "control.h"
#include "mutant.h"
#include "options.h"
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

/// Keeps a session's SYN options (a new path's handshake repeats them) and its ISN.
void
RecordSyn(const std::vector<uint8_t>& packet, Session& s, SessionTrack& tr, int stream)
{
    PacketView v(const_cast<uint8_t*>(packet.data()), packet.size());
    if (v.Parse() != ParseError::kOk)
    {
        return;
    }
    if (s.synOptions.empty())
    {
        for (size_t i = 20; i < v.TcpHeaderLength(); ++i)
        {
            s.synOptions.push_back(v.Tcp()[i]);
        }
    }
    tr.seqHigh[stream] = v.SeqNumber() + 1;
    tr.valid |= uint8_t(1 << stream);
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
    case AgentEventKind::kLockChanged:
        return "lock_changed";
    case AgentEventKind::kReconfigStarted:
        return "reconfig_started";
    case AgentEventKind::kReconfigPhase:
        return "reconfig_phase";
    case AgentEventKind::kReconfigSucceeded:
        return "reconfig_succeeded";
    case AgentEventKind::kReconfigAborted:
        return "reconfig_aborted";
    case AgentEventKind::kControlSent:
        return "control_sent";
    case AgentEventKind::kControlReceived:
        return "control_received";
    case AgentEventKind::kControlDropped:
        return "control_dropped";
    case AgentEventKind::kSplit:
        return "split";
    case AgentEventKind::kTeardown:
        return "teardown";
    case AgentEventKind::kControlRejected:
        return "control_rejected";
    case AgentEventKind::kSynRefused:
        return "syn_refused";
    case AgentEventKind::kHalfOpenExpired:
        return "half_open_expired";
    }
    return "unknown";
}

const char*
ToString(ControlReject r)
{
    switch (r)
    {
    case ControlReject::kNone:
        return "none";
    case ControlReject::kNoNonce:
        return "no_nonce";
    case ControlReject::kBadNonce:
        return "bad_nonce";
    case ControlReject::kNoMac:
        return "no_mac";
    case ControlReject::kBadMac:
        return "bad_mac";
    case ControlReject::kReplay:
        return "replay";
    case ControlReject::kForgedAck:
        return "forged_ack";
    case ControlReject::kBadState:
        return "bad_state";
    }
    return "unknown";
}

const char*
ToString(SynRefusal r)
{
    switch (r)
    {
    case SynRefusal::kNone:
        return "none";
    case SynRefusal::kTooLong:
        return "too_long";
    case SynRefusal::kLoop:
        return "loop";
    case SynRefusal::kNotAllowed:
        return "not_allowed";
    case SynRefusal::kBadNonce:
        return "bad_nonce";
    }
    return "unknown";
}

const char*
ToString(Verdict v)
{
    switch (v)
    {
    case Verdict::kForward:
        return "forward";
    case Verdict::kDrop:
        return "drop";
    case Verdict::kConsume:
        return "consume";
    case Verdict::kNeedPayload:
        return "need_payload";
    }
    return "unknown";
}

Agent::Agent(AgentConfig config)
    : m_config(std::move(config))
    , m_control(m_config.control)
    , m_nonces(m_config.nonceSeed)
{
    m_control.SetKeys(&m_config.keys);
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

void
Agent::SetControlConfig(ControlChannelConfig c)
{
    m_config.control = c;
    m_control.SetConfig(c);
}

void
Agent::SetSynRetransmission(uint64_t rtoNs, uint32_t retries)
{
    m_config.synRtoNs = rtoNs;
    m_config.synRetries = retries;
}

void
Agent::SetLockRetransmission(uint64_t rtoNs, uint32_t retries)
{
    m_config.lockRtoNs = rtoNs;
    m_config.lockRetries = retries;
}

int64_t
Agent::SessionIndexOf(const FiveTuple& t) const
{
    auto& table = const_cast<SessionTable&>(m_sessions);
    for (const FiveTuple& k : {t, t.Reversed()})
    {
        if (const MapEntry* e = table.Lookup(MapDirection::kEgress, k))
        {
            return e->session;
        }
    }
    return -1;
}

const Session*
Agent::FindSession(const FiveTuple& t) const
{
    int64_t idx = SessionIndexOf(t);
    return idx < 0 ? nullptr : &m_sessions.Get(uint32_t(idx));
}

const SessionTrack*
Agent::FindTrack(const FiveTuple& t) const
{
    const int64_t idx = SessionIndexOf(t);
    return idx < 0 ? nullptr : &m_sessions.Track(uint32_t(idx));
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
    Verdict verdict;
    if (InPlace(dir, packet.data(), packet.size(), nullptr, false, nowNs, &verdict))
    {
        return verdict;
    }
    ++m_counters.packets;
    const uint8_t* ctl = nullptr;
    size_t ctlLen = 0;
    if (dir == Direction::kIngress && IsControlPacket(packet, &ctl, &ctlLen) &&
        IsLocal(Load32(&packet[16])))
    {
        return HandleControl(ctl, ctlLen, Load32(&packet[12]), nowNs);
    }
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
        return Drop(AgentEventKind::kMalformedDrop, &m_counters.malformed, t, uint32_t(err), nowNs);
    }
    return dir == Direction::kEgress ? Egress(packet, nowNs) : Ingress(packet, nowNs);
}

bool
Agent::InPlace(Direction dir, uint8_t* data, size_t len, MapEntry* e, bool looked, uint64_t nowNs,
               Verdict* verdict)
{
    // What Process() does with such a packet, minus the checks that cannot apply to it: a
    // TCP segment is no control message, and only plain SYNs start or extend chains.
    // Parse() fails for anything but well-formed IPv4 TCP.
    const bool ingress = dir == Direction::kIngress;
    if (looked && e != nullptr && m_config.fastPath && FastForward(data, len, *e, ingress))
    {
        *verdict = Verdict::kForward;
        return true;
    }
    PacketView v(data, len);
    if (v.Parse() != ParseError::kOk || IsPlainSyn(v.Flags()))
    {
        return false;
    }
    const MapDirection map = ingress ? MapDirection::kIngress : MapDirection::kEgress;
    if (!looked)
    {
        e = m_sessions.Lookup(map, v.Tuple());
        if (e != nullptr && m_config.fastPath && FastForward(data, len, *e, ingress))
        {
            *verdict = Verdict::kForward;
            return true;
        }
    }
    if (e != nullptr && (e->flags & MapEntry::kSlow))
    {
        return false; // an anchor may split it, which changes its length
    }
    ++m_counters.packets;
    if (e == nullptr)
    {
        ++m_counters.passed;
        *verdict = Verdict::kForward;
        return true;
    }
    *verdict = Translate(v, *e, map, nowNs);
    return true;
}

size_t
Agent::ProcessInPlace(Direction dir, const PacketRef* packets, size_t n, Verdict* verdicts,
                      uint64_t nowNs)
{
    const MapDirection map =
        dir == Direction::kEgress ? MapDirection::kEgress : MapDirection::kIngress;
    constexpr size_t kMaxBurst = 64;
    // Plain arrays, left uninitialised: only the entries of TCP packets are read.
    uint32_t ips[kMaxBurst][2];
    uint16_t ports[kMaxBurst][2];
    size_t slots[kMaxBurst];
    MapEntry* entries[kMaxBurst];
    bool tcp[kMaxBurst];
    for (size_t base = 0; base < n; base += kMaxBurst)
    {
        const size_t m = std::min(kMaxBurst, n - base);
        // Stage 1: start loading every packet's map entry.
        for (size_t i = 0; i < m; ++i)
        {
            const uint8_t* p = packets[base + i].data;
            const size_t len = packets[base + i].len;
            const size_t ihl = len >= 20 ? size_t(p[0] & 0x0F) * 4 : 0;
            tcp[i] = ihl >= 20 && len >= ihl + 4 && p[9] == kProtoTcp;
            if (tcp[i])
            {
                ips[i][0] = Load32(p + 12);
                ips[i][1] = Load32(p + 16);
                ports[i][0] = Load16(p + ihl);
                ports[i][1] = Load16(p + ihl + 2);
                slots[i] = m_sessions.Slot(
                    map, FiveTuple{ips[i][0], ips[i][1], ports[i][0], ports[i][1], kProtoTcp});
                m_sessions.PrefetchSlot(slots[i]);
            }
        }
        // Stage 2: the entries have arrived; look them up and start loading the tracks.
        for (size_t i = 0; i < m; ++i)
        {
            entries[i] = nullptr;
            if (tcp[i])
            {
                const FiveTuple key{ips[i][0], ips[i][1], ports[i][0], ports[i][1], kProtoTcp};
                entries[i] = m_sessions.LookupAt(slots[i], map, key);
            }
            if (entries[i] != nullptr)
            {
                __builtin_prefetch(&m_sessions.Track(entries[i]->session));
            }
        }
        // Stage 3: in order. A packet that added or removed entries makes the lookups of
        // the packets behind it stale: those look up again.
        const uint64_t generation = m_sessions.Generation();
        for (size_t i = 0; i < m; ++i)
        {
            const PacketRef& p = packets[base + i];
            const bool looked = tcp[i] && m_sessions.Generation() == generation;
            if (!InPlace(dir, p.data, p.len, entries[i], looked, nowNs, &verdicts[base + i]))
            {
                return base + i;
            }
        }
    }
    return n;
}

void
Agent::ProcessBurst(Direction dir, std::vector<uint8_t>* const* packets, size_t n,
                    Verdict* verdicts, uint64_t nowNs)
{
    constexpr size_t kMaxBurst = 64;
    PacketRef refs[kMaxBurst];
    for (size_t base = 0; base < n; base += kMaxBurst)
    {
        const size_t m = std::min(kMaxBurst, n - base);
        for (size_t i = 0; i < m; ++i)
        {
            refs[i] = PacketRef{packets[base + i]->data(), packets[base + i]->size()};
        }
        for (size_t i = 0; i < m;)
        {
            i += ProcessInPlace(dir, refs + i, m - i, verdicts + base + i, nowNs);
            if (i < m)
            {
                verdicts[base + i] = Process(dir, *packets[base + i], nowNs);
                ++i;
            }
        }
    }
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
            if (p != nullptr && p->choose)
            {
                Policy chosen = *p; // instances picked for this session
                chosen.chain = p->ChainFor(t);
                return StartChain(packet, t, chosen, nowNs);
            }
            if (p != nullptr)
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
    return Translate(packet, *e, MapDirection::kEgress, nowNs);
}

Verdict
Agent::Ingress(std::vector<uint8_t>& packet, uint64_t nowNs)
{
    PacketView v(packet.data(), packet.size());
    const FiveTuple t = v.Tuple();
    // A chain SYN addressed to another host (this node only routes it) passes untouched.
    if (IsPlainSyn(v.Flags()) && v.PayloadLength() > 0 && v.HasFullPayload() && IsLocal(t.dstIp) &&
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
    return Translate(packet, *e, MapDirection::kIngress, nowNs);
}

Verdict
Agent::Translate(std::vector<uint8_t>& packet, MapEntry& e, MapDirection dir, uint64_t nowNs)
{
    if (e.flags & MapEntry::kSlow)
    {
        return dir == MapDirection::kEgress ? AnchorOut(packet, e, nowNs)
                                            : AnchorIn(packet, e, nowNs);
    }
    PacketView v(packet.data(), packet.size());
    return Translate(v, e, dir, nowNs);
}

Verdict
Agent::Translate(PacketView& v, MapEntry& e, MapDirection dir, uint64_t nowNs)
{
    const uint8_t flags = v.Flags();
    if (flags == tcpflag::kAck && v.TcpHeaderLength() > 20 && OnEndedNotice(v, e.session, nowNs))
    {
        return Verdict::kConsume; // a new path's notice that reached its other anchor
    }
    const bool towardRight = (e.flags & MapEntry::kTowardRight) != 0;
    const bool ingress = dir == MapDirection::kIngress;
    SessionTrack& tr = m_sessions.Track(e.session);
    uint32_t seq = v.SeqNumber();
    uint32_t ack = v.AckNumber();
    if (e.flags & MapEntry::kDelta)
    {
        // §3.3: an anchor adds its delta to the sequence number of what arrives on the
        // reconfigured side and subtracts it from the ack of what leaves on that side.
        const int side = (ingress == towardRight) ? 0 : 1;
        const SeqDelta d = tr.sideDelta[side];
        if (ingress)
        {
            seq += uint32_t(d);
            v.SetSeqNumber(seq);
        }
        else
        {
            AckDelta(v, d);
        }
    }
    v.SetTuple(e.Rewrite());
    ++m_counters.rewritten;

    // Highest sequence and ack numbers per direction, in this agent's session space: what
    // a reconfiguration starting here takes as oldSent, oldRcvd and their acks (§3.4).
    const int stream = towardRight ? 0 : 1;
    const int side = (ingress == towardRight) ? 0 : 1;
    const uint32_t len = uint32_t(v.PayloadLength()) + ((flags & tcpflag::kSyn) ? 1 : 0) +
                         ((flags & tcpflag::kFin) ? 1 : 0);
    if (e.flags & MapEntry::kRescale) // spliced: the two ends announced different scales
    {
        const Session& s = m_sessions.Get(e.session);
        RescaleWindow(v, s.wsFrom[side], s.wsTo[side]);
    }
    if (e.flags & MapEntry::kTsClamp)
    {
        NoteOrClampTimestamps(v, m_sessions.Get(e.session).tsNewest[side], ingress);
    }
    if (ingress && (tr.merged & (1 << side)) && (flags & tcpflag::kAck) && len > 0)
    {
        ack = RaiseStaleAck(e.session, side, stream, v); // new-path packets still in flight
    }
    NoteTrack(e.session, side, stream, seq, len, (flags & tcpflag::kAck) != 0, ack);
    if (flags & (tcpflag::kFin | tcpflag::kRst | tcpflag::kSyn))
    {
        if ((flags & tcpflag::kSyn) && (flags & tcpflag::kAck))
        {
            Session& s = m_sessions.Get(e.session);
            if (s.synAckOptions.empty())
            {
                s.synAckOptions.assign(v.Tcp() + 20, v.Tcp() + v.TcpHeaderLength());
            }
        }
        TrackClose(e.session, flags, towardRight, nowNs);
    }
    return Verdict::kForward;
}

Verdict
Agent::StartChain(std::vector<uint8_t>& packet, const FiveTuple& session, const Policy& policy,
                  uint64_t nowNs)
{
    if (m_sessions.Size() >= m_config.maxSessions)
    {
        if (m_config.refuseWhenFull)
        {
            return Drop(AgentEventKind::kTableFull, &m_counters.tableFull, session, 1, nowNs);
        }
        ++m_counters.tableFull;
        ++m_counters.passed;
        Emit(AgentEventKind::kTableFull, session, FiveTuple{}, 0, nowNs);
        return Verdict::kForward;
    }
    // An empty chain still makes a Dysco session (a direct subsession), so middleboxes can
    // be inserted later.
    FiveTuple sub;
    if (!NewRightSubsession(policy.chain.empty() ? session.dstIp : policy.chain.front(), &sub))
    {
        return Drop(AgentEventKind::kPortsExhausted, &m_counters.portsExhausted, session, 0, nowNs);
    }
    uint32_t idx = m_sessions.Allocate();
    Session& s = m_sessions.Get(idx);
    s.role = Role::kFirst;
    s.leftSession = session;
    s.rightSession = session;
    s.rightSub = sub;
    s.nextAddresses = policy.chain;
    s.nextAddresses.push_back(session.dstIp);
    if (m_config.protection != ControlProtection::kOff)
    {
        s.nonce = m_nonces.Next();
        s.keyId = m_config.protection == ControlProtection::kHmac ? policy.keyId : 0;
    }
    NoteSetup(idx, nowNs);
    RecordSyn(packet, s, m_sessions.Track(idx), 0);
    m_sessions.Insert(MapDirection::kEgress, session, sub, idx, true);
    m_sessions.Insert(MapDirection::kIngress, sub.Reversed(), session.Reversed(), idx, false);
    ++m_counters.sessionsCreated;
    Emit(AgentEventKind::kChainStart, session, sub, uint32_t(policy.chain.size()), nowNs);
    ++m_counters.rewritten;
    if (!SendChainSyn(packet, s))
    {
        FreeSession(idx, nowNs);
        return Drop(AgentEventKind::kBadSynPayload, &m_counters.badSynPayload, session, 0, nowNs);
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
    SynPayload payload{s.rightSession,     s.nextAddresses, s.marker.leftAnchor,
                       s.marker.requestId, s.nonce,         s.keyId};
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
        return Drop(AgentEventKind::kBadSynPayload, &m_counters.badSynPayload, wire, uint32_t(err),
                    nowNs);
    }
    // The list must name this host first; a SYN meant for someone else is not ours to splice.
    if (!IsLocal(payload.addresses.front()) || !IsLocal(wire.dstIp))
    {
        return Drop(AgentEventKind::kBadSynPayload, &m_counters.badSynPayload, wire, 100, nowNs);
    }
    if (const uint32_t refusal = CheckChainList(payload.addresses))
    {
        uint64_t* reason =
            refusal == uint32_t(SynRefusal::kTooLong)
                ? &m_counters.synTooLong
                : (refusal == uint32_t(SynRefusal::kLoop) ? &m_counters.synLoop
                                                          : &m_counters.synNotAllowed);
        ++*reason;
        return Drop(AgentEventKind::kSynRefused, &m_counters.synRefused, wire, refusal, nowNs);
    }

    if (payload.markerLeftAnchor != 0 && payload.addresses.size() == 1)
    {
        // The last hop of a reconfiguration's new path: this agent is the right anchor.
        return AcceptNewPathSyn(packet, wire,
                                NewPathMarker{payload.markerLeftAnchor, payload.markerRequestId},
                                payload.nonce, nowNs);
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
        s.marker = NewPathMarker{payload.markerLeftAnchor, payload.markerRequestId};
        s.nonce = payload.nonce;
        s.keyId = payload.keyId;
        NoteSetup(idx, nowNs);
        s.nextAddresses.assign(payload.addresses.begin() + 1, payload.addresses.end());
        RecordSyn(packet, s, m_sessions.Track(idx), 0);
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
            return Drop(AgentEventKind::kPortsExhausted, &m_counters.portsExhausted, t, 0, nowNs);
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

namespace
{
/// What moves a number of `stream`'s bytes from the right side's space into the left side's,
/// at a host whose middlebox adds mbDelta[0] to client -> server numbers on their way right
/// and mbDelta[1] to server -> client ones on their way left.
uint32_t
RightToLeft(const Session& s, int stream)
{
    return stream == 0 ? 0u - uint32_t(s.mbDelta[0]) : uint32_t(s.mbDelta[1]);
}
} // namespace

void
Agent::NoteTrack(uint32_t index, int side, int stream, uint32_t seq, uint32_t len, bool hasAck,
                 uint32_t ack)
{
    SessionTrack& tr = m_sessions.Track(index);
    if (side == 1 && tr.shifted)
    {
        const Session& s = m_sessions.Get(index);
        seq += RightToLeft(s, stream);
        ack += RightToLeft(s, 1 - stream); // an ack names the other stream's bytes
    }
    tr.Note(stream, seq, len, hasAck, ack);
}

SessionTrack
Agent::TrackOnSide(uint32_t index, int side) const
{
    SessionTrack tr = const_cast<SessionTable&>(m_sessions).Track(index);
    if (side == 1)
    {
        const Session& s = m_sessions.Get(index);
        for (int d = 0; d < 2; ++d)
        {
            tr.seqHigh[d] -= RightToLeft(s, d);
            tr.ackHigh[d] -= RightToLeft(s, 1 - d);
        }
    }
    return tr;
}

namespace
{
/// The window scale a side announced in its SYN options (0 if none).
uint8_t
WindowShift(const std::vector<uint8_t>& options)
{
    for (size_t i = 0; i < options.size();)
    {
        const uint8_t kind = options[i];
        if (kind == tcpopt::kEnd)
        {
            break;
        }
        if (kind == tcpopt::kNop)
        {
            ++i;
            continue;
        }
        if (i + 1 >= options.size() || options[i + 1] < 2)
        {
            break;
        }
        if (kind == tcpopt::kWindowScale && options[i + 1] == 3 && i + 2 < options.size())
        {
            return std::min<uint8_t>(options[i + 2], 14);
        }
        i += options[i + 1];
    }
    return 0;
}
} // namespace

uint32_t
Agent::RaiseStaleAck(uint32_t index, int side, int stream, PacketView& v)
{
    // Two paths of different lengths reorder a stream: a segment can arrive after one sent
    // later, over the shorter path, that carried a higher ack. Linux accepts such data and
    // ignores the old ack; ns-3's TcpSocketBase (RFC 793 read strictly) drops the data too,
    // so the bytes would wait for a retransmission timeout. Passing the segment on with the
    // higher ack is what a later segment said anyway; the window shrinks by the difference
    // so the right edge of the receive window stays where the sender put it. Pure acks
    // keep their stale ack (they are ignored; raised, they would count as duplicates).
    const uint32_t ack = v.AckNumber();
    const SessionTrack seen = TrackOnSide(index, side);
    if (!(seen.valid & (4 << stream)) || !(Seq(ack) < Seq(seen.ackHigh[stream])))
    {
        return ack;
    }
    const uint32_t raised = seen.ackHigh[stream];
    const Session& s = m_sessions.Get(index);
    const uint8_t shift = WindowShift(stream == 0 ? s.synOptions : s.synAckOptions);
    const uint32_t shrink = ((raised - ack) + (1u << shift) - 1) >> shift;
    v.SetWindow(uint16_t(v.Window() > shrink ? v.Window() - shrink : 0));
    v.SetAckNumber(raised);
    return raised;
}

void
Agent::TrackClose(uint32_t index, uint8_t flags, bool towardRight, uint64_t nowNs)
{
    if (!(flags & (tcpflag::kFin | tcpflag::kRst)))
    {
        return;
    }
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
        // A reconfiguration that has not reached its two-path phase is pointless now.
        if (s.reconfig[1] && s.reconfig[1]->phase != ReconfigPhase::kTwoPaths &&
            s.reconfig[1]->phase != ReconfigPhase::kCancelling)
        {
            AbortReconfig(index, 4, nowNs);
        }
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
        if (nowNs - s.closedAtNs >= m_config.closeLingerNs && !MutantActive(Mutant::kNoFreeAtClose))
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

    // Half-open sessions (no SYN-ACK yet), oldest first: a SYN flood's state goes quickly.
    while (m_config.halfOpenTimeoutNs != 0 && !m_halfOpen.empty() &&
           m_halfOpen.front().deadlineNs <= nowNs)
    {
        const HalfOpen h = m_halfOpen.front();
        m_halfOpen.pop_front();
        const Session& s = m_sessions.Get(h.index);
        // Half-open: no packet with an ACK flag (SYN-ACK, handshake ACK, data) seen yet.
        const bool acked = (m_sessions.Track(h.index).valid & 0x0C) != 0;
        if (s.inUse && s.setupId == h.setupId && !acked && !s.Closed())
        {
            ++m_counters.halfOpenExpired;
            Emit(AgentEventKind::kHalfOpenExpired, s.leftSession, FiveTuple{}, 0, nowNs);
            FreeSession(h.index, nowNs);
            ++freed;
        }
    }

    // Idle detection: four scans per timeout; a session with no traffic in four
    // consecutive scans has been silent for at least the timeout.
    const uint64_t interval = std::max<uint64_t>(m_config.idleTimeoutNs / 4, 1);
    if (nowNs - m_lastScanNs >= interval)
    {
        m_lastScanNs = nowNs;
        std::vector<uint32_t> idle;
        m_sessions.Scan(
            [&](uint32_t idx, Session& s, bool active)
            {
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
Agent::NoteSetup(uint32_t index, uint64_t nowNs)
{
    Session& s = m_sessions.Get(index);
    s.setupId = m_nextSetupId++;
    if (m_config.halfOpenTimeoutNs != 0)
    {
        m_halfOpen.push_back(HalfOpen{index, s.setupId, nowNs + m_config.halfOpenTimeoutNs});
    }
}

uint32_t
Agent::CheckChainList(const std::vector<uint32_t>& addresses) const
{
    if (addresses.size() > m_config.maxChainAddresses)
    {
        return uint32_t(SynRefusal::kTooLong);
    }
    for (size_t i = 0; i < addresses.size(); ++i)
    {
        // addresses[0] is this host (checked by the caller); it must not come back later.
        if (i > 0 && IsLocal(addresses[i]))
        {
            return uint32_t(SynRefusal::kLoop);
        }
        for (size_t j = 0; j < i; ++j)
        {
            if (addresses[j] == addresses[i])
            {
                return uint32_t(SynRefusal::kLoop);
            }
        }
    }
    if (!m_config.chainAllowList.empty())
    {
        for (size_t i = 0; i + 1 < addresses.size(); ++i)
        {
            bool allowed = false;
            for (const Prefix& p : m_config.chainAllowList)
            {
                allowed = allowed || p.Contains(addresses[i]);
            }
            if (!allowed)
            {
                return uint32_t(SynRefusal::kNotAllowed);
            }
        }
    }
    return 0;
}

size_t
Agent::StateBytes() const
{
    return m_sessions.StateBytes() + m_halfOpen.size() * sizeof(HalfOpen) +
           m_closed.capacity() * sizeof(uint32_t) + m_active.capacity() * sizeof(uint64_t) +
           m_byRequest.size() * (sizeof(uint64_t) + sizeof(uint32_t) + 2 * sizeof(void*));
}

void
Agent::FreeSession(uint32_t index, uint64_t nowNs)
{
    Session& s = m_sessions.Get(index);
    if (!s.inUse)
    {
        return;
    }
    for (int side = 0; side < 2; ++side)
    {
        if (s.reconfig[side])
        {
            if (s.reconfig[side]->isLeftAnchor)
            {
                // The session ended under the reconfiguration: it ends too, as an abort.
                ++m_counters.reconfigAborted;
                EmitReconfig(AgentEventKind::kReconfigAborted, index, s.reconfig[side]->id, 4,
                             nowNs);
            }
            EndReconfig(index, side);
        }
    }
    DropHeld(index);
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
