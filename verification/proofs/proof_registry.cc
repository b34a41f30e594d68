#include "proof_registry.h"

#include "proof_checksum_lemma.h"
#include "proof_checksum_set_field.h"
#include "proof_checksum_set_tuple.h"
#include "proof_checksum_update.h"
#include "proof_sack_shift.h"
#include "proof_seq_delta.h"
#include "proof_seq_order.h"

namespace dysco
{
namespace proofs
{

namespace
{

constexpr ProofStatus kHolds = ProofStatus::kProved;
constexpr ProofStatus kRefuted = ProofStatus::kCounterexample;

std::vector<ProofEntry>
Build()
{
    using O = const ProofOptions&;
    std::vector<ProofEntry> v = {
        {"seq_delta_round_trip", kHolds, [](O o) { return ProveSeqDeltaRoundTrip(o); }},
        {"seq_delta_composes", kHolds, [](O o) { return ProveSeqDeltaComposes(o); }},
        {"seq_order_shift_invariant", kHolds,
         [](O o) { return ProveSeqOrderShiftInvariant(SeqOrder::kWrapSafe, o); }},
        {"seq_order_shift_unsigned_WRONG", kRefuted,
         [](O o) { return ProveSeqOrderShiftInvariant(SeqOrder::kUnsigned, o); }},
        {"seq_before_in_window", kHolds, [](O o) { return ProveSeqBeforeInWindow(o); }},
        {"seq_before_transitive_FACT", kRefuted, [](O o) { return ProveSeqBeforeTransitive(o); }},
        {"seq_before_antisymmetric_FACT", kRefuted,
         [](O o) { return ProveSeqBeforeAntisymmetric(o); }},
        {"sack_shift_preserves_blocks", kHolds,
         [](O o) { return ProveSackShift(SackVariant::kAsInCore, o); }},
        {"sack_shift_left_edges_only_WRONG", kRefuted,
         [](O o) { return ProveSackShift(SackVariant::kLeftEdgesOnly, o); }},
        {"sack_shift_ack_only_WRONG", kRefuted,
         [](O o) { return ProveSackShift(SackVariant::kAckOnly, o); }},
        {"checksum_summary_lemma", kHolds, [](O o) { return ProveChecksumSummaryLemma(o); }},
        {"checksum_update16", kHolds,
         [](O o) { return ProveChecksumUpdate16(UpdateClaim::kExceptAllZero, o); }},
        {"checksum_update16_plus_minus_zero_FACT", kRefuted,
         [](O o) { return ProveChecksumUpdate16(UpdateClaim::kAlways, o); }},
        {"checksum_update16_rfc1141_WRONG", kRefuted,
         [](O o) { return ProveChecksumUpdate16(UpdateClaim::kRfc1141, o); }},
        {"checksum_update32", kHolds, [](O o) { return ProveChecksumUpdate32(o); }},
    };
    for (ChecksumField f : {ChecksumField::kIpv4, ChecksumField::kTcp})
    {
        const std::string prefix =
            f == ChecksumField::kIpv4 ? "set_tuple_ipv4_checksum" : "set_tuple_tcp_checksum";
        v.push_back({prefix, kHolds,
                     [f](O o)
                     {
                         return ProveSetTupleChecksum(f, SetTupleClaim::kEqualsRecompute,
                                                      HostOrder::kLittleEndian, o);
                     }});
        v.push_back({prefix + "_big_endian", kHolds, [f](O o) {
                         return ProveSetTupleChecksum(f, SetTupleClaim::kEqualsRecompute,
                                                      HostOrder::kBigEndian, o);
                     }});
        v.push_back({prefix + "_keeps_valid", kHolds, [f](O o) {
                         return ProveSetTupleChecksum(f, SetTupleClaim::kKeepsValid,
                                                      HostOrder::kLittleEndian, o);
                     }});
        v.push_back({prefix + "_no_carry_WRONG", kRefuted, [f](O o) {
                         return ProveSetTupleChecksum(f, SetTupleClaim::kNoCarryWrong,
                                                      HostOrder::kLittleEndian, o);
                     }});
    }
    for (unsigned bits : {32u, 16u})
    {
        const std::string name =
            bits == 32 ? "set_seq_ack_tcp_checksum" : "set_port_window_tcp_checksum";
        v.push_back({name, kHolds, [bits](O o) {
                         return ProveSetFieldChecksum(bits, HostOrder::kLittleEndian, o);
                     }});
        v.push_back({name + "_big_endian", kHolds, [bits](O o) {
                         return ProveSetFieldChecksum(bits, HostOrder::kBigEndian, o);
                     }});
    }
    return v;
}

} // namespace

const std::vector<ProofEntry>&
AllProofs()
{
    static const std::vector<ProofEntry> all = Build();
    return all;
}

const ProofEntry*
FindProof(const std::string& name)
{
    for (const ProofEntry& e : AllProofs())
    {
        if (e.name == name)
        {
            return &e;
        }
    }
    return nullptr;
}

} // namespace proofs
} // namespace dysco
