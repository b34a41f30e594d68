#include "cli_args.h"

#include <algorithm>

namespace dyscosim
{

namespace
{

const std::vector<std::string> kPlannedSubcommands = {"fuzz", "regress"};

uint32_t
ParseSeed(const std::string& text)
{
    uint64_t v = 0;
    bool ok = !text.empty() && text.size() <= 10;
    for (char c : text)
    {
        ok = ok && c >= '0' && c <= '9';
        v = v * 10 + uint64_t(c - '0');
    }
    if (!ok || v == 0 || v > UINT32_MAX)
    {
        throw UsageError("--seed expects an integer from 1 to 4294967295, got '" + text + "'");
    }
    return uint32_t(v);
}

RunArgs
ParseRun(const std::vector<std::string>& args)
{
    RunArgs run;
    for (size_t i = 0; i < args.size(); ++i)
    {
        std::string arg = args[i];
        std::string value;
        bool inlineValue = false;
        size_t eq = arg.find('=');
        if (arg.rfind("--", 0) == 0 && eq != std::string::npos)
        {
            value = arg.substr(eq + 1);
            arg = arg.substr(0, eq);
            inlineValue = true;
        }
        auto takeValue = [&]()
        {
            if (inlineValue)
            {
                return value;
            }
            if (i + 1 >= args.size())
            {
                throw UsageError("option '" + arg + "' needs a value");
            }
            return args[++i];
        };
        auto noValue = [&]()
        {
            if (inlineValue)
            {
                throw UsageError("option '" + arg + "' takes no value");
            }
        };
        if (arg == "--quick")
        {
            noValue();
            run.quick = true;
        }
        else if (arg == "--pcap")
        {
            noValue();
            run.pcap = true;
        }
        else if (arg == "--trace")
        {
            noValue();
            run.trace = true;
        }
        else if (arg == "--no-trace")
        {
            noValue();
            run.trace = false;
        }
        else if (arg == "--seed")
        {
            run.seed = ParseSeed(takeValue());
        }
        else if (arg == "--out")
        {
            run.outDir = takeValue();
            if (run.outDir.empty())
            {
                throw UsageError("option '--out' needs a directory, got ''");
            }
        }
        else if (arg.size() > 1 && arg[0] == '-')
        {
            throw UsageError("unknown option '" + arg + "' for 'run'");
        }
        else if (run.scenario.empty())
        {
            run.scenario = arg;
        }
        else
        {
            throw UsageError("unexpected argument '" + arg + "' (the scenario is '" + run.scenario +
                             "')");
        }
    }
    if (run.scenario.empty())
    {
        throw UsageError("'run' needs a scenario file, e.g. dyscosim run "
                         "scenarios/quickstart.json");
    }
    return run;
}

} // namespace

std::string
UsageText()
{
    return "usage: dyscosim run SCENARIO.json [--quick] [--seed N] [--out DIR] [--pcap] "
           "[--no-trace]\n"
           "       dyscosim check TRACE [--full] [--seed N] [--sample N] [--json] [--dump]\n"
           "       dyscosim diagram TRACE [--session S] [--out FILE.svg]\n"
           "       dyscosim reproduce FIG [--quick] [--jobs N] [--out DIR]\n"
           "       dyscosim campaign SPEC.json --emit jobs | --run | --merge [--quick] [--out "
           "DIR]\n"
           "       dyscosim --help | --version\n"
           "\n"
           "run       build and run the scenario, check delivery, write DIR/summary.json\n"
           "          and DIR/sessions.csv (DIR defaults to results/<scenario name>)\n"
           "  --quick   apply the scenario's \"quick\" reductions (shorter, fewer sessions)\n"
           "  --seed N  override the scenario's seed (1 to 4294967295)\n"
           "  --out DIR output directory\n"
           "  --pcap    capture every link to DIR/pcap/\n"
           "  --no-trace  do not record DIR/trace.txt, nor check it (by default it is\n"
           "            recorded and checked: the five properties, summary.json \"check\")\n"
           "check     the Z3 checker on a recorded trace (dyscosim check --help)\n"
           "diagram   a session's message sequence chart as SVG (dyscosim diagram --help)\n"
           "reproduce run, plot and compare one of the paper's figures (dyscosim reproduce "
           "--help)\n"
           "campaign  a parameter/seed sweep as jobs for GNU parallel or Slurm, and their merge\n"
           "\n"
           "not implemented yet: fuzz, regress\n"
           "exit codes: 0 ran and every check passed, 1 a property was violated, 2 bad input\n";
}

CliCommand
ParseCommandLine(const std::vector<std::string>& args)
{
    CliCommand cmd;
    if (!args.empty() && (args[0] == "check" || args[0] == "diagram"))
    {
        // The checker and the diagram parse their own arguments (help included).
        cmd.kind = args[0] == "check" ? CliCommand::Kind::kCheck : CliCommand::Kind::kDiagram;
        cmd.subcommand = args[0];
        cmd.checkArgs.assign(args.begin() + 1, args.end());
        return cmd;
    }
    if (!args.empty() && (args[0] == "campaign" || args[0] == "reproduce"))
    {
        cmd.kind =
            args[0] == "campaign" ? CliCommand::Kind::kCampaign : CliCommand::Kind::kReproduce;
        cmd.subcommand = args[0];
        cmd.checkArgs.assign(args.begin() + 1, args.end());
        return cmd;
    }
    if (std::find(args.begin(), args.end(), "--help") != args.end() ||
        std::find(args.begin(), args.end(), "-h") != args.end() ||
        (!args.empty() && args[0] == "help"))
    {
        cmd.kind = CliCommand::Kind::kHelp;
        return cmd;
    }
    if (args.empty())
    {
        throw UsageError("missing subcommand");
    }
    cmd.subcommand = args[0];
    if (cmd.subcommand == "--version")
    {
        cmd.kind = CliCommand::Kind::kVersion;
        return cmd;
    }
    if (cmd.subcommand == "run")
    {
        cmd.kind = CliCommand::Kind::kRun;
        cmd.run = ParseRun(std::vector<std::string>(args.begin() + 1, args.end()));
        return cmd;
    }
    if (std::find(kPlannedSubcommands.begin(), kPlannedSubcommands.end(), cmd.subcommand) !=
        kPlannedSubcommands.end())
    {
        cmd.kind = CliCommand::Kind::kNotImplemented;
        return cmd;
    }
    throw UsageError("unknown subcommand '" + cmd.subcommand + "'");
}

} // namespace dyscosim
