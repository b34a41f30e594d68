#include "figure_timeseries.h"

#include "summary.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <sys/wait.h>

namespace dyscosim
{

using nlohmann::json;

namespace
{

std::string
Num(double v)
{
    char buf[40];
    std::snprintf(buf, sizeof(buf), "%.6g", v);
    return buf;
}

/// A gnuplot single-quoted string ('' is a quote inside).
std::string
Quote(const std::string& s)
{
    std::string q = "'";
    for (char c : s)
    {
        q += c == '\'' ? std::string("''") : std::string(1, c);
    }
    return q + "'";
}

std::vector<std::string>
SplitCsv(const std::string& line)
{
    std::vector<std::string> cells;
    std::stringstream ss(line);
    std::string c;
    while (std::getline(ss, c, ','))
    {
        cells.push_back(c);
    }
    return cells;
}

/// Mean of v over the bins lying wholly inside [from, to); NaN if none.
double
Mean(const std::vector<double>& v, double binS, double from, double to)
{
    double sum = 0;
    size_t n = 0;
    for (size_t i = 0; i < v.size(); ++i)
    {
        const double lo = double(i) * binS;
        if (lo >= from - 1e-9 && lo + binS <= to + 1e-9)
        {
            sum += v[i];
            ++n;
        }
    }
    return n ? sum / double(n) : NAN;
}

/// The splice times a run's scenario scheduled: its proxies' splice_at, or the first
/// session's start plus splice_after_s.
std::vector<double>
Marks(const json& scenario)
{
    std::vector<double> marks;
    for (const auto& n : scenario.value("nodes", json::array()))
    {
        const json p = n.value("proxy", json::object());
        for (const auto& s : p.value("splice_at", json::array()))
        {
            marks.push_back(s.value("at_s", 0.0));
        }
        if (p.value("splice_after_s", 0.0) > 0 && !scenario.value("traffic", json()).empty())
        {
            marks.push_back(scenario["traffic"][0].value("start_s", 0.0) +
                            p["splice_after_s"].get<double>());
        }
    }
    std::sort(marks.begin(), marks.end());
    return marks;
}

std::string
ReadText(const std::string& path)
{
    std::ifstream in(path);
    if (!in)
    {
        throw MergeError(path + ": cannot read the file");
    }
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

} // namespace

BinnedRun
BinGoodput(const std::string& csv, double binS, const std::string& what)
{
    std::stringstream in(csv);
    std::string line;
    if (!std::getline(in, line) || line.rfind("time_s", 0) != 0)
    {
        throw MergeError(what + ": expected a goodput.csv header starting with time_s");
    }
    const auto header = SplitCsv(line);
    std::vector<size_t> bundleCols;
    size_t busyCol = 0;
    size_t relayedCol = 0;
    for (size_t c = 1; c < header.size(); ++c)
    {
        if (header[c].rfind("bundle", 0) == 0)
        {
            bundleCols.push_back(c);
        }
        else if (header[c] == "proxy0_busy_s")
        {
            busyCol = c;
        }
        else if (header[c] == "proxy0_relayed")
        {
            relayedCol = c;
        }
    }
    // Cumulative values at each bin edge: the last sample at or before it.
    std::vector<std::vector<double>> edges; // [edge][column]
    std::vector<double> last(header.size(), 0.0);
    edges.push_back(last);
    size_t lineNo = 1;
    while (std::getline(in, line))
    {
        ++lineNo;
        if (line.empty())
        {
            continue;
        }
        const auto cells = SplitCsv(line);
        if (cells.size() != header.size())
        {
            throw MergeError(what + ":" + std::to_string(lineNo) + ": expected " +
                             std::to_string(header.size()) + " columns");
        }
        std::vector<double> row(cells.size());
        for (size_t c = 0; c < cells.size(); ++c)
        {
            row[c] = std::strtod(cells[c].c_str(), nullptr);
        }
        while (row[0] > double(edges.size()) * binS + 1e-9)
        {
            edges.push_back(last); // an edge passed: the previous sample holds at it
        }
        last = row;
    }
    edges.push_back(last);
    BinnedRun r;
    r.binS = binS;
    const size_t bins = edges.size() - 1;
    r.bundles.assign(bundleCols.size(), std::vector<double>(bins, 0));
    r.total.assign(bins, 0);
    r.proxyCpu.assign(bins, 0);
    r.proxyMbps.assign(bins, 0);
    for (size_t i = 0; i < bins; ++i)
    {
        for (size_t b = 0; b < bundleCols.size(); ++b)
        {
            const size_t c = bundleCols[b];
            r.bundles[b][i] = (edges[i + 1][c] - edges[i][c]) * 8 / binS / 1e6;
            r.total[i] += r.bundles[b][i];
        }
        if (busyCol)
        {
            r.proxyCpu[i] = (edges[i + 1][busyCol] - edges[i][busyCol]) / binS;
            r.proxyMbps[i] = (edges[i + 1][relayedCol] - edges[i][relayedCol]) * 8 / binS / 1e6;
        }
    }
    return r;
}

std::map<std::string, double>
WindowMetrics(const BinnedRun& r, double windowS)
{
    std::map<std::string, double> out;
    if (r.marks.empty())
    {
        return out;
    }
    const double w = windowS;
    const double first = r.marks.front();
    const double lastMark = r.marks.back();
    const double before = Mean(r.total, r.binS, first - w, first);
    const double after = Mean(r.total, r.binS, lastMark + w / 4, lastMark + w);
    out["total_before_mbps"] = before;
    out["total_after_mbps"] = after;
    out["gain"] = after / before;
    out["proxy_cpu_before"] = Mean(r.proxyCpu, r.binS, first - w, first);
    out["proxy_cpu_after"] = Mean(r.proxyCpu, r.binS, lastMark + w / 4, lastMark + w);
    out["proxy_mbps_before"] = Mean(r.proxyMbps, r.binS, first - w, first);
    out["proxy_mbps_after"] = Mean(r.proxyMbps, r.binS, lastMark + w / 4, lastMark + w);
    double dip = INFINITY;
    for (size_t i = 0; i < r.total.size(); ++i)
    {
        const double lo = double(i) * r.binS;
        if (lo >= first - 1e-9 && lo + r.binS <= first + w + 1e-9)
        {
            dip = std::min(dip, r.total[i]);
        }
    }
    out["dip_pct"] = std::isfinite(dip) ? 100 * dip / before : NAN;
    if (r.marks.size() == r.bundles.size() && r.bundles.size() > 1)
    {
        double minGain = INFINITY;
        for (size_t k = 0; k < r.bundles.size(); ++k)
        {
            const double m = r.marks[k];
            const double pre = Mean(r.bundles[k], r.binS, m - w, m);
            const double post = Mean(r.bundles[k], r.binS, m + w / 4, m + w);
            out["bundle" + std::to_string(k) + "_gain"] = post / pre;
            minGain = std::min(minGain, post / pre);
        }
        out["min_bundle_gain"] = minGain;
    }
    return out;
}

void
AddTimeseries(const CampaignSpec& spec, const std::vector<JobSpec>& jobs, const std::string& dir,
              MergeResult* m)
{
    if (spec.plot != "timeseries")
    {
        return;
    }
    const json ts = spec.raw.value("timeseries", json::object());
    const json bySeries = ts.value("bin_s_by_series", json::object());
    for (const auto& series : spec.series)
    {
        const double binS = bySeries.value(series.name, ts.value("bin_s", 1.0));
        std::vector<BinnedRun> runs;
        for (const auto& job : jobs)
        {
            if (job.series != series.name || !std::ifstream(job.dir + "/goodput.csv"))
            {
                continue;
            }
            BinnedRun r =
                BinGoodput(ReadText(job.dir + "/goodput.csv"), binS, job.dir + "/goodput.csv");
            r.marks = Marks(json::parse(ReadText(job.scenario)));
            // Default window: the spacing of the splices, or half the time before a single one.
            const double spacing = r.marks.size() > 1 ? r.marks[1] - r.marks[0]
                                   : r.marks.empty()  ? 1.0
                                                      : r.marks[0] / 2;
            for (const auto& [name, v] : WindowMetrics(r, ts.value("window_s", spacing)))
            {
                for (auto& p : m->points)
                {
                    if (p.series == job.series && p.x == job.point.x && std::isfinite(v))
                    {
                        auto& st = p.metrics[name];
                        auto vals = st.values;
                        vals.push_back(v);
                        st = MakeStat(vals);
                    }
                }
            }
            runs.push_back(std::move(r));
        }
        if (runs.empty())
        {
            continue;
        }
        // Mean over seeds per bin (runs of one series share the scenario's timeline).
        size_t bins = runs.front().total.size();
        for (const auto& r : runs)
        {
            bins = std::min(bins, r.total.size());
        }
        const size_t bundles = runs.front().bundles.size();
        std::string csv = "time_s";
        for (size_t b = 0; b < bundles; ++b)
        {
            csv += ",bundle" + std::to_string(b) + "_mbps";
        }
        csv += ",total_mbps,proxy_cpu,proxy_relay_mbps\n";
        for (size_t i = 0; i < bins; ++i)
        {
            auto mean = [&](auto get)
            {
                double s = 0;
                for (const auto& r : runs)
                {
                    s += get(r);
                }
                return s / double(runs.size());
            };
            csv += Num((double(i) + 0.5) * binS);
            for (size_t b = 0; b < bundles; ++b)
            {
                csv += "," + Num(mean([&](const BinnedRun& r) { return r.bundles[b][i]; }));
            }
            csv += "," + Num(mean([&](const BinnedRun& r) { return r.total[i]; })) + "," +
                   Num(mean([&](const BinnedRun& r) { return r.proxyCpu[i]; })) + "," +
                   Num(mean([&](const BinnedRun& r) { return r.proxyMbps[i]; })) + "\n";
        }
        WriteTextFile(dir + "/timeseries_" + series.name + ".csv", csv);
        std::string marks;
        for (double t : runs.front().marks)
        {
            marks += Num(t) + "\n";
        }
        WriteTextFile(dir + "/marks_" + series.name + ".txt", marks);
    }
    WriteMerged(spec, *m, dir);
}

bool
WriteTimeseriesPlot(const CampaignSpec& spec, const std::string& dir, ReportInfo* info)
{
    std::string gp = "set terminal png size 1000,760 font ',11'\nset output " +
                     Quote(dir + "/" + spec.name + ".png") +
                     "\nset datafile separator ','\nset key outside right top\nset grid\n"
                     "set multiplot layout 2,1 title " +
                     Quote(spec.title) + "\n";
    std::string top;
    std::string bottom;
    std::string arrows;
    for (const auto& series : spec.series)
    {
        const std::string file = dir + "/timeseries_" + series.name + ".csv";
        std::ifstream in(file);
        std::string header;
        if (!in || !std::getline(in, header))
        {
            continue;
        }
        const auto cols = SplitCsv(header);
        const bool several = spec.series.size() > 1;
        for (size_t c = 1; c < cols.size(); ++c)
        {
            const bool bundle = cols[c].rfind("bundle", 0) == 0;
            const bool total = cols[c] == "total_mbps";
            // One series: each bundle and the total; several: each series' total.
            if ((!several && (bundle || total)) || (several && total))
            {
                const std::string title =
                    several ? series.name : (total ? std::string("all") : cols[c].substr(0, 7));
                top += (top.empty() ? "" : ", \\\n     ") + Quote(file) +
                       " using 1:" + std::to_string(c + 1) + " every ::1 with lines lw 2 title " +
                       Quote(title);
            }
            if (cols[c] == "proxy_relay_mbps")
            {
                bottom += (bottom.empty() ? "" : ", \\\n     ") + Quote(file) +
                          " using 1:" + std::to_string(c + 1) +
                          " every ::1 with lines lw 2 title " +
                          Quote(several ? series.name : "relayed");
            }
        }
        std::ifstream marks(dir + "/marks_" + series.name + ".txt");
        std::string t;
        while (std::getline(marks, t))
        {
            arrows += "set arrow from " + t + ", graph 0 to " + t +
                      ", graph 1 nohead dt 2 lc rgb 'gray40'\n";
        }
    }
    if (top.empty())
    {
        info->plotError = "nothing to plot";
        return false;
    }
    gp += arrows +
          "set ylabel 'goodput (Mbps)'\nset xlabel 'time (s); dashed: proxy splices out'\n" +
          "plot " + top + "\n";
    gp += "set ylabel 'proxy work: relayed (Mbps)'\nplot " + bottom + "\nunset multiplot\n";
    const std::string script = dir + "/" + spec.name + ".gp";
    WriteTextFile(script, gp);
    const std::string cmd = "gnuplot " + Quote(script) + " 2>" + Quote(dir + "/gnuplot.log");
    const int rc = std::system(cmd.c_str());
    if (rc != 0)
    {
        info->plotError = "gnuplot failed (exit " + std::to_string(WEXITSTATUS(rc)) + "; see " +
                          dir + "/gnuplot.log; Debian package gnuplot-nox)";
        return false;
    }
    return true;
}

} // namespace dyscosim
