#include "stream-head.h"

#include "stream-pattern.h"

#include <algorithm>

namespace ns3
{

namespace
{
const std::vector<uint8_t> kNoPrefix;

bool
StartsWith(const std::vector<uint8_t>& bytes, const std::vector<uint8_t>& prefix, size_t n)
{
    return std::equal(prefix.begin(), prefix.begin() + n, bytes.begin());
}
} // namespace

void
StreamPrefixes::Set(uint64_t streamId, std::vector<uint8_t> prefix)
{
    if (std::find(m_candidates.begin(), m_candidates.end(), prefix) == m_candidates.end())
    {
        m_candidates.push_back(prefix);
        std::stable_sort(m_candidates.begin(), m_candidates.end(),
                         [](const auto& a, const auto& b) { return a.size() > b.size(); });
    }
    m_of[streamId] = std::move(prefix);
}

const std::vector<uint8_t>&
StreamPrefixes::Of(uint64_t streamId) const
{
    auto it = m_of.find(streamId);
    return it == m_of.end() ? kNoPrefix : it->second;
}

size_t
StreamHead::Feed(const StreamPrefixes& prefixes, const uint8_t* data, size_t n)
{
    size_t i = 0;
    while (i < n && m_state == kPending)
    {
        m_buf.push_back(data[i++]);
        Resolve(prefixes, false);
    }
    return i;
}

void
StreamHead::Finish(const StreamPrefixes& prefixes)
{
    if (m_state == kPending)
    {
        Resolve(prefixes, true);
    }
}

void
StreamHead::Resolve(const StreamPrefixes& prefixes, bool complete)
{
    bool undecided = false; // a longer candidate may still fit
    for (const std::vector<uint8_t>& p : prefixes.Candidates())
    {
        const size_t need = p.size() + kStreamIdHeaderSize;
        if (m_buf.size() < need)
        {
            undecided |= !complete && StartsWith(m_buf, p, std::min(m_buf.size(), p.size()));
            continue;
        }
        if (!StartsWith(m_buf, p, p.size()))
        {
            continue;
        }
        uint64_t id = 0;
        for (size_t k = p.size(); k < need; ++k)
        {
            id = (id << 8) | m_buf[k];
        }
        if (prefixes.Of(id) != p)
        {
            continue; // an id, but not one whose stream starts with this prefix
        }
        if (undecided)
        {
            return;
        }
        m_state = kResolved;
        m_streamId = id;
        m_prefixSize = p.size();
        m_buf.erase(m_buf.begin(), m_buf.begin() + need);
        return;
    }
    if (!undecided)
    {
        m_state = kFailed;
    }
}

} // namespace ns3
