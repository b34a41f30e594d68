// Campaigns run outside dyscosim: the emitted job lines through GNU parallel, and the
// Slurm job array through a single-node Slurm cluster the test starts (slurmctld + slurmd
// under a temporary directory, auth/none, stopped by PID; /work/shared/slurm-notes.md).
// Then `campaign --merge` combines the runs, refusing mixed code versions.
#include "scenarios/dyscosim_process.h"

#include <chrono>
#include <csignal>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <thread>
#include <unistd.h>

namespace dyscosim::test
{
namespace
{

using nlohmann::json;

bool
Have(const std::string& tool)
{
    return std::system(("command -v " + tool + " >/dev/null 2>&1").c_str()) == 0;
}

/// A 6-run campaign (2 series x 3 seeds) of short fig7 runs, emitted into dir.
std::string
EmitSmallCampaign(const std::string& dir)
{
    const std::string figs = std::string(DYSCO_SOURCE_DIR) + "/scenarios/figures/";
    const std::string spec = dir + "/spec.json";
    std::ofstream(spec) << R"({"name": "small", "x": {"key": "mb"},
      "metrics": [{"name": "connect_ms", "path": "timing.connect_ms.mean"}],
      "series": [{"name": "dysco", "scenario": ")"
                        << figs << R"(fig7-dysco-{x}mb.json"},
                 {"name": "routing", "scenario": ")"
                        << figs << R"(fig7-routing-{x}mb.json"}],
      "points": [{"x": 1, "set": {"traffic[*].sessions": 20}}],
      "seeds": [1, 2, 3]})";
    ProcessResult r = RunDyscosim({"campaign", spec, "--emit", "jobs", "--out", dir + "/c"});
    EXPECT_EQ(r.exitCode, 0) << r.err;
    EXPECT_NE(r.out.find("6 jobs in " + dir + "/c/jobs.txt"), std::string::npos) << r.out;
    return spec;
}

void
ExpectMerged(const std::string& spec, const std::string& dir)
{
    ProcessResult r = RunDyscosim({"campaign", spec, "--merge", "--out", dir + "/c"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_NE(r.out.find("merged 6 of 6 runs"), std::string::npos) << r.out;
    json m = json::parse(ReadFile(dir + "/c/merged.json"));
    ASSERT_EQ(m["points"].size(), 2u);
    for (const auto& p : m["points"])
    {
        EXPECT_EQ(p["runs"], 3);
        EXPECT_EQ(p["failed_checks"], 0);
        EXPECT_EQ(p["metrics"]["connect_ms"]["n"], 3);
        EXPECT_GT(p["metrics"]["connect_ms"]["mean"].get<double>(), 0.02);
    }
    // Readable run directories with their own summaries, recording the version.
    json s = json::parse(ReadFile(dir + "/c/runs/routing_mb1_seed2/summary.json"));
    EXPECT_EQ(s["seed"], 2);
    EXPECT_FALSE(s["git_describe"].get<std::string>().empty());

    // A run from another code version: refused unless --allow-mixed.
    s["git_describe"] = "v0-other";
    std::ofstream(dir + "/c/runs/routing_mb1_seed2/summary.json") << s.dump();
    r = RunDyscosim({"campaign", spec, "--merge", "--out", dir + "/c"});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.err.find("results of different code versions"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("v0-other (1 runs)"), std::string::npos) << r.err;
    r = RunDyscosim({"campaign", spec, "--merge", "--allow-mixed", "--out", dir + "/c"});
    EXPECT_EQ(r.exitCode, 0) << r.err;
}

TEST(CampaignCluster, GnuParallelRunsTheJobLines)
{
    if (!Have("parallel"))
    {
        GTEST_SKIP() << "GNU parallel is not installed (tools/deps.sh installs it)";
    }
    const std::string dir = ScratchDir("parallel");
    const std::string spec = EmitSmallCampaign(dir);
    const std::string cmd = "PARALLEL_HOME=" + ShellQuote(dir + "/.parallel") +
                            " parallel -j2 --joblog " + ShellQuote(dir + "/joblog.txt") + " < " +
                            ShellQuote(dir + "/c/jobs.txt");
    ASSERT_EQ(std::system(cmd.c_str()), 0) << ReadFile(dir + "/joblog.txt");
    ExpectMerged(spec, dir);
}

/// slurmctld + slurmd on localhost with all state under dir; stops them on destruction.
class LocalSlurm
{
public:
    explicit LocalSlurm(const std::string& dir)
        : m_dir(dir)
    {
        std::system(("mkdir -p " + ShellQuote(dir + "/state") + " " + ShellQuote(dir + "/spool") +
                     " " + ShellQuote(dir + "/log") + " && : > " +
                     ShellQuote(dir + "/plugstack.conf"))
                        .c_str());
        const int port = 26900 + int(getpid() % 500) * 2; // apart from other clusters
        std::ofstream(dir + "/slurm.conf")
            << "ClusterName=dyscotest\nSlurmctldHost=localhost\nAuthType=auth/none\n"
            << "CredType=cred/none\nSlurmUser=root\nSlurmdUser=root\nSlurmctldPort=" << port
            << "\nSlurmdPort=" << port + 1 << "\nStateSaveLocation=" << dir
            << "/state\nSlurmdSpoolDir=" << dir << "/spool\nSlurmctldPidFile=" << dir
            << "/ctld.pid\nSlurmdPidFile=" << dir << "/d.pid\nSlurmctldLogFile=" << dir
            << "/log/ctld.log\nSlurmdLogFile=" << dir << "/log/d.log\nPlugStackConfig=" << dir
            << "/plugstack.conf\nProctrackType=proctrack/linuxproc\nTaskPlugin=task/none\n"
            << "SelectType=select/cons_tres\nSelectTypeParameters=CR_Core\n"
            << "SchedulerType=sched/backfill\nSchedulerParameters=bf_interval=1\n"
            << "ReturnToService=2\nMpiDefault=none\nJobAcctGatherType=jobacct_gather/none\n"
            << "AccountingStorageType=accounting_storage/none\nSlurmctldTimeout=10\n"
            << "SlurmdTimeout=10\nInactiveLimit=0\nKillWait=2\nMinJobAge=2\n"
            << "MailProg=/bin/true\nNodeName=localhost CPUs=2 State=UNKNOWN\n"
            << "PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP\n";
        setenv("SLURM_CONF", (dir + "/slurm.conf").c_str(), 1);
        m_ctld = Spawn({"slurmctld", "-D", "-c", "-f", dir + "/slurm.conf"}, dir + "/log/ctld.out");
        m_slurmd = Spawn({"slurmd", "-D", "-f", dir + "/slurm.conf", "-N", "localhost"},
                         dir + "/log/d.out");
    }

    ~LocalSlurm()
    {
        for (pid_t p : {m_slurmd, m_ctld})
        {
            if (p > 0)
            {
                kill(p, SIGTERM);
                waitpid(p, nullptr, 0);
            }
        }
        unsetenv("SLURM_CONF");
    }

    /// Waits (at most 30 s) until the node is idle.
    bool WaitIdle() const
    {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        while (std::chrono::steady_clock::now() < deadline)
        {
            FILE* f = popen("sinfo -h -o %T 2>/dev/null", "r");
            char buf[64] = "";
            if (f)
            {
                if (!fgets(buf, sizeof(buf), f))
                {
                    buf[0] = '\0';
                }
                pclose(f);
            }
            if (std::string(buf).rfind("idle", 0) == 0)
            {
                return true;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
        }
        return false;
    }

    std::string Logs() const
    {
        return ReadFile(m_dir + "/log/ctld.log") + ReadFile(m_dir + "/log/d.log");
    }

private:
    static pid_t Spawn(const std::vector<std::string>& argv, const std::string& log)
    {
        pid_t pid = fork();
        if (pid == 0)
        {
            FILE* out = freopen(log.c_str(), "w", stdout);
            (void)out;
            dup2(fileno(stdout), fileno(stderr));
            std::vector<char*> args;
            for (const auto& a : argv)
            {
                args.push_back(const_cast<char*>(a.c_str()));
            }
            args.push_back(nullptr);
            execvp(args[0], args.data());
            _exit(127);
        }
        return pid;
    }

    std::string m_dir;
    pid_t m_ctld = -1;
    pid_t m_slurmd = -1;
};

TEST(CampaignCluster, SlurmJobArrayRunsTheCampaign)
{
    if (geteuid() != 0)
    {
        GTEST_SKIP() << "starting slurmctld/slurmd as SlurmUser=root needs root";
    }
    if (!Have("slurmctld") || !Have("slurmd") || !Have("sbatch"))
    {
        GTEST_SKIP() << "Slurm is not installed (tools/deps.sh installs slurm-wlm)";
    }
    const std::string dir = ScratchDir("slurm");
    const std::string spec = EmitSmallCampaign(dir);
    const std::string script = ReadFile(dir + "/c/slurm.sh");
    EXPECT_NE(script.find("#SBATCH --array=0-5"), std::string::npos) << script;
    LocalSlurm slurm(dir + "/cluster");
    ASSERT_TRUE(slurm.WaitIdle()) << slurm.Logs();
    const std::string cmd = "timeout 120 sbatch --wait " + ShellQuote(dir + "/c/slurm.sh") + " >" +
                            ShellQuote(dir + "/sbatch.out") + " 2>&1";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << ReadFile(dir + "/sbatch.out") << slurm.Logs();
    ExpectMerged(spec, dir);
}

} // namespace
} // namespace dyscosim::test
