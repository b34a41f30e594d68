#include "checker.h"

#include "property_clean_termination.h"
#include "property_lock_exclusive.h"
#include "property_no_data_loss.h"
#include "property_reconfig_terminates.h"
#include "property_seq_space.h"
#include "session_index.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <random>
#include <unordered_map>
#include <z3++.h>

namespace dysco
{
namespace verify
{

namespace
{

constexpr size_t kKeptViolationsPerProperty = 200;
constexpr size_t kKeptViolationsPerSession = 32;

const PropertyDef kProperties[kPropertyCount] = {
    {PropertyId::kNoDataLoss, &ScanNoDataLoss, &Z3NoDataLoss},
    {PropertyId::kSeqAckCorrect, &ScanSeqSpace, &Z3SeqSpace},
    {PropertyId::kLockExclusive, &ScanLockExclusive, &Z3LockExclusive},
    {PropertyId::kReconfigTerminates, &ScanReconfigTerminates, &Z3ReconfigTerminates},
    {PropertyId::kCleanTermination, &ScanCleanTermination, &Z3CleanTermination},
};

double
Since(std::chrono::steady_clock::time_point t0)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

Z3Result
RunZ3(z3::context& ctx, const PropertyDef& p, const Trace& trace, const SessionView& s,
      unsigned timeoutMs)
{
    try
    {
        return p.z3(ctx, trace, s, timeoutMs);
    }
    catch (const z3::exception& e)
    {
        Z3Result r;
        r.status = Z3Result::Status::kUnknown;
        r.detail = std::string("Z3 error: ") + e.msg();
        return r;
    }
}

} // namespace

const PropertyDef*
Properties()
{
    return kProperties;
}

bool
SessionCheck::Agree() const
{
    if (z3.status == Z3Result::Status::kUnknown)
    {
        return false;
    }
    bool z3Violated = z3.status == Z3Result::Status::kViolated;
    if (scan.Violated() != z3Violated)
    {
        return false;
    }
    return !z3Violated || z3.event == scan.FirstEvent();
}

SessionCheck
CheckSessionBothWays(z3::context& ctx, const Trace& trace, const SessionView& s, PropertyId p,
                     unsigned timeoutMs)
{
    const PropertyDef& def = kProperties[size_t(p)];
    SessionCheck c;
    c.scan = def.scan(trace, s);
    c.z3 = RunZ3(ctx, def, trace, s, timeoutMs);
    return c;
}

CheckReport
RunChecker(const Trace& trace, const CheckOptions& options)
{
    CheckReport report;
    report.events = trace.events.size();
    report.seed = options.seed;
    report.full = options.full;
    const auto t0 = std::chrono::steady_clock::now();

    SessionIndex index(trace);
    report.sessions = index.Count();
    std::array<bool, kPropertyCount> applicable{};
    // Scan results kept only for flagged (session, property) pairs.
    struct Flag
    {
        size_t session;
        size_t property;
        ScanResult scan;
        uint32_t first;
        size_t count;
    };
    std::vector<Flag> flags;
    std::vector<bool> flagged(index.Count(), false);
    for (size_t si = 0; si < index.Count(); ++si)
    {
        SessionView v = index.View(si);
        for (size_t p = 0; p < kPropertyCount; ++p)
        {
            ScanResult r = kProperties[p].scan(trace, v);
            applicable[p] = applicable[p] || r.applicable;
            if (r.Violated())
            {
                flagged[si] = true;
                uint32_t first = r.FirstEvent();
                // Keep the earliest few explanations; count them all.
                size_t count = r.violations.size();
                std::stable_sort(r.violations.begin(), r.violations.end(),
                                 [](const Violation& a, const Violation& b)
                                 { return a.event < b.event; });
                if (r.violations.size() > kKeptViolationsPerSession)
                {
                    r.violations.resize(kKeptViolationsPerSession);
                }
                flags.push_back(Flag{si, p, std::move(r), first, count});
            }
        }
    }
    report.scanSeconds = Since(t0);

    // Which sessions get Z3: all flagged, plus a seeded sample of the rest (or all).
    std::vector<size_t> z3Sessions;
    std::vector<size_t> unflagged;
    for (size_t si = 0; si < index.Count(); ++si)
    {
        (flagged[si] ? z3Sessions : unflagged).push_back(si);
    }
    report.flaggedSessions = z3Sessions.size();
    if (options.full)
    {
        report.sampledSessions = unflagged.size();
        z3Sessions.insert(z3Sessions.end(), unflagged.begin(), unflagged.end());
    }
    else
    {
        std::vector<size_t> sample;
        std::mt19937_64 rng(options.seed);
        if (options.sampleEvents == 0)
        {
            std::sample(unflagged.begin(), unflagged.end(), std::back_inserter(sample),
                        std::min(options.sample, unflagged.size()), rng);
        }
        else
        {
            std::shuffle(unflagged.begin(), unflagged.end(), rng);
            size_t events = 0;
            for (size_t si : unflagged)
            {
                const size_t n = index.View(si).Size();
                if (sample.size() < options.sample && events + n <= options.sampleEvents)
                {
                    sample.push_back(si);
                    events += n;
                }
            }
        }
        report.sampledSessions = sample.size();
        z3Sessions.insert(z3Sessions.end(), sample.begin(), sample.end());
    }
    std::sort(z3Sessions.begin(), z3Sessions.end());
    report.z3Sessions = z3Sessions.size();

    // Z3: a fresh context per batch (z3-notes.md: formulas pile up in a context).
    const auto t1 = std::chrono::steady_clock::now();
    std::vector<std::array<Z3Result, kPropertyCount>> z3Results(z3Sessions.size());
    std::unique_ptr<z3::context> ctx;
    for (size_t k = 0; k < z3Sessions.size(); ++k)
    {
        if (k % std::max<size_t>(1, options.batchSessions) == 0)
        {
            ctx.reset();
            ctx = std::make_unique<z3::context>();
        }
        SessionView v = index.View(z3Sessions[k]);
        for (size_t p = 0; p < kPropertyCount; ++p)
        {
            z3Results[k][p] = RunZ3(*ctx, kProperties[p], trace, v, options.z3TimeoutMs);
            ++report.z3Queries;
            if (z3Results[k][p].status == Z3Result::Status::kUnknown)
            {
                ++report.z3Unknown;
            }
        }
    }
    ctx.reset();
    report.z3Seconds = Since(t1);

    auto z3Of = [&](size_t si, size_t p) -> const Z3Result*
    {
        auto it = std::lower_bound(z3Sessions.begin(), z3Sessions.end(), si);
        if (it == z3Sessions.end() || *it != si)
        {
            return nullptr;
        }
        return &z3Results[size_t(it - z3Sessions.begin())][p];
    };

    // Violations from the scan, confirmed (or not) by Z3.
    std::array<size_t, kPropertyCount> kept{};
    for (Flag& f : flags)
    {
        const Z3Result* z = z3Of(f.session, f.property);
        const uint32_t first = f.first;
        report.violationCount[f.property] += f.count;
        for (auto& v : f.scan.violations)
        {
            if (kept[f.property]++ >= kKeptViolationsPerProperty)
            {
                break;
            }
            ReportedViolation rv;
            rv.line = trace.Line(v.event);
            rv.timeNs = trace.events[v.event].timeNs;
            rv.z3Checked = z != nullptr;
            if (z && z->status == Z3Result::Status::kViolated && z->event == first &&
                v.event == first)
            {
                rv.z3Confirmed = true;
                rv.z3Detail = z->detail;
            }
            rv.violation = std::move(v);
            report.violations.push_back(std::move(rv));
        }
    }
    // Agreement on every session Z3 saw.
    std::unordered_map<uint64_t, size_t> flagOf;
    for (size_t i = 0; i < flags.size(); ++i)
    {
        flagOf.emplace(uint64_t(flags[i].session) * kPropertyCount + flags[i].property, i);
    }
    for (size_t k = 0; k < z3Sessions.size(); ++k)
    {
        size_t si = z3Sessions[k];
        for (size_t p = 0; p < kPropertyCount; ++p)
        {
            const Z3Result& z = z3Results[k][p];
            if (z.status == Z3Result::Status::kUnknown)
            {
                continue;
            }
            auto fi = flagOf.find(uint64_t(si) * kPropertyCount + p);
            bool scanViolated = fi != flagOf.end();
            uint32_t scanFirst = scanViolated ? flags[fi->second].first : 0;
            bool z3Violated = z.status == Z3Result::Status::kViolated;
            if (scanViolated == z3Violated && (!z3Violated || scanFirst == z.event))
            {
                continue;
            }
            Disagreement d;
            d.property = PropertyId(p);
            d.session = index.View(si).sid;
            d.scanViolated = scanViolated;
            d.scanEvent = scanFirst;
            d.z3 = z;
            report.disagreements.push_back(d);
            if (z3Violated && !scanViolated)
            {
                // The specification found what the scan missed: it is a violation.
                ReportedViolation rv;
                rv.violation = Violation{PropertyId(p),
                                         d.session,
                                         z.event,
                                         {},
                                         "Z3 finds this event violates the property (the scan "
                                         "missed it): " +
                                             z.detail};
                rv.line = trace.Line(z.event);
                rv.timeNs = trace.events[z.event].timeNs;
                rv.z3Checked = true;
                rv.z3Confirmed = true;
                report.violations.push_back(std::move(rv));
                ++report.violationCount[p];
            }
        }
    }
    std::stable_sort(report.violations.begin(), report.violations.end(),
                     [](const ReportedViolation& a, const ReportedViolation& b)
                     { return a.violation.property < b.violation.property; });

    for (size_t p = 0; p < kPropertyCount; ++p)
    {
        if (report.violationCount[p])
        {
            report.status[p] = PropertyStatus::kFail;
        }
        else
        {
            report.status[p] =
                applicable[p] ? PropertyStatus::kPass : PropertyStatus::kNotApplicable;
        }
    }
    report.pass = report.disagreements.empty();
    for (size_t p = 0; p < kPropertyCount; ++p)
    {
        report.pass = report.pass && report.status[p] != PropertyStatus::kFail;
    }
    return report;
}

} // namespace verify
} // namespace dysco
