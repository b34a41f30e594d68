// A stateful firewall (a packet middlebox, like iptables with conntrack): the first SYN of a
// session is checked against allow/deny rules (first match wins, else the default action);
// an allowed session gets a connection entry, and every later packet needs one. Packets of
// sessions it has no entry for are dropped (counted, "Drop" trace source), so a session moved
// onto a new path through a fresh instance is blocked unless its state was migrated (§3.4,
// Figure 14). The handshake of a reconfiguration's new path (SYN, SYN-ACK and pure ACKs of a
// session the node's agent created for a new path) passes without creating state.
#ifndef DYSCO_FIREWALL_H
#define DYSCO_FIREWALL_H

#include "core/policy.h"
#include "dysco-stateful-middlebox.h"
#include "ns3/nstime.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace ns3
{

class DyscoAgent;

struct DyscoFirewallRule
{
    bool allow = true;
    dysco::Predicate match; ///< on the session's client -> server five-tuple
};

/// One tracked connection, oriented client -> server.
struct DyscoFirewallConn
{
    enum State : uint8_t
    {
        SYN_SENT,
        ESTABLISHED,
        CLOSING, ///< a FIN was seen
        CLOSED,  ///< FIN both ways, or RST
    };
    dysco::FiveTuple session;
    State state = SYN_SENT;
    bool fin[2] = {false, false}; ///< client -> server, server -> client
    uint64_t packets[2] = {0, 0};
};

class DyscoFirewall : public DyscoStatefulMiddlebox
{
public:
    /// Why a packet was dropped (Drop trace source).
    enum DropReason
    {
        DENIED,   ///< a rule (or the default action) denies the session
        NO_STATE, ///< not the first SYN of a session and no connection entry
    };

    static TypeId GetTypeId();
    DyscoFirewall();

    void AddRule(const DyscoFirewallRule& rule) { m_rules.push_back(rule); }
    void SetDefaultAllow(bool allow) { m_defaultAllow = allow; }

    bool Process(std::vector<uint8_t>& packet, Ptr<NetDevice> inDevice) override;
    std::string ExportState(const dysco::FiveTuple& session) const override;
    bool ImportState(const std::string& text, std::string* error) override;

    bool GetConn(const dysco::FiveTuple& t, DyscoFirewallConn* out) const;
    size_t GetConnCount() const { return m_conns.size(); }
    uint64_t GetAllowedCount() const { return m_allowed; }
    uint64_t GetDeniedCount() const { return m_denied; }
    uint64_t GetNoStateCount() const { return m_noState; }
    uint64_t GetImportedCount() const { return m_imported; }

    typedef void (*DropTracedCallback)(const dysco::FiveTuple& tuple, DropReason reason);

private:
    bool Allows(const dysco::FiveTuple& t) const;
    /// The handshake of a reconfiguration's new path, created by this node's agent.
    bool IsNewPathHandshake(const dysco::FiveTuple& t, uint8_t flags, size_t payload,
                            Ptr<NetDevice> inDevice);
    bool Drop(const dysco::FiveTuple& t, DropReason reason);

    std::vector<DyscoFirewallRule> m_rules;
    bool m_defaultAllow = true;
    std::unordered_map<dysco::FiveTuple, DyscoFirewallConn, dysco::FiveTupleHasher> m_conns;
    Ptr<DyscoAgent> m_agent;
    uint64_t m_allowed = 0;
    uint64_t m_denied = 0;
    uint64_t m_noState = 0;
    uint64_t m_imported = 0;
    TracedCallback<const dysco::FiveTuple&, DropReason> m_dropTrace;
};

} // namespace ns3

#endif
