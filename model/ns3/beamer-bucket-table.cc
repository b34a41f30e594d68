#include "beamer-bucket-table.h"

namespace ns3
{

BeamerBucketTable::BeamerBucketTable(uint32_t vip, std::vector<uint32_t> backends, uint32_t buckets)
    : m_vip(vip)
    , m_backends(std::move(backends))
    , m_buckets(buckets)
{
    for (uint32_t b = 0; b < buckets; ++b)
    {
        m_buckets[b].current = int(b % m_backends.size());
    }
}

uint32_t
BeamerBucketTable::BucketOf(const dysco::FiveTuple& s) const
{
    const uint8_t bytes[13] = {uint8_t(s.srcIp >> 24),
                               uint8_t(s.srcIp >> 16),
                               uint8_t(s.srcIp >> 8),
                               uint8_t(s.srcIp),
                               uint8_t(s.dstIp >> 24),
                               uint8_t(s.dstIp >> 16),
                               uint8_t(s.dstIp >> 8),
                               uint8_t(s.dstIp),
                               uint8_t(s.srcPort >> 8),
                               uint8_t(s.srcPort),
                               uint8_t(s.dstPort >> 8),
                               uint8_t(s.dstPort),
                               s.protocol};
    uint32_t h = 2166136261u;
    for (uint8_t b : bytes)
    {
        h = (h ^ b) * 16777619u;
    }
    return h % uint32_t(m_buckets.size());
}

void
BeamerBucketTable::Move(uint32_t bucket, int backend)
{
    Bucket& b = m_buckets.at(bucket);
    if (b.current != backend)
    {
        b.previous = b.current;
        b.current = backend;
    }
}

int
BeamerBucketTable::BackendIndex(uint32_t address) const
{
    for (size_t i = 0; i < m_backends.size(); ++i)
    {
        if (m_backends[i] == address)
        {
            return int(i);
        }
    }
    return kNone;
}

} // namespace ns3
