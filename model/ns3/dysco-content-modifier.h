// A session-terminating content modifier (paper §2.2: an ad-inserting or transcoding proxy):
// a DyscoProxy that replaces the client -> server bytes [Offset, Offset + Remove) of every
// session by Insert bytes of its own pattern (ContentModifierByte), so the stream changes
// length by Insert - Remove. The change is part of the deltas it declares, and it asks to
// leave the chain only once the edit went through (and SpliceAfterBytes / SpliceAfter say
// so): the server then reads exactly the declared modified stream.
#ifndef DYSCO_CONTENT_MODIFIER_H
#define DYSCO_CONTENT_MODIFIER_H

#include "dysco-proxy.h"

namespace ns3
{

/// Byte `i` of the bytes a content modifier inserts into a session's stream.
inline uint8_t
ContentModifierByte(uint64_t i)
{
    return static_cast<uint8_t>('a' + i % 26);
}

class DyscoContentModifier : public DyscoProxy
{
public:
    static TypeId GetTypeId();
    DyscoContentModifier();
    ~DyscoContentModifier() override;

protected:
    void Edit(int dir, uint64_t offset, const uint8_t* data, uint32_t n,
              std::vector<uint8_t>& out) override;
    bool EditsDone(const DyscoProxySessionStats& stats) const override;
    int64_t EditDelta(int dir) const override;

private:
    uint64_t m_offset = 8;
    uint32_t m_insert = 0;
    uint32_t m_remove = 0;
};

} // namespace ns3

#endif
