// Scan and Z3 must agree (same verdict, same first offending event) on synthetic traces:
// clean ones, ones with each kind of planted violation, and randomly mutated ones (seeded;
// DYSCO_TEST_SEED replays a run).
#include "synthetic.h"
#include "verify_test_util.h"

#include <random>

namespace dysco
{
namespace verify
{
namespace
{

Trace
Build(const SyntheticOptions& o, std::vector<Planted>* planted = nullptr)
{
    Synthetic s = GenerateSynthetic(o);
    if (planted)
    {
        *planted = s.planted;
    }
    return test::ToTrace(s.header, s.events);
}

TEST(Agreement, CleanSyntheticTracesPassBothWays)
{
    uint64_t seed = test::TestSeed(11);
    for (int shape = 0; shape < 4; ++shape)
    {
        SyntheticOptions o;
        o.seed = seed + shape;
        o.sessions = 6;
        o.chunks = 12;
        o.reconfigFraction = shape == 0 ? 0.0 : 1.0;
        o.contentionFraction = shape == 2 ? 1.0 : 0.0;
        o.abortFraction = shape == 3 ? 1.0 : 0.0;
        o.editFraction = 0.5;
        Trace t = Build(o);
        size_t violated = 0;
        EXPECT_EQ(test::Disagreements(t, &violated), std::vector<std::string>{}) << shape;
        EXPECT_EQ(violated, 0u) << "shape " << shape;
        CheckOptions co;
        co.full = true;
        CheckReport r = RunChecker(t, co);
        EXPECT_TRUE(r.pass) << r.ToText(t);
    }
}

TEST(Agreement, EveryPlantedViolationIsFoundAndZ3Agrees)
{
    uint64_t seed = test::TestSeed(23);
    for (size_t m = 0; m < kMutationCount; ++m)
    {
        const Mutation mut = Mutation(m);
        SCOPED_TRACE(MutationName(mut));
        SyntheticOptions o;
        o.seed = seed + m;
        o.sessions = 6;
        o.chunks = 12;
        o.reconfigFraction = 1.0;
        o.contentionFraction = mut == Mutation::kBothWin ? 1.0 : 0.0;
        o.abortFraction = mut == Mutation::kAbortNoCancel ? 1.0 : 0.0;
        o.editFraction = 0.3;
        for (uint32_t sid = 1; sid <= o.sessions; ++sid)
        {
            o.plant.push_back(Planted{sid, mut});
        }
        std::vector<Planted> planted;
        Trace t = Build(o, &planted);
        ASSERT_FALSE(planted.empty()) << "the mutation never applied";
        EXPECT_EQ(test::Disagreements(t), std::vector<std::string>{});
        // The targeted property fails in every session it was planted in.
        SessionIndex index(t);
        for (const Planted& p : planted)
        {
            for (size_t s = 0; s < index.Count(); ++s)
            {
                SessionView v = index.View(s);
                if (v.sid == p.session)
                {
                    ScanResult r = Properties()[size_t(MutationTarget(mut))].scan(t, v);
                    EXPECT_TRUE(r.Violated()) << "session " << p.session;
                }
            }
        }
        CheckReport r = RunChecker(t, CheckOptions{});
        EXPECT_FALSE(r.pass);
        EXPECT_EQ(r.status[size_t(MutationTarget(mut))], PropertyStatus::kFail);
        EXPECT_TRUE(r.disagreements.empty()) << r.ToText(t);
    }
}

/// Perturbs one random record; the result may be an invalid trace (the caller re-reads it).
void
Mutate(std::vector<Event>& ev, std::mt19937_64& rng)
{
    auto pick = [&](size_t n) { return size_t(rng() % n); };
    const uint32_t kDeltas[] = {1, 7, 1000, 0x7fffffff, 0x80000000u, 0xffffffffu};
    auto bump = [&](auto& field)
    {
        using T = std::remove_reference_t<decltype(field)>;
        field = T(field + T(kDeltas[pick(6)]));
    };
    size_t i = 1 + pick(ev.size() - 1); // keep the first S record
    Event& e = ev[i];
    switch (pick(6))
    {
    case 0:
        ev.erase(ev.begin() + long(i));
        return;
    case 1:
        ev.insert(ev.begin() + long(i), e);
        return;
    case 2:
    {
        // Move the record later, taking the time of its new place.
        size_t j = std::min(ev.size() - 1, i + 1 + pick(20));
        Event moved = ev[i];
        moved.timeNs = ev[j].timeNs;
        ev.erase(ev.begin() + long(i));
        ev.insert(ev.begin() + long(j), moved);
        return;
    }
    default:
        break;
    }
    if (auto* g = std::get_if<Segment>(&e.payload))
    {
        switch (pick(7))
        {
        case 0:
            bump(g->seq);
            break;
        case 1:
            bump(g->ack);
            break;
        case 2:
            bump(g->length);
            break;
        case 3:
            bump(g->tsEcr);
            break;
        case 4:
            g->flags ^= uint8_t(1u << pick(4));
            break;
        case 5:
            g->sackCount = 1;
            g->sack[0] = SackBlock{g->ack - uint32_t(pick(3000)), g->ack + uint32_t(pick(3000))};
            break;
        default:
            bump(g->tsVal);
            break;
        }
    }
    else if (auto* r = std::get_if<StreamRange>(&e.payload))
    {
        if (e.kind == EventKind::kRead)
        {
            switch (pick(3))
            {
            case 0:
                bump(r->offset);
                break;
            case 1:
                r->length = 1 + uint32_t(rng() % 3000);
                break;
            default:
                r->hash ^= 1ull << pick(64);
                break;
            }
        }
        else
        {
            r->hash ^= 1;
        }
    }
    else if (auto* l = std::get_if<LockChange>(&e.payload))
    {
        if (pick(2))
        {
            l->state = LockState(pick(3));
        }
        else
        {
            l->requestor = uint16_t(pick(18));
        }
    }
    else if (auto* p = std::get_if<PhaseChange>(&e.payload))
    {
        p->phase = Phase(1 + pick(9));
        if (p->phase == Phase::kTeardown)
        {
            p->phase = Phase::kDone;
        }
    }
    else if (auto* td = std::get_if<Teardown>(&e.payload))
    {
        switch (pick(4))
        {
        case 0:
            bump(td->oldSentAcked);
            break;
        case 1:
            bump(td->oldRcvd);
            break;
        case 2:
            td->hasFirstNewRcvd = !td->hasFirstNewRcvd;
            break;
        default:
            td->finOnOld = !td->finOnOld;
            break;
        }
    }
    else if (auto* c = std::get_if<Control>(&e.payload))
    {
        if (pick(2))
        {
            c->sent = !c->sent;
        }
        else
        {
            c->msg = ControlMsg(pick(10));
        }
    }
    else if (auto* cl = std::get_if<Close>(&e.payload))
    {
        cl->how = CloseHow(pick(3));
    }
}

TEST(Agreement, RandomMutationsNeverSplitScanAndZ3)
{
    uint64_t seed = test::TestSeed(97);
    std::mt19937_64 rng(seed);
    size_t valid = 0;
    size_t violatedPairs = 0;
    const int kTrials = 120;
    for (int trial = 0; trial < kTrials; ++trial)
    {
        SyntheticOptions o;
        o.seed = rng();
        o.sessions = 3;
        o.chunks = 8;
        o.reconfigFraction = 0.8;
        o.contentionFraction = 0.3;
        o.abortFraction = 0.3;
        o.editFraction = 0.3;
        Synthetic s = GenerateSynthetic(o);
        int mutations = 1 + int(rng() % 3);
        for (int k = 0; k < mutations; ++k)
        {
            Mutate(s.events, rng);
        }
        Trace t;
        std::string error;
        if (!TraceReader::Parse(FormatTrace(s.header, s.events), "fuzz", &t, &error))
        {
            continue; // the mutation broke the format itself: the reader's business
        }
        ++valid;
        EXPECT_EQ(test::Disagreements(t, &violatedPairs), std::vector<std::string>{})
            << "trial " << trial << " (seed " << seed << ")";
    }
    std::printf("%zu of %d mutated traces were valid; %zu (session, property) pairs violated\n",
                valid, kTrials, violatedPairs);
    // The fuzzing must actually reach both outcomes, or it proves little.
    EXPECT_GT(valid, size_t(kTrials / 3));
    EXPECT_GT(violatedPairs, size_t(kTrials / 4));
}

} // namespace
} // namespace verify
} // namespace dysco
