// The head of a test stream: an optional application prefix (e.g. "GET / HTTP/1.1\r\n", so
// a classifier can tell sessions apart by their first bytes), then the 8-byte big-endian
// stream id. A receiver learns which stream a connection carries only from the id, which
// comes after the prefix, so it resolves the head against every registered prefix: it reads
// until exactly one (prefix, id) pair fits, the id's registered prefix being that prefix.
// Streams without a registered prefix start with their id, as before.
#ifndef DYSCO_STREAM_HEAD_H
#define DYSCO_STREAM_HEAD_H

#include <cstddef>
#include <cstdint>
#include <map>
#include <vector>

namespace ns3
{

/// Stream id -> the prefix its sender writes before the id.
class StreamPrefixes
{
public:
    void Set(uint64_t streamId, std::vector<uint8_t> prefix);
    /// The prefix of `streamId` (empty if none).
    const std::vector<uint8_t>& Of(uint64_t streamId) const;
    /// Every distinct prefix, the empty one included, longest first.
    const std::vector<std::vector<uint8_t>>& Candidates() const { return m_candidates; }

private:
    std::map<uint64_t, std::vector<uint8_t>> m_of;
    std::vector<std::vector<uint8_t>> m_candidates{std::vector<uint8_t>{}};
};

/// One connection's head, fed as the bytes arrive.
class StreamHead
{
public:
    enum State
    {
        kPending,
        kResolved,
        kFailed, ///< no registered (prefix, id) fits the bytes
    };

    /// Takes bytes of `data` until the head is resolved or failed; returns how many it took.
    /// Bytes it read past the head before resolving are in Content().
    size_t Feed(const StreamPrefixes& prefixes, const uint8_t* data, size_t n);
    /// The stream ended: decide with the bytes there are.
    void Finish(const StreamPrefixes& prefixes);

    State GetState() const { return m_state; }
    uint64_t StreamId() const { return m_streamId; }
    size_t PrefixSize() const { return m_prefixSize; }
    /// Bytes read before the head was resolved (all of them while pending); after it resolved,
    /// those that followed the id.
    const std::vector<uint8_t>& Content() const { return m_buf; }

private:
    void Resolve(const StreamPrefixes& prefixes, bool complete);

    State m_state = kPending;
    uint64_t m_streamId = 0;
    size_t m_prefixSize = 0;
    std::vector<uint8_t> m_buf;
};

} // namespace ns3

#endif
