#include "netns_chain.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <sstream>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

namespace dysco::dpdk::test
{

namespace
{
const char kHosts[] = {'c', 'm', 's'};

bool
Executable(const std::string& name)
{
    return RunCommand({"sh", "-c", "command -v " + name}).exitCode == 0;
}
} // namespace

NetnsChain::NetnsChain(std::string dir)
    : m_dir(std::move(dir))
    , m_prefix("dyt" + std::to_string(getpid()))
{
}

std::string
NetnsChain::MissingPrerequisite()
{
    if (geteuid() != 0)
    {
        return "not root: network namespaces and TAP devices need root";
    }
    struct stat st;
    if (stat("/dev/net/tun", &st) != 0)
    {
        return "/dev/net/tun is missing";
    }
    for (const char* tool : {"ip", "curl", "python3"})
    {
        if (!Executable(tool))
        {
            return std::string("'") + tool + "' is not installed (tools/deps.sh)";
        }
    }
    return "";
}

void
NetnsChain::RemoveStaleNamespaces()
{
    CommandResult list = RunCommand({"ip", "netns", "list"});
    std::istringstream in(list.out);
    std::string line;
    while (std::getline(in, line))
    {
        const std::string name = line.substr(0, line.find(' '));
        if (name.rfind("dyt", 0) != 0 || name.size() < 5)
        {
            continue;
        }
        const pid_t owner = pid_t(std::atoi(name.substr(3, name.size() - 4).c_str()));
        if (owner > 0 && kill(owner, 0) != 0 && errno == ESRCH)
        {
            RunCommand({"ip", "netns", "del", name});
        }
    }
}

std::string
NetnsChain::Step(const std::vector<std::string>& argv)
{
    CommandResult r = RunCommand(argv, 30);
    if (r.exitCode == 0)
    {
        return "";
    }
    std::string cmd;
    for (const auto& a : argv)
    {
        cmd += (cmd.empty() ? "" : " ") + a;
    }
    return "'" + cmd + "' failed (" + std::to_string(r.exitCode) + "): " + r.err;
}

std::vector<std::string>
NetnsChain::In(char host, const std::vector<std::string>& args) const
{
    std::vector<std::string> argv = {"ip", "netns", "exec", Namespace(host)};
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
}

std::string
NetnsChain::Up()
{
    RemoveStaleNamespaces();
    std::string err;
    for (char h : {'c', 'm', 's', 'w'})
    {
        if (!(err = Step({"ip", "netns", "add", Namespace(h)})).empty())
        {
            return err;
        }
        m_namespaces.push_back(Namespace(h));
        if (!(err = Step({"ip", "-n", Namespace(h), "link", "set", "lo", "up"})).empty())
        {
            return err;
        }
    }
    nlohmann::json nodes = nlohmann::json::array();
    const char* names[] = {"client", "mb", "server"};
    const char* ips[] = {kClientIp, kMbIp, kServerIp};
    std::vector<std::string> vdevs;
    for (int i = 0; i < 3; ++i)
    {
        vdevs.push_back("net_tap" + std::to_string(i) + ",iface=" + Namespace(kHosts[i]));
        nodes.push_back({{"name", names[i]},
                         {"role", i == 1 ? "middlebox" : "host"},
                         {"address", ips[i]},
                         {"host_port", "net_tap" + std::to_string(i)},
                         {"network_port", "fabric"}});
    }
    nlohmann::json cfg = {{"name", "netns-chain"},
                          {"nodes", nodes},
                          {"policies",
                           {{{"name", "web"},
                             {"at", "client"},
                             {"match", {{"dst", "server"}, {"dst_ports", kServerPort}}},
                             {"chain", {"mb"}}}}}};
    WriteFile(m_dir + "/cfg.json", cfg.dump(2));

    std::vector<std::string> argv = {"ip", "netns", "exec", Namespace('w'),
                                     BinaryDir() + "/dyscosim-dpdk"};
    for (const auto& a : EalArgs(vdevs))
    {
        argv.push_back(a);
    }
    for (const std::string& a :
         std::vector<std::string>{"--", "--config", m_dir + "/cfg.json", "--control",
                                  m_dir + "/ctl", "--stats-interval", "0"})
    {
        argv.push_back(a);
    }
    m_app = std::make_unique<Process>(argv, m_dir + "/app.out", m_dir + "/app.err");
    const bool ready = WaitFor(
        [&]
        {
            for (const auto& j : AppLines())
            {
                if (j.value("type", "") == "ready")
                {
                    return true;
                }
            }
            return !m_app->Running();
        },
        20);
    if (!ready || !m_app->Running())
    {
        return "dyscosim-dpdk did not start: " + ReadFile(m_dir + "/app.err");
    }
    // The TAPs exist (in the application's namespace) and their ports are started: move
    // each into its host, where Linux configures it like any Ethernet interface.
    for (int i = 0; i < 3; ++i)
    {
        const std::string ns = Namespace(kHosts[i]);
        const std::string ifname = ns;
        for (const auto& step : std::vector<std::vector<std::string>>{
                 {"ip", "-n", Namespace('w'), "link", "set", ifname, "netns", ns},
                 {"ip", "-n", ns, "addr", "add", std::string(ips[i]) + "/24", "dev", ifname},
                 {"ip", "-n", ns, "link", "set", ifname, "up"}})
        {
            if (!(err = Step(step)).empty())
            {
                return err;
            }
        }
    }
    // The middlebox host forwards what its agent delivers, back out of the same interface,
    // without telling the sender about the shorter way.
    const std::string conf = "/proc/sys/net/ipv4/conf/";
    if (!(err = Step(In('m', {"sh", "-c",
                              "echo 1 > /proc/sys/net/ipv4/ip_forward && echo 0 > " + conf +
                                  "all/send_redirects && echo 0 > " + conf + Namespace('m') +
                                  "/send_redirects"})))
             .empty())
    {
        return err;
    }
    // A small receive buffer in the client: a download limited by the reader (curl
    // --limit-rate) is then limited on the wire too, instead of the kernel taking in most of
    // the file at once while the application reads slowly.
    if (!(err = Step(In('c', {"sh", "-c", "echo 4096 65536 262144 > /proc/sys/net/ipv4/tcp_rmem"})))
             .empty())
    {
        return err;
    }
    RunCommand({"mkdir", "-p", m_dir + "/www"});
    m_server = std::make_unique<Process>(
        In('s', {"python3", "-u", "-m", "http.server", std::to_string(kServerPort), "--bind",
                 kServerIp, "--directory", m_dir + "/www"}),
        m_dir + "/server.out", m_dir + "/server.err");
    if (!WaitFor(
            [&]
            {
                return ReadFile(m_dir + "/server.out").find("Serving HTTP") != std::string::npos ||
                       !m_server->Running();
            },
            10) ||
        !m_server->Running())
    {
        return "the HTTP server did not start: " + ReadFile(m_dir + "/server.err");
    }
    m_commandFd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un self{};
    self.sun_family = AF_UNIX;
    const std::string selfPath = m_dir + "/test.sock";
    unlink(selfPath.c_str());
    std::strncpy(self.sun_path, selfPath.c_str(), sizeof(self.sun_path) - 1);
    if (bind(m_commandFd, reinterpret_cast<sockaddr*>(&self), sizeof(self)) != 0)
    {
        return std::string("bind ") + selfPath + ": " + std::strerror(errno);
    }
    timeval tv{5, 0};
    setsockopt(m_commandFd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    return "";
}

std::string
NetnsChain::Command(const std::string& command)
{
    sockaddr_un to{};
    to.sun_family = AF_UNIX;
    std::strncpy(to.sun_path, (m_dir + "/ctl").c_str(), sizeof(to.sun_path) - 1);
    if (sendto(m_commandFd, command.data(), command.size(), 0, reinterpret_cast<sockaddr*>(&to),
               sizeof(to)) < 0)
    {
        return std::string("sendto: ") + std::strerror(errno);
    }
    char buf[65536];
    const ssize_t n = recv(m_commandFd, buf, sizeof(buf), 0);
    return n < 0 ? std::string("no answer: ") + std::strerror(errno) : std::string(buf, size_t(n));
}

std::vector<nlohmann::json>
NetnsChain::AppLines() const
{
    return JsonLines(ReadFile(m_dir + "/app.out"));
}

nlohmann::json
NetnsChain::Stats()
{
    nlohmann::json j = nlohmann::json::parse(Command("stats"), nullptr, false);
    return j.is_discarded() ? nlohmann::json() : j;
}

nlohmann::json
NetnsChain::Quit(int* exitCode)
{
    Command("quit");
    *exitCode = m_app->Wait(10);
    for (const auto& j : AppLines())
    {
        if (j.value("type", "") == "stats" && j.value("reason", "") == "final")
        {
            return j;
        }
    }
    return nlohmann::json();
}

NetnsChain::~NetnsChain()
{
    if (m_commandFd >= 0)
    {
        close(m_commandFd);
    }
    // Processes first (a namespace with processes in it would outlive `ip netns del`),
    // the application last but one: closing its TAPs removes them from the hosts.
    m_server.reset();
    m_app.reset();
    for (const auto& ns : m_namespaces)
    {
        RunCommand({"ip", "netns", "del", ns});
    }
}

nlohmann::json
NodeStats(const nlohmann::json& stats, const std::string& name)
{
    if (stats.is_object() && stats.contains("nodes"))
    {
        for (const auto& n : stats["nodes"])
        {
            if (n.value("name", "") == name)
            {
                return n;
            }
        }
    }
    return nlohmann::json();
}

} // namespace dysco::dpdk::test
