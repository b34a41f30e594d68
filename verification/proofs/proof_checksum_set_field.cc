#include "proof_checksum_set_field.h"

#include "checksum_encoding.h"
#include "checksum_header.h"
#include "integer_claim.h"

#include <string>

namespace dysco
{
namespace proofs
{

ProofResult
ProveSetFieldChecksum(unsigned bits, HostOrder order, const ProofOptions& options)
{
    z3::context ctx;
    const bool swap = order == HostOrder::kLittleEndian;
    const bool wide = bits == 32;
    auto raw16 = [&](const z3::expr& v) { return swap ? Swap16(v) : v; };
    auto raw = [&](const z3::expr& v) { return swap ? (wide ? Swap32(v) : Swap16(v)) : v; };

    // Host-order values before (Load32/Load16) and after (the setter's argument).
    const z3::expr before = ctx.bv_const("old value", bits);
    const z3::expr after = ctx.bv_const("new value", bits);
    const z3::expr r = ctx.bv_const("R", 64);
    const std::vector<z3::expr> oldWords = wide ? Words(before) : std::vector<z3::expr>{before};
    const std::vector<z3::expr> newWords = wide ? Words(after) : std::vector<z3::expr>{after};
    // The other words of the segment and pseudo-header: 13 variable ones minus the field's.
    const SumRange range =
        WordsSumRange(kTcpVariableWords - unsigned(oldWords.size()), kTcpPseudoConstant);

    // SetAckNumber: delta = Delta32(Raw32(field), Wire32(ack)); ApplyDelta(check, delta).
    const z3::expr delta =
        wide ? Delta32(raw(before), raw(after)) : Delta16(raw(before), raw(after));
    const z3::expr fieldBefore = SummarisedChecksum(r, oldWords);
    const z3::expr fieldAfter = raw16(ApplyDelta(raw16(fieldBefore), delta));
    const z3::expr recomputed = SummarisedChecksum(r, newWords);

    const std::string setters =
        wide ? "SetSeqNumber / SetAckNumber" : "SetSrcPort / SetDstPort / SetWindow";
    std::string name = wide ? "set_seq_ack_tcp_checksum" : "set_port_window_tcp_checksum";
    if (!swap)
    {
        name += "_big_endian";
    }
    const std::string statement =
        "for all old and new values of a " + std::to_string(bits) + "-bit TCP header field, " +
        setters +
        "'s update of the TCP checksum of a 20-byte segment with pseudo-header equals full "
        "recomputation (" +
        (swap ? "little" : "big") + "-endian host)";
    return ProveWithIntegers({name,
                              statement,
                              InRange(r, range),
                              fieldAfter == recomputed,
                              {{"R", r},
                               {"old value", before},
                               {"new value", after},
                               {"field before", fieldBefore},
                               {"field after", fieldAfter},
                               {"recomputed", recomputed}},
                              {{fieldAfter, recomputed}}},
                             options);
}

} // namespace proofs
} // namespace dysco
