// A carrier-grade NAT: a pool of outside addresses whose ports are cut into blocks; each
// subscriber (inside address) gets one block on the least used outside address with its
// first session and all its sessions take ports from it (per-subscriber port blocks keep
// the logs small, per-outside-address state keeps the pool balanced). A session's state for
// migration is its subscriber's block plus its flow; a new instance adopts the block, so
// the session keeps its outside (address, port).
#ifndef DYSCO_CGNAT_H
#define DYSCO_CGNAT_H

#include "dysco-nat.h"

#include <map>
#include <vector>

namespace ns3
{

/// A subscriber's port block on an outside address.
struct DyscoCgnatBlock
{
    uint32_t subscriber = 0;
    uint32_t outsideIp = 0;
    uint16_t firstPort = 0;
    uint16_t size = 0;
};

class DyscoCgnat : public DyscoNat
{
public:
    static TypeId GetTypeId();
    DyscoCgnat();

    /// Adds an outside address to the pool; its ports [FirstPort, LastPort] are cut into
    /// blocks of BlockSize.
    void AddOutsideAddress(Ipv4Address a);

    std::string ExportState(const dysco::FiveTuple& session) const override;
    bool ImportState(const std::string& text, std::string* error) override;

    bool GetBlock(uint32_t subscriber, DyscoCgnatBlock* out) const;
    size_t GetSubscriberCount() const { return m_blocks.size(); }
    /// Blocks in use on an outside address.
    size_t GetBlocksOn(Ipv4Address a) const;

protected:
    bool Allocate(const dysco::FiveTuple& inside, uint32_t* ip, uint16_t* port) override;
    const char* Kind() const override { return "cgnat"; }

private:
    uint16_t m_blockSize = 64;
    std::map<uint32_t, std::vector<uint32_t>> m_owner; ///< outside ip -> block -> subscriber
    std::map<uint32_t, DyscoCgnatBlock> m_blocks;      ///< subscriber -> block
};

} // namespace ns3

#endif
