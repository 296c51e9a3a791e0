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
constexpr std::string_view kNameLabel = "__name__";

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

const std::vector<Label> &Labels::emptyItems()
{
    static const std::vector<Label> empty;
    return empty;
}

void Labels::adopt(std::vector<Label> items)
{
    if (items.empty()) {
        m_data.reset();
        return;
    }
    auto data = std::make_shared<Data>();
    data->items = std::move(items);
    m_data = std::move(data);
}

std::vector<Label> &Labels::mutableItems()
{
    if (!m_data) {
        m_data = std::make_shared<Data>();
    } else if (m_data.use_count() > 1) {
        auto copy = std::make_shared<Data>();
        copy->items = m_data->items;
        m_data = std::move(copy);
    } else {
        m_data->hashed.store(false, std::memory_order_relaxed);
        m_data->withoutName.store(nullptr, std::memory_order_relaxed);
    }
    return m_data->items;
}

void Labels::dropName()
{
    std::shared_ptr<Data> sibling = m_data->withoutName.load(std::memory_order_acquire);
    if (!sibling) {
        auto made = std::make_shared<Data>();
        made->items.reserve(m_data->items.size() - 1);
        for (const Label &l : m_data->items)
            if (l.first != kNameLabel)
                made->items.push_back(l);
        // Another thread may have been first; then use its copy, so both share one block.
        if (m_data->withoutName.compare_exchange_strong(sibling, made, std::memory_order_acq_rel))
            sibling = std::move(made);
    }
    if (sibling->items.empty())
        m_data.reset();
    else
        m_data = std::move(sibling);
}

Labels::Labels(std::initializer_list<Label> init)
{
    std::vector<Label> items(init);
    sortUnique(items);
    adopt(std::move(items));
}

Labels::Labels(std::vector<Label> unsorted)
{
    sortUnique(unsorted);
    adopt(std::move(unsorted));
}

bool operator==(const Labels &a, const Labels &b)
{
    if (a.m_data == b.m_data)
        return true;
    if (a.size() != b.size())
        return false;
    // Two cached hashes that differ settle it without comparing strings.
    if (a.m_data && b.m_data && a.m_data->hashed.load(std::memory_order_acquire) &&
        b.m_data->hashed.load(std::memory_order_acquire) &&
        a.m_data->hash.load(std::memory_order_relaxed) != b.m_data->hash.load(std::memory_order_relaxed))
        return false;
    return a.items() == b.items();
}

namespace {
auto findLabel(const std::vector<Label> &items, std::string_view name)
{
    return std::lower_bound(items.begin(), items.end(), name,
                            [](const Label &l, std::string_view n) { return l.first < n; });
}
} // namespace

const std::string &Labels::get(std::string_view name) const
{
    const std::vector<Label> &all = items();
    auto it = findLabel(all, name);
    return (it != all.end() && it->first == name) ? it->second : kEmpty;
}

bool Labels::has(std::string_view name) const
{
    const std::vector<Label> &all = items();
    auto it = findLabel(all, name);
    return it != all.end() && it->first == name;
}

void Labels::set(std::string_view name, std::string_view value)
{
    {
        // Only copy a shared block when the write changes something.
        const std::vector<Label> &all = items();
        auto it = findLabel(all, name);
        const bool found = it != all.end() && it->first == name;
        if (value.empty() ? !found : (found && it->second == value))
            return;
    }
    if (value.empty() && name == kNameLabel) {
        dropName();
        return;
    }
    std::vector<Label> &all = mutableItems();
    auto it = std::lower_bound(all.begin(), all.end(), name,
                               [](const Label &l, std::string_view n) { return l.first < n; });
    const bool found = it != all.end() && it->first == name;
    if (value.empty()) {
        all.erase(it);
        if (all.empty())
            m_data.reset();
    } else if (found) {
        it->second = std::string(value);
    } else {
        all.insert(it, Label{std::string(name), std::string(value)});
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
    if (m_data && m_data->hashed.load(std::memory_order_acquire))
        return m_data->hash.load(std::memory_order_relaxed);
    LabelHasher hasher;
    for (const auto &[n, v] : items()) {
        hasher.mix(n);
        hasher.mix(v);
    }
    const auto h = static_cast<std::size_t>(hasher.h);
    if (m_data) { // racing threads store the same value
        m_data->hash.store(h, std::memory_order_relaxed);
        m_data->hashed.store(true, std::memory_order_release);
    }
    return h;
}

std::size_t Labels::hashWithName(std::string_view metricName) const
{
    LabelHasher hasher;
    bool nameDone = metricName.empty(); // an empty value means "no such label"
    for (const auto &[n, v] : items()) {
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
    auto it = full.items().begin();
    const auto end = full.items().end();
    auto take = [&](std::string_view n, std::string_view v) {
        if (it == end || it->first != n || it->second != v)
            return false;
        ++it;
        return true;
    };
    bool nameDone = metricName.empty();
    for (const auto &[n, v] : items()) {
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
    for (const auto &[n, v] : items()) {
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
