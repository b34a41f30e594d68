#include "session_table.h"

#include <cstdlib>
#include <cstring>
#include <new>

#ifdef __linux__
#include <sys/mman.h>
#endif

namespace dysco
{

namespace
{
constexpr size_t kInitialSlots = 1024;
constexpr size_t kLineSize = 64;

constexpr size_t kHugePage = 2u << 20;

MapEntry*
AllocateEntries(size_t n)
{
    // Large tables go on huge pages where the OS offers them: a lookup at 100k+ sessions
    // would otherwise pay a TLB miss on top of the cache miss.
    const size_t bytes = n * sizeof(MapEntry);
    const size_t align = bytes >= kHugePage ? kHugePage : kLineSize;
    void* p = std::aligned_alloc(align, (bytes + align - 1) / align * align);
    if (p == nullptr)
    {
        throw std::bad_alloc();
    }
#ifdef MADV_HUGEPAGE
    if (align == kHugePage)
    {
        madvise(p, bytes, MADV_HUGEPAGE);
    }
#endif
    std::memset(p, 0, bytes);
    return static_cast<MapEntry*>(p);
}
} // namespace

void
SessionTable::AlignedFree::operator()(MapEntry* p) const
{
    std::free(p);
}

SessionTable::SessionTable()
    : m_entries(AllocateEntries(kInitialSlots))
    , m_mask(kInitialSlots - 1)
{
}

uint32_t
SessionTable::Allocate()
{
    uint32_t index;
    if (!m_freeList.empty())
    {
        index = m_freeList.back();
        m_freeList.pop_back();
    }
    else
    {
        index = uint32_t(m_sessions.size());
        m_sessions.emplace_back();
        m_tracks.emplace_back();
    }
    m_sessions[index] = Session();
    m_tracks[index] = SessionTrack{};
    m_sessions[index].inUse = true;
    ++m_live;
    return index;
}

void
SessionTable::Free(uint32_t index)
{
    Session& s = m_sessions[index];
    if (!s.inUse)
    {
        return;
    }
    for (uint8_t k = 0; k < s.keyCount; ++k)
    {
        EraseEntry(s.keys[k].first, s.keys[k].second);
    }
    if (s.tag != 0)
    {
        m_tags.erase(s.tag);
    }
    s = Session();
    m_freeList.push_back(index);
    --m_live;
}

bool
SessionTable::Insert(MapDirection dir, const FiveTuple& key, const FiveTuple& rewrite,
                     uint32_t session, bool towardRight)
{
    Session& s = m_sessions[session];
    if (Contains(dir, key) || s.keyCount == s.keys.size())
    {
        return false;
    }
    if ((m_mapCount + 1) * 2 > m_mask + 1)
    {
        Grow();
    }
    size_t i = Slot(dir, key);
    while (m_entries[i].used)
    {
        i = (i + 1) & m_mask;
    }
    MapEntry& e = m_entries[i];
    ++m_generation;
    e.srcIp = key.srcIp;
    e.dstIp = key.dstIp;
    e.srcPort = key.srcPort;
    e.dstPort = key.dstPort;
    e.protocol = key.protocol;
    e.direction = uint8_t(dir);
    e.used = 1;
    e.flags = towardRight ? MapEntry::kTowardRight : 0;
    e.newSrcIp = rewrite.srcIp;
    e.newDstIp = rewrite.dstIp;
    e.newSrcPort = rewrite.srcPort;
    e.newDstPort = rewrite.dstPort;
    e.session = session;
    ++m_mapCount;
    s.keys[s.keyCount++] = {dir, key};
    return true;
}

void
SessionTable::Erase(uint32_t session, MapDirection dir, const FiveTuple& key)
{
    Session& s = m_sessions[session];
    for (uint8_t k = 0; k < s.keyCount; ++k)
    {
        if (s.keys[k].first == dir && s.keys[k].second == key)
        {
            EraseEntry(dir, key);
            s.keys[k] = s.keys[--s.keyCount];
            return;
        }
    }
}

bool
SessionTable::Contains(MapDirection dir, const FiveTuple& key) const
{
    for (size_t i = Slot(dir, key);; i = (i + 1) & m_mask)
    {
        const MapEntry& e = m_entries[i];
        if (!e.used)
        {
            return false;
        }
        if (KeyEquals(e, dir, key))
        {
            return true;
        }
    }
}

size_t
SessionTable::StateBytes() const
{
    size_t bytes = (m_mask + 1) * sizeof(MapEntry) + m_sessions.capacity() * sizeof(Session) +
                   m_tracks.capacity() * sizeof(SessionTrack) +
                   m_freeList.capacity() * sizeof(uint32_t) +
                   m_tags.size() * (sizeof(uint32_t) * 2 + 2 * sizeof(void*));
    for (const Session& s : m_sessions)
    {
        bytes += s.nextAddresses.capacity() * sizeof(uint32_t) + s.synOptions.capacity() +
                 s.synAckOptions.capacity() + s.savedRequests.capacity() * sizeof(ControlMessage);
        for (const auto& rc : s.reconfig)
        {
            bytes += rc ? sizeof(Reconfig) + rc->newList.capacity() * sizeof(uint32_t) : 0;
        }
    }
    return bytes;
}

int64_t
SessionTable::FindTag(uint32_t tag) const
{
    auto it = m_tags.find(tag);
    return it == m_tags.end() ? -1 : int64_t(it->second);
}

void
SessionTable::EraseEntry(MapDirection dir, const FiveTuple& key)
{
    size_t i = Slot(dir, key);
    while (true)
    {
        if (!m_entries[i].used)
        {
            return;
        }
        if (KeyEquals(m_entries[i], dir, key))
        {
            break;
        }
        i = (i + 1) & m_mask;
    }
    // Backward-shift deletion: pull later entries of the probe run into the hole so
    // lookups never need tombstones.
    ++m_generation;
    size_t hole = i;
    for (size_t j = (hole + 1) & m_mask; m_entries[j].used; j = (j + 1) & m_mask)
    {
        size_t home = Slot(MapDirection(m_entries[j].direction), m_entries[j].Key());
        bool movable = ((j - home) & m_mask) >= ((j - hole) & m_mask);
        if (movable)
        {
            m_entries[hole] = m_entries[j];
            hole = j;
        }
    }
    m_entries[hole].used = 0;
    --m_mapCount;
}

void
SessionTable::Grow()
{
    size_t oldSlots = m_mask + 1;
    std::unique_ptr<MapEntry[], AlignedFree> old(AllocateEntries(oldSlots * 2));
    old.swap(m_entries);
    m_mask = oldSlots * 2 - 1;
    ++m_generation;
    for (size_t i = 0; i < oldSlots; ++i)
    {
        const MapEntry& e = old[i];
        if (!e.used)
        {
            continue;
        }
        size_t j = Slot(MapDirection(e.direction), e.Key());
        while (m_entries[j].used)
        {
            j = (j + 1) & m_mask;
        }
        m_entries[j] = e;
    }
}

} // namespace dysco
