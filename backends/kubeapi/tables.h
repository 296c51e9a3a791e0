#pragma once
// Server-side printing: the meta.k8s.io/v1 Table kubectl asks for with
// `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`, with the columns a real API
// server prints for each resource (priority 1 = only with -o wide) and each row's
// object as PartialObjectMetadata (kubectl takes the NAMESPACE column of -A from it).
#include "resources.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

namespace opsdeck::kubeapi {

nlohmann::json tableColumns(Res res);
// One row for one object; ages are relative to nowEpochMs (simulated time).
nlohmann::json tableRow(Res res, const nlohmann::json &object, std::int64_t nowEpochMs);

// Appends a whole Table to out, row by row (lists of 10,000 pods stream into one string
// without an intermediate JSON tree). includeColumns=false writes "columnDefinitions":null,
// as the API server does for every watch event after the first.
template <typename Objects>
void appendTable(std::string &out, Res res, const Objects &objects, const std::string &resourceVersion,
                 std::int64_t nowEpochMs, bool includeColumns = true)
{
    out += R"({"kind":"Table","apiVersion":"meta.k8s.io/v1","metadata":{"resourceVersion":")";
    out += resourceVersion;
    out += R"("},"columnDefinitions":)";
    out += includeColumns ? tableColumns(res).dump() : std::string("null");
    out += R"(,"rows":[)";
    bool first = true;
    for (const auto &object : objects) {
        if (!first)
            out += ',';
        first = false;
        out += tableRow(res, object->object, nowEpochMs).dump();
    }
    out += "]}";
}

} // namespace opsdeck::kubeapi
