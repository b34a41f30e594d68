#include "test_support.h"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>
#include <stdexcept>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace dysco::dpdk::test
{

std::string
SourceDir()
{
    return DYSCO_SOURCE_DIR;
}

std::string
BinaryDir()
{
    return DYSCO_BINARY_DIR;
}

std::string
ScratchDir(const std::string& name)
{
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string dir = ::testing::TempDir() + "dyscosim-dpdk-" + info->test_suite_name() + "-" +
                      info->name() + "-" + name;
    RunCommand({"rm", "-rf", dir});
    RunCommand({"mkdir", "-p", dir});
    return dir;
}

std::string
ReadFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

void
WriteFile(const std::string& path, const std::string& text)
{
    std::ofstream(path, std::ios::binary) << text;
}

std::vector<std::string>
EalArgs(const std::vector<std::string>& vdevs)
{
    std::vector<std::string> a = {"-l",
                                  "0",
                                  "--no-huge",
                                  "-m",
                                  "256",
                                  "--no-pci",
                                  "--no-shconf",
                                  "--no-telemetry",
                                  "--log-level=lib.eal:error"};
    for (const auto& v : vdevs)
    {
        a.push_back("--vdev=" + v);
    }
    return a;
}

Process::Process(const std::vector<std::string>& argv, const std::string& outPath,
                 const std::string& errPath)
{
    m_pid = fork();
    if (m_pid < 0)
    {
        throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
    }
    if (m_pid == 0)
    {
        setpgid(0, 0);
        // If the test process dies (a ctest timeout), its children go with it.
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        const int out = open(outPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        const int err = open(errPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        const int in = open("/dev/null", O_RDONLY);
        dup2(in, 0);
        dup2(out, 1);
        dup2(err, 2);
        std::vector<char*> args;
        for (const auto& a : argv)
        {
            args.push_back(const_cast<char*>(a.c_str()));
        }
        args.push_back(nullptr);
        execvp(args[0], args.data());
        dprintf(2, "exec %s: %s\n", args[0], std::strerror(errno));
        _exit(127);
    }
    setpgid(m_pid, m_pid); // also here, so a signal sent right away reaches the group
}

Process::~Process()
{
    Stop(3.0);
}

bool
Process::Running()
{
    return Wait(0) == -1;
}

int
Process::Wait(double timeoutS, rusage* usage)
{
    const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeoutS);
    while (!m_reaped)
    {
        int status = 0;
        rusage ru{};
        const pid_t r = wait4(m_pid, &status, WNOHANG, &ru);
        if (r == m_pid)
        {
            m_reaped = true;
            m_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            if (usage != nullptr)
            {
                *usage = ru;
            }
            break;
        }
        if (r < 0 || std::chrono::steady_clock::now() >= end)
        {
            return r < 0 ? -2 : -1;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return m_status;
}

int
Process::Stop(double graceS)
{
    if (m_pid <= 0 || m_reaped)
    {
        return m_status;
    }
    kill(-m_pid, SIGTERM);
    int rc = Wait(graceS);
    if (rc == -1)
    {
        kill(-m_pid, SIGKILL);
        rc = Wait(5.0);
    }
    return rc;
}

CommandResult
RunCommand(const std::vector<std::string>& argv, double timeoutS)
{
    char outTemplate[] = "/tmp/dyscosim-dpdk-run-XXXXXX";
    const int fd = mkstemp(outTemplate);
    close(fd);
    const std::string out = outTemplate;
    const std::string err = out + ".err";
    CommandResult r;
    {
        Process p(argv, out, err);
        r.exitCode = p.Wait(timeoutS);
        if (r.exitCode == -1)
        {
            p.Stop(1.0);
        }
    }
    r.out = ReadFile(out);
    r.err = ReadFile(err);
    unlink(out.c_str());
    unlink(err.c_str());
    return r;
}

std::vector<nlohmann::json>
JsonLines(const std::string& text)
{
    std::vector<nlohmann::json> out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line))
    {
        if (line.empty() || line[0] != '{')
        {
            continue;
        }
        nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
        if (!j.is_discarded())
        {
            out.push_back(std::move(j));
        }
    }
    return out;
}

bool
WaitFor(const std::function<bool()>& done, double timeoutS)
{
    const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeoutS);
    while (!done())
    {
        if (std::chrono::steady_clock::now() >= end)
        {
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return true;
}

namespace
{
void
PutMac(std::vector<uint8_t>& f, const std::string& text)
{
    unsigned b[6];
    if (std::sscanf(text.c_str(), "%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5]) !=
        6)
    {
        throw std::invalid_argument("bad MAC " + text);
    }
    for (unsigned x : b)
    {
        f.push_back(uint8_t(x));
    }
}

template <typename T>
void
PutLe(std::ofstream& o, T v)
{
    for (size_t i = 0; i < sizeof(T); ++i)
    {
        o.put(char((uint64_t(v) >> (8 * i)) & 0xff));
    }
}
} // namespace

std::vector<uint8_t>
EthFrame(const std::string& dst, const std::string& src, const std::vector<uint8_t>& payload,
         uint16_t type)
{
    std::vector<uint8_t> f;
    PutMac(f, dst);
    PutMac(f, src);
    f.push_back(uint8_t(type >> 8));
    f.push_back(uint8_t(type));
    f.insert(f.end(), payload.begin(), payload.end());
    return f;
}

void
WritePcap(const std::string& path, const std::vector<std::vector<uint8_t>>& frames)
{
    std::ofstream o(path, std::ios::binary);
    PutLe<uint32_t>(o, 0xa1b2c3d4);
    PutLe<uint16_t>(o, 2);
    PutLe<uint16_t>(o, 4);
    PutLe<int32_t>(o, 0);
    PutLe<uint32_t>(o, 0);
    PutLe<uint32_t>(o, 65535);
    PutLe<uint32_t>(o, 1); // Ethernet
    uint32_t usec = 0;
    for (const auto& f : frames)
    {
        PutLe<uint32_t>(o, 1);
        PutLe<uint32_t>(o, usec += 10);
        PutLe<uint32_t>(o, uint32_t(f.size()));
        PutLe<uint32_t>(o, uint32_t(f.size()));
        o.write(reinterpret_cast<const char*>(f.data()), std::streamsize(f.size()));
    }
}

std::vector<nlohmann::json>
DecodePcap(const std::string& path)
{
    CommandResult r = RunCommand({"python3", SourceDir() + "/tests/dpdk/pcap_decode.py", path});
    if (r.exitCode != 0)
    {
        ADD_FAILURE() << "pcap_decode.py " << path << " failed (" << r.exitCode << "): " << r.err;
        return {};
    }
    return JsonLines(r.out);
}

} // namespace dysco::dpdk::test
