// libFuzzer target: the Kubernetes API decoders (lists, single objects, watch events,
// Status bodies) must accept or reject any input with a message, never crash or hang.
// Whatever a list decoder accepts must have exactly as many items as the JSON array.
#include "backends/remote/kube_decode.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    using namespace opsdeck::remote::kube;
    const std::string_view text(reinterpret_cast<const char *>(data), size);
    const auto doc = nlohmann::json::parse(text, nullptr, false);
    const std::size_t expected =
        doc.is_object() && doc.contains("items") && doc["items"].is_array() ? doc["items"].size() : 0;
    auto checkList = [&](const auto &page) {
        if (page.ok() && page->items.size() != expected)
            std::abort();
        if (!page.ok() && page.error().empty())
            std::abort(); // every rejection says why
    };
    checkList(decodePodList(text));
    checkList(decodeDeploymentList(text));
    checkList(decodeReplicaSetList(text));
    checkList(decodeNodeList(text));
    checkList(decodeEventList(text));
    if (auto event = decodeWatchEvent(text); event.ok() && event->object) {
        (void)decodePod(*event->object);
        (void)decodeDeployment(*event->object);
        (void)decodeNode(*event->object);
        (void)decodeEvent(*event->object);
    }
    (void)decodeStatus(text);
    if (!doc.is_discarded()) {
        (void)decodeReplicaSet(doc);
        (void)decodeMeta(doc);
    }
    (void)parseQuantity(text.substr(0, 64));
    (void)parseTimestamp(text.substr(0, 64));
    return 0;
}
