// A validated scenario: what the runner builds. Plain data, no ns-3 and no JSON, so the
// loader, the topology checks and the summary can be tested without a simulator.
// The file format is described in scenarios/README.md.
#ifndef DYSCOSIM_SCENARIO_H
#define DYSCOSIM_SCENARIO_H

#include "beamer_spec.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace dyscosim
{

enum class NodeRole
{
    kHost,
    kMiddlebox,
    kRouter,
};

const char* ToString(NodeRole role);

enum class MiddleboxKind
{
    kNone,      ///< the node only runs its agent (a chain hop that forwards unchanged)
    kMonitor,   ///< counts packets and bytes per session
    kSeqOffset, ///< shifts each session's sequence numbers (ISN randomisation), declares deltas
    kFirewall,  ///< stateful firewall: rules on first SYNs, drops sessions without state
    kNat,       ///< source NAT: outside (address, port) per session
    kCgnat,     ///< carrier-grade NAT: port blocks per subscriber over an outside pool
    kProxy,     ///< session-terminating TCP proxy that splices itself out (DyscoProxy)
    kContentModifier, ///< a proxy that replaces a range of the client -> server stream
    kBeamer,          ///< stateless load balancer with daisy chaining (DyscoBeamerMux)
    kClassifier,      ///< inserts the next middlebox by the session's class (dysco-classifier.h)
    kSocks,           ///< SOCKS-like explicit proxy, leaves after the handshake (DyscoSocksProxy)
};

/// True for the kinds whose per-session state can migrate (firewall, NAT, CGNAT).
bool IsStateful(MiddleboxKind kind);

const char* ToString(MiddleboxKind kind);

/// A time interval of the run; untilS < 0 means to the end.
struct TimeWindow
{
    double fromS = 0;
    double untilS = -1;
};

/// One direction's offset of a seq_offset middlebox: drawn per session, or fixed.
struct OffsetSpec
{
    bool random = true;
    uint32_t value = 0;
};

/// An IPv4 prefix in host byte order, as dysco::Prefix expects.
struct PrefixSpec
{
    uint32_t address = 0;
    uint8_t length = 0; ///< 0 matches everything
    /// When set, the prefix is this node's first address /32, resolved after addressing.
    std::optional<size_t> node;
};

struct PortRangeSpec
{
    uint16_t low = 0;
    uint16_t high = 65535;
};

/// A firewall rule: the first whose match fits a session's first SYN decides.
struct FirewallRuleSpec
{
    bool allow = true;
    PrefixSpec src;
    PrefixSpec dst;
    PortRangeSpec srcPorts;
    PortRangeSpec dstPorts;
};

/// Settings of the stateful middleboxes (scenarios/README.md, "firewall", "nat", "cgnat").
struct StatefulSpec
{
    bool defaultAllow = true;            ///< firewall: action when no rule matches
    std::vector<FirewallRuleSpec> rules; ///< firewall
    PrefixSpec inside;                   ///< nat, cgnat: sessions from here are translated
    std::vector<PrefixSpec> outside;     ///< nat: one address (default: the node's first);
                                         ///< cgnat: the pool (default: the node's first)
    PortRangeSpec ports{30000, 39999};   ///< nat, cgnat: outside ports
    uint16_t blockSize = 64;             ///< cgnat: ports per subscriber
};

/// A session-terminating middlebox (`proxy`): when it leaves the chain and how its own
/// connections differ from its peers'.
struct ProxySpec
{
    uint64_t spliceAfterBytes = 0; ///< client -> server bytes relayed; 0: not by bytes
    double spliceAfterS = 0;       ///< after accepting the session; 0: not by time
    uint16_t port = 9000;          ///< its listening socket
    bool randomIsn = true;         ///< ISN offsets of its two connections drawn per session
    uint32_t isn[2] = {0, 0};      ///< else fixed: [server side, client side]
    uint32_t rcvBufBytes = 0;      ///< its sockets' receive buffer (window scale); 0: tcp's
    uint32_t sndBufBytes = 0;      ///< 0: tcp's
    uint64_t relayRateBps = 0;     ///< per-session relay CPU rate; 0: free
    /// Scheduled splices (Figure 11): at `first` seconds, leave sessions to port `second`.
    std::vector<std::pair<double, uint16_t>> spliceAt;
};

/// The edit of a content modifier (`content_modifier`): content bytes [offset, offset +
/// remove) of every client -> server stream it terminates become `insert` bytes of its own.
struct EditSpec
{
    uint64_t offset = 0; ///< content offset (after the 8-byte stream id)
    uint32_t insert = 0;
    uint32_t remove = 0;
};

/// A classifier's rules (`classifier`): destination port and/or first bytes -> node to insert.
struct ClassifierSpec
{
    struct Rule
    {
        uint16_t dstPort = 0;        ///< 0: any
        std::vector<uint8_t> prefix; ///< empty: any
        size_t insert = 0;           ///< node index
    };
    std::vector<Rule> rules;
    std::optional<size_t> fallback; ///< `default`: node for unmatched sessions, or none
};

/// A forwarding node's processing capacity (model/ns3/dysco-box-cpu.h).
struct CpuSpec
{
    uint64_t rateBps = 0;
    uint32_t queue = 1000; ///< packets waiting at most
    uint32_t ecnAt = 50;   ///< ECN-capable packets are marked CE while this many wait
};

struct NodeSpec
{
    std::string name;
    NodeRole role = NodeRole::kHost;
    MiddleboxKind middlebox = MiddleboxKind::kNone;
    OffsetSpec seqOffset[2];        ///< seq_offset: [client -> server, server -> client]
    StatefulSpec stateful;          ///< firewall, nat, cgnat
    ProxySpec proxy;                ///< proxy, content_modifier
    EditSpec edit;                  ///< content_modifier
    BeamerSpec beamer;              ///< beamer
    ClassifierSpec classifier;      ///< classifier
    std::optional<TimeWindow> down; ///< every frame its devices receive is dropped meanwhile
    std::optional<CpuSpec> cpu;     ///< forwarded packets wait for the node's processing
};

/// Protocol phases a scenario can react to (data loss gates, FIN/RST injection).
enum class ProtocolPhase
{
    kLocking,    ///< a left anchor sent requestLock
    kLocked,     ///< an agent locked a subsession (ackLock passed)
    kNewPathSyn, ///< an anchor started the new path's handshake
    kTwoPaths,   ///< an anchor entered the two-path phase
    kCancelling, ///< a left anchor aborts with cancelLock
    kSucceeded,  ///< an anchor tore the old path down
    kAborted,    ///< a left anchor gave the reconfiguration up
};

const char* ToString(ProtocolPhase phase);

struct LinkSpec
{
    size_t a = 0; ///< index into Scenario::nodes
    size_t b = 0;
    uint64_t rateBps = 0;
    uint64_t delayNs = 0;
    double loss = 0.0;        ///< packet error rate applied at each receiving device
    double controlLoss = 0.0; ///< drop rate of Dysco control messages at each receiver
    double dataLoss = 0.0;    ///< drop rate of TCP segments with payload at each receiver
    TimeWindow dataLossWindow;
    bool dataLossInTwoPaths = false; ///< data loss only while some reconfiguration is in
                                     ///< its two-path phase
};

struct TcpSpec
{
    uint32_t segmentSize = 1448;
    bool sack = true;
    bool timestamps = true;
    bool windowScaling = true;
    uint32_t sndBufBytes = 131072; ///< ns-3's default socket buffers
    uint32_t rcvBufBytes = 131072;
    double minRtoS = 1.0;     ///< ns-3's default; Linux uses 0.2
    bool ecn = false;         ///< classic ECN (RFC 3168) at the hosts
    double delAckS = 0.2;     ///< delayed-ACK timeout: ns-3's default; Linux's minimum is 0.04
    uint32_t delAckCount = 2; ///< segments per delayed ACK (ns-3's default); 1: ACK each
};

struct PolicySpec
{
    std::string name; ///< "policy0" unless given
    size_t at = 0;    ///< node whose agent holds the policy (the session's first agent)
    PrefixSpec src;
    PrefixSpec dst;
    PortRangeSpec srcPorts;
    PortRangeSpec dstPorts;
    uint8_t protocol = 6;      ///< IANA number; 0 = any
    std::vector<size_t> chain; ///< middlebox nodes in traversal order
    std::string key;           ///< chain key (hex) for hmac control protection; empty: none
};

/// What a `via_socks` sender asks its proxy (socks_spec_loader.h).
enum class SocksRequestKind
{
    kConnect,    ///< a valid CONNECT to the traffic's server and port
    kBadVersion, ///< a request with the wrong version: refused as malformed
    kTruncated,  ///< half a request, then FIN: refused as malformed
    kRefused,    ///< a valid CONNECT to a port nobody listens on (kSocksRefusedPort)
};
constexpr uint16_t kSocksRefusedPort = 9; ///< no scenario application listens there

struct TrafficSpec
{
    size_t from = 0;
    size_t to = 0;
    uint32_t sessions = 1;
    uint64_t bytes = 0; ///< per session
    double startS = 0.0;
    double intervalS = 0.0;    ///< between consecutive session starts
    double startJitterS = 0.0; ///< each start delayed by U[0, this), seeded
    uint16_t port = 80;
    uint32_t sendSize = 0;          ///< bytes per socket write; 0 = the sender's default
    uint64_t reverseBytes = 0;      ///< per session, streamed back by the receiver
    uint64_t rateBps = 0;           ///< application write rate, each direction; 0 = unpaced
    std::optional<size_t> viaSocks; ///< connect through this SOCKS-like proxy node
    SocksRequestKind socksRequest = SocksRequestKind::kConnect;
    /// Application bytes each stream opens with, before its stream id (app_prefix.h).
    std::vector<uint8_t> prefix;
};

/// Which sessions a reconfiguration or an injection applies to.
struct SessionSelector
{
    std::optional<uint32_t> count; ///< the first `count` sessions by stream id; all if unset
    std::optional<size_t> traffic; ///< only sessions of this traffic entry
};

/// A reconfiguration the scenario triggers: either `deleteNode` asks to leave the chain
/// (RequestDeletion at that middlebox), or `leftAnchor` replaces the segment up to
/// `rightAnchor` by a path through `middleboxes` (empty: delete everything in between).
/// Moving a stateful middlebox's per-session state with a replacement (§3.4, Figure 14).
struct MigrationSpec
{
    size_t from = 0;          ///< the instance being replaced (on the old path)
    size_t to = 0;            ///< the new instance (on the new path)
    bool buffered = true;     ///< anchors hold new data (false: copy first, accept reordering)
    double transferS = 0.001; ///< state transfer latency
    bool corrupt = false;     ///< damage the exported state (the import must be refused)
};

struct ReconfigSpec
{
    double atS = 0;
    double jitterS = 0; ///< each session's start is at_s + U[0, jitter_s), seeded
    SessionSelector sessions;
    std::optional<size_t> deleteNode;
    size_t leftAnchor = 0;
    size_t rightAnchor = 0;
    std::vector<size_t> middleboxes;
    double retryAfterS = 0; ///< > 0: a refused, nacked or aborted request is retried
    uint32_t retries = 0;
    std::optional<MigrationSpec> migrate; ///< explicit replacements only
};

enum class InjectAction
{
    kFinClient, ///< the client ends its stream early (FIN)
    kFinServer, ///< the server ends its reverse stream early (FIN)
    kRstClient, ///< the client aborts the connection (RST)
    kRstServer, ///< the server aborts the connection (RST)
};

const char* ToString(InjectAction action);

/// Closes a session's endpoint when an agent reports a protocol phase for it (once per
/// session).
struct InjectionSpec
{
    InjectAction action = InjectAction::kFinClient;
    ProtocolPhase phase = ProtocolPhase::kLocking;
    std::optional<size_t> at; ///< the node whose agent reports the phase; any if unset
    SessionSelector sessions;
    double delayS = 0;
};

/// An attacker (README "Security"): from an off-path node, every `everyS` in
/// [startS, untilS], it sends the agents what it can make of the sessions it learns about.
struct AttackSpec
{
    size_t from = 0;
    double startS = 0;
    double everyS = 0.05;
    double untilS = -1;  ///< -1: until the end
    bool forge = false;  ///< every control message type, spoofed sources, wrong or no nonce
    bool replay = false; ///< control packets recorded on the chain's links, resent
    bool modify = false; ///< recorded control packets with a changed field and a new serial
    bool badSyn = false; ///< chain SYNs with looping, overlong and disallowed address lists
};

/// Agent attributes (DyscoAgent) for every node; unset keeps the agent's default.
struct AgentSpec
{
    std::optional<double> controlRtoS;
    std::optional<uint32_t> controlRetries;
    std::optional<double> synRtoS;
    std::optional<uint32_t> synRetries;
    std::optional<double> closeLingerS;
    std::optional<double> idleTimeoutS;
    // security (README "Security"): DyscoAgent's attributes of the same names
    std::optional<std::string> controlProtection; ///< "off", "nonce", "hmac"
    std::optional<double> halfOpenTimeoutS;
    std::optional<uint32_t> maxChainAddresses;
    std::optional<std::string> chainAllow; ///< "a.b.c.d/len,..."
    std::optional<bool> refuseWhenFull;
    std::optional<uint32_t> maxSessions;
};

/// Reductions `--quick` applies (each unset field leaves the scenario alone).
struct QuickSpec
{
    std::optional<double> durationS;
    std::optional<uint32_t> maxSessions; ///< per traffic entry
    std::optional<uint64_t> maxBytes;    ///< per session and direction
};

/// The NSH-style encapsulation baseline (model/ns3/nsh-chaining.*): a static chain along
/// the routed path. Edges encapsulate transit TCP (38 bytes) and decapsulate; functions
/// decapsulate, wait their cost and re-encapsulate. Empty edges: not used.
struct NshSpec
{
    std::vector<size_t> edges;
    std::vector<size_t> functions;
    double functionCostUs = 16.5;
};

struct PolicyServerSpec; // policy_server_spec.h

struct Scenario
{
    std::string file; ///< where it was loaded from, for messages
    std::string name;
    std::string description;
    uint32_t seed = 1;
    double durationS = 10.0;
    QuickSpec quick;
    std::vector<NodeSpec> nodes;
    std::vector<LinkSpec> links;
    TcpSpec tcp;
    std::vector<PolicySpec> policies;
    std::vector<TrafficSpec> traffic;
    AgentSpec agents;
    std::vector<ReconfigSpec> reconfigurations;
    std::vector<InjectionSpec> injections;
    std::vector<AttackSpec> attacks;
    NshSpec nsh;
    std::shared_ptr<const PolicyServerSpec> policyServer; ///< none if unset
    /// Delivered bytes per traffic entry are sampled this often (goodput.csv); 0: not.
    double goodputSampleS = 0.01;

    /// Index of the node called `name`, if any.
    std::optional<size_t> FindNode(const std::string& name) const;
    /// Total number of sessions over all traffic entries.
    uint64_t SessionCount() const;
};

/// The scenario with the `quick` reductions applied.
Scenario ApplyQuick(Scenario s);

} // namespace dyscosim

#endif
