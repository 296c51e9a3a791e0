#include "labels.h"
#include "series_source.h"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <functional>

namespace opsdeck::telemetry {

namespace {
const std::string kEmpty;

void sortUnique(std::vector<Label> &items)
{
    // stable so that, among duplicates, the last one given is kept
    std::stable_sort(items.begin(), items.end(),
                     [](const Label &a, const Label &b) { return a.first < b.first; });
    std::vector<Label> out;
    out.reserve(items.size());
    for (auto &l : items) {
        if (!out.empty() && out.back().first == l.first)
            out.back() = std::move(l);
        else
            out.push_back(std::move(l));
    }
    std::erase_if(out, [](const Label &l) { return l.second.empty(); });
    items = std::move(out);
}

std::string escapeValue(const std::string &v)
{
    std::string out;
    out.reserve(v.size());
    for (char c : v) {
        if (c == '\\' || c == '"') {
            out += '\\';
            out += c;
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out += c;
        }
    }
    return out;
}
} // namespace

Labels::Labels(std::initializer_list<Label> init) : m_items(init) { sortUnique(m_items); }

Labels::Labels(std::vector<Label> unsorted) : m_items(std::move(unsorted)) { sortUnique(m_items); }

const std::string &Labels::get(std::string_view name) const
{
    auto it = std::lower_bound(m_items.begin(), m_items.end(), name,
                               [](const Label &l, std::string_view n) { return l.first < n; });
    return (it != m_items.end() && it->first == name) ? it->second : kEmpty;
}

bool Labels::has(std::string_view name) const
{
    auto it = std::lower_bound(m_items.begin(), m_items.end(), name,
                               [](const Label &l, std::string_view n) { return l.first < n; });
    return it != m_items.end() && it->first == name;
}

void Labels::set(std::string_view name, std::string_view value)
{
    auto it = std::lower_bound(m_items.begin(), m_items.end(), name,
                               [](const Label &l, std::string_view n) { return l.first < n; });
    const bool found = it != m_items.end() && it->first == name;
    if (value.empty()) {
        if (found)
            m_items.erase(it);
    } else if (found) {
        it->second = std::string(value);
    } else {
        m_items.insert(it, Label{std::string(name), std::string(value)});
    }
}

void Labels::remove(std::string_view name) { set(name, {}); }

Labels Labels::withoutName() const
{
    Labels copy = *this;
    copy.remove("__name__");
    return copy;
}

namespace {
constexpr std::string_view kNameLabel = "__name__";

// FNV-1a over name\xff value\xff ...: stable across runs (determinism matters here).
struct LabelHasher {
    std::uint64_t h = 14695981039346656037ull; // the FNV-1a 64-bit offset basis
    void mix(std::string_view s)
    {
        for (unsigned char c : s) {
            h ^= c;
            h *= 1099511628211ull;
        }
        h ^= 0xff;
        h *= 1099511628211ull;
    }
};
} // namespace

std::size_t Labels::hash() const
{
    LabelHasher hasher;
    for (const auto &[n, v] : m_items) {
        hasher.mix(n);
        hasher.mix(v);
    }
    return static_cast<std::size_t>(hasher.h);
}

std::size_t Labels::hashWithName(std::string_view metricName) const
{
    LabelHasher hasher;
    bool nameDone = metricName.empty(); // an empty value means "no such label"
    for (const auto &[n, v] : m_items) {
        if (!nameDone && kNameLabel <= n) {
            hasher.mix(kNameLabel);
            hasher.mix(metricName);
            nameDone = true;
            if (n == kNameLabel)
                continue; // replaced
        }
        hasher.mix(n);
        hasher.mix(v);
    }
    if (!nameDone) {
        hasher.mix(kNameLabel);
        hasher.mix(metricName);
    }
    return static_cast<std::size_t>(hasher.h);
}

bool Labels::equalsWithName(std::string_view metricName, const Labels &full) const
{
    auto it = full.m_items.begin();
    const auto end = full.m_items.end();
    auto take = [&](std::string_view n, std::string_view v) {
        if (it == end || it->first != n || it->second != v)
            return false;
        ++it;
        return true;
    };
    bool nameDone = metricName.empty();
    for (const auto &[n, v] : m_items) {
        if (!nameDone && kNameLabel <= n) {
            if (!take(kNameLabel, metricName))
                return false;
            nameDone = true;
            if (n == kNameLabel)
                continue;
        }
        if (!take(n, v))
            return false;
    }
    if (!nameDone && !take(kNameLabel, metricName))
        return false;
    return it == end;
}

std::string Labels::toString() const
{
    std::string out = name();
    std::string inner;
    for (const auto &[n, v] : m_items) {
        if (n == "__name__")
            continue;
        if (!inner.empty())
            inner += ", ";
        inner += n + "=\"" + escapeValue(v) + "\"";
    }
    if (!inner.empty() || out.empty())
        out += "{" + inner + "}";
    return out;
}

double staleNaN() { return std::bit_cast<double>(std::uint64_t{0x7ff0000000000002ull}); }

bool isStaleNaN(double v) { return std::bit_cast<std::uint64_t>(v) == 0x7ff0000000000002ull; }

} // namespace opsdeck::telemetry
