#include "timing_summary.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

namespace dyscosim
{

namespace
{

double
Round6(double v)
{
    return std::round(v * 1e6) / 1e6;
}

/// Nearest-rank percentile of sorted values.
double
Percentile(const std::vector<double>& sorted, double p)
{
    size_t rank = size_t(std::ceil(p / 100.0 * double(sorted.size())));
    return sorted[std::min(sorted.size() - 1, rank > 0 ? rank - 1 : 0)];
}

std::string
Cell(double v, const char* format)
{
    if (v < 0)
    {
        return "";
    }
    char buf[32];
    std::snprintf(buf, sizeof(buf), format, v);
    return buf;
}

uint64_t
Total(const GoodputSample& g)
{
    uint64_t sum = 0;
    for (uint64_t b : g.bytesPerTraffic)
    {
        sum += b;
    }
    return sum;
}

double
SteadyGoodputBps(const std::vector<GoodputSample>& samples)
{
    if (samples.empty())
    {
        return 0;
    }
    const double total = double(Total(samples.back()));
    const GoodputSample* lo = nullptr;
    const GoodputSample* hi = nullptr;
    for (const auto& g : samples)
    {
        const double t = double(Total(g));
        if (!lo && t >= 0.1 * total)
        {
            lo = &g;
        }
        if (!hi && t >= 0.9 * total)
        {
            hi = &g;
        }
    }
    if (!lo || !hi || hi->timeS <= lo->timeS)
    {
        return 0;
    }
    return double(Total(*hi) - Total(*lo)) * 8 / (hi->timeS - lo->timeS);
}

} // namespace

double
SteadyCompletionRate(const RunResult& r)
{
    std::vector<double> done;
    for (const auto& s : r.sessions)
    {
        if (s.Completed() && SessionDoneS(s) >= 0)
        {
            done.push_back(SessionDoneS(s));
        }
    }
    if (done.size() < 10)
    {
        return 0;
    }
    std::sort(done.begin(), done.end());
    const size_t lo = done.size() / 10;
    const size_t hi = done.size() - 1 - done.size() / 10;
    return done[hi] > done[lo] ? double(hi - lo) / (done[hi] - done[lo]) : 0;
}

double
SessionDoneS(const SessionResult& s)
{
    if (!s.closed || s.closeTimeS < 0)
    {
        return -1;
    }
    if (s.reverseRequested == 0)
    {
        return s.closeTimeS;
    }
    return s.clientCloseS < 0 ? -1 : std::max(s.closeTimeS, s.clientCloseS);
}

nlohmann::ordered_json
TimingSummary(const RunResult& r)
{
    std::vector<double> connectMs;
    double firstStart = -1;
    double lastDone = -1;
    uint64_t delivered = 0;
    uint64_t completed = 0;
    for (const auto& s : r.sessions)
    {
        if (s.connectS >= 0)
        {
            connectMs.push_back((s.connectS - s.startS) * 1000);
        }
        firstStart = firstStart < 0 ? s.startS : std::min(firstStart, s.startS);
        lastDone = std::max(lastDone, SessionDoneS(s));
        delivered += s.bytesDelivered + s.reverseDelivered;
        completed += s.Completed() ? 1 : 0;
    }
    std::sort(connectMs.begin(), connectMs.end());
    nlohmann::ordered_json c = {{"count", connectMs.size()}};
    if (!connectMs.empty())
    {
        double sum = 0;
        for (double v : connectMs)
        {
            sum += v;
        }
        c["mean"] = Round6(sum / double(connectMs.size()));
        c["median"] = Round6(Percentile(connectMs, 50));
        c["p99"] = Round6(Percentile(connectMs, 99));
        c["min"] = Round6(connectMs.front());
        c["max"] = Round6(connectMs.back());
    }
    nlohmann::ordered_json j;
    j["connect_ms"] = c;
    j["first_start_s"] = Round6(firstStart);
    j["last_done_s"] = Round6(lastDone);
    const double span = lastDone > firstStart && firstStart >= 0 ? lastDone - firstStart : 0;
    j["goodput_bps"] = span > 0 ? std::round(double(delivered) * 8 / span) : 0.0;
    j["completed_per_s"] = span > 0 ? Round6(double(completed) / span) : 0.0;
    j["steady_goodput_bps"] = std::round(SteadyGoodputBps(r.goodput));
    j["steady_completed_per_s"] = Round6(SteadyCompletionRate(r));
    return j;
}

std::string
GoodputCsv(const RunResult& r)
{
    std::string out = "time_s";
    const size_t bundles = r.goodput.empty() ? 0 : r.goodput.front().bytesPerTraffic.size();
    for (size_t b = 0; b < bundles; ++b)
    {
        out += ",bundle" + std::to_string(b);
    }
    const size_t proxies = r.goodput.empty() ? 0 : r.goodput.front().proxyBusyS.size();
    for (size_t p = 0; p < proxies; ++p)
    {
        out += ",proxy" + std::to_string(p) + "_busy_s,proxy" + std::to_string(p) + "_relayed";
    }
    out += "\n";
    for (const auto& g : r.goodput)
    {
        out += Cell(g.timeS, "%.6f");
        for (uint64_t bytes : g.bytesPerTraffic)
        {
            out += "," + std::to_string(bytes);
        }
        for (size_t p = 0; p < g.proxyBusyS.size(); ++p)
        {
            out += "," + Cell(g.proxyBusyS[p], "%.6f") + "," + std::to_string(g.proxyRelayed[p]);
        }
        out += "\n";
    }
    return out;
}

std::string
TimingsCsv(const RunResult& r)
{
    std::string out = "stream_id,start_s,connect_ms,done_s\n";
    for (const auto& s : r.sessions)
    {
        out += std::to_string(s.streamId) + "," + Cell(s.startS, "%.6f") + "," +
               Cell(s.connectS >= 0 ? (s.connectS - s.startS) * 1000 : -1, "%.6f") + "," +
               Cell(SessionDoneS(s), "%.6f") + "\n";
    }
    return out;
}

} // namespace dyscosim
