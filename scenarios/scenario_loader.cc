#include "scenario_loader.h"

#include "app_prefix.h"
#include "box_cpu_loader.h"
#include "classifier_spec_loader.h"
#include "core/security_text.h"
#include "core/syn_payload.h"
#include "json_fields.h"
#include "lb_spec_loader.h"
#include "modifier_spec_loader.h"
#include "policy_server_loader.h"
#include "proxy_spec_loader.h"
#include "scenario_error.h"
#include "socks_spec_loader.h"
#include "stream_edits.h"
#include "strict_json.h"
#include "topology_graph.h"
#include "units.h"

#include <algorithm>
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

constexpr const char* kRateExpected =
    "a data rate like \"100Mbps\" (a number followed by bps, kbps, Mbps or Gbps)";
constexpr const char* kDelayExpected =
    "a delay like \"1ms\" (a number followed by s, ms, us or ns)";
constexpr const char* kMiddleboxExpected =
    "a middlebox function: \"monitor\", \"seq_offset\", \"firewall\", \"nat\", \"cgnat\", "
    "\"proxy\", \"content_modifier\", \"beamer\", \"classifier\", \"socks\" or \"none\"";
constexpr uint32_t kMaxSegmentSize = 1448; // 1500-byte MTU - IPv4, TCP, timestamp headers

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
                       "tcp", "policies", "traffic", "dysco", "reconfigurations", "injections",
                       "attacks", "nsh", "policy_server"});
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
        ParseStateful();
        for (const auto& b : m_beamerRaw)
        {
            NodeSpec& n = m_s.nodes[b.node];
            JsonObject o(m_file, b.path, *b.raw, "an object {buckets, backends, moves}");
            if (n.middlebox != MiddleboxKind::kBeamer)
            {
                throw ScenarioError(m_file, b.path,
                                    "only nodes with middlebox \"beamer\" take this object; "
                                    "node \"" +
                                        n.name + "\" runs \"" + ToString(n.middlebox) + "\"");
            }
            ParseBeamerSpec(o, m_s, b.node, &n.beamer);
        }
        ParseClassifiers(m_file, doc.at("nodes"), top.PathOf("nodes"), &m_s);
        ParseLinks(top.Array("links", "an array of links", true), top.PathOf("links"));
        if (top.Has("tcp"))
        {
            ParseTcp(
                JsonObject(m_file, top.PathOf("tcp"), doc.at("tcp"), "an object of TCP settings"));
        }
        ParsePolicies(top.Array("policies", "an array of policies", false), top.PathOf("policies"));
        ParseAttacks(top.Array("attacks", "an array of attacks", false), top.PathOf("attacks"));
        ParseTraffic(top.Array("traffic", "an array of traffic entries", false),
                     top.PathOf("traffic"));
        if (top.Has("dysco"))
        {
            ParseAgents(JsonObject(m_file, top.PathOf("dysco"), doc.at("dysco"),
                                   "an object of agent settings"));
        }
        ParseReconfigurations(top.Array("reconfigurations", "an array of reconfigurations", false),
                              top.PathOf("reconfigurations"));
        ParseInjections(top.Array("injections", "an array of FIN/RST injections", false),
                        top.PathOf("injections"));
        if (top.Has("policy_server"))
        {
            m_s.policyServer = ParsePolicyServer(
                JsonObject(m_file, top.PathOf("policy_server"), doc.at("policy_server"),
                           "a policy server object {node, instances, policies, triggers}"),
                doc.at("policy_server"), m_s,
                {[this](const std::string& f, const std::string& p, const json& v)
                 { return NodeRef(f, p, v); },
                 [this](const JsonObject& o, const json& raw, PolicySpec* p)
                 { ParseMatch(o, raw, p); }});
        }
        if (top.Has("nsh"))
        {
            ParseNsh(JsonObject(m_file, top.PathOf("nsh"), doc.at("nsh"),
                                "an NSH baseline object {edges, functions, function_cost_us}"));
        }
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

    /// {from_s, until_s}; until_s is required when `needEnd`, else defaults to the end.
    TimeWindow Window(const JsonObject& o, bool needEnd)
    {
        o.AllowOnly({"from_s", "until_s"});
        TimeWindow w;
        w.fromS = o.Number("from_s", 0, 1e6, false, "a start time in seconds", 0.0);
        if (needEnd || o.Has("until_s"))
        {
            w.untilS = o.Number("until_s", 0, 1e6, false, "an end time in seconds");
            if (w.untilS <= w.fromS)
            {
                o.Fail("until_s", "expected an end time after from_s = " + Seconds(w.fromS) +
                                      ", got " + Seconds(w.untilS));
            }
        }
        return w;
    }

    void ParseOffsets(const JsonObject& o, const json& raw, NodeSpec* n)
    {
        o.AllowOnly({"client_to_server", "server_to_client"});
        const char* keys[2] = {"client_to_server", "server_to_client"};
        for (int d = 0; d < 2; ++d)
        {
            if (!o.Has(keys[d]))
            {
                continue; // drawn per session
            }
            const json& v = raw.at(keys[d]);
            if (v.is_string() && v.get<std::string>() == "random")
            {
                continue;
            }
            if (!v.is_number())
            {
                o.Fail(keys[d],
                       "expected \"random\" or an offset 0 to 4294967295, got " + DescribeJson(v));
            }
            n->seqOffset[d].random = false;
            n->seqOffset[d].value = uint32_t(JsonToUnsigned(m_file, o.PathOf(keys[d]), v, 0,
                                                            UINT32_MAX, "\"random\" or an offset"));
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
            o.AllowOnly({"name", "role", "middlebox", "seq_offset", "down", "firewall", "nat",
                         "cgnat", "proxy", "content_modifier", "beamer", "classifier", "socks",
                         "cpu"});
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
                std::string kind = o.String("middlebox", kMiddleboxExpected);
                const bool onPath =
                    kind == "firewall" || kind == "nat" || kind == "cgnat" || kind == "beamer";
                if (n.role != NodeRole::kMiddlebox && !(onPath && n.role == NodeRole::kRouter))
                {
                    o.Fail("middlebox", "only nodes with role \"middlebox\" run a middlebox "
                                        "function; node \"" +
                                            n.name + "\" is a " + ToString(n.role));
                }
                if (kind == "monitor")
                {
                    n.middlebox = MiddleboxKind::kMonitor;
                }
                else if (kind == "seq_offset")
                {
                    n.middlebox = MiddleboxKind::kSeqOffset;
                }
                else if (kind == "firewall")
                {
                    n.middlebox = MiddleboxKind::kFirewall;
                }
                else if (kind == "nat")
                {
                    n.middlebox = MiddleboxKind::kNat;
                }
                else if (kind == "cgnat")
                {
                    n.middlebox = MiddleboxKind::kCgnat;
                }
                else if (kind == "proxy")
                {
                    n.middlebox = MiddleboxKind::kProxy;
                }
                else if (kind == "socks")
                {
                    n.middlebox = MiddleboxKind::kSocks;
                }
                else if (kind == "content_modifier")
                {
                    n.middlebox = MiddleboxKind::kContentModifier;
                }
                else if (kind == "beamer")
                {
                    n.middlebox = MiddleboxKind::kBeamer;
                }
                else if (kind == "classifier")
                {
                    n.middlebox = MiddleboxKind::kClassifier;
                }
                else if (kind != "none")
                {
                    o.Fail("middlebox", std::string("expected ") + kMiddleboxExpected + ", got " +
                                            DescribeJson(nodes[i].at("middlebox")));
                }
            }
            if (n.middlebox == MiddleboxKind::kBeamer || o.Has("beamer"))
            {
                m_beamerRaw.push_back(
                    {i, o.PathOf("beamer"), &o.Require("beamer", "an object {buckets, backends}")});
            }
            for (const char* key : {"firewall", "nat", "cgnat"})
            {
                if (!o.Has(key))
                {
                    continue;
                }
                if (std::string(ToString(n.middlebox)) != key)
                {
                    o.Fail(key, std::string("only nodes with middlebox \"") + key +
                                    "\" take these settings; node \"" + n.name + "\" runs \"" +
                                    ToString(n.middlebox) + "\"");
                }
                m_statefulRaw.push_back({i, o.PathOf(key), &nodes[i].at(key)});
            }
            if (o.Has("seq_offset"))
            {
                if (n.middlebox != MiddleboxKind::kSeqOffset)
                {
                    o.Fail("seq_offset", "only nodes with middlebox \"seq_offset\" take offsets; "
                                         "node \"" +
                                             n.name + "\" runs \"" + ToString(n.middlebox) + "\"");
                }
                ParseOffsets(JsonObject(m_file, o.PathOf("seq_offset"), nodes[i].at("seq_offset"),
                                        "an object {client_to_server, server_to_client}"),
                             nodes[i].at("seq_offset"), &n);
            }
            if (o.Has("proxy"))
            {
                if (n.middlebox != MiddleboxKind::kProxy)
                {
                    o.Fail("proxy", "only nodes with middlebox \"proxy\" take this object; "
                                    "node \"" +
                                        n.name + "\" runs \"" + ToString(n.middlebox) + "\"");
                }
                ParseProxySpec(JsonObject(m_file, o.PathOf("proxy"), nodes[i].at("proxy"),
                                          "an object (see scenarios/README.md)"),
                               nodes[i].at("proxy"), &n.proxy);
            }
            ParseModifierNode(o, nodes[i], &n);
            ParseSocksNode(o, nodes[i], &n);
            ParseBoxCpu(o, &n);
            if (o.Has("down"))
            {
                n.down = Window(JsonObject(m_file, o.PathOf("down"), nodes[i].at("down"),
                                           "a time window {from_s, until_s}"),
                                true);
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
            o.AllowOnly({"a", "b", "rate", "delay", "loss", "control_loss", "data_loss"});
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
            l.controlLoss =
                o.Number("control_loss", 0, 1, true, "a control-message loss rate", 0.0);
            if (o.Has("data_loss"))
            {
                ParseDataLoss(o, links[i].at("data_loss"), &l);
            }
            m_s.links.push_back(l);
        }
    }

    /// A rate, or {rate, from_s, until_s, during: "two_paths"}.
    void ParseDataLoss(const JsonObject& link, const json& v, LinkSpec* l)
    {
        const std::string path = link.PathOf("data_loss");
        if (v.is_number())
        {
            l->dataLoss = JsonToNumber(m_file, path, v, 0, 1, true, "a data-packet loss rate");
            return;
        }
        JsonObject o(m_file, path, v,
                     "a data-packet loss rate, or an object {rate, from_s, until_s, during}");
        o.AllowOnly({"rate", "from_s", "until_s", "during"});
        l->dataLoss = o.Number("rate", 0, 1, true, "a data-packet loss rate");
        l->dataLossWindow.fromS = o.Number("from_s", 0, 1e6, false, "a start time in seconds", 0.0);
        if (o.Has("until_s"))
        {
            l->dataLossWindow.untilS = o.Number("until_s", 0, 1e6, false, "an end time in seconds");
            if (l->dataLossWindow.untilS <= l->dataLossWindow.fromS)
            {
                o.Fail("until_s",
                       "expected an end time after from_s = " + Seconds(l->dataLossWindow.fromS) +
                           ", got " + Seconds(l->dataLossWindow.untilS));
            }
        }
        if (o.Has("during"))
        {
            std::string during = o.String("during", "\"two_paths\"");
            if (during != "two_paths")
            {
                o.Fail("during", "expected \"two_paths\" (loss only while some reconfiguration "
                                 "is in its two-path phase), got " +
                                     DescribeJson(v.at("during")));
            }
            l->dataLossInTwoPaths = true;
        }
    }

    void ParseTcp(const JsonObject& o)
    {
        o.AllowOnly({"segment_size", "sack", "timestamps", "window_scaling", "snd_buf", "rcv_buf",
                     "min_rto_s", "ecn", "delayed_ack_s", "delayed_ack_count"});
        TcpSpec& t = m_s.tcp;
        t.segmentSize = uint32_t(o.Unsigned("segment_size", 64, kMaxSegmentSize,
                                            "a TCP segment size in bytes", t.segmentSize));
        t.sack = o.Bool("sack", t.sack);
        t.ecn = o.Bool("ecn", t.ecn);
        t.delAckS = o.Number("delayed_ack_s", 0.001, 10, false, "a delayed-ACK timeout in seconds",
                             t.delAckS);
        t.delAckCount =
            uint32_t(o.Unsigned("delayed_ack_count", 1, 64,
                                "segments per delayed ACK (1: every segment)", t.delAckCount));
        t.timestamps = o.Bool("timestamps", t.timestamps);
        t.windowScaling = o.Bool("window_scaling", t.windowScaling);
        t.sndBufBytes = uint32_t(
            o.Unsigned("snd_buf", 1024, 1u << 30, "a send buffer size in bytes", t.sndBufBytes));
        t.rcvBufBytes = uint32_t(
            o.Unsigned("rcv_buf", 1024, 1u << 30, "a receive buffer size in bytes", t.rcvBufBytes));
        t.minRtoS = o.Number("min_rto_s", 0.001, 60, false, "a minimum RTO in seconds", t.minRtoS);
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

    void ParseAttacks(const json& attacks, const std::string& path)
    {
        for (size_t i = 0; i < attacks.size(); ++i)
        {
            const std::string at = path + "[" + std::to_string(i) + "]";
            JsonObject o(m_file, at, attacks[i],
                         "an attack object {from, start_s, every_s, until_s, kinds}");
            o.AllowOnly({"from", "start_s", "every_s", "until_s", "kinds"});
            AttackSpec a;
            a.from = NodeRef(o, "from");
            a.startS = o.Number("start_s", 0, 1e6, false, "a start time in seconds", 0);
            a.everyS = o.Number("every_s", 1e-6, 1e3, false, "a period in seconds", 0.05);
            a.untilS = o.Number("until_s", 0, 1e6, false, "an end time in seconds", -1);
            const json& kinds = o.Array("kinds", "an array of attack kinds", true);
            const char* kExpected = "\"forge\", \"replay\", \"modify\" or \"bad_syn\"";
            for (size_t k = 0; k < kinds.size(); ++k)
            {
                const std::string kp = o.PathOf("kinds") + "[" + std::to_string(k) + "]";
                const std::string kind = JsonToString(m_file, kp, kinds[k], kExpected);
                bool* flag = kind == "forge"     ? &a.forge
                             : kind == "replay"  ? &a.replay
                             : kind == "modify"  ? &a.modify
                             : kind == "bad_syn" ? &a.badSyn
                                                 : nullptr;
                if (flag == nullptr)
                {
                    throw ScenarioError(m_file, kp,
                                        std::string("expected ") + kExpected + ", got \"" + kind +
                                            "\"");
                }
                *flag = true;
            }
            if (kinds.empty())
            {
                o.Fail("kinds", std::string("expected at least one of ") + kExpected);
            }
            m_s.attacks.push_back(a);
        }
    }

    void ParsePolicies(const json& policies, const std::string& path)
    {
        for (size_t i = 0; i < policies.size(); ++i)
        {
            std::string at = path + "[" + std::to_string(i) + "]";
            JsonObject o(m_file, at, policies[i], "a policy object {at, match, chain}");
            o.AllowOnly({"name", "at", "match", "chain", "key"});
            PolicySpec p;
            p.name = o.String("name", "a policy name", "policy" + std::to_string(i));
            p.at = NodeRef(o, "at");
            if (o.Has("key"))
            {
                p.key = o.String("key", "a chain key of at least 32 hex digits");
                std::vector<uint8_t> bytes;
                if (!dysco::ParseHexBytes(p.key, &bytes) || bytes.size() < 16)
                {
                    o.Fail("key", "expected a chain key of at least 32 hex digits (16 bytes)");
                }
            }
            if (o.Has("match"))
            {
                ParseMatch(JsonObject(m_file, o.PathOf("match"), policies[i].at("match"),
                                      "a match object {src, dst, src_ports, dst_ports, "
                                      "protocol}"),
                           policies[i].at("match"), &p);
            }
            // An empty chain still makes Dysco sessions (a direct subsession), so middleboxes
            // can be inserted by a reconfiguration later.
            const json& chain = o.Array("chain", "an array of middlebox node names", true);
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

    /// A host, or (`vip`) also a load balancer, whose backends accept the traffic.
    size_t HostRef(const JsonObject& o, const std::string& key, bool vip = false)
    {
        size_t n = NodeRef(o, key);
        if (m_s.nodes[n].role != NodeRole::kHost &&
            !(vip && m_s.nodes[n].middlebox == MiddleboxKind::kBeamer))
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
            o.AllowOnly({"from", "to", "sessions", "bytes", "start_s", "interval_s", "port",
                         "send_size", "reverse_bytes", "rate", "start_jitter_s", "via_socks",
                         "socks_request", "prefix", "prefix_hex"});
            TrafficSpec t;
            t.from = HostRef(o, "from");
            t.to = HostRef(o, "to", true);
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
            t.startJitterS = o.Number("start_jitter_s", 0, 1e6, false,
                                      "a random start delay bound in seconds", 0.0);
            t.port = uint16_t(o.Unsigned("port", 1, 65535, "a server port", 80));
            t.sendSize =
                uint32_t(o.Unsigned("send_size", 1, 1u << 20, "a socket write size in bytes", 0));
            t.reverseBytes = o.Unsigned("reverse_bytes", 0, uint64_t(1e12),
                                        "a byte count the server sends back per session", 0);
            if (o.Has("rate"))
            {
                std::string rate = o.String("rate", kRateExpected);
                if (!ParseRate(rate, &t.rateBps))
                {
                    o.Fail("rate", std::string("expected ") + kRateExpected +
                                       " between 1bps and 1000Gbps, got " +
                                       DescribeJson(traffic[i].at("rate")));
                }
            }
            ParseSocksTraffic(o, traffic[i], m_s, &t);
            t.prefix = ReadAppPrefix(o);
            m_s.traffic.push_back(t);
        }
    }

    /// The NSH baseline: two or more edge nodes, functions that are middleboxes.
    void ParseNsh(const JsonObject& o)
    {
        o.AllowOnly({"edges", "functions", "function_cost_us"});
        auto nodes = [&](const char* key, const char* what, std::vector<size_t>* out)
        {
            const json& a = o.Array(key, std::string("an array of ") + what + " node names", true);
            for (size_t k = 0; k < a.size(); ++k)
            {
                std::string kp = o.PathOf(key) + "[" + std::to_string(k) + "]";
                size_t n = NodeRef(m_file, kp, a[k]);
                if (std::find(out->begin(), out->end(), n) != out->end())
                {
                    throw ScenarioError(m_file, kp,
                                        "node \"" + m_s.nodes[n].name + "\" is listed twice");
                }
                out->push_back(n);
            }
        };
        nodes("edges", "edge", &m_s.nsh.edges);
        nodes("functions", "service-function", &m_s.nsh.functions);
        if (m_s.nsh.edges.size() < 2)
        {
            o.Fail("edges", "expected at least two edge nodes (classifier and terminator)");
        }
        for (size_t f : m_s.nsh.functions)
        {
            if (std::find(m_s.nsh.edges.begin(), m_s.nsh.edges.end(), f) != m_s.nsh.edges.end())
            {
                o.Fail("functions", "node \"" + m_s.nodes[f].name + "\" is also an edge");
            }
        }
        m_s.nsh.functionCostUs =
            o.Number("function_cost_us", 0, 1e6, false, "a per-packet cost in microseconds", 16.5);
    }

    void ParseAgents(const JsonObject& o)
    {
        o.AllowOnly({"control_rto_s", "control_retries", "syn_rto_s", "syn_retries",
                     "close_linger_s", "idle_timeout_s", "control_protection",
                     "half_open_timeout_s", "max_chain_addresses", "chain_allow",
                     "refuse_when_full", "max_sessions"});
        AgentSpec& a = m_s.agents;
        if (o.Has("control_rto_s"))
        {
            a.controlRtoS = PositiveSeconds(o, "control_rto_s", "a control-message timeout");
        }
        if (o.Has("control_retries"))
        {
            a.controlRetries =
                uint32_t(o.Unsigned("control_retries", 0, 100, "a control-message retry count"));
        }
        if (o.Has("syn_rto_s"))
        {
            a.synRtoS = PositiveSeconds(o, "syn_rto_s", "a new-path SYN timeout");
        }
        if (o.Has("syn_retries"))
        {
            a.synRetries = uint32_t(o.Unsigned("syn_retries", 0, 100, "a SYN retry count"));
        }
        if (o.Has("close_linger_s"))
        {
            a.closeLingerS = o.Number("close_linger_s", 0, 3600, false, "a linger time");
        }
        if (o.Has("idle_timeout_s"))
        {
            a.idleTimeoutS = PositiveSeconds(o, "idle_timeout_s", "an idle timeout");
        }
        ParseAgentSecurity(o, a);
    }

    void ParseAgentSecurity(const JsonObject& o, AgentSpec& a)
    {
        if (o.Has("control_protection"))
        {
            const std::string p = o.String("control_protection", "\"off\", \"nonce\" or \"hmac\"");
            if (!dysco::IsControlProtectionName(p))
            {
                o.Fail("control_protection",
                       "expected \"off\", \"nonce\" or \"hmac\", got \"" + p + "\"");
            }
            a.controlProtection = p;
        }
        if (o.Has("half_open_timeout_s"))
        {
            a.halfOpenTimeoutS =
                o.Number("half_open_timeout_s", 0, 3600, false, "a half-open timeout (0: off)");
        }
        if (o.Has("max_chain_addresses"))
        {
            a.maxChainAddresses = uint32_t(o.Unsigned(
                "max_chain_addresses", 1, dysco::kMaxChainAddresses, "a chain length limit"));
        }
        if (o.Has("chain_allow"))
        {
            const json& list = o.Array("chain_allow", "an array of IPv4 prefixes", false);
            std::string text;
            for (size_t i = 0; i < list.size(); ++i)
            {
                const std::string path = o.PathOf("chain_allow") + "[" + std::to_string(i) + "]";
                const std::string prefix =
                    JsonToString(m_file, path, list[i], "an IPv4 prefix a.b.c.d/len");
                std::vector<dysco::Prefix> parsed;
                std::string error;
                if (!dysco::ParsePrefixList(prefix, &parsed, &error) || parsed.size() != 1)
                {
                    throw ScenarioError(m_file, path,
                                        "expected an IPv4 prefix a.b.c.d/len, got \"" + prefix +
                                            "\"");
                }
                text += (text.empty() ? "" : ",") + prefix;
            }
            a.chainAllow = text;
        }
        if (o.Has("refuse_when_full"))
        {
            a.refuseWhenFull = o.Bool("refuse_when_full", false);
        }
        if (o.Has("max_sessions"))
        {
            a.maxSessions =
                uint32_t(o.Unsigned("max_sessions", 1, 1u << 24, "a session-table bound"));
        }
    }

    /// "sessions": "all" | N, "traffic": index.
    SessionSelector Selector(const JsonObject& o, const json& raw)
    {
        SessionSelector sel;
        if (o.Has("sessions"))
        {
            const json& v = raw.at("sessions");
            if (!(v.is_string() && v.get<std::string>() == "all"))
            {
                if (!v.is_number())
                {
                    o.Fail("sessions",
                           "expected \"all\" or a session count, got " + DescribeJson(v));
                }
                sel.count = uint32_t(JsonToUnsigned(m_file, o.PathOf("sessions"), v, 1, 1000000,
                                                    "\"all\" or a session count"));
            }
        }
        if (o.Has("traffic"))
        {
            if (m_s.traffic.empty())
            {
                o.Fail("traffic", "expected an index into $.traffic, but the scenario has none");
            }
            sel.traffic =
                size_t(o.Unsigned("traffic", 0, m_s.traffic.size() - 1, "an index into $.traffic"));
        }
        return sel;
    }

    size_t RoleRef(const JsonObject& o, const std::string& key, NodeRole role, const char* why)
    {
        size_t n = NodeRef(o, key);
        if (m_s.nodes[n].role != role)
        {
            o.Fail(key, "node \"" + m_s.nodes[n].name + "\" is a " + ToString(m_s.nodes[n].role) +
                            "; " + why);
        }
        return n;
    }

    void ParseReconfigurations(const json& list, const std::string& path)
    {
        for (size_t i = 0; i < list.size(); ++i)
        {
            JsonObject o(m_file, path + "[" + std::to_string(i) + "]", list[i],
                         "a reconfiguration {at_s, delete} or {at_s, left_anchor, right_anchor, "
                         "middleboxes}");
            o.AllowOnly({"at_s", "jitter_s", "sessions", "traffic", "delete", "left_anchor",
                         "right_anchor", "middleboxes", "retry_after_s", "retries",
                         "migrate_state"});
            ReconfigSpec r;
            r.atS = o.Number("at_s", 0, 1e6, false, "a trigger time in seconds");
            r.jitterS = o.Number("jitter_s", 0, 1e6, false, "a random start offset range", 0.0);
            r.sessions = Selector(o, list[i]);
            if (o.Has("delete"))
            {
                for (const char* k : {"left_anchor", "right_anchor", "middleboxes"})
                {
                    if (o.Has(k))
                    {
                        o.Fail(k, "\"delete\" names the middlebox that leaves the chain; its "
                                  "neighbours are the anchors, so \"" +
                                      std::string(k) + "\" cannot be given with it");
                    }
                }
                r.deleteNode = RoleRef(o, "delete", NodeRole::kMiddlebox,
                                       "only a middlebox can ask to leave a chain");
            }
            else
            {
                r.leftAnchor = NodeRef(o, "left_anchor");
                r.rightAnchor = NodeRef(o, "right_anchor");
                if (r.leftAnchor == r.rightAnchor)
                {
                    o.Fail("right_anchor", "the anchors are two different nodes; both are \"" +
                                               m_s.nodes[r.leftAnchor].name + "\"");
                }
                const json& mbs = o.Array("middleboxes", "an array of middlebox node names", false);
                for (size_t k = 0; k < mbs.size(); ++k)
                {
                    std::string kp = o.PathOf("middleboxes") + "[" + std::to_string(k) + "]";
                    size_t mb = NodeRef(m_file, kp, mbs[k]);
                    const NodeSpec& n = m_s.nodes[mb];
                    if (n.role != NodeRole::kMiddlebox)
                    {
                        throw ScenarioError(m_file, kp,
                                            "node \"" + n.name + "\" is a " + ToString(n.role) +
                                                "; a new path lists nodes with role "
                                                "\"middlebox\"");
                    }
                    if (mb == r.leftAnchor || mb == r.rightAnchor ||
                        std::find(r.middleboxes.begin(), r.middleboxes.end(), mb) !=
                            r.middleboxes.end())
                    {
                        throw ScenarioError(m_file, kp,
                                            "middlebox \"" + n.name +
                                                "\" is already an anchor or on the new path; a "
                                                "path visits each node once");
                    }
                    r.middleboxes.push_back(mb);
                }
            }
            if (o.Has("retry_after_s"))
            {
                r.retryAfterS = PositiveSeconds(o, "retry_after_s", "a retry delay in seconds");
                r.retries = uint32_t(o.Unsigned("retries", 1, 100, "a retry count", 1));
            }
            else if (o.Has("retries"))
            {
                o.Fail("retries", "retries need \"retry_after_s\" (the delay before each)");
            }
            if (o.Has("migrate_state"))
            {
                if (r.deleteNode)
                {
                    o.Fail("migrate_state", "state migrates only with an explicit replacement "
                                            "(left_anchor, right_anchor, middleboxes)");
                }
                r.migrate = Migration(JsonObject(m_file, o.PathOf("migrate_state"),
                                                 list[i].at("migrate_state"),
                                                 "an object {from, to, mode, transfer_s}"),
                                      r);
            }
            m_s.reconfigurations.push_back(r);
        }
    }

    MigrationSpec Migration(const JsonObject& o, const ReconfigSpec& r)
    {
        o.AllowOnly({"from", "to", "mode", "transfer_s", "corrupt"});
        MigrationSpec m;
        m.from = NodeRef(o, "from");
        m.to = NodeRef(o, "to");
        for (const char* k : {"from", "to"})
        {
            const NodeSpec& n = m_s.nodes[std::string(k) == "from" ? m.from : m.to];
            if (!IsStateful(n.middlebox))
            {
                o.Fail(k, "node \"" + n.name + "\" runs \"" + ToString(n.middlebox) +
                              "\"; state migrates between firewall, nat or cgnat middleboxes");
            }
        }
        if (m_s.nodes[m.from].middlebox != m_s.nodes[m.to].middlebox)
        {
            o.Fail("to", "\"" + m_s.nodes[m.to].name + "\" runs \"" +
                             ToString(m_s.nodes[m.to].middlebox) + "\" but \"" +
                             m_s.nodes[m.from].name + "\" runs \"" +
                             ToString(m_s.nodes[m.from].middlebox) +
                             "\"; state moves between two of a kind");
        }
        if (m.from == m.to)
        {
            o.Fail("to", "the new instance must differ from the old one");
        }
        if (std::find(r.middleboxes.begin(), r.middleboxes.end(), m.to) == r.middleboxes.end())
        {
            o.Fail("to", "\"" + m_s.nodes[m.to].name + "\" is not on the new path (middleboxes)");
        }
        const std::string mode = o.String("mode", "\"buffered\" or \"unbuffered\"", "buffered");
        if (mode != "buffered" && mode != "unbuffered")
        {
            o.Fail("mode", "expected \"buffered\" or \"unbuffered\", got \"" + mode + "\"");
        }
        m.buffered = mode == "buffered";
        m.transferS = o.Number("transfer_s", 0, 10, false, "a transfer time in seconds", 0.001);
        m.corrupt = o.Bool("corrupt", false);
        return m;
    }

    void ParseInjections(const json& list, const std::string& path)
    {
        static const std::vector<std::pair<std::string, InjectAction>> kActions = {
            {"fin_client", InjectAction::kFinClient},
            {"fin_server", InjectAction::kFinServer},
            {"rst_client", InjectAction::kRstClient},
            {"rst_server", InjectAction::kRstServer}};
        static const std::vector<std::pair<std::string, ProtocolPhase>> kPhases = {
            {"locking", ProtocolPhase::kLocking},         {"locked", ProtocolPhase::kLocked},
            {"new_path_syn", ProtocolPhase::kNewPathSyn}, {"two_paths", ProtocolPhase::kTwoPaths},
            {"cancelling", ProtocolPhase::kCancelling},   {"succeeded", ProtocolPhase::kSucceeded},
            {"aborted", ProtocolPhase::kAborted}};
        for (size_t i = 0; i < list.size(); ++i)
        {
            JsonObject o(m_file, path + "[" + std::to_string(i) + "]", list[i],
                         "an injection {action, on}");
            o.AllowOnly({"action", "on", "at", "sessions", "traffic", "delay_s"});
            InjectionSpec inj;
            inj.action = Choice(o, "action", kActions);
            inj.phase = Choice(o, "on", kPhases);
            if (o.Has("at"))
            {
                inj.at = NodeRef(o, "at");
            }
            inj.sessions = Selector(o, list[i]);
            inj.delayS = o.Number("delay_s", 0, 1e6, false, "a delay in seconds", 0.0);
            m_s.injections.push_back(inj);
        }
    }

    template <typename T>
    T Choice(const JsonObject& o, const std::string& key,
             const std::vector<std::pair<std::string, T>>& choices)
    {
        std::string list;
        for (const auto& c : choices)
        {
            list += (list.empty() ? "\"" : ", \"") + c.first + "\"";
        }
        std::string v = o.String(key, "one of " + list);
        for (const auto& c : choices)
        {
            if (c.first == v)
            {
                return c.second;
            }
        }
        o.Fail(key, "expected one of " + list + ", got string \"" + v + "\"");
    }

    /// Settings of stateful middleboxes, parsed once every node name is known.
    struct StatefulRaw
    {
        size_t node;
        std::string path;
        const json* raw;
    };

    void ParseStateful()
    {
        for (const auto& st : m_statefulRaw)
        {
            NodeSpec& n = m_s.nodes[st.node];
            StatefulSpec& spec = n.stateful;
            JsonObject o(m_file, st.path, *st.raw, "an object of middlebox settings");
            if (n.middlebox == MiddleboxKind::kFirewall)
            {
                o.AllowOnly({"default", "rules"});
                const std::string d = o.String("default", "\"allow\" or \"deny\"", "allow");
                if (d != "allow" && d != "deny")
                {
                    o.Fail("default", "expected \"allow\" or \"deny\", got " +
                                          DescribeJson(st.raw->at("default")));
                }
                spec.defaultAllow = d == "allow";
                const json& rules = o.Array("rules", "an array of rules", false);
                for (size_t k = 0; k < rules.size(); ++k)
                {
                    JsonObject r(m_file, o.PathOf("rules") + "[" + std::to_string(k) + "]",
                                 rules[k], "a rule {action, src, dst, src_ports, dst_ports}");
                    r.AllowOnly({"action", "src", "dst", "src_ports", "dst_ports"});
                    FirewallRuleSpec rule;
                    const std::string a = r.String("action", "\"allow\" or \"deny\"");
                    if (a != "allow" && a != "deny")
                    {
                        r.Fail("action", "expected \"allow\" or \"deny\", got " +
                                             DescribeJson(rules[k].at("action")));
                    }
                    rule.allow = a == "allow";
                    rule.src = Prefix(r, "src");
                    rule.dst = Prefix(r, "dst");
                    rule.srcPorts = Ports(r, "src_ports", rules[k]);
                    rule.dstPorts = Ports(r, "dst_ports", rules[k]);
                    spec.rules.push_back(rule);
                }
                continue;
            }
            const bool cgnat = n.middlebox == MiddleboxKind::kCgnat;
            if (cgnat)
            {
                o.AllowOnly({"inside", "outside", "ports", "block_size"});
                spec.ports = PortRangeSpec{1024, 65535};
            }
            else
            {
                o.AllowOnly({"inside", "outside", "ports"});
            }
            spec.inside = Prefix(o, "inside");
            if (o.Has("ports"))
            {
                spec.ports = Ports(o, "ports", *st.raw);
                if (spec.ports.low == 0)
                {
                    o.Fail("ports", "expected outside ports 1 to 65535, got port 0");
                }
            }
            if (o.Has("outside"))
            {
                const json& v = st.raw->at("outside");
                std::vector<const json*> items;
                if (v.is_array() && cgnat)
                {
                    for (const auto& e : v)
                    {
                        items.push_back(&e);
                    }
                }
                else if (v.is_string())
                {
                    items.push_back(&v);
                }
                else
                {
                    o.Fail("outside", std::string("expected ") +
                                          (cgnat ? "an array of addresses or node names"
                                                 : "an address or a node name") +
                                          ", got " + DescribeJson(v));
                }
                for (size_t k = 0; k < items.size(); ++k)
                {
                    // Wrapped so Prefix() reports the element's own path.
                    const std::string key =
                        "outside" + (v.is_array() ? "[" + std::to_string(k) + "]" : std::string());
                    json wrap = {{key, *items[k]}};
                    JsonObject w(m_file, o.Path(), wrap, "");
                    PrefixSpec p = Prefix(w, key);
                    if (p.length != 32)
                    {
                        o.Fail("outside", "expected addresses (/32), got a /" +
                                              std::to_string(p.length) + " prefix");
                    }
                    spec.outside.push_back(p);
                }
            }
            if (cgnat)
            {
                spec.blockSize =
                    uint16_t(o.Unsigned("block_size", 1, 65535, "ports per block", 64));
                const uint32_t span = uint32_t(spec.ports.high) - spec.ports.low + 1;
                if (spec.blockSize > span)
                {
                    o.Fail("block_size", "a block of " + std::to_string(spec.blockSize) +
                                             " ports does not fit the " + std::to_string(span) +
                                             " outside ports");
                }
            }
        }
    }

    std::string m_file;
    Scenario m_s;
    std::vector<StatefulRaw> m_statefulRaw;
    std::vector<StatefulRaw> m_beamerRaw; ///< `beamer` objects, parsed once names are known
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
        double last = t.startS + t.intervalS * double(t.sessions - 1) + t.startJitterS;
        if (last >= s.durationS)
        {
            throw ScenarioError(s.file, at + ".interval_s",
                                "the last of " + std::to_string(t.sessions) +
                                    " sessions would start at " + Seconds(last) + ", not before " +
                                    stop);
        }
    }
    CheckPolicyServerTiming(s, stop);
    for (size_t i = 0; i < s.reconfigurations.size(); ++i)
    {
        const ReconfigSpec& r = s.reconfigurations[i];
        if (r.atS >= s.durationS)
        {
            throw ScenarioError(s.file, "$.reconfigurations[" + std::to_string(i) + "].at_s",
                                "triggers at " + Seconds(r.atS) + ", not before " + stop);
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
    if (std::any_of(s.nodes.begin(), s.nodes.end(),
                    [](const NodeSpec& n)
                    { return n.middlebox == MiddleboxKind::kContentModifier; }))
    {
        TrafficEdits(s, AddressPlan(s)); // an edit must fit the streams it edits
    }
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
