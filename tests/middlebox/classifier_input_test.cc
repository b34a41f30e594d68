// The classifier's scenario keys: strict, and every bad rule names its JSON path (loader
// messages, and exit 2 from the CLI).
#include "proxy_test_util.h"

namespace dyscosim::test
{
namespace
{

nlohmann::json
Doc()
{
    return ShippedScenario("middlebox/classifier.json");
}

/// The loader's error for the shipped scenario with its classifier object replaced.
std::string
ErrorWith(const nlohmann::json& classifier)
{
    nlohmann::json doc = Doc();
    doc["nodes"][2]["classifier"] = classifier;
    return LoadError(doc);
}

nlohmann::json
OneRule(const nlohmann::json& rule)
{
    return {{"rules", nlohmann::json::array({rule})}};
}

TEST(ClassifierScenario, LoadsRulesAsNodes)
{
    const Scenario s = LoadScenarioText(Doc().dump(), "cls.json");
    const NodeSpec& cls = s.nodes[2];
    EXPECT_EQ(cls.middlebox, MiddleboxKind::kClassifier);
    ASSERT_EQ(cls.classifier.rules.size(), 2u);
    EXPECT_EQ(cls.classifier.rules[0].dstPort, 80);
    EXPECT_EQ(cls.classifier.rules[0].insert, 3u); // m1
    EXPECT_EQ(cls.classifier.rules[1].dstPort, 81);
    EXPECT_EQ(cls.classifier.rules[1].insert, 4u); // m2
    EXPECT_FALSE(cls.classifier.fallback.has_value());
}

TEST(ClassifierScenario, BadRulesNameTheirPath)
{
    const std::string p = "bad.json: $.nodes[2].classifier";
    EXPECT_EQ(ErrorWith(OneRule({{"dst_port", 80}, {"insert", "m9"}})),
              p + ".rules[0].insert: unknown node \"m9\"");
    EXPECT_EQ(ErrorWith(OneRule({{"dst_port", 80}, {"insert", "r1"}})),
              p + ".rules[0].insert: expected the name of a node with role \"middlebox\" other "
                  "than the classifier; \"r1\" is router");
    EXPECT_EQ(ErrorWith(OneRule({{"dst_port", 80}, {"insert", "cls"}})),
              p + ".rules[0].insert: expected the name of a node with role \"middlebox\" other "
                  "than the classifier; \"cls\" is the classifier");
    EXPECT_EQ(ErrorWith({{"rules", nlohmann::json::array()}}),
              p + ".rules: expected at least one rule");
    EXPECT_NE(ErrorWith(OneRule({{"dst_port", 0}, {"insert", "m1"}}))
                  .find(p + ".rules[0].dst_port: expected a port 1 to 65535"),
              std::string::npos);
    EXPECT_NE(ErrorWith(OneRule({{"port", 80}, {"insert", "m1"}}))
                  .find(p + ".rules[0].port: unknown key"),
              std::string::npos);
    EXPECT_EQ(ErrorWith({{"rules", {{{"dst_port", 80}, {"insert", "m1"}}}}, {"default", "server"}}),
              p + ".default: expected the name of a node with role \"middlebox\" other than the "
                  "classifier; \"server\" is host");
    nlohmann::json missing = Doc();
    missing["nodes"][2].erase("classifier");
    EXPECT_NE(LoadError(missing).find(p + ": missing"), std::string::npos) << LoadError(missing);
    nlohmann::json wrongBox = Doc();
    wrongBox["nodes"][3]["classifier"] = Doc()["nodes"][2]["classifier"];
    EXPECT_EQ(LoadError(wrongBox), "bad.json: $.nodes[3].classifier: only nodes with middlebox "
                                   "\"classifier\" take this object; node \"m1\" runs \"monitor\"");
}

TEST(ClassifierScenario, TheCliExitsTwoOnABadRule)
{
    nlohmann::json doc = Doc();
    doc["nodes"][2]["classifier"]["rules"][1]["insert"] = "client";
    const ProxyRun r = RunScenarioDoc(doc, "cls-bad");
    EXPECT_EQ(r.process.exitCode, 2) << r.process.err;
    EXPECT_NE(r.process.err.find("$.nodes[2].classifier.rules[1].insert: expected the name of a "
                                 "node with role \"middlebox\""),
              std::string::npos)
        << r.process.err;
}

} // namespace
} // namespace dyscosim::test
