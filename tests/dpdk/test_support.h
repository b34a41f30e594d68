// Shared by the dpdk tests: child processes that are always reaped (and killed on failure),
// scratch directories, capture files built from core packets, and the independent pcap
// decoder (pcap_decode.py, which recomputes every checksum from scratch).
#ifndef DYSCO_TESTS_DPDK_TEST_SUPPORT_H
#define DYSCO_TESTS_DPDK_TEST_SUPPORT_H

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <sys/resource.h>
#include <sys/types.h>
#include <vector>

namespace dysco::dpdk::test
{

std::string SourceDir();
std::string BinaryDir();
/// A fresh directory for the running test (removed first if a previous run left it).
std::string ScratchDir(const std::string& name);
std::string ReadFile(const std::string& path);
void WriteFile(const std::string& path, const std::string& text);

/// EAL arguments that work here without hugepages, PCI or shared files, plus `vdevs`.
std::vector<std::string> EalArgs(const std::vector<std::string>& vdevs);

/// A child process in its own process group; the destructor stops it (SIGTERM, then
/// SIGKILL) if it still runs, so a failing test leaves nothing behind.
class Process
{
public:
    Process(const std::vector<std::string>& argv, const std::string& outPath,
            const std::string& errPath);
    ~Process();
    Process(const Process&) = delete;
    Process& operator=(const Process&) = delete;

    pid_t Pid() const { return m_pid; }
    bool Running();
    /// Exit code, 128 + signal if killed, or -1 if still running after `timeoutS`.
    int Wait(double timeoutS, rusage* usage = nullptr);
    /// SIGTERM, then SIGKILL after `graceS`; returns what Wait returns.
    int Stop(double graceS = 5.0);

private:
    pid_t m_pid = -1;
    int m_status = -1;
    bool m_reaped = false;
};

struct CommandResult
{
    int exitCode = -1;
    std::string out;
    std::string err;
};

/// Runs argv to completion (killed after timeoutS) and captures its output.
CommandResult RunCommand(const std::vector<std::string>& argv, double timeoutS = 60);

/// The JSON objects among the lines of `text` (other lines are skipped).
std::vector<nlohmann::json> JsonLines(const std::string& text);

/// Polls `done` every 20 ms until it holds or `timeoutS` passes.
bool WaitFor(const std::function<bool()>& done, double timeoutS);

/// An Ethernet frame around `payload` (an IPv4 packet unless `type` says otherwise).
std::vector<uint8_t> EthFrame(const std::string& dst, const std::string& src,
                              const std::vector<uint8_t>& payload, uint16_t type = 0x0800);
void WritePcap(const std::string& path, const std::vector<std::vector<uint8_t>>& frames);
/// Every frame of `path` as pcap_decode.py reports it.
std::vector<nlohmann::json> DecodePcap(const std::string& path);

} // namespace dysco::dpdk::test

#endif
