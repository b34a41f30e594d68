// FIN from the client, FIN from the server and RST from either end, injected when an agent
// reports each protocol phase of a reconfiguration (locking, locked, new-path handshake,
// two paths, cancelling): each session ends cleanly with exactly a prefix of each stream
// delivered, every reconfiguration ends, and the agents free all state.
#include "reconfig_fixture.h"

namespace dyscosim::test
{
namespace
{

/// Common to all three files: 5 traffic entries per action, one per phase, 2 sessions each.
void
ExpectCleanEarlyEnds(const Outcome& o, size_t sessions)
{
    EXPECT_TRUE(o.check.pass);
    for (const auto& v : o.check.violations)
    {
        ADD_FAILURE() << v;
    }
    ASSERT_EQ(SessionCount(o), sessions);
    EXPECT_EQ(o.Failure("injections_fired"), sessions); // every phase happened, once each
    for (const auto& s : o.result.sessions)
    {
        SCOPED_TRACE("session " + std::to_string(s.streamId));
        EXPECT_FALSE(s.injected.empty());
        EXPECT_TRUE(s.cutShort); // the injection came mid-stream
        EXPECT_LT(s.firstMismatch, 0);
        EXPECT_LT(s.reverseMismatch, 0);
        EXPECT_LE(s.bytesDelivered, s.bytesWritten);
        EXPECT_LE(s.reverseDelivered, s.reverseWritten);
        EXPECT_TRUE(s.closed || s.reset);
        EXPECT_TRUE(s.clientClosed || s.clientReset);
    }
    for (const auto& a : o.result.agents)
    {
        EXPECT_EQ(a.sessionsLeft, 0u) << "state left at " << a.node;
    }
    EXPECT_EQ(o.result.reconfigurationsActive, 0u);
    EXPECT_TRUE(o.With("unfinished").empty());
    EXPECT_EQ(o.result.reconfigurations.size(), sessions);
}

/// A FIN loses nothing: the closed direction delivered all that was written before it,
/// the other direction everything.
void
ExpectFinOutcome(const Outcome& o, bool client)
{
    for (const auto& s : o.result.sessions)
    {
        SCOPED_TRACE("session " + std::to_string(s.streamId));
        EXPECT_EQ(s.injected, client ? "fin_client" : "fin_server");
        EXPECT_FALSE(s.reset || s.clientReset);
        EXPECT_EQ(s.bytesDelivered, s.bytesWritten);
        EXPECT_EQ(s.reverseDelivered, s.reverseWritten);
        EXPECT_EQ(client ? s.reverseDelivered : s.bytesDelivered,
                  client ? s.reverseRequested : s.bytesRequested);
        EXPECT_LT(client ? s.bytesWritten : s.reverseWritten,
                  client ? s.bytesRequested : s.reverseRequested);
    }
    // A half-close does not stop a reconfiguration: the deletions (traffic 0-3) succeed, the
    // replacement by the down middlebox (traffic 4) aborts.
    for (const auto& r : o.result.reconfigurations)
    {
        const bool toDown = r.entry == 4;
        EXPECT_EQ(r.outcome, toDown ? "aborted" : "succeeded") << "stream " << r.streamId;
        if (toDown)
        {
            EXPECT_EQ(r.reason, "new_path_failed");
        }
    }
}

TEST(ReconfigInjection, FinFromTheClientAtEveryPhase)
{
    Outcome o = RunShipped("reconfig/inject-fin-client.json");
    ExpectCleanEarlyEnds(o, 10);
    ExpectFinOutcome(o, true);
}

TEST(ReconfigInjection, FinFromTheServerAtEveryPhase)
{
    Outcome o = RunShipped("reconfig/inject-fin-server.json");
    ExpectCleanEarlyEnds(o, 10);
    ExpectFinOutcome(o, false);
}

TEST(ReconfigInjection, RstFromEitherEndAtEveryPhase)
{
    Outcome o = RunShipped("reconfig/inject-rst.json");
    ExpectCleanEarlyEnds(o, 20);
    for (const auto& s : o.result.sessions)
    {
        SCOPED_TRACE("session " + std::to_string(s.streamId));
        const bool client = s.streamId <= 10;
        EXPECT_EQ(s.injected, client ? "rst_client" : "rst_server");
        // The resetting end's socket reports the error; ns-3 reports a received RST as a
        // normal close.
        EXPECT_TRUE(client ? s.clientReset : s.reset);
    }
    // A reset closes the session: no reconfiguration survives it.
    for (const auto& r : o.result.reconfigurations)
    {
        EXPECT_EQ(r.outcome, "aborted") << "stream " << r.streamId;
        EXPECT_TRUE(r.reason == "session_closed" ||
                    (r.entry % 5 == 4 && r.reason == "new_path_failed"))
            << "stream " << r.streamId << ": " << r.reason;
    }
}

} // namespace
} // namespace dyscosim::test
