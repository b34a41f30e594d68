#include "topology_graph.h"

#include "scenario_error.h"

#include <boost/graph/breadth_first_search.hpp>
#include <limits>
#include <map>

namespace dyscosim
{

namespace
{

std::string
ElementPath(const char* array, size_t i)
{
    return std::string("$.") + array + "[" + std::to_string(i) + "]";
}

} // namespace

TopologyGraph::TopologyGraph(const Scenario& s)
    : m_graph(s.nodes.size())
    , m_distances(s.nodes.size())
    , m_computed(s.nodes.size(), false)
{
    std::map<std::string, size_t> seen;
    for (size_t i = 0; i < s.nodes.size(); ++i)
    {
        auto [it, fresh] = seen.emplace(s.nodes[i].name, i);
        if (!fresh)
        {
            throw ScenarioError(s.file, ElementPath("nodes", i) + ".name",
                                "duplicate node name \"" + s.nodes[i].name +
                                    "\" (first defined at " + ElementPath("nodes", it->second) +
                                    ")");
        }
        m_graph[i].name = s.nodes[i].name;
    }
    for (size_t i = 0; i < s.links.size(); ++i)
    {
        const LinkSpec& l = s.links[i];
        if (l.a >= s.nodes.size() || l.b >= s.nodes.size())
        {
            throw ScenarioError(s.file, ElementPath("links", i), "link end is not a node");
        }
        boost::add_edge(l.a, l.b, EdgeData{i}, m_graph);
    }
}

std::optional<size_t>
TopologyGraph::Index(const std::string& name) const
{
    for (size_t i = 0; i < NodeCount(); ++i)
    {
        if (m_graph[i].name == name)
        {
            return i;
        }
    }
    return std::nullopt;
}

const std::vector<std::optional<uint32_t>>&
TopologyGraph::DistancesFrom(size_t from) const
{
    if (!m_computed.at(from))
    {
        constexpr uint32_t kUnreached = std::numeric_limits<uint32_t>::max();
        std::vector<uint32_t> d(NodeCount(), kUnreached);
        d[from] = 0;
        boost::breadth_first_search(m_graph, boost::vertex(from, m_graph),
                                    boost::visitor(boost::make_bfs_visitor(
                                        boost::record_distances(d.data(), boost::on_tree_edge()))));
        auto& out = m_distances[from];
        out.assign(NodeCount(), std::nullopt);
        for (size_t i = 0; i < d.size(); ++i)
        {
            if (d[i] != kUnreached)
            {
                out[i] = d[i];
            }
        }
        m_computed[from] = true;
    }
    return m_distances[from];
}

std::optional<uint32_t>
TopologyGraph::HopDistance(size_t from, size_t to) const
{
    return DistancesFrom(from).at(to);
}

std::optional<uint32_t>
TopologyGraph::HopDistance(const std::string& from, const std::string& to) const
{
    auto a = Index(from);
    auto b = Index(to);
    if (!a || !b)
    {
        return std::nullopt;
    }
    return HopDistance(*a, *b);
}

std::optional<size_t>
TopologyGraph::NearestOf(size_t from, const std::vector<size_t>& candidates) const
{
    const auto& d = DistancesFrom(from);
    std::optional<size_t> best;
    for (size_t c : candidates)
    {
        if (c < d.size() && d[c] && (!best || *d[c] < *d[*best]))
        {
            best = c;
        }
    }
    return best;
}

std::optional<std::string>
TopologyGraph::NearestOf(const std::string& from, const std::vector<std::string>& candidates) const
{
    auto source = Index(from);
    if (!source)
    {
        return std::nullopt;
    }
    std::vector<size_t> indices;
    for (const auto& c : candidates)
    {
        if (auto i = Index(c))
        {
            indices.push_back(*i);
        }
    }
    auto best = NearestOf(*source, indices);
    if (!best)
    {
        return std::nullopt;
    }
    return Name(*best);
}

bool
TopologyGraph::Connected() const
{
    if (NodeCount() == 0)
    {
        return true;
    }
    for (const auto& d : DistancesFrom(0))
    {
        if (!d)
        {
            return false;
        }
    }
    return true;
}

void
ValidateTopology(const Scenario& s)
{
    TopologyGraph g(s);
    for (size_t i = 0; i < s.policies.size(); ++i)
    {
        const PolicySpec& p = s.policies[i];
        for (size_t k = 0; k < p.chain.size(); ++k)
        {
            if (!g.HopDistance(p.at, p.chain[k]))
            {
                throw ScenarioError(
                    s.file, ElementPath("policies", i) + ".chain[" + std::to_string(k) + "]",
                    "middlebox \"" + g.Name(p.chain[k]) + "\" is not reachable from \"" +
                        g.Name(p.at) + "\" (the policy's node): no path of links joins them");
            }
        }
    }
    for (size_t i = 0; i < s.traffic.size(); ++i)
    {
        const TrafficSpec& t = s.traffic[i];
        if (!g.HopDistance(t.from, t.to))
        {
            throw ScenarioError(s.file, ElementPath("traffic", i) + ".to",
                                "host \"" + g.Name(t.to) + "\" is not reachable from \"" +
                                    g.Name(t.from) + "\": no path of links joins them");
        }
    }
    const auto& d = g.DistancesFrom(0);
    for (size_t i = 0; i < d.size(); ++i)
    {
        if (!d[i])
        {
            throw ScenarioError(s.file, ElementPath("nodes", i),
                                "topology is not connected: node \"" + g.Name(i) +
                                    "\" has no path of links to \"" + g.Name(0) +
                                    "\"; add a link for it in $.links");
        }
    }
}

} // namespace dyscosim
