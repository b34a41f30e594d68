#include "address_plan.h"

#include "units.h"

namespace dyscosim
{

AddressPlan::AddressPlan(const Scenario& s)
    : m_addresses(s.nodes.size())
{
    for (size_t i = 0; i < s.links.size(); ++i)
    {
        m_addresses.at(s.links[i].a).push_back(LinkSubnet(i) | 1);
        m_addresses.at(s.links[i].b).push_back(LinkSubnet(i) | 2);
    }
}

uint32_t
AddressPlan::LinkSubnet(size_t link)
{
    return (10u << 24) | uint32_t((link & 0xFFFF) << 8);
}

uint32_t
AddressPlan::FirstAddress(size_t node) const
{
    const auto& a = m_addresses.at(node);
    return a.empty() ? 0 : a.front();
}

std::string
NodesCsv(const Scenario& s, const AddressPlan& plan)
{
    std::string out = "node,role,middlebox,addresses\n";
    for (size_t i = 0; i < s.nodes.size(); ++i)
    {
        out += s.nodes[i].name + "," + ToString(s.nodes[i].role) + "," +
               ToString(s.nodes[i].middlebox) + ",";
        for (size_t k = 0; k < plan.Addresses(i).size(); ++k)
        {
            out += (k ? " " : "") + FormatIpv4(plan.Addresses(i)[k]);
        }
        out += "\n";
    }
    return out;
}

namespace
{

dysco::Prefix
Resolve(const PrefixSpec& p, const AddressPlan& plan)
{
    if (p.node)
    {
        return dysco::Prefix{plan.FirstAddress(*p.node), 32};
    }
    return dysco::Prefix{p.address, p.length};
}

} // namespace

dysco::Predicate
ResolvePredicate(const PolicySpec& p, const AddressPlan& plan)
{
    dysco::Predicate pred;
    pred.src = Resolve(p.src, plan);
    pred.dst = Resolve(p.dst, plan);
    pred.srcPorts = dysco::PortRange{p.srcPorts.low, p.srcPorts.high};
    pred.dstPorts = dysco::PortRange{p.dstPorts.low, p.dstPorts.high};
    pred.protocol = p.protocol;
    return pred;
}

std::vector<NodePolicy>
ResolvePolicies(const Scenario& s, const AddressPlan& plan)
{
    std::vector<NodePolicy> out;
    for (size_t i = 0; i < s.policies.size(); ++i)
    {
        const PolicySpec& p = s.policies[i];
        NodePolicy np;
        np.policy.keyId = p.key.empty() ? 0 : uint32_t(i + 1); // the runner installs key i+1
        np.node = p.at;
        np.policy.name = p.name;
        np.policy.predicate = ResolvePredicate(p, plan);
        for (size_t mb : p.chain)
        {
            np.policy.chain.push_back(plan.FirstAddress(mb));
        }
        out.push_back(std::move(np));
    }
    return out;
}

} // namespace dyscosim
