#include "socks_spec_loader.h"

#include "proxy_spec_loader.h"
#include "scenario_error.h"

namespace dyscosim
{

namespace
{
constexpr uint16_t kSocksDefaultPort = 1080;
constexpr const char* kRequestExpected =
    "\"connect\", \"bad_version\", \"truncated\" or \"refused\"";
} // namespace

void
ParseSocksNode(const JsonObject& o, const nlohmann::json& raw, NodeSpec* n)
{
    const bool socks = n->middlebox == MiddleboxKind::kSocks;
    if (socks)
    {
        n->proxy.port = kSocksDefaultPort;
    }
    if (!o.Has("socks"))
    {
        return;
    }
    if (!socks)
    {
        o.Fail("socks", "only nodes with middlebox \"socks\" take this object; node \"" + n->name +
                            "\" runs \"" + ToString(n->middlebox) + "\"");
    }
    const nlohmann::json& v = raw.at("socks");
    JsonObject m(o.File(), o.PathOf("socks"), v, "an object {port, isn, rcv_buf, snd_buf}");
    m.AllowOnly({"port", "isn", "rcv_buf", "snd_buf"});
    ParseProxyFields(m, v, &n->proxy);
    n->proxy.port =
        uint16_t(m.Unsigned("port", 1, 65535, "a TCP port 1..65535", kSocksDefaultPort));
}

void
ParseSocksTraffic(const JsonObject& o, const nlohmann::json& raw, const Scenario& s, TrafficSpec* t)
{
    if (o.Has("via_socks"))
    {
        const std::string name = o.String("via_socks", "the name of a \"socks\" node");
        const std::optional<size_t> node = s.FindNode(name);
        if (!node)
        {
            o.Fail("via_socks", "no node is named \"" + name + "\"");
        }
        if (s.nodes[*node].middlebox != MiddleboxKind::kSocks)
        {
            o.Fail("via_socks", "node \"" + name + "\" runs \"" +
                                    ToString(s.nodes[*node].middlebox) +
                                    "\", not a \"socks\" proxy");
        }
        t->viaSocks = node;
    }
    if (!o.Has("socks_request"))
    {
        return;
    }
    if (!t->viaSocks)
    {
        o.Fail("socks_request", "only traffic with \"via_socks\" sends a request");
    }
    const std::string kind = o.String("socks_request", kRequestExpected);
    if (kind == "connect")
    {
        t->socksRequest = SocksRequestKind::kConnect;
    }
    else if (kind == "bad_version")
    {
        t->socksRequest = SocksRequestKind::kBadVersion;
    }
    else if (kind == "truncated")
    {
        t->socksRequest = SocksRequestKind::kTruncated;
    }
    else if (kind == "refused")
    {
        t->socksRequest = SocksRequestKind::kRefused;
    }
    else
    {
        o.Fail("socks_request", std::string("expected ") + kRequestExpected + ", got " +
                                    DescribeJson(raw.at("socks_request")));
    }
}

} // namespace dyscosim
