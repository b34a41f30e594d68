// Hop distances and nearest-instance choice on small topologies.
#include "scenario_fixture.h"
#include "topology_graph.h"

#include <gtest/gtest.h>

namespace dyscosim::test
{
namespace
{

/// Nodes named by `names`, links given as pairs of indices.
Scenario
Topology(const std::vector<std::string>& names, const std::vector<std::pair<size_t, size_t>>& l)
{
    Scenario s;
    s.file = "graph.json";
    for (const auto& n : names)
    {
        NodeSpec node;
        node.name = n;
        node.role = NodeRole::kMiddlebox;
        node.middlebox = MiddleboxKind::kNone;
        s.nodes.push_back(node);
    }
    for (const auto& [a, b] : l)
    {
        LinkSpec link;
        link.a = a;
        link.b = b;
        s.links.push_back(link);
    }
    return s;
}

TEST(TopologyGraph, HopDistancesOnALineAndABranch)
{
    //  c - r1 - r2 - s
    //       |
    //      fw1        fw2 hangs off r2
    Scenario s =
        Topology({"c", "r1", "r2", "s", "fw1", "fw2"}, {{0, 1}, {1, 2}, {2, 3}, {1, 4}, {2, 5}});
    TopologyGraph g(s);
    EXPECT_TRUE(g.Connected());
    EXPECT_EQ(g.HopDistance("c", "c"), 0u);
    EXPECT_EQ(g.HopDistance("c", "s"), 3u);
    EXPECT_EQ(g.HopDistance("s", "c"), 3u);
    EXPECT_EQ(g.HopDistance("c", "fw1"), 2u);
    EXPECT_EQ(g.HopDistance("c", "fw2"), 3u);
    EXPECT_EQ(g.HopDistance("fw1", "fw2"), 3u);
    EXPECT_EQ(g.HopDistance("c", "nobody"), std::nullopt);
    EXPECT_EQ(g.NearestOf("c", {"fw2", "fw1"}), std::optional<std::string>("fw1"));
    EXPECT_EQ(g.NearestOf("s", {"fw1", "fw2"}), std::optional<std::string>("fw2"));
    // A tie goes to the candidate listed first.
    EXPECT_EQ(g.NearestOf("r1", {"c", "fw1"}), std::optional<std::string>("c"));
    EXPECT_EQ(g.NearestOf("r1", {"fw1", "c"}), std::optional<std::string>("fw1"));
    EXPECT_EQ(g.NearestOf("c", {}), std::nullopt);
    EXPECT_EQ(g.NearestOf(size_t(0), {4, 5}), std::optional<size_t>(4));
}

TEST(TopologyGraph, CyclesTakeTheShortestWay)
{
    // A ring of six: the far side is three hops either way, neighbours one.
    Scenario s = Topology({"n0", "n1", "n2", "n3", "n4", "n5"},
                          {{0, 1}, {1, 2}, {2, 3}, {3, 4}, {4, 5}, {5, 0}});
    TopologyGraph g(s);
    EXPECT_EQ(g.HopDistance("n0", "n3"), 3u);
    EXPECT_EQ(g.HopDistance("n0", "n5"), 1u);
    EXPECT_EQ(g.HopDistance("n1", "n5"), 2u);
    EXPECT_EQ(g.NearestOf("n0", {"n3", "n4", "n2"}), std::optional<std::string>("n4"));
}

TEST(TopologyGraph, DisconnectedPartsAreUnreachable)
{
    Scenario s = Topology({"a", "b", "c", "d"}, {{0, 1}, {2, 3}});
    TopologyGraph g(s);
    EXPECT_FALSE(g.Connected());
    EXPECT_EQ(g.HopDistance("a", "c"), std::nullopt);
    EXPECT_EQ(g.NearestOf("a", {"c", "d"}), std::nullopt);
    EXPECT_EQ(g.NearestOf("a", {"c", "b"}), std::optional<std::string>("b"));
    try
    {
        ValidateTopology(s);
        FAIL() << "no error";
    }
    catch (const ScenarioError& e)
    {
        EXPECT_EQ(e.Path(), "$.nodes[2]");
    }
}

TEST(TopologyGraph, DuplicateNamesAreRefused)
{
    Scenario s = Topology({"a", "b", "a"}, {{0, 1}, {1, 2}});
    try
    {
        TopologyGraph g(s);
        FAIL() << "no error";
    }
    catch (const ScenarioError& e)
    {
        EXPECT_STREQ(e.what(), "graph.json: $.nodes[2].name: duplicate node name \"a\" (first "
                               "defined at $.nodes[0])");
    }
}

TEST(TopologyGraph, EdgesRememberTheirLink)
{
    Scenario s = Topology({"a", "b", "c"}, {{0, 1}, {1, 2}});
    TopologyGraph g(s);
    auto [e, found] = boost::edge(2, 1, g.GetGraph());
    ASSERT_TRUE(found);
    EXPECT_EQ(g.GetGraph()[e].link, 1u);
}

} // namespace
} // namespace dyscosim::test
