#include "figure_fig14.h"

#include "campaign_merge.h"
#include "json_fields.h"
#include "summary.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace dyscosim
{

using nlohmann::json;

namespace
{

using Bins = std::vector<std::vector<double>>; // [bundle][bin] in Mbps

std::string
Num(double v, int digits = 4)
{
    char buf[40];
    std::snprintf(buf, sizeof(buf), "%.*g", digits, v);
    return buf;
}

/// A [from, to] window in seconds.
std::pair<double, double>
Window(const JsonObject& o, const json& doc, const std::string& key)
{
    const json& w = doc.contains(key) ? doc[key] : json();
    if (!w.is_array() || w.size() != 2 || !w[0].is_number() || !w[1].is_number() ||
        w[0].get<double>() < 0 || w[1].get<double>() <= w[0].get<double>())
    {
        o.Fail(key, "expected [from_s, to_s] with 0 <= from_s < to_s");
    }
    return {w[0].get<double>(), w[1].get<double>()};
}

/// The key of a series' bins: the series, plus the point when the campaign has several.
std::string
BinsKey(const CampaignSpec& spec, const JobSpec& job)
{
    return spec.points.size() == 1 ? job.series : job.series + "-" + job.point.xText;
}

/// Mean of the bins whose start lies in [from, to).
double
MeanIn(const std::vector<double>& bins, double binS, double from, double to)
{
    double sum = 0;
    size_t n = 0;
    for (size_t i = 0; i < bins.size(); ++i)
    {
        const double t = double(i) * binS;
        if (t >= from - 1e-9 && t < to - 1e-9)
        {
            sum += bins[i];
            ++n;
        }
    }
    return n ? sum / double(n) : 0;
}

/// Smallest bin whose start lies in [from, to).
double
MinIn(const std::vector<double>& bins, double binS, double from, double to)
{
    double least = INFINITY;
    for (size_t i = 0; i < bins.size(); ++i)
    {
        const double t = double(i) * binS;
        if (t >= from - 1e-9 && t < to - 1e-9)
        {
            least = std::min(least, bins[i]);
        }
    }
    return std::isfinite(least) ? least : 0;
}

/// goodput.csv (time_s, then cumulative bytes per bundle) cut into bins of binS, in Mbps.
Bins
ReadBins(const std::string& file, double binS)
{
    std::ifstream in(file);
    std::string line;
    if (!std::getline(in, line))
    {
        return {};
    }
    const size_t columns = size_t(std::count(line.begin(), line.end(), ',')) + 1;
    if (columns < 2 || line.rfind("time_s,", 0) != 0)
    {
        throw MergeError(file + ": expected a header time_s,bundle0,..., got \"" + line + "\"");
    }
    Bins bins(columns - 1);
    std::vector<double> lastEdge(columns - 1, 0); // cumulative bytes at the open bin's start
    std::vector<double> last(columns - 1, 0);
    size_t bin = 0;
    size_t row = 1;
    while (std::getline(in, line))
    {
        ++row;
        std::stringstream ss(line);
        std::string cell;
        std::vector<double> cells;
        while (std::getline(ss, cell, ','))
        {
            try
            {
                cells.push_back(std::stod(cell));
            }
            catch (const std::exception&)
            {
                throw MergeError(file + ": line " + std::to_string(row) + ": not a number: \"" +
                                 cell + "\"");
            }
        }
        if (cells.size() != columns)
        {
            throw MergeError(file + ": line " + std::to_string(row) + ": expected " +
                             std::to_string(columns) + " cells");
        }
        for (size_t b = 0; b + 1 < columns; ++b)
        {
            last[b] = cells[b + 1];
        }
        // The sample at a bin's end (bytes delivered by then) closes that bin.
        while (cells[0] >= double(bin + 1) * binS - 1e-9)
        {
            for (size_t b = 0; b + 1 < columns; ++b)
            {
                bins[b].push_back((last[b] - lastEdge[b]) * 8 / binS / 1e6);
                lastEdge[b] = last[b];
            }
            ++bin;
        }
    }
    return bins;
}

} // namespace

json
ParseBundlesSpec(const JsonObject& top, const json& doc)
{
    if (!top.Has("bundles"))
    {
        top.Fail("bundles", "a \"bundles\" plot needs {\"bin_s\", \"migration_s\", \"before_s\", "
                            "\"after_s\", \"dip_s\"}");
    }
    JsonObject o(top.File(), top.PathOf("bundles"), doc["bundles"],
                 "an object {file, bin_s, migration_s, before_s, after_s, dip_s, moved, label}");
    o.AllowOnly({"file", "bin_s", "migration_s", "before_s", "after_s", "dip_s", "moved", "label"});
    json b;
    b["file"] = o.String("file", "a per-run CSV file", "goodput.csv");
    b["bin_s"] = o.Number("bin_s", 0.01, 100, false, "a bin width in seconds (>= 0.01)");
    b["migration_s"] = o.Number("migration_s", 0, 1e6, false, "the migration's time in seconds");
    for (const char* w : {"before_s", "after_s", "dip_s"})
    {
        const auto [from, to] = Window(o, doc["bundles"], w);
        b[w] = {from, to};
    }
    b["moved"] = o.Unsigned("moved", 0, 1000, "the moved bundle's index", 0);
    b["label"] = o.String("label", "an axis label", "goodput (Mbps)");
    return b;
}

void
ReadBundleGoodput(const CampaignSpec& spec, const JobSpec& job,
                  std::map<std::string, std::vector<double>>* values,
                  std::map<std::string, std::vector<Bins>>* bins)
{
    const json& b = spec.bundles;
    const double binS = b["bin_s"].get<double>();
    const Bins run = ReadBins(job.dir + "/" + b["file"].get<std::string>(), binS);
    if (run.empty())
    {
        return;
    }
    const size_t moved = b["moved"].get<size_t>();
    double stayedAfter = 0;
    for (size_t i = 0; i < run.size(); ++i)
    {
        const std::string name = "bundle" + std::to_string(i);
        const double before = MeanIn(run[i], binS, b["before_s"][0], b["before_s"][1]);
        const double after = MeanIn(run[i], binS, b["after_s"][0], b["after_s"][1]);
        const double low = MinIn(run[i], binS, b["dip_s"][0], b["dip_s"][1]);
        (*values)[name + "_before_mbps"].push_back(before);
        (*values)[name + "_after_mbps"].push_back(after);
        (*values)[name + "_dip_pct"].push_back(before > 0 ? 100 * (before - low) / before : 0);
        stayedAfter += i == moved ? 0 : after / double(run.size() - 1);
    }
    if (moved < run.size() && run.size() > 1 && stayedAfter > 0)
    {
        const double after = MeanIn(run[moved], binS, b["after_s"][0], b["after_s"][1]);
        (*values)["moved_vs_stayed"].push_back(after / stayedAfter);
    }
    (*bins)[BinsKey(spec, job)].push_back(run);
}

json
MeanBundleGoodput(const CampaignSpec& spec, const std::map<std::string, std::vector<Bins>>& bins)
{
    json out = json::object();
    const double binS = spec.bundles["bin_s"].get<double>();
    for (const auto& [key, runs] : bins)
    {
        size_t bundles = 0;
        size_t length = 0;
        for (const auto& run : runs)
        {
            bundles = std::max(bundles, run.size());
            for (const auto& series : run)
            {
                length = std::max(length, series.size());
            }
        }
        // A run whose file ended earlier delivered nothing after: its missing bins count 0.
        std::vector<std::vector<double>> mean(bundles, std::vector<double>(length, 0));
        for (const auto& run : runs)
        {
            for (size_t i = 0; i < run.size(); ++i)
            {
                for (size_t k = 0; k < run[i].size(); ++k)
                {
                    mean[i][k] += run[i][k] / double(runs.size());
                }
            }
        }
        std::vector<double> time;
        for (size_t k = 0; k < length; ++k)
        {
            time.push_back(double(k) * binS); // bins are plotted at their start
        }
        out[key] = {{"time_s", time}, {"mbps", mean}, {"runs", runs.size()}};
    }
    return out;
}

void
WriteBundleGoodputCsv(const MergeResult& m, const std::string& dir)
{
    for (const auto& [key, data] : m.bundles.items())
    {
        const auto& mbps = data["mbps"];
        std::string csv = "time_s";
        for (size_t i = 0; i < mbps.size(); ++i)
        {
            csv += ",bundle" + std::to_string(i) + "_mbps";
        }
        csv += "\n";
        for (size_t k = 0; k < data["time_s"].size(); ++k)
        {
            csv += Num(data["time_s"][k].get<double>(), 10);
            for (const auto& bundle : mbps)
            {
                csv += "," + Num(bundle[k].get<double>(), 6);
            }
            csv += "\n";
        }
        WriteTextFile(dir + "/goodput_" + key + ".csv", csv);
    }
}

std::string
BundleGoodputGnuplot(const CampaignSpec& spec, const MergeResult& m, const std::string& dir,
                     std::vector<std::string>* plots)
{
    const json& b = spec.bundles;
    const double at = b["migration_s"].get<double>();
    std::string gp = "set xlabel 'time (s)'\nset ylabel '" + b["label"].get<std::string>() +
                     "'\nset yrange [0:*]\nset datafile separator ','\n"
                     "set arrow from " +
                     Num(at, 10) + ", graph 0 to " + Num(at, 10) +
                     ", graph 1 nohead dt 2 lw 2 lc rgb 'gray40'\n"
                     "set label 'migration' at " +
                     Num(at, 10) + ", graph 0.97 offset 0.5,0\n";
    const size_t moved = b["moved"].get<size_t>();
    for (const auto& [key, data] : m.bundles.items())
    {
        for (size_t i = 0; i < data["mbps"].size(); ++i)
        {
            const std::string title = (m.bundles.size() > 1 ? key + " " : std::string()) +
                                      "bundle " + std::to_string(i + 1) +
                                      (i == moved ? " (moved fw1 -> fw2)" : " (stays on fw1)");
            // Bins are drawn as steps over their interval.
            plots->push_back("'" + dir + "/goodput_" + key +
                             ".csv' using 1:" + std::to_string(i + 2) +
                             " every ::1 with fsteps lw 2 title '" + title + "'");
        }
    }
    return gp;
}

std::string
BundleGoodputTable(const CampaignSpec& spec, const MergeResult& m)
{
    const json& b = spec.bundles;
    auto window = [](const json& w)
    { return Num(w[0].get<double>()) + "–" + Num(w[1].get<double>()) + " s"; };
    std::string md =
        "## Goodput per bundle (mean ± 95 % CI over seeds)\n\nBefore: " + window(b["before_s"]) +
        "; after: " + window(b["after_s"]) + "; dip: the lowest " + Num(b["bin_s"].get<double>()) +
        " s bin in " + window(b["dip_s"]) + " below the bundle's mean before (0 % = none). " +
        "Per bin: `goodput_<series>.csv`.\n\n"
        "| series | x | bundle | before Mbps | after Mbps | dip % |\n"
        "|---|---|---|---|---|---|\n";
    const size_t moved = b["moved"].get<size_t>();
    for (const auto& p : m.points)
    {
        for (size_t i = 0;; ++i)
        {
            const std::string name = "bundle" + std::to_string(i);
            if (!p.metrics.count(name + "_before_mbps"))
            {
                break;
            }
            md += "| " + p.series + " | " + p.xText + " | " + std::to_string(i + 1) +
                  (i == moved ? " (moved)" : "") + " |";
            for (const char* what : {"_before_mbps", "_after_mbps", "_dip_pct"})
            {
                const Stat& s = p.metrics.at(name + what);
                md += " " + Num(s.mean) + " ± " + Num(s.ci95, 2) + " |";
            }
            md += "\n";
        }
    }
    return md + "\n";
}

} // namespace dyscosim
