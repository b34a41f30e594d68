#include "eal.h"

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <stdexcept>

namespace dysco::dpdk
{

Eal::Eal(const std::vector<std::string>& args, unsigned mbufs)
{
    // rte_eal_init may keep pointers into argv: the strings live as long as the process.
    static std::vector<std::string> kept;
    kept = args;
    std::vector<char*> argv;
    for (auto& a : kept)
    {
        argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    if (rte_eal_init(int(kept.size()), argv.data()) < 0)
    {
        throw std::runtime_error(std::string("rte_eal_init failed: ") + rte_strerror(rte_errno));
    }
    m_pool = rte_pktmbuf_pool_create("dysco_mbufs", mbufs, 256, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
                                     int(rte_socket_id()));
    if (m_pool == nullptr)
    {
        const std::string why = rte_strerror(rte_errno);
        rte_eal_cleanup();
        throw std::runtime_error("cannot create a pool of " + std::to_string(mbufs) +
                                 " mbufs: " + why + " (raise the EAL memory with -m)");
    }
}

Eal::~Eal()
{
    rte_mempool_free(m_pool);
    rte_eal_cleanup();
}

} // namespace dysco::dpdk
