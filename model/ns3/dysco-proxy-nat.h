// The packet half of a session-terminating middlebox (DyscoProxy, DyscoContentModifier): it
// sits between the node's own TCP stack and its Dysco agent and lets the stack terminate
// sessions that are addressed to someone else, the way a transparent proxy's REDIRECT rule
// does on Linux.
//
// Per session whose chain SYN the local agent hands up (tagged with option 253):
//   left side   client:cp -> server:sp (the session header here) is delivered to the proxy's
//               listening socket as client:cp -> proxy:listenPort, and the accepted socket's
//               replies get server:sp back as their source before the agent sees them;
//   right side  the proxy's onward connection proxy:eph -> server:sp leaves as client:cp ->
//               server:sp with the session's tag, so the agent continues the chain with it,
//               and the server's replies reach that socket (transparent like Linux TPROXY).
// Both of the proxy's connections get their own initial sequence numbers (ns-3 starts every
// socket at 0): an offset per side, added to what the stack sends and taken off the acks and
// SACK blocks it receives. The box declares the resulting deltas (right ISN - left ISN, plus
// the content edits' net length change) to its agent (SetMiddleboxDelta), so when it asks to
// leave the chain (the paper's dysco_splice) the anchors take them over. Once the agent freed
// the session (the old path is gone), whatever the proxy's sockets still send is dropped.
//
// Explicit mode (SetExplicit, the SOCKS-like proxy): clients connect to the proxy's own
// address and listening port, so the session ends at this host (its agent is the last hop)
// and nothing is redirected; the onward connection keeps its own header and its SYN carries
// the tag Agent::ExtendChain gave (SetRight's `tag`). ISN offsets, deltas and the drop after
// the splice are the same.
#ifndef DYSCO_PROXY_NAT_H
#define DYSCO_PROXY_NAT_H

#include "core/agent_events.h"
#include "core/five_tuple.h"
#include "dysco-agent.h"
#include "dysco-middlebox.h"
#include "ns3/callback.h"
#include "ns3/data-rate.h"
#include "ns3/nstime.h"
#include "ns3/random-variable-stream.h"

#include <unordered_map>
#include <vector>

namespace ns3
{

/// One session a proxy terminates; index 0 is client -> server, 1 server -> client.
struct DyscoProxyEntry
{
    enum Phase
    {
        RELAYING,         ///< both connections carry the session
        SPLICE_REQUESTED, ///< the proxy asked to leave; the old path still drains through it
        SPLICED_OUT,      ///< the agent freed the session: the proxy is out of the chain
    };
    dysco::FiveTuple session;   ///< client -> server: the header on the left side
    dysco::FiveTuple accepted;  ///< client:cp -> proxy:listenPort, as the stack receives it
    dysco::FiveTuple right;     ///< proxy:eph -> server:sp, the onward connection
    uint32_t tag = 0;           ///< the agent's option-253 tag of the session's SYN
    bool explicitProxy = false; ///< the client addressed the proxy (SOCKS-like)
    /// Net stream-length change per direction (bytes the proxy added minus consumed).
    int64_t editDelta[2] = {0, 0};
    /// Offsets added to the proxy's own sequence numbers: [0] onward connection (client ->
    /// server bytes on the right side), [1] accepted connection (server -> client on the left).
    uint32_t isnOffset[2] = {0, 0};
    uint32_t clientIsn = 0;        ///< client's SYN sequence number on the left side
    uint32_t serverIsn = 0;        ///< server's SYN-ACK sequence number on the right side
    uint32_t proxyIsn[2] = {0, 0}; ///< the stack's own ISNs (before the offsets)
    uint32_t sentMax = 0;          ///< onward socket: highest sequence sent + 1 (its own numbers)
    bool haveSentMax = false;
    bool haveRight = false;
    bool haveProxyIsn[2] = {false, false};
    bool haveServerIsn = false;
    Phase phase = RELAYING;
    Time splicedOutAt = Seconds(-1);
};

class DyscoProxyNat : public DyscoMiddlebox
{
public:
    static TypeId GetTypeId();
    DyscoProxyNat();
    ~DyscoProxyNat() override;

    /// The node's agent (its address terminates the sessions; its events end them).
    void SetAgent(Ptr<DyscoAgent> agent);
    Ptr<DyscoAgent> GetAgent() const { return m_agent; }
    uint16_t GetListenPort() const { return m_listenPort; }
    /// Net stream-length change per direction the proxy's content edits make (declared with
    /// the ISN deltas; DyscoContentModifier sets it).
    void SetEditDelta(int64_t clientToServer, int64_t serverToClient);
    /// Uses `stream` for the random ISN offsets; returns the number of streams used (1).
    int64_t AssignStreams(int64_t stream);

    bool Process(std::vector<uint8_t>& packet, Ptr<NetDevice> inDevice) override;
    bool BeforeAgent(dysco::Direction dir, std::vector<uint8_t>& packet) override;
    bool SeesLocalPackets() const override { return true; }

    /// The session the proxy's listening socket accepted from `client` (ip, port), or -1.
    int64_t FindAccepted(uint32_t clientIp, uint16_t clientPort) const;
    /// Registers the onward connection of entry `index` before it connects (its SYN then
    /// carries the session's tag).
    void SetRight(size_t index, const dysco::FiveTuple& right);
    /// Explicit mode: the onward connection's tag (Agent::ExtendChain) and the stream-length
    /// changes of entry `index` (the request the proxy consumed, the reply it wrote).
    void SetExplicitRight(size_t index, const dysco::FiveTuple& right, uint32_t tag,
                          int64_t clientToServer, int64_t serverToClient);
    /// Sessions are addressed to the proxy (SOCKS-like) instead of redirected to it.
    void SetExplicit(bool on) { m_explicit = on; }
    const DyscoProxyEntry& Entry(size_t index) const { return m_entries[index]; }
    size_t EntryCount() const { return m_entries.size(); }
    /// Marks entry `index` as asking to leave (RequestDeletion sent).
    void MarkSpliceRequested(size_t index);

    /// Called with an entry's index when the agent freed its session (spliced out).
    void SetSplicedOutCallback(Callback<void, size_t> cb) { m_splicedOut = cb; }
    /// Called (in an event of its own) with an entry's index when a RST answers its onward
    /// SYN: ns-3's socket drops a RST without the timestamp option it negotiated, so it
    /// would only learn by its SYN retries that nobody listens.
    void SetOnwardResetCallback(Callback<void, size_t> cb) { m_onwardReset = cb; }

    /// The host's relay CPU (DyscoProxy RelayRate): each direction of each session is
    /// processed at `rate`, segment after segment; 0: free.
    void SetRelayRate(DataRate rate) { m_relayRate = rate; }
    Time LocalDelay(const std::vector<uint8_t>& packet) override;
    bool AcceptLocal(const std::vector<uint8_t>& packet) override;
    /// ACKs for the onward socket that covered bytes it never sent (dropped).
    uint64_t GetAckBeyondSent() const { return m_ackBeyondSent; }
    /// CPU time spent on relayed segments so far.
    Time GetBusyTime() const { return m_busy; }

    /// Packets dropped because their proxy connection was already spliced out.
    uint64_t GetDroppedAfterSplice() const { return m_droppedAfterSplice; }

protected:
    void DoDispose() override;

private:
    void OnAgentEvent(const dysco::AgentEvent& e);
    /// A tagged chain SYN for a new (or retransmitted) session; its entry index or -1.
    int64_t Accept(const dysco::FiveTuple& t, uint32_t tag, uint32_t clientIsn);
    /// Declares the deltas once both ISNs of a direction are known.
    void Declare(DyscoProxyEntry& e);
    uint32_t DrawOffset();

    Ptr<DyscoAgent> m_agent;
    uint16_t m_listenPort = 9000;
    bool m_randomIsn = true;
    bool m_explicit = false;
    uint32_t m_fixedRightIsn = 0;
    uint32_t m_fixedLeftIsn = 0;
    int64_t m_editDelta[2] = {0, 0};
    Ptr<UniformRandomVariable> m_rng;
    std::vector<DyscoProxyEntry> m_entries;
    std::unordered_map<dysco::FiveTuple, size_t, dysco::FiveTupleHasher> m_bySession;
    DataRate m_relayRate;
    Time m_busy;
    uint64_t m_ackBeyondSent = 0;
    /// Per arriving connection direction: when the CPU is done with its last segment.
    std::unordered_map<dysco::FiveTuple, Time, dysco::FiveTupleHasher> m_busyUntil;
    std::unordered_map<dysco::FiveTuple, size_t, dysco::FiveTupleHasher> m_byAccepted;
    std::unordered_map<dysco::FiveTuple, size_t, dysco::FiveTupleHasher> m_byRight;
    Callback<void, size_t> m_splicedOut;
    Callback<void, size_t> m_onwardReset;
    uint64_t m_droppedAfterSplice = 0;
};

} // namespace ns3

#endif
