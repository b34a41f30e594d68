// `dyscosim diagram`: golden traces give well-formed SVG with the expected lifelines, arrows
// and labels in order; requested events are marked; bad input exits 2 with a clear message
// and writes nothing.
#include "diagram_svg.h"
#include "diagram_test_util.h"
#include "xml_check.h"

#include <cstdlib>
#include <dirent.h>

namespace dysco
{
namespace test
{
namespace
{

std::vector<std::string>
GoldenTraces()
{
    std::vector<std::string> names;
    const std::string dir = std::string(DYSCO_SOURCE_DIR) + "/verification/golden";
    if (DIR* d = opendir(dir.c_str()))
    {
        while (dirent* e = readdir(d))
        {
            const std::string n = e->d_name;
            if (n.size() > 6 && n.compare(n.size() - 6, 6, ".trace") == 0)
            {
                names.push_back(n);
            }
        }
        closedir(d);
    }
    std::sort(names.begin(), names.end());
    return names;
}

/// Draws `trace` with extra arguments into a file; fails the test if the command fails.
std::string
Draw(const std::string& trace, std::vector<std::string> extra = {})
{
    const std::string out = TempPath("chart.svg");
    extra.insert(extra.begin(), {Golden(trace), "--out", out});
    const Outcome o = RunDiagram(extra);
    EXPECT_EQ(o.code, 0) << o.err;
    EXPECT_TRUE(o.out.empty());
    const std::string svg = ReadFile(out);
    std::remove(out.c_str());
    return svg;
}

TEST(DiagramCommand, EveryGoldenTraceGivesWellFormedSvg)
{
    const std::vector<std::string> traces = GoldenTraces();
    ASSERT_GE(traces.size(), 10u);
    for (const std::string& t : traces)
    {
        const std::string svg = Draw(t);
        EXPECT_EQ(XmlProblem(svg), "") << t;
        EXPECT_NE(svg.find("<svg xmlns=\"http://www.w3.org/2000/svg\""), std::string::npos) << t;
    }
}

TEST(DiagramCommand, SvgParsesWithPythonXmlWhereAvailable)
{
    if (std::system("python3 -c 'import xml.dom.minidom' >/dev/null 2>&1") != 0)
    {
        GTEST_SKIP() << "python3 not available";
    }
    for (const char* t : {"lock_exclusive_good.trace", "reconfig_terminates_bad.trace"})
    {
        const std::string out = TempPath("py.svg");
        ASSERT_EQ(RunDiagram({Golden(t), "--out", out, "--mark-violations"}).code, 0);
        const std::string cmd =
            "python3 -c 'import sys, xml.dom.minidom as m; m.parse(sys.argv[1])' " + out;
        EXPECT_EQ(std::system(cmd.c_str()), 0) << t;
        std::remove(out.c_str());
    }
}

TEST(DiagramCommand, Figure5ContentionHasLifelinesArrowsAndNotesInOrder)
{
    // lock_exclusive_good: the paper's Figure 5 (x locks x..z, w's request is nacked).
    const std::string svg = Draw("lock_exclusive_good.trace");
    EXPECT_EQ(All(svg, "data-node=\"([^\"]+)\""), (std::vector<std::string>{"w", "x", "y", "z"}));
    // Arrows in the order their tx records come, each from tx to rx event.
    EXPECT_EQ(All(svg, "<g class=\"msg [^\"]*\" data-msg=\"([A-Za-z]+)\""),
              (std::vector<std::string>{"requestLock", "requestLock", "requestLock", "ackLock",
                                        "ackLock", "nackLock"}));
    EXPECT_EQ(All(svg, "data-msg=\"[A-Za-z]+\" data-tx=\"([0-9]+)\""),
              (std::vector<std::string>{"8", "11", "15", "17", "20", "24"}));
    EXPECT_EQ(All(svg, "data-msg=\"[A-Za-z]+\" data-tx=\"[0-9]+\" data-rx=\"([0-9]*)\""),
              (std::vector<std::string>{"9", "12", "16", "18", "21", "25"}));
    for (const char* label :
         {">requestLock r1<", ">requestLock r2<", ">ackLock r1<", ">nackLock r2<", ">denied r2<",
          ">locked r1<", ">done r1<", ">request r1: x-y-z =&gt; x-z<", ">new path up r1: x-z<",
          "x tears down the old path r1", "lockPending to y (x r1)"})
    {
        EXPECT_NE(svg.find(label), std::string::npos) << label;
    }
    // Lock bars: pending then locked on x's subsession to y, ending at the unlock (#31).
    EXPECT_NE(svg.find("class=\"bar-lockPending\" data-from=\"7\" data-to=\"22\""),
              std::string::npos);
    EXPECT_NE(svg.find("class=\"bar-locked\" data-from=\"22\" data-to=\"31\""), std::string::npos);
    // Time flows down: the time labels come in increasing order.
    const std::vector<std::string> ticks = All(svg, "class=\"tick\" x=\"[0-9.]+\" y=\"([0-9.]+)\"");
    for (size_t i = 1; i < ticks.size(); ++i)
    {
        EXPECT_LT(std::stod(ticks[i - 1]), std::stod(ticks[i]));
    }
    EXPECT_NE(svg.find(">2730 ns<"), std::string::npos);
    // Nothing is marked unless asked.
    EXPECT_EQ(svg.find("class=\"stripe\""), std::string::npos);
}

TEST(DiagramCommand, AbortShowsCancelAndAckCancel)
{
    const std::string svg = Draw("reconfig_terminates_good.trace", {"--session", "2"});
    EXPECT_EQ(All(svg, "data-node=\"([^\"]+)\""),
              (std::vector<std::string>{"h0", "m1", "m2", "h1"}));
    const std::vector<std::string> msgs =
        All(svg, "<g class=\"msg [^\"]*\" data-msg=\"([A-Za-z]+)\"");
    const std::vector<std::string> tail(msgs.end() - 4, msgs.end());
    EXPECT_EQ(tail,
              (std::vector<std::string>{"cancelLock", "cancelLock", "ackCancel", "ackCancel"}));
    EXPECT_NE(svg.find(">newPathFailed r1<"), std::string::npos);
    EXPECT_NE(svg.find(">aborted r1<"), std::string::npos);
}

TEST(DiagramCommand, MarkedEventsAreRed)
{
    const std::string svg = Draw("reconfig_terminates_bad.trace", {"--mark", "52,55"});
    // Session 2 is the one of the marked events; #52 is a note, #55 a message's tx.
    EXPECT_NE(svg.find("session 2 "), std::string::npos);
    EXPECT_NE(svg.find("<g class=\"note note-failure marked\" data-event=\"52\">"),
              std::string::npos);
    EXPECT_NE(svg.find("class=\"msg deny marked\" data-msg=\"cancelLock\" data-tx=\"55\""),
              std::string::npos);
    EXPECT_NE(svg.find("<text class=\"eid marked\""), std::string::npos);
    EXPECT_EQ(All(svg, "class=\"(stripe)\"").size(), 2u);
    EXPECT_NE(svg.find("url(#head-marked)"), std::string::npos);
    EXPECT_EQ(XmlProblem(svg), "");
}

TEST(DiagramCommand, MarkViolationsMarksTheCheckersEvents)
{
    // seq_space_bad: event 16, a received segment, is not drawn unless marked.
    const std::string svg = Draw("seq_space_bad.trace", {"--mark-violations"});
    EXPECT_NE(svg.find("data-event=\"16\""), std::string::npos);
    EXPECT_NE(svg.find("seg-rx A seq=5001 ack=70001"), std::string::npos);
    EXPECT_NE(svg.find("class=\"caption marked\""), std::string::npos);
    EXPECT_NE(svg.find("seq_ack_correct violated at event #16"), std::string::npos);
    const std::string clean = Draw("seq_space_good.trace", {"--mark-violations"});
    EXPECT_EQ(clean.find("class=\"stripe\""), std::string::npos);
}

TEST(DiagramCommand, WritesToStdoutWithoutOut)
{
    const Outcome o = RunDiagram({Golden("lock_exclusive_good.trace")});
    EXPECT_EQ(o.code, 0) << o.err;
    EXPECT_EQ(o.out.rfind("<?xml", 0), 0u);
    EXPECT_EQ(XmlProblem(o.out), "");
}

TEST(DiagramCommand, LostAndUnmatchedMessagesAreShown)
{
    // A requestLock whose rx was never recorded, and an ackLock whose tx was not.
    const std::string trace = TempPath("lost.trace");
    WriteFile(trace, "{\"format\":\"dyscosim-trace\",\"version\":1,\"nodes\":[\"a\",\"b\"]}\n"
                     "100\tS\t1\ta\tb\t10.0.0.1:1>10.0.0.2:2\t0\t0\t-\n"
                     "200\tP\t1\ta\t1\trequest\ta,b\ta,b\n"
                     "210\tM\t1\ta\ttx\trequestLock\tb\t1\n"
                     "300\tM\t1\ta\trx\tackLock\tb\t1\n"
                     "end\t4\n");
    const std::string out = TempPath("lost.svg");
    const Outcome o = RunDiagram({trace, "--out", out});
    ASSERT_EQ(o.code, 0) << o.err;
    const std::string svg = ReadFile(out);
    EXPECT_NE(svg.find(">requestLock r1 (lost)<"), std::string::npos);
    EXPECT_NE(svg.find(">ackLock r1 (tx not recorded)<"), std::string::npos);
    EXPECT_EQ(XmlProblem(svg), "");
    std::remove(trace.c_str());
    std::remove(out.c_str());
}

TEST(DiagramCommand, BadInputExitsTwoAndWritesNothing)
{
    const std::string out = TempPath("never.svg");
    const std::string good = Golden("lock_exclusive_good.trace");
    struct Case
    {
        std::vector<std::string> args;
        std::string message;
    };
    const std::vector<Case> cases = {
        {{}, "no trace file given"},
        {{"/nonexistent/x.trace", "--out", out}, "bad trace: /nonexistent/x.trace"},
        {{Golden("invalid/truncated.trace"), "--out", out}, "bad trace:"},
        {{good, "--session", "9", "--out", out}, "no session 9 in the trace"},
        {{good, "--session", "x"}, "--session needs a session id"},
        {{good, "--mark", "0", "--out", out}, "no event #0"},
        {{good, "--mark", "999", "--out", out}, "no event #999 (the trace has 39 events)"},
        {{good, "--mark", "1,x"}, "--mark needs event ids"},
        {{Golden("reconfig_terminates_bad.trace"), "--session", "1", "--mark", "52", "--out", out},
         "event #52 belongs to session 2, not to session 1"},
        {{good, "--frobnicate"}, "unknown option --frobnicate"},
        {{good, good}, "more than one trace given"},
        {{good, "--out"}, "--out needs a file name"},
        {{good, "--out", "/nonexistent/dir/x.svg"}, "cannot write /nonexistent/dir/x.svg"},
    };
    for (const Case& c : cases)
    {
        const Outcome o = RunDiagram(c.args);
        EXPECT_EQ(o.code, 2) << c.message;
        EXPECT_NE(o.err.find("dyscosim diagram: "), std::string::npos) << o.err;
        EXPECT_NE(o.err.find(c.message), std::string::npos) << o.err;
        EXPECT_TRUE(o.out.empty()) << c.message;
        EXPECT_TRUE(ReadFile(out).empty()) << c.message;
    }
}

TEST(DiagramCommand, StandaloneExecutableBehavesTheSame)
{
    const std::string exe = std::string(DYSCO_BINARY_DIR) + "/dyscosim-diagram";
    const std::string out = TempPath("exe.svg");
    const std::string ok =
        exe + " " + Golden("lock_exclusive_good.trace") + " --out " + out + " 2>/dev/null";
    EXPECT_EQ(WEXITSTATUS(std::system(ok.c_str())), 0);
    EXPECT_EQ(XmlProblem(ReadFile(out)), "");
    const std::string bad = exe + " /nonexistent.trace 2>/dev/null";
    EXPECT_EQ(WEXITSTATUS(std::system(bad.c_str())), 2);
    std::remove(out.c_str());
}

TEST(DiagramSvg, XmlEscapeCoversMarkupAndControlCharacters)
{
    EXPECT_EQ(verify::XmlEscape("a<b>&\"c'\x01"), "a&lt;b&gt;&amp;&quot;c&apos; ");
    EXPECT_EQ(XmlProblem("<a x=\"" + verify::XmlEscape("<&>\"") + "\">" +
                         verify::XmlEscape("1 < 2 & 3") + "</a>"),
              "");
}

TEST(XmlCheck, RejectsMalformedDocuments)
{
    EXPECT_EQ(XmlProblem("<a><b/></a>"), "");
    EXPECT_NE(XmlProblem("<a><b></a>"), "");
    EXPECT_NE(XmlProblem("<a x=1/>"), "");
    EXPECT_NE(XmlProblem("<a x=\"1\" x=\"2\"/>"), "");
    EXPECT_NE(XmlProblem("<a>&nbsp;</a>"), "");
    EXPECT_NE(XmlProblem("<a/><b/>"), "");
    EXPECT_NE(XmlProblem("<a>"), "");
    EXPECT_NE(XmlProblem("<a x=\"<\"/>"), "");
}

} // namespace
} // namespace test
} // namespace dysco
