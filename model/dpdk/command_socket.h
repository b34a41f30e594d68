// Run-time commands for a running dyscosim-dpdk: text datagrams on a UNIX socket (e.g.
// `socat - UNIX-SENDTO:PATH` or a test's sendto), polled without blocking from the main
// loop. A sender that bound its own socket address gets the answer back as a datagram.
#ifndef DYSCO_DPDK_COMMAND_SOCKET_H
#define DYSCO_DPDK_COMMAND_SOCKET_H

#include <optional>
#include <string>
#include <sys/socket.h>
#include <sys/un.h>

namespace dysco::dpdk
{

class CommandSocket
{
public:
    /// Binds a datagram socket at `path` (replacing a stale file). Throws std::runtime_error.
    explicit CommandSocket(std::string path);
    ~CommandSocket();
    CommandSocket(const CommandSocket&) = delete;
    CommandSocket& operator=(const CommandSocket&) = delete;

    /// The next command, if one is waiting (trailing newlines removed).
    std::optional<std::string> Receive();
    /// Answers the sender of the last command received, if it can be answered.
    void Reply(const std::string& text);

private:
    std::string m_path;
    int m_fd = -1;
    sockaddr_un m_peer{};
    socklen_t m_peerLen = 0;
};

} // namespace dysco::dpdk

#endif
