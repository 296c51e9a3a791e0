#include "rule_file.h"

#include "alert_template.h"
#include "duration.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

namespace opsdeck::telemetry::rules {

std::size_t RuleFile::ruleCount() const
{
    std::size_t n = 0;
    for (const auto &g : groups)
        n += g.rules.size();
    return n;
}

namespace {

struct Pos {
    int line = 0;
    int column = 0;
    std::string str() const { return std::to_string(line) + ":" + std::to_string(column); }
};

Pos posOf(const YAML::Node &n)
{
    if (!n.IsDefined() || n.Mark().is_null())
        return {};
    return {n.Mark().line + 1, n.Mark().column + 1};
}

const char *kindName(const YAML::Node &n)
{
    switch (n.Type()) {
    case YAML::NodeType::Sequence: return "!!seq";
    case YAML::NodeType::Map: return "!!map";
    default: return "!!str";
    }
}

// Structural problems are gathered like Go's yaml.v3 "unmarshal errors" and abort the
// file; a bad duration aborts at once, as Go's custom unmarshaller does.
class Decoder {
public:
    std::vector<std::string> unmarshalErrors;
    std::string fatal; // e.g. a bad duration

    bool checkFields(const YAML::Node &map, std::initializer_list<std::string_view> known,
                     const char *goType)
    {
        if (!map.IsMap()) {
            if (!map.IsNull())
                unmarshalErrors.push_back("line " + std::to_string(posOf(map).line) + ": cannot unmarshal " +
                                          kindName(map) + " into " + goType);
            return false;
        }
        for (const auto &kv : map) {
            const std::string key = kv.first.as<std::string>();
            if (std::find(known.begin(), known.end(), key) == known.end())
                unmarshalErrors.push_back("line " + std::to_string(posOf(kv.first).line) + ": field " + key +
                                          " not found in type " + goType);
        }
        return true;
    }

    std::string scalar(const YAML::Node &n)
    {
        if (!n.IsDefined() || n.IsNull())
            return {};
        if (!n.IsScalar()) {
            unmarshalErrors.push_back("line " + std::to_string(posOf(n).line) + ": cannot unmarshal " +
                                      kindName(n) + " into string");
            return {};
        }
        return n.Scalar();
    }

    std::int64_t duration(const YAML::Node &n)
    {
        const std::string text = scalar(n);
        if (text.empty())
            return 0;
        auto d = parseDuration(text);
        if (!d) {
            if (fatal.empty())
                fatal = d.error();
            return 0;
        }
        return *d;
    }

    std::vector<Label> stringMap(const YAML::Node &n)
    {
        std::vector<Label> out;
        if (!n.IsDefined() || n.IsNull())
            return out;
        if (!n.IsMap()) {
            unmarshalErrors.push_back("line " + std::to_string(posOf(n).line) + ": cannot unmarshal " +
                                      kindName(n) + " into map[string]string");
            return out;
        }
        for (const auto &kv : n)
            out.emplace_back(kv.first.as<std::string>(), scalar(kv.second));
        std::sort(out.begin(), out.end());
        return out;
    }
};

std::string quote(const std::string &s) { return "\"" + s + "\""; }

} // namespace

namespace {
RuleFileParse parseRuleFileUnchecked(std::string_view yamlText, const std::string &displayName);
}

RuleFileParse parseRuleFile(std::string_view yamlText, const std::string &displayName)
{
    try {
        return parseRuleFileUnchecked(yamlText, displayName);
    } catch (const YAML::Exception &e) {
        // A shape the decoder did not anticipate: still an error with a position, never a crash.
        RuleFileParse result;
        result.file.path = displayName;
        result.errors.push_back(displayName + ": yaml: line " + std::to_string(e.mark.line + 1) + ": " + e.msg);
        return result;
    }
}

namespace {
RuleFileParse parseRuleFileUnchecked(std::string_view yamlText, const std::string &displayName)
{
    RuleFileParse result;
    result.file.path = displayName;
    auto &errors = result.errors;
    const std::string prefix = displayName + ": ";

    YAML::Node root;
    try {
        root = YAML::Load(std::string(yamlText));
    } catch (const YAML::Exception &e) {
        errors.push_back(prefix + "yaml: line " + std::to_string(e.mark.line + 1) + ":" +
                         std::to_string(e.mark.column + 1) + ": " + e.msg);
        return result;
    }

    // Pass 1: shape, as yaml.v3's strict decoding does.
    Decoder dec;
    struct RawRule {
        YAML::Node node, record, alert, expr;
        RuleSpec spec;
    };
    struct RawGroup {
        YAML::Node node;
        RuleGroupSpec spec;
        std::vector<RawRule> rules;
    };
    std::vector<RawGroup> raw;
    if (dec.checkFields(root, {"groups"}, "rulefmt.RuleGroups")) {
        const YAML::Node groups = root["groups"];
        if (groups.IsDefined() && !groups.IsNull() && !groups.IsSequence())
            dec.unmarshalErrors.push_back("line " + std::to_string(posOf(groups).line) + ": cannot unmarshal " +
                                          kindName(groups) + " into []rulefmt.RuleGroup");
        else if (groups.IsSequence())
            for (const YAML::Node &g : groups) {
                RawGroup rg{g, {}, {}};
                rg.spec.file = displayName;
                if (!dec.checkFields(g, {"name", "interval", "limit", "rules"}, "rulefmt.RuleGroup"))
                    continue;
                rg.spec.name = dec.scalar(g["name"]);
                rg.spec.intervalMs = dec.duration(g["interval"]);
                if (const std::string limit = dec.scalar(g["limit"]); !limit.empty()) {
                    try {
                        rg.spec.limit = std::stoi(limit);
                    } catch (const std::exception &) {
                        dec.unmarshalErrors.push_back("line " + std::to_string(posOf(g["limit"]).line) +
                                                      ": cannot unmarshal !!str `" + limit + "` into int");
                    }
                }
                const YAML::Node rules = g["rules"];
                if (rules.IsDefined() && !rules.IsNull() && !rules.IsSequence())
                    dec.unmarshalErrors.push_back("line " + std::to_string(posOf(rules).line) +
                                                  ": cannot unmarshal " + kindName(rules) +
                                                  " into []rulefmt.RuleNode");
                else if (rules.IsSequence())
                    for (const YAML::Node &r : rules) {
                        // copy-constructed: yaml-cpp refuses to assign a missing node
                        RawRule rr{r, r["record"], r["alert"], r["expr"], {}};
                        if (!dec.checkFields(r, {"record", "alert", "expr", "for", "keep_firing_for", "labels",
                                                 "annotations"},
                                             "rulefmt.RuleNode"))
                            continue;
                        RuleSpec &s = rr.spec;
                        const std::string record = dec.scalar(rr.record);
                        const std::string alert = dec.scalar(rr.alert);
                        s.kind = alert.empty() && !record.empty() ? RuleSpec::Kind::Recording
                                                                  : RuleSpec::Kind::Alerting;
                        s.name = alert.empty() ? record : alert;
                        s.exprText = dec.scalar(rr.expr);
                        s.forMs = dec.duration(r["for"]);
                        s.keepFiringForMs = dec.duration(r["keep_firing_for"]);
                        s.labels = dec.stringMap(r["labels"]);
                        s.annotations = dec.stringMap(r["annotations"]);
                        const Pos p = posOf(r);
                        s.line = p.line;
                        s.column = p.column;
                        rg.rules.push_back(std::move(rr));
                    }
                raw.push_back(std::move(rg));
            }
    }
    if (!dec.fatal.empty()) {
        errors.push_back(prefix + dec.fatal);
        return result;
    }
    if (!dec.unmarshalErrors.empty()) {
        std::string msg = prefix + "yaml: unmarshal errors:";
        for (const auto &e : dec.unmarshalErrors)
            msg += "\n  " + e;
        errors.push_back(msg);
        return result;
    }

    // Pass 2: meaning, in the order promtool reports it.
    std::set<std::string> groupNames;
    for (RawGroup &g : raw) {
        const Pos gp = posOf(g.node);
        if (g.spec.name.empty())
            errors.push_back(prefix + gp.str() + ": Groupname must not be empty");
        if (!groupNames.insert(g.spec.name).second)
            errors.push_back(prefix + gp.str() + ": groupname: " + quote(g.spec.name) +
                             " is repeated in the same file");
        int index = 0;
        for (RawRule &r : g.rules) {
            ++index;
            RuleSpec &s = r.spec;
            const std::string record = r.record.IsDefined() && r.record.IsScalar() ? r.record.Scalar() : "";
            const std::string alert = r.alert.IsDefined() && r.alert.IsScalar() ? r.alert.Scalar() : "";
            const std::string where = "group " + quote(g.spec.name) + ", rule " + std::to_string(index) + ", " +
                                      quote(s.name) + ": ";
            const auto at = [&](const YAML::Node &n) { return prefix + posOf(n).str() + ": " + where; };
            if (!record.empty() && !alert.empty())
                errors.push_back(prefix + posOf(r.record).str() + ": " + posOf(r.alert).str() + ": " + where +
                                 "only one of 'record' and 'alert' must be set");
            if (record.empty() && alert.empty())
                errors.push_back(at(r.record) + "one of 'record' or 'alert' must be set");
            if (s.exprText.empty()) {
                errors.push_back(at(r.expr) + "field 'expr' must be set in rule");
            } else if (auto parsed = promql::parse(s.exprText); !parsed) {
                errors.push_back(at(r.expr) + "could not parse expression: " + parsed.error());
            } else {
                s.expr = *parsed;
            }
            if (!record.empty()) {
                if (!s.annotations.empty())
                    errors.push_back(at(r.record) + "invalid field 'annotations' in recording rule");
                if (s.forMs != 0)
                    errors.push_back(at(r.record) + "invalid field 'for' in recording rule");
                if (s.keepFiringForMs != 0)
                    errors.push_back(at(r.record) + "invalid field 'keep_firing_for' in recording rule");
                if (!isValidMetricName(record))
                    errors.push_back(at(r.record) + "invalid recording rule name: " + record);
            }
            for (const auto &[name, value] : s.labels)
                if (!isValidLabelName(name) || name == "__name__")
                    errors.push_back(prefix + where + "invalid label name: " + name);
            for (const auto &[name, value] : s.annotations)
                if (!isValidLabelName(name))
                    errors.push_back(prefix + where + "invalid annotation name: " + name);
            if (!alert.empty()) {
                for (const auto &[name, value] : s.labels)
                    if (auto why = checkAlertTemplate(value, alert); !why.empty())
                        errors.push_back(prefix + where + "label " + quote(name) + ": " + why);
                for (const auto &[name, value] : s.annotations)
                    if (auto why = checkAlertTemplate(value, alert); !why.empty())
                        errors.push_back(prefix + where + "annotation " + quote(name) + ": " + why);
            }
        }
        for (RawRule &r : g.rules)
            g.spec.rules.push_back(std::move(r.spec));
        result.file.groups.push_back(std::move(g.spec));
    }
    return result;
}
} // namespace

RuleFileParse loadRuleFile(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        RuleFileParse result;
        result.file.path = path;
        result.errors.push_back(path + ": open " + path + ": no such file or directory");
        return result;
    }
    std::ostringstream text;
    text << in.rdbuf();
    return parseRuleFile(text.str(), path);
}

} // namespace opsdeck::telemetry::rules
