// Per session: data segments its endpoints received out of order (bytes beyond them had
// arrived already) and pauses in its data arrivals, from the endpoints' LocalSegment trace.
// In a run without loss, out-of-order arrivals come from two paths carrying data at once.
#ifndef DYSCOSIM_REORDER_COUNTER_H
#define DYSCOSIM_REORDER_COUNTER_H

#include "core/agent.h"
#include "run_context.h"

#include <map>
#include <memory>
#include <vector>

namespace dyscosim
{

class ReorderCounter
{
public:
    explicit ReorderCounter(RunContext& ctx);
    /// Connects to the hosts' agents (only when the scenario migrates state: it costs).
    void Install();

    uint64_t Reordered(uint64_t streamId) const;
    /// The longest pause between data arrivals (either direction) overlapping [from, until].
    double MaxGapMs(uint64_t streamId, double fromS, double untilS) const;

private:
    struct Stream
    {
        bool seen[2] = {false, false};
        uint32_t high[2] = {0, 0}; ///< end of the highest data, per receiving end
        uint64_t reordered = 0;
        double last = -1;                            ///< latest data arrival (any direction)
        std::vector<std::pair<double, double>> gaps; ///< pauses over 1 ms: (start, end)
    };
    struct Sink
    {
        ReorderCounter* self;
        size_t node;
    };
    static void OnSegment(Sink* sink, dysco::Direction dir, const std::vector<uint8_t>& p);

    RunContext& m_ctx;
    std::vector<std::unique_ptr<Sink>> m_sinks;
    std::map<uint64_t, Stream> m_streams;
};

} // namespace dyscosim

#endif
