#include "memory_series.h"

#include <algorithm>
#include <regex>
#include <unordered_map>

namespace opsdeck::telemetry::rules {

bool matches(const LabelMatcher &m, const Labels &labels)
{
    const std::string &value = labels.get(m.name);
    switch (m.op) {
    case LabelMatcher::Op::Equal:
        return value == m.value;
    case LabelMatcher::Op::NotEqual:
        return value != m.value;
    case LabelMatcher::Op::RegexMatch:
    case LabelMatcher::Op::RegexNoMatch: {
        // Compiled regexes are cached: rules evaluate the same selectors every interval.
        static thread_local std::unordered_map<std::string, std::regex> cache;
        auto it = cache.find(m.value);
        if (it == cache.end()) {
            std::regex re;
            try {
                re = std::regex(m.value, std::regex::ECMAScript);
            } catch (const std::regex_error &) {
                re = std::regex("(?!)"); // an invalid regex matches nothing
            }
            it = cache.emplace(m.value, std::move(re)).first;
        }
        const bool hit = std::regex_match(value, it->second);
        return m.op == LabelMatcher::Op::RegexMatch ? hit : !hit;
    }
    }
    return false;
}

std::vector<SeriesData> MemorySeries::select(const std::vector<LabelMatcher> &matchers,
                                             std::int64_t minT, std::int64_t maxT) const
{
    maxT = std::min(maxT, m_visibleUntil);
    std::vector<SeriesData> out;
    for (const auto &entry : m_series) {
        const Labels &labels = entry.first; // not a structured binding: clang 14 cannot capture those
        const std::vector<Point> &points = entry.second;
        if (!std::all_of(matchers.begin(), matchers.end(),
                         [&](const LabelMatcher &m) { return matches(m, labels); }))
            continue;
        SeriesData data{labels, {}};
        const auto lo = std::lower_bound(points.begin(), points.end(), minT,
                                         [](const Point &p, std::int64_t t) { return p.t < t; });
        for (auto it = lo; it != points.end() && it->t <= maxT; ++it)
            data.points.push_back(*it);
        if (!data.points.empty())
            out.push_back(std::move(data));
    }
    return out;
}

void MemorySeries::append(const Labels &series, std::int64_t tMs, double value)
{
    auto &points = m_series[series];
    if (points.empty() || points.back().t < tMs) {
        points.push_back({tMs, value});
        return;
    }
    const auto it = std::lower_bound(points.begin(), points.end(), tMs,
                                     [](const Point &p, std::int64_t t) { return p.t < t; });
    if (it != points.end() && it->t == tMs)
        it->v = value;
    else
        points.insert(it, {tMs, value});
}

} // namespace opsdeck::telemetry::rules
