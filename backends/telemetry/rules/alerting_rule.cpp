#include "alerting_rule.h"

#include "alert_template.h"

#include <cmath>

namespace opsdeck::telemetry::rules {

const char *toString(AlertState s)
{
    switch (s) {
    case AlertState::Inactive: return "inactive";
    case AlertState::Pending: return "pending";
    case AlertState::Firing: return "firing";
    }
    return "inactive";
}

Result<std::vector<promql::InstantSample>> queryForRule(const promql::Expr &expr, const SeriesSource &source,
                                                        std::int64_t tMs, const promql::EvalOptions &opts)
{
    auto value = promql::evalInstant(expr, source, tMs, opts);
    if (!value)
        return Error{value.error()};
    switch (value->type) {
    case promql::ValueType::Vector:
        return std::move(value->vector);
    case promql::ValueType::Scalar:
        return std::vector<promql::InstantSample>{{Labels{}, value->scalar}};
    default:
        return Error{"rule result is not a vector or scalar"};
    }
}

AlertingRule::AlertingRule(RuleSpec spec, RuleEvalOptions opts) : m_spec(std::move(spec)), m_opts(std::move(opts)) {}

Result<std::vector<promql::InstantSample>> AlertingRule::eval(const SeriesSource &source, std::int64_t tMs,
                                                              int limit)
{
    auto result = queryForRule(m_spec.expr, source, tMs, m_opts.promql);
    if (!result)
        return Error{result.error()};

    std::map<std::string, std::string> externalLabels;
    for (const auto &[k, v] : m_opts.externalLabels.items())
        externalLabels[k] = v;

    // This evaluation's alerts, keyed by their final label set.
    std::map<Labels, Alert> current;
    for (const promql::InstantSample &sample : *result) {
        TemplateData data;
        for (const auto &[k, v] : sample.metric.items())
            data.labels[k] = v;
        data.externalLabels = externalLabels;
        data.externalUrl = m_opts.externalUrl;
        data.value = sample.value;

        Labels labels = sample.metric.withoutName();
        for (const auto &[name, value] : m_spec.labels)
            labels.set(name, expandAlertTemplate(value, m_spec.name, data));
        labels.set("alertname", m_spec.name);

        Alert alert;
        alert.name = m_spec.name;
        for (const auto &[name, value] : m_spec.annotations)
            alert.annotations.emplace_back(name, expandAlertTemplate(value, m_spec.name, data));
        alert.labels = labels;
        alert.activeAtMs = tMs;
        alert.state = AlertState::Pending;
        alert.value = sample.value;
        if (!current.emplace(labels, std::move(alert)).second)
            return Error{"vector contains metrics with the same labelset after applying alert labels"};
    }

    for (auto &[labels, alert] : current) {
        const auto it = m_active.find(labels);
        if (it != m_active.end() && it->second.state != AlertState::Inactive) {
            it->second.value = alert.value;
            it->second.annotations = alert.annotations;
            continue;
        }
        m_active[labels] = alert; // new, or a resolved one coming back: starts over
    }

    std::vector<promql::InstantSample> out;
    int activeCount = 0;
    for (auto it = m_active.begin(); it != m_active.end();) {
        Alert &a = it->second;
        if (!current.count(it->first)) {
            bool keepFiring = false;
            if (a.state == AlertState::Firing && m_spec.keepFiringForMs > 0) {
                if (!a.keepFiringSinceMs)
                    a.keepFiringSinceMs = tMs;
                keepFiring = tMs - *a.keepFiringSinceMs < m_spec.keepFiringForMs;
            }
            const bool drop = a.state == AlertState::Pending ||
                              (a.resolvedAtMs && tMs - *a.resolvedAtMs > kResolvedRetentionMs);
            if (a.state != AlertState::Inactive && !keepFiring) {
                a.state = AlertState::Inactive;
                a.resolvedAtMs = tMs;
            }
            if (drop) {
                it = m_active.erase(it);
                continue;
            }
            if (!keepFiring) {
                ++it;
                continue;
            }
        } else {
            a.keepFiringSinceMs.reset();
        }
        ++activeCount;
        if (a.state == AlertState::Pending && tMs - a.activeAtMs >= m_spec.forMs) {
            a.state = AlertState::Firing;
            a.firedAtMs = tMs;
        }
        if (m_opts.writeAlertSeries) {
            Labels alertsSeries = a.labels;
            alertsSeries.set("__name__", "ALERTS");
            alertsSeries.set("alertstate", toString(a.state));
            out.push_back({alertsSeries, 1});
            Labels forState = a.labels;
            forState.set("__name__", "ALERTS_FOR_STATE");
            out.push_back({forState, std::floor(static_cast<double>(a.activeAtMs) / 1000.0)});
        }
        ++it;
    }

    if (limit > 0 && activeCount > limit) {
        m_active.clear();
        return Error{"exceeded limit of " + std::to_string(limit) + " with " + std::to_string(activeCount) +
                     " alerts"};
    }
    return out;
}

std::vector<Alert> AlertingRule::activeAlerts() const
{
    std::vector<Alert> out;
    for (const auto &[labels, alert] : m_active)
        if (alert.state != AlertState::Inactive)
            out.push_back(alert);
    return out;
}

std::vector<Alert> AlertingRule::allAlerts() const
{
    std::vector<Alert> out;
    for (const auto &[labels, alert] : m_active)
        out.push_back(alert);
    return out;
}

AlertState AlertingRule::state() const
{
    AlertState s = AlertState::Inactive;
    for (const auto &[labels, alert] : m_active) {
        if (alert.state == AlertState::Firing)
            return AlertState::Firing;
        if (alert.state == AlertState::Pending)
            s = AlertState::Pending;
    }
    return s;
}

} // namespace opsdeck::telemetry::rules
