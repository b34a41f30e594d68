#include "campaign_command.h"

#include "campaign_exec.h"
#include "campaign_merge.h"
#include "campaign_spec.h"
#include "figure_timeseries.h"
#include "reproduce_report.h"
#include "scenario_error.h"
#include "summary.h"

#include <chrono>
#include <climits>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#ifndef DYSCOSIM_SOURCE_DIR
#define DYSCOSIM_SOURCE_DIR "."
#endif

namespace dyscosim
{

namespace fs = std::filesystem;

namespace
{

constexpr int kPass = 0;
constexpr int kViolation = 1;
constexpr int kBadInput = 2;
constexpr int kFailed = 3;

class BadUsage : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

struct Options
{
    std::string target; ///< spec file (campaign) or figure name (reproduce)
    std::string mode;   ///< campaign: "emit", "merge", "run"
    bool quick = false;
    bool allowMixed = false;
    bool reportOnly = false; ///< reproduce: merge and report the runs already there
    unsigned jobs = 2;
    std::string outDir;
    std::vector<uint32_t> seeds; ///< --seeds: replaces the spec's
    bool help = false;
};

std::vector<uint32_t>
ParseSeedList(const std::string& text)
{
    std::vector<uint32_t> seeds;
    std::stringstream ss(text);
    std::string item;
    while (std::getline(ss, item, ','))
    {
        if (item.empty() || item.size() > 10 ||
            item.find_first_not_of("0123456789") != std::string::npos || std::stoull(item) == 0 ||
            std::stoull(item) > UINT32_MAX)
        {
            throw BadUsage("--seeds expects a comma-separated list of seeds 1 to 4294967295, "
                           "e.g. 1,2,3; got '" +
                           text + "'");
        }
        seeds.push_back(uint32_t(std::stoull(item)));
    }
    if (seeds.empty())
    {
        throw BadUsage("--seeds expects at least one seed, e.g. 1,2,3");
    }
    return seeds;
}

Options
Parse(const std::vector<std::string>& args, bool campaign)
{
    Options o;
    const std::string cmd = campaign ? "campaign" : "reproduce";
    for (size_t i = 0; i < args.size(); ++i)
    {
        const std::string& a = args[i];
        auto value = [&]()
        {
            if (i + 1 >= args.size())
            {
                throw BadUsage("option '" + a + "' needs a value");
            }
            return args[++i];
        };
        if (a == "--help" || a == "-h")
        {
            o.help = true;
        }
        else if (a == "--quick")
        {
            o.quick = true;
        }
        else if (a == "--out")
        {
            o.outDir = value();
        }
        else if (a == "--seeds")
        {
            o.seeds = ParseSeedList(value());
        }
        else if (a == "--jobs" || a == "-j")
        {
            const std::string v = value();
            if (v.empty() || v.size() > 3 ||
                v.find_first_not_of("0123456789") != std::string::npos || std::stoul(v) == 0)
            {
                throw BadUsage("--jobs expects a number from 1 to 999, got '" + v + "'");
            }
            o.jobs = unsigned(std::stoul(v));
        }
        else if (campaign && a == "--emit")
        {
            const std::string v = value();
            if (v != "jobs")
            {
                throw BadUsage("--emit expects 'jobs', got '" + v + "'");
            }
            o.mode = "emit";
        }
        else if (campaign && a == "--merge")
        {
            o.mode = "merge";
        }
        else if (campaign && a == "--run")
        {
            o.mode = "run";
        }
        else if (!campaign && a == "--report-only")
        {
            o.reportOnly = true;
        }
        else if (campaign && a == "--allow-mixed")
        {
            o.allowMixed = true;
        }
        else if (!a.empty() && a[0] == '-')
        {
            throw BadUsage("unknown option '" + a + "' for '" + cmd + "'");
        }
        else if (o.target.empty())
        {
            o.target = a;
        }
        else
        {
            throw BadUsage("unexpected argument '" + a + "'");
        }
    }
    if (o.help)
    {
        return o;
    }
    if (o.target.empty())
    {
        throw BadUsage(campaign ? "'campaign' needs a spec file, e.g. dyscosim campaign "
                                  "scenarios/figures/fig8.json --emit jobs"
                                : "'reproduce' needs a figure: fig7, fig8, fig9, fig11, fig12, "
                                  "fig13, fig14 or contention");
    }
    if (campaign && o.mode.empty())
    {
        throw BadUsage("'campaign' needs one of --emit jobs, --run, --merge");
    }
    return o;
}

const char* kCampaignUsage =
    "usage: dyscosim campaign SPEC.json --emit jobs [--quick] [--out DIR]\n"
    "       dyscosim campaign SPEC.json --run [--jobs N] [--quick] [--out DIR]\n"
    "       dyscosim campaign SPEC.json --merge [--allow-mixed] [--quick] [--out DIR]\n"
    "\n"
    "--emit jobs  write DIR/jobs.txt (one `dyscosim run` per series, point and seed, for GNU\n"
    "             parallel, locally or with --sshlogin on a shared file system), DIR/slurm.sh\n"
    "             (a Slurm job array over the same lines) and the runs' scenario files\n"
    "--run        run the jobs here, N at a time (default 2), then merge\n"
    "--merge      combine the runs' summary.json: mean, sd and 95 % CI per point, in\n"
    "             DIR/merged.json and DIR/merged.csv; refuses results of different code\n"
    "             versions (git describe) unless --allow-mixed\n"
    "--quick      the spec's quick points and seeds\n"
    "--seeds LIST seeds to use instead of the spec's, e.g. 1,2,3\n"
    "DIR defaults to results/campaign-<name> (results/campaign-<name>-quick with --quick).\n";

const char* kReproduceUsage =
    "usage: dyscosim reproduce FIG [--quick] [--seeds LIST] [--jobs N] [--out DIR]\n"
    "\n"
    "FIG: fig7 fig8 fig9 fig11 fig12 fig13 fig14 contention. Runs the figure's\n"
    "campaign (scenarios/figures/FIG.json) N runs at a time (default 2), merges it and writes\n"
    "DIR (default results/FIG): merged.json, merged.csv, FIG.png (gnuplot), comparison.md\n"
    "(our numbers beside the paper's) and runs/<series>_<param><value>_seed<S>/.\n"
    "--quick  the small preset (seconds to a minute; what CI runs)\n"
    "--report-only  merge, plot and compare the runs already in DIR (missing ones are listed)\n"
    "--seeds LIST  seeds instead of the preset's, e.g. 1,2,3\n";

std::string
DefaultCampaignDir(const CampaignSpec& spec, bool quick)
{
    return "results/campaign-" + spec.name + (quick ? "-quick" : "");
}

void
Emit(const CampaignSpec& spec, const std::vector<JobSpec>& jobs, const std::string& dir, bool quick)
{
    WriteJobScenarios(spec, jobs);
    const std::string self = SelfPath();
    std::string lines;
    nlohmann::ordered_json manifest = nlohmann::ordered_json::array();
    for (const auto& j : jobs)
    {
        lines += JobCommand(spec, j, self) + "\n";
        manifest.push_back({{"series", j.series},
                            {"x", j.point.x},
                            {"x_text", j.point.xText},
                            {"seed", j.seed},
                            {"dir", j.dir}});
    }
    const std::string abs = fs::absolute(dir).string();
    WriteTextFile(dir + "/jobs.txt", lines);
    WriteSummary(dir + "/jobs.json", manifest);
    std::string slurm =
        "#!/bin/bash\n"
        "# Slurm job array: one line of jobs.txt per task.\n"
        "#SBATCH --job-name=dyscosim-" +
        spec.name + "\n#SBATCH --array=0-" + std::to_string(jobs.size() - 1) +
        "\n#SBATCH --ntasks=1\n#SBATCH --cpus-per-task=1\n#SBATCH --output=" + abs +
        "/slurm-%A_%a.out\nset -euo pipefail\nline=$(sed -n \"$((SLURM_ARRAY_TASK_ID + 1))p\" '" +
        abs + "/jobs.txt')\nexec /bin/sh -c \"$line\"\n";
    WriteTextFile(dir + "/slurm.sh", slurm);
    fs::permissions(dir + "/slurm.sh", fs::perms::owner_exec, fs::perm_options::add);
    std::cout << jobs.size() << " jobs in " << dir << "/jobs.txt; run them with one of:\n"
              << "  parallel -j2 --joblog " << dir << "/joblog.txt < " << dir << "/jobs.txt\n"
              << "  parallel --sshlogin HOST1,HOST2 --joblog " << dir << "/joblog.txt < " << dir
              << "/jobs.txt   # same paths on every host\n"
              << "  sbatch --wait " << dir << "/slurm.sh\n"
              << "then: dyscosim campaign " << spec.file << " --merge" << (quick ? " --quick" : "")
              << " --out " << dir << "\n";
}

/// The jobs DIR/jobs.json lists (written by --emit), or `expanded` if there is none.
std::vector<JobSpec>
EmittedJobs(const std::string& dir, const std::vector<JobSpec>& expanded)
{
    std::ifstream in(dir + "/jobs.json");
    if (!in)
    {
        return expanded;
    }
    std::vector<JobSpec> jobs;
    try
    {
        nlohmann::json manifest;
        in >> manifest;
        for (const auto& e : manifest)
        {
            JobSpec j;
            j.series = e.at("series").get<std::string>();
            j.point.x = e.at("x").get<double>();
            j.point.xText = e.at("x_text").get<std::string>();
            j.seed = e.at("seed").get<uint32_t>();
            j.dir = e.at("dir").get<std::string>();
            jobs.push_back(j);
        }
    }
    catch (const nlohmann::json::exception& e)
    {
        throw ScenarioError(dir + "/jobs.json", "", std::string("not a job manifest: ") + e.what());
    }
    return jobs;
}

int
Merge(const CampaignSpec& spec, const std::vector<JobSpec>& jobs, const std::string& dir,
      bool allowMixed, MergeResult* out)
{
    try
    {
        *out = MergeRuns(spec, jobs, allowMixed);
    }
    catch (const MergeError& e)
    {
        std::cerr << "dyscosim: merge: " << e.what() << "\n";
        return kBadInput;
    }
    WriteMerged(spec, *out, dir);
    size_t failed = 0;
    for (const auto& p : out->points)
    {
        failed += p.failed;
    }
    std::cout << "merged " << jobs.size() - out->missing.size() << " of " << jobs.size()
              << " runs into " << dir << "/merged.json, " << dir << "/merged.csv"
              << (failed ? " (" + std::to_string(failed) + " runs failed their check)" : "")
              << "\n";
    if (!out->missing.empty())
    {
        std::cerr << "dyscosim: merge: " << out->missing.size()
                  << " runs have no summary.json yet, e.g. " << out->missing.front() << "\n";
    }
    return kPass;
}

int
ExitOf(const ExecOutcome& e)
{
    for (const auto& f : e.failures)
    {
        std::cerr << "dyscosim: run failed: " << f << "\n";
    }
    return e.failed ? kFailed : e.violated ? kViolation : kPass;
}

} // namespace

const std::vector<FigureEntry>&
KnownFigures()
{
    static const std::vector<FigureEntry> figures = {
        {"fig7", ""},  {"fig8", ""},  {"fig9", ""},  {"fig11", ""},
        {"fig12", ""}, {"fig13", ""}, {"fig14", ""}, {"contention", ""},
    };
    return figures;
}

int
RunCampaignCommand(const std::vector<std::string>& args)
{
    Options o;
    try
    {
        o = Parse(args, true);
    }
    catch (const BadUsage& e)
    {
        std::cerr << "dyscosim campaign: " << e.what() << "\n" << kCampaignUsage;
        return kBadInput;
    }
    if (o.help)
    {
        std::cout << kCampaignUsage;
        return kPass;
    }
    CampaignSpec spec;
    try
    {
        spec = LoadCampaignSpec(o.target, o.quick);
        if (!o.seeds.empty())
        {
            spec.seeds = o.seeds;
        }
        const std::string dir = o.outDir.empty() ? DefaultCampaignDir(spec, o.quick) : o.outDir;
        fs::create_directories(dir);
        const auto jobs = ExpandJobs(spec, dir);
        if (o.mode == "emit")
        {
            Emit(spec, jobs, dir, o.quick);
            return kPass;
        }
        MergeResult merged;
        if (o.mode == "merge")
        {
            // The emitted manifest says which runs belong (seeds given at --emit included).
            return Merge(spec, o.seeds.empty() ? EmittedJobs(dir, jobs) : jobs, dir, o.allowMixed,
                         &merged);
        }
        WriteJobScenarios(spec, jobs);
        ExecOutcome e = RunJobsLocally(spec, jobs, SelfPath(), o.jobs);
        int rc = Merge(spec, jobs, dir, o.allowMixed, &merged);
        return rc != kPass ? kFailed : ExitOf(e);
    }
    catch (const ScenarioError& e)
    {
        std::cerr << "dyscosim: error: " << e.what() << "\n";
        return kBadInput;
    }
    catch (const fs::filesystem_error& e)
    {
        std::cerr << "dyscosim: error: " << e.what() << "\n";
        return kBadInput;
    }
}

int
RunReproduceCommand(const std::vector<std::string>& args)
{
    Options o;
    try
    {
        o = Parse(args, false);
    }
    catch (const BadUsage& e)
    {
        std::cerr << "dyscosim reproduce: " << e.what() << "\n" << kReproduceUsage;
        return kBadInput;
    }
    if (o.help)
    {
        std::cout << kReproduceUsage;
        return kPass;
    }
    const FigureEntry* fig = nullptr;
    for (const auto& f : KnownFigures())
    {
        fig = f.name == o.target ? &f : fig;
    }
    if (!fig)
    {
        std::cerr << "dyscosim reproduce: unknown figure '" << o.target
                  << "'; expected one of fig7, fig8, fig9, fig11, fig12, fig13, fig14, "
                     "contention\n";
        return kBadInput;
    }
    if (!fig->waitsFor.empty())
    {
        std::cerr << "dyscosim reproduce: " << fig->name << " is not available yet: it waits for "
                  << fig->waitsFor << "\n";
        return kBadInput;
    }
    std::string specFile = "scenarios/figures/" + fig->name + ".json";
    if (!fs::exists(specFile))
    {
        specFile = std::string(DYSCOSIM_SOURCE_DIR) + "/" + specFile;
    }
    const auto start = std::chrono::steady_clock::now();
    try
    {
        CampaignSpec spec = LoadCampaignSpec(specFile, o.quick);
        if (!o.seeds.empty())
        {
            spec.seeds = o.seeds;
        }
        const std::string dir = o.outDir.empty() ? "results/" + fig->name : o.outDir;
        fs::create_directories(dir);
        const auto jobs = ExpandJobs(spec, dir);
        ExecOutcome e;
        if (!o.reportOnly)
        {
            WriteJobScenarios(spec, jobs);
            std::cerr << "dyscosim reproduce " << fig->name << (o.quick ? " --quick" : "") << ": "
                      << jobs.size() << " runs, " << o.jobs << " at a time, into " << dir << "\n";
            e = RunJobsLocally(spec, jobs, SelfPath(), o.jobs);
        }
        MergeResult merged;
        if (Merge(spec, jobs, dir, false, &merged) != kPass)
        {
            return kFailed;
        }
        AddTimeseries(spec, jobs, dir, &merged);
        ReportInfo info;
        info.command = "dyscosim reproduce " + fig->name + (o.quick ? " --quick" : "");
        if (o.reportOnly)
        {
            info.command += " --report-only (runs made earlier)";
        }
        info.preset = o.quick ? "quick" : "full";
        info.wallS =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        const bool plotted = WritePlot(spec, merged, dir, &info);
        WriteComparison(spec, merged, info, dir);
        if (!plotted)
        {
            std::cerr << "dyscosim reproduce: " << info.plotError << "\n";
        }
        std::cout << "results: " << dir << "/comparison.md, " << dir << "/" << spec.name << ".png, "
                  << dir << "/merged.json, " << dir << "/merged.csv\n";
        int rc = ExitOf(e);
        return rc == kPass && !plotted ? kFailed : rc;
    }
    catch (const ScenarioError& e)
    {
        std::cerr << "dyscosim: error: " << e.what() << "\n";
        return kBadInput;
    }
    catch (const fs::filesystem_error& e)
    {
        std::cerr << "dyscosim: error: " << e.what() << "\n";
        return kBadInput;
    }
}

} // namespace dyscosim
