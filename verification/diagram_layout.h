// Where the parts of a sequence chart go: one row per drawn event, in trace order, time
// flowing downward. Rows at the same time are one row-gap apart; a time step adds space that
// grows with the square root of its length (the median step gets a fixed amount), up to a
// cap, past which the axis shows a break (≈): the chart stays readable when a
// reconfiguration takes microseconds and the session seconds. The time axis labels each row
// whose time differs from the last with its time.
#ifndef DYSCO_VERIFY_DIAGRAM_LAYOUT_H
#define DYSCO_VERIFY_DIAGRAM_LAYOUT_H

#include "diagram_model.h"

#include <map>
#include <string>
#include <vector>

namespace dysco
{
namespace verify
{

struct ChartTick
{
    double y = 0;
    std::string label;        ///< "2.100 µs"
    bool breakBefore = false; ///< the step before this row was shortened
};

struct ChartLayout
{
    double width = 0;
    double height = 0;
    double headerY = 0; ///< top of the lifeline name boxes
    double lifelineTop = 0;
    double lifelineBottom = 0;
    double legendY = 0;
    double axisX = 0;
    std::vector<double> laneX;       ///< per lifeline
    std::map<uint32_t, double> rowY; ///< per drawn event index
    std::vector<ChartTick> ticks;
    std::string unit; ///< "ns", "µs", "ms" or "s"

    double Y(uint32_t event) const;
};

/// Approximate width in pixels of `text` at the chart's font size.
double TextWidth(const std::string& text);

ChartLayout LayoutChart(const Trace& trace, const SequenceChart& chart);

} // namespace verify
} // namespace dysco

#endif
