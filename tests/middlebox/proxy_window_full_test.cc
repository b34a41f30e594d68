// scenarios/middlebox/proxy-window-full.json: window-limited senders toward a proxy under
// congestion, with SACK on and off. Before the ns-3.37 NextSeg fix (model/ns3/
// ns3-nextseg-fix.h) both runs crashed in TcpRateLinux::SkbSent within 0.3 s.
#include "proxy_test_util.h"

namespace dyscosim::test
{
namespace
{

TEST(ProxyWindowFull, SackOnEveryByteArrivesAndTheCheckPasses)
{
    ProxyRun r = RunScenarioDoc(ShippedScenario("middlebox/proxy-window-full.json"), "sack");
    ExpectAllChecksPass(r);
    EXPECT_EQ(r.summary["sessions"]["total"], 160);
    // Spliced under load: most sessions leave the proxy while their windows are closing;
    // a deletion that meets its session's close aborts cleanly.
    EXPECT_GT(r.Box("proxy")["spliced_out"], 100);
    EXPECT_EQ(r.Box("proxy")["relayed_after_splice"], 0);
    EXPECT_EQ(r.summary["reconfigurations"]["unfinished"], 0);
}

TEST(ProxyWindowFull, SackOffEveryByteArrivesAndTheCheckPasses)
{
    nlohmann::json doc = ShippedScenario("middlebox/proxy-window-full.json");
    doc["tcp"]["sack"] = false;
    ProxyRun r = RunScenarioDoc(doc, "nosack");
    ExpectAllChecksPass(r);
    EXPECT_EQ(r.summary["sessions"]["total"], 160);
    EXPECT_GT(r.Box("proxy")["spliced_out"], 100);
}

} // namespace
} // namespace dyscosim::test
