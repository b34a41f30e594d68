#include "stream_edits.h"

#include "scenario_error.h"

namespace dyscosim
{

namespace
{
/// The client port the policies are matched with: ns-3's first ephemeral port.
constexpr uint16_t kClientPort = 49152;
} // namespace

std::vector<std::optional<TrafficEdit>>
TrafficEdits(const Scenario& s, const AddressPlan& plan)
{
    const std::vector<NodePolicy> policies = ResolvePolicies(s, plan);
    std::vector<std::optional<TrafficEdit>> out(s.traffic.size());
    for (size_t t = 0; t < s.traffic.size(); ++t)
    {
        const TrafficSpec& tr = s.traffic[t];
        const dysco::FiveTuple session{plan.FirstAddress(tr.from), plan.FirstAddress(tr.to),
                                       kClientPort, tr.port, dysco::kProtoTcp};
        for (size_t p = 0; p < policies.size(); ++p)
        {
            if (policies[p].node != tr.from || !policies[p].policy.predicate.Matches(session))
            {
                continue;
            }
            for (size_t mb : s.policies[p].chain)
            {
                if (s.nodes[mb].middlebox != MiddleboxKind::kContentModifier)
                {
                    continue;
                }
                const std::string path = "$.policies[" + std::to_string(p) + "].chain";
                if (out[t])
                {
                    throw ScenarioError(s.file, path,
                                        "a chain may hold one content_modifier; \"" +
                                            s.nodes[out[t]->node].name + "\" and \"" +
                                            s.nodes[mb].name + "\" both edit traffic entry " +
                                            std::to_string(t));
                }
                if (!tr.prefix.empty())
                {
                    // Its edit offset counts from the stream id; a prefix would move it.
                    throw ScenarioError(s.file, "$.traffic[" + std::to_string(t) + "]",
                                        "a traffic entry with a prefix cannot pass a "
                                        "content_modifier (\"" +
                                            s.nodes[mb].name + "\" in " + path + ")");
                }
                const EditSpec& e = s.nodes[mb].edit;
                if (tr.bytes <= e.offset + e.remove)
                {
                    throw ScenarioError(
                        s.file, "$.traffic[" + std::to_string(t) + "].bytes",
                        std::to_string(tr.bytes) + " bytes do not reach past the edit of \"" +
                            s.nodes[mb].name + "\" (offset + remove = " +
                            std::to_string(e.offset + e.remove) + "); expected more bytes");
                }
                out[t] = TrafficEdit{mb, e};
            }
            break; // the first matching policy decides
        }
    }
    return out;
}

} // namespace dyscosim
