// The one error type of scenario loading and validation. Its text names the file, the JSON
// path of the offending value and what was expected, so a user can fix the file without
// reading the loader; the CLI prints it as one line and exits with code 2.
#ifndef DYSCOSIM_SCENARIO_ERROR_H
#define DYSCOSIM_SCENARIO_ERROR_H

#include <stdexcept>
#include <string>

namespace dyscosim
{

class ScenarioError : public std::runtime_error
{
public:
    /// `path` is a JSON path such as "$.links[2].rate", or "" for errors about the whole file
    /// (unreadable, syntax error; the message then carries the line and column).
    ScenarioError(std::string file, std::string path, std::string message);

    const std::string& File() const { return m_file; }
    const std::string& Path() const { return m_path; }
    const std::string& Message() const { return m_message; }

private:
    std::string m_file;
    std::string m_path;
    std::string m_message;
};

} // namespace dyscosim

#endif
