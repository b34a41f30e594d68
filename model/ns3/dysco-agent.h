// The Dysco agent of one ns-3 node: owns the protocol core (dysco::Agent) and the node's
// packet middlebox, and is driven by DyscoTrafficControlLayer, which hands it every IPv4
// packet the node sends or receives. Aggregated to the Node (DyscoHelper does it).
#ifndef DYSCO_AGENT_H
#define DYSCO_AGENT_H

#include "core/agent.h"
#include "dysco-middlebox.h"
#include "ns3/ipv4-address.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/packet.h"
#include "ns3/traced-callback.h"

#include <memory>
#include <vector>

namespace ns3
{

class DyscoTrafficControlLayer;
class Ipv4;
class Node;

class DyscoAgent : public Object
{
public:
    static TypeId GetTypeId();
    DyscoAgent();
    ~DyscoAgent() override;

    /// Why the binding dropped a packet.
    enum DropReason
    {
        DROP_AGENT,     ///< the core returned Verdict::kDrop (see the AgentEvent trace)
        DROP_MIDDLEBOX, ///< the node's packet middlebox refused it
    };

    /// The protocol core, built on first use from the attributes.
    dysco::Agent& GetCore();
    void AddPolicy(const dysco::Policy& policy);
    void SetMiddlebox(Ptr<DyscoMiddlebox> middlebox);
    Ptr<DyscoMiddlebox> GetMiddlebox() const;

    /// The agent's own address (first non-loopback interface address), discovering it if
    /// needed; 0.0.0.0 while the node has none.
    Ipv4Address GetAddress();
    /// Re-reads the node's addresses (call after adding addresses during a run).
    void RefreshAddresses();

    // --- reconfiguration (§3): thin wrappers that also send what the core queued ---

    /// This agent (left anchor) replaces the segment up to `rightAnchor` by a path through
    /// `middleboxes`; `session` is the session header on its right side. Request id, or 0.
    uint32_t Reconfigure(const dysco::FiveTuple& session, Ipv4Address rightAnchor,
                         const std::vector<Ipv4Address>& middleboxes);
    /// The middlebox on this node leaves the chain of `session` (its left-side header).
    bool RequestDeletion(const dysco::FiveTuple& session);
    /// Sequence deltas of this node's middlebox for `session` (proxy, content modifier).
    bool SetMiddleboxDelta(const dysco::FiveTuple& session, dysco::SeqDelta clientToServer,
                           dysco::SeqDelta serverToClient);
    /// After calling GetCore() methods directly: sends queued packets, arms the timers.
    void Service();

    size_t GetSessionCount() const;
    /// The core's counters (packets, rewritten, passed, drops by reason, sessions).
    dysco::AgentCounters GetCounters() const;
    uint64_t GetDropCount() const { return m_drops; } ///< all packets the binding dropped
    uint64_t GetMiddleboxDropCount() const { return m_mbDrops; }
    uint64_t GetRerouteCount() const { return m_reroutes; } ///< egress packets re-sent via Ipv4
    uint64_t GetOriginatedCount() const { return m_originated; } ///< packets the core queued
    uint64_t GetUnsendableCount() const { return m_unsendable; } ///< ... that could not be sent

    // --- called by DyscoTrafficControlLayer ---

    /// Runs the core on one packet (raw IPv4 bytes, see core/agent.h) at the current time.
    dysco::Verdict Process(dysco::Direction dir, std::vector<uint8_t>& packet);
    void NotifyDrop(Ptr<const Packet> packet, dysco::Direction dir, DropReason reason);
    void NotifyReroute(Ptr<const Packet> packet, Ipv4Address oldDst, Ipv4Address newDst);
    /// Sends the packets the core queued (control messages, handshakes, split segments).
    void FlushOutputs();
    /// True if someone listens to LocalSegment (the hook skips the work otherwise).
    bool IsLocalSegmentTraced() const { return !m_localSegmentTrace.IsEmpty(); }
    /// A TCP packet of this node's own stack: leaving it (egress, before the agent's rewrite)
    /// or arriving for it (ingress, after the rewrite). Raw IPv4 bytes, headers at least.
    void NotifyLocalSegment(dysco::Direction dir, const std::vector<uint8_t>& packet);
    /// True if `ip` (host order) is one of this node's addresses.
    bool IsLocalAddress(uint32_t ip);

    /// Flushes the agent's queued packets when the hook is done with the current packet,
    /// so they follow it and never reenter the hook while its buffers are in use.
    class OutputFlusher
    {
    public:
        explicit OutputFlusher(DyscoAgent* agent)
            : m_agent(agent)
        {
        }
        ~OutputFlusher() { m_agent->FlushOutputs(); }
        OutputFlusher(const OutputFlusher&) = delete;
        OutputFlusher& operator=(const OutputFlusher&) = delete;

    private:
        DyscoAgent* m_agent;
    };

    typedef void (*AgentEventTracedCallback)(const dysco::AgentEvent& event);
    typedef void (*DropTracedCallback)(Ptr<const Packet> packet, dysco::Direction dir,
                                       DropReason reason);
    /// TCP tuple before and after a translation (wire tuple or session header).
    typedef void (*RewriteTracedCallback)(dysco::Direction dir, const dysco::FiveTuple& before,
                                          const dysco::FiveTuple& after);
    typedef void (*RerouteTracedCallback)(Ptr<const Packet> packet, Ipv4Address oldDst,
                                          Ipv4Address newDst);
    typedef void (*LocalSegmentTracedCallback)(dysco::Direction dir,
                                               const std::vector<uint8_t>& packet);

protected:
    void NotifyNewAggregate() override;
    void DoDispose() override;

private:
    void ConfigChanged();
    void BuildCore();
    void EnsureAddresses();
    void MaybeScheduleExpiry();
    void Expire(uint64_t generation);
    /// Schedules OnTimer for the core's next deadline (earlier than any pending one).
    void ArmTimer();
    void OnTimer(uint64_t generation);
    /// Runs `method(generation)` after `delay` in this node's context. ScheduleWithContext
    /// gives no EventId, so superseded events are recognised by their generation instead.
    void ScheduleHere(Time delay, void (DyscoAgent::*method)(uint64_t), uint64_t generation);

    // attribute accessors: changing the configuration rebuilds an idle core
    void SetIdleTimeout(Time t);
    Time GetIdleTimeout() const;
    void SetCloseLinger(Time t);
    Time GetCloseLinger() const;
    void SetFirstPort(uint16_t p);
    uint16_t GetFirstPort() const;
    void SetLastPort(uint16_t p);
    uint16_t GetLastPort() const;
    void SetMaxSessions(uint32_t n);
    uint32_t GetMaxSessions() const;
    void SetControlRto(Time t);
    Time GetControlRto() const;
    void SetControlRetries(uint32_t n);
    uint32_t GetControlRetries() const;
    void SetSynRto(Time t);
    Time GetSynRto() const;
    void SetSynRetries(uint32_t n);
    uint32_t GetSynRetries() const;
    // security (dysco-security-attributes.h)
    void SetControlProtection(std::string p);
    std::string GetControlProtection() const;
    void SetControlKeys(std::string keys);
    std::string GetControlKeys() const;
    void SetChainAllowList(std::string prefixes);
    std::string GetChainAllowList() const;
    void SetNonceSeed(uint64_t seed);
    uint64_t GetNonceSeed() const;
    void SetMaxChainAddresses(uint32_t n);
    uint32_t GetMaxChainAddresses() const;
    void SetRefuseWhenFull(bool refuse);
    bool GetRefuseWhenFull() const;
    void SetHalfOpenTimeout(Time t);
    Time GetHalfOpenTimeout() const;
    std::string m_controlKeysText;
    std::string m_allowListText;

    dysco::AgentConfig m_config;
    std::unique_ptr<dysco::Agent> m_core;
    Ptr<DyscoMiddlebox> m_middlebox;
    Ptr<Node> m_node;
    Ptr<Ipv4> m_ipv4;
    Ptr<DyscoTrafficControlLayer> m_tc;
    uint32_t m_knownInterfaces = 0; ///< interface count at the last address discovery

    Time m_expiryInterval;
    bool m_expiryPending = false;
    uint64_t m_expiryGeneration = 0;
    uint64_t m_timerGeneration = 0;      ///< only the timer event of this generation counts
    uint64_t m_timerAtNs = UINT64_MAX;   ///< deadline of the pending timer, UINT64_MAX if none
    uint64_t m_lastTimerNs = UINT64_MAX; ///< when OnTimer last ran

    uint64_t m_drops = 0;
    uint64_t m_mbDrops = 0;
    uint64_t m_reroutes = 0;
    uint64_t m_originated = 0;
    uint64_t m_unsendable = 0;
    bool m_flushing = false;

    TracedCallback<const dysco::AgentEvent&> m_eventTrace;
    TracedCallback<Ptr<const Packet>, dysco::Direction, DropReason> m_dropTrace;
    TracedCallback<dysco::Direction, const dysco::FiveTuple&, const dysco::FiveTuple&>
        m_rewriteTrace;
    TracedCallback<Ptr<const Packet>, Ipv4Address, Ipv4Address> m_rerouteTrace;
    TracedCallback<dysco::Direction, const std::vector<uint8_t>&> m_localSegmentTrace;
    TracedCallback<const std::vector<uint8_t>&> m_originatedTrace;
};

} // namespace ns3

#endif
