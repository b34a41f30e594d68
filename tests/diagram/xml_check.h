// A small XML well-formedness checker for the diagram tests (no XML library in the build):
// one root element, properly nested and matching tags, quoted attributes without '<' and
// with unique names, known or numeric entities only, comments, processing instructions.
// Returns "" if well-formed, else what is wrong and where.
#ifndef DYSCO_TESTS_DIAGRAM_XML_CHECK_H
#define DYSCO_TESTS_DIAGRAM_XML_CHECK_H

#include <cctype>
#include <set>
#include <string>
#include <vector>

namespace dysco
{
namespace test
{

inline std::string
XmlProblem(const std::string& x)
{
    std::vector<std::string> open;
    bool rootSeen = false;
    size_t i = 0;
    auto at = [&](size_t p) { return " at offset " + std::to_string(p); };
    auto nameChar = [](char c)
    {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == ':' ||
               c == '.';
    };
    auto entity = [&](size_t p) -> std::string
    {
        const size_t semi = x.find(';', p);
        if (semi == std::string::npos || semi - p > 10)
        {
            return "bad entity" + at(p);
        }
        const std::string e = x.substr(p + 1, semi - p - 1);
        static const std::set<std::string> known = {"amp", "lt", "gt", "quot", "apos"};
        if (known.count(e) == 0 && !(e.size() > 1 && e[0] == '#'))
        {
            return "unknown entity &" + e + ";" + at(p);
        }
        return "";
    };
    while (i < x.size())
    {
        if (x[i] != '<')
        {
            if (x[i] == '&')
            {
                if (auto p = entity(i); !p.empty())
                {
                    return p;
                }
            }
            else if (open.empty() && !std::isspace(static_cast<unsigned char>(x[i])))
            {
                return "text outside the root element" + at(i);
            }
            ++i;
            continue;
        }
        if (x.compare(i, 4, "<!--") == 0)
        {
            const size_t end = x.find("-->", i + 4);
            if (end == std::string::npos)
            {
                return "unterminated comment" + at(i);
            }
            i = end + 3;
            continue;
        }
        if (x.compare(i, 2, "<?") == 0)
        {
            const size_t end = x.find("?>", i + 2);
            if (end == std::string::npos)
            {
                return "unterminated processing instruction" + at(i);
            }
            i = end + 2;
            continue;
        }
        const bool closing = i + 1 < x.size() && x[i + 1] == '/';
        size_t p = i + (closing ? 2 : 1);
        const size_t nameStart = p;
        while (p < x.size() && nameChar(x[p]))
        {
            ++p;
        }
        const std::string name = x.substr(nameStart, p - nameStart);
        if (name.empty())
        {
            return "tag without a name" + at(i);
        }
        if (closing)
        {
            while (p < x.size() && std::isspace(static_cast<unsigned char>(x[p])))
            {
                ++p;
            }
            if (p >= x.size() || x[p] != '>')
            {
                return "bad end tag </" + name + at(i);
            }
            if (open.empty() || open.back() != name)
            {
                return "end tag </" + name + "> does not match <" +
                       (open.empty() ? std::string("nothing") : open.back()) + ">" + at(i);
            }
            open.pop_back();
            i = p + 1;
            continue;
        }
        if (open.empty() && rootSeen)
        {
            return "second root element <" + name + ">" + at(i);
        }
        std::set<std::string> attributes;
        bool selfClosing = false;
        while (true)
        {
            while (p < x.size() && std::isspace(static_cast<unsigned char>(x[p])))
            {
                ++p;
            }
            if (p >= x.size())
            {
                return "unterminated tag <" + name + at(i);
            }
            if (x[p] == '>')
            {
                ++p;
                break;
            }
            if (x.compare(p, 2, "/>") == 0)
            {
                selfClosing = true;
                p += 2;
                break;
            }
            const size_t a = p;
            while (p < x.size() && nameChar(x[p]))
            {
                ++p;
            }
            const std::string attr = x.substr(a, p - a);
            if (attr.empty() || p >= x.size() || x[p] != '=' || p + 1 >= x.size() ||
                (x[p + 1] != '"' && x[p + 1] != '\''))
            {
                return "bad attribute in <" + name + ">" + at(a);
            }
            if (!attributes.insert(attr).second)
            {
                return "duplicate attribute " + attr + " in <" + name + ">" + at(a);
            }
            const char quote = x[p + 1];
            const size_t end = x.find(quote, p + 2);
            if (end == std::string::npos)
            {
                return "unterminated attribute value" + at(a);
            }
            for (size_t k = p + 2; k < end; ++k)
            {
                if (x[k] == '<')
                {
                    return "'<' in an attribute value" + at(k);
                }
                if (x[k] == '&')
                {
                    if (auto problem = entity(k); !problem.empty())
                    {
                        return problem;
                    }
                }
            }
            p = end + 1;
        }
        rootSeen = true;
        if (!selfClosing)
        {
            open.push_back(name);
        }
        i = p;
    }
    if (!open.empty())
    {
        return "unclosed element <" + open.back() + ">";
    }
    return rootSeen ? "" : "no root element";
}

} // namespace test
} // namespace dysco

#endif
