#include "dysco-stack-helper.h"

#include "dysco-traffic-control-layer.h"
#include "ns3/arp-l3-protocol.h"
#include "ns3/icmpv4-l4-protocol.h"
#include "ns3/ipv4-global-routing-helper.h"
#include "ns3/ipv4-l3-protocol.h"
#include "ns3/ipv4-list-routing-helper.h"
#include "ns3/ipv4-static-routing-helper.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/packet-socket-factory.h"
#include "ns3/udp-l4-protocol.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("DyscoStackHelper");

DyscoStackHelper::DyscoStackHelper()
{
    m_tcpFactory.SetTypeId("ns3::TcpL4Protocol");
    m_tcFactory.SetTypeId(DyscoTrafficControlLayer::GetTypeId());
}

void
DyscoStackHelper::SetTcp(const std::string& typeId)
{
    m_tcpFactory.SetTypeId(typeId);
}

void
DyscoStackHelper::SetTrafficControlAttribute(const std::string& name, const AttributeValue& value)
{
    m_tcFactory.Set(name, value);
}

void
DyscoStackHelper::Install(NodeContainer nodes) const
{
    for (auto it = nodes.Begin(); it != nodes.End(); ++it)
    {
        Install(*it);
    }
}

void
DyscoStackHelper::Install(Ptr<Node> node) const
{
    NS_ABORT_MSG_IF(node->GetObject<Ipv4>(),
                    "DyscoStackHelper: node " << node->GetId() << " already has an Ipv4 stack");
    // Same order as InternetStackHelper::Install.
    node->AggregateObject(CreateObject<ArpL3Protocol>());
    node->AggregateObject(CreateObject<Ipv4L3Protocol>());
    node->AggregateObject(CreateObject<Icmpv4L4Protocol>());

    Ipv4StaticRoutingHelper staticRouting;
    Ipv4GlobalRoutingHelper globalRouting;
    Ipv4ListRoutingHelper listRouting;
    listRouting.Add(staticRouting, 0);
    listRouting.Add(globalRouting, -10);
    Ptr<Ipv4> ipv4 = node->GetObject<Ipv4>();
    ipv4->SetRoutingProtocol(listRouting.Create(node));

    Ptr<DyscoTrafficControlLayer> tc = m_tcFactory.Create<DyscoTrafficControlLayer>();
    node->AggregateObject(tc);
    node->AggregateObject(CreateObject<UdpL4Protocol>());
    node->AggregateObject(m_tcpFactory.Create<Object>());
    node->AggregateObject(CreateObject<PacketSocketFactory>());
    node->GetObject<ArpL3Protocol>()->SetTrafficControl(tc);
}

} // namespace ns3
