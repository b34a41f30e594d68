#include "scenario_error.h"

namespace dyscosim
{

namespace
{

std::string
Compose(const std::string& file, const std::string& path, const std::string& message)
{
    std::string text = file.empty() ? std::string("<scenario>") : file;
    if (!path.empty())
    {
        text += ": " + path;
    }
    return text + ": " + message;
}

} // namespace

ScenarioError::ScenarioError(std::string file, std::string path, std::string message)
    : std::runtime_error(Compose(file, path, message))
    , m_file(std::move(file))
    , m_path(std::move(path))
    , m_message(std::move(message))
{
}

} // namespace dyscosim
