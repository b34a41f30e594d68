// Puts Dysco on ns-3 nodes: the internet stack with the agent's hook, one DyscoAgent per
// node, policies and packet middleboxes. Pcap (e.g. PointToPointHelper::EnablePcapAll)
// keeps working and shows the subsession headers on the wire.
#ifndef DYSCO_HELPER_H
#define DYSCO_HELPER_H

#include "core/policy.h"
#include "dysco-agent.h"
#include "dysco-middlebox.h"
#include "dysco-stack-helper.h"
#include "ns3/ipv4-address.h"
#include "ns3/node-container.h"
#include "ns3/object-factory.h"

#include <string>
#include <vector>

namespace ns3
{

class DyscoHelper
{
public:
    DyscoHelper();

    /// Attribute of every DyscoAgent installed afterwards (IdleTimeout, CloseLinger, ...).
    void SetAgentAttribute(const std::string& name, const AttributeValue& value);
    /// The stack helper used by InstallStack (TCP type, traffic-control attributes).
    DyscoStackHelper& Stack() { return m_stack; }

    /// Internet stack with the Dysco hook plus an agent on each node. Call before
    /// Ipv4AddressHelper::Assign.
    void InstallStack(NodeContainer nodes) const;
    /// An agent on a node that already has a DyscoStackHelper stack.
    Ptr<DyscoAgent> InstallAgent(Ptr<Node> node) const;

    static Ptr<DyscoAgent> GetAgent(Ptr<Node> node);
    static void AddPolicy(Ptr<Node> node, const dysco::Policy& policy);
    static void SetMiddlebox(Ptr<Node> node, Ptr<DyscoMiddlebox> middlebox);

    /// A policy chaining TCP sessions to `server` (port `serverPort`, 0 = any) through
    /// `chain`, any source.
    static dysco::Policy MakePolicy(const std::string& name, Ipv4Address server,
                                    uint16_t serverPort, const std::vector<Ipv4Address>& chain);

private:
    DyscoStackHelper m_stack;
    ObjectFactory m_agentFactory;
};

} // namespace ns3

#endif
