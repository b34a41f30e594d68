#include "box_cpu_loader.h"

#include "units.h"

namespace dyscosim
{

void
ParseBoxCpu(const JsonObject& node, NodeSpec* n)
{
    if (!node.Has("cpu"))
    {
        return;
    }
    if (n->role == NodeRole::kHost)
    {
        node.Fail("cpu", "only nodes that forward packets (middleboxes, routers) take a cpu; "
                         "node \"" +
                             n->name + "\" is a host");
    }
    JsonObject o(node.File(), node.PathOf("cpu"), node.Require("cpu", "an object {rate}"),
                 "an object {rate, queue, ecn_at}");
    o.AllowOnly({"rate", "queue", "ecn_at"});
    CpuSpec c;
    const std::string rate = o.String("rate", "a processing rate such as \"500Mbps\"");
    if (!ParseRate(rate, &c.rateBps) || c.rateBps == 0)
    {
        o.Fail("rate", "expected a positive rate such as \"500Mbps\", got \"" + rate + "\"");
    }
    c.queue = uint32_t(o.Unsigned("queue", 1, 1u << 24, "a queue length in packets", c.queue));
    c.ecnAt =
        uint32_t(o.Unsigned("ecn_at", 0, c.queue,
                            "a queue length in packets at most `queue` (0: never mark)", c.ecnAt));
    n->cpu = c;
}

} // namespace dyscosim
