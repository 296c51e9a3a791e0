#pragma once
// The entries the crash writer commits: entry n has a deterministic text of varying
// length (up to a few pages) and a payload carrying n and the FNV-1a hash of the text,
// so the parent can tell an intact entry from a torn one.
#include <cstdint>
#include <string>

namespace opsdeck::models::testing {

inline uint64_t fnv1a(const std::string &text)
{
    uint64_t hash = 1469598103934665603ull;
    for (unsigned char c : text) {
        hash ^= c;
        hash *= 1099511628211ull;
    }
    return hash;
}

inline std::string crashEntryText(int64_t seq)
{
    std::string text = "entry " + std::to_string(seq) + " ";
    const size_t length = size_t((seq * 7919) % 9000) + 16; // spans 1..3 pages
    while (text.size() < length)
        text += char('a' + (seq + int64_t(text.size())) % 26);
    return text;
}

inline std::string crashEntryPayload(int64_t seq)
{
    return "{\"seq\":" + std::to_string(seq) + ",\"fnv\":\""
           + std::to_string(fnv1a(crashEntryText(seq))) + "\"}";
}

} // namespace opsdeck::models::testing
