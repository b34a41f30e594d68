// Real Linux TCP through DPDK agents: curl in namespace "client" downloads from python's
// http.server in "server" over a Dysco chain through the forwarding host "mb" (see
// netns_chain.h). The file must arrive byte for byte, also when the middlebox is removed
// from the session by a reconfiguration while the transfer runs.
#include "netns_chain.h"

#include <gtest/gtest.h>
#include <random>
#include <sys/stat.h>

namespace dysco::dpdk::test
{
namespace
{

constexpr size_t kFileBytes = 10'000'000;

/// A file of random bytes in the server's directory; returns its contents.
std::string
ServeRandomFile(const NetnsChain& bed, const std::string& name)
{
    std::mt19937_64 rng(42);
    std::string data(kFileBytes, '\0');
    for (size_t i = 0; i + 8 <= data.size(); i += 8)
    {
        const uint64_t v = rng();
        std::memcpy(&data[i], &v, 8);
    }
    WriteFile(bed.Dir() + "/www/" + name, data);
    return data;
}

size_t
FileSize(const std::string& path)
{
    struct stat st;
    return stat(path.c_str(), &st) == 0 ? size_t(st.st_size) : 0;
}

std::string
Url(const std::string& name)
{
    return std::string("http://") + NetnsChain::kServerIp + ":" +
           std::to_string(NetnsChain::kServerPort) + "/" + name;
}

/// Byte-exact comparison with a readable failure (first differing offset).
void
ExpectSameBytes(const std::string& got, const std::string& want)
{
    ASSERT_EQ(got.size(), want.size());
    auto diff = std::mismatch(got.begin(), got.end(), want.begin());
    EXPECT_TRUE(diff.first == got.end())
        << "first difference at byte " << (diff.first - got.begin());
}

#define SKIP_OR_FAIL_WITHOUT_PREREQUISITES()                                                       \
    do                                                                                             \
    {                                                                                              \
        const std::string missing = NetnsChain::MissingPrerequisite();                             \
        if (missing.rfind("not root", 0) == 0)                                                     \
        {                                                                                          \
            GTEST_SKIP() << missing;                                                               \
        }                                                                                          \
        ASSERT_EQ(missing, "") << "cannot run the namespace test";                                 \
    } while (false)

TEST(DpdkNetns, TenMegabytesThroughTheMiddleboxArriveByteExact)
{
    SKIP_OR_FAIL_WITHOUT_PREREQUISITES();
    const std::string dir = ScratchDir("bed");
    NetnsChain bed(dir);
    ASSERT_EQ(bed.Up(), "");
    const std::string want = ServeRandomFile(bed, "blob");

    CommandResult curl =
        RunCommand(bed.In('c', {"curl", "-sS", "-m", "60", "-o", dir + "/got", Url("blob")}), 90);
    ASSERT_EQ(curl.exitCode, 0) << curl.err;
    ExpectSameBytes(ReadFile(dir + "/got"), want);

    int rc = -1;
    nlohmann::json stats = bed.Quit(&rc);
    EXPECT_EQ(rc, 0);
    const nlohmann::json client = NodeStats(stats, "client");
    const nlohmann::json mb = NodeStats(stats, "mb");
    const nlohmann::json server = NodeStats(stats, "server");
    ASSERT_FALSE(client.is_null() || mb.is_null() || server.is_null()) << stats.dump();
    EXPECT_EQ(client["events"]["chain_start"], 1);
    EXPECT_EQ(mb["events"]["chain_hop"], 1);
    EXPECT_EQ(server["events"]["chain_end"], 1);
    // Every segment of the download crossed the middlebox host (1448-byte segments at most).
    EXPECT_GT(mb["ingress"]["forwarded"].get<uint64_t>(), kFileBytes / 1448);
    EXPECT_GT(mb["egress"]["forwarded"].get<uint64_t>(), kFileBytes / 1448);
    for (const auto& n : {client, mb, server})
    {
        EXPECT_EQ(n["core"]["dropped"], 0) << n["name"];
        EXPECT_EQ(n["egress"]["malformed"], 0) << n["name"];
        EXPECT_EQ(n["ingress"]["malformed"], 0) << n["name"];
        EXPECT_EQ(n["egress"]["bridge_errors"], 0) << n["name"];
    }
}

TEST(DpdkNetns, MiddleboxRemovedMidTransferStillByteExact)
{
    SKIP_OR_FAIL_WITHOUT_PREREQUISITES();
    const std::string dir = ScratchDir("bed");
    NetnsChain bed(dir);
    ASSERT_EQ(bed.Up(), "");
    const std::string want = ServeRandomFile(bed, "blob");

    // About four seconds at this rate: long enough to reconfigure in the middle.
    Process curl(bed.In('c', {"curl", "-sS", "-m", "60", "--limit-rate", "2500K", "-o",
                              dir + "/got", Url("blob")}),
                 dir + "/curl.out", dir + "/curl.err");
    ASSERT_TRUE(WaitFor([&] { return FileSize(dir + "/got") >= 2'500'000 || !curl.Running(); }, 30))
        << "the transfer did not progress: " << ReadFile(dir + "/curl.err");
    ASSERT_TRUE(curl.Running()) << "the transfer ended before the reconfiguration: curl exit "
                                << curl.Wait(0) << ", " << FileSize(dir + "/got")
                                << " bytes: " << ReadFile(dir + "/curl.err");

    ASSERT_EQ(bed.Command("reconfigure client server"), "ok");
    nlohmann::json request;
    for (const auto& j : bed.AppLines())
    {
        if (j.value("type", "") == "reconfigure")
        {
            request = j;
        }
    }
    ASSERT_EQ(request.value("started", 0), 1) << "no live session at the client: " << request;
    auto succeeded = [&](const std::string& agent)
    {
        for (const auto& j : bed.AppLines())
        {
            if (j.value("type", "") == "event" && j.value("agent", "") == agent &&
                j.value("event", "") == "reconfig_succeeded")
            {
                return true;
            }
        }
        return false;
    };
    ASSERT_TRUE(WaitFor([&] { return succeeded("client") && succeeded("server"); }, 10))
        << ReadFile(dir + "/app.out");
    const size_t atReconfig = FileSize(dir + "/got");
    const nlohmann::json mbAfterReconfig = NodeStats(bed.Stats(), "mb");
    ASSERT_FALSE(mbAfterReconfig.is_null());

    ASSERT_EQ(curl.Wait(60), 0) << ReadFile(dir + "/curl.err");
    ExpectSameBytes(ReadFile(dir + "/got"), want);
    EXPECT_GE(kFileBytes - atReconfig, 2'000'000u)
        << "most of the transfer should take the new path";

    int rc = -1;
    nlohmann::json stats = bed.Quit(&rc);
    EXPECT_EQ(rc, 0);
    const nlohmann::json client = NodeStats(stats, "client");
    const nlohmann::json mb = NodeStats(stats, "mb");
    const nlohmann::json server = NodeStats(stats, "server");
    ASSERT_FALSE(client.is_null() || mb.is_null() || server.is_null()) << stats.dump();
    EXPECT_EQ(client["core"]["reconfig_attempted"], 1);
    EXPECT_EQ(client["core"]["reconfig_succeeded"], 1);
    EXPECT_EQ(client["core"]["reconfig_aborted"], 0);
    EXPECT_EQ(mb["sessions"], 0) << "the middlebox's state is gone";
    // After the old path was torn down the middlebox saw (almost) nothing of the session,
    // while several megabytes still went from server to client.
    const uint64_t mbLater =
        mb["core"]["packets"].get<uint64_t>() - mbAfterReconfig["core"]["packets"].get<uint64_t>();
    EXPECT_LT(mbLater, 20u);
    EXPECT_GT(client["ingress"]["forwarded"].get<uint64_t>(), 1000u);
    for (const auto& n : {client, mb, server})
    {
        EXPECT_EQ(n["core"]["dropped"], 0) << n["name"];
        EXPECT_EQ(n["egress"]["bridge_errors"], 0) << n["name"];
        EXPECT_EQ(n["ingress"]["bridge_errors"], 0) << n["name"];
    }
}

} // namespace
} // namespace dysco::dpdk::test
