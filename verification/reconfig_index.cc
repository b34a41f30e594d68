#include "reconfig_index.h"

#include <unordered_map>

namespace dysco
{
namespace verify
{

std::vector<ReconfigInfo>
CollectReconfigs(const Trace& trace, const SessionView& s)
{
    std::vector<ReconfigInfo> out;
    std::unordered_map<uint32_t, size_t> byRid;
    for (uint32_t i : s)
    {
        const Event& e = trace.events[i];
        if (e.kind == EventKind::kPhase)
        {
            if (auto* r = std::get_if<ReconfigRequest>(&e.payload))
            {
                ReconfigInfo info;
                info.rid = r->rid;
                info.request = i;
                info.left = r->oldPath[0];
                info.right = r->oldPath[r->oldCount - 1];
                info.req = r;
                byRid.emplace(r->rid, out.size());
                out.push_back(std::move(info));
            }
            else
            {
                out[byRid.at(e.Rid())].phases.push_back(i);
            }
        }
        else if (e.kind == EventKind::kControl)
        {
            auto it = byRid.find(e.Rid());
            if (it != byRid.end())
            {
                out[it->second].controls.push_back(i);
            }
        }
    }
    return out;
}

bool
IsTerminal(Phase p)
{
    return p == Phase::kDone || p == Phase::kAborted || p == Phase::kDenied ||
           p == Phase::kLockFailed || p == Phase::kClosed;
}

bool
SegmentsOverlap(const ReconfigRequest& a, const ReconfigRequest& b, uint16_t* left, uint16_t* right)
{
    for (size_t i = 0; i + 1 < a.oldCount; ++i)
    {
        for (size_t j = 0; j + 1 < b.oldCount; ++j)
        {
            if (a.oldPath[i] == b.oldPath[j] && a.oldPath[i + 1] == b.oldPath[j + 1])
            {
                *left = a.oldPath[i];
                *right = a.oldPath[i + 1];
                return true;
            }
        }
    }
    return false;
}

std::string
PathText(const Trace& trace, const uint16_t* nodes, size_t n)
{
    std::string s;
    for (size_t i = 0; i < n; ++i)
    {
        if (i)
        {
            s += ",";
        }
        s += trace.NodeName(nodes[i]);
    }
    return s;
}

} // namespace verify
} // namespace dysco
