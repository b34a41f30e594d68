// The runner's part for the session-terminating proxy (`"middlebox": "proxy"`) and the
// content modifier (`"content_modifier"`, a DyscoProxy that edits): builds a node's
// DyscoProxy from its ProxySpec (and EditSpec), and reports what it did in summary.json's
// `middleboxes`.
#ifndef DYSCOSIM_PROXY_INSTALL_H
#define DYSCOSIM_PROXY_INSTALL_H

#include "ns3/dysco-proxy.h"
#include "ns3/node.h"
#include "run_result.h"
#include "scenario.h"

namespace dyscosim
{

/// Installs the proxy of node spec `n` on `node` (agent and stack must exist); `stream`
/// seeds its ISN offsets.
ns3::Ptr<ns3::DyscoProxy> InstallProxy(ns3::Ptr<ns3::Node> node, const NodeSpec& n, int64_t stream);

/// Summed counters of one proxy: sessions, bytes relayed each way, relay operations, splice
/// requests, sessions spliced out, and the work done after leaving (zero when all is well).
MiddleboxResult ProxyResult(const std::string& node, MiddleboxKind kind,
                            ns3::Ptr<ns3::DyscoProxy> proxy);

} // namespace dyscosim

#endif
