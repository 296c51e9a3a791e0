#include "component_map.h"

#include "../sim/topology.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace opsdeck::remote {

namespace {

// "component map F:L:C: field: why", the position of `node` when it has one.
Error positioned(const std::string &file, const YAML::Node &node, const std::string &field, const std::string &why)
{
    std::string where = "component map " + file;
    if (node && node.Mark().line >= 0)
        where += ":" + std::to_string(node.Mark().line + 1) + ":" + std::to_string(node.Mark().column + 1);
    return Error{where + ": " + (field.empty() ? "" : field + ": ") + why};
}

std::string joined(const std::vector<std::string> &items)
{
    std::string out;
    for (const auto &s : items)
        out += (out.empty() ? "" : ", ") + s;
    return out;
}

} // namespace

const std::vector<std::string> &ComponentMap::knownComponents()
{
    static const std::vector<std::string> ids = [] {
        std::vector<std::string> out;
        for (const sim::ServiceSpec &s : sim::serviceCatalogue())
            out.push_back(s.deployment);
        return out;
    }();
    return ids;
}

Result<ComponentMap> ComponentMap::parse(const std::string &yaml, const std::string &file)
{
    YAML::Node root;
    try {
        root = YAML::Load(yaml);
    } catch (const YAML::Exception &e) {
        return Error{"component map " + file + ":" + std::to_string(e.mark.line + 1) + ":" +
                     std::to_string(e.mark.column + 1) + ": not valid YAML: " + e.msg};
    }
    if (!root.IsMap())
        return positioned(file, root, "", "expected a mapping with a 'components:' key");
    for (const auto &entry : root) {
        const std::string key = entry.first.IsScalar() ? entry.first.Scalar() : std::string();
        if (key != "components")
            return positioned(file, entry.first, key, "unknown key (the file has one key, 'components')");
    }
    const YAML::Node components = root["components"];
    if (!components || components.IsNull())
        return ComponentMap{}; // "components:" with nothing under it: the defaults
    if (!components.IsMap())
        return positioned(file, components, "components", "expected a mapping of component id to label selector");

    ComponentMap out;
    const auto &known = knownComponents();
    for (const auto &entry : components) {
        const std::string id = entry.first.IsScalar() ? entry.first.Scalar() : std::string();
        const std::string field = "components." + id;
        if (std::find(known.begin(), known.end(), id) == known.end())
            return positioned(file, entry.first, field, "not a runbook component (known: " + joined(known) + ")");
        if (out.claimed(id))
            return positioned(file, entry.first, field, "given twice");
        ComponentRule rule;
        rule.component = id;
        rule.line = entry.first.Mark().line + 1;
        std::vector<YAML::Node> texts;
        if (entry.second.IsScalar())
            texts.push_back(entry.second);
        else if (entry.second.IsSequence() && entry.second.size() > 0)
            for (const auto &item : entry.second)
                texts.push_back(item);
        else
            return positioned(file, entry.second.IsNull() ? entry.first : entry.second, field,
                              "expected a label selector (e.g. app=orchestrator) or a list of them");
        for (const YAML::Node &text : texts) {
            if (!text.IsScalar())
                return positioned(file, text, field, "expected a label selector string");
            auto selector = LabelSelector::parse(text.Scalar());
            if (!selector)
                return positioned(file, text, field, selector.error());
            if (selector->empty())
                return positioned(file, text, field, "an empty selector would select every workload");
            rule.selectors.push_back(std::move(*selector));
        }
        out.m_claimed.insert(id);
        out.m_rules.push_back(std::move(rule));
    }
    return out;
}

Result<ComponentMap> ComponentMap::load(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return Error{"component map " + path + ": cannot read the file"};
    std::ostringstream text;
    text << in.rdbuf();
    return parse(text.str(), path);
}

std::string ComponentMap::defaultFor(const sim::StringMap &labels, const std::string &name) const
{
    const auto &known = knownComponents();
    const auto free = [&](const std::string &id) {
        return !id.empty() && !claimed(id) && std::find(known.begin(), known.end(), id) != known.end();
    };
    if (free(name))
        return name;
    if (auto app = labels.find("app"); app != labels.end() && free(app->second))
        return app->second;
    return {};
}

std::string ComponentMap::componentOf(const sim::Deployment &d) const
{
    for (const ComponentRule &rule : m_rules)
        for (const LabelSelector &s : rule.selectors)
            if (s.matches(d.labels))
                return rule.component;
    if (std::string id = defaultFor(d.labels, d.name); !id.empty())
        return id;
    return claimed(d.name) ? d.ns + "/" + d.name : d.name;
}

std::string ComponentMap::componentOfPod(const sim::Pod &pod) const
{
    for (const ComponentRule &rule : m_rules)
        for (const LabelSelector &s : rule.selectors)
            if (s.matches(pod.labels))
                return rule.component;
    return defaultFor(pod.labels, {});
}

std::string ComponentMap::summary() const
{
    std::string out;
    for (const ComponentRule &rule : m_rules) {
        std::string selectors;
        for (const LabelSelector &s : rule.selectors)
            selectors += (selectors.empty() ? "" : " or ") + s.toString();
        out += (out.empty() ? "" : "; ") + rule.component + " <- " + selectors;
    }
    return out;
}

} // namespace opsdeck::remote
