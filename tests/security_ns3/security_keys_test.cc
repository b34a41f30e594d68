// The scenario keys of the security settings: each bad value is refused naming its JSON path
// and what was expected (exit 2 from the CLI), and good values reach the runner.
#include "scenarios/scenario_fixture.h"

#include <functional>
#include <gtest/gtest.h>

namespace dyscosim::test
{

TEST(SecurityKeys, BadValuesNameThePathAndTheExpectation)
{
    using nlohmann::json;
    struct Case
    {
        std::function<void(json&)> edit;
        const char* error;
    };
    const std::vector<Case> cases = {
        {[](json& d) {
             d["dysco"] = {{"control_protection", "strong"}};
         },
         "$.dysco.control_protection: expected \"off\", \"nonce\" or \"hmac\", got \"strong\""},
        {[](json& d) {
             d["dysco"] = {{"chain_allow", {"10.0.0.0/33"}}};
         },
         "$.dysco.chain_allow[0]: expected an IPv4 prefix a.b.c.d/len, got \"10.0.0.0/33\""},
        {[](json& d) {
             d["dysco"] = {{"max_chain_addresses", 17}};
         },
         "$.dysco.max_chain_addresses: expected a chain length limit"},
        {[](json& d) { d["policies"][0]["key"] = "00112233"; },
         "$.policies[0].key: expected a chain key of at least 32 hex digits (16 bytes)"},
        {[](json& d) {
             d["attacks"] = {{{"from", "client"}, {"kinds", {"flood"}}}};
         },
         "$.attacks[0].kinds[0]: expected \"forge\", \"replay\", \"modify\" or \"bad_syn\", got "
         "\"flood\""},
        {[](json& d) {
             d["attacks"] = {{{"from", "nobody"}, {"kinds", {"forge"}}}};
         },
         "$.attacks[0].from"},
        {[](json& d) {
             d["attacks"] = {{{"from", "client"}, {"kinds", json::array()}}};
         },
         "$.attacks[0].kinds: expected at least one of"},
    };
    for (size_t i = 0; i < cases.size(); ++i)
    {
        json doc = ValidScenario();
        cases[i].edit(doc);
        const std::string error = ErrorOf(doc);
        EXPECT_NE(error.find(std::string("bad.json: ") + cases[i].error), std::string::npos)
            << "case " << i << ": " << error;
    }
}

TEST(SecurityKeys, GoodValuesAreLoaded)
{
    nlohmann::json doc = ValidScenario();
    doc["dysco"] = {
        {"control_protection", "hmac"}, {"chain_allow", {"10.0.0.0/8", "192.168.0.0/16"}},
        {"max_chain_addresses", 4},     {"half_open_timeout_s", 2.5},
        {"refuse_when_full", true},     {"max_sessions", 1000}};
    doc["policies"][0]["key"] = std::string(64, 'a');
    doc["attacks"] = {{{"from", "client"}, {"every_s", 0.5}, {"kinds", {"forge", "bad_syn"}}}};
    EXPECT_EQ(ErrorOf(doc), "no error");
}

} // namespace dyscosim::test
