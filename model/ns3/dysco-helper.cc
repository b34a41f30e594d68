#include "dysco-helper.h"

#include "dysco-traffic-control-layer.h"
#include "ns3/log.h"
#include "ns3/node.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("DyscoHelper");

DyscoHelper::DyscoHelper()
{
    m_agentFactory.SetTypeId(DyscoAgent::GetTypeId());
}

void
DyscoHelper::SetAgentAttribute(const std::string& name, const AttributeValue& value)
{
    m_agentFactory.Set(name, value);
}

void
DyscoHelper::InstallStack(NodeContainer nodes) const
{
    for (auto it = nodes.Begin(); it != nodes.End(); ++it)
    {
        m_stack.Install(*it);
        InstallAgent(*it);
    }
}

Ptr<DyscoAgent>
DyscoHelper::InstallAgent(Ptr<Node> node) const
{
    NS_ABORT_MSG_IF(node->GetObject<DyscoAgent>(),
                    "DyscoHelper: node " << node->GetId() << " already has a DyscoAgent");
    // Without the hook the agent would silently see nothing.
    NS_ABORT_MSG_IF(!node->GetObject<DyscoTrafficControlLayer>(),
                    "DyscoHelper: node " << node->GetId()
                                         << " has no DyscoStackHelper stack (stock "
                                            "InternetStackHelper?)");
    Ptr<DyscoAgent> agent = m_agentFactory.Create<DyscoAgent>();
    node->AggregateObject(agent);
    return agent;
}

Ptr<DyscoAgent>
DyscoHelper::GetAgent(Ptr<Node> node)
{
    return node->GetObject<DyscoAgent>();
}

void
DyscoHelper::AddPolicy(Ptr<Node> node, const dysco::Policy& policy)
{
    Ptr<DyscoAgent> agent = GetAgent(node);
    NS_ABORT_MSG_IF(!agent, "DyscoHelper::AddPolicy: node " << node->GetId() << " has no agent");
    agent->AddPolicy(policy);
}

void
DyscoHelper::SetMiddlebox(Ptr<Node> node, Ptr<DyscoMiddlebox> middlebox)
{
    Ptr<DyscoAgent> agent = GetAgent(node);
    NS_ABORT_MSG_IF(!agent, "DyscoHelper::SetMiddlebox: node " << node->GetId() << " has no agent");
    agent->SetMiddlebox(middlebox);
}

dysco::Policy
DyscoHelper::MakePolicy(const std::string& name, Ipv4Address server, uint16_t serverPort,
                        const std::vector<Ipv4Address>& chain)
{
    dysco::Policy p;
    p.name = name;
    p.predicate.dst = dysco::Prefix{server.Get(), 32};
    if (serverPort != 0)
    {
        p.predicate.dstPorts = dysco::PortRange{serverPort, serverPort};
    }
    for (const auto& a : chain)
    {
        p.chain.push_back(a.Get());
    }
    return p;
}

} // namespace ns3
