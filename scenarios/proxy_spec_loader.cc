#include "proxy_spec_loader.h"

#include "scenario_error.h"
#include "units.h"

namespace dyscosim
{

const std::vector<std::string>&
ProxyKeys()
{
    static const std::vector<std::string> keys = {
        "splice_after_bytes", "splice_after_s", "port", "isn", "rcv_buf", "snd_buf",
        "relay_rate",         "splice_at"};
    return keys;
}

void
ParseProxySpec(const JsonObject& o, const nlohmann::json& raw, ProxySpec* out)
{
    o.AllowOnly(ProxyKeys());
    ParseProxyFields(o, raw, out);
}

void
ParseProxyFields(const JsonObject& o, const nlohmann::json& raw, ProxySpec* out)
{
    ProxySpec& p = *out;
    p.spliceAfterBytes = o.Unsigned("splice_after_bytes", 0, uint64_t(1) << 50,
                                    "a byte count (0: never by bytes)", 0);
    p.spliceAfterS =
        o.Number("splice_after_s", 0, 1e6, false, "a time in seconds (0: never by time)", 0.0);
    p.port = uint16_t(o.Unsigned("port", 1, 65535, "a TCP port 1..65535", 9000));
    if (o.Has("isn"))
    {
        const nlohmann::json& v = raw.at("isn");
        if (v.is_string() && v.get<std::string>() == "random")
        {
            p.randomIsn = true;
        }
        else if (v.is_object())
        {
            JsonObject isn(o.File(), o.PathOf("isn"), v, "an object {server_side, client_side}");
            isn.AllowOnly({"server_side", "client_side"});
            p.randomIsn = false;
            p.isn[0] = uint32_t(
                isn.Unsigned("server_side", 0, UINT32_MAX, "an ISN offset 0 to 4294967295", 0));
            p.isn[1] = uint32_t(
                isn.Unsigned("client_side", 0, UINT32_MAX, "an ISN offset 0 to 4294967295", 0));
        }
        else
        {
            o.Fail("isn", "expected \"random\" or an object {server_side, client_side}, got " +
                              DescribeJson(v));
        }
    }
    p.rcvBufBytes =
        uint32_t(o.Unsigned("rcv_buf", 1024, 1u << 30, "a socket buffer size in bytes", 0));
    p.sndBufBytes =
        uint32_t(o.Unsigned("snd_buf", 1024, 1u << 30, "a socket buffer size in bytes", 0));
    if (o.Has("relay_rate"))
    {
        const std::string rate = o.String("relay_rate", "a rate such as \"2Mbps\"");
        if (!ParseRate(rate, &p.relayRateBps))
        {
            o.Fail("relay_rate", "expected a rate such as \"2Mbps\", got \"" + rate + "\"");
        }
    }
    if (o.Has("splice_at"))
    {
        const nlohmann::json& list = o.Array("splice_at", "a list of {at_s, dst_port}", true);
        for (size_t i = 0; i < list.size(); ++i)
        {
            const std::string path = o.PathOf("splice_at") + "[" + std::to_string(i) + "]";
            JsonObject e(o.File(), path, list[i], "an object {at_s, dst_port}");
            e.AllowOnly({"at_s", "dst_port"});
            const double at = e.Number("at_s", 0, 1e6, false, "a time in seconds");
            const auto port = uint16_t(e.Unsigned("dst_port", 1, 65535, "a TCP port 1..65535"));
            p.spliceAt.emplace_back(at, port);
        }
    }
}

} // namespace dyscosim
