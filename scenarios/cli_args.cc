#include "cli_args.h"

#include <algorithm>

namespace dyscosim
{

namespace
{

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

/// --name VALUE or --name=VALUE options of fuzz and regress.
class Options
{
public:
    Options(const std::string& subcommand, const std::vector<std::string>& args)
        : m_sub(subcommand)
        , m_args(args)
    {
    }

    /// Next option name, or false at the end; a non-option argument is a usage error.
    bool Next(std::string* name)
    {
        if (m_i >= m_args.size())
        {
            return false;
        }
        std::string arg = m_args[m_i++];
        m_inline.reset();
        size_t eq = arg.find('=');
        if (arg.rfind("--", 0) == 0 && eq != std::string::npos)
        {
            m_inline = arg.substr(eq + 1);
            arg = arg.substr(0, eq);
        }
        if (arg.size() < 2 || arg[0] != '-')
        {
            throw UsageError("unexpected argument '" + arg + "' for '" + m_sub + "'");
        }
        *name = arg;
        return true;
    }

    std::string Value(const std::string& name)
    {
        if (m_inline)
        {
            return *m_inline;
        }
        if (m_i >= m_args.size())
        {
            throw UsageError("option '" + name + "' needs a value");
        }
        return m_args[m_i++];
    }

    void NoValue(const std::string& name) const
    {
        if (m_inline)
        {
            throw UsageError("option '" + name + "' takes no value");
        }
    }

    uint64_t Count(const std::string& name, uint64_t lo, uint64_t hi)
    {
        std::string text = Value(name);
        uint64_t v = 0;
        bool ok = !text.empty() && text.size() <= 10;
        for (char c : text)
        {
            ok = ok && c >= '0' && c <= '9';
            v = v * 10 + uint64_t(c - '0');
        }
        if (!ok || v < lo || v > hi)
        {
            throw UsageError(name + " expects an integer from " + std::to_string(lo) + " to " +
                             std::to_string(hi) + ", got '" + text + "'");
        }
        return v;
    }

    std::string Dir(const std::string& name)
    {
        std::string dir = Value(name);
        if (dir.empty())
        {
            throw UsageError("option '" + name + "' needs a directory, got ''");
        }
        return dir;
    }

    [[noreturn]] void Unknown(const std::string& name) const
    {
        throw UsageError("unknown option '" + name + "' for '" + m_sub + "'");
    }

private:
    std::string m_sub;
    std::vector<std::string> m_args;
    size_t m_i = 0;
    std::optional<std::string> m_inline;
};

constexpr uint64_t kMaxJobs = 256;

FuzzArgs
ParseFuzz(const std::vector<std::string>& args)
{
    FuzzArgs fuzz;
    Options o("fuzz", args);
    std::string name;
    while (o.Next(&name))
    {
        if (name == "--runs")
        {
            fuzz.runs = o.Count(name, 1, 1000000);
        }
        else if (name == "--seed")
        {
            fuzz.seed = ParseSeed(o.Value(name));
        }
        else if (name == "--jobs")
        {
            fuzz.jobs = unsigned(o.Count(name, 1, kMaxJobs));
        }
        else if (name == "--out")
        {
            fuzz.outDir = o.Dir(name);
        }
        else if (name == "--keep")
        {
            o.NoValue(name);
            fuzz.keep = true;
        }
        else
        {
            o.Unknown(name);
        }
    }
    if (fuzz.runs == 0)
    {
        throw UsageError("'fuzz' needs --runs N, e.g. dyscosim fuzz --runs 20 --seed 1");
    }
    return fuzz;
}

RegressArgs
ParseRegress(const std::vector<std::string>& args)
{
    RegressArgs regress;
    Options o("regress", args);
    std::string name;
    while (o.Next(&name))
    {
        if (name == "--baseline")
        {
            regress.baseline = o.Dir(name);
        }
        else if (name == "--update")
        {
            o.NoValue(name);
            regress.update = true;
        }
        else if (name == "--jobs")
        {
            regress.jobs = unsigned(o.Count(name, 1, kMaxJobs));
        }
        else if (name == "--out")
        {
            regress.outDir = o.Dir(name);
        }
        else if (name == "--scenarios")
        {
            regress.scenariosDir = o.Dir(name);
        }
        else if (name == "--fuzz-seeds")
        {
            regress.fuzzSeeds = unsigned(o.Count(name, 0, 10000));
        }
        else if (name == "--only")
        {
            std::string list = o.Value(name);
            size_t pos = 0;
            while (pos <= list.size())
            {
                size_t comma = list.find(',', pos);
                std::string item =
                    list.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
                if (item.empty())
                {
                    throw UsageError("--only expects case names separated by commas, got '" + list +
                                     "'");
                }
                regress.only.push_back(item);
                pos = comma == std::string::npos ? list.size() + 1 : comma + 1;
            }
        }
        else
        {
            o.Unknown(name);
        }
    }
    if (regress.baseline.empty())
    {
        throw UsageError("'regress' needs --baseline DIR, e.g. dyscosim regress --baseline "
                         "verification/regress-baseline");
    }
    return regress;
}

} // namespace

std::string
UsageText()
{
    return "usage: dyscosim run SCENARIO.json [--quick] [--seed N] [--out DIR] [--pcap] "
           "[--no-trace]\n"
           "       dyscosim check TRACE [--full] [--seed N] [--sample N] [--json] [--dump]\n"
           "       dyscosim diagram TRACE [--session S] [--out FILE.svg]\n"
           "       dyscosim fuzz --runs N [--seed S] [--jobs J] [--out DIR] [--keep]\n"
           "       dyscosim regress --baseline DIR [--update] [--jobs J] [--out DIR]\n"
           "                        [--only NAME,...] [--scenarios DIR] [--fuzz-seeds N]\n"
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
           "fuzz      N random scenarios (seeds S, S+1, ...; default S = 1), each run and "
           "checked;\n"
           "          DIR (default results/fuzz) gets fuzz-SEED.json per run, the results of\n"
           "          failing runs (all with --keep) and fuzz-summary.json\n"
           "regress   the scenario suite (--quick) and fuzz seeds 1..N (default 8), each\n"
           "          summary.json compared with DIR/baseline.json; --update writes it\n"
           "  --only    run only these cases (quickstart, reconfig/insert-1, fuzz-3, ...)\n"
           "  --jobs J  runs in parallel (one process each)\n"
           "reproduce run, plot and compare one of the paper's figures (dyscosim reproduce "
           "--help)\n"
           "campaign  a parameter/seed sweep as jobs for GNU parallel or Slurm, and their merge\n"
           "\n"
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
    if (cmd.subcommand == "fuzz")
    {
        cmd.kind = CliCommand::Kind::kFuzz;
        cmd.fuzz = ParseFuzz(std::vector<std::string>(args.begin() + 1, args.end()));
        return cmd;
    }
    if (cmd.subcommand == "regress")
    {
        cmd.kind = CliCommand::Kind::kRegress;
        cmd.regress = ParseRegress(std::vector<std::string>(args.begin() + 1, args.end()));
        return cmd;
    }
    throw UsageError("unknown subcommand '" + cmd.subcommand + "'");
}

} // namespace dyscosim
