// Matchers, silences (states, expiry, validation) and inhibition.
#include "alert_test_util.h"

#include "backends/telemetry/alerting/alert_queue.h"

#include <QtTest>

using namespace opsdeck::telemetry;
using namespace opsdeck::telemetry::alerting;
using namespace opsdeck::telemetry::alerting::testutil;

namespace {
const std::int64_t t0 = utcMs(2026, 11, 27, 12, 0, 0);

const Labels modelServerDown{{"alertname", "ModelServerDown"}, {"job", "model-server"},
                             {"service", "model-server"}, {"severity", "P1"}};

Matchers matchers(const char *text)
{
    auto parsed = parseMatchers(text);
    if (!parsed)
        qFatal("bad matchers in test: %s", parsed.error().c_str());
    return *parsed;
}

SilenceSpec silenceFor(const char *text, std::int64_t startsAt, std::int64_t endsAt)
{
    SilenceSpec s;
    s.matchers = matchers(text);
    s.startsAtMs = startsAt;
    s.endsAtMs = endsAt;
    s.createdBy = "ops-console";
    s.comment = "model server maintenance window";
    return s;
}

Labels service(const std::string &alertname, const std::string &svc, const std::string &sev)
{
    return {{"alertname", alertname}, {"service", svc}, {"severity", sev}};
}
} // namespace

class TestAlertSilences : public QObject {
    Q_OBJECT
private slots:
    void matcherOperators_data()
    {
        QTest::addColumn<QString>("matcher");
        QTest::addColumn<bool>("matchesP1");
        QTest::newRow("equal") << "severity=\"P1\"" << true;
        QTest::newRow("equal other") << "severity=\"P2\"" << false;
        QTest::newRow("not equal") << "severity!=\"P2\"" << true;
        QTest::newRow("not equal same") << "severity!=P1" << false;
        QTest::newRow("regex") << "severity=~\"P[0-9]\"" << true;
        QTest::newRow("regex is anchored") << "severity=~\"P\"" << false;
        QTest::newRow("regex alternation") << "job=~\"model-server|gateway\"" << true;
        QTest::newRow("negative regex") << "severity!~\"P[2-4]\"" << true;
        QTest::newRow("negative regex hit") << "severity!~\"P.\"" << false;
        QTest::newRow("absent label equals empty") << "region=\"\"" << true;
        QTest::newRow("absent label vs regex") << "region=~\".+\"" << false;
    }
    void matcherOperators()
    {
        QFETCH(QString, matcher);
        QFETCH(bool, matchesP1);
        auto m = Matcher::parse(matcher.toStdString());
        QVERIFY2(m.ok(), m.ok() ? "" : m.error().c_str());
        QCOMPARE(m->matches(modelServerDown), matchesP1);
    }

    void matcherErrorsSayWhereAndWhy()
    {
        auto badRegex = Matcher::parse("severity=~\"P[\"");
        QVERIFY(!badRegex);
        QVERIFY(badRegex.error().find("invalid regular expression") != std::string::npos);
        auto noOp = Matcher::parse("severity P1");
        QVERIFY(!noOp);
        QVERIFY(noOp.error().find("column 10") != std::string::npos);
        auto unclosed = parseMatchers("{alertname=\"X\", job=\"y}");
        QVERIFY(!unclosed);
        QVERIFY(unclosed.error().find("never closed") != std::string::npos);
        QVERIFY(!parseMatchers("{alertname=\"X\""));
        auto list = parseMatchers("{alertname=\"X\", severity=~\"P1|P2\"}");
        QVERIFY(list.ok());
        QCOMPARE(list->size(), std::size_t(2));
        QCOMPARE((*list)[1].toString(), std::string("severity=~\"P1|P2\""));
    }

    void silenceStatesOverTime()
    {
        SilenceStore store;
        auto id = store.set(silenceFor("alertname=\"ModelServerDown\"", t0 + kMinute, t0 + kHour), t0);
        QVERIFY(id.ok());
        QCOMPARE(id->size(), std::size_t(36)); // UUID shaped, like Alertmanager's ids
        const Silence *s = store.find(*id);
        QCOMPARE(s->stateAt(t0), SilenceState::Pending);
        QVERIFY(!s->mutes(modelServerDown, t0));
        QCOMPARE(s->stateAt(t0 + kMinute), SilenceState::Active);
        QVERIFY(s->mutes(modelServerDown, t0 + kMinute));
        QCOMPARE(s->stateAt(t0 + kHour - 1), SilenceState::Active);
        QCOMPARE(s->stateAt(t0 + kHour), SilenceState::Expired);
        QVERIFY(!s->mutes(modelServerDown, t0 + kHour));
    }

    void startInThePastBecomesNow()
    {
        SilenceStore store;
        auto id = store.set(silenceFor("job=\"model-server\"", t0 - kHour, t0 + kHour), t0);
        QCOMPARE(store.find(*id)->startsAtMs, t0);
    }

    void expireEarly()
    {
        SilenceStore store;
        auto active = store.set(silenceFor("job=\"model-server\"", t0, t0 + kHour), t0);
        auto pending = store.set(silenceFor("job=\"gateway\"", t0 + kHour, t0 + 2 * kHour), t0);
        QVERIFY(store.expire(*active, t0 + kMinute).ok());
        QCOMPARE(store.find(*active)->stateAt(t0 + kMinute), SilenceState::Expired);
        QCOMPARE(store.find(*active)->endsAtMs, t0 + kMinute);
        QVERIFY(store.expire(*pending, t0 + kMinute).ok());
        QCOMPARE(store.find(*pending)->startsAtMs, t0 + kMinute);
        QCOMPARE(store.find(*pending)->stateAt(t0 + kMinute), SilenceState::Expired);
        auto again = store.expire(*active, t0 + 2 * kMinute);
        QVERIFY(!again);
        QVERIFY(again.error().find("already expired") != std::string::npos);
        QVERIFY(!store.expire("no-such-id", t0));
        QCOMPARE(store.all().size(), std::size_t(2)); // expired silences stay listed
        store.gc(t0 + kMinute + 120 * kHour, 120 * kHour);
        QVERIFY(store.all().empty());
    }

    void silenceValidation()
    {
        SilenceStore store;
        SilenceSpec none = silenceFor("job=\"x\"", t0, t0 + kHour);
        none.matchers.clear();
        QVERIFY(store.set(none, t0).error().find("at least one item") != std::string::npos);
        auto matchAll = store.set(silenceFor("job=~\".*\"", t0, t0 + kHour), t0);
        QVERIFY(matchAll.error().find("must not match the empty string") != std::string::npos);
        auto backwards = store.set(silenceFor("job=\"x\"", t0 + kHour, t0 + kMinute), t0);
        QVERIFY(backwards.error().find("endsAt must be after startsAt") != std::string::npos);
        auto past = store.set(silenceFor("job=\"x\"", t0 - kHour, t0 - kMinute), t0);
        QVERIFY(past.error().find("in the past") != std::string::npos);
        QVERIFY(store.all().empty());
    }

    void updateInPlaceOrReplace()
    {
        SilenceStore store;
        auto id = store.set(silenceFor("job=\"model-server\"", t0, t0 + kHour), t0);
        SilenceSpec longer = silenceFor("job=\"model-server\"", t0, t0 + 2 * kHour);
        longer.id = *id;
        QCOMPARE(*store.set(longer, t0 + kMinute), *id); // extend an active silence in place
        QCOMPARE(store.find(*id)->endsAtMs, t0 + 2 * kHour);
        SilenceSpec other = silenceFor("job=\"gateway\"", t0, t0 + kHour);
        other.id = *id;
        auto replaced = store.set(other, t0 + 2 * kMinute); // new matchers: a new silence
        QVERIFY(*replaced != *id);
        QCOMPARE(store.find(*id)->stateAt(t0 + 2 * kMinute), SilenceState::Expired);
    }

    void silencedAlertIsSuppressedAndNotNotified()
    {
        AlertQueue q;
        auto id = q.setSilence(silenceFor("{alertname=\"ModelServerDown\", severity=~\"P[0-9]\"}",
                                          t0, t0 + 10 * kMinute), t0);
        QVERIFY(id.ok());
        q.put({firing(modelServerDown, t0, t0)}, t0);
        QCOMPARE(q.snapshot(t0)[0].status.state, AlertStatus::State::Unprocessed);
        QVERIFY(q.advance(t0 + 30 * kSecond).empty());
        auto snap = q.snapshot(t0 + 30 * kSecond);
        QCOMPARE(snap[0].status.state, AlertStatus::State::Suppressed);
        QCOMPARE(snap[0].status.silencedBy, std::vector<std::string>{*id});
        QVERIFY(snap[0].status.inhibitedBy.empty());

        // Silence runs out at +10 min: the next tick (+10m30s) notifies.
        for (std::int64_t t = t0 + kMinute; t <= t0 + 10 * kMinute; t += kMinute) {
            q.put({firing(modelServerDown, t0, t)}, t);
            QVERIFY(q.advance(t).empty());
        }
        QCOMPARE(q.snapshot(t0 + 10 * kMinute)[0].status.state, AlertStatus::State::Active);
        auto sent = q.advance(t0 + 10 * kMinute + 30 * kSecond);
        QCOMPARE(sent.size(), std::size_t(1));
        QCOMPARE(sent[0].firing.size(), std::size_t(1));
    }

    void expiringASilenceUnmutes()
    {
        AlertQueue q;
        auto id = q.setSilence(silenceFor("alertname=\"ModelServerDown\"", t0, t0 + kHour), t0);
        q.put({firing(modelServerDown, t0, t0)}, t0);
        QVERIFY(q.advance(t0 + 30 * kSecond).empty());
        QVERIFY(q.expireSilence(*id, t0 + kMinute).ok());
        q.put({firing(modelServerDown, t0, t0 + 2 * kMinute)}, t0 + 2 * kMinute);
        auto sent = q.advance(t0 + 5 * kMinute + 30 * kSecond);
        QCOMPARE(sent.size(), std::size_t(1));
        QCOMPARE(q.silences().find(*id)->stateAt(t0 + kMinute), SilenceState::Expired);
    }

    void p1InhibitsP2OnSameServiceOnly()
    {
        AlertQueue q; // default rule: severity=P1 mutes severity=P2, equal: [service]
        const Labels p1 = service("HighErrorRate", "orchestrator", "P1");
        const Labels p2Same = service("HighMemoryUsage", "orchestrator", "P2");
        const Labels p2Other = service("HighMemoryUsage", "gateway", "P2");
        const Labels p3Same = service("TaskFailures", "orchestrator", "P3");
        q.put({firing(p1, t0, t0), firing(p2Same, t0, t0), firing(p2Other, t0, t0),
               firing(p3Same, t0, t0)}, t0);
        auto sent = q.advance(t0 + 30 * kSecond);
        // Four groups (alertname+service), the inhibited one sends nothing.
        QCOMPARE(sent.size(), std::size_t(3));
        for (const auto &n : sent)
            QVERIFY(n.firing[0].fingerprint != fingerprintOf(p2Same));

        const auto same = q.find(fingerprintOf(p2Same), t0 + 30 * kSecond);
        QCOMPARE(same->status.state, AlertStatus::State::Suppressed);
        QCOMPARE(same->status.inhibitedBy, std::vector<std::string>{fingerprintToString(fingerprintOf(p1))});
        QCOMPARE(q.find(fingerprintOf(p2Other), t0 + 30 * kSecond)->status.state, AlertStatus::State::Active);
        QCOMPARE(q.find(fingerprintOf(p3Same), t0 + 30 * kSecond)->status.state, AlertStatus::State::Active);
        QCOMPARE(q.find(fingerprintOf(p1), t0 + 30 * kSecond)->status.state, AlertStatus::State::Active);

        // Once the P1 resolves, the P2 is no longer muted and gets notified.
        const std::int64_t tr = t0 + 2 * kMinute;
        q.put({resolvedAt(p1, t0, tr), firing(p2Same, t0, tr), firing(p2Other, t0, tr),
               firing(p3Same, t0, tr)}, tr);
        QCOMPARE(q.find(fingerprintOf(p2Same), tr)->status.state, AlertStatus::State::Active);
        sent = q.advance(t0 + 5 * kMinute + 30 * kSecond);
        bool p2Notified = false;
        for (const auto &n : sent)
            for (const auto &a : n.firing)
                p2Notified |= a.fingerprint == fingerprintOf(p2Same);
        QVERIFY(p2Notified);
    }

    void inhibitionIgnoresSelfAndTwoSidedMatches()
    {
        AlertQueueConfig cfg;
        InhibitRule anyOverAny; // both sides match every alert with a severity
        anyOverAny.sourceMatchers = matchers("severity=~\"P.\"");
        anyOverAny.targetMatchers = matchers("severity=~\"P.\"");
        anyOverAny.equal = {"service"};
        cfg.inhibitRules = {anyOverAny};
        AlertQueue q(cfg);
        q.put({firing(service("A", "x", "P1"), t0, t0), firing(service("B", "x", "P2"), t0, t0)}, t0);
        q.advance(t0);
        for (const auto &a : q.snapshot(t0))
            QVERIFY(a.status.inhibitedBy.empty());
    }

    void silencedSourceStillInhibits()
    {
        AlertQueue q;
        const Labels p1 = service("HighErrorRate", "orchestrator", "P1");
        const Labels p2 = service("HighMemoryUsage", "orchestrator", "P2");
        q.setSilence(silenceFor("alertname=\"HighErrorRate\"", t0, t0 + kHour), t0);
        q.put({firing(p1, t0, t0), firing(p2, t0, t0)}, t0);
        QVERIFY(q.advance(t0 + 30 * kSecond).empty()); // as in Alertmanager
    }
};

QTEST_GUILESS_MAIN(TestAlertSilences)
#include "tst_alert_silences.moc"
