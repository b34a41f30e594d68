#include "campaign_exec.h"

#include "summary.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace dyscosim
{

namespace
{

using Clock = std::chrono::steady_clock;

struct Running
{
    size_t job;
    Clock::time_point start;
};

} // namespace

std::string
SelfPath()
{
    std::error_code ec;
    auto p = std::filesystem::read_symlink("/proc/self/exe", ec);
    return ec ? std::string("dyscosim") : p.string();
}

ExecOutcome
RunJobsLocally(const CampaignSpec& spec, const std::vector<JobSpec>& jobs,
               const std::string& dyscosim, unsigned parallel)
{
    ExecOutcome out;
    std::map<pid_t, Running> running;
    size_t next = 0;
    size_t done = 0;
    parallel = parallel == 0 ? 1 : parallel;
    while (done < jobs.size())
    {
        while (running.size() < parallel && next < jobs.size())
        {
            const JobSpec& j = jobs[next];
            std::error_code ec;
            std::filesystem::remove(j.dir + "/summary.json", ec); // no stale result survives
            const std::string cmd = JobCommand(spec, j, dyscosim);
            std::cout.flush();
            pid_t pid = fork();
            if (pid == 0)
            {
                execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
                _exit(127);
            }
            if (pid < 0)
            {
                throw std::runtime_error("fork failed");
            }
            running[pid] = Running{next++, Clock::now()};
        }
        int status = 0;
        struct rusage ru = {};
        pid_t pid = wait4(-1, &status, 0, &ru);
        if (pid < 0)
        {
            throw std::runtime_error("wait4 failed");
        }
        auto it = running.find(pid);
        if (it == running.end())
        {
            continue;
        }
        const JobSpec& j = jobs[it->second.job];
        const double wall = std::chrono::duration<double>(Clock::now() - it->second.start).count();
        const double cpu = double(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
                           double(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
        const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        nlohmann::ordered_json cost = {{"exit_code", code},
                                       {"wall_s", wall},
                                       {"cpu_s", cpu},
                                       {"peak_rss_mb", double(ru.ru_maxrss) / 1024.0}};
        WriteSummary(j.dir + "/cost.json", cost);
        ++done;
        std::cerr << "[" << done << "/" << jobs.size() << "] "
                  << std::filesystem::path(j.dir).filename().string() << ": exit " << code << ", "
                  << int(cpu * 10) / 10.0 << " s CPU, " << int(wall * 10) / 10.0 << " s wall\n";
        if (code == 0)
        {
            ++out.passed;
        }
        else
        {
            (code == 1 ? out.violated : out.failed)++;
            out.failures.push_back(j.dir + ": exit " + std::to_string(code) + " (see " + j.dir +
                                   "/stderr.txt)");
        }
        running.erase(it);
    }
    return out;
}

} // namespace dyscosim
