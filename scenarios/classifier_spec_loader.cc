#include "classifier_spec_loader.h"

#include "app_prefix.h"
#include "json_fields.h"

namespace dyscosim
{

namespace
{
constexpr const char* kKey = "classifier";
constexpr const char* kExpected =
    "an object {rules: [{dst_port and/or prefix or prefix_hex, insert}], default} (see "
    "scenarios/README.md)";
constexpr const char* kRuleExpected = "a rule {dst_port and/or prefix or prefix_hex, insert}";
constexpr const char* kNodeExpected = "the name of a node with role \"middlebox\"";

/// The middlebox node named by `key` of `o`.
size_t
MiddleboxNode(const JsonObject& o, const std::string& key, const Scenario& s, size_t self)
{
    const std::string name = o.String(key, kNodeExpected);
    for (size_t i = 0; i < s.nodes.size(); ++i)
    {
        if (s.nodes[i].name != name)
        {
            continue;
        }
        if (s.nodes[i].role != NodeRole::kMiddlebox || i == self)
        {
            o.Fail(key, std::string("expected ") + kNodeExpected +
                            " other than the classifier; \"" + name + "\" is " +
                            (i == self ? "the classifier" : ToString(s.nodes[i].role)));
        }
        return i;
    }
    o.Fail(key, "unknown node \"" + name + "\"");
}
} // namespace

void
ParseClassifiers(const std::string& file, const nlohmann::json& nodes, const std::string& path,
                 Scenario* s)
{
    for (size_t i = 0; i < s->nodes.size(); ++i)
    {
        NodeSpec& n = s->nodes[i];
        const JsonObject o(file, path + "[" + std::to_string(i) + "]", nodes[i], "a node object");
        const bool classifier = n.middlebox == MiddleboxKind::kClassifier;
        if (!o.Has(kKey))
        {
            if (classifier)
            {
                o.Require(kKey, kExpected);
            }
            continue;
        }
        if (!classifier)
        {
            o.Fail(kKey, "only nodes with middlebox \"classifier\" take this object; node \"" +
                             n.name + "\" runs \"" + ToString(n.middlebox) + "\"");
        }
        const nlohmann::json& v = nodes[i].at(kKey);
        JsonObject c(file, o.PathOf(kKey), v, kExpected);
        c.AllowOnly({"rules", "default"});
        const nlohmann::json& rules =
            c.Array("rules", std::string("an array of ") + kRuleExpected, true);
        if (rules.empty())
        {
            c.Fail("rules", "expected at least one rule");
        }
        for (size_t r = 0; r < rules.size(); ++r)
        {
            JsonObject ro(file, c.PathOf("rules") + "[" + std::to_string(r) + "]", rules[r],
                          kRuleExpected);
            ro.AllowOnly({"dst_port", "prefix", "prefix_hex", "insert"});
            ClassifierSpec::Rule rule;
            if (ro.Has("dst_port"))
            {
                rule.dstPort = uint16_t(ro.Unsigned("dst_port", 1, 65535, "a port 1 to 65535"));
            }
            rule.prefix = ReadAppPrefix(ro);
            if (rule.dstPort == 0 && rule.prefix.empty())
            {
                ro.Require("dst_port", "dst_port, prefix or prefix_hex (what the rule matches)");
            }
            rule.insert = MiddleboxNode(ro, "insert", *s, i);
            n.classifier.rules.push_back(rule);
        }
        if (c.Has("default") && !v.at("default").is_null())
        {
            n.classifier.fallback = MiddleboxNode(c, "default", *s, i);
        }
    }
}

} // namespace dyscosim
