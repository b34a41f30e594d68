#include "diagram_layout.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace dysco
{
namespace verify
{

namespace
{

constexpr double kMargin = 20;
constexpr double kAxisWidth = 120;   ///< time labels and event ids left of the lifelines
constexpr double kHeaderHeight = 40; ///< title
constexpr double kBoxHeight = 34;    ///< lifeline name boxes
constexpr double kRowGap = 20;       ///< between rows at the same time
constexpr double kTypicalStep = 16;  ///< extra space for the median time step
constexpr double kMaxStep = 80;      ///< extra space cap; longer steps show a break
constexpr double kMinLane = 170;
constexpr double kMaxLane = 320;
constexpr double kLegendHeight = 70;
constexpr double kCharWidth = 6.3; ///< sans-serif at 11 px, average

/// Unit and decimals for the time labels.
void
ChooseUnit(uint64_t maxNs, uint64_t minStepNs, std::string* unit, double* scale, int* decimals)
{
    if (maxNs < 10000)
    {
        *unit = "ns";
        *scale = 1;
    }
    else if (maxNs < 10000000)
    {
        *unit = "µs";
        *scale = 1e3;
    }
    else if (maxNs < 10000000000ull)
    {
        *unit = "ms";
        *scale = 1e6;
    }
    else
    {
        *unit = "s";
        *scale = 1e9;
    }
    // Enough decimals to tell the closest two labelled times apart.
    *decimals = 0;
    if (minStepNs > 0)
    {
        const double step = double(minStepNs) / *scale;
        *decimals = std::clamp(int(std::ceil(-std::log10(step))), 0, 9);
    }
}

} // namespace

double
ChartLayout::Y(uint32_t event) const
{
    auto it = rowY.find(event);
    return it == rowY.end() ? lifelineBottom : it->second;
}

double
TextWidth(const std::string& text)
{
    // UTF-8 continuation bytes do not take space.
    size_t chars = 0;
    for (unsigned char ch : text)
    {
        chars += (ch & 0xC0) != 0x80 ? 1 : 0;
    }
    return double(chars) * kCharWidth;
}

ChartLayout
LayoutChart(const Trace& trace, const SequenceChart& chart)
{
    ChartLayout l;
    constexpr double kCaptionLine = 15;
    l.headerY = kMargin + kHeaderHeight + kCaptionLine * double(chart.captions.size());
    l.lifelineTop = l.headerY + kBoxHeight;
    l.axisX = kMargin + kAxisWidth - 10;

    // Lanes wide enough for the notes written to the right of each lifeline.
    double lane = kMinLane;
    for (const ChartNote& n : chart.notes)
    {
        lane = std::max(lane, TextWidth(n.text) + 40);
    }
    for (const ChartLifeline& f : chart.lifelines)
    {
        lane = std::max(lane, TextWidth(f.name + " (" + f.role + ")") + 30);
    }
    lane = std::min(lane, kMaxLane);
    for (size_t i = 0; i < chart.lifelines.size(); ++i)
    {
        l.laneX.push_back(kMargin + kAxisWidth + lane / 2 + double(i) * lane);
    }

    // Rows: the median positive time step gets kTypicalStep of extra space.
    std::vector<uint64_t> steps;
    for (size_t k = 1; k < chart.rows.size(); ++k)
    {
        const uint64_t dt =
            trace.events[chart.rows[k]].timeNs - trace.events[chart.rows[k - 1]].timeNs;
        if (dt > 0)
        {
            steps.push_back(dt);
        }
    }
    double pxPerNs = 0;
    if (!steps.empty())
    {
        std::vector<uint64_t> sorted = steps;
        std::nth_element(sorted.begin(), sorted.begin() + sorted.size() / 2, sorted.end());
        pxPerNs = 1 / double(sorted[sorted.size() / 2]); // steps in units of the median
    }
    const uint64_t maxNs = chart.rows.empty() ? 0 : trace.events[chart.rows.back()].timeNs;
    const uint64_t minStep = steps.empty() ? 0 : *std::min_element(steps.begin(), steps.end());
    double scale = 1;
    int decimals = 0;
    ChooseUnit(maxNs, minStep, &l.unit, &scale, &decimals);

    double y = l.lifelineTop + 30;
    uint64_t lastLabelled = 0;
    for (size_t k = 0; k < chart.rows.size(); ++k)
    {
        const uint64_t t = trace.events[chart.rows[k]].timeNs;
        bool shortened = false;
        if (k > 0)
        {
            const uint64_t dt = t - trace.events[chart.rows[k - 1]].timeNs;
            // Space grows with the square root of the step: a step 4x the median gets 2x
            // the space, so bursts and pauses both stay readable.
            const double extra = pxPerNs > 0 ? kTypicalStep * std::sqrt(double(dt) * pxPerNs) : 0;
            shortened = extra > kMaxStep;
            y += kRowGap + std::min(extra, kMaxStep);
        }
        l.rowY[chart.rows[k]] = y;
        if (k == 0 || t != lastLabelled)
        {
            char label[64];
            std::snprintf(label, sizeof label, "%.*f %s", decimals, double(t) / scale,
                          l.unit.c_str());
            l.ticks.push_back(ChartTick{y, label, shortened});
            lastLabelled = t;
        }
    }
    l.lifelineBottom = y + 30;
    l.legendY = l.lifelineBottom + 20;

    double right = l.laneX.empty() ? kMargin + kAxisWidth : l.laneX.back() + lane / 2;
    for (const std::string& caption : chart.captions)
    {
        right = std::max(right, kMargin + TextWidth(caption));
    }
    for (const ChartBand& b : chart.bands)
    {
        double left = right;
        for (size_t f : b.lifelines)
        {
            left = std::min(left, l.laneX[f]);
        }
        right = std::max(right, left + TextWidth(b.text) + 0.85 * TextWidth(b.detail) + 20);
    }
    l.width = std::max(right + kMargin, 760.0);
    l.height = l.legendY + kLegendHeight;
    return l;
}

} // namespace verify
} // namespace dysco
