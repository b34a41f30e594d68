// A validated scenario: what the runner builds. Plain data, no ns-3 and no JSON, so the
// loader, the topology checks and the summary can be tested without a simulator.
// The file format is described in scenarios/README.md.
#ifndef DYSCOSIM_SCENARIO_H
#define DYSCOSIM_SCENARIO_H

#include <cstdint>
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
    kNone,    ///< the node only runs its agent (a chain hop that forwards unchanged)
    kMonitor, ///< counts packets and bytes per session
};

const char* ToString(MiddleboxKind kind);

struct NodeSpec
{
    std::string name;
    NodeRole role = NodeRole::kHost;
    MiddleboxKind middlebox = MiddleboxKind::kNone;
};

struct LinkSpec
{
    size_t a = 0; ///< index into Scenario::nodes
    size_t b = 0;
    uint64_t rateBps = 0;
    uint64_t delayNs = 0;
    double loss = 0.0; ///< packet error rate applied at each receiving device
};

struct TcpSpec
{
    uint32_t segmentSize = 1448;
    bool sack = true;
    bool timestamps = true;
    bool windowScaling = true;
    uint32_t sndBufBytes = 131072; ///< ns-3's default socket buffers
    uint32_t rcvBufBytes = 131072;
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
};

struct TrafficSpec
{
    size_t from = 0;
    size_t to = 0;
    uint32_t sessions = 1;
    uint64_t bytes = 0; ///< per session
    double startS = 0.0;
    double intervalS = 0.0; ///< between consecutive session starts
    uint16_t port = 80;
    uint32_t sendSize = 0; ///< bytes per socket write; 0 = the sender's default
};

/// Reductions `--quick` applies (each unset field leaves the scenario alone).
struct QuickSpec
{
    std::optional<double> durationS;
    std::optional<uint32_t> maxSessions; ///< per traffic entry
    std::optional<uint64_t> maxBytes;    ///< per session
};

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

    /// Index of the node called `name`, if any.
    std::optional<size_t> FindNode(const std::string& name) const;
    /// Total number of sessions over all traffic entries.
    uint64_t SessionCount() const;
};

/// The scenario with the `quick` reductions applied.
Scenario ApplyQuick(Scenario s);

} // namespace dyscosim

#endif
