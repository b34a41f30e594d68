#include "scenario_loader.h"

#include "json_fields.h"
#include "scenario_error.h"
#include "strict_json.h"
#include "topology_graph.h"
#include "units.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace dyscosim
{

using nlohmann::json;

namespace
{

constexpr const char* kNodeNameExpected =
    "a node name (a letter, then letters, digits, '_', '-' or '.')";
constexpr const char* kRateExpected =
    "a data rate like \"100Mbps\" (a number followed by bps, kbps, Mbps or Gbps)";
constexpr const char* kDelayExpected =
    "a delay like \"1ms\" (a number followed by s, ms, us or ns)";
constexpr const char* kPrefixExpected =
    "an IPv4 prefix like \"10.0.0.0/8\", an address like \"10.0.1.2\", or a node name";
constexpr const char* kPortsExpected =
    "a port like 80 or \"80\", or an inclusive range like \"1000-2000\"";
constexpr uint32_t kMaxSegmentSize = 1448; // 1500-byte MTU - IPv4, TCP, timestamp headers

bool
ValidNodeName(const std::string& name)
{
    if (name.empty() || name.size() > 64 || !std::isalpha(static_cast<unsigned char>(name[0])))
    {
        return false;
    }
    for (char c : name)
    {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-' && c != '.')
        {
            return false;
        }
    }
    return true;
}

std::string
FileStem(const std::string& path)
{
    size_t slash = path.find_last_of('/');
    std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
    size_t dot = base.rfind('.');
    return dot == std::string::npos || dot == 0 ? base : base.substr(0, dot);
}

std::string
Seconds(double s)
{
    return FormatNumber(s) + " s";
}

/// Turns the schema of scenarios/README.md into a Scenario, one section at a time.
class Parser
{
public:
    explicit Parser(std::string file)
        : m_file(std::move(file))
    {
    }

    Scenario Parse(const json& doc)
    {
        JsonObject top(m_file, "$", doc, "a scenario object (see scenarios/README.md)");
        top.AllowOnly({"name", "description", "seed", "duration_s", "quick", "nodes", "links",
                       "tcp", "policies", "traffic"});
        m_s.file = m_file;
        m_s.name = top.String("name", "a scenario name", FileStem(m_file));
        if (m_s.name.empty())
        {
            top.Fail("name", "expected a non-empty scenario name");
        }
        m_s.description = top.String("description", "a text", "");
        m_s.seed = uint32_t(top.Unsigned("seed", 1, UINT32_MAX, "a seed", 1));
        m_s.durationS = PositiveSeconds(top, "duration_s", "the stop time in seconds");
        if (top.Has("quick"))
        {
            ParseQuick(JsonObject(m_file, top.PathOf("quick"), doc.at("quick"),
                                  "an object of --quick reductions"));
        }
        ParseNodes(top.Array("nodes", "an array of nodes", true), top.PathOf("nodes"));
        ParseLinks(top.Array("links", "an array of links", true), top.PathOf("links"));
        if (top.Has("tcp"))
        {
            ParseTcp(
                JsonObject(m_file, top.PathOf("tcp"), doc.at("tcp"), "an object of TCP settings"));
        }
        ParsePolicies(top.Array("policies", "an array of policies", false), top.PathOf("policies"));
        ParseTraffic(top.Array("traffic", "an array of traffic entries", false),
                     top.PathOf("traffic"));
        return m_s;
    }

private:
    double PositiveSeconds(const JsonObject& o, const std::string& key, const std::string& expected)
    {
        double d = o.Number(key, 0, 1e6, false, expected);
        if (d <= 0)
        {
            o.Fail(key, "expected " + expected + " (above 0), got " + FormatNumber(d));
        }
        return d;
    }

    void ParseQuick(const JsonObject& q)
    {
        q.AllowOnly({"duration_s", "max_sessions", "max_bytes"});
        if (q.Has("duration_s"))
        {
            m_s.quick.durationS = PositiveSeconds(q, "duration_s", "the --quick stop time");
        }
        if (q.Has("max_sessions"))
        {
            m_s.quick.maxSessions = uint32_t(
                q.Unsigned("max_sessions", 1, 1000000, "a session count per traffic entry"));
        }
        if (q.Has("max_bytes"))
        {
            m_s.quick.maxBytes =
                q.Unsigned("max_bytes", 1, uint64_t(1e12), "a byte count per session");
        }
    }

    void ParseNodes(const json& nodes, const std::string& path)
    {
        if (nodes.empty())
        {
            throw ScenarioError(m_file, path, "expected at least one node");
        }
        std::map<std::string, size_t> seen;
        for (size_t i = 0; i < nodes.size(); ++i)
        {
            JsonObject o(m_file, path + "[" + std::to_string(i) + "]", nodes[i],
                         "a node object {name, role}");
            o.AllowOnly({"name", "role", "middlebox"});
            NodeSpec n;
            n.name = o.String("name", kNodeNameExpected);
            if (!ValidNodeName(n.name))
            {
                o.Fail("name", std::string("expected ") + kNodeNameExpected + ", got " +
                                   DescribeJson(nodes[i].at("name")));
            }
            auto dup = seen.find(n.name);
            if (dup != seen.end())
            {
                o.Fail("name", "duplicate node name \"" + n.name + "\" (first defined at " + path +
                                   "[" + std::to_string(dup->second) + "])");
            }
            seen[n.name] = i;
            std::string role = o.String("role", "a role: \"host\", \"middlebox\" or \"router\"");
            if (role == "host")
            {
                n.role = NodeRole::kHost;
            }
            else if (role == "middlebox")
            {
                n.role = NodeRole::kMiddlebox;
            }
            else if (role == "router")
            {
                n.role = NodeRole::kRouter;
            }
            else
            {
                o.Fail("role", "expected \"host\", \"middlebox\" or \"router\", got " +
                                   DescribeJson(nodes[i].at("role")));
            }
            if (o.Has("middlebox"))
            {
                std::string kind = o.String("middlebox", "a middlebox function: \"monitor\"");
                if (n.role != NodeRole::kMiddlebox)
                {
                    o.Fail("middlebox", "only nodes with role \"middlebox\" run a middlebox "
                                        "function; node \"" +
                                            n.name + "\" is a " + ToString(n.role));
                }
                if (kind == "monitor")
                {
                    n.middlebox = MiddleboxKind::kMonitor;
                }
                else if (kind != "none")
                {
                    o.Fail("middlebox", "expected a middlebox function: \"monitor\" or "
                                        "\"none\", got " +
                                            DescribeJson(nodes[i].at("middlebox")));
                }
            }
            m_s.nodes.push_back(n);
        }
    }

    /// The index of the node named by o[key]; fails with the list of known names.
    size_t NodeRef(const std::string& file, const std::string& path, const json& v)
    {
        std::string name = JsonToString(file, path, v, "a node name");
        auto index = m_s.FindNode(name);
        if (!index)
        {
            std::vector<std::string> names;
            std::string list;
            for (const auto& n : m_s.nodes)
            {
                names.push_back(n.name);
                list += (list.empty() ? "" : ", ") + n.name;
            }
            std::string message = "unknown node \"" + name + "\"";
            std::string guess = ClosestKey(name, names);
            if (!guess.empty())
            {
                message += " (did you mean \"" + guess + "\"?)";
            }
            throw ScenarioError(file, path, message + "; nodes are: " + list);
        }
        return *index;
    }

    size_t NodeRef(const JsonObject& o, const std::string& key)
    {
        return NodeRef(o.File(), o.PathOf(key), o.Require(key, "a node name"));
    }

    void ParseLinks(const json& links, const std::string& path)
    {
        std::map<std::pair<size_t, size_t>, size_t> seen;
        for (size_t i = 0; i < links.size(); ++i)
        {
            std::string at = path + "[" + std::to_string(i) + "]";
            JsonObject o(m_file, at, links[i], "a link object {a, b, rate, delay}");
            o.AllowOnly({"a", "b", "rate", "delay", "loss"});
            LinkSpec l;
            l.a = NodeRef(o, "a");
            l.b = NodeRef(o, "b");
            if (l.a == l.b)
            {
                o.Fail("b", "a link joins two different nodes; both ends are \"" +
                                m_s.nodes[l.a].name + "\"");
            }
            auto key = std::minmax(l.a, l.b);
            auto dup = seen.find(key);
            if (dup != seen.end())
            {
                o.Fail("", "duplicate link between \"" + m_s.nodes[l.a].name + "\" and \"" +
                               m_s.nodes[l.b].name + "\" (first at " + path + "[" +
                               std::to_string(dup->second) + "])");
            }
            seen[key] = i;
            std::string rate = o.String("rate", kRateExpected);
            if (!ParseRate(rate, &l.rateBps))
            {
                o.Fail("rate", std::string("expected ") + kRateExpected +
                                   " between 1bps and 1000Gbps, got " +
                                   DescribeJson(links[i].at("rate")));
            }
            std::string delay = o.String("delay", kDelayExpected);
            if (!ParseDelay(delay, &l.delayNs))
            {
                o.Fail("delay", std::string("expected ") + kDelayExpected +
                                    " of at most 3600s, got " + DescribeJson(links[i].at("delay")));
            }
            l.loss = o.Number("loss", 0, 1, true, "a packet loss rate", 0.0);
            m_s.links.push_back(l);
        }
    }

    void ParseTcp(const JsonObject& o)
    {
        o.AllowOnly({"segment_size", "sack", "timestamps", "window_scaling", "snd_buf", "rcv_buf"});
        TcpSpec& t = m_s.tcp;
        t.segmentSize = uint32_t(o.Unsigned("segment_size", 64, kMaxSegmentSize,
                                            "a TCP segment size in bytes", t.segmentSize));
        t.sack = o.Bool("sack", t.sack);
        t.timestamps = o.Bool("timestamps", t.timestamps);
        t.windowScaling = o.Bool("window_scaling", t.windowScaling);
        t.sndBufBytes = uint32_t(
            o.Unsigned("snd_buf", 1024, 1u << 30, "a send buffer size in bytes", t.sndBufBytes));
        t.rcvBufBytes = uint32_t(
            o.Unsigned("rcv_buf", 1024, 1u << 30, "a receive buffer size in bytes", t.rcvBufBytes));
        if (!t.windowScaling)
        {
            for (size_t i = 0; i < m_s.links.size(); ++i)
            {
                if (m_s.links[i].loss > 0)
                {
                    o.Fail("window_scaling",
                           "false is refused together with packet loss ($.links[" +
                               std::to_string(i) + "].loss = " + FormatNumber(m_s.links[i].loss) +
                               "): ns-3.37 crashes in TcpRateLinux::SkbSent with this "
                               "combination; set window_scaling to true or every loss to 0");
                }
            }
        }
    }

    PrefixSpec Prefix(const JsonObject& o, const std::string& key)
    {
        PrefixSpec p;
        if (!o.Has(key))
        {
            return p;
        }
        std::string text = o.String(key, kPrefixExpected);
        if (auto node = m_s.FindNode(text))
        {
            p.node = *node;
            p.length = 32;
            return p;
        }
        switch (ParsePrefix(text, &p.address, &p.length))
        {
        case PrefixParse::kOk:
            return p;
        case PrefixParse::kHostBitsSet:
            o.Fail(key, "prefix \"" + text + "\" has host bits set; did you mean \"" +
                            FormatIpv4(p.address) + "/" + std::to_string(p.length) + "\"?");
        case PrefixParse::kMalformed:
            break;
        }
        o.Fail(key, std::string("expected ") + kPrefixExpected + ", got string \"" + text +
                        "\" (not a prefix, and no node has that name)");
    }

    PortRangeSpec Ports(const JsonObject& o, const std::string& key, const json& raw)
    {
        PortRangeSpec r;
        if (!o.Has(key))
        {
            return r;
        }
        const json& v = raw.at(key);
        if (v.is_number())
        {
            r.low = r.high =
                uint16_t(JsonToUnsigned(m_file, o.PathOf(key), v, 0, 65535, "a port number"));
            return r;
        }
        std::string text = o.String(key, kPortsExpected);
        if (!ParsePortRange(text, &r.low, &r.high))
        {
            o.Fail(key, std::string("expected ") + kPortsExpected +
                            " with ports 0 to 65535 and low <= high, got " + DescribeJson(v));
        }
        return r;
    }

    void ParseMatch(const JsonObject& o, const json& raw, PolicySpec* p)
    {
        o.AllowOnly({"src", "dst", "src_ports", "dst_ports", "protocol"});
        p->src = Prefix(o, "src");
        p->dst = Prefix(o, "dst");
        p->srcPorts = Ports(o, "src_ports", raw);
        p->dstPorts = Ports(o, "dst_ports", raw);
        std::string proto = o.String("protocol", "\"tcp\", \"udp\" or \"any\"", "tcp");
        if (proto == "tcp")
        {
            p->protocol = 6;
        }
        else if (proto == "udp")
        {
            p->protocol = 17;
        }
        else if (proto == "any")
        {
            p->protocol = 0;
        }
        else
        {
            o.Fail("protocol",
                   "expected \"tcp\", \"udp\" or \"any\", got " + DescribeJson(raw.at("protocol")));
        }
    }

    void ParsePolicies(const json& policies, const std::string& path)
    {
        for (size_t i = 0; i < policies.size(); ++i)
        {
            std::string at = path + "[" + std::to_string(i) + "]";
            JsonObject o(m_file, at, policies[i], "a policy object {at, match, chain}");
            o.AllowOnly({"name", "at", "match", "chain"});
            PolicySpec p;
            p.name = o.String("name", "a policy name", "policy" + std::to_string(i));
            p.at = NodeRef(o, "at");
            if (o.Has("match"))
            {
                ParseMatch(JsonObject(m_file, o.PathOf("match"), policies[i].at("match"),
                                      "a match object {src, dst, src_ports, dst_ports, "
                                      "protocol}"),
                           policies[i].at("match"), &p);
            }
            const json& chain = o.Array("chain", "an array of middlebox node names", true);
            if (chain.empty())
            {
                o.Fail("chain", "expected at least one middlebox node name");
            }
            for (size_t k = 0; k < chain.size(); ++k)
            {
                std::string kp = o.PathOf("chain") + "[" + std::to_string(k) + "]";
                size_t mb = NodeRef(m_file, kp, chain[k]);
                const NodeSpec& n = m_s.nodes[mb];
                if (n.role != NodeRole::kMiddlebox)
                {
                    throw ScenarioError(m_file, kp,
                                        "node \"" + n.name + "\" is a " + ToString(n.role) +
                                            "; a chain lists nodes with role \"middlebox\"");
                }
                for (size_t j = 0; j < p.chain.size(); ++j)
                {
                    if (p.chain[j] == mb)
                    {
                        throw ScenarioError(m_file, kp,
                                            "middlebox \"" + n.name + "\" is already at " +
                                                o.PathOf("chain") + "[" + std::to_string(j) +
                                                "]; a chain visits each middlebox once");
                    }
                }
                p.chain.push_back(mb);
            }
            m_s.policies.push_back(p);
        }
    }

    size_t HostRef(const JsonObject& o, const std::string& key)
    {
        size_t n = NodeRef(o, key);
        if (m_s.nodes[n].role != NodeRole::kHost)
        {
            o.Fail(key, "node \"" + m_s.nodes[n].name + "\" is a " + ToString(m_s.nodes[n].role) +
                            "; traffic runs between nodes with role \"host\"");
        }
        return n;
    }

    void ParseTraffic(const json& traffic, const std::string& path)
    {
        for (size_t i = 0; i < traffic.size(); ++i)
        {
            std::string at = path + "[" + std::to_string(i) + "]";
            JsonObject o(m_file, at, traffic[i], "a traffic object {from, to, sessions, bytes}");
            o.AllowOnly(
                {"from", "to", "sessions", "bytes", "start_s", "interval_s", "port", "send_size"});
            TrafficSpec t;
            t.from = HostRef(o, "from");
            t.to = HostRef(o, "to");
            if (t.from == t.to)
            {
                o.Fail("to", "traffic goes from one host to another; both are \"" +
                                 m_s.nodes[t.from].name + "\"");
            }
            t.sessions = uint32_t(o.Unsigned("sessions", 1, 1000000, "a session count"));
            t.bytes = o.Unsigned("bytes", 1, uint64_t(1e12), "a byte count per session");
            t.startS = o.Number("start_s", 0, 1e6, false, "a start time in seconds", 0.0);
            t.intervalS =
                o.Number("interval_s", 0, 1e6, false, "seconds between session starts", 0.0);
            t.port = uint16_t(o.Unsigned("port", 1, 65535, "a server port", 80));
            t.sendSize =
                uint32_t(o.Unsigned("send_size", 1, 1u << 20, "a socket write size in bytes", 0));
            m_s.traffic.push_back(t);
        }
    }

    std::string m_file;
    Scenario m_s;
};

/// Checks that need the effective (possibly --quick) stop time.
void
CheckTiming(const Scenario& s, bool quick)
{
    std::string stop = "the stop time duration_s = " + Seconds(s.durationS) +
                       (quick && s.quick.durationS ? " (--quick)" : "");
    for (size_t i = 0; i < s.traffic.size(); ++i)
    {
        const TrafficSpec& t = s.traffic[i];
        std::string at = "$.traffic[" + std::to_string(i) + "]";
        if (t.startS >= s.durationS)
        {
            throw ScenarioError(s.file, at + ".start_s",
                                "starts at " + Seconds(t.startS) + ", not before " + stop);
        }
        double last = t.startS + t.intervalS * double(t.sessions - 1);
        if (last >= s.durationS)
        {
            throw ScenarioError(s.file, at + ".interval_s",
                                "the last of " + std::to_string(t.sessions) +
                                    " sessions would start at " + Seconds(last) + ", not before " +
                                    stop);
        }
    }
}

} // namespace

Scenario
LoadScenarioText(const std::string& text, const std::string& file, const LoadOptions& options)
{
    json doc = ParseJsonStrict(text, file);
    Scenario s = Parser(file).Parse(doc);
    if (options.quick)
    {
        s = ApplyQuick(std::move(s));
    }
    CheckTiming(s, options.quick);
    ValidateTopology(s);
    return s;
}

Scenario
LoadScenarioFile(const std::string& path, const LoadOptions& options)
{
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
    {
        throw ScenarioError(path, "", "is a directory; expected a scenario file (.json)");
    }
    std::ifstream in(path, std::ios::binary);
    if (!in)
    {
        throw ScenarioError(path, "", std::string("cannot open: ") + std::strerror(errno));
    }
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad())
    {
        throw ScenarioError(path, "", std::string("cannot read: ") + std::strerror(errno));
    }
    return LoadScenarioText(text.str(), path, options);
}

} // namespace dyscosim
