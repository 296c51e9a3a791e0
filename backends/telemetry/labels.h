#pragma once
// A Prometheus label set. Kept sorted by name (the metric name, if present, is the
// label "__name__"), so equality and hashing are cheap and order-independent.
//
// Copies share one immutable block (copy-on-write): PromQL hands the same series' labels
// from the store to selectors, functions and aggregations thousands of times per rule,
// and a copy is now a reference-count increment instead of a vector of string pairs. The
// block also caches hash() and its sibling without __name__, and equal blocks compare
// equal without looking at strings.
// A write (set, remove) copies the block first if anyone else holds it. Thread safety is
// that of a plain value: distinct Labels objects may be used from different threads even
// when they share a block.
#include <atomic>
#include <cstddef>
#include <memory>
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

    const std::vector<Label> &items() const { return m_data ? m_data->items : emptyItems(); }
    bool empty() const { return !m_data || m_data->items.empty(); }
    std::size_t size() const { return m_data ? m_data->items.size() : 0; }
    std::size_t hash() const; // computed once per shared block
    // Whether both hold the very same block (then they are equal without comparing).
    bool sharesWith(const Labels &other) const { return m_data == other.m_data; }
    // hash() and operator== of this set with __name__ set to metricName, computed without
    // building that set: the store maps every scraped sample to its series this way.
    std::size_t hashWithName(std::string_view metricName) const;
    bool equalsWithName(std::string_view metricName, const Labels &full) const;
    // `name{a="1", b="2"}` as Prometheus prints series.
    std::string toString() const;

    friend bool operator==(const Labels &a, const Labels &b);
    friend bool operator<(const Labels &a, const Labels &b)
    {
        return a.m_data != b.m_data && a.items() < b.items();
    }

private:
    struct Data {
        std::vector<Label> items;
        mutable std::atomic<bool> hashed{false};
        mutable std::atomic<std::size_t> hash{0};
        // This set without __name__, made on first use: every rate(), arithmetic operator
        // and aggregation drops the name of the same store series again each evaluation.
        mutable std::atomic<std::shared_ptr<Data>> withoutName;
    };
    void dropName(); // remove("__name__") through the shared block's cached sibling
    static const std::vector<Label> &emptyItems();
    // The items, made private to this object first (copied if shared); drops the cached hash.
    std::vector<Label> &mutableItems();
    void adopt(std::vector<Label> items); // sorted, unique, no empty values

    std::shared_ptr<Data> m_data; // null: no labels
};

struct LabelsHash {
    std::size_t operator()(const Labels &l) const { return l.hash(); }
};

} // namespace opsdeck::telemetry
