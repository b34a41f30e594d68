#include "diagram_svg.h"

#include "trace_dump.h"

#include <cstdio>
#include <sstream>

namespace dysco
{
namespace verify
{

namespace
{

// Red is kept for marked events only; the paper's red/blue for old/new path become the
// message colours below and the blue new-path band.
constexpr const char* kStyle = R"(
    text { font-family: sans-serif; font-size: 11px; fill: #222; }
    .title { font-size: 14px; font-weight: bold; }
    .axis { stroke: #999; }
    .tick { fill: #555; text-anchor: end; }
    .eid { fill: #999; font-size: 9px; }
    .break { fill: #999; font-size: 13px; }
    .box { fill: #f4f4f4; stroke: #555; }
    .name { font-weight: bold; text-anchor: middle; }
    .role { fill: #666; text-anchor: middle; font-size: 10px; }
    .lifeline { stroke: #888; stroke-dasharray: 5 4; }
    .msg line { stroke-width: 1.4; }
    .lock line { stroke: #1f3a93; } .lock text { fill: #1f3a93; }
    .deny line { stroke: #7b3fa0; } .deny text { fill: #7b3fa0; }
    .other line { stroke: #2e7d32; } .other text { fill: #2e7d32; }
    .lost line { stroke-dasharray: 3 3; }
    .bar-lockPending { fill: #f7d774; stroke: #b08900; }
    .bar-locked { fill: #f0a030; stroke: #a05a00; }
    .note-lock { fill: #8a5a00; }
    .note-phase { fill: #1f3a93; }
    .note-request { font-weight: bold; }
    .note-success { fill: #2e7d32; font-weight: bold; }
    .note-failure { fill: #a04000; font-weight: bold; }
    .note-lifecycle, .note-data { fill: #777; }
    .dot { fill: #555; }
    .band-newpath line { stroke: #1565c0; stroke-width: 4; stroke-opacity: 0.55; }
    .band-newpath text { fill: #1565c0; font-weight: bold; }
    .band-newpath circle { fill: #1565c0; }
    .band-teardown line { stroke: #555; stroke-width: 3; stroke-dasharray: 8 4; }
    .band-teardown text { fill: #444; }
    .band-teardown circle { fill: #555; }
    .detail { font-size: 9px; font-weight: normal; fill: #666; }
    .stripe { fill: #ffe3e3; }
    .marked line { stroke: #d00000 !important; stroke-width: 2.2; }
    .marked text, text.marked { fill: #d00000 !important; font-weight: bold; }
    .marked circle, circle.marked { fill: #d00000 !important; }
    .legend text { fill: #444; }
)";

std::string
Num(double v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", v);
    return buf;
}

std::string
Id(uint32_t index)
{
    return index == kNoEvent ? "" : std::to_string(index + 1);
}

const char*
MessageClass(ControlMsg m)
{
    switch (m)
    {
    case ControlMsg::kRequestLock:
    case ControlMsg::kAckLock:
        return "lock";
    case ControlMsg::kNackLock:
    case ControlMsg::kCancelLock:
    case ControlMsg::kAckCancel:
        return "deny";
    default:
        return "other";
    }
}

const char*
NoteClass(NoteStyle s)
{
    switch (s)
    {
    case NoteStyle::kLock:
        return "note-lock";
    case NoteStyle::kPhase:
        return "note-phase";
    case NoteStyle::kRequest:
        return "note-request";
    case NoteStyle::kSuccess:
        return "note-success";
    case NoteStyle::kFailure:
        return "note-failure";
    case NoteStyle::kLifecycle:
        return "note-lifecycle";
    case NoteStyle::kData:
        return "note-data";
    }
    return "";
}

class Svg
{
public:
    Svg(const Trace& trace, const SequenceChart& chart, const ChartLayout& layout)
        : m_trace(trace)
        , m_chart(chart)
        , m_layout(layout)
    {
    }

    std::string Render()
    {
        const ChartLayout& l = m_layout;
        m_out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
              << "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\""
              << Num(l.width) << "\" height=\"" << Num(l.height) << "\" viewBox=\"0 0 "
              << Num(l.width) << " " << Num(l.height) << "\">\n"
              << "<title>" << XmlEscape(m_chart.title) << "</title>\n"
              << "<style>" << kStyle << "</style>\n";
        Defs();
        m_out << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
        m_out << "<text class=\"title\" x=\"20\" y=\"30\">" << XmlEscape(m_chart.title)
              << "</text>\n";
        m_out << "<text class=\"role\" x=\"20\" y=\"46\" style=\"text-anchor:start\">"
              << XmlEscape(m_trace.source) << "</text>\n";
        for (size_t i = 0; i < m_chart.captions.size(); ++i)
        {
            m_out << "<text class=\"caption marked\" x=\"20\" y=\"" << Num(64 + 15 * double(i))
                  << "\">" << XmlEscape(m_chart.captions[i]) << "</text>\n";
        }
        Stripes();
        Axis();
        Lifelines();
        Bars();
        Bands();
        Messages();
        Notes();
        Legend();
        m_out << "</svg>\n";
        return m_out.str();
    }

private:
    void Defs()
    {
        m_out << "<defs>\n";
        const std::pair<const char*, const char*> heads[] = {{"head-lock", "#1f3a93"},
                                                             {"head-deny", "#7b3fa0"},
                                                             {"head-other", "#2e7d32"},
                                                             {"head-marked", "#d00000"}};
        for (const auto& [id, colour] : heads)
        {
            m_out << "<marker id=\"" << id << "\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" "
                  << "markerWidth=\"8\" markerHeight=\"8\" orient=\"auto\">"
                  << "<path d=\"M0,0 L10,5 L0,10 z\" fill=\"" << colour << "\"/></marker>\n";
        }
        m_out << "</defs>\n";
    }

    /// Light red stripes behind marked rows, and the event id of each row by the axis.
    void Stripes()
    {
        const ChartLayout& l = m_layout;
        for (uint32_t e : m_chart.rows)
        {
            const double y = l.Y(e);
            const bool marked = m_chart.marked.count(e) > 0;
            if (marked)
            {
                m_out << "<rect class=\"stripe\" x=\"" << Num(l.axisX + 2) << "\" y=\""
                      << Num(y - 9) << "\" width=\"" << Num(l.width - l.axisX - 22)
                      << "\" height=\"18\"/>\n";
            }
            m_out << "<text class=\"eid" << (marked ? " marked" : "") << "\" x=\""
                  << Num(l.axisX + 6) << "\" y=\"" << Num(y + 3) << "\">#" << Id(e) << "</text>\n";
        }
    }

    void Axis()
    {
        const ChartLayout& l = m_layout;
        m_out << "<g class=\"time\">\n<line class=\"axis\" x1=\"" << Num(l.axisX) << "\" y1=\""
              << Num(l.lifelineTop) << "\" x2=\"" << Num(l.axisX) << "\" y2=\""
              << Num(l.lifelineBottom) << "\"/>\n";
        m_out << "<text class=\"tick\" x=\"" << Num(l.axisX - 6) << "\" y=\""
              << Num(l.lifelineTop + 12) << "\">time (" << l.unit << ")</text>\n";
        for (const ChartTick& t : l.ticks)
        {
            if (t.breakBefore)
            {
                m_out << "<text class=\"break\" x=\"" << Num(l.axisX - 4) << "\" y=\""
                      << Num(t.y - 14) << "\">≈</text>\n";
            }
            m_out << "<line class=\"axis\" x1=\"" << Num(l.axisX - 3) << "\" y1=\"" << Num(t.y)
                  << "\" x2=\"" << Num(l.axisX + 3) << "\" y2=\"" << Num(t.y) << "\"/>"
                  << "<text class=\"tick\" x=\"" << Num(l.axisX - 6) << "\" y=\"" << Num(t.y + 4)
                  << "\">" << XmlEscape(t.label) << "</text>\n";
        }
        m_out << "</g>\n";
    }

    void Lifelines()
    {
        const ChartLayout& l = m_layout;
        for (size_t i = 0; i < m_chart.lifelines.size(); ++i)
        {
            const ChartLifeline& f = m_chart.lifelines[i];
            const double x = l.laneX[i];
            const double w = std::max(70.0, TextWidth(f.name) + 24);
            m_out << "<g class=\"lifeline-head\" data-node=\"" << XmlEscape(f.name) << "\">"
                  << "<line class=\"lifeline\" x1=\"" << Num(x) << "\" y1=\"" << Num(l.lifelineTop)
                  << "\" x2=\"" << Num(x) << "\" y2=\"" << Num(l.lifelineBottom) << "\"/>"
                  << "<rect class=\"box\" x=\"" << Num(x - w / 2) << "\" y=\"" << Num(l.headerY)
                  << "\" width=\"" << Num(w) << "\" height=\"" << Num(l.lifelineTop - l.headerY)
                  << "\" rx=\"4\"/>"
                  << "<text class=\"name\" x=\"" << Num(x) << "\" y=\""
                  << Num(l.headerY + (f.role.empty() ? 21 : 15)) << "\">" << XmlEscape(f.name)
                  << "</text>";
            if (!f.role.empty())
            {
                m_out << "<text class=\"role\" x=\"" << Num(x) << "\" y=\"" << Num(l.headerY + 28)
                      << "\">" << XmlEscape(f.role) << "</text>";
            }
            m_out << "</g>\n";
        }
    }

    void Bars()
    {
        const ChartLayout& l = m_layout;
        for (const ChartLockBar& b : m_chart.bars)
        {
            const double y1 = l.Y(b.from);
            const double y2 = b.to == kNoEvent ? l.lifelineBottom : l.Y(b.to);
            const std::string state = LockStateName(b.state);
            m_out << "<rect class=\"bar-" << state << "\" data-from=\"" << Id(b.from)
                  << "\" data-to=\"" << Id(b.to) << "\" x=\"" << Num(l.laneX[b.lifeline] + 1)
                  << "\" y=\"" << Num(y1) << "\" width=\"7\" height=\"" << Num(y2 - y1)
                  << "\"><title>" << state << " from #" << Id(b.from)
                  << (b.to == kNoEvent ? " to the end" : " to #" + Id(b.to)) << "</title></rect>\n";
        }
    }

    void Bands()
    {
        const ChartLayout& l = m_layout;
        for (const ChartBand& b : m_chart.bands)
        {
            const double y = l.Y(b.event);
            double x1 = l.laneX[b.lifelines.front()];
            double x2 = x1;
            for (size_t f : b.lifelines)
            {
                x1 = std::min(x1, l.laneX[f]);
                x2 = std::max(x2, l.laneX[f]);
            }
            m_out << "<g class=\"band band-"
                  << (b.style == BandStyle::kNewPath ? "newpath" : "teardown")
                  << (b.marked ? " marked" : "") << "\" data-event=\"" << Id(b.event) << "\">"
                  << "<title>" << XmlEscape(DumpEvent(m_trace, b.event)) << "</title>"
                  << "<line x1=\"" << Num(x1 - 12) << "\" y1=\"" << Num(y) << "\" x2=\""
                  << Num(x2 + 12) << "\" y2=\"" << Num(y) << "\"/>";
            for (size_t f : b.lifelines)
            {
                m_out << "<circle cx=\"" << Num(l.laneX[f]) << "\" cy=\"" << Num(y)
                      << "\" r=\"4\"/>";
            }
            m_out << "<text x=\"" << Num(x1 - 8) << "\" y=\"" << Num(y - 6) << "\">"
                  << XmlEscape(b.text);
            if (!b.detail.empty())
            {
                m_out << "<tspan class=\"detail\" dx=\"8\">" << XmlEscape(b.detail) << "</tspan>";
            }
            m_out << "</text></g>\n";
        }
    }

    void Messages()
    {
        const ChartLayout& l = m_layout;
        for (const ChartMessage& m : m_chart.messages)
        {
            const std::string name = ControlMsgName(m.msg);
            const char* cls = MessageClass(m.msg);
            const double xa = l.laneX[m.from];
            const double xb = l.laneX[m.to];
            const bool lost = m.rx == kNoEvent;
            const bool unsent = m.tx == kNoEvent;
            const double ya = unsent ? l.Y(m.rx) : l.Y(m.tx);
            double yb = lost ? ya + 12 : l.Y(m.rx);
            double xEnd = lost ? xa + (xb - xa) * 0.6 : xb;
            // Pull the ends off the lifelines a little so arrowheads stay visible.
            const double dir = xb >= xa ? 1 : -1;
            const double x1 = xa + dir * 3;
            const double x2 = xEnd - dir * (lost ? 0 : 2);
            m_out << "<g class=\"msg " << cls << (lost || unsent ? " lost" : "")
                  << (m.marked ? " marked" : "") << "\" data-msg=\"" << name << "\" data-tx=\""
                  << Id(m.tx) << "\" data-rx=\"" << Id(m.rx) << "\"><title>" << name << " r"
                  << m.rid << " " << XmlEscape(m_chart.lifelines[m.from].name) << " -> "
                  << XmlEscape(m_chart.lifelines[m.to].name) << (unsent ? "" : " tx #" + Id(m.tx))
                  << (lost ? " (no rx recorded)" : " rx #" + Id(m.rx)) << "</title>"
                  << "<line x1=\"" << Num(x1) << "\" y1=\"" << Num(ya) << "\" x2=\"" << Num(x2)
                  << "\" y2=\"" << Num(yb) << "\"";
            if (!lost)
            {
                m_out << " marker-end=\"url(#head-" << (m.marked ? "marked" : cls) << ")\"";
            }
            m_out << "/>";
            if (lost)
            {
                // A cross where the message disappears.
                m_out << "<line x1=\"" << Num(x2 - 4) << "\" y1=\"" << Num(yb - 4) << "\" x2=\""
                      << Num(x2 + 4) << "\" y2=\"" << Num(yb + 4) << "\"/><line x1=\""
                      << Num(x2 - 4) << "\" y1=\"" << Num(yb + 4) << "\" x2=\"" << Num(x2 + 4)
                      << "\" y2=\"" << Num(yb - 4) << "\"/>";
            }
            const std::string label = name + " r" + std::to_string(m.rid) +
                                      (lost ? " (lost)" : (unsent ? " (tx not recorded)" : ""));
            const double mx = (x1 + x2) / 2;
            const double my = (ya + yb) / 2 - 5;
            m_out << "<text x=\"" << Num(mx) << "\" y=\"" << Num(my) << "\" text-anchor=\"middle\">"
                  << XmlEscape(label) << "</text></g>\n";
        }
    }

    void Notes()
    {
        const ChartLayout& l = m_layout;
        for (const ChartNote& n : m_chart.notes)
        {
            const double x = l.laneX[n.lifeline];
            const double y = l.Y(n.event);
            m_out << "<g class=\"note " << NoteClass(n.style) << (n.marked ? " marked" : "")
                  << "\" data-event=\"" << Id(n.event) << "\"><title>"
                  << XmlEscape(DumpEvent(m_trace, n.event)) << "</title>"
                  << "<circle class=\"dot" << (n.marked ? " marked" : "") << "\" cx=\"" << Num(x)
                  << "\" cy=\"" << Num(y) << "\" r=\"" << (n.marked ? "5" : "3") << "\"/>"
                  << "<text class=\"" << NoteClass(n.style) << (n.marked ? " marked" : "")
                  << "\" x=\"" << Num(x + 12) << "\" y=\"" << Num(y + 4) << "\">"
                  << XmlEscape(n.text) << "</text></g>\n";
        }
    }

    void Legend()
    {
        const ChartLayout& l = m_layout;
        const double y = l.legendY;
        double x = 20;
        m_out << "<g class=\"legend\">\n";
        auto arrow = [&](const char* cls, const char* text)
        {
            m_out << "<g class=\"msg " << cls << "\"><line x1=\"" << Num(x) << "\" y1=\"" << Num(y)
                  << "\" x2=\"" << Num(x + 30) << "\" y2=\"" << Num(y)
                  << "\" marker-end=\"url(#head-" << cls << ")\"/></g><text x=\"" << Num(x + 36)
                  << "\" y=\"" << Num(y + 4) << "\">" << text << "</text>\n";
            x += 48 + TextWidth(text);
        };
        arrow("lock", "requestLock / ackLock");
        arrow("deny", "nackLock / cancelLock / ackCancel");
        arrow("other", "other control");
        arrow("marked", "marked event");
        x = 20;
        const double y2 = y + 24;
        auto swatch = [&](const std::string& svg, const char* text)
        {
            m_out << svg << "<text x=\"" << Num(x + 18) << "\" y=\"" << Num(y2 + 4) << "\">" << text
                  << "</text>\n";
            x += 30 + TextWidth(text);
        };
        swatch("<rect class=\"bar-lockPending\" x=\"" + Num(x) + "\" y=\"" + Num(y2 - 6) +
                   "\" width=\"7\" height=\"12\"/>",
               "lockPending (to the right)");
        swatch("<rect class=\"bar-locked\" x=\"" + Num(x) + "\" y=\"" + Num(y2 - 6) +
                   "\" width=\"7\" height=\"12\"/>",
               "locked");
        swatch("<g class=\"band-newpath\"><line x1=\"" + Num(x) + "\" y1=\"" + Num(y2) +
                   "\" x2=\"" + Num(x + 14) + "\" y2=\"" + Num(y2) + "\"/></g>",
               "new path up");
        swatch("<g class=\"band-teardown\"><line x1=\"" + Num(x) + "\" y1=\"" + Num(y2) +
                   "\" x2=\"" + Num(x + 14) + "\" y2=\"" + Num(y2) + "\"/></g>",
               "old path torn down");
        m_out << "<text x=\"20\" y=\"" << Num(y2 + 24)
              << "\">#n: event id (record number); time flows down, longer steps shortened "
                 "at ≈; control messages and reconfiguration records only, unless marked</text>\n";
        m_out << "</g>\n";
    }

    const Trace& m_trace;
    const SequenceChart& m_chart;
    const ChartLayout& m_layout;
    std::ostringstream m_out;
};

} // namespace

std::string
XmlEscape(const std::string& text)
{
    std::string out;
    out.reserve(text.size());
    for (char ch : text)
    {
        switch (ch)
        {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&apos;";
            break;
        default:
            // Control characters are not allowed in XML 1.0.
            if (static_cast<unsigned char>(ch) < 0x20 && ch != '\t' && ch != '\n')
            {
                out += ' ';
            }
            else
            {
                out += ch;
            }
        }
    }
    return out;
}

std::string
RenderSvg(const Trace& trace, const SequenceChart& chart, const ChartLayout& layout)
{
    return Svg(trace, chart, layout).Render();
}

} // namespace verify
} // namespace dysco
