// Beamer's bucket table (stateless load balancing, reference doc 003 §5.4): a session's
// five-tuple (as the client addresses the virtual IP) hashes to one of a fixed number of
// buckets, and each bucket names the backend that serves it now and the one that served it
// before its last move. The table is the only state of the mux: its size depends on the
// bucket count, never on the number of sessions. Plain C++ (no ns-3) so tests can use it.
#ifndef BEAMER_BUCKET_TABLE_H
#define BEAMER_BUCKET_TABLE_H

#include "core/five_tuple.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace ns3
{

class BeamerBucketTable
{
public:
    static constexpr int kNone = -1; ///< no previous backend (the bucket never moved)

    struct Bucket
    {
        int current = 0;
        int previous = kNone;
    };

    /// `buckets` buckets over `backends` (addresses, host order); bucket b starts at
    /// backend b mod backends.size(). Both must be non-empty (the loader checks).
    BeamerBucketTable(uint32_t vip, std::vector<uint32_t> backends, uint32_t buckets);

    /// FNV-1a (32 bit) over srcIp, dstIp, srcPort, dstPort (big endian) and the protocol,
    /// modulo the bucket count. `session` is the client's header, addressed to the VIP.
    uint32_t BucketOf(const dysco::FiveTuple& session) const;

    /// Moves a bucket to another backend; the backend it leaves becomes its previous one,
    /// which serves the bucket's older sessions by daisy chaining. Moving to the current
    /// backend changes nothing.
    void Move(uint32_t bucket, int backend);

    const Bucket& At(uint32_t bucket) const { return m_buckets.at(bucket); }
    uint32_t BackendAddress(int backend) const { return m_backends.at(size_t(backend)); }
    /// The index of a backend address, or kNone.
    int BackendIndex(uint32_t address) const;
    uint32_t Vip() const { return m_vip; }
    uint32_t BucketCount() const { return uint32_t(m_buckets.size()); }
    /// Bytes of mux state: the bucket entries and the backend list.
    size_t StateBytes() const
    {
        return m_buckets.size() * sizeof(Bucket) + m_backends.size() * sizeof(uint32_t);
    }

private:
    uint32_t m_vip;
    std::vector<uint32_t> m_backends;
    std::vector<Bucket> m_buckets;
};

} // namespace ns3

#endif
