// Installs the IPv4 internet stack with DyscoTrafficControlLayer in place of the stock
// TrafficControlLayer. InternetStackHelper cannot do it: it always aggregates the stock
// layer, and a second TrafficControlLayer aborts (ns3-notes.md). Same objects and routing
// (static + global list) as InternetStackHelper with IPv6 off; run before
// Ipv4AddressHelper::Assign, which wires the layer into each interface.
#ifndef DYSCO_STACK_HELPER_H
#define DYSCO_STACK_HELPER_H

#include "ns3/node-container.h"
#include "ns3/object-factory.h"

namespace ns3
{

class DyscoStackHelper
{
public:
    DyscoStackHelper();

    /// TCP implementation to aggregate (default ns3::TcpL4Protocol).
    void SetTcp(const std::string& typeId);
    /// Attribute of the DyscoTrafficControlLayer (e.g. RouteCacheTimeout).
    void SetTrafficControlAttribute(const std::string& name, const AttributeValue& value);

    void Install(NodeContainer nodes) const;
    void Install(Ptr<Node> node) const;

private:
    ObjectFactory m_tcpFactory;
    ObjectFactory m_tcFactory;
};

} // namespace ns3

#endif
