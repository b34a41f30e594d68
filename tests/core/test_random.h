// Seeded randomness and random IPv4+TCP packets for the core tests. Every randomized test
// prints its seed; DYSCO_TEST_SEED=<n> replays a run, DYSCO_TEST_SEED=random draws a new one.
#ifndef DYSCO_TESTS_CORE_TEST_RANDOM_H
#define DYSCO_TESTS_CORE_TEST_RANDOM_H

#include "core/bytes.h"
#include "core/packet.h"
#include "core/packet_edit.h"

#include <cstdint>
#include <cstdlib>
#include <gtest/gtest.h>
#include <iostream>
#include <random>
#include <string>
#include <vector>

namespace dysco::test
{

constexpr uint32_t kDefaultSeed = 20170821; // SIGCOMM 2017: fixed so CI runs are repeatable

/// The seed for this test, printed and recorded in the XML report.
inline uint32_t
TestSeed()
{
    uint32_t seed = kDefaultSeed;
    const char* env = std::getenv("DYSCO_TEST_SEED");
    if (env != nullptr && *env != '\0')
    {
        seed = std::string(env) == "random" ? std::random_device{}()
                                            : uint32_t(std::strtoul(env, nullptr, 0));
    }
    std::cout << "[   SEED   ] DYSCO_TEST_SEED=" << seed << std::endl;
    ::testing::Test::RecordProperty("seed", std::to_string(seed));
    return seed;
}

inline uint32_t
Uniform(std::mt19937& rng, uint32_t lo, uint32_t hi)
{
    return std::uniform_int_distribution<uint32_t>(lo, hi)(rng);
}

inline std::vector<uint8_t>
RandomBytes(std::mt19937& rng, size_t n)
{
    std::vector<uint8_t> b(n);
    for (auto& x : b)
    {
        x = uint8_t(rng());
    }
    return b;
}

/// A valid TCP options area (multiple of 4, at most 40 bytes): a random mix of every option
/// Parse() knows, NOPs (so options land at odd offsets) and unknown kinds, EOL-padded.
inline std::vector<uint8_t>
RandomTcpOptions(std::mt19937& rng)
{
    std::vector<uint8_t> o;
    const size_t budget = Uniform(rng, 0, 40);
    for (int tries = 0; tries < 12; ++tries)
    {
        std::vector<uint8_t> opt;
        switch (Uniform(rng, 0, 7))
        {
        case 0:
            opt = {tcpopt::kNop};
            break;
        case 1:
            opt = {tcpopt::kMss, 4, uint8_t(rng()), uint8_t(rng())};
            break;
        case 2:
            opt = {tcpopt::kWindowScale, 3, uint8_t(Uniform(rng, 0, 14))};
            break;
        case 3:
            opt = {tcpopt::kSackPermitted, 2};
            break;
        case 4:
        {
            const uint8_t blocks = uint8_t(Uniform(rng, 1, 4));
            opt = {tcpopt::kSack, uint8_t(2 + 8 * blocks)};
            auto body = RandomBytes(rng, 8 * blocks);
            opt.insert(opt.end(), body.begin(), body.end());
            break;
        }
        case 5:
        {
            opt = {tcpopt::kTimestamp, 10};
            auto body = RandomBytes(rng, 8);
            opt.insert(opt.end(), body.begin(), body.end());
            break;
        }
        case 6:
        {
            opt = {tcpopt::kDyscoTag, 6};
            auto body = RandomBytes(rng, 4);
            opt.insert(opt.end(), body.begin(), body.end());
            break;
        }
        default:
        {
            const uint8_t len = uint8_t(Uniform(rng, 2, 8));
            opt = {uint8_t(Uniform(rng, 30, 250)), len};
            auto body = RandomBytes(rng, len - 2);
            opt.insert(opt.end(), body.begin(), body.end());
            break;
        }
        }
        if (o.size() + opt.size() <= budget)
        {
            o.insert(o.end(), opt.begin(), opt.end());
        }
    }
    while (o.size() % 4 != 0)
    {
        o.push_back(tcpopt::kEnd);
    }
    return o;
}

/// A random valid IPv4+TCP packet with correct checksums: random header fields, sometimes IP
/// options, random TCP options and a payload of 0..maxPayload bytes (odd lengths included).
inline std::vector<uint8_t>
RandomPacket(std::mt19937& rng, size_t maxPayload = 300)
{
    const auto opts = RandomTcpOptions(rng);
    const auto payload = RandomBytes(rng, Uniform(rng, 0, uint32_t(maxPayload)));
    auto pkt =
        BuildTcpPacket(rng(), rng(), uint16_t(rng()), uint16_t(rng()), rng(), rng(), uint8_t(rng()),
                       uint16_t(rng()), opts.data(), opts.size(), payload.data(), payload.size());
    pkt[1] = uint8_t(rng());                   // TOS
    Store16(&pkt[4], uint16_t(rng()));         // identification
    pkt[6] = Uniform(rng, 0, 1) ? 0x40 : 0x00; // DF or nothing
    pkt[8] = uint8_t(Uniform(rng, 1, 255));    // TTL
    if (Uniform(rng, 0, 3) == 0)
    {
        const size_t ipOpts = 4 * Uniform(rng, 1, 10);
        const auto bytes = RandomBytes(rng, ipOpts);
        pkt.insert(pkt.begin() + 20, bytes.begin(), bytes.end());
        pkt[0] = uint8_t(0x40 | (5 + ipOpts / 4));
        Store16(&pkt[2], uint16_t(pkt.size()));
    }
    PacketView(pkt.data(), pkt.size()).RecomputeChecksums();
    return pkt;
}

/// Plain RFC 1071 checksum of a byte string, written independently of the core's code.
inline uint16_t
ReferenceChecksum(const std::vector<uint8_t>& bytes)
{
    uint64_t sum = 0;
    for (size_t i = 0; i < bytes.size(); ++i)
    {
        sum += (i % 2 == 0) ? uint64_t(bytes[i]) << 8 : bytes[i];
    }
    while (sum >> 16)
    {
        sum = (sum & 0xFFFF) + (sum >> 16);
    }
    return uint16_t(~sum);
}

/// Reference checksum fields of a whole packet (fields zeroed, then RFC 1071), independent of
/// the core: IPv4 header checksum and TCP checksum over pseudo-header + segment.
inline uint16_t
ReferenceIpChecksum(std::vector<uint8_t> pkt)
{
    const size_t ihl = size_t(pkt[0] & 0x0F) * 4;
    pkt[10] = pkt[11] = 0;
    return ReferenceChecksum(std::vector<uint8_t>(pkt.begin(), pkt.begin() + ihl));
}

inline uint16_t
ReferenceTcpChecksum(std::vector<uint8_t> pkt)
{
    const size_t ihl = size_t(pkt[0] & 0x0F) * 4;
    const size_t segLen = pkt.size() - ihl;
    std::vector<uint8_t> buf(pkt.begin() + 12, pkt.begin() + 20); // addresses
    buf.push_back(0);
    buf.push_back(6);
    buf.push_back(uint8_t(segLen >> 8));
    buf.push_back(uint8_t(segLen));
    pkt[ihl + 16] = pkt[ihl + 17] = 0;
    buf.insert(buf.end(), pkt.begin() + ihl, pkt.end());
    return ReferenceChecksum(buf);
}

} // namespace dysco::test

#endif
