// NamedCounters lists every AgentCounters field once, under a unique name: a counter added
// to the struct but not to the list fails here (the ns-3 summary and the DPDK statistics
// both print the list).
#include "core/agent_events.h"

#include <cstring>
#include <gtest/gtest.h>
#include <set>
#include <string>
#include <type_traits>

namespace
{

TEST(NamedCounters, EveryFieldOnceUnderAUniqueName)
{
    static_assert(std::is_trivially_copyable_v<dysco::AgentCounters>);
    constexpr size_t kFields = sizeof(dysco::AgentCounters) / sizeof(uint64_t);
    static_assert(sizeof(dysco::AgentCounters) == kFields * sizeof(uint64_t),
                  "AgentCounters holds only uint64_t fields");
    // Give every field a distinct value 1..kFields, then find each exactly once in the list.
    uint64_t values[kFields];
    for (size_t i = 0; i < kFields; ++i)
    {
        values[i] = i + 1;
    }
    dysco::AgentCounters c;
    std::memcpy(&c, values, sizeof(c));

    const auto named = dysco::NamedCounters(c);
    ASSERT_EQ(named.size(), kFields);
    std::set<std::string> names;
    std::set<uint64_t> seen;
    for (const auto& n : named)
    {
        EXPECT_TRUE(names.insert(n.name).second) << "duplicate name " << n.name;
        EXPECT_TRUE(seen.insert(n.value).second) << n.name << " repeats another field";
    }
    EXPECT_EQ(seen.size(), kFields);
    EXPECT_EQ(*seen.begin(), 1u);
    EXPECT_EQ(*seen.rbegin(), kFields);
}

TEST(NamedCounters, NamesAndValuesOfKnownFields)
{
    dysco::AgentCounters c;
    c.packets = 7;
    c.staleResets = 3;
    c.controlBadMac = 2;
    for (const auto& n : dysco::NamedCounters(c))
    {
        if (std::string(n.name) == "packets")
        {
            EXPECT_EQ(n.value, 7u);
            EXPECT_TRUE(n.always);
        }
        else if (std::string(n.name) == "stale_resets")
        {
            EXPECT_EQ(n.value, 3u);
        }
        else if (std::string(n.name) == "control_bad_mac")
        {
            EXPECT_EQ(n.value, 2u);
            EXPECT_FALSE(n.always); // security counters only when non-zero
        }
    }
}

} // namespace
