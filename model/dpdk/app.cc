#include "app.h"

#include "core/five_tuple.h"
#include "eth_port.h"
#include "idle_backoff.h"
#include "scenario_error.h"

#include <csignal>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace dysco::dpdk
{

namespace
{
volatile std::sig_atomic_t g_stopRequested = 0;
constexpr uint64_t kHousekeepingNs = 1'000'000; ///< commands, schedules, stats: every 1 ms
} // namespace

void
App::RequestStop()
{
    g_stopRequested = 1;
}

App::App(const AppConfig& config, const AppOptions& options, rte_mempool* pool)
    : m_config(config)
    , m_options(options)
    , m_reconfigDone(config.reconfigurations.size(), false)
{
    for (size_t i = 0; i < m_config.nodes.size(); ++i)
    {
        const NodeConfig& n = m_config.nodes[i];
        const std::string at = "$.nodes[" + std::to_string(i) + "]";
        Port& host = OpenPort(n.hostPort, at + ".host_port", pool);
        Port* network = nullptr;
        if (n.networkPort == kFabricPort)
        {
            m_ports.push_back(m_fabric.Attach(n.address));
            network = m_ports.back().get();
        }
        else
        {
            network = &OpenPort(n.networkPort, at + ".network_port", pool);
        }
        m_nodes.push_back(std::make_unique<AgentNode>(n, m_config.agent, m_config.policies[i], host,
                                                      *network, pool));
        m_nodes.back()->SetEventObserver([this](const AgentNode& node, const dysco::AgentEvent& e)
                                         { OnEvent(node, e); });
    }
    if (!m_options.controlPath.empty())
    {
        m_commands = std::make_unique<CommandSocket>(m_options.controlPath);
    }
}

App::~App()
{
    // Agents before the ports they use; ports (closing devices) before the EAL goes.
    m_nodes.clear();
    m_ports.clear();
}

Port&
App::OpenPort(const std::string& device, const std::string& path, rte_mempool* pool)
{
    if (!EthPort::Exists(device))
    {
        throw dyscosim::ScenarioError(m_config.file, path,
                                      "no DPDK port \"" + device +
                                          "\"; ports are: " + EthPort::AllNames());
    }
    m_ports.push_back(std::make_unique<EthPort>(device, pool));
    return *m_ports.back();
}

void
App::PrintLine(const nlohmann::json& j) const
{
    std::string s = j.dump();
    s += '\n';
    std::fwrite(s.data(), 1, s.size(), stdout);
    std::fflush(stdout);
}

nlohmann::json
App::StatsJson(const std::string& reason) const
{
    nlohmann::json nodes = nlohmann::json::array();
    for (const auto& n : m_nodes)
    {
        nodes.push_back(n->StatsJson());
    }
    return {{"type", "stats"},
            {"reason", reason},
            {"config", m_config.name},
            {"time_s", m_clock.NowS()},
            {"nodes", nodes}};
}

void
App::Run()
{
    std::signal(SIGINT, [](int) { RequestStop(); });
    std::signal(SIGTERM, [](int) { RequestStop(); });
    nlohmann::json ports = nlohmann::json::array();
    for (const auto& p : m_ports)
    {
        ports.push_back({{"name", p->Name()}, {"mac", FormatMac(p->Mac())}});
    }
    PrintLine({{"type", "ready"}, {"config", m_config.name}, {"ports", ports}});

    IdleBackoff backoff;
    const uint64_t start = m_clock.NowNs();
    backoff.Busy(start);
    m_lastFrameNs = start;
    m_nextStatsNs = m_options.statsIntervalS > 0 ? start + uint64_t(m_options.statsIntervalS * 1e9)
                                                 : UINT64_MAX;
    while (!m_stop && !g_stopRequested)
    {
        const uint64_t now = m_clock.NowNs();
        uint32_t frames = 0;
        for (auto& n : m_nodes)
        {
            frames += n->Poll(now);
        }
        for (auto& n : m_nodes)
        {
            n->Service(now);
        }
        if (now >= m_nextHousekeepingNs)
        {
            m_nextHousekeepingNs = now + kHousekeepingNs;
            Housekeeping(now);
        }
        if (frames > 0)
        {
            m_lastFrameNs = now;
            backoff.Busy(now);
        }
        else
        {
            backoff.Idle(now);
        }
    }
    nlohmann::json final = StatsJson("final");
    final["idle_sleeps"] = backoff.Sleeps();
    PrintLine(final);
    if (!m_options.statsFile.empty())
    {
        std::ofstream(m_options.statsFile) << final.dump(2) << "\n";
    }
}

void
App::Housekeeping(uint64_t nowNs)
{
    while (m_commands)
    {
        auto command = m_commands->Receive();
        if (!command)
        {
            break;
        }
        HandleCommand(*command, nowNs);
    }
    for (size_t i = 0; i < m_config.reconfigurations.size(); ++i)
    {
        const ReconfigSpec& r = m_config.reconfigurations[i];
        if (!m_reconfigDone[i] && nowNs >= uint64_t(r.atS * 1e9))
        {
            m_reconfigDone[i] = true;
            Reconfigure(*m_nodes[r.node], r.rightAnchor, r.middleboxes, nowNs,
                        "$.reconfigurations[" + std::to_string(i) + "]");
        }
    }
    if (nowNs >= m_nextStatsNs)
    {
        m_nextStatsNs = nowNs + uint64_t(m_options.statsIntervalS * 1e9);
        PrintLine(StatsJson("periodic"));
    }
    if (m_options.runForS > 0 && nowNs >= uint64_t(m_options.runForS * 1e9))
    {
        m_stop = true;
    }
    if (m_options.exitIdleS > 0 && nowNs - m_lastFrameNs >= uint64_t(m_options.exitIdleS * 1e9))
    {
        bool busy = false;
        for (const auto& n : m_nodes)
        {
            busy = busy || n->Core().ActiveReconfigurations() > 0;
        }
        m_stop = !busy;
    }
}

AgentNode*
App::FindNode(const std::string& name) const
{
    for (const auto& n : m_nodes)
    {
        if (n->Name() == name)
        {
            return n.get();
        }
    }
    return nullptr;
}

uint32_t
App::ResolveAddress(const std::string& text) const
{
    if (AgentNode* n = FindNode(text))
    {
        return n->Address();
    }
    uint32_t ip = 0;
    return dysco::ParseIpv4(text, &ip) ? ip : 0;
}

void
App::HandleCommand(const std::string& command, uint64_t nowNs)
{
    std::istringstream in(command);
    std::string verb;
    in >> verb;
    std::string error;
    if (verb == "quit")
    {
        m_stop = true;
        m_commands->Reply("ok");
    }
    else if (verb == "stats")
    {
        nlohmann::json s = StatsJson("command");
        PrintLine(s);
        m_commands->Reply(s.dump());
    }
    else if (verb == "reconfigure")
    {
        // reconfigure AGENT RIGHT_ANCHOR [MIDDLEBOX...]   (names or addresses)
        std::string agent, right, mb;
        in >> agent >> right;
        AgentNode* node = FindNode(agent);
        const uint32_t anchor = ResolveAddress(right);
        std::vector<uint32_t> middleboxes;
        while (error.empty() && in >> mb)
        {
            const uint32_t a = ResolveAddress(mb);
            a != 0 ? middleboxes.push_back(a) : void(error = "unknown middlebox \"" + mb + "\"");
        }
        if (node == nullptr)
        {
            error = "unknown agent \"" + agent + "\"";
        }
        else if (anchor == 0)
        {
            error = "unknown right anchor \"" + right + "\"";
        }
        if (error.empty())
        {
            Reconfigure(*node, anchor, middleboxes, nowNs, "command");
            m_commands->Reply("ok");
        }
    }
    else
    {
        error = "unknown command \"" + verb +
                "\"; commands: reconfigure AGENT RIGHT_ANCHOR "
                "[MIDDLEBOX...], stats, quit";
    }
    if (!error.empty())
    {
        std::fprintf(stderr, "dyscosim-dpdk: command \"%s\": %s\n", command.c_str(), error.c_str());
        PrintLine({{"type", "command_error"}, {"command", command}, {"error", error}});
        m_commands->Reply("error: " + error);
    }
}

void
App::Reconfigure(AgentNode& node, uint32_t rightAnchor, const std::vector<uint32_t>& mbs,
                 uint64_t nowNs, const std::string& trigger)
{
    AgentNode::ReconfigResult r = node.ReconfigureAll(rightAnchor, mbs, nowNs);
    nlohmann::json list = nlohmann::json::array();
    for (uint32_t a : mbs)
    {
        list.push_back(dysco::Ipv4ToString(a));
    }
    PrintLine({{"type", "reconfigure"},
               {"trigger", trigger},
               {"agent", node.Name()},
               {"right_anchor", dysco::Ipv4ToString(rightAnchor)},
               {"middleboxes", list},
               {"sessions", r.sessions},
               {"started", r.started},
               {"time_s", double(nowNs) / 1e9}});
}

void
App::OnEvent(const AgentNode& node, const dysco::AgentEvent& e)
{
    switch (e.kind)
    {
    case dysco::AgentEventKind::kReconfigStarted:
    case dysco::AgentEventKind::kReconfigSucceeded:
    case dysco::AgentEventKind::kReconfigAborted:
        PrintLine({{"type", "event"},
                   {"agent", node.Name()},
                   {"event", dysco::ToString(e.kind)},
                   {"session", e.session.ToString()},
                   {"request", {dysco::Ipv4ToString(e.leftAnchor), e.requestId}},
                   {"detail", e.detail},
                   {"time_s", double(e.timeNs) / 1e9}});
        break;
    default:
        break;
    }
}

} // namespace dysco::dpdk
