// The scenario topology as an undirected Boost.Graph: one vertex per node, one edge per link.
// It validates what a list of links cannot show locally (connectivity, chain reachability)
// and answers hop-distance questions, e.g. which instance of a middlebox type is nearest to
// a policy's node.
#ifndef DYSCOSIM_TOPOLOGY_GRAPH_H
#define DYSCOSIM_TOPOLOGY_GRAPH_H

#include "scenario.h"

#include <boost/graph/adjacency_list.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace dyscosim
{

class TopologyGraph
{
public:
    struct VertexData
    {
        std::string name;
    };
    struct EdgeData
    {
        size_t link = 0; ///< index into Scenario::links
    };
    using Graph =
        boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS, VertexData, EdgeData>;

    /// Vertex i is scenario node i. Throws ScenarioError on duplicate node names or links
    /// that name a node index out of range.
    explicit TopologyGraph(const Scenario& s);

    size_t NodeCount() const { return boost::num_vertices(m_graph); }
    const std::string& Name(size_t node) const { return m_graph[node].name; }
    std::optional<size_t> Index(const std::string& name) const;
    const Graph& GetGraph() const { return m_graph; }

    /// Hop counts from `from` to every node (BFS); nullopt where unreachable.
    const std::vector<std::optional<uint32_t>>& DistancesFrom(size_t from) const;
    std::optional<uint32_t> HopDistance(size_t from, size_t to) const;
    std::optional<uint32_t> HopDistance(const std::string& from, const std::string& to) const;

    /// The candidate with the fewest hops from `from` (the earliest listed on a tie), or
    /// nullopt if none is reachable.
    std::optional<size_t> NearestOf(size_t from, const std::vector<size_t>& candidates) const;
    std::optional<std::string> NearestOf(const std::string& from,
                                         const std::vector<std::string>& candidates) const;

    /// True when every node is reachable from every other.
    bool Connected() const;

private:
    Graph m_graph;
    /// BFS results per source, computed on first use (scenarios are small, queries many).
    mutable std::vector<std::vector<std::optional<uint32_t>>> m_distances;
    mutable std::vector<bool> m_computed;
};

/// Throws a ScenarioError (with the JSON path of the culprit) unless every policy's chain
/// is reachable from its node, every traffic pair is connected and the topology is connected.
void ValidateTopology(const Scenario& s);

} // namespace dyscosim

#endif
