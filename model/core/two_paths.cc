#include "two_paths.h"

namespace dysco
{

void
TwoPaths::Start(Seq oldSent, Seq oldSentAcked, Seq oldRcvd, Seq oldRcvdAcked)
{
    m_oldSent = oldSent;
    m_oldSentAcked = SeqMin(oldSentAcked, oldSent);
    m_oldRcvd = oldRcvd;
    m_oldRcvdAcked = SeqMin(oldRcvdAcked, oldRcvd);
    m_hasFirstNew = false;
    m_hasCutoff = false;
}

uint32_t
TwoPaths::OldPart(Seq seq, uint32_t len) const
{
    if (!(seq < m_oldSent))
    {
        return 0;
    }
    const uint32_t before = uint32_t(m_oldSent - seq);
    return before < len ? before : len;
}

AckPlan
TwoPaths::PlanAck(Seq ack) const
{
    AckPlan plan;
    if (ack <= m_oldRcvd)
    {
        // Acks at or below what the old path delivered belong to it (duplicate acks too:
        // they signal loss of old-path bytes).
        plan.path = Path::kOld;
        return plan;
    }
    plan.path = Path::kNew;
    plan.alsoAckOld = m_oldRcvdAcked < m_oldRcvd;
    return plan;
}

void
TwoPaths::AckSent(Seq ack)
{
    m_oldRcvdAcked = SeqMax(m_oldRcvdAcked, SeqMin(ack, m_oldRcvd));
}

void
TwoPaths::DataReceived(Path path, Seq seq, uint32_t len)
{
    if (len == 0)
    {
        return;
    }
    if (path == Path::kOld)
    {
        m_oldRcvd = SeqMax(m_oldRcvd, seq + SeqDelta(len));
    }
    else if (!m_hasFirstNew || seq < m_firstNewRcvd)
    {
        m_firstNewRcvd = seq;
        m_hasFirstNew = true;
    }
}

void
TwoPaths::AckReceived(Seq ack)
{
    // Cumulative: an ack at or past oldSent (on either path) covers every old byte.
    m_oldSentAcked = SeqMax(m_oldSentAcked, SeqMin(ack, m_oldSent));
}

void
TwoPaths::PeerCutoff(Seq cutoff)
{
    m_cutoff = cutoff;
    m_hasCutoff = true;
}

bool
TwoPaths::TeardownReady() const
{
    if (m_oldSentAcked != m_oldSent || m_oldRcvdAcked != m_oldRcvd)
    {
        return false;
    }
    return (m_hasFirstNew && m_oldRcvd == m_firstNewRcvd) || (m_hasCutoff && m_oldRcvd == m_cutoff);
}

} // namespace dysco
