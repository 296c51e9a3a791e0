#pragma once
// Label selectors (=, ==, !=, in, notin, exists, !exists) and field selectors (=, ==, !=)
// as the API server parses them from `labelSelector=` / `fieldSelector=` query values.
#include "../telemetry/result.h"

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace opsdeck::kubeapi {

class LabelSelector {
public:
    // Empty text selects everything. Errors name the offending requirement.
    static Result<LabelSelector> parse(const std::string &text);
    bool matches(const std::map<std::string, std::string> &labels) const;
    bool empty() const { return m_reqs.empty(); }

private:
    enum class Op { Equals, NotEquals, In, NotIn, Exists, NotExists };
    struct Requirement {
        std::string key;
        Op op = Op::Equals;
        std::vector<std::string> values;
    };
    std::vector<Requirement> m_reqs;
};

class FieldSelector {
public:
    // `allowed` lists the fields this resource supports (plus metadata.name and
    // metadata.namespace, which every resource supports); anything else is the API
    // server's 400 "field label not supported: X".
    static Result<FieldSelector> parse(const std::string &text, const std::vector<std::string> &allowed);
    // valueOf(field) gives the object's value of a supported field.
    bool matches(const std::function<std::string(const std::string &)> &valueOf) const;
    bool empty() const { return m_reqs.empty(); }
    // The value an Equals requirement pins, e.g. metadata.name; empty if none.
    std::string equalsValue(const std::string &field) const;

private:
    struct Requirement {
        std::string field;
        bool negate = false;
        std::string value;
    };
    std::vector<Requirement> m_reqs;
};

} // namespace opsdeck::kubeapi
