#include "lb_spec_loader.h"

#include "scenario_error.h"

#include <algorithm>

namespace dyscosim
{

namespace
{

constexpr uint32_t kMaxBuckets = 65536;

/// The backend index of the node named by `v` in `backends`, or its node index when
/// `backends` is null; fails naming `path`.
size_t
BackendRef(const JsonObject& o, const std::string& path, const nlohmann::json& v, const Scenario& s,
           const std::vector<size_t>* backends)
{
    const std::string name = JsonToString(o.File(), path, v, "a node name");
    auto node = s.FindNode(name);
    if (!node)
    {
        throw ScenarioError(o.File(), path, "unknown node \"" + name + "\"");
    }
    if (!backends)
    {
        return *node;
    }
    auto it = std::find(backends->begin(), backends->end(), *node);
    if (it == backends->end())
    {
        throw ScenarioError(o.File(), path,
                            "\"" + name + "\" is not one of this load balancer's backends");
    }
    return size_t(it - backends->begin());
}

} // namespace

void
ParseBeamerSpec(const JsonObject& o, const Scenario& s, size_t self, BeamerSpec* out)
{
    o.AllowOnly({"buckets", "backends", "moves", "daisy_chaining"});
    BeamerSpec& b = *out;
    b.buckets = uint32_t(o.Unsigned("buckets", 1, kMaxBuckets, "a bucket count 1 to 65536"));
    const nlohmann::json& backends = o.Array("backends", "an array of backend node names", true);
    if (backends.empty())
    {
        o.Fail("backends", "expected at least one backend node");
    }
    for (size_t i = 0; i < backends.size(); ++i)
    {
        const std::string path = o.PathOf("backends") + "[" + std::to_string(i) + "]";
        const size_t node = BackendRef(o, path, backends[i], s, nullptr);
        if (node == self || s.nodes[node].role != NodeRole::kHost)
        {
            throw ScenarioError(o.File(), path,
                                "expected a host node, got \"" + s.nodes[node].name + "\"");
        }
        if (std::count(b.backends.begin(), b.backends.end(), node))
        {
            throw ScenarioError(o.File(), path,
                                "backend \"" + s.nodes[node].name + "\" is listed twice");
        }
        b.backends.push_back(node);
    }
    b.daisyChaining = o.Bool("daisy_chaining", true);
    const nlohmann::json& moves = o.Array("moves", "an array of bucket moves", false);
    for (size_t i = 0; i < moves.size(); ++i)
    {
        JsonObject m(o.File(), o.PathOf("moves") + "[" + std::to_string(i) + "]", moves[i],
                     "a bucket move {at_s, buckets, to}");
        m.AllowOnly({"at_s", "buckets", "to"});
        BeamerMoveSpec move;
        move.atS = m.Number("at_s", 0, 1e6, false, "a time in seconds");
        const nlohmann::json& list = m.Array("buckets", "an array of bucket numbers", true);
        for (size_t k = 0; k < list.size(); ++k)
        {
            move.buckets.push_back(uint32_t(JsonToUnsigned(
                o.File(), m.PathOf("buckets") + "[" + std::to_string(k) + "]", list[k], 0,
                b.buckets - 1, "a bucket number 0 to " + std::to_string(b.buckets - 1))));
        }
        move.to =
            BackendRef(m, m.PathOf("to"), m.Require("to", "a backend node name"), s, &b.backends);
        b.moves.push_back(move);
    }
}

} // namespace dyscosim
