// Scenario loader (scenarios/scenario_loader.h): any text is either a valid scenario or a
// ScenarioError naming the file; no other exception, no sanitizer report.
#include "harness.h"
#include "scenario_error.h"
#include "scenario_loader.h"

#include <string>

namespace dysco
{
namespace fuzz
{

int
FuzzScenario(const uint8_t* data, size_t size)
{
    const std::string text(reinterpret_cast<const char*>(data), size);
    for (bool quick : {false, true})
    {
        try
        {
            dyscosim::LoadScenarioText(text, "fuzz.json", dyscosim::LoadOptions{quick});
        }
        catch (const dyscosim::ScenarioError& e)
        {
            FUZZ_CHECK(std::string(e.what()).find("fuzz.json") != std::string::npos,
                       "scenario error without the file name");
        }
        // Any other exception escapes: libFuzzer reports it as a crash (uncaught exception).
    }
    return 0;
}

} // namespace fuzz
} // namespace dysco
