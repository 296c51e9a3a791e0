#include "patch.h"

namespace opsdeck::kubeapi {

using nlohmann::json;

namespace {

// The merge key of the lists SMP merges element-wise (from the Kubernetes types'
// patchMergeKey tags); every other list is replaced whole.
const char *mergeKeyFor(const std::string &field)
{
    if (field == "containers" || field == "initContainers" || field == "ephemeralContainers" || field == "env" ||
        field == "volumes" || field == "volumeMounts" || field == "imagePullSecrets")
        return field == "volumeMounts" ? "mountPath" : "name";
    if (field == "ports")
        return "containerPort";
    if (field == "tolerations" || field == "finalizers")
        return nullptr;
    return nullptr;
}

Result<json> strategicMerge(const json &target, const json &patch, const std::string &where)
{
    if (!patch.is_object())
        return patch;
    if (patch.contains("$patch")) {
        const std::string directive = patch["$patch"].is_string() ? patch["$patch"].get<std::string>() : "";
        if (directive == "replace") {
            json out = patch;
            out.erase("$patch");
            return out;
        }
        if (directive == "delete")
            return json(); // caller drops the key
        if (directive != "merge")
            return Error{where + ": unknown $patch directive \"" + directive + "\""};
    }
    json out = target.is_object() ? target : json::object();
    for (const auto &[key, value] : patch.items()) {
        if (key == "$patch" || key.rfind("$setElementOrder/", 0) == 0 || key.rfind("$retainKeys", 0) == 0 ||
            key.rfind("$deleteFromPrimitiveList/", 0) == 0)
            continue;
        const std::string path = where + "." + key;
        if (value.is_null()) {
            out.erase(key);
            continue;
        }
        if (value.is_object()) {
            Result<json> merged = strategicMerge(out.contains(key) ? out[key] : json(), value, path);
            if (!merged)
                return merged;
            if (merged->is_null())
                out.erase(key);
            else
                out[key] = *merged;
            continue;
        }
        const char *mergeKey = value.is_array() ? mergeKeyFor(key) : nullptr;
        if (!mergeKey || !out.contains(key) || !out[key].is_array()) {
            out[key] = value;
            continue;
        }
        json list = out[key];
        for (const json &item : value) {
            if (!item.is_object() || !item.contains(mergeKey))
                return Error{path + ": every item needs its merge key \"" + std::string(mergeKey) + "\""};
            bool merged = false;
            const bool remove = item.value("$patch", "") == "delete";
            for (auto it = list.begin(); it != list.end(); ++it) {
                if (!it->is_object() || !it->contains(mergeKey) || (*it)[mergeKey] != item[mergeKey])
                    continue;
                if (remove) {
                    list.erase(it);
                } else {
                    Result<json> m = strategicMerge(*it, item, path + "[" + item[mergeKey].dump() + "]");
                    if (!m)
                        return m;
                    *it = *m;
                }
                merged = true;
                break;
            }
            if (!merged && !remove)
                list.push_back(item);
        }
        out[key] = list;
    }
    return out;
}

} // namespace

Result<PatchType> patchTypeFromContentType(const std::string &contentType)
{
    const std::string base = contentType.substr(0, contentType.find(';'));
    if (base == "application/merge-patch+json")
        return PatchType::Merge;
    if (base == "application/json-patch+json")
        return PatchType::Json;
    if (base == "application/strategic-merge-patch+json")
        return PatchType::StrategicMerge;
    return Error{"the body of the request was in an unknown format - accepted media types include: "
                 "application/json-patch+json, application/merge-patch+json, "
                 "application/strategic-merge-patch+json (got \"" + contentType + "\")"};
}

Result<json> applyPatch(const json &target, const std::string &patchText, PatchType type)
{
    json patch;
    try {
        patch = json::parse(patchText);
    } catch (const json::parse_error &e) {
        return Error{std::string("error decoding patch: ") + e.what()};
    }
    switch (type) {
    case PatchType::Merge: {
        if (!patch.is_object())
            return Error{"error decoding patch: a merge patch must be a JSON object"};
        json out = target;
        out.merge_patch(patch);
        return out;
    }
    case PatchType::Json: {
        if (!patch.is_array())
            return Error{"error decoding patch: a JSON patch must be an array of operations"};
        try {
            return target.patch(patch);
        } catch (const json::exception &e) {
            return Error{std::string("the JSON patch cannot be applied: ") + e.what()};
        }
    }
    case PatchType::StrategicMerge:
        if (!patch.is_object())
            return Error{"error decoding patch: a strategic merge patch must be a JSON object"};
        return strategicMerge(target, patch, "patch");
    }
    return Error{"unknown patch type"};
}

} // namespace opsdeck::kubeapi
