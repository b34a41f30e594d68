#include "scenario.h"

#include <algorithm>

namespace dyscosim
{

const char*
ToString(NodeRole role)
{
    switch (role)
    {
    case NodeRole::kHost:
        return "host";
    case NodeRole::kMiddlebox:
        return "middlebox";
    case NodeRole::kRouter:
        return "router";
    }
    return "?";
}

const char*
ToString(MiddleboxKind kind)
{
    switch (kind)
    {
    case MiddleboxKind::kNone:
        return "none";
    case MiddleboxKind::kMonitor:
        return "monitor";
    case MiddleboxKind::kSeqOffset:
        return "seq_offset";
    case MiddleboxKind::kFirewall:
        return "firewall";
    case MiddleboxKind::kNat:
        return "nat";
    case MiddleboxKind::kCgnat:
        return "cgnat";
    case MiddleboxKind::kProxy:
        return "proxy";
    case MiddleboxKind::kContentModifier:
        return "content_modifier";
    case MiddleboxKind::kBeamer:
        return "beamer";
    case MiddleboxKind::kClassifier:
        return "classifier";
    case MiddleboxKind::kSocks:
        return "socks";
    }
    return "?";
}

bool
IsStateful(MiddleboxKind kind)
{
    return kind == MiddleboxKind::kFirewall || kind == MiddleboxKind::kNat ||
           kind == MiddleboxKind::kCgnat;
}

const char*
ToString(ProtocolPhase phase)
{
    switch (phase)
    {
    case ProtocolPhase::kLocking:
        return "locking";
    case ProtocolPhase::kLocked:
        return "locked";
    case ProtocolPhase::kNewPathSyn:
        return "new_path_syn";
    case ProtocolPhase::kTwoPaths:
        return "two_paths";
    case ProtocolPhase::kCancelling:
        return "cancelling";
    case ProtocolPhase::kSucceeded:
        return "succeeded";
    case ProtocolPhase::kAborted:
        return "aborted";
    }
    return "?";
}

const char*
ToString(InjectAction action)
{
    switch (action)
    {
    case InjectAction::kFinClient:
        return "fin_client";
    case InjectAction::kFinServer:
        return "fin_server";
    case InjectAction::kRstClient:
        return "rst_client";
    case InjectAction::kRstServer:
        return "rst_server";
    }
    return "?";
}

std::optional<size_t>
Scenario::FindNode(const std::string& nodeName) const
{
    for (size_t i = 0; i < nodes.size(); ++i)
    {
        if (nodes[i].name == nodeName)
        {
            return i;
        }
    }
    return std::nullopt;
}

uint64_t
Scenario::SessionCount() const
{
    uint64_t n = 0;
    for (const auto& t : traffic)
    {
        n += t.sessions;
    }
    return n;
}

Scenario
ApplyQuick(Scenario s)
{
    if (s.quick.durationS)
    {
        s.durationS = *s.quick.durationS;
    }
    for (auto& t : s.traffic)
    {
        if (s.quick.maxSessions)
        {
            t.sessions = std::min(t.sessions, *s.quick.maxSessions);
        }
        if (s.quick.maxBytes)
        {
            t.bytes = std::min(t.bytes, *s.quick.maxBytes);
            t.reverseBytes = std::min(t.reverseBytes, *s.quick.maxBytes);
        }
    }
    return s;
}

} // namespace dyscosim
