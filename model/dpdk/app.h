// dyscosim-dpdk's main loop: the agents of a configuration on their ports, polled on one
// lcore; timers from the TSC; run-time commands, scheduled reconfigurations, periodic and
// final counters as JSON lines on stdout; backs off (sleeps) while every port is idle.
#ifndef DYSCO_DPDK_APP_H
#define DYSCO_DPDK_APP_H

#include "agent_node.h"
#include "app_config.h"
#include "command_socket.h"
#include "fabric.h"
#include "tsc_clock.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace dysco::dpdk
{

struct AppOptions
{
    std::string configFile;
    std::string controlPath;      ///< UNIX datagram socket for commands ("" = none)
    std::string statsFile;        ///< the final counters also go here ("" = stdout only)
    double statsIntervalS = 10.0; ///< periodic counters (0 = off)
    double runForS = 0.0;         ///< stop after this long (0 = until a signal or "quit")
    double exitIdleS = 0.0;       ///< stop after this long without any frame (0 = never)
    unsigned mbufs = 16384;
};

class App
{
public:
    /// Opens the ports and builds the agents. A device the configuration names but DPDK
    /// does not know throws dyscosim::ScenarioError (file, JSON path); other failures
    /// std::runtime_error.
    App(const AppConfig& config, const AppOptions& options, rte_mempool* pool);
    ~App();

    /// Runs until stopped; prints the final counters.
    void Run();
    /// Asynchronous-signal-safe: makes Run() return soon.
    static void RequestStop();

    nlohmann::json StatsJson(const std::string& reason) const;

private:
    Port& OpenPort(const std::string& device, const std::string& path, rte_mempool* pool);
    void Housekeeping(uint64_t nowNs);
    void HandleCommand(const std::string& command, uint64_t nowNs);
    /// Resolves a node name or dotted quad; 0 if neither.
    uint32_t ResolveAddress(const std::string& text) const;
    AgentNode* FindNode(const std::string& name) const;
    void Reconfigure(AgentNode& node, uint32_t rightAnchor, const std::vector<uint32_t>& mbs,
                     uint64_t nowNs, const std::string& trigger);
    void OnEvent(const AgentNode& node, const dysco::AgentEvent& e);
    void PrintLine(const nlohmann::json& j) const;

    AppConfig m_config;
    AppOptions m_options;
    TscClock m_clock;
    Fabric m_fabric;
    std::vector<std::unique_ptr<Port>> m_ports;
    std::vector<std::unique_ptr<AgentNode>> m_nodes;
    std::unique_ptr<CommandSocket> m_commands;
    std::vector<bool> m_reconfigDone;
    uint64_t m_nextHousekeepingNs = 0;
    uint64_t m_nextStatsNs = 0;
    uint64_t m_lastFrameNs = 0;
    bool m_stop = false;
};

} // namespace dysco::dpdk

#endif
