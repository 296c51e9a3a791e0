// Alertmanager API v2 JSON: reading what Prometheus and Alertmanager send, and printing
// what Alertmanager 0.25 prints, checked against payloads captured from the real tools.
#include "alert_test_util.h"

#include "backends/telemetry/alerting/alert_json.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <random>

using namespace opsdeck::telemetry;
using namespace opsdeck::telemetry::alerting;
using namespace opsdeck::telemetry::alerting::testutil;

namespace {
QByteArray sample(const char *name)
{
    QFile f(QStringLiteral(OPSDECK_SOURCE_DIR "/tests/unit/alerting/data/") + QLatin1String(name));
    if (!f.open(QIODevice::ReadOnly))
        qFatal("missing test data %s", name);
    return f.readAll();
}

QJsonValue parsed(const std::string &json)
{
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(json));
    return doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object());
}

std::int64_t at(const char *rfc3339) { return *parseRfc3339Ms(rfc3339); }
} // namespace

// No raw string literals in this file: moc 6.4 miscounts braces inside them.
class TestAlertJson : public QObject {
    Q_OBJECT
private slots:
    void rfc3339()
    {
        QCOMPARE(*parseRfc3339Ms("2026-11-28T12:42:26.225Z"), utcMs(2026, 11, 28, 12, 42, 26) + 225);
        QCOMPARE(*parseRfc3339Ms("2026-11-28T13:42:26.2253+01:00"), utcMs(2026, 11, 28, 12, 42, 26) + 225);
        QCOMPARE(*parseRfc3339Ms("2026-11-28T12:42:26Z"), utcMs(2026, 11, 28, 12, 42, 26));
        QCOMPARE(*parseRfc3339Ms("0001-01-01T00:00:00Z"), std::int64_t(0)); // Go's zero time: unset
        QCOMPARE(formatRfc3339Ms(utcMs(2026, 11, 28, 12, 42, 26) + 5), std::string("2026-11-28T12:42:26.005Z"));
        QCOMPARE(formatRfc3339Ms(0), std::string("0001-01-01T00:00:00Z"));
        QCOMPARE(formatRfc3339Ms(utcMs(1969, 12, 31, 23, 59, 59)), std::string("1969-12-31T23:59:59.000Z"));
        for (const char *bad : {"", "2026-11-28", "2026-11-28T12:42:26", "2026-13-28T12:42:26Z",
                                "2026-11-28T12:42:26.Z", "2026-11-28T12:42:26Zjunk", "2026-11-28T12:42:26+1"}) {
            auto r = parseRfc3339Ms(bad);
            QVERIFY2(!r, bad);
            QVERIFY(r.error().find("RFC 3339") != std::string::npos);
        }
    }

    void readsAlertsAndComputesTheirFingerprints()
    {
        const QByteArray raw = sample("s3-bothfiring-am-alerts.json");
        auto alerts = parsePostableAlerts(raw.toStdString());
        QVERIFY2(alerts.ok(), alerts.ok() ? "" : alerts.error().c_str());
        QCOMPARE(alerts->size(), std::size_t(2));
        const QJsonArray expected = QJsonDocument::fromJson(raw).array();
        for (std::size_t i = 0; i < alerts->size(); ++i)
            QCOMPARE(QString::fromStdString(fingerprintToString(fingerprintOf((*alerts)[i].labels))),
                     expected[int(i)][QLatin1String("fingerprint")].toString());
        QCOMPARE((*alerts)[0].annotations.at("summary"), std::string("High error rate detected"));
        QCOMPARE((*alerts)[0].startsAtMs, at("2026-11-28T12:42:26.225Z"));
    }

    void badAlertJsonSaysWhere()
    {
        QVERIFY(parsePostableAlerts("{").error().find("not valid JSON") != std::string::npos);
        QVERIFY(parsePostableAlerts("{}").error().find("expected a JSON array") != std::string::npos);
        auto badTime = parsePostableAlerts("[{\"labels\":{\"a\":\"b\"}},{\"labels\":{\"a\":\"b\"},\"startsAt\":\"yesterday\"}]");
        QVERIFY(badTime.error().find("alerts[1].startsAt") != std::string::npos);
        auto badLabel = parsePostableAlerts("[{\"labels\":{\"a\":1}}]");
        QVERIFY(badLabel.error().find("alerts[0].labels.a") != std::string::npos);
        auto noMatchers = parsePostableSilence("{\"matchers\":[],\"endsAt\":\"2026-11-28T14:42:41.000Z\"}");
        QVERIFY(noMatchers.error().find("at least 1 items") != std::string::npos);
        auto badRegex = parsePostableSilence("{\"matchers\":[{\"name\":\"a\",\"value\":\"[\",\"isRegex\":true}]}");
        QVERIFY(badRegex.error().find("silence.matchers[0]") != std::string::npos);
    }

    // Garbage and mangled captures: every parser answers ok or a non-empty reason.
    void parsersNeverCrashOnGarbage()
    {
        std::mt19937 rng(20261128); // fixed seed: the same inputs every run
        const std::string alphabet = "{}[]\",:=!~.*()\\ aZ09-T+Z\n";
        const std::string capture = sample("s4-am-alerts-silenced.json").toStdString();
        const std::string silence = sample("s4-silence-post-body.json").toStdString();
        int rejected = 0;
        for (int i = 0; i < 5000; ++i) {
            std::string junk(rng() % 40, ' ');
            for (char &c : junk)
                c = alphabet[rng() % alphabet.size()];
            std::string mangled = i % 2 ? capture : silence;
            for (int flips = 0; flips < 3; ++flips)
                mangled[rng() % mangled.size()] = alphabet[rng() % alphabet.size()];
            auto check = [&](const auto &result) {
                if (!result) {
                    QVERIFY(!result.error().empty());
                    ++rejected;
                }
            };
            check(parseMatchers(junk));
            check(Matcher::parse(junk));
            check(parseRfc3339Ms(junk));
            check(parsePostableAlerts(junk));
            check(parsePostableAlerts(mangled));
            check(parsePostableSilence(mangled));
        }
        QVERIFY(rejected > 5000); // the inputs really were mostly bad
    }

    // Replays the s3 -> s4 -> s5 capture: both alerts firing, a silence posted for
    // ModelServerDown, GET /api/v2/alerts, then the silence deleted and listed.
    void replaysTheCapturedSilenceSession()
    {
        AlertQueueConfig cfg;
        cfg.route.receiver = "console-webhook";
        cfg.route.groupBy = {"alertname"};
        AlertQueue q(cfg);
        auto alerts = *parsePostableAlerts(sample("s4-am-alerts-silenced.json").toStdString());
        q.put({alerts[1]}, at("2026-11-28T12:42:13.228Z")); // updatedAt in the capture
        q.put({alerts[0]}, at("2026-11-28T12:42:26.227Z"));

        auto spec = parsePostableSilence(sample("s4-silence-post-body.json").toStdString());
        QVERIFY2(spec.ok(), spec.ok() ? "" : spec.error().c_str());
        auto id = q.setSilence(*spec, at("2026-11-28T12:42:41.451Z"));
        QVERIFY(id.ok());
        const std::int64_t getAt = at("2026-11-28T12:42:45.000Z");
        q.advance(getAt);

        QJsonArray expected = QJsonDocument::fromJson(sample("s4-am-alerts-silenced.json")).array();
        // Silence ids are random in Alertmanager and deterministic here.
        QJsonObject suppressed = expected[1].toObject();
        QJsonObject status = suppressed[QLatin1String("status")].toObject();
        status[QLatin1String("silencedBy")] = QJsonArray{QString::fromStdString(*id)};
        suppressed[QLatin1String("status")] = status;
        expected[1] = suppressed;
        QJsonArray got = parsed(gettableAlertsJson(q.snapshot(getAt), "console-webhook")).toArray();
        QCOMPARE(got.size(), 2);
        // The queue lists by severity and age, Alertmanager by fingerprint: pair them up.
        for (const auto &e : expected) {
            bool found = false;
            for (const auto &g : got)
                if (g[QLatin1String("fingerprint")] == e[QLatin1String("fingerprint")]) {
                    QCOMPARE(g.toObject(), e.toObject());
                    found = true;
                }
            QVERIFY(found);
        }

        const std::int64_t deletedAt = at("2026-11-28T12:42:50.416Z");
        QVERIFY(q.expireSilence(*id, deletedAt).ok());
        QJsonArray silences = parsed(gettableSilencesJson(q.silences().all(), deletedAt)).toArray();
        QJsonArray expectedSilences = QJsonDocument::fromJson(sample("s5-am-silences-after-expire.json")).array();
        QJsonObject e = expectedSilences[0].toObject();
        e[QLatin1String("id")] = QString::fromStdString(*id);
        QCOMPARE(silences[0].toObject(), e);
    }

    void webhookPayloadsMatchAlertmanagers()
    {
        AlertQueueConfig cfg;
        cfg.route.receiver = "console-webhook";
        cfg.route.groupBy = {"alertname"};
        AlertQueue q(cfg);
        // endsAt stands for the lease Prometheus keeps refreshing until the resolution.
        const auto firingPush = *parsePostableAlerts(
            "[{\"endsAt\":\"2026-11-28T12:50:11.225Z\",\"startsAt\":\"2026-11-28T12:40:11.225Z\","
            "\"generatorURL\":\"http://vm:19090/graph?g0.expr=up%7Bjob%3D%22model-server%22%7D+%3D%3D+0&g0.tab=1\","
            "\"labels\":{\"alertname\":\"ModelServerDown\",\"instance\":\"127.0.0.1:19101\",\"job\":\"model-server\",\"severity\":\"P1\"}}]");
        const std::int64_t pushAt = at("2026-11-28T12:40:12.000Z");
        q.put(firingPush, pushAt);
        auto sent = q.advance(pushAt + 30 * kSecond);
        QCOMPARE(sent.size(), std::size_t(1));
        QCOMPARE(parsed(webhookJson(sent[0], "http://vm:19093")).toObject(),
                 QJsonDocument::fromJson(sample("webhook-firing-modelserverdown.json")).object());

        auto resolvedPush = firingPush;
        resolvedPush[0].endsAtMs = at("2026-11-28T12:47:41.225Z");
        q.put(resolvedPush, resolvedPush[0].endsAtMs);
        sent = q.advance(resolvedPush[0].endsAtMs + 5 * kMinute);
        QCOMPARE(sent.size(), std::size_t(1));
        QCOMPARE(parsed(webhookJson(sent[0], "http://vm:19093")).toObject(),
                 QJsonDocument::fromJson(sample("webhook-resolved-modelserverdown.json")).object());
    }
};

QTEST_GUILESS_MAIN(TestAlertJson)
#include "tst_alert_json.moc"
