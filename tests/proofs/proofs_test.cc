// Every proof of dyscosim-prove gives what it is expected to give: the claims about the core's
// rewrite functions are proved; documented facts and deliberately wrong variants come back
// with a counterexample (so the machinery can fail). Each proof is one CTest case.
#include "proof_checksum_set_tuple.h"
#include "proof_checksum_update.h"
#include "proof_registry.h"
#include "proof_seq_order.h"

#include <gtest/gtest.h>
#include <ostream>
#include <string>

namespace dysco
{
namespace proofs
{

/// gtest prints a parameter's name instead of its bytes.
void
PrintTo(const ProofEntry& e, std::ostream* os)
{
    *os << e.name;
}

namespace
{

/// Generous for a 2-core VM under load: the slowest proof takes ~1.5 s alone.
constexpr double kMaxSeconds = 20;

class EveryProof : public ::testing::TestWithParam<ProofEntry>
{
};

TEST_P(EveryProof, GivesItsExpectedResult)
{
    const ProofEntry& e = GetParam();
    ProofOptions options;
    options.timeoutMs = unsigned(kMaxSeconds * 1000);
    const ProofResult r = e.run(options);
    EXPECT_EQ(r.name, e.name);
    EXPECT_FALSE(r.statement.empty());
    ASSERT_EQ(ProofStatusName(r.status), std::string(ProofStatusName(e.expected)))
        << r.name << ": " << r.detail << " " << r.model;
    if (r.status == ProofStatus::kCounterexample)
    {
        EXPECT_NE(r.model.find(" = 0x"), std::string::npos) << r.model;
    }
    EXPECT_LT(r.seconds, kMaxSeconds);
}

INSTANTIATE_TEST_SUITE_P(Registry, EveryProof, ::testing::ValuesIn(AllProofs()),
                         [](const ::testing::TestParamInfo<ProofEntry>& info)
                         { return info.param.name; });

TEST(Proofs, RegistryHasProofsFactsAndWrongVariants)
{
    size_t proved = 0;
    size_t refuted = 0;
    for (const ProofEntry& e : AllProofs())
    {
        (e.expected == ProofStatus::kProved ? proved : refuted)++;
        const bool marked =
            e.name.find("_FACT") != std::string::npos || e.name.find("_WRONG") != std::string::npos;
        EXPECT_EQ(marked, e.expected == ProofStatus::kCounterexample) << e.name;
        EXPECT_EQ(FindProof(e.name), &e);
    }
    EXPECT_GE(proved, 14u);
    EXPECT_GE(refuted, 8u);
    EXPECT_EQ(FindProof("no_such_proof"), nullptr);
}

TEST(Proofs, PlusMinusZeroCounterexampleIsTheAllZeroHeader)
{
    const ProofResult r = ProveChecksumUpdate16(UpdateClaim::kAlways, ProofOptions{});
    ASSERT_EQ(r.status, ProofStatus::kCounterexample);
    EXPECT_NE(r.model.find("R = 0x0000000000000000"), std::string::npos) << r.model;
    EXPECT_NE(r.model.find("m' = 0x0000"), std::string::npos) << r.model;
    EXPECT_NE(r.model.find("update = 0x0000"), std::string::npos) << r.model;
    EXPECT_NE(r.model.find("recomputed = 0xffff"), std::string::npos) << r.model;
}

TEST(Proofs, Rfc1141CounterexampleDiffersOnlyInTheZeroRepresentation)
{
    const ProofResult r = ProveChecksumUpdate16(UpdateClaim::kRfc1141, ProofOptions{});
    ASSERT_EQ(r.status, ProofStatus::kCounterexample);
    const bool plusForMinus = r.model.find("update = 0x0000") != std::string::npos &&
                              r.model.find("recomputed = 0xffff") != std::string::npos;
    const bool minusForPlus = r.model.find("update = 0xffff") != std::string::npos &&
                              r.model.find("recomputed = 0x0000") != std::string::npos;
    EXPECT_TRUE(plusForMinus || minusForPlus) << r.model;
}

TEST(Proofs, NoCarryVariantIsRefutedOnBothChecksums)
{
    for (ChecksumField f : {ChecksumField::kIpv4, ChecksumField::kTcp})
    {
        const ProofResult r = ProveSetTupleChecksum(f, SetTupleClaim::kNoCarryWrong,
                                                    HostOrder::kLittleEndian, ProofOptions{});
        EXPECT_EQ(r.status, ProofStatus::kCounterexample) << r.name << " " << r.detail;
    }
}

TEST(Proofs, BitBlastingAgreesWithTheIntegerTranslation)
{
    // ChecksumUpdate16's claims are small enough to bit-blast (seconds): the same formulas
    // decided both ways must give the same answers, which cross-checks the translation on a
    // proof, not only on counterexamples.
    ProofOptions direct;
    direct.bitVectorsOnly = true;
    for (UpdateClaim claim :
         {UpdateClaim::kExceptAllZero, UpdateClaim::kAlways, UpdateClaim::kRfc1141})
    {
        const ProofResult viaIntegers = ProveChecksumUpdate16(claim, ProofOptions{});
        const ProofResult viaBits = ProveChecksumUpdate16(claim, direct);
        EXPECT_EQ(viaBits.method, "bit-vectors");
        EXPECT_EQ(viaIntegers.status, viaBits.status) << viaIntegers.name;
    }
}

TEST(Proofs, SolverTimeoutIsReportedAsUndecided)
{
    // seq_before_in_window takes ~1 s: 1 ms cannot decide it.
    ProofOptions tiny;
    tiny.timeoutMs = 1;
    const ProofResult r = ProveSeqBeforeInWindow(tiny);
    EXPECT_EQ(r.status, ProofStatus::kUnknown);
    EXPECT_NE(r.detail.find("timeout"), std::string::npos) << r.detail;
}

} // namespace
} // namespace proofs
} // namespace dysco
