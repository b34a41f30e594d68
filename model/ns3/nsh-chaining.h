// NSH-style encapsulation chaining, the baseline Dysco is compared with (Chaining-Box
// thesis, reference 004): a static service chain along the routed path. An *edge* node
// encapsulates every TCP packet it forwards (classifier: +38 bytes, service index = number
// of functions) and decapsulates encapsulated ones (the chain's end); a *function* node
// decapsulates, processes for FunctionCost, decrements the service index and re-encapsulates.
// No reconfiguration: the chain is fixed by where the nodes sit.
//
// It is an Ipv4RoutingProtocol put first in a node's list routing, so it sees forwarded
// packets in RouteInput, where it may replace the packet and its header; everything else
// falls through to the node's other routing protocols. Links must carry 1500 + 38 bytes.
#ifndef DYSCO_NSH_CHAINING_H
#define DYSCO_NSH_CHAINING_H

#include "ns3/ipv4-routing-protocol.h"
#include "ns3/nstime.h"

#include <cstdint>

namespace ns3
{

class Node;

class NshChaining : public Ipv4RoutingProtocol
{
public:
    enum Role
    {
        EDGE,
        FUNCTION,
    };

    static TypeId GetTypeId();
    NshChaining();

    /// Puts a new NshChaining first in `node`'s list routing (after the stack is installed).
    static Ptr<NshChaining> Install(Ptr<Node> node, Role role, Time functionCost,
                                    uint8_t functions);

    Ptr<Ipv4Route> RouteOutput(Ptr<Packet> p, const Ipv4Header& header, Ptr<NetDevice> oif,
                               Socket::SocketErrno& sockerr) override;
    bool RouteInput(Ptr<const Packet> p, const Ipv4Header& header, Ptr<const NetDevice> idev,
                    UnicastForwardCallback ucb, MulticastForwardCallback mcb,
                    LocalDeliverCallback lcb, ErrorCallback ecb) override;
    void NotifyInterfaceUp(uint32_t) override {}
    void NotifyInterfaceDown(uint32_t) override {}
    void NotifyAddAddress(uint32_t, Ipv4InterfaceAddress) override {}
    void NotifyRemoveAddress(uint32_t, Ipv4InterfaceAddress) override {}
    void SetIpv4(Ptr<Ipv4> ipv4) override;
    void PrintRoutingTable(Ptr<OutputStreamWrapper> stream,
                           Time::Unit unit = Time::S) const override;

    uint64_t GetEncapsulated() const { return m_encapsulated; }
    uint64_t GetDecapsulated() const { return m_decapsulated; }
    uint64_t GetProcessed() const { return m_processed; }

protected:
    void DoDispose() override;

private:
    /// Forwards on the route the node's other protocols choose for the header's destination.
    bool Forward(Ptr<Packet> p, const Ipv4Header& h, UnicastForwardCallback ucb);

    Ptr<Ipv4> m_ipv4;
    Role m_role = EDGE;
    Time m_functionCost;
    uint8_t m_functions = 1; ///< service index an edge starts packets with
    uint32_t m_spi = 1;
    uint64_t m_encapsulated = 0;
    uint64_t m_decapsulated = 0;
    uint64_t m_processed = 0;
};

} // namespace ns3

#endif
