#include "proof_checksum_lemma.h"

#include "checksum_encoding.h"
#include "checksum_header.h"
#include "integer_claim.h"

#include <string>
#include <vector>

namespace dysco
{
namespace proofs
{

namespace
{

std::vector<z3::expr>
FreeWords(z3::context& ctx, const char* prefix, size_t n)
{
    std::vector<z3::expr> w;
    for (size_t i = 0; i < n; ++i)
    {
        w.push_back(ctx.bv_const((std::string(prefix) + std::to_string(i)).c_str(), 16));
    }
    return w;
}

/// ChecksumAccumulate over `words` starting from `sum` (uint32_t): 64-bit sum, Fold64.
z3::expr
Accumulate(const z3::expr& sum32, const std::vector<z3::expr>& words)
{
    z3::expr s = Widen(sum32, 64);
    for (const z3::expr& w : words)
    {
        s = s + Widen(w, 64);
    }
    return Fold64(s);
}

} // namespace

ProofResult
ProveChecksumSummaryLemma(const ProofOptions& options)
{
    z3::context ctx;
    const z3::expr zero32 = Bv(ctx, 0, 32);

    // Ipv4HeaderChecksum(ip, 20): words 0-4, skip the checksum (word 5), words 6-9.
    const std::vector<z3::expr> ip = FreeWords(ctx, "ip", 10);
    const z3::expr ipStage1 = Accumulate(zero32, {ip[0], ip[1], ip[2], ip[3], ip[4]});
    const z3::expr ipStaged = ChecksumFinish(Accumulate(ipStage1, {ip[6], ip[7], ip[8], ip[9]}));
    const z3::expr ipOneSum =
        ChecksumFinish(Fold64(Widen(ip[0], 64) + Widen(ip[1], 64) + Widen(ip[2], 64) +
                              Widen(ip[3], 64) + Widen(ip[4], 64) + Widen(ip[6], 64) +
                              Widen(ip[7], 64) + Widen(ip[8], 64) + Widen(ip[9], 64)));

    // TcpChecksum(src, dst, segment, 20): pseudo-header folded first, then segment words 0-7,
    // skip the checksum (word 8), then word 9.
    const z3::expr src = ctx.bv_const("src", 32);
    const z3::expr dst = ctx.bv_const("dst", 32);
    const std::vector<z3::expr> tcp = FreeWords(ctx, "tcp", 10);
    const uint64_t segmentLen = 20;
    const z3::expr pseudo = Hi16(src) + Lo16(src) + Hi16(dst) + Lo16(dst) + Bv(ctx, 6, 64) +
                            Bv(ctx, segmentLen >> 16, 64) + Bv(ctx, segmentLen & 0xFFFF, 64);
    z3::expr tcpSum = Fold64(pseudo);
    tcpSum = Accumulate(tcpSum, {tcp[0], tcp[1], tcp[2], tcp[3], tcp[4], tcp[5], tcp[6], tcp[7]});
    tcpSum = Accumulate(tcpSum, {tcp[9]});
    const z3::expr tcpStaged = ChecksumFinish(tcpSum);
    z3::expr all = Bv(ctx, 6 + segmentLen, 64) + Hi16(src) + Lo16(src) + Hi16(dst) + Lo16(dst);
    for (size_t i = 0; i < tcp.size(); ++i)
    {
        if (i != 8)
        {
            all = all + Widen(tcp[i], 64);
        }
    }
    const z3::expr tcpOneSum = ChecksumFinish(Fold64(all));

    // Any k <= 13 words sum to at most k * 0xFFFF (no wrap in the 64-bit accumulator).
    const std::vector<z3::expr> any = FreeWords(ctx, "w", 13);
    z3::expr_vector bounds(ctx);
    z3::expr partial = Bv(ctx, 0, 64);
    for (size_t k = 0; k < any.size(); ++k)
    {
        partial = partial + Widen(any[k], 64);
        bounds.push_back(z3::ule(partial, Bv(ctx, (k + 1) * 0xFFFF, 64)));
    }

    const z3::expr claim = ipStaged == ipOneSum && tcpStaged == tcpOneSum && z3::mk_and(bounds);
    return ProveWithIntegers({"checksum_summary_lemma",
                      "for all 20-byte IPv4 and TCP headers (pseudo-header included): the C++ "
                      "staged full recomputation equals ChecksumFinish(Fold64(sum of the "
                      "words)), and any k <= 13 words sum to at most k * 0xFFFF",
                      ctx.bool_val(true), claim,
                      {{"ip staged", ipStaged},
                       {"ip one sum", ipOneSum},
                       {"tcp staged", tcpStaged},
                       {"tcp one sum", tcpOneSum}},
                      {}},
                     options);
}

} // namespace proofs
} // namespace dysco
