// The application prefix keys (`prefix`, `prefix_hex`) of traffic entries and classifier
// rules: strict, every bad value names its JSON path (loader messages, exit 2 from the CLI).
#include "proxy_test_util.h"

namespace dyscosim::test
{
namespace
{

nlohmann::json
Doc()
{
    return ShippedScenario("middlebox/classifier-payload.json");
}

/// The loader's error with traffic entry 0's prefix keys replaced by `keys`.
std::string
TrafficError(const nlohmann::json& keys)
{
    nlohmann::json doc = Doc();
    doc["traffic"][0].erase("prefix");
    doc["traffic"][0].update(keys);
    return LoadError(doc);
}

/// The loader's error with classifier rule 0 replaced by `rule`.
std::string
RuleError(const nlohmann::json& rule)
{
    nlohmann::json doc = Doc();
    doc["nodes"][2]["classifier"]["rules"][0] = rule;
    return LoadError(doc);
}

TEST(AppPrefix, LoadsTextAndHexBytes)
{
    const Scenario s = LoadScenarioText(Doc().dump(), "p.json");
    ASSERT_EQ(s.traffic.size(), 3u);
    const std::string http = "GET /index.html HTTP/1.1\r\nHost: server\r\n\r\n";
    EXPECT_EQ(s.traffic[0].prefix, std::vector<uint8_t>(http.begin(), http.end()));
    EXPECT_EQ(s.traffic[1].prefix, (std::vector<uint8_t>{0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00,
                                                         0x01, 0xfc, 0x03, 0x03}));
    const ClassifierSpec& c = s.nodes[2].classifier;
    ASSERT_EQ(c.rules.size(), 2u);
    EXPECT_EQ(c.rules[0].prefix, (std::vector<uint8_t>{'G', 'E', 'T', ' '}));
    EXPECT_EQ(c.rules[0].dstPort, 0);
    EXPECT_EQ(c.rules[1].prefix, (std::vector<uint8_t>{0x16, 0x03, 0x01, 0x02, 0x00}));
    EXPECT_EQ(c.fallback, std::optional<size_t>(5)); // m3
    // No prefix: empty, as before.
    EXPECT_TRUE(LoadScenarioText(ShippedScenario("middlebox/classifier.json").dump(), "c.json")
                    .traffic[0]
                    .prefix.empty());
}

TEST(AppPrefix, BadValuesNameTheirPath)
{
    const std::string t = "bad.json: $.traffic[0].";
    EXPECT_EQ(TrafficError({{"prefix", ""}}),
              t + "prefix: expected a non-empty string of at most 256 bytes, got 0 bytes");
    EXPECT_EQ(TrafficError({{"prefix", std::string(257, 'a')}}),
              t + "prefix: expected a non-empty string of at most 256 bytes, got 257 bytes");
    EXPECT_NE(TrafficError({{"prefix", 5}}).find(t + "prefix: expected a non-empty string"),
              std::string::npos);
    EXPECT_EQ(TrafficError({{"prefix_hex", "160"}}),
              t + "prefix_hex: expected an even number (2 to 512) of hex digits, like "
                  "\"16030100\", got 3 digits");
    EXPECT_EQ(TrafficError({{"prefix_hex", "16x3"}}),
              t + "prefix_hex: expected an even number (2 to 512) of hex digits, like "
                  "\"16030100\"; character 2 is not one");
    EXPECT_EQ(TrafficError({{"prefix", "GET"}, {"prefix_hex", "16"}}),
              t + "prefix_hex: give either prefix or prefix_hex, not both");
    EXPECT_NE(TrafficError({{"prefx", "GET"}}).find(t + "prefx: unknown key"), std::string::npos);

    const std::string r = "bad.json: $.nodes[2].classifier.rules[0].";
    EXPECT_EQ(RuleError({{"insert", "m1"}}),
              r + "dst_port: missing; expected dst_port, prefix or prefix_hex (what the rule "
                  "matches)");
    EXPECT_EQ(RuleError({{"prefix_hex", ""}, {"insert", "m1"}}),
              r + "prefix_hex: expected an even number (2 to 512) of hex digits, like "
                  "\"16030100\", got 0 digits");
    EXPECT_EQ(RuleError({{"prefix", "GET"}, {"prefix_hex", "47"}, {"insert", "m1"}}),
              r + "prefix_hex: give either prefix or prefix_hex, not both");
}

TEST(AppPrefix, APrefixedStreamCannotPassAContentModifier)
{
    nlohmann::json doc = ShippedScenario("middlebox/content-modifier.json");
    doc["traffic"][0]["prefix"] = "GET ";
    EXPECT_NE(LoadError(doc).find("$.traffic[0]: a traffic entry with a prefix cannot pass a "
                                  "content_modifier"),
              std::string::npos)
        << LoadError(doc);
}

TEST(AppPrefix, TheCliExitsTwoOnABadPrefix)
{
    nlohmann::json doc = Doc();
    doc["traffic"][1]["prefix_hex"] = "zz";
    const ProxyRun r = RunScenarioDoc(doc, "prefix-bad");
    EXPECT_EQ(r.process.exitCode, 2) << r.process.err;
    EXPECT_NE(r.process.err.find("$.traffic[1].prefix_hex: expected an even number"),
              std::string::npos)
        << r.process.err;
}

} // namespace
} // namespace dyscosim::test
