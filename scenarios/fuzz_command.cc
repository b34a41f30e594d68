#include "fuzz_command.h"

#include "child_runs.h"
#include "fuzz_generator.h"
#include "summary.h"

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <vector>

namespace dyscosim
{

namespace fs = std::filesystem;
using nlohmann::ordered_json;

std::string
ReplayProgram()
{
    std::string program = fs::path(SelfExecutable()).filename().string();
    const char* mutant = std::getenv("DYSCO_MUTANT");
    if (mutant != nullptr && *mutant != '\0')
    {
        return std::string("DYSCO_MUTANT=") + mutant + " " + program;
    }
    return program;
}

namespace
{

struct Verdict
{
    bool pass = false;
    std::string properties; ///< the violated ones, comma-separated
    std::string detail;     ///< the first violation, or why the run failed
};

/// The child's "dyscosim: error: ..." line, if any.
std::string
ErrorLine(const std::string& path)
{
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line))
    {
        if (line.rfind("dyscosim: error", 0) == 0 || line.rfind("dyscosim: internal", 0) == 0)
        {
            return line;
        }
    }
    return "";
}

/// The child's verdict, from its exit code and summary.json.
Verdict
Judge(const ChildResult& r, const std::string& dir)
{
    Verdict v;
    if (r.exitCode == 2)
    {
        v.properties = "invalid_scenario";
        v.detail = "the generator wrote a scenario dyscosim rejects (a generator bug): " +
                   ErrorLine(dir + "/run.log");
        return v;
    }
    ordered_json summary;
    std::ifstream in(dir + "/summary.json");
    try
    {
        summary = ordered_json::parse(in);
    }
    catch (const std::exception&)
    {
        v.properties = "run_failed";
        v.detail =
            "the run ended without a summary (" + DescribeExit(r) + "; see " + dir + "/run.log)";
        return v;
    }
    const auto& check = summary["check"];
    for (const auto& [name, verdict] : check["properties"].items())
    {
        if (verdict == "fail")
        {
            v.properties += (v.properties.empty() ? "" : ", ") + name;
        }
    }
    if (check.contains("violations") && !check["violations"].empty())
    {
        v.detail = check["violations"][0].get<std::string>();
    }
    v.pass = r.exitCode == 0 && check["verdict"] == "pass" && v.properties.empty();
    if (!v.pass && v.properties.empty())
    {
        v.properties = "run_failed";
        v.detail = DescribeExit(r) + " (see " + dir + "/run.log)";
    }
    return v;
}

std::string
Fixed(double v, int digits)
{
    std::ostringstream s;
    s << std::fixed << std::setprecision(digits) << v;
    return s.str();
}

} // namespace

int
RunFuzzCommand(const FuzzArgs& args)
{
    std::error_code ec;
    fs::create_directories(args.outDir, ec);
    if (ec || !fs::is_directory(args.outDir))
    {
        std::cerr << "dyscosim fuzz: error: cannot create output directory " << args.outDir << ": "
                  << (ec ? ec.message() : "not a directory") << "\n";
        return 2;
    }
    const auto start = std::chrono::steady_clock::now();
    std::vector<uint32_t> seeds;
    std::vector<ChildRun> runs;
    for (uint64_t i = 0; i < args.runs; ++i)
    {
        const uint32_t seed = FuzzRunSeed(args.seed, i);
        const std::string stem = args.outDir + "/fuzz-" + std::to_string(seed);
        WriteTextFile(stem + ".json", GenerateFuzzScenario(seed).dump(2) + "\n");
        fs::create_directories(stem, ec);
        seeds.push_back(seed);
        runs.push_back({{"run", stem + ".json", "--out", stem}, stem + "/run.log"});
    }
    std::cerr << "dyscosim fuzz: " << args.runs << " runs from seed " << args.seed << ", "
              << args.jobs << " at a time, scenarios and results in " << args.outDir << "/\n";

    const std::string program = ReplayProgram();
    ordered_json failures = ordered_json::array();
    std::vector<uint32_t> failedSeeds;
    size_t finished = 0;
    RunChildren(runs, args.jobs,
                [&](size_t i, const ChildResult& r)
                {
                    const uint32_t seed = seeds[i];
                    const std::string stem = args.outDir + "/fuzz-" + std::to_string(seed);
                    Verdict v = Judge(r, stem);
                    ++finished;
                    std::cerr << "fuzz [" << finished << "/" << runs.size() << "] seed " << seed
                              << ": " << (v.pass ? "pass" : "FAIL " + v.properties) << " ("
                              << Fixed(r.wallS, 2) << " s)\n";
                    if (v.pass)
                    {
                        if (!args.keep)
                        {
                            fs::remove_all(stem, ec);
                        }
                        return;
                    }
                    const std::string replay =
                        program + " fuzz --runs 1 --seed " + std::to_string(seed);
                    const std::string replayRun = program + " run " + stem + ".json";
                    std::cerr << "  violated: " << v.properties << "\n  " << v.detail
                              << "\n  replay: " << replay << "\n      or: " << replayRun << "\n";
                    failedSeeds.push_back(seed);
                    failures.push_back({{"seed", seed},
                                        {"properties", v.properties},
                                        {"detail", v.detail},
                                        {"replay", replay},
                                        {"scenario", stem + ".json"},
                                        {"results", stem}});
                });
    const double wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    std::string seedList;
    for (uint32_t s : failedSeeds)
    {
        seedList += (seedList.empty() ? "" : " ") + std::to_string(s);
    }
    ordered_json summary = {{"base_seed", args.seed},
                            {"runs", args.runs},
                            {"passed", args.runs - failedSeeds.size()},
                            {"failed", failedSeeds.size()},
                            {"failed_seeds", failedSeeds},
                            {"failures", failures},
                            {"wall_time_s", std::round(wall * 1000) / 1000}};
    WriteTextFile(args.outDir + "/fuzz-summary.json", summary.dump(2) + "\n");
    std::cout << "fuzz: " << args.runs << " runs, " << args.runs - failedSeeds.size() << " passed, "
              << failedSeeds.size() << " failed"
              << (failedSeeds.empty() ? "" : " (seeds " + seedList + ")") << ", " << Fixed(wall, 1)
              << " s wall; " << args.outDir << "/fuzz-summary.json\n";
    for (const auto& f : failures)
    {
        std::cout << "FAIL seed " << f["seed"] << ": " << f["properties"].get<std::string>()
                  << "; replay: " << f["replay"].get<std::string>() << "\n";
    }
    return failedSeeds.empty() ? 0 : 1;
}

} // namespace dyscosim
