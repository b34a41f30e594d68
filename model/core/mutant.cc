#include "mutant.h"

namespace dysco
{

namespace
{
constexpr const char* kNames[] = {
    "none",
    "skip_new_path_delta",
    "skip_lock_delta",
    "untranslated_ack",
    "no_sack_translation",
    "wrong_checksum",
    "early_teardown",
    "new_data_on_old_path",
    "double_lock_grant",
    "cancel_without_unlock",
    "drop_ack_cancel",
    "abort_without_cancel",
    "no_free_at_close",
    "no_lock_timeout",
};
static_assert(sizeof(kNames) / sizeof(kNames[0]) == size_t(Mutant::kCount), "one name per mutant");
} // namespace

const char*
ToString(Mutant m)
{
    return m < Mutant::kCount ? kNames[size_t(m)] : "unknown";
}

bool
MutantFromString(const std::string& name, Mutant* out)
{
    for (size_t i = 0; i < size_t(Mutant::kCount); ++i)
    {
        if (name == kNames[i])
        {
            *out = Mutant(i);
            return true;
        }
    }
    return false;
}

#ifdef DYSCO_ENABLE_MUTANTS
namespace detail
{
Mutant g_activeMutant = Mutant::kNone;
}

void
SetMutant(Mutant m)
{
    detail::g_activeMutant = m;
}
#endif

} // namespace dysco
