#include "regress_command.h"

#include "child_runs.h"
#include "fuzz_generator.h"
#include "regress_compare.h"
#include "summary.h"
#include "version.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>

namespace dyscosim
{

namespace fs = std::filesystem;
using nlohmann::json;
using nlohmann::ordered_json;

namespace
{

constexpr const char* kFormat = "dyscosim-regress-baseline";

struct Case
{
    std::string name; ///< "quickstart", "reconfig/insert-1", "fuzz-3"
    std::string file; ///< the scenario
    bool quick = false;
};

std::string
DefaultScenariosDir()
{
#ifdef DYSCOSIM_SOURCE_SCENARIOS
    if (fs::is_directory(DYSCOSIM_SOURCE_SCENARIOS))
    {
        return DYSCOSIM_SOURCE_SCENARIOS;
    }
#endif
    return "scenarios";
}

/// Shipped scenarios that exit 1 by design (negative controls): no baseline to keep.
bool
ExpectedToFail(const std::string& name)
{
    return name == "middlebox/firewall-no-migration";
}

/// The shipped scenarios, in name order; --quick for those with a "quick" object.
std::vector<Case>
SuiteCases(const std::string& dir)
{
    std::vector<Case> cases;
    for (const std::string sub : {"", "reconfig/", "middlebox/", "security/"})
    {
        std::error_code ec;
        for (const auto& entry : fs::directory_iterator(dir + "/" + sub, ec))
        {
            if (entry.path().extension() != ".json")
            {
                continue;
            }
            Case c;
            c.name = sub + entry.path().stem().string();
            if (ExpectedToFail(c.name))
            {
                continue;
            }
            c.file = entry.path().string();
            std::ifstream in(c.file);
            json doc = json::parse(in, nullptr, false);
            c.quick = doc.is_object() && doc.contains("quick");
            cases.push_back(c);
        }
    }
    std::sort(cases.begin(), cases.end(),
              [](const Case& a, const Case& b) { return a.name < b.name; });
    return cases;
}

/// One case per line, so a baseline change reads well in a diff.
std::string
BaselineText(const ordered_json& cases)
{
    std::string text =
        "{\"format\": \"" + std::string(kFormat) +
        "\", \"version\": 1, \"git_describe\": " + json(dysco::GitDescribe()).dump() +
        ",\n \"cases\": {";
    bool first = true;
    for (const auto& [name, c] : cases.items())
    {
        text += std::string(first ? "\n" : ",\n") + "  " + json(name).dump() + ": " + c.dump();
        first = false;
    }
    return text + "\n }}\n";
}

ordered_json
LoadBaseline(const std::string& path)
{
    std::ifstream in(path);
    if (!in)
    {
        throw RegressInputError(path + ": cannot open (run with --update to write a baseline)");
    }
    ordered_json doc;
    try
    {
        doc = ordered_json::parse(in);
    }
    catch (const json::exception& e)
    {
        throw RegressInputError(path + ": not valid JSON: " + e.what());
    }
    if (!doc.is_object() || doc.value("format", "") != kFormat || doc.value("version", 0) != 1 ||
        !doc.contains("cases") || !doc["cases"].is_object())
    {
        throw RegressInputError(path + ": not a regress baseline (expected {\"format\": \"" +
                                kFormat + "\", \"version\": 1, \"cases\": {...}})");
    }
    for (const auto& [name, c] : doc["cases"].items())
    {
        if (!c.is_object() || !c.contains("metrics") || !c["metrics"].is_object())
        {
            throw RegressInputError(path + ": $.cases." + name +
                                    ": expected an object with \"metrics\"");
        }
    }
    return doc;
}

} // namespace

int
RunRegressCommand(const RegressArgs& args)
{
    const std::string baselinePath = args.baseline + "/baseline.json";
    const std::string tolerancePath = args.baseline + "/tolerances.json";
    ordered_json baseline;
    Tolerances tolerances;
    std::vector<Case> cases;
    try
    {
        if (!args.update && !fs::is_directory(args.baseline))
        {
            throw RegressInputError(args.baseline +
                                    ": no such baseline directory (--update writes one)");
        }
        if (!args.update || fs::exists(baselinePath))
        {
            baseline = LoadBaseline(baselinePath);
        }
        else
        {
            baseline = {{"cases", ordered_json::object()}};
        }
        tolerances = LoadTolerances(tolerancePath);
        const std::string dir =
            args.scenariosDir.empty() ? DefaultScenariosDir() : args.scenariosDir;
        cases = SuiteCases(dir);
        if (cases.empty())
        {
            throw RegressInputError(dir + ": no scenario files (*.json, reconfig/*.json)");
        }
        for (unsigned i = 1; i <= args.fuzzSeeds; ++i)
        {
            cases.push_back({"fuzz-" + std::to_string(i), "", false});
        }
        if (!args.only.empty())
        {
            std::vector<Case> selected;
            for (const auto& name : args.only)
            {
                auto it = std::find_if(cases.begin(), cases.end(),
                                       [&](const Case& c) { return c.name == name; });
                if (it == cases.end())
                {
                    throw RegressInputError("--only: no case named '" + name +
                                            "' (cases are scenario names such as quickstart, "
                                            "reconfig/insert-1, and fuzz-1.." +
                                            "fuzz-" + std::to_string(args.fuzzSeeds) + ")");
                }
                selected.push_back(*it);
            }
            cases = selected;
        }
    }
    catch (const RegressInputError& e)
    {
        std::cerr << "dyscosim regress: error: " << e.what() << "\n";
        return 2;
    }
    std::error_code ec;
    fs::create_directories(args.outDir, ec);
    if (ec || !fs::is_directory(args.outDir))
    {
        std::cerr << "dyscosim regress: error: cannot create output directory " << args.outDir
                  << "\n";
        return 2;
    }

    // Runs.
    std::vector<ChildRun> runs;
    std::vector<std::string> outDirs;
    for (auto& c : cases)
    {
        std::string out = args.outDir + "/" + c.name;
        fs::create_directories(out, ec);
        if (c.file.empty()) // a fuzz seed
        {
            const uint32_t seed = uint32_t(std::stoul(c.name.substr(5)));
            c.file = args.outDir + "/" + c.name + ".json";
            WriteTextFile(c.file, GenerateFuzzScenario(seed).dump(2) + "\n");
        }
        ChildRun run{{"run", c.file, "--out", out}, out + "/run.log"};
        if (c.quick)
        {
            run.args.push_back("--quick");
        }
        runs.push_back(run);
        outDirs.push_back(out);
    }
    std::cerr << "dyscosim regress: " << cases.size() << " cases, " << args.jobs
              << " at a time, results in " << args.outDir << "/\n";
    const auto start = std::chrono::steady_clock::now();
    std::vector<ordered_json> metrics(cases.size());
    std::vector<std::string> failures(cases.size());
    size_t finished = 0;
    RunChildren(runs, args.jobs,
                [&](size_t i, const ChildResult& r)
                {
                    std::ifstream in(outDirs[i] + "/summary.json");
                    json summary = json::parse(in, nullptr, false);
                    if (r.exitCode > 1 || r.exitCode < 0 || !summary.is_object())
                    {
                        failures[i] =
                            "run failed: " + DescribeExit(r) + " (see " + outDirs[i] + "/run.log)";
                    }
                    else
                    {
                        metrics[i] = FlattenSummary(summary, tolerances);
                    }
                    std::cerr << "regress [" << ++finished << "/" << cases.size() << "] "
                              << cases[i].name << ": "
                              << (failures[i].empty()
                                      ? summary["check"]["verdict"].get<std::string>()
                                      : failures[i])
                              << " (" << int(r.wallS * 100) / 100.0 << " s)\n";
                });
    const double wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    size_t failed = 0;
    for (const auto& f : failures)
    {
        failed += f.empty() ? 0 : 1;
    }
    if (args.update)
    {
        ordered_json& stored = baseline["cases"];
        for (size_t i = 0; i < cases.size(); ++i)
        {
            if (failures[i].empty())
            {
                stored[cases[i].name] = {{"quick", cases[i].quick}, {"metrics", metrics[i]}};
            }
        }
        // Name order, whatever order the cases were added in.
        std::map<std::string, ordered_json> sorted;
        for (const auto& [name, c] : stored.items())
        {
            sorted[name] = c;
        }
        ordered_json all = ordered_json::object();
        for (const auto& [k, v] : sorted)
        {
            all[k] = v;
        }
        fs::create_directories(args.baseline, ec);
        WriteTextFile(baselinePath, BaselineText(all));
        std::cout << "regress: wrote " << cases.size() - failed << " cases to " << baselinePath
                  << " (" << int(wall * 10) / 10.0 << " s wall)\n";
        for (size_t i = 0; i < cases.size(); ++i)
        {
            if (!failures[i].empty())
            {
                std::cout << cases[i].name << ": " << failures[i] << " (not in the baseline)\n";
            }
        }
        return failed == 0 ? 0 : 1;
    }

    // Compare.
    size_t changed = 0;
    size_t metricDiffs = 0;
    std::string changedNames;
    const auto& stored = baseline["cases"];
    for (size_t i = 0; i < cases.size(); ++i)
    {
        const std::string& name = cases[i].name;
        std::vector<std::string> lines;
        if (!failures[i].empty())
        {
            lines.push_back(failures[i]);
        }
        else if (!stored.contains(name))
        {
            lines.push_back("not in the baseline " + baselinePath + " (--update adds it)");
        }
        else
        {
            for (const auto& d : CompareMetrics(stored[name]["metrics"], metrics[i], tolerances))
            {
                lines.push_back(d.metric + ": " + d.oldValue + " -> " + d.newValue + " (" +
                                d.tolerance + ")");
            }
        }
        if (!lines.empty())
        {
            ++changed;
            metricDiffs += lines.size();
            changedNames += (changedNames.empty() ? "" : ", ") + name;
            for (const auto& l : lines)
            {
                std::cout << name << ": " << l << "\n";
            }
        }
    }
    if (args.only.empty())
    {
        for (const auto& [storedName, c] : stored.items())
        {
            const std::string& name = storedName; // C++17 lambdas cannot capture bindings
            if (std::none_of(cases.begin(), cases.end(),
                             [&](const Case& x) { return x.name == name; }))
            {
                ++changed;
                ++metricDiffs;
                changedNames += (changedNames.empty() ? "" : ", ") + name;
                std::cout << name << ": in the baseline but not run (scenario removed?)\n";
            }
        }
    }
    std::cout << "regress: " << cases.size() << " cases, "
              << cases.size() - std::min(changed, cases.size()) << " identical within tolerance, "
              << changed << " changed"
              << (changed
                      ? " (" + changedNames + "; " + std::to_string(metricDiffs) + " differences)"
                      : std::string())
              << ", " << int(wall * 10) / 10.0 << " s wall\n";
    return changed == 0 ? 0 : 1;
}

} // namespace dyscosim
