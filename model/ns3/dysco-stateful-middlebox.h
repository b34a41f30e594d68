// A packet middlebox with per-session state that can move to another instance (§3.4,
// Figure 14; OpenNF-style export/import). State travels as JSON text with a "kind" and a
// "version"; an import either installs everything or nothing and says why it refused.
#ifndef DYSCO_STATEFUL_MIDDLEBOX_H
#define DYSCO_STATEFUL_MIDDLEBOX_H

#include "core/five_tuple.h"
#include "dysco-middlebox.h"

#include <string>

namespace ns3
{

class DyscoStatefulMiddlebox : public DyscoMiddlebox
{
public:
    static TypeId GetTypeId();

    /// The state of one session (either orientation of its header as this box sees it), as
    /// JSON text; a valid document with no entries if the box has none for it.
    virtual std::string ExportState(const dysco::FiveTuple& session) const = 0;
    /// Installs exported state. On any problem nothing is installed, false is returned and
    /// *error says what is wrong and where (JSON path).
    virtual bool ImportState(const std::string& text, std::string* error) = 0;
    /// The session's header as it leaves the box (a NAT changes it); `session` otherwise.
    virtual dysco::FiveTuple Translate(const dysco::FiveTuple& session) const { return session; }
    /// True if a new path's SYN must already find the state (a NAT: the agent keys the new
    /// path on the header the SYN leaves the box with): then the state is copied before the
    /// reconfiguration starts.
    virtual bool NeedsStateBeforeNewPath() const { return false; }
};

/// "10.0.0.1:80" for state documents.
std::string DyscoEndpointText(uint32_t ip, uint16_t port);
/// Parses "a.b.c.d:port"; false if malformed.
bool DyscoParseEndpoint(const std::string& text, uint32_t* ip, uint16_t* port);

} // namespace ns3

#endif
