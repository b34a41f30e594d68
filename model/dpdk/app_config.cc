#include "app_config.h"

#include "json_fields.h"
#include "scenario_error.h"
#include "strict_json.h"
#include "units.h"

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace dysco::dpdk
{

using dyscosim::JsonObject;
using dyscosim::kNodeNameExpected;
using dyscosim::kPortsExpected;
using dyscosim::kPrefixExpected;
using dyscosim::ScenarioError;
using dyscosim::ValidNodeName;
using nlohmann::json;

namespace
{

constexpr const char* kMacExpected = "a MAC address like \"02:00:00:00:00:01\"";
constexpr const char* kDeviceExpected = "a DPDK device name given with --vdev (e.g. \"net_tap0\")";

std::string
Index(const std::string& path, size_t i)
{
    return path + "[" + std::to_string(i) + "]";
}

/// Turns the format of model/dpdk/README.md into an AppConfig, one section at a time.
class Parser
{
public:
    explicit Parser(std::string file)
        : m_file(std::move(file))
    {
    }

    AppConfig Parse(const json& doc)
    {
        JsonObject top(m_file, "$", doc, "a dyscosim-dpdk configuration object");
        top.AllowOnly({"name", "description", "nodes", "policies", "reconfigurations", "agent"});
        m_c.file = m_file;
        m_c.name = top.String("name", "a configuration name", "dyscosim-dpdk");
        top.String("description", "a text", "");
        ParseNodes(top.Array("nodes", "an array of nodes", true), top.PathOf("nodes"));
        m_c.policies.resize(m_c.nodes.size());
        ParsePolicies(top.Array("policies", "an array of policies", false), top.PathOf("policies"));
        ParseReconfigs(
            top.Array("reconfigurations", "an array of scheduled reconfigurations", false),
            top.PathOf("reconfigurations"));
        if (top.Has("agent"))
        {
            ParseAgent(JsonObject(m_file, top.PathOf("agent"), doc.at("agent"),
                                  "an object of agent timers and limits"));
        }
        return m_c;
    }

private:
    MacAddress Mac(const JsonObject& o, const std::string& key, const json& raw)
    {
        MacAddress mac;
        if (!ParseMac(o.String(key, kMacExpected), &mac))
        {
            o.Fail(key, std::string("expected ") + kMacExpected + ", got " +
                            dyscosim::DescribeJson(raw.at(key)));
        }
        return mac;
    }

    void ParseNodes(const json& nodes, const std::string& path)
    {
        if (nodes.empty())
        {
            throw ScenarioError(m_file, path, "expected at least one node");
        }
        std::map<std::string, std::string> names;
        std::map<uint32_t, std::string> addresses;
        std::map<std::string, std::string> devices;
        for (size_t i = 0; i < nodes.size(); ++i)
        {
            const std::string at = Index(path, i);
            JsonObject o(m_file, at, nodes[i],
                         "a node object {name, role, address, host_port, network_port}");
            o.AllowOnly({"name", "role", "address", "host_port", "network_port", "host_mac",
                         "network_peer_mac"});
            NodeConfig n;
            n.name = o.String("name", kNodeNameExpected);
            if (!ValidNodeName(n.name))
            {
                o.Fail("name", std::string("expected ") + kNodeNameExpected + ", got " +
                                   dyscosim::DescribeJson(nodes[i].at("name")));
            }
            if (names.count(n.name))
            {
                o.Fail("name", "duplicate node name \"" + n.name + "\" (first defined at " +
                                   names[n.name] + ")");
            }
            names[n.name] = at;
            const std::string role = o.String("role", "a role: \"host\" or \"middlebox\"");
            if (role != "host" && role != "middlebox")
            {
                o.Fail("role", "expected \"host\" or \"middlebox\", got " +
                                   dyscosim::DescribeJson(nodes[i].at("role")));
            }
            n.middlebox = role == "middlebox";
            const std::string address = o.String("address", "an IPv4 address like \"10.0.0.1\"");
            if (!dyscosim::ParseIpv4Address(address, &n.address) || n.address == 0 ||
                n.address == 0xffffffffu)
            {
                o.Fail("address", "expected a host's IPv4 address like \"10.0.0.1\", got " +
                                      dyscosim::DescribeJson(nodes[i].at("address")));
            }
            if (addresses.count(n.address))
            {
                o.Fail("address", "address " + address + " is already used by node \"" +
                                      addresses[n.address] + "\"");
            }
            addresses[n.address] = n.name;
            n.hostPort = Device(o, "host_port", devices, false);
            n.networkPort = Device(o, "network_port", devices, true);
            if (o.Has("host_mac"))
            {
                n.hostMac = Mac(o, "host_mac", nodes[i]);
            }
            if (o.Has("network_peer_mac"))
            {
                n.networkPeerMac = Mac(o, "network_peer_mac", nodes[i]);
            }
            m_c.nodes.push_back(n);
        }
    }

    /// A DPDK device name, used by one side of one node only ("fabric" may repeat).
    std::string Device(const JsonObject& o, const std::string& key,
                       std::map<std::string, std::string>& used, bool fabricAllowed)
    {
        std::string name = o.String(key, kDeviceExpected);
        if (name.empty())
        {
            o.Fail(key, std::string("expected ") + kDeviceExpected + ", got an empty string");
        }
        if (name == kFabricPort)
        {
            if (!fabricAllowed)
            {
                o.Fail(key, "\"fabric\" (the in-process network) is a network side; the "
                            "host side needs a DPDK device");
            }
            return name;
        }
        if (used.count(name))
        {
            o.Fail(key, "device \"" + name + "\" is already used at " + used[name]);
        }
        used[name] = o.PathOf(key);
        return name;
    }

    size_t NodeRef(const std::string& path, const json& v)
    {
        std::string name = dyscosim::JsonToString(m_file, path, v, "a node name");
        for (size_t i = 0; i < m_c.nodes.size(); ++i)
        {
            if (m_c.nodes[i].name == name)
            {
                return i;
            }
        }
        std::vector<std::string> names;
        std::string list;
        for (const auto& n : m_c.nodes)
        {
            names.push_back(n.name);
            list += (list.empty() ? "" : ", ") + n.name;
        }
        std::string message = "unknown node \"" + name + "\"";
        std::string guess = dyscosim::ClosestKey(name, names);
        if (!guess.empty())
        {
            message += " (did you mean \"" + guess + "\"?)";
        }
        throw ScenarioError(m_file, path, message + "; nodes are: " + list);
    }

    size_t MiddleboxRef(const std::string& path, const json& v)
    {
        size_t mb = NodeRef(path, v);
        if (!m_c.nodes[mb].middlebox)
        {
            throw ScenarioError(m_file, path,
                                "node \"" + m_c.nodes[mb].name +
                                    "\" is a host; a chain lists nodes with role \"middlebox\"");
        }
        return mb;
    }

    dysco::Prefix Prefix(const JsonObject& o, const std::string& key)
    {
        dysco::Prefix p;
        if (!o.Has(key))
        {
            return p;
        }
        std::string text = o.String(key, kPrefixExpected);
        if (auto node = m_c.FindNode(text))
        {
            return dysco::Prefix{m_c.nodes[*node].address, 32};
        }
        switch (dyscosim::ParsePrefix(text, &p.address, &p.length))
        {
        case dyscosim::PrefixParse::kOk:
            return p;
        case dyscosim::PrefixParse::kHostBitsSet:
            o.Fail(key, "prefix \"" + text + "\" has host bits set; did you mean \"" +
                            dyscosim::FormatIpv4(p.address) + "/" + std::to_string(p.length) +
                            "\"?");
        case dyscosim::PrefixParse::kMalformed:
            break;
        }
        o.Fail(key, std::string("expected ") + kPrefixExpected + ", got string \"" + text +
                        "\" (not a prefix, and no node has that name)");
    }

    dysco::PortRange Ports(const JsonObject& o, const std::string& key, const json& raw)
    {
        dysco::PortRange r;
        if (!o.Has(key))
        {
            return r;
        }
        const json& v = raw.at(key);
        if (v.is_number())
        {
            r.low = r.high = uint16_t(
                dyscosim::JsonToUnsigned(m_file, o.PathOf(key), v, 0, 65535, "a port number"));
            return r;
        }
        std::string text = o.String(key, kPortsExpected);
        if (!dyscosim::ParsePortRange(text, &r.low, &r.high))
        {
            o.Fail(key, std::string("expected ") + kPortsExpected +
                            " with ports 0 to 65535 and low <= high, got " +
                            dyscosim::DescribeJson(v));
        }
        return r;
    }

    void ParseMatch(const JsonObject& o, const json& raw, dysco::Predicate* p)
    {
        o.AllowOnly({"src", "dst", "src_ports", "dst_ports", "protocol"});
        p->src = Prefix(o, "src");
        p->dst = Prefix(o, "dst");
        p->srcPorts = Ports(o, "src_ports", raw);
        p->dstPorts = Ports(o, "dst_ports", raw);
        std::string proto = o.String("protocol", "\"tcp\", \"udp\" or \"any\"", "tcp");
        if (proto == "tcp")
        {
            p->protocol = dysco::kProtoTcp;
        }
        else if (proto == "udp")
        {
            p->protocol = dysco::kProtoUdp;
        }
        else if (proto == "any")
        {
            p->protocol = 0;
        }
        else
        {
            o.Fail("protocol", "expected \"tcp\", \"udp\" or \"any\", got " +
                                   dyscosim::DescribeJson(raw.at("protocol")));
        }
    }

    std::vector<uint32_t> Chain(const JsonObject& o, const std::string& key, bool nonEmpty)
    {
        const json& chain = o.Array(key, "an array of middlebox node names", nonEmpty);
        if (nonEmpty && chain.empty())
        {
            o.Fail(key, "expected at least one middlebox node name");
        }
        std::vector<size_t> seen;
        std::vector<uint32_t> out;
        for (size_t k = 0; k < chain.size(); ++k)
        {
            const std::string kp = Index(o.PathOf(key), k);
            size_t mb = MiddleboxRef(kp, chain[k]);
            for (size_t j = 0; j < seen.size(); ++j)
            {
                if (seen[j] == mb)
                {
                    throw ScenarioError(m_file, kp,
                                        "middlebox \"" + m_c.nodes[mb].name + "\" is already at " +
                                            Index(o.PathOf(key), j) +
                                            "; a chain visits each middlebox once");
                }
            }
            seen.push_back(mb);
            out.push_back(m_c.nodes[mb].address);
        }
        return out;
    }

    void ParsePolicies(const json& policies, const std::string& path)
    {
        for (size_t i = 0; i < policies.size(); ++i)
        {
            const std::string at = Index(path, i);
            JsonObject o(m_file, at, policies[i], "a policy object {at, match, chain}");
            o.AllowOnly({"name", "at", "match", "chain"});
            dysco::Policy p;
            p.name = o.String("name", "a policy name", "policy" + std::to_string(i));
            const size_t node = NodeRef(o.PathOf("at"), o.Require("at", "a node name"));
            if (o.Has("match"))
            {
                ParseMatch(JsonObject(m_file, o.PathOf("match"), policies[i].at("match"),
                                      "a match object {src, dst, src_ports, dst_ports, "
                                      "protocol}"),
                           policies[i].at("match"), &p.predicate);
            }
            p.chain = Chain(o, "chain", true);
            m_c.policies[node].push_back(p);
        }
    }

    uint32_t Address(const JsonObject& o, const std::string& key, const json& raw)
    {
        const std::string text = o.String(key, "a node name or an IPv4 address");
        if (auto node = m_c.FindNode(text))
        {
            return m_c.nodes[*node].address;
        }
        uint32_t ip = 0;
        if (!dyscosim::ParseIpv4Address(text, &ip) || ip == 0)
        {
            o.Fail(key, "expected a node name or an IPv4 address, got " +
                            dyscosim::DescribeJson(raw.at(key)));
        }
        return ip;
    }

    void ParseReconfigs(const json& list, const std::string& path)
    {
        for (size_t i = 0; i < list.size(); ++i)
        {
            const std::string at = Index(path, i);
            JsonObject o(m_file, at, list[i],
                         "a reconfiguration object {at_s, agent, right_anchor, middleboxes}");
            o.AllowOnly({"at_s", "agent", "right_anchor", "middleboxes"});
            ReconfigSpec r;
            r.atS = o.Number("at_s", 0, 1e6, false, "a time in seconds after start");
            r.node = NodeRef(o.PathOf("agent"), o.Require("agent", "a node name"));
            r.rightAnchor = Address(o, "right_anchor", list[i]);
            if (r.rightAnchor == m_c.nodes[r.node].address)
            {
                o.Fail("right_anchor", "the right anchor must differ from the agent (the left "
                                       "anchor) \"" +
                                           m_c.nodes[r.node].name + "\"");
            }
            if (!o.Has("middleboxes"))
            {
                o.Fail("middleboxes", "missing; expected an array of middlebox node names "
                                      "([] deletes the middleboxes in between)");
            }
            r.middleboxes = Chain(o, "middleboxes", false);
            m_c.reconfigurations.push_back(r);
        }
    }

    uint64_t Millis(const JsonObject& o, const std::string& key, uint64_t fallbackNs)
    {
        return uint64_t(
            o.Number(key, 0.001, 3.6e6, false, "a time in milliseconds", double(fallbackNs) / 1e6) *
            1e6);
    }

    void ParseAgent(const JsonObject& o)
    {
        o.AllowOnly({"idle_timeout_s", "close_linger_s", "control_rto_ms", "control_retries",
                     "syn_rto_ms", "syn_retries", "first_port", "last_port", "max_sessions"});
        dysco::AgentConfig& a = m_c.agent;
        a.idleTimeoutNs = uint64_t(o.Number("idle_timeout_s", 0.001, 1e6, false,
                                            "a time in seconds", double(a.idleTimeoutNs) / 1e9) *
                                   1e9);
        a.closeLingerNs = uint64_t(o.Number("close_linger_s", 0, 1e6, false, "a time in seconds",
                                            double(a.closeLingerNs) / 1e9) *
                                   1e9);
        a.control.rtoNs = Millis(o, "control_rto_ms", a.control.rtoNs);
        a.control.retries =
            uint32_t(o.Unsigned("control_retries", 0, 100, "a retry count", a.control.retries));
        a.synRtoNs = Millis(o, "syn_rto_ms", a.synRtoNs);
        a.synRetries = uint32_t(o.Unsigned("syn_retries", 0, 100, "a retry count", a.synRetries));
        a.firstPort = uint16_t(o.Unsigned("first_port", 1, 65535, "a port number", a.firstPort));
        a.lastPort = uint16_t(o.Unsigned("last_port", 1, 65535, "a port number", a.lastPort));
        if (a.lastPort < a.firstPort)
        {
            o.Fail("last_port", "expected a port >= first_port (" + std::to_string(a.firstPort) +
                                    "), got " + std::to_string(a.lastPort));
        }
        a.maxSessions =
            size_t(o.Unsigned("max_sessions", 1, 1u << 24, "a session count", a.maxSessions));
    }

    std::string m_file;
    AppConfig m_c;
};

} // namespace

std::optional<size_t>
AppConfig::FindNode(const std::string& name) const
{
    for (size_t i = 0; i < nodes.size(); ++i)
    {
        if (nodes[i].name == name)
        {
            return i;
        }
    }
    return std::nullopt;
}

AppConfig
LoadAppConfigText(const std::string& text, const std::string& file)
{
    json doc = dyscosim::ParseJsonStrict(text, file);
    return Parser(file).Parse(doc);
}

AppConfig
LoadAppConfigFile(const std::string& path)
{
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
    {
        throw ScenarioError(path, "", "is a directory; expected a configuration file (.json)");
    }
    std::ifstream in(path, std::ios::binary);
    if (!in)
    {
        throw ScenarioError(path, "", std::string("cannot open: ") + std::strerror(errno));
    }
    std::ostringstream text;
    text << in.rdbuf();
    return LoadAppConfigText(text.str(), path);
}

bool
ParseMac(const std::string& text, MacAddress* mac)
{
    if (text.size() != 17)
    {
        return false;
    }
    for (size_t i = 0; i < 6; ++i)
    {
        const char* p = text.c_str() + 3 * i;
        if (!std::isxdigit(static_cast<unsigned char>(p[0])) ||
            !std::isxdigit(static_cast<unsigned char>(p[1])) || (i < 5 && p[2] != ':'))
        {
            return false;
        }
        (*mac)[i] = uint8_t(std::stoul(std::string(p, 2), nullptr, 16));
    }
    return true;
}

std::string
FormatMac(const MacAddress& mac)
{
    char buf[18];
    std::snprintf(buf, sizeof(buf), "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3],
                  mac[4], mac[5]);
    return buf;
}

} // namespace dysco::dpdk
