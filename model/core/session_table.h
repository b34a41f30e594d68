// Per-agent session state and the two translation maps (§2.3 "dictionary entries").
//
// A session at an agent has up to two subsessions: to its left (toward the client) and to
// its right (toward the server). Translation happens at the node boundary:
//   ingress map: wire tuple arriving from a subsession   -> session header to deliver/forward
//   egress map:  session header leaving the node          -> wire tuple of the subsession
// Each map entry carries the full rewrite, so the data path is one probe of a flat,
// open-addressing table (linear probing, 32-byte entries, backward-shift deletion) and
// never allocates; only session setup and teardown do.
#ifndef DYSCO_CORE_SESSION_TABLE_H
#define DYSCO_CORE_SESSION_TABLE_H

#include "control.h"
#include "five_tuple.h"
#include "lock.h"
#include "reconfig.h"

#include <array>
#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

namespace dysco
{

enum class MapDirection : uint8_t
{
    kIngress = 0,
    kEgress = 1,
};

struct MapEntry
{
    // key
    uint32_t srcIp;
    uint32_t dstIp;
    uint16_t srcPort;
    uint16_t dstPort;
    uint8_t protocol;
    uint8_t direction; ///< MapDirection
    uint8_t used;
    uint8_t flags; ///< kTowardRight | kActive
    // rewrite
    uint32_t newSrcIp;
    uint32_t newDstIp;
    uint16_t newSrcPort;
    uint16_t newDstPort;
    uint32_t session; ///< index into the session array

    static constexpr uint8_t kTowardRight = 1; ///< packet travels client -> server
    static constexpr uint8_t kActive = 2;      ///< used since the last expiry scan
    static constexpr uint8_t kSlow = 4;        ///< an anchor in its two-path phase handles it
    static constexpr uint8_t kDelta = 8;       ///< apply the session's sequence delta
    static constexpr uint8_t kNewPath = 16;    ///< ingress entry of a reconfiguration's new path
    static constexpr uint8_t kRescale = 32;    ///< rescale the window (Session::wsFrom/wsTo)
    static constexpr uint8_t kTsClamp = 64;    ///< timestamps after a splice (Session::tsNewest)

    FiveTuple Key() const { return FiveTuple{srcIp, dstIp, srcPort, dstPort, protocol}; }
    FiveTuple Rewrite() const
    {
        return FiveTuple{newSrcIp, newDstIp, newSrcPort, newDstPort, protocol};
    }
};
static_assert(sizeof(MapEntry) == 32, "two entries per cache line");

enum class Role : uint8_t
{
    kFirst,  ///< matched the policy: subsession to the right only
    kMiddle, ///< middlebox host: subsessions on both sides
    kLast,   ///< end of the chain: subsession to the left only
};

/// Per-session numbers the data path keeps up to date, in a compact array of their own so
/// the session record itself stays off the hot path. Index 0: client -> server, 1: back.
struct SessionTrack
{
    uint32_t seqHigh[2];   ///< highest sequence number sent, plus one, per direction
    uint32_t ackHigh[2];   ///< highest acknowledgment seen per direction
    SeqDelta sideDelta[2]; ///< §3.3 deltas this agent applies: [0] left side, [1] right side
    uint8_t valid;         ///< bit d: seqHigh[d] set; bit 2+d: ackHigh[d] set
    /// Bit `side`: a reconfiguration replaced that side, so what arrives there may come over
    /// two paths of different lengths, out of order (see Agent::RaiseStaleAck).
    uint8_t merged;
    /// This host's middlebox shifts the session's numbers (Session::mbDelta is not zero):
    /// only then does the data path read the session record (see Agent::NoteTrack).
    uint8_t shifted;

    /// Records a packet of `stream` carrying [seq, seq+len) (SYN/FIN counted) and an ack.
    void Note(int stream, uint32_t seq, uint32_t len, bool hasAck, uint32_t ack)
    {
        if (len > 0)
        {
            const uint32_t end = seq + len;
            if (!(valid & (1 << stream)) || int32_t(seqHigh[stream] - end) < 0)
            {
                seqHigh[stream] = end;
                valid |= uint8_t(1 << stream);
            }
        }
        if (hasAck && (!(valid & (4 << stream)) || int32_t(ackHigh[stream] - ack) < 0))
        {
            ackHigh[stream] = ack;
            valid |= uint8_t(4 << stream);
        }
    }
};

struct Session
{
    bool inUse = false;
    Role role = Role::kFirst;
    bool rightPending = false;           ///< middle agent waiting for the SYN to re-emerge
    FiveTuple leftSession;               ///< session header on the left side (client -> server)
    FiveTuple rightSession;              ///< session header on the right side (differs past a NAT)
    FiveTuple leftSub;                   ///< subsession to the left (left -> right orientation)
    FiveTuple rightSub;                  ///< subsession to the right (left -> right orientation)
    uint32_t tag = 0;                    ///< option-253 tag while the SYN is inside this host
    std::vector<uint32_t> nextAddresses; ///< untraversed address list for the right subsession
    std::vector<uint8_t> synOptions;     ///< TCP options of the session's SYN (new paths reuse)
    std::vector<uint8_t> synAckOptions;
    NewPathMarker marker; ///< set on the sessions a reconfiguration's new path creates
    bool finFromLeft = false;
    bool finFromRight = false;
    bool reset = false;
    uint64_t closedAtNs = 0; ///< time the close was seen; 0 while open
    uint8_t idleScans = 0;   ///< consecutive expiry scans without traffic
    uint64_t setupId = 0;    ///< names this use of the slot in the half-open queue
    uint64_t nonce = 0;      ///< control-message nonce of the session (0: none)
    uint32_t keyId = 0;      ///< chain key of its control messages (0: none)

    // Reconfiguration (§3): the lock on the right subsession, requests waiting for it,
    // the local middlebox's own deltas, and anchor state while a reconfiguration runs.
    Lock rightLock;
    std::vector<ControlMessage> savedRequests;
    SeqDelta mbDelta[2] = {0, 0}; ///< middlebox deltas: [0] client -> server, [1] back
    /// Window rescaling per side after a splice (§4.2, MapEntry::kRescale): a window that
    /// arrives on that side in units of 2^wsFrom leaves in the 2^wsTo its endpoint expects.
    uint8_t wsFrom[2] = {0, 0};
    uint8_t wsTo[2] = {0, 0};
    /// Timestamps after a splice (§4.2, MapEntry::kTsClamp): the newest TSval our endpoint
    /// sent out on that side. Its peer may echo a removed proxy's TSval long after the
    /// reconfiguration (TS.Recent only moves when the peer hears from our endpoint), so the
    /// anchor keeps lowering such echoes for the rest of the session.
    uint32_t tsNewest[2] = {0, 0};
    /// Running reconfigurations: [0] this agent is the right anchor (its left side is
    /// replaced), [1] it is the left anchor (its right side is replaced).
    std::unique_ptr<Reconfig> reconfig[2];
    bool oldDoneFromLeft = false; ///< intermediate of a reconfigured segment: done seen
    bool oldDoneFromRight = false;

    uint8_t keyCount = 0;
    std::array<std::pair<MapDirection, FiveTuple>, 8> keys; ///< map entries to erase on free

    bool Closed() const { return reset || (finFromLeft && finFromRight); }
};

class SessionTable
{
public:
    SessionTable();

    uint32_t Allocate();
    Session& Get(uint32_t index) { return m_sessions[index]; }
    const Session& Get(uint32_t index) const { return m_sessions[index]; }
    /// Erases the session's map entries and tag, returns its slot to the free list.
    void Free(uint32_t index);
    size_t Size() const { return m_live; }
    size_t Capacity() const { return m_sessions.size(); }

    /// Adds a map entry and records it in the session for Free(). Returns false if the key
    /// is already present (the existing entry is kept).
    bool Insert(MapDirection dir, const FiveTuple& key, const FiveTuple& rewrite, uint32_t session,
                bool towardRight);
    /// The hot path: one hash, a short linear probe; marks the entry active.
    MapEntry* Lookup(MapDirection dir, const FiveTuple& key);
    bool Contains(MapDirection dir, const FiveTuple& key) const;
    /// Removes one of the session's entries (an old path after a reconfiguration).
    void Erase(uint32_t session, MapDirection dir, const FiveTuple& key);
    SessionTrack& Track(uint32_t index) { return m_tracks[index]; }
    const SessionTrack& Track(uint32_t index) const { return m_tracks[index]; }
    /// Starts loading the entry's cache line; a burst prefetches all its packets' entries
    /// first so their memory latencies overlap.
    void Prefetch(MapDirection dir, const FiveTuple& key) const
    {
        __builtin_prefetch(&m_entries[Slot(dir, key)]);
    }
    /// Where the probe for `key` starts: taken once for Prefetch and LookupAt. Valid until
    /// the table grows (Generation()).
    size_t Slot(MapDirection dir, const FiveTuple& key) const;
    void PrefetchSlot(size_t slot) const { __builtin_prefetch(&m_entries[slot]); }
    /// Lookup() with the probe's start already known.
    MapEntry* LookupAt(size_t slot, MapDirection dir, const FiveTuple& key);
    size_t MapEntries() const { return m_mapCount; }
    /// Changes whenever an entry is added, removed or moved: a MapEntry pointer (or a failed
    /// lookup) taken under one generation is stale under another.
    uint64_t Generation() const { return m_generation; }
    /// Bytes held: the map, the session records and what they own on the heap.
    size_t StateBytes() const;

    void SetTag(uint32_t tag, uint32_t session) { m_tags[tag] = session; }
    /// Session waiting for the SYN tagged `tag`, or -1.
    int64_t FindTag(uint32_t tag) const;
    void ClearTag(uint32_t tag) { m_tags.erase(tag); }

    /// Calls f(index, session, active) for every live session; `active` says whether any of
    /// its entries carried traffic since the last call (the activity bits are cleared).
    template <typename F> void Scan(F f);

private:
    bool KeyEquals(const MapEntry& e, MapDirection dir, const FiveTuple& key) const;
    void Grow();
    void EraseEntry(MapDirection dir, const FiveTuple& key);

    struct AlignedFree
    {
        void operator()(MapEntry* p) const;
    };
    std::unique_ptr<MapEntry[], AlignedFree> m_entries;
    size_t m_mask = 0;
    size_t m_mapCount = 0;
    uint64_t m_generation = 0;
    std::vector<Session> m_sessions;
    std::vector<SessionTrack> m_tracks;
    std::vector<uint32_t> m_freeList;
    size_t m_live = 0;
    std::unordered_map<uint32_t, uint32_t> m_tags;
};

inline size_t
SessionTable::Slot(MapDirection dir, const FiveTuple& key) const
{
    return size_t(key.Hash() ^ (uint64_t(dir) * 0x9E3779B97F4A7C15ull)) & m_mask;
}

inline bool
SessionTable::KeyEquals(const MapEntry& e, MapDirection dir, const FiveTuple& key) const
{
    return e.srcIp == key.srcIp && e.dstIp == key.dstIp && e.srcPort == key.srcPort &&
           e.dstPort == key.dstPort && e.protocol == key.protocol && e.direction == uint8_t(dir);
}

inline MapEntry*
SessionTable::Lookup(MapDirection dir, const FiveTuple& key)
{
    return LookupAt(Slot(dir, key), dir, key);
}

inline MapEntry*
SessionTable::LookupAt(size_t slot, MapDirection dir, const FiveTuple& key)
{
    for (size_t i = slot;; i = (i + 1) & m_mask)
    {
        MapEntry& e = m_entries[i];
        if (!e.used)
        {
            return nullptr;
        }
        if (KeyEquals(e, dir, key))
        {
            if (!(e.flags & MapEntry::kActive))
            {
                e.flags |= MapEntry::kActive;
            }
            return &e;
        }
    }
}

template <typename F>
void
SessionTable::Scan(F f)
{
    std::vector<uint8_t> active(m_sessions.size(), 0);
    for (size_t i = 0; i <= m_mask; ++i)
    {
        MapEntry& e = m_entries[i];
        if (e.used && (e.flags & MapEntry::kActive))
        {
            active[e.session] = 1;
            e.flags &= uint8_t(~MapEntry::kActive);
        }
    }
    for (uint32_t s = 0; s < m_sessions.size(); ++s)
    {
        if (m_sessions[s].inUse)
        {
            f(s, m_sessions[s], active[s] != 0);
        }
    }
}

} // namespace dysco

#endif
