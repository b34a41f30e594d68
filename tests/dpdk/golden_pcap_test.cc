// Golden capture tests of dyscosim-dpdk on net_pcap ports: frames from capture files go
// through the agent of "client" (policy: to server:8080 through middlebox mb), and what it
// sends is decoded by pcap_decode.py, which recomputes IPv4 and TCP checksums from scratch.
// The decoded frames are compared field by field with expectations derived here and, as a
// whole, with the golden files in tests/dpdk/golden/ (DYSCO_UPDATE_GOLDEN=1 rewrites them).
#include "core/bytes.h"
#include "core/packet_edit.h"
#include "test_support.h"

#include <cstdlib>
#include <gtest/gtest.h>

namespace dysco::dpdk::test
{
namespace
{

constexpr uint32_t kClient = 0x0A4D0001; // 10.77.0.1
constexpr uint32_t kMb = 0x0A4D0002;
constexpr uint32_t kServer = 0x0A4D0003;
constexpr uint16_t kClientPort = 40000;
constexpr uint16_t kServerPort = 8080;
const std::string kHostMac = "02:00:00:00:00:01";   // the client's NIC (configured)
const std::string kRouterMac = "02:d5:0a:4d:00:01"; // the binding toward the client
const std::string kPeerMac = "02:00:00:00:00:99";   // next hop on the network side
const std::string kNetMac = "02:00:00:00:00:98";    // sender of frames from the network

/// MSS 1460, SACK permitted, timestamps, window scale 7: what Linux puts in a SYN.
const std::vector<uint8_t> kSynOptions = {2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0,
                                          0, 1, 0,    0,    0, 0, 1, 3,  3, 7};
/// NOP, NOP, timestamps: what Linux puts in every later segment.
std::vector<uint8_t>
Timestamps(uint32_t val, uint32_t ecr)
{
    std::vector<uint8_t> o = {1, 1, 8, 10, 0, 0, 0, 0, 0, 0, 0, 0};
    Store32(&o[4], val);
    Store32(&o[8], ecr);
    return o;
}

std::vector<uint8_t>
Tcp(uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport, uint32_t seq, uint32_t ack,
    uint8_t flags, const std::vector<uint8_t>& options, const std::string& payload = "")
{
    return BuildTcpPacket(src, dst, sport, dport, seq, ack, flags, 64240, options.data(),
                          options.size(), reinterpret_cast<const uint8_t*>(payload.data()),
                          payload.size());
}

std::vector<uint8_t>
FromHost(const std::vector<uint8_t>& ip)
{
    return EthFrame(kRouterMac, kHostMac, ip);
}

std::vector<uint8_t>
FromNetwork(const std::vector<uint8_t>& ip)
{
    return EthFrame("02:70:63:61:70:01", kNetMac, ip);
}

std::string
Hex(const std::string& s)
{
    static const char* d = "0123456789abcdef";
    std::string h;
    for (unsigned char c : s)
    {
        h += d[c >> 4];
        h += d[c & 15];
    }
    return h;
}

void
FixIpChecksum(std::vector<uint8_t>& ip)
{
    const size_t ihl = size_t(ip[0] & 15) * 4;
    ip[10] = ip[11] = 0;
    uint32_t sum = 0;
    for (size_t i = 0; i < ihl; i += 2)
    {
        sum += uint32_t(ip[i] << 8 | ip[i + 1]);
    }
    while (sum >> 16)
    {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    Store16(&ip[10], uint16_t(~sum));
}

/// A run of dyscosim-dpdk with the client's host side and network side on capture files.
struct PcapRun
{
    std::vector<nlohmann::json> hostOut;
    std::vector<nlohmann::json> netOut;
    nlohmann::json client; ///< the client node's final counters
    int exitCode = -1;
    std::string err;
};

PcapRun
RunPcap(const std::string& dir, const std::vector<std::vector<uint8_t>>& fromHost,
        const std::vector<std::vector<uint8_t>>& fromNetwork)
{
    WritePcap(dir + "/host_in.pcap", fromHost);
    WritePcap(dir + "/net_in.pcap", fromNetwork);
    nlohmann::json cfg = nlohmann::json::parse(R"({
      "name": "golden",
      "nodes": [
        {"name": "client", "role": "host", "address": "10.77.0.1",
         "host_port": "net_pcap0", "network_port": "net_pcap1",
         "host_mac": "02:00:00:00:00:01", "network_peer_mac": "02:00:00:00:00:99"},
        {"name": "mb", "role": "middlebox", "address": "10.77.0.2",
         "host_port": "net_null0", "network_port": "fabric"},
        {"name": "server", "role": "host", "address": "10.77.0.3",
         "host_port": "net_null1", "network_port": "fabric"}
      ],
      "policies": [{"at": "client", "match": {"dst": "server", "dst_ports": 8080},
                    "chain": ["mb"]}]
    })");
    WriteFile(dir + "/cfg.json", cfg.dump(2));
    std::vector<std::string> argv = {BinaryDir() + "/dyscosim-dpdk"};
    for (const auto& a :
         EalArgs({"net_pcap0,rx_pcap=" + dir + "/host_in.pcap,tx_pcap=" + dir + "/host_out.pcap",
                  "net_pcap1,rx_pcap=" + dir + "/net_in.pcap,tx_pcap=" + dir + "/net_out.pcap",
                  "net_null0,no-rx=1", "net_null1,no-rx=1"}))
    {
        argv.push_back(a);
    }
    for (const std::string& a :
         std::vector<std::string>{"--", "--config", dir + "/cfg.json", "--exit-idle", "0.3",
                                  "--stats-interval", "0", "--stats-file", dir + "/stats.json"})
    {
        argv.push_back(a);
    }
    PcapRun r;
    CommandResult c = RunCommand(argv, 60);
    r.exitCode = c.exitCode;
    r.err = c.err;
    if (c.exitCode != 0)
    {
        return r;
    }
    r.hostOut = DecodePcap(dir + "/host_out.pcap");
    r.netOut = DecodePcap(dir + "/net_out.pcap");
    nlohmann::json stats = nlohmann::json::parse(ReadFile(dir + "/stats.json"), nullptr, false);
    if (!stats.is_discarded())
    {
        r.client = stats["nodes"][0];
    }
    return r;
}

/// Compares decoded frames with tests/dpdk/golden/NAME.jsonl (rewritten when
/// DYSCO_UPDATE_GOLDEN=1).
void
ExpectGolden(const std::string& name, const std::vector<nlohmann::json>& frames)
{
    std::string text;
    for (const auto& f : frames)
    {
        text += f.dump() + "\n";
    }
    const std::string path = SourceDir() + "/tests/dpdk/golden/" + name + ".jsonl";
    const char* update = std::getenv("DYSCO_UPDATE_GOLDEN");
    if (update != nullptr && std::string(update) == "1")
    {
        WriteFile(path, text);
        return;
    }
    EXPECT_EQ(text, ReadFile(path)) << "decoded frames differ from " << path
                                    << " (DYSCO_UPDATE_GOLDEN=1 rewrites it after review)";
}

void
ExpectValidChecksums(const std::vector<nlohmann::json>& frames, const std::string& where)
{
    for (size_t i = 0; i < frames.size(); ++i)
    {
        EXPECT_EQ(frames[i].value("ip_checksum_ok", false), true) << where << " frame " << i;
        EXPECT_EQ(frames[i].value("l4_checksum_ok", false), true) << where << " frame " << i;
    }
}

std::vector<uint8_t>
Syn()
{
    return Tcp(kClient, kServer, kClientPort, kServerPort, 1000, 0, 0x02, kSynOptions);
}

TEST(DpdkGoldenPcap, PolicySynLeavesWithSubsessionHeaderAndAddressList)
{
    const std::string dir = ScratchDir("syn");
    // A SYN the policy does not match (port 22) passes untouched, behind the chained one.
    std::vector<uint8_t> other = Tcp(kClient, kServer, 40001, 22, 7000, 0, 0x02, kSynOptions);
    PcapRun r = RunPcap(dir, {FromHost(Syn()), FromHost(other)}, {});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    ASSERT_EQ(r.netOut.size(), 2u);
    EXPECT_TRUE(r.hostOut.empty());
    ExpectValidChecksums(r.netOut, "net_out");

    const nlohmann::json& syn = r.netOut[0];
    EXPECT_EQ(syn["eth_dst"], kPeerMac);
    EXPECT_EQ(syn["eth_type"], "0x0800");
    EXPECT_EQ(syn["src"], "10.77.0.1");
    EXPECT_EQ(syn["dst"], "10.77.0.2") << "the subsession goes to the first middlebox";
    EXPECT_GE(syn["sport"].get<int>(), 20000);
    EXPECT_LE(syn["sport"].get<int>(), 48999);
    EXPECT_GE(syn["dport"].get<int>(), 20000);
    EXPECT_LE(syn["dport"].get<int>(), 48999);
    EXPECT_EQ(syn["flags"], 0x02);
    EXPECT_EQ(syn["seq"], 1000);
    EXPECT_EQ(syn["options"].size(), 4u) << "MSS, SACK-permitted, timestamps, window scale";
    // Payload: "Dy", version 1, 2 addresses, session 10.77.0.1:40000 -> 10.77.0.3:8080 TCP,
    // no marker, then the address list [mb, server].
    EXPECT_EQ(syn["payload"], "4479"
                              "01"
                              "02"
                              "0a4d0001"
                              "0a4d0003"
                              "9c40"
                              "1f90"
                              "06"
                              "00"
                              "0a4d0002"
                              "0a4d0003");
    EXPECT_EQ(syn["ip_len"], 20 + 40 + 26);

    const nlohmann::json& passed = r.netOut[1];
    EXPECT_EQ(passed["dst"], "10.77.0.3");
    EXPECT_EQ(passed["sport"], 40001);
    EXPECT_EQ(passed["dport"], 22);
    EXPECT_EQ(passed["payload"], "");

    EXPECT_EQ(r.client["core"]["sessions_created"], 1);
    EXPECT_EQ(r.client["core"]["passed"], 1);
    EXPECT_EQ(r.client["events"]["chain_start"], 1);
    EXPECT_EQ(r.client["egress"]["forwarded"], 2);
    ExpectGolden("syn_net_out", r.netOut);
}

TEST(DpdkGoldenPcap, DataIsRewrittenBothWaysWithValidChecksums)
{
    const std::string dir = ScratchDir("data");
    // The subsession the agent allocates first (checked against the SYN it sends below).
    const uint16_t subPort = 20000;
    std::vector<std::vector<uint8_t>> fromHost = {
        FromHost(Syn()),
        FromHost(
            Tcp(kClient, kServer, kClientPort, kServerPort, 1001, 5001, 0x10, Timestamps(2, 100))),
        FromHost(Tcp(kClient, kServer, kClientPort, kServerPort, 1001, 5001, 0x18,
                     Timestamps(3, 100), "GET /blob HTTP/1.1\r\nHost: server\r\n\r\n")),
        FromHost(
            Tcp(kClient, kServer, kClientPort, kServerPort, 1037, 5001, 0x11, Timestamps(4, 100))),
    };
    std::vector<std::vector<uint8_t>> fromNetwork = {
        FromNetwork(Tcp(kMb, kClient, subPort, subPort, 5000, 1001, 0x12, kSynOptions)),
        FromNetwork(Tcp(kMb, kClient, subPort, subPort, 5001, 1037, 0x18, Timestamps(101, 3),
                        "HTTP/1.0 200 OK\r\n\r\nhello")),
        FromNetwork(Tcp(kMb, kClient, subPort, subPort, 5025, 1038, 0x11, Timestamps(102, 4))),
    };
    PcapRun r = RunPcap(dir, fromHost, fromNetwork);
    ASSERT_EQ(r.exitCode, 0) << r.err;
    ASSERT_EQ(r.netOut.size(), 4u);
    ASSERT_EQ(r.hostOut.size(), 3u);
    ASSERT_EQ(r.netOut[0]["sport"], subPort) << "the agent chose another subsession port";
    ASSERT_EQ(r.netOut[0]["dport"], subPort);
    ExpectValidChecksums(r.netOut, "net_out");
    ExpectValidChecksums(r.hostOut, "host_out");

    // Toward the network: the subsession header, sequence numbers and payload unchanged.
    const std::vector<std::pair<uint32_t, std::string>> sent = {
        {1001, ""}, {1001, "GET /blob HTTP/1.1\r\nHost: server\r\n\r\n"}, {1037, ""}};
    for (size_t i = 1; i < 4; ++i)
    {
        const nlohmann::json& f = r.netOut[i];
        EXPECT_EQ(f["src"], "10.77.0.1") << i;
        EXPECT_EQ(f["dst"], "10.77.0.2") << i;
        EXPECT_EQ(f["sport"], subPort) << i;
        EXPECT_EQ(f["dport"], subPort) << i;
        EXPECT_EQ(f["seq"], sent[i - 1].first) << i;
        EXPECT_EQ(f["ack"], 5001) << i;
        EXPECT_EQ(f["payload"], Hex(sent[i - 1].second)) << i;
        EXPECT_EQ(f["options"].size(), 1u) << "timestamps kept";
        EXPECT_EQ(f["eth_dst"], kPeerMac);
    }
    // Toward the host: the session header restored, to the host's MAC from the router MAC.
    const std::vector<std::pair<int, std::string>> received = {
        {0x12, ""}, {0x18, "HTTP/1.0 200 OK\r\n\r\nhello"}, {0x11, ""}};
    for (size_t i = 0; i < 3; ++i)
    {
        const nlohmann::json& f = r.hostOut[i];
        EXPECT_EQ(f["eth_dst"], kHostMac) << i;
        EXPECT_EQ(f["eth_src"], kRouterMac) << i;
        EXPECT_EQ(f["src"], "10.77.0.3") << i;
        EXPECT_EQ(f["dst"], "10.77.0.1") << i;
        EXPECT_EQ(f["sport"], kServerPort) << i;
        EXPECT_EQ(f["dport"], kClientPort) << i;
        EXPECT_EQ(f["flags"], received[i].first) << i;
        EXPECT_EQ(f["payload"], Hex(received[i].second)) << i;
    }
    EXPECT_EQ(r.client["core"]["rewritten"], 7);
    EXPECT_EQ(r.client["core"]["dropped"], 0);
    EXPECT_EQ(r.client["events"]["session_closed"], 1) << "FIN both ways";
    ExpectGolden("data_net_out", r.netOut);
    ExpectGolden("data_host_out", r.hostOut);
}

TEST(DpdkGoldenPcap, MalformedFramesAreDroppedAndCounted)
{
    const std::string dir = ScratchDir("malformed");
    const auto data = [](uint32_t seq)
    {
        return Tcp(kClient, kServer, kClientPort, kServerPort, seq, 5001, 0x18,
                   Timestamps(seq, 100), "payload!");
    };
    std::vector<uint8_t> truncated = FromHost(data(1001));
    truncated.resize(truncated.size() - 5);
    std::vector<uint8_t> badChecksum = data(1009);
    badChecksum[10] ^= 0x01;
    std::vector<uint8_t> badIhl = data(1017);
    badIhl[0] = 0x44;
    std::vector<uint8_t> badOffset = data(1025);
    badOffset[20 + 12] = 0xf0; // 60-byte TCP header in a 60-byte TCP segment + payload
    std::vector<uint8_t> badOption = data(1033);
    badOption[20 + 23] = 0; // timestamps option (after two NOPs) with length 0
    std::vector<uint8_t> fragment = data(1041);
    fragment[6] = 0x20; // more fragments
    FixIpChecksum(fragment);
    std::vector<std::vector<uint8_t>> fromHost = {
        FromHost(Syn()),
        EthFrame(kRouterMac, kHostMac, std::vector<uint8_t>(10, 0x45)), // runt
        truncated,
        FromHost(badChecksum),
        FromHost(badIhl),
        FromHost(badOffset),
        FromHost(badOption),
        FromHost(fragment),
        EthFrame(kRouterMac, kHostMac, std::vector<uint8_t>(60, 0x60), 0x86dd), // IPv6
        FromHost(data(1049)),
    };
    std::vector<uint8_t> netBadOffset =
        Tcp(kMb, kClient, 20000, 20000, 5001, 1057, 0x10, Timestamps(101, 3));
    netBadOffset[20 + 12] = 0x30; // data offset 3 (< 5)
    std::vector<uint8_t> netBadChecksum =
        Tcp(kMb, kClient, 20000, 20000, 5001, 1057, 0x10, Timestamps(101, 3));
    netBadChecksum[11] ^= 0x80;
    std::vector<std::vector<uint8_t>> fromNetwork = {
        FromNetwork(netBadOffset),
        FromNetwork(netBadChecksum),
        FromNetwork(std::vector<uint8_t>(6, 0)), // runt
        FromNetwork(Tcp(kMb, kClient, 20000, 20000, 5001, 1057, 0x10, Timestamps(101, 3))),
    };
    PcapRun r = RunPcap(dir, fromHost, fromNetwork);
    ASSERT_EQ(r.exitCode, 0) << r.err;
    ASSERT_EQ(r.netOut.size(), 2u) << "only the SYN and the valid segment leave";
    EXPECT_EQ(r.netOut[0]["flags"], 0x02);
    EXPECT_EQ(r.netOut[1]["seq"], 1049);
    EXPECT_EQ(r.netOut[1]["dst"], "10.77.0.2");
    ASSERT_EQ(r.hostOut.size(), 1u) << "only the valid segment from the network arrives";
    EXPECT_EQ(r.hostOut[0]["src"], "10.77.0.3");
    ExpectValidChecksums(r.netOut, "net_out");
    ExpectValidChecksums(r.hostOut, "host_out");

    const nlohmann::json& eg = r.client["egress"];
    EXPECT_EQ(eg["frames"], 10);
    EXPECT_EQ(eg["forwarded"], 2);
    EXPECT_EQ(eg["malformed_runt"], 1);
    EXPECT_EQ(eg["malformed_length"], 1);
    EXPECT_EQ(eg["malformed_checksum"], 1);
    EXPECT_EQ(eg["malformed_header"], 1);
    EXPECT_EQ(eg["malformed"], 4);
    EXPECT_EQ(eg["non_ipv4"], 1);
    EXPECT_EQ(eg["core_dropped"], 3) << "data offset, option, fragment";
    const nlohmann::json& in = r.client["ingress"];
    EXPECT_EQ(in["frames"], 4);
    EXPECT_EQ(in["forwarded"], 1);
    EXPECT_EQ(in["malformed_runt"], 1);
    EXPECT_EQ(in["malformed_checksum"], 1);
    EXPECT_EQ(in["core_dropped"], 1);
    EXPECT_EQ(r.client["core"]["malformed"], 4);
    EXPECT_EQ(r.client["events"]["malformed_drop"], 4);
    ExpectGolden("malformed_net_out", r.netOut);
}

} // namespace
} // namespace dysco::dpdk::test
