#include "child_runs.h"

#include <chrono>
#include <climits>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <map>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

namespace dyscosim
{

std::string
SelfExecutable()
{
    char buf[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
    if (n <= 0)
    {
        throw std::runtime_error(std::string("cannot find this program's executable: ") +
                                 std::strerror(errno));
    }
    return std::string(buf, size_t(n));
}

namespace
{

using Clock = std::chrono::steady_clock;

pid_t
Start(const std::string& exe, const ChildRun& run)
{
    std::vector<std::string> argv = {exe};
    argv.insert(argv.end(), run.args.begin(), run.args.end());
    std::vector<char*> cargv;
    for (auto& a : argv)
    {
        cargv.push_back(a.data());
    }
    cargv.push_back(nullptr);
    pid_t pid = fork();
    if (pid == 0)
    {
        int fd = open(run.logFile.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd >= 0)
        {
            dup2(fd, 1);
            dup2(fd, 2);
            close(fd);
        }
        execv(exe.c_str(), cargv.data());
        _exit(127);
    }
    return pid;
}

} // namespace

void
RunChildren(const std::vector<ChildRun>& runs, unsigned jobs,
            const std::function<void(size_t, const ChildResult&)>& done)
{
    const std::string exe = SelfExecutable();
    jobs = jobs == 0 ? 1 : jobs;
    std::map<pid_t, std::pair<size_t, Clock::time_point>> running;
    size_t next = 0;
    while (next < runs.size() || !running.empty())
    {
        while (next < runs.size() && running.size() < jobs)
        {
            pid_t pid = Start(exe, runs[next]);
            if (pid < 0)
            {
                ChildResult r;
                done(next++, r);
                continue;
            }
            running[pid] = {next++, Clock::now()};
        }
        if (running.empty())
        {
            continue;
        }
        int status = 0;
        pid_t pid = waitpid(-1, &status, 0);
        if (pid < 0)
        {
            if (errno == EINTR)
            {
                continue;
            }
            throw std::runtime_error(std::string("waitpid: ") + std::strerror(errno));
        }
        auto it = running.find(pid);
        if (it == running.end())
        {
            continue; // not ours
        }
        ChildResult r;
        r.wallS = std::chrono::duration<double>(Clock::now() - it->second.second).count();
        if (WIFEXITED(status))
        {
            r.exitCode = WEXITSTATUS(status);
        }
        else if (WIFSIGNALED(status))
        {
            r.signal = WTERMSIG(status);
        }
        size_t index = it->second.first;
        running.erase(it);
        done(index, r);
    }
}

std::string
DescribeExit(const ChildResult& r)
{
    if (r.signal != 0)
    {
        return "killed by signal " + std::to_string(r.signal) + " (" + strsignal(r.signal) + ")";
    }
    if (r.exitCode == 127)
    {
        return "could not start (exit 127)";
    }
    return r.exitCode < 0 ? "could not start" : "exit " + std::to_string(r.exitCode);
}

} // namespace dyscosim
