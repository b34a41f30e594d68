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

} // namespace

ProofResult
ProveChecksumSummaryLemma(const ProofOptions& options)
{
    z3::context ctx;
    const std::vector<z3::expr> ip = FreeWords(ctx, "ip", 10);
    const z3::expr ipStaged = Ipv4HeaderChecksum20(ip);
    z3::expr ipAll = Bv(ctx, 0, 64);
    for (size_t i = 0; i < ip.size(); ++i)
    {
        ipAll = i == 5 ? ipAll : ipAll + Widen(ip[i], 64);
    }
    const z3::expr ipOneSum = ChecksumFinish(Fold64(ipAll));

    const z3::expr src = ctx.bv_const("src", 32);
    const z3::expr dst = ctx.bv_const("dst", 32);
    const std::vector<z3::expr> tcp = FreeWords(ctx, "tcp", 10);
    const z3::expr tcpStaged = TcpChecksum20(src, dst, tcp);
    z3::expr tcpAll = Bv(ctx, 6 + 20, 64) + Hi16(src) + Lo16(src) + Hi16(dst) + Lo16(dst);
    for (size_t i = 0; i < tcp.size(); ++i)
    {
        tcpAll = i == 8 ? tcpAll : tcpAll + Widen(tcp[i], 64);
    }
    const z3::expr tcpOneSum = ChecksumFinish(Fold64(tcpAll));

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
    return ProveWithIntegers(
        {"checksum_summary_lemma",
         "for all 20-byte IPv4 and TCP headers (pseudo-header included): the C++ "
         "staged full recomputation equals ChecksumFinish(Fold64(sum of the "
         "words)), and any k <= 13 words sum to at most k * 0xFFFF",
         ctx.bool_val(true),
         claim,
         {{"ip staged", ipStaged},
          {"ip one sum", ipOneSum},
          {"tcp staged", tcpStaged},
          {"tcp one sum", tcpOneSum}},
         {}},
        options);
}

} // namespace proofs
} // namespace dysco
