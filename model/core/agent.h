// The Dysco agent core: the per-node state machine a binding (ns-3, DPDK, tests) drives.
//
// The binding hands every IPv4 packet the node sends or receives to Process(): packets
// leaving the node (from the local stack, or forwarded) with Direction::kEgress, packets
// arriving from the network with Direction::kIngress. The buffer holds the IPv4 packet
// starting at its IPv4 header. It must hold the whole packet when the TCP SYN flag is set;
// otherwise the headers suffice, unless Process() answers kNeedPayload (a packet that may
// have to be split between two paths): then call again with the whole packet. Process()
// may rewrite the buffer and change its length, and says whether the packet goes on, is
// dropped, or was consumed by the agent (its own control and handshake traffic).
//
// Packets the agent originates (control messages, new-path handshakes, split segments) are
// queued in Outputs(): complete IPv4 packets the binding sends from this node as they are,
// without handing them to Process() again. Timers: after any call, NextDeadline() says when
// OnTimer() must run next. The core owns protocol state; the binding owns clocks, timers
// and packet buffers.
#ifndef DYSCO_CORE_AGENT_H
#define DYSCO_CORE_AGENT_H

#include "agent_events.h"
#include "control_auth.h"
#include "control_channel.h"
#include "policy.h"
#include "session_table.h"
#include "syn_payload.h"

#include <cstdint>
#include <deque>
#include <functional>
#include <unordered_map>
#include <vector>

namespace dysco
{

class PacketView;

enum class Direction
{
    kEgress,  ///< leaving this node: from the local stack or forwarded
    kIngress, ///< arriving from the network, before local delivery or forwarding
};

enum class Verdict
{
    kForward,     ///< pass the (possibly rewritten) packet on
    kDrop,        ///< drop it (counted in AgentCounters)
    kConsume,     ///< the agent used it (control message, new-path handshake): stop here
    kNeedPayload, ///< call again with the whole packet
};

const char* ToString(Verdict v);

struct AgentConfig
{
    uint32_t address = 0;                 ///< this host's address, source of its subsessions
    std::vector<uint32_t> localAddresses; ///< every address of the node (address included)
    uint16_t firstPort = 20000;           ///< subsession ports are drawn from [firstPort, lastPort]
    uint16_t lastPort = 48999;            ///< below ns-3/Linux ephemeral ports (49152..)
    uint64_t idleTimeoutNs = 60'000'000'000ull; ///< state of a silent session is freed after
    uint64_t closeLingerNs = 2'000'000'000ull;  ///< state kept after FIN/FIN or RST
    size_t maxSessions = 1u << 20;              ///< bound on live sessions (SYNs beyond: no chain)
    ControlChannelConfig control;               ///< control-message retransmission
    uint64_t synRtoNs = 500'000'000;            ///< new-path SYN retransmission timeout
    uint32_t synRetries = 3;                    ///< SYN resends before the reconfiguration aborts
    size_t maxHeldBytes = 4u << 20; ///< state migration: bytes an anchor holds per session

    // Security (§2.3; see control_auth.h and the README's "Security" section).
    ControlProtection protection = ControlProtection::kOff; ///< control-message protection
    KeyRing keys;           ///< chain keys (hmac): the key ids policies name
    uint64_t nonceSeed = 0; ///< session nonces: seeded generator, 0 = OpenSSL CSPRNG
    /// A chain SYN whose address list is longer is refused (counted in synRefused).
    size_t maxChainAddresses = kMaxChainAddresses;
    /// If non-empty: every middlebox address of a received SYN's list (all but the last,
    /// the session's destination) must lie in one of these prefixes, or the SYN is refused.
    std::vector<Prefix> chainAllowList;
    /// Beyond maxSessions a first agent passes the SYN unchained (false) or drops it (true).
    /// Middlebox and last agents always drop (the SYN carries a list they cannot honour).
    bool refuseWhenFull = false;
    /// State of a session that has carried no packet with an ACK flag (no SYN-ACK, no
    /// handshake ACK) this long after its SYN is freed (a SYN flood's half-open sessions);
    /// 0 = only the idle timeout applies.
    uint64_t halfOpenTimeoutNs = 10'000'000'000ull;
    size_t maxSavedRequests = 16; ///< requestLocks waiting behind a pending lock (more: nack)
    /// Plain data of established sessions takes Agent::FastForward (same result, fewer
    /// instructions); false sends every packet the general way (differential tests).
    bool fastPath = true;
    /// Left anchor while locking: with no ackLock/nackLock back, requestLock is resent end to
    /// end every lockRtoNs (0: the control channel's give-up time, rto x (retries + 1)), at
    /// most lockRetries times; then the reconfiguration is aborted with cancelLock (abort
    /// reason kAbortLockTimeout). A hop-by-hop ack does not prove the answer can come back:
    /// a plain NAT on the path drops it.
    uint64_t lockRtoNs = 0;
    uint32_t lockRetries = 2;
};

class Agent
{
public:
    explicit Agent(AgentConfig config);
    Agent(const Agent&) = delete; ///< the control channel points into m_config
    Agent& operator=(const Agent&) = delete;

    const AgentConfig& Config() const { return m_config; }
    void SetAddresses(uint32_t address, std::vector<uint32_t> localAddresses);
    void SetControlConfig(ControlChannelConfig c);
    void SetSynRetransmission(uint64_t rtoNs, uint32_t retries);
    /// AgentConfig::lockRtoNs (0: derived from the control channel) and lockRetries.
    void SetLockRetransmission(uint64_t rtoNs, uint32_t retries);
    PolicyTable& Policies() { return m_policies; }

    Verdict Process(Direction dir, std::vector<uint8_t>& packet, uint64_t nowNs);

    /// Process() over a burst, as DPDK delivers packets: the map entries of all packets are
    /// prefetched first so their cache misses overlap. Same results as n Process() calls.
    void ProcessBurst(Direction dir, std::vector<uint8_t>* const* packets, size_t n,
                      Verdict* verdicts, uint64_t nowNs);

    /// An IPv4 packet in a binding's own buffer: `len` bytes from its IPv4 header, at least
    /// its headers and at most its IPv4 total length.
    struct PacketRef
    {
        uint8_t* data;
        size_t len;
    };
    /// The data path on the binding's buffers, rewritten in place, in order, with the
    /// lookups of the burst overlapped as in ProcessBurst(). It takes the packets whose
    /// processing keeps their length and needs no payload: well-formed TCP segments other
    /// than plain SYNs whose session (if any) has no anchor in its two-path phase. It stops
    /// at the first other packet and returns how many it processed (verdicts set); that
    /// packet, untouched and not yet counted, goes to Process() in a vector, and the burst
    /// continues after it. Same results as Process() on each packet in turn.
    size_t ProcessInPlace(Direction dir, const PacketRef* packets, size_t n, Verdict* verdicts,
                          uint64_t nowNs);

    // --- reconfiguration (§3) ---

    /// Starts replacing the segment from this agent (left anchor) to `rightAnchor` by a new
    /// path through `middleboxes` (empty: delete everything in between). `session` is the
    /// session's header on this agent's right side. Returns the request id, 0 if refused
    /// (unknown session, no right subsession, a reconfiguration already running here, or
    /// the subsession to the right is not unlocked).
    uint32_t Reconfigure(const FiveTuple& session, uint32_t rightAnchor,
                         std::vector<uint32_t> middleboxes, uint64_t nowNs);
    /// The middlebox on this host leaves the session's chain: its agent asks its left
    /// neighbour to reconfigure with the address list [right neighbour]. `session` is the
    /// header the middlebox sees on its left side.
    bool RequestDeletion(const FiveTuple& session, uint64_t nowNs);
    /// An explicit proxy (SOCKS-like) on this host continues a session that ended here: the
    /// session whose left header is `session` (this agent its last hop) gets a right side
    /// whose header is `onward` (this host's own connection onward, another five-tuple),
    /// chained by this agent's policies for `onward`, so the proxy can later leave with
    /// RequestDeletion and the anchors splice the two connections. Returns the option-253 tag
    /// the onward SYN must carry when the stack sends it; 0 if refused (no such session, not
    /// the last hop, a new path's session, or already closing).
    uint32_t ExtendChain(const FiveTuple& session, const FiveTuple& onward);
    /// Declares the sequence deltas of this host's middlebox for a session (a proxy or a
    /// content modifier): [client->server, server->client]. Collected by requestLock/ackLock.
    /// Declare them when the SYN passes, before the session's other packets: the agent keeps
    /// its numbers in its left side's space and converts the right side's with them.
    bool SetMiddleboxDelta(const FiveTuple& session, SeqDelta clientToServer,
                           SeqDelta serverToClient);

    // --- state migration (§3.4, Figure 14; agent_migration.cc) ---

    /// This anchor (left or right) of the session's next reconfiguration holds every packet
    /// that would take the new path, and keeps the old path (sends no teardown) until
    /// StateInstalled(). The held packets go out on the new path once the old path is gone.
    /// `session`: the session's header on either side. False if the session is unknown.
    bool HoldForMigration(const FiveTuple& session);
    /// The replaced middlebox's state for the session is installed in the new one: the
    /// old path may be torn down as soon as it has drained.
    bool StateInstalled(const FiveTuple& session, uint64_t nowNs);
    /// Left anchor: the state could not be installed. The new path is given up (cancelLock,
    /// as in §3.5) and the held packets go on the old path, which stays. False if there is
    /// no held two-path reconfiguration of the session here.
    bool AbortMigration(const FiveTuple& session, uint64_t nowNs);
    /// Packets held by migrations at this agent now.
    size_t HeldPackets() const;

    /// Packets to send from this node (see the top of this file). The binding takes them.
    std::vector<std::vector<uint8_t>>& Outputs() { return m_outputs; }
    uint64_t NextDeadline() const;
    void OnTimer(uint64_t nowNs);

    /// Frees sessions idle for idleTimeoutNs, and closed sessions after closeLingerNs.
    /// The binding calls it periodically; returns the number freed.
    size_t ExpireIdle(uint64_t nowNs);

    size_t SessionCount() const { return m_sessions.Size(); }
    /// Bytes of session state (map, session records, queues), for resource-limit checks.
    size_t StateBytes() const;
    size_t ActiveReconfigurations() const { return m_active.size(); }
    const AgentCounters& Counters() const { return m_counters; }
    /// The session whose header on either side of this agent is `t` (or its reverse).
    const Session* FindSession(const FiveTuple& t) const;
    /// The sequence tracking of that session (as FindSession), or nullptr.
    const SessionTrack* FindTrack(const FiveTuple& t) const;
    /// Packets FastForward() handled (counted in Counters().packets as well).
    uint64_t FastForwarded() const { return m_fastForwarded; }
    /// Calls f(const Session&) for every live session (for triggers and reports).
    template <typename F> void ForEachSession(F f) const
    {
        for (size_t i = 0; i < m_sessions.Capacity(); ++i)
        {
            if (m_sessions.Get(uint32_t(i)).inUse)
            {
                f(m_sessions.Get(uint32_t(i)));
            }
        }
    }

    /// Receives every protocol event (setup, rewrite errors, close, state freed, locks,
    /// reconfiguration phases, control messages).
    void SetEventSink(std::function<void(const AgentEvent&)> sink) { m_sink = std::move(sink); }

private:
    // chain setup (agent.cc)
    Verdict Egress(std::vector<uint8_t>& packet, uint64_t nowNs);
    Verdict Ingress(std::vector<uint8_t>& packet, uint64_t nowNs);
    Verdict StartChain(std::vector<uint8_t>& packet, const FiveTuple& session, const Policy& policy,
                       uint64_t nowNs);
    Verdict AcceptChainSyn(std::vector<uint8_t>& packet, uint64_t nowNs);
    Verdict ForwardTaggedSyn(std::vector<uint8_t>& packet, uint32_t tag, uint64_t nowNs);
    /// Rewrites a SYN to the session's right subsession and attaches the address list.
    bool SendChainSyn(std::vector<uint8_t>& packet, const Session& s);
    /// Allocates ports and builds a subsession to `next` that collides with no entry.
    bool NewRightSubsession(uint32_t next, FiveTuple* sub);
    /// One packet of ProcessInPlace(): false, with nothing changed or counted, if the packet
    /// is not one it takes. `e` is the packet's map entry if `looked` (nullptr: none).
    bool InPlace(Direction dir, uint8_t* data, size_t len, MapEntry* e, bool looked, uint64_t nowNs,
                 Verdict* verdict);
    /// The common case of InPlace(), for `e` looked up by the packet's tuple: a segment
    /// without SYN, FIN or RST in a plain IPv4 header (no options, not a fragment), with no
    /// TCP options or the usual timestamp layout, of a session with no delta, rescaling,
    /// anchor, merged side or middlebox shift. Does what Translate() does for it and returns
    /// true; returns false with nothing changed for anything else (the general path's case).
    bool FastForward(uint8_t* data, size_t len, MapEntry& e, bool ingress);
    Verdict Translate(PacketView& v, MapEntry& e, MapDirection dir, uint64_t nowNs);
    Verdict Translate(std::vector<uint8_t>& packet, MapEntry& e, MapDirection dir, uint64_t nowNs);
    void TrackClose(uint32_t index, uint8_t flags, bool towardRight, uint64_t nowNs);
    /// Notes a packet of `stream` seen on `side` (0 left, 1 right) of this agent. The track
    /// keeps the left side's numbers: when this host's middlebox shifts the session
    /// (SetMiddleboxDelta), right-side numbers are moved into the left side's space first.
    void NoteTrack(uint32_t index, int side, int stream, uint32_t seq, uint32_t len, bool hasAck,
                   uint32_t ack);
    /// The session's track in the numbers of `side` (what an anchor replacing it needs).
    SessionTrack TrackOnSide(uint32_t index, int side) const;
    /// A data segment of `stream` arriving on `side` whose ack is below one this agent
    /// already passed on gets that ack (and a window shrunk to keep the right edge). Returns
    /// the ack the segment carries now.
    uint32_t RaiseStaleAck(uint32_t index, int side, int stream, PacketView& v);
    void FreeSession(uint32_t index, uint64_t nowNs);
    bool IsLocal(uint32_t ip) const;
    Verdict Drop(AgentEventKind kind, uint64_t* counter, const FiveTuple& t, uint32_t detail,
                 uint64_t nowNs);
    void Emit(AgentEventKind kind, const FiveTuple& session, const FiveTuple& sub, uint32_t detail,
              uint64_t nowNs);
    int64_t SessionIndexOf(const FiveTuple& t) const;

    // control messages and locks (agent_control.cc)
    Verdict HandleControl(const uint8_t* payload, size_t len, uint32_t from, uint64_t nowNs);
    /// Checks a decoded message against the session's nonce and key; a ControlReject
    /// reason, or 0 if it may be processed.
    uint32_t Authenticate(const ControlMessage& m, const Session* s) const;
    /// Counts and reports a rejected control message; returns the verdict for it.
    Verdict Reject(uint32_t reason, const ControlMessage& m, uint64_t nowNs);
    /// Applies the address-list rules to a received chain SYN: 0, or a SynRefusal reason.
    uint32_t CheckChainList(const std::vector<uint32_t>& addresses) const;
    /// Fills the protection fields of a message about session `s`.
    void Protect(ControlMessage& m, const Session& s) const;
    /// `session` (the session's header on this agent's left) only labels the trace event.
    void SendControl(uint32_t peer, const FiveTuple& session, ControlMessage m, uint64_t nowNs);
    void SendRight(uint32_t index, ControlMessage m, uint64_t nowNs);
    void SendLeft(uint32_t index, ControlMessage m, uint64_t nowNs);
    void OnRequestLock(uint32_t index, ControlMessage m, uint64_t nowNs);
    void OnAckLock(uint32_t index, ControlMessage m, uint64_t nowNs);
    void OnNackLock(uint32_t index, ControlMessage m, uint64_t nowNs);
    void OnCancelLock(uint32_t index, ControlMessage m, uint64_t nowNs);
    void OnAckCancel(uint32_t index, ControlMessage m, uint64_t nowNs);
    void OnOldPath(uint32_t index, const ControlMessage& m, bool fromLeft, uint64_t nowNs);
    void OnTrigger(uint32_t index, const ControlMessage& m, uint64_t nowNs);
    void ReleaseSaved(uint32_t index, uint64_t nowNs);
    void SendRequestLock(uint32_t index, uint64_t nowNs);
    void SendCancelLock(uint32_t index, const Requestor& r, uint32_t rightAnchor, uint64_t nowNs);
    void OnLockTimer(uint32_t index, uint64_t nowNs);
    uint64_t LockRtoNs() const;
    void OnControlFailed(const ControlMessage& m, uint64_t nowNs);

    // anchors (agent_anchor.cc); side 1: left anchor (right side replaced), 0: right anchor
    void SendNewPathSyn(uint32_t index, uint64_t nowNs);
    /// Window scales of a new path's ingress entry `e` on `side`: the far endpoint's (from
    /// the new path's handshake) and the one this side's endpoint was told (§4.2).
    void NoteWindowScales(MapEntry& e, Session& s, int side, uint8_t from, uint8_t to);
    Verdict AcceptNewPathSyn(std::vector<uint8_t>& packet, const FiveTuple& wire,
                             const NewPathMarker& marker, uint64_t nonce, uint64_t nowNs);
    void EnterTwoPaths(uint32_t index, int side, uint64_t nowNs);
    /// Tells the new path's agents which streams already ended (FIN) on the old path: they
    /// never see those FINs, and would keep the session until its idle timeout.
    void SendEndedNotice(uint32_t index, int side);
    /// A pure ACK that may be a new path's "ended" notice: on the new path's agents (they
    /// carry its marker) the streams it names are closed and it passes; at an anchor it is
    /// consumed (true).
    bool OnEndedNotice(const PacketView& v, uint32_t index, uint64_t nowNs);
    Verdict AnchorOut(std::vector<uint8_t>& packet, MapEntry& e, uint64_t nowNs);
    Verdict AnchorIn(std::vector<uint8_t>& packet, MapEntry& e, uint64_t nowNs);
    void OnPeerOldPath(uint32_t index, int side, const ControlMessage& m, uint64_t nowNs);
    void CheckTeardown(uint32_t index, int side, uint64_t nowNs);
    void FinishReconfig(uint32_t index, int side, uint64_t nowNs);
    /// Left anchor: ends its reconfiguration as aborted (reason as in kReconfigAborted).
    void AbortReconfig(uint32_t index, uint32_t reason, uint64_t nowNs);
    void EndReconfig(uint32_t index, int side);
    /// Unlocks the subsession to the right (reported as a lock change if it was held).
    void ReleaseRightLock(uint32_t index, uint64_t nowNs);
    void EmitReconfig(AgentEventKind kind, uint32_t index, const Requestor& req, uint32_t detail,
                      uint64_t nowNs);
    /// Rewrites a packet leaving an anchor's reconfigured side onto `sub` with `delta`.
    static void ToPath(std::vector<uint8_t>& pkt, const FiveTuple& sub, SeqDelta delta);
    /// §3.3's outgoing half as the agent applies it: ack and SACK edges minus `delta`.
    static void AckDelta(PacketView& v, SeqDelta delta);
    /// The new path's delta at an anchor: what it applied before plus what it learnt.
    SeqDelta NewDelta(uint32_t index, int side) const;

    // state migration (agent_migration.cc)
    struct MigrationHold
    {
        bool stateReady = false;
        std::vector<std::vector<uint8_t>> queue; ///< packets from the local side, in order
        size_t bytes = 0;
        FiveTuple cancelledSub; ///< AbortMigration: the new path, reset once the cancel is done
        uint32_t cancelledSeq = 0;
    };
    /// AnchorOut's first step while holds exist: true if the packet was held (or is the
    /// old part of one cut at oldSent), with the verdict in *out.
    bool HoldOut(std::vector<uint8_t>& pkt, MapEntry& e, uint64_t nowNs, Verdict* out);
    /// The teardown waits for the state (HoldForMigration without StateInstalled yet).
    bool TeardownHeld(uint32_t index) const;
    /// After a reconfiguration ended: sends the held packets on whatever path is current.
    void ReleaseHeld(uint32_t index, uint64_t nowNs);
    void DropHeld(uint32_t index);

    AgentConfig m_config;
    PolicyTable m_policies;
    SessionTable m_sessions;
    AgentCounters m_counters;
    uint64_t m_fastForwarded = 0;
    ControlChannel m_control;
    std::function<void(const AgentEvent&)> m_sink;
    std::vector<std::vector<uint8_t>> m_outputs;
    std::vector<uint32_t> m_closed; ///< sessions waiting out the close linger
    std::vector<uint64_t> m_active; ///< 2 * session + side of running reconfigurations
    std::unordered_map<uint64_t, uint32_t> m_byRequest; ///< right anchor: request -> session
    uint64_t m_lastScanNs = 0;
    uint32_t m_nextTag = 1;
    uint32_t m_nextRequestId = 1;
    uint64_t m_portCursor = 0; ///< walks (srcPort, dstPort) pairs for new subsessions
    std::unordered_map<uint32_t, MigrationHold> m_holds; ///< session index -> hold
    NonceSource m_nonces;
    /// Sessions in the order they were created, for the half-open timeout: (index, setup id,
    /// deadline).
    struct HalfOpen
    {
        uint32_t index;
        uint64_t setupId;
        uint64_t deadlineNs;
    };
    std::deque<HalfOpen> m_halfOpen;
    uint64_t m_nextSetupId = 1;
    /// Records a new session for the half-open timeout.
    void NoteSetup(uint32_t index, uint64_t nowNs);
};

} // namespace dysco

#endif
