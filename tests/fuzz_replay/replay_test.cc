// Every seed input and every past fuzzer finding (fuzz/corpus/NAME, fuzz/regressions/NAME)
// replayed through its harness in the ordinary test build: a regression makes the harness
// abort (a failed property) or the sanitizer build report, and this test dies with it.
#include "harness/harness.h"

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <iterator>

namespace fs = std::filesystem;
using dysco::fuzz::Target;

namespace dysco
{
namespace fuzz
{
void
PrintTo(const Target& t, std::ostream* os)
{
    *os << t.name;
}
} // namespace fuzz
} // namespace dysco

namespace
{

size_t
ReplayDir(const Target& t, const fs::path& dir)
{
    size_t n = 0;
    if (!fs::is_directory(dir))
    {
        return 0;
    }
    for (const auto& e : fs::directory_iterator(dir))
    {
        if (!e.is_regular_file())
        {
            continue;
        }
        std::ifstream in(e.path(), std::ios::binary);
        const std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                                         std::istreambuf_iterator<char>());
        SCOPED_TRACE(e.path().string());
        EXPECT_EQ(t.entry(bytes.data(), bytes.size()), 0);
        ++n;
    }
    return n;
}

class Replay : public ::testing::TestWithParam<Target>
{
};

TEST_P(Replay, SeedCorpusAndRegressions)
{
    const fs::path root(DYSCO_FUZZ_CORPUS_DIR);
    const size_t seeds = ReplayDir(GetParam(), root / "corpus" / GetParam().name);
    const size_t regressions = ReplayDir(GetParam(), root / "regressions" / GetParam().name);
    std::cout << GetParam().name << ": " << seeds << " seeds, " << regressions
              << " regressions replayed\n";
    EXPECT_GE(seeds, 5u) << "seed corpus missing: run tools/fuzz.sh --seeds";
}

INSTANTIATE_TEST_SUITE_P(Fuzz, Replay, ::testing::ValuesIn(dysco::fuzz::Targets()),
                         [](const ::testing::TestParamInfo<Target>& i) { return i.param.name; });

} // namespace
