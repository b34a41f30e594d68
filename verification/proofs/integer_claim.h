// Proving a bit-vector claim through its exact integer translation (bv_to_int.h), for the
// checksum claims that bit-blasting cannot finish.
//
// The claim is the same bit-vector formula that encodes the C++ (checksum_encoding.h); only the
// solver's view changes. Linear integer arithmetic decides the translated formula quickly
// except for one kind of step: seeing that a difference of two checksums is a multiple of
// 0xFFFF, above all when the byte order changes on the way (the one's-complement sum of
// byte-swapped words is 256 times the sum, modulo 0xFFFF). So the caller names the
// congruences the argument rests on (a = b modulo 0xFFFF). For each, the difference's linear
// form is read off Z3's simplifier; if every coefficient is divisible by 0xFFFF, the quotient
// Q is an integer combination of the unknowns, and the fact "Q = that combination" (checked
// by the solver, trivially) lets the main query bound Q at once. Otherwise the congruence is
// asked as its own query (it may rest on the hypothesis) and, if it fails or is undecided,
// bit-blasting looks for a counterexample first, which it finds fast when the claim is false.
//
// A counterexample of the integer formula is translated back to bit-vector values and
// re-checked on the bit-vector claim before it is reported.
#ifndef DYSCO_PROOFS_INTEGER_CLAIM_H
#define DYSCO_PROOFS_INTEGER_CLAIM_H

#include "proof.h"

#include <string>
#include <utility>
#include <vector>

namespace dysco
{
namespace proofs
{

struct IntegerClaim
{
    std::string name;
    std::string statement;
    z3::expr hypothesis; ///< bit-vector formula
    z3::expr claim;      ///< bit-vector formula
    Shown shown;
    /// Bit-vector terms expected to be congruent modulo 0xFFFF (hints, each proved first).
    std::vector<std::pair<z3::expr, z3::expr>> congruences;
};

ProofResult ProveWithIntegers(const IntegerClaim& claim, const ProofOptions& options);

} // namespace proofs
} // namespace dysco

#endif
