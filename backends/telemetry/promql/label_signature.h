#pragma once
// Grouping keys and vector-matching signatures as 64-bit hashes of a label subset, as
// Prometheus does with labels.HashForLabels / HashWithoutLabels, instead of strings built
// per series. Unlike Prometheus, a hash collision is never taken for a match: entries with
// the same hash are told apart by comparing the label subsets themselves.
#include "../labels.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace opsdeck::telemetry::promql {

// Which labels make up a signature: the listed ones (`by`, `on`) or all but the listed
// ones and __name__ (`without`, `ignoring`, and one-to-one matching without `on`).
class LabelSubset {
public:
    LabelSubset(const std::vector<std::string> &names, bool onlyListed) : m_names(names), m_onlyListed(onlyListed) {}

    bool keeps(const std::string &name) const
    {
        const bool listed = std::find(m_names.begin(), m_names.end(), name) != m_names.end();
        return m_onlyListed ? listed : !(listed || name == "__name__");
    }

    std::uint64_t hash(const Labels &l) const
    {
        std::uint64_t h = 0xcbf29ce484222325ull;
        for (const auto &[name, value] : l.items()) {
            if (!keeps(name))
                continue;
            h = mix(h, std::hash<std::string_view>{}(name));
            h = mix(h, std::hash<std::string_view>{}(value));
        }
        return h;
    }

    // Whether a and b agree on every label of the subset (absent on both counts as equal).
    bool same(const Labels &a, const Labels &b) const
    {
        auto ia = a.items().begin(), ea = a.items().end();
        auto ib = b.items().begin(), eb = b.items().end();
        while (true) {
            while (ia != ea && !keeps(ia->first))
                ++ia;
            while (ib != eb && !keeps(ib->first))
                ++ib;
            if (ia == ea || ib == eb)
                return ia == ea && ib == eb;
            if (*ia != *ib)
                return false;
            ++ia;
            ++ib;
        }
    }

    // The subset as a label set of its own.
    Labels project(const Labels &l) const
    {
        std::vector<Label> kept;
        for (const auto &item : l.items())
            if (keeps(item.first))
                kept.push_back(item);
        return Labels(std::move(kept));
    }

private:
    static std::uint64_t mix(std::uint64_t h, std::uint64_t v)
    {
        h ^= v + 0x9e3779b97f4a7c15ull + (h << 12) + (h >> 4);
        return h * 0xff51afd7ed558ccdull;
    }

    const std::vector<std::string> &m_names;
    bool m_onlyListed;
};

// Entries (numbered 0, 1, 2, ... in the order added) found by signature hash; entries
// whose hashes collide are chained and checked with the caller's comparison.
class SignatureIndex {
public:
    static constexpr std::size_t npos = ~std::size_t{0};

    explicit SignatureIndex(std::size_t expected = 0) { m_head.reserve(expected); }

    // The entry with hash h for which isSame(entry) holds, or npos.
    template <typename IsSame>
    std::size_t find(std::uint64_t h, IsSame isSame) const
    {
        auto it = m_head.find(h);
        if (it == m_head.end())
            return npos;
        for (std::size_t e = it->second; e != npos; e = m_next[e])
            if (isSame(e))
                return e;
        return npos;
    }

    // Adds the next entry (number size()) under hash h.
    std::size_t add(std::uint64_t h)
    {
        const std::size_t entry = m_next.size();
        auto [it, inserted] = m_head.try_emplace(h, entry);
        m_next.push_back(inserted ? npos : it->second);
        if (!inserted)
            it->second = entry;
        return entry;
    }

    std::size_t size() const { return m_next.size(); }

private:
    std::unordered_map<std::uint64_t, std::size_t> m_head;
    std::vector<std::size_t> m_next;
};

} // namespace opsdeck::telemetry::promql
