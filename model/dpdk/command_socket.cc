#include "command_socket.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <stdexcept>
#include <unistd.h>

namespace dysco::dpdk
{

CommandSocket::CommandSocket(std::string path)
    : m_path(std::move(path))
{
    sockaddr_un addr{};
    if (m_path.empty() || m_path.size() >= sizeof(addr.sun_path))
    {
        throw std::runtime_error("control socket path \"" + m_path + "\" is empty or longer than " +
                                 std::to_string(sizeof(addr.sun_path) - 1) + " bytes");
    }
    m_fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (m_fd < 0)
    {
        throw std::runtime_error(std::string("control socket: ") + std::strerror(errno));
    }
    addr.sun_family = AF_UNIX;
    std::memcpy(addr.sun_path, m_path.c_str(), m_path.size() + 1);
    unlink(m_path.c_str());
    if (bind(m_fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0)
    {
        const std::string why = std::strerror(errno);
        close(m_fd);
        throw std::runtime_error("control socket " + m_path + ": bind: " + why);
    }
}

CommandSocket::~CommandSocket()
{
    close(m_fd);
    unlink(m_path.c_str());
}

std::optional<std::string>
CommandSocket::Receive()
{
    char buf[1024];
    m_peerLen = sizeof(m_peer);
    const ssize_t n =
        recvfrom(m_fd, buf, sizeof(buf), 0, reinterpret_cast<sockaddr*>(&m_peer), &m_peerLen);
    if (n < 0)
    {
        m_peerLen = 0;
        return std::nullopt;
    }
    std::string s(buf, size_t(n));
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r'))
    {
        s.pop_back();
    }
    return s;
}

void
CommandSocket::Reply(const std::string& text)
{
    // An unbound sender has only the address family in its address: nowhere to answer.
    if (m_peerLen <= sizeof(sa_family_t))
    {
        return;
    }
    sendto(m_fd, text.data(), text.size(), MSG_DONTWAIT, reinterpret_cast<sockaddr*>(&m_peer),
           m_peerLen);
}

} // namespace dysco::dpdk
