// A chain of three Linux hosts in network namespaces (client, mb, server) joined by one
// dyscosim-dpdk process in a fourth namespace: each host's TAP interface is a host-side port
// of its agent, the agents' network sides meet on the in-process fabric. Everything is
// created for one test and removed by the destructor, on failure too; namespaces that a
// killed earlier run left behind (their test process is gone) are removed first.
#ifndef DYSCO_TESTS_DPDK_NETNS_CHAIN_H
#define DYSCO_TESTS_DPDK_NETNS_CHAIN_H

#include "test_support.h"

#include <memory>
#include <string>
#include <vector>

namespace dysco::dpdk::test
{

class NetnsChain
{
public:
    static constexpr const char* kClientIp = "10.77.0.1";
    static constexpr const char* kMbIp = "10.77.0.2";
    static constexpr const char* kServerIp = "10.77.0.3";
    static constexpr int kServerPort = 8080;

    /// `dir`: scratch directory for the configuration, outputs and the served file.
    explicit NetnsChain(std::string dir);
    ~NetnsChain();

    /// Why the test cannot run here ("" if it can): not root, no /dev/net/tun, a tool missing.
    static std::string MissingPrerequisite();

    /// Creates the namespaces, starts dyscosim-dpdk and moves its TAPs into the hosts,
    /// starts an HTTP server in "server" serving dir/www. "" on success, else what failed.
    std::string Up();

    std::string Namespace(char host) const { return m_prefix + host; }
    const std::string& Dir() const { return m_dir; }

    /// Sends a command to dyscosim-dpdk's control socket; returns its answer.
    std::string Command(const std::string& command);
    /// The JSON lines dyscosim-dpdk printed so far.
    std::vector<nlohmann::json> AppLines() const;
    /// A fresh counters line (the "stats" command), or null after 5 s.
    nlohmann::json Stats();
    /// Stops dyscosim-dpdk ("quit") and returns its final counters line (null if none).
    nlohmann::json Quit(int* exitCode);

    /// argv that runs `args` inside the namespace of `host` ('c', 'm', 's').
    std::vector<std::string> In(char host, const std::vector<std::string>& args) const;

private:
    std::string Step(const std::vector<std::string>& argv);
    static void RemoveStaleNamespaces();

    std::string m_dir;
    std::string m_prefix; ///< "dyt<pid>": namespaces and interfaces are this plus a letter
    std::vector<std::string> m_namespaces;
    std::unique_ptr<Process> m_app;
    std::unique_ptr<Process> m_server;
    int m_commandFd = -1;
};

/// Node of a counters line by name (null if absent).
nlohmann::json NodeStats(const nlohmann::json& stats, const std::string& name);

} // namespace dysco::dpdk::test

#endif
