// The address plan and policies resolved from node names to addresses.
#include "address_plan.h"
#include "scenario_fixture.h"
#include "units.h"

#include <gtest/gtest.h>

namespace dyscosim::test
{
namespace
{

TEST(AddressPlan, OneSubnetPerLink)
{
    Scenario s = LoadScenarioText(ValidScenario().dump(), "ok.json");
    AddressPlan plan(s);
    EXPECT_EQ(FormatIpv4(AddressPlan::LinkSubnet(0)), "10.0.0.0");
    EXPECT_EQ(FormatIpv4(AddressPlan::LinkSubnet(2)), "10.0.2.0");
    EXPECT_EQ(FormatIpv4(AddressPlan::LinkSubnet(300)), "10.1.44.0");
    EXPECT_EQ(FormatIpv4(plan.FirstAddress(0)), "10.0.0.1"); // client: a of link 0
    EXPECT_EQ(FormatIpv4(plan.FirstAddress(1)), "10.0.0.2"); // mb1: b of link 0
    ASSERT_EQ(plan.Addresses(1).size(), 2u);
    EXPECT_EQ(FormatIpv4(plan.Addresses(1)[1]), "10.0.1.1"); // mb1: a of link 1
    EXPECT_EQ(FormatIpv4(plan.FirstAddress(3)), "10.0.2.2"); // server: b of link 2
}

TEST(AddressPlan, PoliciesUseFirstAddresses)
{
    nlohmann::json doc = ValidScenario();
    doc["policies"][0]["name"] = "web";
    doc["policies"][0]["match"] = {
        {"src", "10.0.0.0/24"}, {"dst", "server"}, {"dst_ports", "80-81"}, {"protocol", "any"}};
    Scenario s = LoadScenarioText(doc.dump(), "ok.json");
    AddressPlan plan(s);
    auto policies = ResolvePolicies(s, plan);
    ASSERT_EQ(policies.size(), 1u);
    EXPECT_EQ(policies[0].node, 0u);
    const dysco::Policy& p = policies[0].policy;
    EXPECT_EQ(p.name, "web");
    EXPECT_EQ(FormatIpv4(p.predicate.src.address), "10.0.0.0");
    EXPECT_EQ(p.predicate.src.length, 24);
    EXPECT_EQ(FormatIpv4(p.predicate.dst.address), "10.0.2.2");
    EXPECT_EQ(p.predicate.dst.length, 32);
    EXPECT_EQ(p.predicate.dstPorts.low, 80);
    EXPECT_EQ(p.predicate.dstPorts.high, 81);
    EXPECT_EQ(p.predicate.srcPorts.low, 0);
    EXPECT_EQ(p.predicate.srcPorts.high, 65535);
    EXPECT_EQ(p.predicate.protocol, 0);
    ASSERT_EQ(p.chain.size(), 2u);
    EXPECT_EQ(FormatIpv4(p.chain[0]), "10.0.0.2");
    EXPECT_EQ(FormatIpv4(p.chain[1]), "10.0.1.2");
}

} // namespace
} // namespace dyscosim::test
