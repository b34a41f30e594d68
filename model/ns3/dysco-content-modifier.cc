#include "dysco-content-modifier.h"

#include "ns3/uinteger.h"

#include <algorithm>

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(DyscoContentModifier);

TypeId
DyscoContentModifier::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::DyscoContentModifier")
            .SetParent<DyscoProxy>()
            .SetGroupName("Dysco")
            .AddConstructor<DyscoContentModifier>()
            .AddAttribute("Offset", "Client -> server stream offset where the edit starts",
                          UintegerValue(8), MakeUintegerAccessor(&DyscoContentModifier::m_offset),
                          MakeUintegerChecker<uint64_t>())
            .AddAttribute("Insert", "Bytes inserted at Offset", UintegerValue(0),
                          MakeUintegerAccessor(&DyscoContentModifier::m_insert),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("Remove", "Bytes removed from Offset on", UintegerValue(0),
                          MakeUintegerAccessor(&DyscoContentModifier::m_remove),
                          MakeUintegerChecker<uint32_t>());
    return tid;
}

DyscoContentModifier::DyscoContentModifier() = default;

DyscoContentModifier::~DyscoContentModifier() = default;

void
DyscoContentModifier::Edit(int dir, uint64_t offset, const uint8_t* data, uint32_t n,
                           std::vector<uint8_t>& out)
{
    const uint64_t end = offset + n;
    if (dir != 0 || end <= m_offset || offset > m_offset + m_remove)
    {
        out.insert(out.end(), data, data + n);
        return;
    }
    // Bytes before the edit, the inserted bytes (when the edit's start is in this read),
    // then what follows the removed range.
    const uint64_t keepUntil = std::max(offset, m_offset);
    out.insert(out.end(), data, data + (keepUntil - offset));
    if (offset <= m_offset && m_offset < end + (m_remove == 0 ? 1 : 0))
    {
        for (uint32_t i = 0; i < m_insert; ++i)
        {
            out.push_back(ContentModifierByte(i));
        }
    }
    const uint64_t resume = std::max(offset, m_offset + m_remove);
    if (resume < end)
    {
        out.insert(out.end(), data + (resume - offset), data + n);
    }
}

bool
DyscoContentModifier::EditsDone(const DyscoProxySessionStats& stats) const
{
    // Everything up to the end of the removed range went through the edit.
    return stats.bytesRead[0] >= m_offset + m_remove && stats.bytesRead[0] > m_offset;
}

int64_t
DyscoContentModifier::EditDelta(int dir) const
{
    return dir == 0 ? int64_t(m_insert) - int64_t(m_remove) : 0;
}

} // namespace ns3
