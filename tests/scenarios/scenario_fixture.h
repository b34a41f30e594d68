// Shared helpers of the scenario tests: a small valid scenario to mutate, and the full
// error text a broken variant produces.
#ifndef DYSCOSIM_TESTS_SCENARIO_FIXTURE_H
#define DYSCOSIM_TESTS_SCENARIO_FIXTURE_H

#include "scenario_error.h"
#include "scenario_loader.h"

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>

namespace dyscosim::test
{

/// client - mb1 - mb2 - server, one policy through both monitors, one traffic entry.
inline nlohmann::json
ValidScenario()
{
    return nlohmann::json::parse(R"({
      "name": "t",
      "duration_s": 2,
      "nodes": [
        {"name": "client", "role": "host"},
        {"name": "mb1", "role": "middlebox", "middlebox": "monitor"},
        {"name": "mb2", "role": "middlebox"},
        {"name": "server", "role": "host"}
      ],
      "links": [
        {"a": "client", "b": "mb1", "rate": "100Mbps", "delay": "1ms"},
        {"a": "mb1", "b": "mb2", "rate": "100Mbps", "delay": "1ms"},
        {"a": "mb2", "b": "server", "rate": "100Mbps", "delay": "1ms", "loss": 0.01}
      ],
      "policies": [{"at": "client", "match": {"dst": "server"}, "chain": ["mb1", "mb2"]}],
      "traffic": [{"from": "client", "to": "server", "sessions": 3, "bytes": 1000}]
    })");
}

/// The text of the ScenarioError loading `text` throws, or "no error".
inline std::string
ErrorOf(const std::string& text, bool quick = false)
{
    try
    {
        LoadScenarioText(text, "bad.json", LoadOptions{quick});
    }
    catch (const ScenarioError& e)
    {
        return e.what();
    }
    return "no error";
}

inline std::string
ErrorOf(const nlohmann::json& doc, bool quick = false)
{
    return ErrorOf(doc.dump(2), quick);
}

/// The repository root, compiled in by the test CMake.
inline std::string
SourceDir()
{
    return DYSCO_SOURCE_DIR;
}

} // namespace dyscosim::test

#endif
