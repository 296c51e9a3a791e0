#pragma once
// Dashboard files and a fake backend for the panel tests. The file texts live here, not
// in the test .cpp files: moc 6.4 misparses braces inside raw string literals it reads.
#include "backends/cluster_backend.h"

#include <QCoro/QCoroFuture>
#include <QFuture>
#include <QPromise>

#include <memory>
#include <vector>

namespace panel_fixtures {

inline const char *const kGoodYaml = R"(# two dashboards, every field used once
dashboards:
  - name: Team board
    panels:
      - title: Orchestrator errors
        query: sum by (job) (rate(http_requests_total{code="5xx",job=~"$component"}[5m]))
        unit: req/s
        legend: "{{job}}"
        threshold: {value: 0.05, bad: above, severity: P1}
        description: 5xx per second
      - title: Sessions
        query: sum(agent_active_sessions) by (tier)
        unit: count
        stacked: true
        min: 0
  - name: Latency
    panels:
      - {title: Inference p99, query: 'cluster:model_inference_latency_seconds:p99_5m', unit: seconds,
         threshold: {value: 2, bad: above, severity: P1}}
)";

inline const char *const kGoodJson = R"({"dashboards": [{"name": "From JSON", "panels": [
  {"title": "Success", "query": "cluster:agent_success:ratio_rate5m", "unit": "percent",
   "threshold": {"value": 0.95, "bad": "below", "severity": "P1"}, "max": 1}]}]}
)";

// Line 5, column 16: the unit value.
inline const char *const kBadUnit = R"(dashboards:
  - name: Broken
    panels:
      - title: Errors
        unit: furlongs
        query: up
)";

// Line 5, column 16: the query value (an unclosed parenthesis).
inline const char *const kBadQuery = R"(dashboards:
  - name: Broken
    panels:
      - title: Errors
        query: sum(rate(agent_errors_total[5m])
)";

// Line 3: a YAML syntax error (unclosed flow sequence).
inline const char *const kBadYaml = R"(dashboards:
  - name: Broken
    panels: [ {title: a, query: up}
)";

inline const char *const kMissingTitle = R"(dashboards:
  - name: Broken
    panels:
      - query: up
)";

inline const char *const kBadThreshold = R"(dashboards:
  - name: Broken
    panels:
      - title: t
        query: up
        threshold: {value: 1, bad: sideways}
)";

inline const char *const kUnknownField = R"(dashboards:
  - name: Broken
    panels:
      - title: t
        query: up
        colour: red
)";

inline const char *const kNoDashboards = R"(panels: []
)";

// A ClusterBackend whose range queries wait until the test answers them, so the test
// decides the order in which results arrive.
class ManualQueryBackend : public opsdeck::backends::ClusterBackend {
public:
    using Value = opsdeck::telemetry::promql::Value;
    struct Request {
        QString query;
        std::int64_t startMs, endMs, stepMs;
        std::shared_ptr<QPromise<opsdeck::Result<Value>>> promise;
    };
    std::vector<Request> requests;

    // A one-series matrix with a point per step over the request's span, value v.
    void answer(std::size_t i, double v)
    {
        Value value;
        value.type = opsdeck::telemetry::promql::ValueType::Matrix;
        opsdeck::telemetry::promql::RangeSeries s;
        s.metric = opsdeck::telemetry::Labels{{"job", "fake"}};
        const Request &r = requests.at(i);
        for (std::int64_t t = r.startMs; t <= r.endMs; t += r.stepMs)
            s.points.push_back({t, v});
        value.matrix.push_back(s);
        r.promise->addResult(opsdeck::Result<Value>(value));
        r.promise->finish();
    }
    void fail(std::size_t i, const std::string &why)
    {
        requests.at(i).promise->addResult(opsdeck::Result<Value>(opsdeck::Error{why}));
        requests.at(i).promise->finish();
    }
    void publish(std::int64_t epochMs)
    {
        auto snap = std::make_shared<opsdeck::backends::ClusterSnapshot>();
        snap->epochMs = epochMs;
        snap->timeMs = epochMs - 1752969600000;
        m_latest = snap;
        Q_EMIT snapshotPublished(m_latest);
    }

    QString displayName() const override { return QStringLiteral("manual"); }
    opsdeck::backends::ConnectionState connectionState() const override
    {
        return opsdeck::backends::ConnectionState::Connected;
    }
    QStringList statusFacts() const override { return {}; }
    opsdeck::backends::SnapshotPtr latestSnapshot() const override { return m_latest; }
    QCoro::Task<opsdeck::Result<opsdeck::sim::Inventory>> inventory() override
    {
        co_return opsdeck::Error{"not in this test"};
    }
    QCoro::Task<opsdeck::Result<Value>> queryInstant(QString, std::int64_t) override
    {
        co_return opsdeck::Error{"not in this test"};
    }
    QCoro::Task<opsdeck::Result<Value>> queryRange(QString promql, std::int64_t startMs,
                                                   std::int64_t endMs, std::int64_t stepMs) override
    {
        auto promise = std::make_shared<QPromise<opsdeck::Result<Value>>>();
        promise->start();
        QFuture<opsdeck::Result<Value>> future = promise->future();
        requests.push_back({promql, startMs, endMs, stepMs, promise});
        auto result = co_await future;
        co_return result;
    }
    QCoro::Task<opsdeck::Result<std::vector<opsdeck::sim::SimEvent>>> events(std::size_t) override
    {
        co_return std::vector<opsdeck::sim::SimEvent>{};
    }
    QCoro::Task<opsdeck::Result<opsdeck::sim::ActionResult>> apply(opsdeck::sim::ActionSpec) override
    {
        co_return opsdeck::Error{"not in this test"};
    }
    QCoro::Task<opsdeck::backends::Status> acknowledge(opsdeck::telemetry::alerting::Fingerprint, QString,
                                                       QString) override
    {
        co_return opsdeck::Error{"not in this test"};
    }
    QCoro::Task<opsdeck::Result<std::string>> silence(opsdeck::telemetry::alerting::Matchers, std::int64_t,
                                                      QString, QString) override
    {
        co_return opsdeck::Error{"not in this test"};
    }
    opsdeck::backends::Status injectFault(const opsdeck::sim::FaultSpec &) override
    {
        return opsdeck::Error{"not in this test"};
    }
    opsdeck::backends::Status clearFault(opsdeck::sim::FaultKind) override
    {
        return opsdeck::Error{"not in this test"};
    }
    bool supportsClockControl() const override { return false; }
    opsdeck::backends::Status setPaused(bool) override { return opsdeck::Error{"no clock"}; }
    opsdeck::backends::Status setSpeed(opsdeck::backends::SimSpeed) override { return opsdeck::Error{"no clock"}; }
    bool isPaused() const override { return false; }
    opsdeck::backends::SimSpeed speed() const override { return opsdeck::backends::SimSpeed::X1; }

private:
    opsdeck::backends::SnapshotPtr m_latest;
};

} // namespace panel_fixtures
