// Settings of a Beamer-style stateless load balancer node (`"middlebox": "beamer"`,
// scenarios/README.md): its bucket table and the bucket moves the run performs.
#ifndef DYSCOSIM_BEAMER_SPEC_H
#define DYSCOSIM_BEAMER_SPEC_H

#include <cstddef>
#include <cstdint>
#include <vector>

namespace dyscosim
{

/// At `atS`, `buckets` move to backend `to` (an index into BeamerSpec::backends).
struct BeamerMoveSpec
{
    double atS = 0;
    std::vector<uint32_t> buckets;
    size_t to = 0;
};

struct BeamerSpec
{
    uint32_t buckets = 0;
    std::vector<size_t> backends; ///< node indices; bucket b starts at backends[b % size]
    std::vector<BeamerMoveSpec> moves;
    bool daisyChaining = true; ///< false: the backends pass nothing on: old sessions break
};

} // namespace dyscosim

#endif
