// dyscosim: the command-line front end (DESIGN.md "Scenarios and the CLI").
// Exit codes: 0 ran and every check passed; 1 a property was violated; 2 bad input (usage,
// scenario file, output directory), nothing ran; 3 internal error.
#include "address_plan.h"
#include "campaign_command.h"
#include "cli_args.h"
#include "delivery_check.h"
#include "fuzz_command.h"
#include "migration_report.h"
#include "regress_command.h"
#include "runner.h"
#include "scenario_error.h"
#include "scenario_loader.h"
#include "summary.h"
#include "timing_summary.h"
#include "version.h"
#ifdef DYSCO_WITH_CHECKER
#include "check_command.h"
#include "diagram_command.h"
#include "trace_check.h"
#endif

#ifdef DYSCO_ENABLE_MUTANTS
#include "core/mutant.h"
#endif

#include <cstdlib>
#include <filesystem>
#include <iostream>

namespace
{

using namespace dyscosim;

constexpr int kExitPass = 0;
constexpr int kExitViolation = 1;
constexpr int kExitBadInput = 2;
constexpr int kExitInternal = 3;

int
Run(const RunArgs& args)
{
    Scenario s;
    try
    {
        s = LoadScenarioFile(args.scenario, LoadOptions{args.quick});
    }
    catch (const ScenarioError& e)
    {
        std::cerr << "dyscosim: error: " << e.what() << "\n";
        return kExitBadInput;
    }
    if (args.seed)
    {
        s.seed = *args.seed;
    }
    std::string out = args.outDir.empty() ? "results/" + s.name : args.outDir;
    std::error_code ec;
    std::filesystem::create_directories(args.pcap ? out + "/pcap" : out, ec);
    if (ec || !std::filesystem::is_directory(out))
    {
        std::cerr << "dyscosim: error: cannot create output directory " << out << ": "
                  << (ec ? ec.message() : "not a directory") << "\n";
        return kExitBadInput;
    }

    std::cerr << "dyscosim: " << s.name << (args.quick ? " (--quick)" : "") << ": seed " << s.seed
              << ", " << s.nodes.size() << " nodes, " << s.SessionCount() << " sessions, stop at "
              << s.durationS << " s simulated\n";
    RunOptions options;
    options.outDir = out;
    options.quick = args.quick;
    options.pcap = args.pcap;
    options.trace = args.trace;
    RunResult r = RunScenario(s, options);
    CheckOutcome check = CheckDelivery(r);
    nlohmann::ordered_json summary = MakeSummary(r, check, dysco::GitDescribe());
    bool pass = check.pass;
    std::string explanation; // the trace checker's, printed on a violation
#ifdef DYSCO_WITH_CHECKER
    if (options.trace)
    {
        TraceCheck tc = CheckTrace(TracePath(out), s.seed);
        std::cerr << "dyscosim: checked " << TracePath(out) << " in " << tc.seconds << " s\n";
        summary["check"] = MergedCheck(check, tc);
        pass = MergedPass(check, tc);
        if (!tc.read)
        {
            explanation = "dyscosim: bad trace: " + tc.error + "\n";
        }
        else if (!tc.report.pass)
        {
            explanation = tc.text;
            for (const std::string& svg :
                 WriteCounterexampleDiagrams(TracePath(out), tc.report, out))
            {
                explanation += "counterexample diagram: " + svg + "\n";
            }
        }
    }
#endif
    WriteSummary(out + "/summary.json", summary);
    WriteTextFile(out + "/sessions.csv", SessionsCsv(r));
    WriteTextFile(out + "/reconfigurations.csv", ReconfigurationsCsv(r));
    if (!r.migrations.empty())
    {
        WriteTextFile(out + "/migrations.csv", MigrationsCsv(r));
    }
    WriteTextFile(out + "/nodes.csv", NodesCsv(s, AddressPlan(s)));
    WriteTextFile(out + "/timings.csv", TimingsCsv(r));
    WriteTextFile(out + "/goodput.csv", GoodputCsv(r));
    for (const auto& [name, text] : r.extraCsv)
    {
        WriteTextFile(out + "/" + name, text);
    }

    uint64_t completed = 0;
    uint64_t endedEarly = 0;
    uint64_t written = 0;
    uint64_t delivered = 0;
    for (const auto& session : r.sessions)
    {
        completed += session.Completed() ? 1 : 0;
        endedEarly += !session.injected.empty() && session.cutShort ? 1 : 0;
        written += session.bytesWritten + session.reverseWritten;
        delivered += session.bytesDelivered + session.reverseDelivered;
    }
    std::cout << "sessions: " << completed << " of " << r.sessions.size() << " completed"
              << (endedEarly > 0 ? ", " + std::to_string(endedEarly) + " closed early as injected"
                                 : std::string())
              << "; " << delivered << " bytes delivered of " << written << " written\n";
    if (!r.reconfigurations.empty())
    {
        const auto rc = MakeSummary(r, check, "")["reconfigurations"];
        std::cout << "reconfigurations: " << rc["attempted"] << " attempted, " << rc["succeeded"]
                  << " succeeded, " << rc["aborted"] << " aborted (" << rc["nacked"] << " nacked), "
                  << rc["refused"] << " refused\n";
    }
    for (const auto& [name, verdict] : summary["check"]["properties"].items())
    {
        if (verdict != "not_checked")
        {
            std::cout << "check " << name << ": " << verdict.get<std::string>() << "\n";
        }
    }
    std::cout << "results: " << out << "/summary.json, " << out << "/sessions.csv, " << out
              << "/reconfigurations.csv\n";
    if (!explanation.empty())
    {
        std::cout << "\n" << explanation;
    }
    if (!pass)
    {
        constexpr size_t kShown = 10; // the rest are in summary.json
        for (size_t i = 0; i < check.violations.size() && i < kShown; ++i)
        {
            std::cerr << "dyscosim: property violated: " << check.violations[i] << "\n";
        }
        if (check.violations.size() > kShown)
        {
            std::cerr << "dyscosim: ... and " << check.violations.size() - kShown
                      << " more violations in " << out << "/summary.json\n";
        }
        return kExitViolation;
    }
    return kExitPass;
}

} // namespace

int
main(int argc, char** argv)
{
    CliCommand cmd;
    try
    {
        cmd = ParseCommandLine(std::vector<std::string>(argv + 1, argv + argc));
    }
    catch (const UsageError& e)
    {
        std::cerr << "dyscosim: " << e.what() << "\n" << UsageText();
        return kExitBadInput;
    }
#ifdef DYSCO_ENABLE_MUTANTS
    // The mutant test build (dyscosim-mutants): DYSCO_MUTANT selects the protocol bug; fuzz
    // and regress children inherit it.
    if (const char* name = std::getenv("DYSCO_MUTANT"); name != nullptr && *name != '\0')
    {
        dysco::Mutant m = dysco::Mutant::kNone;
        if (!dysco::MutantFromString(name, &m))
        {
            std::cerr << "dyscosim: DYSCO_MUTANT: unknown mutant '" << name << "'\n";
            return kExitBadInput;
        }
        dysco::SetMutant(m);
    }
#endif
    switch (cmd.kind)
    {
    case CliCommand::Kind::kHelp:
        std::cout << UsageText();
        return kExitPass;
    case CliCommand::Kind::kVersion:
        std::cout << "dyscosim " << dysco::GitDescribe() << "\n";
        return kExitPass;
    case CliCommand::Kind::kCheck:
#ifdef DYSCO_WITH_CHECKER
        return dysco::verify::RunCheckCommand(argc - 1, argv + 1);
#else
        std::cerr << "dyscosim check: this build has no checker (DYSCO_WITH_Z3=OFF)\n";
        return kExitBadInput;
#endif
    case CliCommand::Kind::kDiagram:
#ifdef DYSCO_WITH_CHECKER
        return dysco::verify::RunDiagramCommand(argc - 1, argv + 1);
#else
        std::cerr << "dyscosim diagram: this build has no checker (DYSCO_WITH_Z3=OFF)\n";
        return kExitBadInput;
#endif
    case CliCommand::Kind::kFuzz:
    case CliCommand::Kind::kRegress:
        try
        {
            return cmd.kind == CliCommand::Kind::kFuzz ? RunFuzzCommand(cmd.fuzz)
                                                       : RunRegressCommand(cmd.regress);
        }
        catch (const std::exception& e)
        {
            std::cerr << "dyscosim " << cmd.subcommand << ": internal error: " << e.what() << "\n";
            return kExitInternal;
        }
    case CliCommand::Kind::kCampaign:
        return RunCampaignCommand(cmd.checkArgs);
    case CliCommand::Kind::kReproduce:
        return RunReproduceCommand(cmd.checkArgs);
    case CliCommand::Kind::kRun:
        break;
    }
    try
    {
        return Run(cmd.run);
    }
    catch (const std::exception& e)
    {
        std::cerr << "dyscosim: internal error: " << e.what() << "\n";
        return kExitInternal;
    }
}
