#include "beamer_install.h"

#include "ns3/dysco-helper.h"
#include "ns3/simulator.h"

namespace dyscosim
{

using namespace ns3;

namespace
{

void
ApplyMove(BeamerInstance* b, const BeamerMoveSpec* move)
{
    for (uint32_t bucket : move->buckets)
    {
        const bool moves = b->table->At(bucket).current != int(move->to);
        b->table->Move(bucket, int(move->to));
        b->bucketsMoved += moves ? 1 : 0;
    }
}

} // namespace

std::shared_ptr<BeamerInstance>
InstallBeamer(const Scenario& s, size_t lb, const AddressPlan& plan, const NodeContainer& nodes)
{
    const BeamerSpec& spec = s.nodes[lb].beamer;
    auto b = std::make_shared<BeamerInstance>();
    b->node = lb;
    std::vector<uint32_t> addresses;
    for (size_t backend : spec.backends)
    {
        addresses.push_back(plan.FirstAddress(backend));
    }
    b->table = std::make_shared<BeamerBucketTable>(plan.FirstAddress(lb), addresses, spec.buckets);
    b->mux = CreateObject<DyscoBeamerMux>();
    b->mux->SetTable(b->table);
    DyscoHelper::SetMiddlebox(nodes.Get(uint32_t(lb)), b->mux);
    for (size_t i = 0; i < spec.backends.size(); ++i)
    {
        Ptr<DyscoBeamerDaisy> daisy = CreateObject<DyscoBeamerDaisy>();
        daisy->SetTable(b->table, int(i));
        daisy->SetDaisyChaining(spec.daisyChaining);
        DyscoHelper::SetMiddlebox(nodes.Get(uint32_t(spec.backends[i])), daisy);
        b->daisies.push_back(daisy);
    }
    for (const BeamerMoveSpec& move : spec.moves)
    {
        Simulator::Schedule(Seconds(move.atS), &ApplyMove, b.get(), &move);
    }
    return b;
}

std::vector<size_t>
ServingHosts(const Scenario& s, size_t to)
{
    if (s.nodes[to].middlebox == MiddleboxKind::kBeamer)
    {
        return s.nodes[to].beamer.backends;
    }
    return {to};
}

MiddleboxResult
BeamerResult(const Scenario& s, const BeamerInstance& b)
{
    MiddleboxResult m;
    m.node = s.nodes[b.node].name;
    m.kind = ToString(MiddleboxKind::kBeamer);
    uint64_t forwarded = 0;
    for (const auto& d : b.daisies)
    {
        forwarded += d->GetDaisyForwardedCount();
    }
    m.counters = {{"buckets", b.table->BucketCount()},   {"state_bytes", b.table->StateBytes()},
                  {"steered", b.mux->GetSteeredCount()}, {"replies", b.mux->GetRepliesCount()},
                  {"buckets_moved", b.bucketsMoved},     {"daisy_forwarded", forwarded}};
    for (size_t i = 0; i < b.daisies.size(); ++i)
    {
        m.counters["sessions_at_" + s.nodes[s.nodes[b.node].beamer.backends[i]].name] =
            b.daisies[i]->GetSessionCount();
    }
    return m;
}

} // namespace dyscosim
