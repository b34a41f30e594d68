// A CSV file of a run as rows keyed by the header's column names (test helper).
#ifndef DYSCOSIM_TESTS_MIDDLEBOX_CSV_ROWS_H
#define DYSCOSIM_TESTS_MIDDLEBOX_CSV_ROWS_H

#include "scenarios/dyscosim_process.h"

#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace dyscosim::test
{

using CsvRow = std::map<std::string, std::string>;

inline std::vector<CsvRow>
ReadCsv(const std::string& path)
{
    std::istringstream in(ReadFile(path));
    std::string line;
    std::vector<std::string> header;
    std::vector<CsvRow> rows;
    while (std::getline(in, line))
    {
        std::vector<std::string> cells;
        std::stringstream ls(line);
        std::string cell;
        while (std::getline(ls, cell, ','))
        {
            cells.push_back(cell);
        }
        if (!line.empty() && line.back() == ',')
        {
            cells.emplace_back();
        }
        if (header.empty())
        {
            header = cells;
            continue;
        }
        CsvRow row;
        for (size_t i = 0; i < header.size() && i < cells.size(); ++i)
        {
            row[header[i]] = cells[i];
        }
        rows.push_back(row);
    }
    return rows;
}

} // namespace dyscosim::test

#endif
