#pragma once
// Helpers shared by the PromQL tests: build a source from promtool-style series specs
// and render results the way promtool's exp_samples want them.
#include "backends/telemetry/promql/ast.h"
#include "vector_series_source.h"

#include <cmath>
#include <string>

namespace opsdeck::telemetry::promql::test {

// 'name{a="1"}' -> Labels, using our own parser (equality matchers only).
inline Labels labelsOf(const std::string &series)
{
    auto e = parse(series);
    if (!e)
        throw std::runtime_error("bad series " + series + ": " + e.error());
    std::vector<Label> items;
    for (const auto &m : e->root()->matchers)
        items.emplace_back(m.name, m.value);
    return Labels(std::move(items));
}

inline std::string yamlQuote(const std::string &s)
{
    std::string out = "'";
    for (char c : s)
        out += c == '\'' ? std::string("''") : std::string(1, c);
    return out + "'";
}

inline std::string yamlNumber(double v)
{
    if (std::isinf(v))
        return v > 0 ? ".inf" : "-.inf";
    return formatValue(v);
}

} // namespace opsdeck::telemetry::promql::test
