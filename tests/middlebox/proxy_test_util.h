// Helpers of the session-terminating middlebox tests (proxy, content modifier): run a
// scenario file (possibly edited) through the dyscosim binary and read its summary.
#ifndef DYSCOSIM_TESTS_PROXY_TEST_UTIL_H
#define DYSCOSIM_TESTS_PROXY_TEST_UTIL_H

#include "scenario_error.h"
#include "scenario_loader.h"
#include "scenarios/dyscosim_process.h"

#include <fstream>
#include <functional>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <string>

namespace dyscosim::test
{

inline nlohmann::json
ShippedScenario(const std::string& file)
{
    return nlohmann::json::parse(ReadFile(std::string(DYSCO_SOURCE_DIR) + "/scenarios/" + file));
}

struct ProxyRun
{
    ProcessResult process;
    nlohmann::json summary;
    std::string dir;

    const nlohmann::json& Box(const std::string& node) const
    {
        return summary["middleboxes"][node];
    }
};

/// Writes `doc` to a scratch file and runs `dyscosim run FILE --quick --out DIR` (with the
/// trace and its check, as every run has).
inline ProxyRun
RunScenarioDoc(const nlohmann::json& doc, const std::string& tag)
{
    ProxyRun r;
    r.dir = ScratchDir(tag);
    const std::string file = r.dir + "/scenario.json";
    std::ofstream(file) << doc.dump(2);
    r.process = RunDyscosim({"run", file, "--quick", "--out", r.dir + "/out"});
    const std::string text = ReadFile(r.dir + "/out/summary.json");
    if (!text.empty())
    {
        r.summary = nlohmann::json::parse(text);
    }
    return r;
}

/// Exit 0, every property of the check passed (delivery byte-exact both ways, trace check),
/// every session completed. Without reconfigurations the lock and termination properties
/// have nothing to judge ("not_applicable").
inline void
ExpectAllChecksPass(const ProxyRun& r, bool reconfigured = true)
{
    EXPECT_EQ(r.process.exitCode, 0) << r.process.err;
    ASSERT_TRUE(r.summary.is_object()) << r.process.err;
    EXPECT_EQ(r.summary["check"]["verdict"], "pass") << r.summary["check"].dump(1);
    for (const char* p : {"no_data_loss", "seq_ack_correct", "lock_exclusive",
                          "reconfig_terminates", "clean_termination"})
    {
        const bool judged = reconfigured || std::string(p) == "no_data_loss" ||
                            std::string(p) == "seq_ack_correct" ||
                            std::string(p) == "clean_termination";
        EXPECT_EQ(r.summary["check"]["properties"][p], judged ? "pass" : "not_applicable") << p;
    }
    EXPECT_EQ(r.summary["sessions"]["completed"], r.summary["sessions"]["total"]);
    EXPECT_EQ(r.summary["bytes"]["delivered"], r.summary["bytes"]["written"]);
    EXPECT_EQ(r.summary["bytes"]["reverse_delivered"], r.summary["bytes"]["reverse_written"]);
}

/// The loader's message for `doc`, or "no error".
inline std::string
LoadError(const nlohmann::json& doc)
{
    try
    {
        LoadScenarioText(doc.dump(2), "bad.json");
    }
    catch (const ScenarioError& e)
    {
        return e.what();
    }
    return "no error";
}

} // namespace dyscosim::test

#endif
