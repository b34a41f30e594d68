// JSON text to a document, strictly: syntax errors carry line and column, and a key that
// appears twice in one object is an error (nlohmann would silently keep the last one, so a
// pasted second "loss" would quietly win).
#ifndef DYSCOSIM_STRICT_JSON_H
#define DYSCOSIM_STRICT_JSON_H

#include <nlohmann/json.hpp>
#include <string>

namespace dyscosim
{

/// Throws ScenarioError naming `file` on a syntax error or a duplicate key.
nlohmann::json ParseJsonStrict(const std::string& text, const std::string& file);

} // namespace dyscosim

#endif
