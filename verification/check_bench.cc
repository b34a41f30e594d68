// dyscosim-check-bench: time and peak memory of `dyscosim-check TRACE` (reading the trace file
// included) on synthetic traces of about 10k, 100k and 1M events, clean and with planted
// violations. Each check runs in a child process so its peak RSS is its own (wait4 rusage).
//
//   dyscosim-check-bench [--sizes 10000,100000,1000000] [--seed N] [--keep DIR]
#include "synthetic.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <spawn.h>
#include <string>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

extern char** environ;

using namespace dysco::verify;

namespace
{

constexpr size_t kChunksPerSession = 150; // about 934 events per session

std::string
SelfDir()
{
    char buf[4096];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
    if (n <= 0)
    {
        return ".";
    }
    buf[n] = '\0';
    std::string p(buf);
    return p.substr(0, p.rfind('/'));
}

struct Run
{
    int exitCode = -1;
    double wallSeconds = 0;
    long maxRssKb = 0;
};

Run
RunCheck(const std::string& exe, const std::string& trace)
{
    Run r;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    std::vector<char*> argv = {const_cast<char*>(exe.c_str()), const_cast<char*>(trace.c_str()),
                               nullptr};
    auto t0 = std::chrono::steady_clock::now();
    pid_t pid = 0;
    if (posix_spawn(&pid, exe.c_str(), &fa, nullptr, argv.data(), environ) != 0)
    {
        std::perror("posix_spawn");
        posix_spawn_file_actions_destroy(&fa);
        return r;
    }
    int status = 0;
    struct rusage ru;
    std::memset(&ru, 0, sizeof(ru));
    wait4(pid, &status, 0, &ru);
    r.wallSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    r.maxRssKb = ru.ru_maxrss;
    r.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    posix_spawn_file_actions_destroy(&fa);
    return r;
}

std::vector<size_t>
ParseSizes(const char* s)
{
    std::vector<size_t> v;
    std::string t(s);
    size_t start = 0;
    while (start < t.size())
    {
        size_t comma = t.find(',', start);
        v.push_back(std::stoul(t.substr(start, comma - start)));
        if (comma == std::string::npos)
        {
            break;
        }
        start = comma + 1;
    }
    return v;
}

} // namespace

int
main(int argc, char** argv)
{
    std::vector<size_t> sizes = {10000, 100000, 1000000};
    uint64_t seed = 1;
    std::string dir = "/tmp";
    bool keep = false;
    for (int i = 1; i < argc; ++i)
    {
        if (!std::strcmp(argv[i], "--sizes") && i + 1 < argc)
        {
            sizes = ParseSizes(argv[++i]);
        }
        else if (!std::strcmp(argv[i], "--seed") && i + 1 < argc)
        {
            seed = std::strtoull(argv[++i], nullptr, 10);
        }
        else if (!std::strcmp(argv[i], "--keep") && i + 1 < argc)
        {
            dir = argv[++i];
            keep = true;
        }
        else
        {
            std::fprintf(stderr, "usage: %s [--sizes N,N,...] [--seed N] [--keep DIR]\n", argv[0]);
            return 2;
        }
    }
    const std::string exe = SelfDir() + "/dyscosim-check";
    std::printf("dyscosim-check-bench: seed %llu, %zu chunks per session, checker %s\n",
                (unsigned long long)seed, kChunksPerSession, exe.c_str());
    std::printf("%-10s %-8s %10s %9s %10s %10s %8s %6s\n", "target", "kind", "events", "sessions",
                "file_MB", "wall_s", "peak_MB", "exit");
    for (size_t target : sizes)
    {
        for (int planted = 0; planted < 2; ++planted)
        {
            SyntheticOptions o;
            o.seed = seed;
            o.chunks = kChunksPerSession;
            o.sessions = std::max<size_t>(1, (target + 467) / 934); // ~934 events per session
            o.concurrent = 64;
            if (planted)
            {
                // Seven violations spread over the trace, one per kind family.
                const Mutation kinds[] = {Mutation::kCorruptRead, Mutation::kAckBeyond,
                                          Mutation::kSeqForeign,  Mutation::kDoubleLock,
                                          Mutation::kNeverEnds,   Mutation::kTeardownEarly,
                                          Mutation::kNoFree};
                for (size_t k = 0; k < 7; ++k)
                {
                    o.plant.push_back(Planted{uint32_t(1 + (k * o.sessions) / 7), kinds[k]});
                }
            }
            const std::string path = dir + "/dyscosim-bench-" + std::to_string(target) +
                                     (planted ? "-planted" : "") + ".trace";
            std::string error;
            std::vector<Planted> applied;
            uint64_t n = WriteSyntheticTrace(path, o, &applied, &error);
            if (n == 0)
            {
                std::fprintf(stderr, "cannot write %s: %s\n", path.c_str(), error.c_str());
                return 2;
            }
            struct stat st;
            stat(path.c_str(), &st);
            Run r = RunCheck(exe, path);
            std::printf("%-10zu %-8s %10llu %9zu %10.1f %10.3f %8.1f %6d\n", target,
                        planted ? "planted" : "clean", (unsigned long long)n, o.sessions,
                        double(st.st_size) / 1e6, r.wallSeconds, double(r.maxRssKb) / 1024.0,
                        r.exitCode);
            std::fflush(stdout);
            if (!keep)
            {
                std::remove(path.c_str());
            }
        }
    }
    return 0;
}
