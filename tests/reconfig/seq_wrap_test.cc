// Sequence numbers near 2^32 at the moment of reconfiguration, with non-zero deltas: mb1
// shifts the sessions close to the wrap and leaves while they run; the anchors take the
// deltas over across the wrap, and every byte still arrives both ways.
#include "reconfig_fixture.h"

namespace dyscosim::test
{
namespace
{

/// How far a sequence number is from the 2^32 wrap, either side.
uint32_t
DistanceToWrap(uint32_t seq)
{
    return std::min<uint32_t>(seq, 0u - seq);
}

TEST(ReconfigSeqWrap, DeltasAppliedAcrossTheWrap)
{
    Outcome o = RunShipped("reconfig/seq-wrap.json");
    ExpectExactAndClean(o);
    ASSERT_EQ(o.result.reconfigurations.size(), 2u);
    for (const auto& r : o.result.reconfigurations)
    {
        SCOPED_TRACE("stream " + std::to_string(r.streamId));
        EXPECT_EQ(r.outcome, "succeeded");
        ASSERT_TRUE(r.hasSeq);
        // Within 100 kB of 2^32 in both directions when the deletion started.
        EXPECT_LT(DistanceToWrap(r.seqAtStart[0]), 100000u) << r.seqAtStart[0];
        EXPECT_LT(DistanceToWrap(r.seqAtStart[1]), 100000u) << r.seqAtStart[1];
    }
    const MiddleboxResult* mb1 = o.Middlebox("mb1");
    ASSERT_NE(mb1, nullptr);
    EXPECT_EQ(mb1->kind, "seq_offset");
    // The shifted numbers crossed 2^32 in both directions while mb1 still carried them.
    EXPECT_EQ(mb1->counters.at("wrapped_client_to_server"), 2u);
    EXPECT_EQ(mb1->counters.at("wrapped_server_to_client"), 2u);
    // Non-zero deltas: the fixed offsets are 2^32 - 1000000 and 2^32 - 900000.
    EXPECT_EQ(o.scenario.nodes[1].seqOffset[0].value, 4293967296u);
    EXPECT_FALSE(o.scenario.nodes[1].seqOffset[0].random);
}

} // namespace
} // namespace dyscosim::test
