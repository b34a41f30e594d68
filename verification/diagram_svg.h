// The sequence chart as SVG 1.1, written by hand (no external tools): lifelines with their
// node names, control messages as arrows labelled with their names, lock bars and notes on
// the lifelines, path switches as bands, a time axis with event ids, marked events in red,
// and a legend. Every element carries its event ids (data-* attributes) and a tooltip.
#ifndef DYSCO_VERIFY_DIAGRAM_SVG_H
#define DYSCO_VERIFY_DIAGRAM_SVG_H

#include "diagram_layout.h"
#include "diagram_model.h"

#include <string>

namespace dysco
{
namespace verify
{

std::string RenderSvg(const Trace& trace, const SequenceChart& chart, const ChartLayout& layout);

/// Text with &, <, >, " and ' escaped for XML content and attribute values.
std::string XmlEscape(const std::string& text);

} // namespace verify
} // namespace dysco

#endif
