#include "strict_json.h"

#include "scenario_error.h"

#include <set>
#include <vector>

namespace dyscosim
{

using nlohmann::json;

namespace
{

/// Follows the parser's events to know the JSON path of each key.
class PathTracker
{
public:
    explicit PathTracker(std::string file)
        : m_file(std::move(file))
    {
    }

    bool Event(int /* depth */, json::parse_event_t event, json& parsed)
    {
        switch (event)
        {
        case json::parse_event_t::object_start:
            Push(true);
            break;
        case json::parse_event_t::array_start:
            Push(false);
            break;
        case json::parse_event_t::object_end:
        case json::parse_event_t::array_end:
            m_frames.pop_back();
            break;
        case json::parse_event_t::key:
        {
            Frame& f = m_frames.back();
            f.key = parsed.get<std::string>();
            if (!f.keys.insert(f.key).second)
            {
                throw ScenarioError(m_file, f.path + "." + f.key,
                                    "duplicate key; each key may appear once per object");
            }
            break;
        }
        case json::parse_event_t::value:
            Advance();
            break;
        }
        return true;
    }

    /// The path of the value being parsed (for an error the parser raises inside a value).
    std::string CurrentPath() const
    {
        if (m_frames.empty())
        {
            return "";
        }
        const Frame& f = m_frames.back();
        return f.object ? f.path + "." + f.key : f.path + "[" + std::to_string(f.index + 1) + "]";
    }

private:
    struct Frame
    {
        bool object = true;
        std::string path;
        std::set<std::string> keys; ///< objects: keys seen so far
        std::string key;            ///< objects: the key whose value comes next
        long index = -1;            ///< arrays: index of the current element
    };

    /// The path of the value starting now (an element of an array advances the index).
    std::string ChildPath()
    {
        if (m_frames.empty())
        {
            return "$";
        }
        Frame& f = m_frames.back();
        if (f.object)
        {
            return f.path + "." + f.key;
        }
        ++f.index;
        return f.path + "[" + std::to_string(f.index) + "]";
    }

    void Push(bool object)
    {
        Frame f;
        f.object = object;
        f.path = ChildPath();
        m_frames.push_back(std::move(f));
    }

    void Advance()
    {
        if (!m_frames.empty() && !m_frames.back().object)
        {
            ChildPath();
        }
    }

    std::string m_file;
    std::vector<Frame> m_frames;
};

} // namespace

json
ParseJsonStrict(const std::string& text, const std::string& file)
{
    PathTracker tracker(file);
    try
    {
        return json::parse(text, [&tracker](int depth, json::parse_event_t event, json& parsed)
                           { return tracker.Event(depth, event, parsed); });
    }
    catch (const json::parse_error& e)
    {
        // nlohmann words it "[json.exception.parse_error.101] parse error at line 3,
        // column 5: syntax error while parsing object - unexpected '}'; ...".
        std::string what = e.what();
        size_t at = what.find("parse error at ");
        std::string detail = at == std::string::npos ? what : what.substr(at + 15);
        throw ScenarioError(file, "", "JSON " + detail);
    }
    catch (const json::out_of_range& e)
    {
        // A number beyond every JSON number type: "[json.exception.out_of_range.406] number
        // overflow parsing '1e999'" (found by fuzzing: it escaped as an uncaught exception).
        std::string what = e.what();
        size_t at = what.find("] ");
        throw ScenarioError(file, tracker.CurrentPath(),
                            at == std::string::npos ? what : what.substr(at + 2));
    }
}

} // namespace dyscosim
