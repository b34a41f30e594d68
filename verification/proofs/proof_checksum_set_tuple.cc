#include "proof_checksum_set_tuple.h"

#include "checksum_encoding.h"
#include "checksum_header.h"
#include "integer_claim.h"

#include <string>

namespace dysco
{
namespace proofs
{

namespace
{

std::string
ProofName(ChecksumField field, SetTupleClaim claim, HostOrder order)
{
    std::string name =
        field == ChecksumField::kIpv4 ? "set_tuple_ipv4_checksum" : "set_tuple_tcp_checksum";
    switch (claim)
    {
    case SetTupleClaim::kEqualsRecompute:
        break;
    case SetTupleClaim::kKeepsValid:
        name += "_keeps_valid";
        break;
    case SetTupleClaim::kNoCarryWrong:
        name += "_no_carry_WRONG";
        break;
    }
    if (order == HostOrder::kBigEndian)
    {
        name += "_big_endian";
    }
    return name;
}

std::string
Statement(ChecksumField field, SetTupleClaim claim, HostOrder order)
{
    const std::string host =
        order == HostOrder::kLittleEndian ? " (little-endian host)" : " (big-endian host)";
    const bool ip = field == ChecksumField::kIpv4;
    const std::string what = ip ? "the IPv4 checksum of a 20-byte header (R = 5 other words)"
                                : "the TCP checksum of a 20-byte header with pseudo-header "
                                  "(R = 26 + 7 other words)";
    // A TCP sum holds the pseudo-header's constants, so the all-zero exception cannot occur.
    const std::string exception = ip ? ", except exactly on an all-zero new header (+0 for -0)"
                                     : " (R >= 26: no all-zero header, no exception)";
    switch (claim)
    {
    case SetTupleClaim::kEqualsRecompute:
        return "for all old and new addresses and ports, SetTuple's folded update of " + what +
               " equals full recomputation" + exception + host;
    case SetTupleClaim::kKeepsValid:
        return "for all old and new addresses and ports and every old field value that passes "
               "the receiver's check, SetTuple's update of " +
               what + " passes it too" + (ip ? " (unless the new header is all zero)" : "") + host;
    case SetTupleClaim::kNoCarryWrong:
        return "wrong variant: the same claim as " +
               ProofName(field, SetTupleClaim::kEqualsRecompute, order) +
               " with ApplyDelta's end-around carry dropped";
    }
    return "";
}

} // namespace

ProofResult
ProveSetTupleChecksum(ChecksumField field, SetTupleClaim claim, HostOrder order,
                      const ProofOptions& options)
{
    z3::context ctx;
    // What memcpy between a big-endian field and a uint16_t/uint32_t does on this host.
    const bool swap = order == HostOrder::kLittleEndian;
    auto raw16 = [&](const z3::expr& v) { return swap ? Swap16(v) : v; };
    auto raw32 = [&](const z3::expr& v) { return swap ? Swap32(v) : v; };

    // Host-order values of the fields before (Load32) and of the new tuple.
    const z3::expr oldSrc = ctx.bv_const("old src", 32);
    const z3::expr oldDst = ctx.bv_const("old dst", 32);
    const z3::expr oldPorts = ctx.bv_const("old ports", 32);
    const z3::expr src = ctx.bv_const("src", 32);
    const z3::expr dst = ctx.bv_const("dst", 32);
    const z3::expr srcPort = ctx.bv_const("src port", 16);
    const z3::expr dstPort = ctx.bv_const("dst port", 16);
    const z3::expr ports = z3::concat(srcPort, dstPort); // uint32_t(srcPort) << 16 | dstPort
    const z3::expr r = ctx.bv_const("R", 64);

    // SetTuple.
    const z3::expr ipDelta =
        Delta32(raw32(oldSrc), raw32(src)) + Delta32(raw32(oldDst), raw32(dst));
    const z3::expr portDelta = Delta32(raw32(oldPorts), raw32(ports));
    const bool tcp = field == ChecksumField::kTcp;
    const z3::expr delta = tcp ? ipDelta + portDelta : ipDelta;

    std::vector<z3::expr> oldWords = Join(Words(oldSrc), Words(oldDst));
    std::vector<z3::expr> newWords = Join(Words(src), Words(dst));
    if (tcp)
    {
        oldWords = Join(oldWords, Words(oldPorts));
        newWords = Join(newWords, Words(ports));
    }
    const SumRange range = tcp ? WordsSumRange(7, kTcpPseudoConstant) : WordsSumRange(kIpWords - 4);
    z3::expr newAllZero = r == Bv(ctx, 0, 64);
    for (const z3::expr& w : newWords)
    {
        newAllZero = newAllZero && w == Bv(ctx, 0, 16);
    }
    Shown base = {{"R", r}, {"old src", oldSrc}, {"old dst", oldDst}, {"src", src}, {"dst", dst}};
    if (tcp)
    {
        base.push_back({"old ports", oldPorts});
        base.push_back({"src port", srcPort});
        base.push_back({"dst port", dstPort});
    }

    if (claim == SetTupleClaim::kKeepsValid)
    {
        // ChecksumsValid: ChecksumFinish(one accumulation over every word, field included) == 0.
        const z3::expr before = ctx.bv_const("field", 16);
        const z3::expr after = raw16(ApplyDelta(raw16(before), delta));
        auto verifies = [&](const std::vector<z3::expr>& words, const z3::expr& f)
        { return SummarisedChecksum(r, Join(words, {f})) == Bv(ctx, 0, 16); };
        Shown shown = base;
        shown.push_back({"field", before});
        shown.push_back({"field'", after});
        const z3::expr newSum = WordSum(r, Join(newWords, {after}));
        return ProveWithIntegers({ProofName(field, claim, order),
                                  Statement(field, claim, order),
                                  InRange(r, range) && verifies(oldWords, before),
                                  verifies(newWords, after) || newAllZero,
                                  shown,
                                  {{newSum, Bv(ctx, 0, 64)}}},
                                 options);
    }

    const z3::expr fieldBefore = SummarisedChecksum(r, oldWords); // Store16: host value
    const bool carry = claim != SetTupleClaim::kNoCarryWrong;
    const z3::expr fieldAfter = raw16(ApplyDelta(raw16(fieldBefore), delta, carry)); // Load16
    const z3::expr recomputed = SummarisedChecksum(r, newWords);
    const z3::expr precise =
        (fieldAfter == recomputed) == !newAllZero &&
        z3::implies(newAllZero, fieldAfter == Bv(ctx, 0, 16) && recomputed == Bv(ctx, 0xFFFF, 16));
    Shown shown = base;
    shown.push_back({"field before", fieldBefore});
    shown.push_back({"field after", fieldAfter});
    shown.push_back({"recomputed", recomputed});
    return ProveWithIntegers({ProofName(field, claim, order),
                              Statement(field, claim, order),
                              InRange(r, range),
                              precise,
                              shown,
                              {{fieldAfter, recomputed}}},
                             options);
}

} // namespace proofs
} // namespace dysco
