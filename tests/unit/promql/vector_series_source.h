#pragma once
// A SeriesSource over plain vectors, for tests: no store needed. Series are written in
// promtool's input_series notation ("1+1x10", "_" for a gap, "stale" for a marker).
#include "backends/telemetry/promql/promql.h"
#include "backends/telemetry/promql/regex.h"

#include <cmath>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace opsdeck::telemetry::promql::test {

// Expands "0+10x5 _ 3 stale" into (step index, value) pairs, as promtool does.
inline std::vector<std::pair<int, double>> expandValues(const std::string &notation)
{
    std::vector<std::pair<int, double>> out;
    std::istringstream in(notation);
    std::string tok;
    int idx = 0;
    while (in >> tok) {
        if (tok == "_") {
            ++idx;
            continue;
        }
        if (tok == "stale") {
            out.emplace_back(idx++, staleNaN());
            continue;
        }
        const auto x = tok.find('x');
        if (x == std::string::npos) {
            out.emplace_back(idx++, std::stod(tok));
            continue;
        }
        // a+bxn / a-bxn: a, a±b, ..., n+1 values in all
        const std::string head = tok.substr(0, x);
        const int times = std::stoi(tok.substr(x + 1));
        std::size_t sign = head.find_first_of("+-", 1);
        while (sign != std::string::npos && (head[sign - 1] == 'e' || head[sign - 1] == 'E'))
            sign = head.find_first_of("+-", sign + 1);
        const double start = std::stod(head.substr(0, sign));
        const double delta = sign == std::string::npos ? 0 : std::stod(head.substr(sign));
        for (int i = 0; i <= times; ++i)
            out.emplace_back(idx++, start + delta * i);
    }
    return out;
}

class VectorSeriesSource : public SeriesSource {
public:
    // Adds a series sampled every intervalMs starting at 0.
    void add(Labels labels, const std::string &values, std::int64_t intervalMs = 60'000)
    {
        SeriesData s{std::move(labels), {}};
        for (const auto &[i, v] : expandValues(values))
            s.points.push_back(Point{i * intervalMs, v});
        m_series.push_back(std::move(s));
    }
    void addPoints(Labels labels, std::vector<Point> points) { m_series.push_back({std::move(labels), std::move(points)}); }

    std::vector<SeriesData> select(const std::vector<LabelMatcher> &matchers, std::int64_t minT,
                                   std::int64_t maxT) const override
    {
        ++selectCalls;
        std::vector<SeriesData> out;
        for (const auto &s : m_series) {
            bool ok = true;
            for (const auto &m : matchers) {
                const std::string &v = s.labels.get(m.name);
                switch (m.op) {
                case LabelMatcher::Op::Equal: ok = v == m.value; break;
                case LabelMatcher::Op::NotEqual: ok = v != m.value; break;
                case LabelMatcher::Op::RegexMatch: ok = (*AnchoredRegex::compile(m.value))->matches(v); break;
                case LabelMatcher::Op::RegexNoMatch: ok = !(*AnchoredRegex::compile(m.value))->matches(v); break;
                }
                if (!ok)
                    break;
            }
            if (!ok)
                continue;
            SeriesData d{s.labels, {}};
            for (const auto &p : s.points)
                if (p.t >= minT && p.t <= maxT)
                    d.points.push_back(p);
            out.push_back(std::move(d));
        }
        return out;
    }

    mutable int selectCalls = 0;

private:
    std::vector<SeriesData> m_series;
};

} // namespace opsdeck::telemetry::promql::test
