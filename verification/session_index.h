// Per-session view of a trace: the events of each session in trace order, built in two
// linear passes into one flat array (no per-session allocation), so properties can be
// checked one session at a time.
#ifndef DYSCO_VERIFY_SESSION_INDEX_H
#define DYSCO_VERIFY_SESSION_INDEX_H

#include "trace.h"

#include <cstdint>
#include <vector>

namespace dysco
{
namespace verify
{

struct SessionView
{
    uint32_t sid = 0;
    uint32_t decl = 0; ///< index of the S record
    uint16_t client = 0;
    uint16_t server = 0;
    const SessionDecl* info = nullptr;
    const uint32_t* first = nullptr; ///< event indices of the session, in trace order
    const uint32_t* last = nullptr;

    const uint32_t* begin() const { return first; }
    const uint32_t* end() const { return last; }
    size_t Size() const { return size_t(last - first); }
    /// The endpoint that writes in direction d (its peer reads).
    uint16_t Sender(Direction d) const { return d == Direction::kClientToServer ? client : server; }
    uint16_t Receiver(Direction d) const
    {
        return d == Direction::kClientToServer ? server : client;
    }
};

class SessionIndex
{
public:
    explicit SessionIndex(const Trace& trace);

    /// Sessions in declaration order.
    size_t Count() const { return m_decls.size(); }
    SessionView View(size_t i) const;

private:
    const Trace& m_trace;
    std::vector<uint32_t> m_decls;   ///< S record index per session
    std::vector<uint32_t> m_offsets; ///< Count() + 1 offsets into m_events
    std::vector<uint32_t> m_events;
};

} // namespace verify
} // namespace dysco

#endif
