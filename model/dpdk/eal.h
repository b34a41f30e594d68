// The DPDK environment of one process: rte_eal_init on construction, the mbuf pool, and
// rte_eal_cleanup on destruction (after everything using DPDK is gone).
#ifndef DYSCO_DPDK_EAL_H
#define DYSCO_DPDK_EAL_H

#include <string>
#include <vector>

struct rte_mempool;

namespace dysco::dpdk
{

class Eal
{
public:
    /// `args`: program name, then EAL arguments. Throws std::runtime_error on failure.
    Eal(const std::vector<std::string>& args, unsigned mbufs);
    ~Eal();
    Eal(const Eal&) = delete;
    Eal& operator=(const Eal&) = delete;

    rte_mempool* Pool() const { return m_pool; }

private:
    rte_mempool* m_pool = nullptr;
};

} // namespace dysco::dpdk

#endif
