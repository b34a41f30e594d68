// A declared change of a test stream's content by a content-changing middlebox (paper §2.2):
// content bytes [offset, offset + remove) are replaced by `insert` bytes given by
// insertByte(i). A receiver that knows the edit checks every byte of the modified stream
// against it, instead of calling the edit a corruption.
#ifndef DYSCO_STREAM_EDIT_H
#define DYSCO_STREAM_EDIT_H

#include "stream-pattern.h"

#include <cstdint>

namespace ns3
{

struct StreamEdit
{
    uint64_t offset = 0; ///< content offset (after the stream-id header)
    uint64_t remove = 0;
    uint64_t insert = 0;
    uint8_t (*insertByte)(uint64_t i) = nullptr;

    /// Net change of the stream's length.
    int64_t Delta() const { return int64_t(insert) - int64_t(remove); }
};

/// Byte `offset` of stream `streamId`'s content as the receiver should read it after `edit`
/// (nullptr: unchanged).
inline uint8_t
ExpectedStreamByte(uint64_t streamId, const StreamEdit* edit, uint64_t offset)
{
    if (edit == nullptr || offset < edit->offset)
    {
        return StreamPatternByte(streamId, offset);
    }
    if (offset < edit->offset + edit->insert)
    {
        return edit->insertByte(offset - edit->offset);
    }
    return StreamPatternByte(streamId, offset - edit->insert + edit->remove);
}

} // namespace ns3

#endif
