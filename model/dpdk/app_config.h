// The configuration of dyscosim-dpdk: which emulated hosts (one agent each) the process runs,
// their addresses and ports, their policies and scheduled reconfigurations. The JSON format
// (model/dpdk/README.md) reuses the scenario files' node names, roles and policy objects,
// and the scenario loader's strict JSON helpers: every error names the file and JSON path.
// No DPDK here, so the loader is testable on its own.
#ifndef DYSCO_DPDK_APP_CONFIG_H
#define DYSCO_DPDK_APP_CONFIG_H

#include "core/agent.h"
#include "core/policy.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace dysco::dpdk
{

using MacAddress = std::array<uint8_t, 6>;

/// Network-side port name that means "the in-process network joining all such agents".
constexpr const char* kFabricPort = "fabric";

struct NodeConfig
{
    std::string name;
    bool middlebox = false;  ///< role "middlebox": may be listed in chains
    uint32_t address = 0;    ///< the emulated host's IPv4 address (host order)
    std::string hostPort;    ///< DPDK device toward the host's stack, e.g. "net_tap0"
    std::string networkPort; ///< DPDK device toward the network, or kFabricPort
    /// The host's MAC; learnt from its frames (and asked for by ARP) when not given.
    std::optional<MacAddress> hostMac;
    /// Destination MAC of frames sent on a DPDK network port (a point-to-point link).
    MacAddress networkPeerMac = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
};

/// "At atS seconds after start, agent `node` (left anchor) reconfigures each of its sessions
/// that has a subsession to its right: the segment up to rightAnchor is replaced by a path
/// through `middleboxes` (empty: the middleboxes in between are deleted)."
struct ReconfigSpec
{
    double atS = 0.0;
    size_t node = 0;
    uint32_t rightAnchor = 0;
    std::vector<uint32_t> middleboxes;
};

struct AppConfig
{
    std::string file;
    std::string name;
    std::vector<NodeConfig> nodes;
    /// Per node: its policies in file order (the first match wins).
    std::vector<std::vector<dysco::Policy>> policies;
    std::vector<ReconfigSpec> reconfigurations;
    dysco::AgentConfig agent; ///< timers and limits shared by every agent (address unset)

    /// Index of the node called `name`, or of the node with address `name`, if any.
    std::optional<size_t> FindNode(const std::string& name) const;
};

/// Reads and validates `path`; throws dyscosim::ScenarioError (file, JSON path, message).
AppConfig LoadAppConfigFile(const std::string& path);

/// Validates `text` as if read from `file` (used in messages only).
AppConfig LoadAppConfigText(const std::string& text, const std::string& file);

/// "02:00:00:00:00:01" (case-insensitive hex, colon-separated) -> bytes.
bool ParseMac(const std::string& text, MacAddress* mac);
std::string FormatMac(const MacAddress& mac);

} // namespace dysco::dpdk

#endif
