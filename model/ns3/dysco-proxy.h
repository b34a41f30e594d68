// A session-terminating TCP proxy (paper §2.2, §4.2): an application with two ns-3 TCP
// sockets per session. It accepts the client's subsession (its DyscoProxyNat delivers the
// session to its listening socket), connects onward to the session's server through the rest
// of the chain, and relays bytes both ways. After a configurable number of client -> server
// bytes (SpliceAfterBytes) or time (SpliceAfter) it splices itself out, as the paper's
// dysco_splice(in, out, delta) does: the deltas between its two connections (their ISNs,
// plus what an edit added or removed) are declared to its agent from the handshakes on, and
// it asks its agent to delete it from the chain (RequestDeletion). It keeps relaying what
// the old path still brings until the agent frees the session; from then on it does no work
// for the session at all (SPLICED_OUT; its sockets' leftovers are dropped).
//
// Subclasses change the relayed bytes through Edit() (DyscoContentModifier).
#ifndef DYSCO_PROXY_H
#define DYSCO_PROXY_H

#include "core/five_tuple.h"
#include "dysco-proxy-nat.h"
#include "ns3/application.h"
#include "ns3/data-rate.h"
#include "ns3/event-id.h"
#include "ns3/nstime.h"
#include "ns3/socket.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <unordered_map>
#include <vector>

namespace ns3
{

/// What the proxy did for one session; index 0 is client -> server, 1 server -> client.
struct DyscoProxySessionStats
{
    dysco::FiveTuple session;          ///< client -> server
    uint64_t bytesRead[2] = {0, 0};    ///< from the socket the direction arrives on
    uint64_t bytesRelayed[2] = {0, 0}; ///< handed to the other socket
    uint64_t relayOps = 0;             ///< socket reads and writes: the proxy's "CPU" work
    Time acceptedAt = Seconds(-1);
    Time spliceRequestedAt = Seconds(-1); ///< RequestDeletion; negative if never
    Time splicedOutAt = Seconds(-1);      ///< the agent freed the session; negative if not
    Time lastRelayAt = Seconds(-1);       ///< the last byte handed on
    /// Bytes relayed and operations at the moment the proxy asked to leave.
    uint64_t relayedAtRequest[2] = {0, 0};
    uint64_t relayOpsAtRequest = 0;
    /// Bytes relayed once spliced out: zero unless something is wrong.
    uint64_t relayedAfterSplice = 0;
    uint64_t relayOpsAfterSplice = 0;
    uint32_t spliceRequests = 0; ///< including retries after a refusal
};

class DyscoProxy : public Application
{
public:
    static TypeId GetTypeId();
    DyscoProxy();
    ~DyscoProxy() override;

    /// The node's packet half; created and installed on the node's agent by Install().
    Ptr<DyscoProxyNat> GetNat() const { return m_nat; }
    /// Creates the DyscoProxyNat, installs it as the node's middlebox and adds the proxy
    /// to the node. Call once per node, before the simulation starts.
    void Install(Ptr<Node> node);

    std::vector<DyscoProxySessionStats> GetAllStats() const;
    size_t GetSessionCount() const { return m_sessions.size(); }
    /// Asks to leave every session to server port `dstPort` it still relays (a scenario's
    /// scheduled splice of one bundle, Figure 11).
    void SpliceSessionsToPort(uint16_t dstPort);
    /// The proxy's work so far: relay CPU time (RelayRate; zero when unlimited) and bytes.
    Time GetBusyTime() const { return m_nat ? m_nat->GetBusyTime() : Time(0); }
    uint64_t GetRelayedBytes() const { return m_relayedBytes; }

    typedef void (*SpliceTracedCallback)(const DyscoProxySessionStats& stats);

protected:
    void DoDispose() override;

    /// Rewrites bytes [offset, offset + n) of direction `dir` (as read) into `out`;
    /// the default copies them. Returns false to keep the session from splicing yet.
    virtual void Edit(int dir, uint64_t offset, const uint8_t* data, uint32_t n,
                      std::vector<uint8_t>& out);
    /// True once the edits are done, so the proxy may leave (the default has none).
    virtual bool EditsDone(const DyscoProxySessionStats& /* stats */) const { return true; }
    /// Net length change of each direction, declared as part of the deltas.
    virtual int64_t EditDelta(int /* dir */) const { return 0; }

    /// The listening socket accepted `s`: the transparent proxy connects onward at once
    /// (DyscoSocksProxy first reads the client's request).
    virtual void OnAccept(Ptr<Socket> s, const Address& from);
    /// An onward socket bound to this node's address; `port` gets its port.
    Ptr<Socket> NewOnwardSocket(uint16_t* port);
    /// Relays between accepted socket `s` (DyscoProxyNat entry `natIndex`) and `out` from now
    /// on; returns the relay's index.
    size_t AddRelay(Ptr<Socket> s, size_t natIndex, Ptr<Socket> out);
    /// Asks the agent to delete the proxy from relay `relayIndex`'s session (once its deltas
    /// are known; retried as the attributes say).
    void RequestSplice(size_t relayIndex);
    /// The relay socket `s` belongs to (its side in `side`: 0 accepted, 1 onward), or -1.
    int64_t RelayOf(Ptr<Socket> s, int* side) const;
    /// A relay socket's peer closed (FIN), or the connection failed.
    void OnPeerClose(Ptr<Socket> s);
    void OnError(Ptr<Socket> s);
    /// The relay of DyscoProxyNat entry `natIndex`, or -1.
    int64_t RelayOfEntry(size_t natIndex) const;
    Ptr<Socket> OnwardSocket(size_t relayIndex) const { return m_relays[relayIndex].sock[1]; }
    Ptr<Socket> AcceptedSocket(size_t relayIndex) const { return m_relays[relayIndex].sock[0]; }
    /// The accepted socket of relay `relayIndex`, and marks both directions ended (a relay
    /// that never started: the onward connection failed).
    Ptr<Socket> EndRelay(size_t relayIndex);

private:
    struct Relay
    {
        Ptr<Socket> sock[2];             ///< [0] accepted (client side), [1] onward (server side)
        std::vector<uint8_t> pending[2]; ///< per direction: read, not yet written
        size_t pendingHead[2] = {0, 0};
        bool peerClosed[2] = {false, false}; ///< FIN arrived on the direction's input
        bool shut[2] = {false, false};       ///< FIN passed on to the direction's output
        size_t nat = 0;                      ///< entry index in the DyscoProxyNat
        size_t stats = 0;                    ///< index into m_sessions
        bool pumpPending[2] = {false, false};
        EventId timer;
    };

    void StartApplication() override;
    void StopApplication() override;

    bool OnConnectionRequest(Ptr<Socket> s, const Address& from);
    void OnRead(Ptr<Socket> s);
    void OnWritable(Ptr<Socket> s, uint32_t available);
    void Pump(size_t relayIndex, int dir);
    void OnSplicedOut(size_t natIndex);
    /// Writes what direction `dir` has pending as far as the output socket takes it.
    void Flush(Relay& r, int dir);
    void MaybeSplice(Relay& r);
    Relay* Find(Ptr<Socket> s, int* side);
    void ConfigureSocket(Ptr<Socket> s) const;

    uint64_t m_spliceAfterBytes = 0; ///< 0: not by bytes
    Time m_spliceAfter;              ///< 0: not by time
    Time m_retryAfter;
    uint32_t m_maxRequests = 4;
    uint32_t m_rcvBuf = 0; ///< its sockets' RcvBufSize (so its window scale); 0: default
    uint32_t m_sndBuf = 0;
    DataRate m_relayRate; ///< per session and direction; 0: unlimited
    uint64_t m_relayedBytes = 0;
    Ptr<DyscoProxyNat> m_nat;
    Ptr<Socket> m_listener;
    std::vector<Relay> m_relays;
    std::unordered_map<Socket*, std::pair<size_t, int>> m_bySocket; ///< -> relay, side
    std::vector<DyscoProxySessionStats> m_sessions;
    std::vector<uint8_t> m_buf;
    TracedCallback<const DyscoProxySessionStats&> m_spliceRequestedTrace;
    TracedCallback<const DyscoProxySessionStats&> m_splicedOutTrace;
};

} // namespace ns3

#endif
