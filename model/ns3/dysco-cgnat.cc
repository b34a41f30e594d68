#include "dysco-cgnat.h"

#include "ns3/uinteger.h"

#include <nlohmann/json.hpp>

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(DyscoCgnat);

namespace
{
using json = nlohmann::json;
}

TypeId
DyscoCgnat::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::DyscoCgnat")
            .SetParent<DyscoNat>()
            .SetGroupName("Dysco")
            .AddConstructor<DyscoCgnat>()
            .AddAttribute("BlockSize", "Ports per subscriber block", UintegerValue(64),
                          MakeUintegerAccessor(&DyscoCgnat::m_blockSize),
                          MakeUintegerChecker<uint16_t>(1));
    return tid;
}

DyscoCgnat::DyscoCgnat()
{
    m_firstPort = 1024;
    m_lastPort = 65535;
}

void
DyscoCgnat::AddOutsideAddress(Ipv4Address a)
{
    const uint32_t blocks = (uint32_t(m_lastPort) - m_firstPort + 1) / m_blockSize;
    m_owner.emplace(a.Get(), std::vector<uint32_t>(blocks, 0));
}

size_t
DyscoCgnat::GetBlocksOn(Ipv4Address a) const
{
    auto it = m_owner.find(a.Get());
    size_t n = 0;
    for (uint32_t owner : it == m_owner.end() ? std::vector<uint32_t>{} : it->second)
    {
        n += owner != 0 ? 1 : 0;
    }
    return n;
}

bool
DyscoCgnat::GetBlock(uint32_t subscriber, DyscoCgnatBlock* out) const
{
    auto it = m_blocks.find(subscriber);
    if (it == m_blocks.end())
    {
        return false;
    }
    *out = it->second;
    return true;
}

bool
DyscoCgnat::Allocate(const dysco::FiveTuple& inside, uint32_t* ip, uint16_t* port)
{
    auto it = m_blocks.find(inside.srcIp);
    if (it == m_blocks.end())
    {
        // The outside address with the fewest blocks in use, then its first free block.
        uint32_t best = 0;
        size_t bestUsed = SIZE_MAX;
        for (const auto& [addr, owners] : m_owner)
        {
            const size_t used = GetBlocksOn(Ipv4Address(addr));
            if (used < owners.size() && used < bestUsed)
            {
                best = addr;
                bestUsed = used;
            }
        }
        if (bestUsed == SIZE_MAX)
        {
            return false; // every block of the pool is taken
        }
        std::vector<uint32_t>& owners = m_owner[best];
        size_t b = 0;
        while (owners[b] != 0)
        {
            ++b;
        }
        owners[b] = inside.srcIp;
        DyscoCgnatBlock block{inside.srcIp, best, uint16_t(m_firstPort + b * m_blockSize),
                              m_blockSize};
        it = m_blocks.emplace(inside.srcIp, block).first;
    }
    const DyscoCgnatBlock& b = it->second;
    for (uint16_t i = 0; i < b.size; ++i)
    {
        if (!PortInUse(b.outsideIp, uint16_t(b.firstPort + i)))
        {
            *ip = b.outsideIp;
            *port = uint16_t(b.firstPort + i);
            return true;
        }
    }
    return false; // the subscriber's block is full
}

std::string
DyscoCgnat::ExportState(const dysco::FiveTuple& session) const
{
    json flows = json::parse(FlowsJson(session));
    json blocks = json::array();
    DyscoNatFlow f;
    DyscoCgnatBlock b;
    if (GetFlow(session, &f) && GetBlock(f.inside.srcIp, &b))
    {
        blocks.push_back({{"subscriber", dysco::Ipv4ToString(b.subscriber)},
                          {"outside", dysco::Ipv4ToString(b.outsideIp)},
                          {"first_port", b.firstPort},
                          {"size", b.size}});
    }
    return json{{"kind", "cgnat"}, {"version", 1}, {"blocks", blocks}, {"flows", flows}}.dump();
}

bool
DyscoCgnat::ImportState(const std::string& text, std::string* error)
{
    json doc = json::parse(text, nullptr, false);
    if (doc.is_discarded() || !doc.is_object())
    {
        *error = "$: expected a JSON object (cgnat state)";
        return false;
    }
    if (!doc.contains("kind") || doc["kind"] != "cgnat")
    {
        *error = "$.kind: expected \"cgnat\"";
        return false;
    }
    if (!doc.contains("version") || doc["version"] != 1)
    {
        *error = "$.version: expected 1";
        return false;
    }
    if (!doc.contains("blocks") || !doc["blocks"].is_array())
    {
        *error = "$.blocks: expected an array";
        return false;
    }
    std::vector<DyscoCgnatBlock> blocks;
    for (size_t i = 0; i < doc["blocks"].size(); ++i)
    {
        const json& e = doc["blocks"][i];
        const std::string at = "$.blocks[" + std::to_string(i) + "]";
        DyscoCgnatBlock b;
        if (!e.is_object() || !e.contains("subscriber") || !e["subscriber"].is_string() ||
            !dysco::ParseIpv4(e["subscriber"].get<std::string>(), &b.subscriber))
        {
            *error = at + ".subscriber: expected an IPv4 address";
            return false;
        }
        if (!e.contains("outside") || !e["outside"].is_string() ||
            !dysco::ParseIpv4(e["outside"].get<std::string>(), &b.outsideIp))
        {
            *error = at + ".outside: expected an IPv4 address";
            return false;
        }
        if (!e.contains("first_port") || !e["first_port"].is_number_unsigned() ||
            e["first_port"].get<uint64_t>() > 65535 || !e.contains("size") ||
            !e["size"].is_number_unsigned() || e["size"].get<uint64_t>() == 0 ||
            e["first_port"].get<uint64_t>() + e["size"].get<uint64_t>() > 65536)
        {
            *error = at + ": expected first_port and size with first_port + size <= 65536";
            return false;
        }
        b.firstPort = uint16_t(e["first_port"].get<uint64_t>());
        b.size = uint16_t(e["size"].get<uint64_t>());
        DyscoCgnatBlock mine;
        if (GetBlock(b.subscriber, &mine) &&
            (mine.outsideIp != b.outsideIp || mine.firstPort != b.firstPort))
        {
            *error = at + ": subscriber " + e["subscriber"].get<std::string>() +
                     " already has another block here";
            return false;
        }
        for (const auto& [sub, other] : m_blocks)
        {
            const bool overlap = other.outsideIp == b.outsideIp &&
                                 other.firstPort < b.firstPort + b.size &&
                                 b.firstPort < other.firstPort + other.size;
            if (sub != b.subscriber && overlap)
            {
                *error = at + ": ports overlap the block of subscriber " + dysco::Ipv4ToString(sub);
                return false;
            }
        }
        blocks.push_back(b);
    }
    std::vector<DyscoNatFlow> flows;
    if (!ParseFlows(&doc, &flows, error))
    {
        return false;
    }
    for (size_t i = 0; i < flows.size(); ++i)
    {
        const DyscoNatFlow& f = flows[i];
        bool inBlock = false;
        for (const auto& b : blocks)
        {
            inBlock =
                inBlock || (b.subscriber == f.inside.srcIp && b.outsideIp == f.outsideIp &&
                            f.outsidePort >= b.firstPort && f.outsidePort < b.firstPort + b.size);
        }
        if (!inBlock)
        {
            *error = "$.flows[" + std::to_string(i) +
                     "].outside: not in a block of its subscriber in this document";
            return false;
        }
    }
    json flowsOnly{{"kind", "cgnat"}, {"version", 1}, {"flows", doc["flows"]}};
    if (!DyscoNat::ImportState(flowsOnly.dump(), error))
    {
        return false;
    }
    // The adopted outside addresses join this instance's per-address state.
    for (const auto& b : blocks)
    {
        m_blocks[b.subscriber] = b;
        auto& owners = m_owner[b.outsideIp];
        const size_t index = (b.firstPort - m_firstPort) / m_blockSize;
        if (b.firstPort >= m_firstPort && b.size == m_blockSize &&
            (b.firstPort - m_firstPort) % m_blockSize == 0)
        {
            if (owners.size() <= index)
            {
                owners.resize(index + 1, 0);
            }
            owners[index] = b.subscriber;
        }
    }
    return true;
}

} // namespace ns3
