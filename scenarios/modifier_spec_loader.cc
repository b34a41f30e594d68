#include "modifier_spec_loader.h"

#include "proxy_spec_loader.h"

namespace dyscosim
{

namespace
{
constexpr const char* kKey = "content_modifier";
constexpr const char* kExpected = "an object {offset, insert, remove, splice_after_bytes, ...} "
                                  "(see scenarios/README.md)";
} // namespace

void
ParseModifierNode(const JsonObject& o, const nlohmann::json& raw, NodeSpec* n)
{
    const bool modifier = n->middlebox == MiddleboxKind::kContentModifier;
    if (!o.Has(kKey))
    {
        if (modifier)
        {
            o.Require(kKey, kExpected);
        }
        return;
    }
    if (!modifier)
    {
        o.Fail(kKey, "only nodes with middlebox \"content_modifier\" take this object; node \"" +
                         n->name + "\" runs \"" + ToString(n->middlebox) + "\"");
    }
    const nlohmann::json& v = raw.at(kKey);
    JsonObject m(o.File(), o.PathOf(kKey), v, kExpected);
    std::vector<std::string> keys = {"offset", "insert", "remove"};
    keys.insert(keys.end(), ProxyKeys().begin(), ProxyKeys().end());
    m.AllowOnly(keys);
    ParseProxyFields(m, v, &n->proxy);
    EditSpec& e = n->edit;
    e.offset = m.Unsigned("offset", 0, uint64_t(1) << 40,
                          "a content offset in bytes (after the 8-byte stream id)");
    e.insert = uint32_t(m.Unsigned("insert", 0, 1u << 20, "a byte count 0 to 1048576", 0));
    e.remove = uint32_t(m.Unsigned("remove", 0, 1u << 30, "a byte count 0 to 1073741824", 0));
    if (e.insert == 0 && e.remove == 0)
    {
        m.Fail("insert", "an edit must insert or remove bytes (insert and remove are both 0)");
    }
}

} // namespace dyscosim
