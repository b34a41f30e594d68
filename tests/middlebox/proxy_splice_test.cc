// The session-terminating proxy (scenarios/middlebox/proxy-splice.json): it terminates every
// session on its own sockets, relays, splices itself out after 200 kB, and from then on does
// nothing for the session; the anchors take its deltas over, so both streams arrive
// byte-exact and every endpoint only ever sees numbers of its own session (trace check).
#include "proxy_test_util.h"

#include <algorithm>
#include <sstream>
#include <vector>

namespace dyscosim::test
{
namespace
{

constexpr uint64_t kSpliceAfter = 200000;

/// The proxy's own behaviour: it asked to leave every session after its threshold, left,
/// and relayed nothing after; the rest of each stream went around it.
void
ExpectSplicedOut(const ProxyRun& r)
{
    const uint64_t sessions = r.summary["sessions"]["total"];
    const nlohmann::json& p = r.Box("proxy");
    ASSERT_TRUE(p.is_object()) << r.summary["middleboxes"].dump(1);
    EXPECT_EQ(p["kind"], "proxy");
    EXPECT_EQ(p["sessions"], sessions);
    EXPECT_EQ(p["splice_requested"], sessions);
    EXPECT_EQ(p["spliced_out"], sessions);
    EXPECT_EQ(p["relayed_after_splice"], 0u);
    EXPECT_EQ(p["relay_ops_after_splice"], 0u);
    const uint64_t written = r.summary["bytes"]["written"];
    const uint64_t reverse = r.summary["bytes"]["reverse_written"];
    const uint64_t relayedC2s = p["relayed_client_to_server"];
    const uint64_t relayedS2c = p["relayed_server_to_client"];
    // At least the threshold per session went through it, but not the whole stream.
    EXPECT_GE(relayedC2s, sessions * kSpliceAfter);
    EXPECT_LT(relayedC2s, written - reverse);
    EXPECT_LE(relayedS2c, reverse + sessions * 8);
    EXPECT_GT(p["relay_ops"], 0u);
    EXPECT_EQ(r.summary["reconfigurations"]["attempted"], sessions);
    EXPECT_EQ(r.summary["reconfigurations"]["succeeded"], sessions);
    EXPECT_EQ(r.summary["agent_state_left"]["total"], 0u);
}

TEST(ProxySplice, LeavesEverySessionAndRelaysNothingAfter)
{
    ProxyRun r = RunScenarioDoc(ShippedScenario("middlebox/proxy-splice.json"), "shipped");
    ExpectAllChecksPass(r);
    ExpectSplicedOut(r);
}

TEST(ProxySplice, SackOffTimestampsOn)
{
    // Without SACK, ns-3.37's sender crashes (TcpRateLinux::SkbSent) when its peer's
    // window is small and closes; endpoints with 1 MB buffers and a proxy with ns-3's
    // 128 kB keep clear of it (and announce different window scales, 5 and 2).
    nlohmann::json doc = ShippedScenario("middlebox/proxy-splice.json");
    doc["tcp"]["sack"] = false;
    doc["tcp"]["timestamps"] = true;
    doc["tcp"]["rcv_buf"] = 1048576;
    doc["tcp"]["snd_buf"] = 1048576;
    doc["nodes"][2]["proxy"].erase("rcv_buf");
    doc["nodes"][2]["proxy"].erase("snd_buf");
    ProxyRun r = RunScenarioDoc(doc, "nosack");
    ExpectAllChecksPass(r);
    ExpectSplicedOut(r);
}

TEST(ProxySplice, DifferentWindowScalesAndIsnsAcrossTheWrap)
{
    // Endpoints announce window scale 3 (512 kB buffers), the proxy 0 (32 kB); its two
    // connections start just below 2^32, so the spliced numbers cross the wrap.
    nlohmann::json doc = ShippedScenario("middlebox/proxy-splice.json");
    doc["tcp"]["rcv_buf"] = 524288;
    doc["tcp"]["snd_buf"] = 524288;
    doc["nodes"][1]["middlebox"] = "none";
    doc["nodes"][3]["middlebox"] = "none";
    doc["nodes"][2]["proxy"]["isn"] = {{"server_side", 4294967000u}, {"client_side", 4294900000u}};
    ProxyRun r = RunScenarioDoc(doc, "scales");
    ExpectAllChecksPass(r);
    ExpectSplicedOut(r);
    // Each endpoint's own window field is at most 512 kB >> 4 = 32768, and so is the proxy's
    // (32 kB, scale 0). A larger field arriving at an endpoint is the peer's window rescaled
    // from scale 4 to the proxy's 0 by its anchor after the splice (§4.2); without the
    // rescaling the endpoints would read the peer's windows 16 times too small.
    uint32_t maxWindow[2] = {0, 0}; // received by client, server
    std::istringstream trace(ReadFile(r.dir + "/out/trace.txt"));
    for (std::string line; std::getline(trace, line);)
    {
        std::vector<std::string> f;
        std::istringstream fields(line);
        for (std::string x; std::getline(fields, x, '\t');)
        {
            f.push_back(x);
        }
        if (f.size() >= 11 && f[1] == "G" && f[4].find('S') == std::string::npos)
        {
            const int end = f[3] == "server" ? 1 : 0;
            maxWindow[end] = std::max<uint32_t>(maxWindow[end], uint32_t(std::stoul(f[8])));
        }
    }
    EXPECT_GT(maxWindow[0], 32768u);
    EXPECT_GT(maxWindow[1], 32768u);
}

TEST(ProxySplice, WithoutSpliceItRelaysEverythingAndTheCloses)
{
    // The control: a proxy that never leaves carries both streams and both FINs itself.
    nlohmann::json doc = ShippedScenario("middlebox/proxy-splice.json");
    doc["nodes"][2]["proxy"]["splice_after_bytes"] = 0;
    ProxyRun r = RunScenarioDoc(doc, "stays");
    ExpectAllChecksPass(r, false);
    const uint64_t sessions = r.summary["sessions"]["total"];
    const uint64_t reverse = r.summary["bytes"]["reverse_written"];
    const uint64_t forward = uint64_t(r.summary["bytes"]["written"]) - reverse;
    const nlohmann::json& p = r.Box("proxy");
    EXPECT_EQ(p["relayed_client_to_server"], forward + sessions * 8); // with the stream ids
    EXPECT_EQ(p["relayed_server_to_client"], reverse);
    EXPECT_EQ(p["splice_requested"], 0u);
    EXPECT_EQ(p["spliced_out"], 0u);
    EXPECT_EQ(r.summary["reconfigurations"]["attempted"], 0u);
}

TEST(ProxyScenario, BadKeysNameTheirPath)
{
    nlohmann::json doc = ShippedScenario("middlebox/proxy-splice.json");
    nlohmann::json typo = doc;
    typo["nodes"][2]["proxy"]["splice_after_byte"] = 5;
    EXPECT_EQ(LoadError(typo), "bad.json: $.nodes[2].proxy.splice_after_byte: unknown key (did you "
                               "mean \"splice_after_bytes\"?); expected one of: "
                               "splice_after_bytes, splice_after_s, port, isn, rcv_buf, snd_buf, "
                               "relay_rate, splice_at");
    nlohmann::json isn = doc;
    isn["nodes"][2]["proxy"]["isn"] = "fixed";
    EXPECT_EQ(LoadError(isn), "bad.json: $.nodes[2].proxy.isn: expected \"random\" or an object "
                              "{server_side, client_side}, got string \"fixed\"");
    nlohmann::json wrongBox = doc;
    wrongBox["nodes"][1]["proxy"] = nlohmann::json::object();
    EXPECT_EQ(LoadError(wrongBox), "bad.json: $.nodes[1].proxy: only nodes with middlebox "
                                   "\"proxy\" take this object; node \"mb1\" runs \"seq_offset\"");
    nlohmann::json buf = doc;
    buf["nodes"][2]["proxy"]["rcv_buf"] = 10;
    EXPECT_EQ(LoadError(buf), "bad.json: $.nodes[2].proxy.rcv_buf: expected a socket buffer size "
                              "in bytes (1024 to 1073741824), got number 10");
    nlohmann::json kind = doc;
    kind["nodes"][2]["middlebox"] = "proxxy";
    EXPECT_EQ(LoadError(kind),
              "bad.json: $.nodes[2].middlebox: expected a middlebox function: \"monitor\", "
              "\"seq_offset\", \"firewall\", \"nat\", \"cgnat\", \"proxy\", \"content_modifier\", "
              "\"beamer\", \"classifier\", \"socks\" or \"none\", got string \"proxxy\"");
}

TEST(ProxyScenario, BadFileExitsTwoAndRunsNothing)
{
    nlohmann::json doc = ShippedScenario("middlebox/proxy-splice.json");
    doc["nodes"][2]["proxy"]["splice_after_s"] = -1;
    const std::string dir = ScratchDir("bad");
    std::ofstream(dir + "/bad.json") << doc.dump(2);
    ProcessResult p = RunDyscosim({"run", dir + "/bad.json", "--out", dir + "/out"});
    EXPECT_EQ(p.exitCode, 2);
    EXPECT_NE(p.err.find("$.nodes[2].proxy.splice_after_s"), std::string::npos) << p.err;
    EXPECT_TRUE(ReadFile(dir + "/out/summary.json").empty());
}

} // namespace
} // namespace dyscosim::test
