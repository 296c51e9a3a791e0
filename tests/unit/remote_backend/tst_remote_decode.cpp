// The Prometheus and Alertmanager JSON decoders over traffic recorded from the real
// Debian binaries (samples/, copied from reference/prometheus/samples), and over broken
// input: every malformed or truncated body gives an error that says where, never a crash
// or a partial value.
#include "backends/remote/alertmanager_decode.h"
#include "backends/remote/prometheus_decode.h"
#include "backends/telemetry/alerting/alert_json.h"

#include "remote_decode_cases.h"

#include <QFile>
#include <QTest>

#include <cmath>

using namespace opsdeck;
using namespace opsdeck::remote;
using telemetry::promql::ValueType;

namespace {
std::string sample(const char *name)
{
    QFile f(QStringLiteral(OPSDECK_SOURCE_DIR "/tests/unit/remote_backend/samples/") + QLatin1String(name));
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot open sample %s", name);
    return f.readAll().toStdString();
}
} // namespace

class TestRemoteDecode : public QObject {
    Q_OBJECT
private slots:
    void vectorSample()
    {
        auto v = decodePrometheusQuery(sample("s3-bothfiring-q-vector.json"));
        QVERIFY2(v.ok(), v.ok() ? "" : v.error().c_str());
        QCOMPARE(v->type, ValueType::Vector);
        QCOMPARE(v->vector.size(), std::size_t(2));
        QCOMPARE(v->vector[0].metric.get("__name__"), std::string("agent_errors_total"));
        QCOMPARE(v->vector[0].metric.get("agent"), std::string("executor"));
        QCOMPARE(v->vector[0].value, 5.0);
        QCOMPARE(v->vector[0].metric.get("instance"), std::string("127.0.0.1:19100"));
        QCOMPARE(v->vector[1].value, 53.0);
    }

    void histogramQuantileHasEmptyMetric()
    {
        auto v = decodePrometheusQuery(sample("s3-bothfiring-q-histq.json"));
        QVERIFY(v.ok());
        QCOMPARE(v->vector.size(), std::size_t(1));
        QVERIFY(v->vector[0].metric.empty());
        QVERIFY(std::abs(v->vector[0].value - 0.6875) < 1e-9);
    }

    void scalarStringMatrix()
    {
        auto s = decodePrometheusQuery(sample("s3-bothfiring-q-scalar.json"));
        QVERIFY(s.ok());
        QCOMPARE(s->type, ValueType::Scalar);
        QCOMPARE(s->scalar, 46.0);
        auto str = decodePrometheusQuery(sample("s3-bothfiring-q-string.json"));
        QVERIFY(str.ok());
        QCOMPARE(str->type, ValueType::String);
        QCOMPARE(str->string, std::string("hello"));
        auto m = decodePrometheusQuery(sample("s3-bothfiring-q-matrix.json"));
        QVERIFY(m.ok());
        QCOMPARE(m->type, ValueType::Matrix);
        QCOMPARE(m->matrix.size(), std::size_t(1));
        QCOMPARE(m->matrix[0].points.size(), std::size_t(5));
        QCOMPARE(m->matrix[0].points[0].t, std::int64_t(1795869749875));
        QCOMPARE(m->matrix[0].points[4].v, 46.0);
    }

    void rangeQuerySample()
    {
        auto m = decodePrometheusQuery(sample("s3-bothfiring-qr-rate.json"));
        QVERIFY(m.ok());
        QCOMPARE(m->type, ValueType::Matrix);
        QVERIFY(!m->matrix.empty());
        const auto &pts = m->matrix[0].points;
        QVERIFY(pts.size() >= 2);
        QCOMPARE(pts[1].t - pts[0].t, std::int64_t(15000)); // step=15s
        QVERIFY(m->matrix[0].metric.get("__name__").empty()); // rate() drops the name
    }

    void emptyResult()
    {
        auto v = decodePrometheusQuery(sample("s3-bothfiring-q-empty.json"));
        QVERIFY(v.ok());
        QCOMPARE(v->type, ValueType::Vector);
        QVERIFY(v->vector.empty());
    }

    void prometheusErrorBodies()
    {
        auto bad = decodePrometheusQuery(sample("s1-early-q-bad.json"));
        QVERIFY(!bad.ok());
        QCOMPARE(bad.error(), std::string("Prometheus bad_data: invalid parameter \"query\": 1:28: parse "
                                          "error: unclosed left parenthesis"));
        auto tooMany = decodePrometheusQuery(sample("s6-qr-too-many-points.json"));
        QVERIFY(!tooMany.ok());
        QVERIFY(tooMany.error().find("11,000 points") != std::string::npos);
    }

    void specialFloats()
    {
        auto v = decodePrometheusQuery(kSpecialFloats);
        QVERIFY2(v.ok(), v.ok() ? "" : v.error().c_str());
        QVERIFY(std::isnan(v->vector[0].value));
        QVERIFY(std::isinf(v->vector[1].value) && v->vector[1].value > 0);
        QVERIFY(std::isinf(v->vector[2].value) && v->vector[2].value < 0);
        QCOMPARE(v->vector[3].value, 1e6);
        QVERIFY(!parsePrometheusFloat("inf").ok());
        QVERIFY(!parsePrometheusFloat("0x10").ok());
        QVERIFY(!parsePrometheusFloat("12abc").ok());
        QVERIFY(!parsePrometheusFloat("").ok());
    }

    void malformedQueryBodies_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("empty") << QByteArray() << "empty body";
        QTest::newRow("html") << QByteArray("<html>502 Bad Gateway</html>") << "malformed JSON at byte 1";
        QTest::newRow("truncated") << QByteArray(kCase5)
                                   << "truncated JSON";
        QTest::newRow("array") << QByteArray("[]") << "expected a JSON object";
        QTest::newRow("no status") << QByteArray(kCase6) << ".status: missing";
        QTest::newRow("odd status") << QByteArray(kCase7) << "unknown value";
        QTest::newRow("no data") << QByteArray(kCase8) << ".data: missing";
        QTest::newRow("unknown type") << QByteArray(kCase9)
                                      << "unknown result type";
        QTest::newRow("value not string")
            << QByteArray(kCase10)
            << "data.result[0].value[1]: expected a string";
        QTest::newRow("label not string")
            << QByteArray(kCase11)
            << "data.result[0].metric.a: expected a string";
        QTest::newRow("value junk")
            << QByteArray(kCase12)
            << "expected a number";
        QTest::newRow("matrix values missing")
            << QByteArray(kCase13)
            << "data.result[0].values";
        QTest::newRow("time string")
            << QByteArray(kCase14)
            << "data.result[0]: expected a unix time";
    }

    void malformedQueryBodies()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, mentions);
        auto v = decodePrometheusQuery(body.toStdString());
        QVERIFY(!v.ok());
        QVERIFY2(QString::fromStdString(v.error()).contains(mentions), v.error().c_str());
    }

    void everyTruncationOfEverySampleFailsCleanly()
    {
        // Cut each recorded query answer at every byte: a clear error, never a value.
        for (const char *name : {"s3-bothfiring-q-vector.json", "s3-bothfiring-qr-rate.json",
                                 "s3-bothfiring-rules.json", "s3-bothfiring-targets.json",
                                 "s3-bothfiring-am-alerts.json", "s4-am-groups-silenced.json"}) {
            const std::string full = sample(name);
            for (std::size_t n = 0; n + 1 < full.size(); ++n) {
                const std::string_view cut(full.data(), n);
                const bool isAm = std::string(name).find("am-") != std::string::npos;
                const bool ok = isAm ? (std::string(name).find("groups") != std::string::npos
                                            ? decodeAlertmanagerGroups(cut, 0).ok()
                                            : decodeAlertmanagerAlerts(cut, 0).ok())
                                     : std::string(name).find("rules") != std::string::npos
                                         ? decodePrometheusRules(cut).ok()
                                     : std::string(name).find("targets") != std::string::npos
                                         ? decodePrometheusTargets(cut).ok()
                                         : decodePrometheusQuery(cut).ok();
                if (ok)
                    QFAIL(qPrintable(QStringLiteral("%1 cut at %2 bytes decoded").arg(QLatin1String(name)).arg(n)));
            }
        }
    }

    void rulesSample()
    {
        auto groups = decodePrometheusRules(sample("s3-bothfiring-rules.json"));
        QVERIFY2(groups.ok(), groups.ok() ? "" : groups.error().c_str());
        QCOMPARE(groups->size(), std::size_t(1));
        const auto &g = groups->front();
        QCOMPARE(g.name, std::string("critical_alerts"));
        QCOMPARE(g.intervalSeconds, 1.0);
        QCOMPARE(g.rules.size(), std::size_t(2));
        const auto &high = g.rules[0];
        QCOMPARE(high.name, std::string("HighErrorRate"));
        QCOMPARE(high.type, std::string("alerting"));
        QCOMPARE(high.state, std::string("firing"));
        QCOMPARE(high.forSeconds, 120.0);
        QCOMPARE(high.labels.get("severity"), std::string("P1"));
        QCOMPARE(high.alerts.size(), std::size_t(1));
        QCOMPARE(high.alerts[0].state, std::string("firing"));
        // activeAt has nanoseconds: "2026-11-28T12:40:26.22538525Z"
        QCOMPARE(high.alerts[0].activeAtMs, telemetry::alerting::parseRfc3339Ms("2026-11-28T12:40:26.225Z").value());
        QCOMPARE(high.alerts[0].value, std::string("1.3389162561576354e-01"));

        auto early = decodePrometheusRules(sample("s1-early-rules.json"));
        QVERIFY(early.ok());
        QCOMPARE(early->front().rules[0].state, std::string("inactive"));
        QVERIFY(early->front().rules[0].alerts.empty());
    }

    void alertsAndTargetsSamples()
    {
        auto alerts = decodePrometheusAlerts(sample("s2-modeldown-alerts.json"));
        QVERIFY(alerts.ok());
        QCOMPARE(alerts->size(), std::size_t(2));
        int firing = 0;
        for (const auto &a : *alerts)
            firing += a.state == "firing";
        QCOMPARE(firing, 1);

        auto targets = decodePrometheusTargets(sample("s3-bothfiring-targets.json"));
        QVERIFY(targets.ok());
        QVERIFY(targets->size() >= 2);
        bool sawDown = false;
        for (const auto &t : *targets) {
            if (t.health == "down") {
                sawDown = true;
                QVERIFY(t.lastError.find("connection refused") != std::string::npos);
                QCOMPARE(t.labels.get("job"), std::string("model-server"));
            }
        }
        QVERIFY(sawDown);
    }

    void alertmanagerAlertsSample()
    {
        using namespace telemetry::alerting;
        const std::int64_t now = parseRfc3339Ms("2026-11-28T12:43:00Z").value();
        auto alerts = decodeAlertmanagerAlerts(sample("s3-bothfiring-am-alerts.json"), now);
        QVERIFY2(alerts.ok(), alerts.ok() ? "" : alerts.error().c_str());
        QCOMPARE(alerts->size(), std::size_t(2));
        bool sawHigh = false;
        for (const auto &q : *alerts) {
            QVERIFY(!q.resolved);
            QCOMPARE(q.severity, Severity::P1);
            QCOMPARE(q.status.state, AlertStatus::State::Active);
            // Alertmanager's fingerprint is Prometheus' label-set fingerprint.
            QCOMPARE(q.alert.fingerprint, fingerprintOf(q.alert.labels));
            if (q.alert.labels.get("alertname") == "HighErrorRate") {
                sawHigh = true;
                QCOMPARE(fingerprintToString(q.alert.fingerprint), std::string("53f703f5cf5fa65c"));
                QCOMPARE(q.alert.annotations.at("summary"), std::string("High error rate detected"));
                QCOMPARE(q.alert.startsAtMs, parseRfc3339Ms("2026-11-28T12:42:26.225Z").value());
            }
        }
        QVERIFY(sawHigh);
        // Later than endsAt: shown as resolved.
        auto later = decodeAlertmanagerAlerts(sample("s3-bothfiring-am-alerts.json"),
                                              parseRfc3339Ms("2026-11-28T13:00:00Z").value());
        QVERIFY(later.ok());
        QVERIFY(later->front().resolved);
    }

    void alertmanagerSilencedAndGroups()
    {
        using namespace telemetry::alerting;
        auto alerts = decodeAlertmanagerAlerts(sample("s4-am-alerts-silenced.json"), 0);
        QVERIFY(alerts.ok());
        bool sawSuppressed = false;
        for (const auto &q : *alerts) {
            if (q.status.state == AlertStatus::State::Suppressed) {
                sawSuppressed = true;
                QCOMPARE(q.status.silencedBy, std::vector<std::string>{"915e11e4-b871-47d9-b7ec-56b325e6435a"});
            }
        }
        QVERIFY(sawSuppressed);
        auto groups = decodeAlertmanagerGroups(sample("s4-am-groups-silenced.json"), 0);
        QVERIFY(groups.ok());
        QCOMPARE(groups->size(), std::size_t(2));
        QCOMPARE(groups->at(0).receiver, std::string("console-webhook"));
        QCOMPARE(groups->at(0).labels.get("alertname"), std::string("HighErrorRate"));
        QCOMPARE(groups->at(1).alerts.size(), std::size_t(1));
    }

    void silencesRoundTrip()
    {
        using namespace telemetry::alerting;
        auto listed = decodeAlertmanagerSilences(sample("s4-am-silences.json"));
        QVERIFY2(listed.ok(), listed.ok() ? "" : listed.error().c_str());
        QCOMPARE(listed->size(), std::size_t(1));
        const Silence &s = listed->front();
        QCOMPARE(s.id, std::string("915e11e4-b871-47d9-b7ec-56b325e6435a"));
        QCOMPARE(s.matchers.size(), std::size_t(2));
        QVERIFY(s.matchers[1].isRegex());

        // What we POST reads back (through the simulator's own parser) as what we meant.
        SilenceSpec spec;
        spec.matchers = s.matchers;
        spec.startsAtMs = s.startsAtMs;
        spec.endsAtMs = s.endsAtMs;
        spec.createdBy = "alice";
        spec.comment = "deploy \"window\"";
        auto back = parsePostableSilence(encodePostableSilence(spec));
        QVERIFY(back.ok());
        QCOMPARE(back->matchers, spec.matchers);
        QCOMPARE(back->endsAtMs, spec.endsAtMs);
        QCOMPARE(back->comment, spec.comment);

        auto id = decodeSilenceId(kCase15);
        QVERIFY(id.ok());
        QCOMPARE(*id, std::string("915e11e4-b871-47d9-b7ec-56b325e6435a"));
        QVERIFY(!decodeSilenceId("{}").ok());
        QVERIFY(!decodeSilenceId(kCase16).ok());
    }

    void alertmanagerErrors()
    {
        QCOMPARE(alertmanagerErrorMessage(422, kCase17),
                 std::string("Alertmanager HTTP 422: matchers in body should have at least 1 items"));
        QCOMPARE(alertmanagerErrorMessage(400, "\"bad matcher\""), std::string("Alertmanager HTTP 400: bad matcher"));
        QCOMPARE(alertmanagerErrorMessage(500, "boom\n"), std::string("Alertmanager HTTP 500: boom"));
        QCOMPARE(alertmanagerErrorMessage(502, ""), std::string("Alertmanager HTTP 502: (empty body)"));

        auto notArray = decodeAlertmanagerAlerts("{}", 0);
        QVERIFY(!notArray.ok());
        QVERIFY(notArray.error().find("alerts: expected an array") != std::string::npos);
        auto badTime = decodeAlertmanagerAlerts(kCase18, 0);
        QVERIFY(!badTime.ok());
        QVERIFY2(badTime.error().find("alerts[0].startsAt") != std::string::npos, badTime.error().c_str());
        auto badFp = decodeAlertmanagerAlerts(kCase19, 0);
        QVERIFY(!badFp.ok());
        QVERIFY(badFp.error().find("fingerprint") != std::string::npos);
        auto noLabels = decodeAlertmanagerAlerts(kCase20, 0);
        QVERIFY(!noLabels.ok());
        auto badState = decodeAlertmanagerAlerts(kCase21, 0);
        QVERIFY(!badState.ok());
        QVERIFY(badState.error().find("alerts[0].status.state") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestRemoteDecode)
#include "tst_remote_decode.moc"
