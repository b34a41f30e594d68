// Test topologies for the ns-3 binding: a line client - mb1 - ... - mbK - server of
// point-to-point links with Dysco on every node, a policy at the client chaining sessions
// to the server through [mb1..mbK], a DyscoMonitor on each middlebox, and helpers to add
// the byte-exact stream applications.
#ifndef DYSCO_TESTS_LINE_TOPOLOGY_H
#define DYSCO_TESTS_LINE_TOPOLOGY_H

#include "ns3/core-module.h"
#include "ns3/csma-module.h"
#include "ns3/dysco-helper.h"
#include "ns3/dysco-monitor.h"
#include "ns3/dysco-traffic-control-layer.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/stream-pattern.h"
#include "ns3/stream-receiver.h"
#include "ns3/stream-sender.h"

#include <gtest/gtest.h>
#include <string>
#include <vector>

namespace dysco
{
namespace test
{

/// ns-3 globals every test uses: checksums on (so every rewrite must keep them right),
/// Ethernet-like segments. Call before creating nodes.
void ConfigureNs3Defaults();

/// Resets the simulator after each test.
class Ns3Test : public ::testing::Test
{
protected:
    void SetUp() override { ConfigureNs3Defaults(); }
    void TearDown() override { ns3::Simulator::Destroy(); }
};

struct LineOptions
{
    uint32_t middleboxes = 0;
    std::string rate = "1Gbps";
    std::string delay = "1ms";
    bool policy = true;     ///< chain the client's sessions through the middleboxes
    bool monitors = true;   ///< a DyscoMonitor on each middlebox
    std::string pcapPrefix; ///< non-empty: EnablePcapAll(pcapPrefix)
    bool csma = false;      ///< two-node CSMA segments (ARP, Ethernet) instead of PPP
    double lossRate = 0;    ///< packet error rate on every link's receivers
};

class LineTopology
{
public:
    static constexpr uint16_t kServerPort = 5001;

    explicit LineTopology(const LineOptions& options);

    ns3::Ptr<ns3::Node> Client() const { return nodes.Get(0); }
    ns3::Ptr<ns3::Node> Server() const { return nodes.Get(nodes.GetN() - 1); }
    ns3::Ptr<ns3::Node> Middlebox(uint32_t i) const { return nodes.Get(1 + i); } ///< 0-based
    /// The address a node's agent uses: its first interface address (left link side).
    ns3::Ipv4Address AgentAddress(uint32_t node) const;
    ns3::Ipv4Address ServerAddress() const { return AgentAddress(nodes.GetN() - 1); }
    ns3::Ptr<ns3::DyscoAgent> Agent(uint32_t node) const;

    ns3::Ptr<ns3::DyscoStreamReceiver> AddReceiver(double startS = 0.0);
    ns3::Ptr<ns3::DyscoStreamSender> AddSender(uint64_t streamId, uint64_t bytes,
                                               double startS = 0.1);

    ns3::NodeContainer nodes;
    std::vector<ns3::NetDeviceContainer> links; ///< link i joins node i and node i+1
    std::vector<ns3::Ipv4InterfaceContainer> interfaces;
    std::vector<ns3::Ptr<ns3::DyscoMonitor>> monitors; ///< per middlebox
};

/// The session five-tuple of a connected sender (client address/port -> server).
FiveTuple SessionOf(ns3::Ptr<ns3::DyscoStreamSender> sender);

/// Asserts the receiver holds exactly one closed, intact record per stream id in `ids`,
/// each with `bytes` content bytes.
void ExpectAllDelivered(ns3::Ptr<ns3::DyscoStreamReceiver> receiver,
                        const std::vector<uint64_t>& ids, uint64_t bytes);

} // namespace test
} // namespace dysco

#endif
