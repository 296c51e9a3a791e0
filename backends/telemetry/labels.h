#pragma once
// A Prometheus label set. Kept sorted by name (the metric name, if present, is the
// label "__name__"), so equality and hashing are cheap and order-independent.
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace opsdeck::telemetry {

using Label = std::pair<std::string, std::string>;

class Labels {
public:
    Labels() = default;
    Labels(std::initializer_list<Label> init); // sorts; later duplicates win
    explicit Labels(std::vector<Label> unsorted);

    // Empty string when absent (Prometheus treats a missing label as "").
    const std::string &get(std::string_view name) const;
    bool has(std::string_view name) const;
    void set(std::string_view name, std::string_view value); // empty value removes
    void remove(std::string_view name);
    std::string name() const { return get("__name__"); }
    Labels withoutName() const;

    const std::vector<Label> &items() const { return m_items; }
    bool empty() const { return m_items.empty(); }
    std::size_t size() const { return m_items.size(); }
    std::size_t hash() const;
    // hash() and operator== of this set with __name__ set to metricName, computed without
    // building that set: the store maps every scraped sample to its series this way.
    std::size_t hashWithName(std::string_view metricName) const;
    bool equalsWithName(std::string_view metricName, const Labels &full) const;
    // `name{a="1", b="2"}` as Prometheus prints series.
    std::string toString() const;

    friend bool operator==(const Labels &a, const Labels &b) { return a.m_items == b.m_items; }
    friend bool operator<(const Labels &a, const Labels &b) { return a.m_items < b.m_items; }

private:
    std::vector<Label> m_items;
};

struct LabelsHash {
    std::size_t operator()(const Labels &l) const { return l.hash(); }
};

} // namespace opsdeck::telemetry
