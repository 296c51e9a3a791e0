// The runbook as data (response targets, stakeholder matrix, status cadence, procedure
// ticks), the incident list's countdown columns under QAbstractItemModelTester, and the
// status page / postmortem text.
#include "models/incident_list_model.h"
#include "models/incident_report.h"
#include "models/response_plan.h"

#include <QAbstractItemModelTester>
#include <QTemporaryDir>
#include <QtTest>

using namespace opsdeck::models;

namespace {
constexpr int64_t kMinute = 60'000;
// 2025-07-20 14:30 UTC, the runbook's example (a Sunday).
constexpr int64_t kStart = 1753021800000;

TimelineEntry entry(int64_t id, int64_t t, TimelineKind kind, std::string text, std::string payload = "{}")
{
    return {id, 1, t, kind, "alice", std::move(text), std::move(payload), {}};
}
} // namespace

class TstIncidentReport : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void responseTargetsFollowTheRunbook()
    {
        QCOMPARE(responseDeadlineMs(1, kStart), kStart + 5 * kMinute);
        QCOMPARE(responseDeadlineMs(2, kStart), kStart + 60 * kMinute);
        QCOMPARE(responseDeadlineMs(3, kStart), kStart + 240 * kMinute);
        // Sunday 14:30 -> Monday 09:00 (next business day).
        QCOMPARE(responseDeadlineMs(4, kStart), int64_t(1752969600000) + 33 * 60 * kMinute);
    }

    void stakeholderMatrixPerSeverity()
    {
        const auto p2 = stakeholderChecklist(2, kStart, {}, {}, kStart + 20 * kMinute);
        QCOMPARE(p2[0].state, DutyState::Overdue);      // engineering 15 min
        QCOMPARE(p2[1].state, DutyState::Due);          // product 30 min
        QCOMPARE(p2[3].state, DutyState::NotRequired);  // users: if visible
        QCOMPARE(p2[3].runbookText, std::string("If visible"));
        const auto p3 = stakeholderChecklist(3, kStart, {{1, 1, Stakeholder::Engineering, "bob", kStart + kMinute}},
                                             {}, kStart + 2 * 60 * kMinute);
        QCOMPARE(p3[0].state, DutyState::Done);
        QCOMPARE(*p3[0].doneAtMs, kStart + kMinute);
        QCOMPARE(p3[1].runbookText, std::string("Daily sync"));
        QCOMPARE(p3[3].state, DutyState::NotRequired);
        QVERIFY(!statusUpdateIntervalMs(4));
        QCOMPARE(*nextStatusUpdateDueMs(2, kStart, {}), kStart + 15 * kMinute);
    }

    void procedureStepsTickFromTheTimeline()
    {
        Incident incident;
        incident.severity = 1;
        const auto steps = responseProcedure(1);
        QCOMPARE(steps.size(), size_t(6));
        QCOMPARE(steps[5].action->kind, opsdeck::sim::ActionKind::SafetyMode);
        std::vector<TimelineEntry> timeline = {
            entry(1, kStart, TimelineKind::Action, "check", "{\"step\":\"check_deployments\"}"),
            entry(2, kStart + kMinute, TimelineKind::Action, "rollback failed",
                  "{\"action\":\"rollback\",\"ok\":false}"),
            entry(3, kStart + 2 * kMinute, TimelineKind::Action, "breakers",
                  "{\"action\":\"circuit-breaker\",\"ok\":true}"),
        };
        QVERIFY(!stepDoneAtMs(steps[0], incident, timeline));
        incident.acknowledgedAtMs = kStart;
        QCOMPARE(*stepDoneAtMs(steps[0], incident, timeline), kStart);
        QVERIFY(!stepDoneAtMs(steps[1], incident, timeline));                 // health not checked
        QCOMPARE(*stepDoneAtMs(steps[2], incident, timeline), kStart);        // deployments checked
        QVERIFY(!stepDoneAtMs(steps[3], incident, timeline));                 // rollback failed
        QCOMPARE(*stepDoneAtMs(steps[5], incident, timeline), kStart + 2 * kMinute);
    }

    void incidentListCountsDownOnTheGivenClock()
    {
        IncidentListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        Incident a;
        a.id = 1;
        a.title = "Outage";
        a.severity = 1;
        a.commander = "alice";
        a.createdAtMs = kStart;
        Incident b = a;
        b.id = 2;
        b.severity = 2;
        b.acknowledgedAtMs = kStart + kMinute;
        model.setIncidents({a, b});
        model.setNowMs(kStart + 3 * kMinute);
        QCOMPARE(model.index(0, 0).data(IncidentListModel::CountdownRole).toLongLong(), 2 * kMinute);
        QCOMPARE(model.index(0, IncidentListModel::DeadlineColumn).data().toString(), QStringLiteral("2m 00s left"));
        QVERIFY(model.index(1, 0).data(IncidentListModel::CountdownRole).isNull());
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.setNowMs(kStart + 6 * kMinute);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.first().at(0).toModelIndex().column(), int(IncidentListModel::AgeColumn));
        QVERIFY(model.index(0, 0).data(IncidentListModel::OverdueRole).toBool());
        QCOMPARE(model.index(0, IncidentListModel::DeadlineColumn).data().toString(), QStringLiteral("OVERDUE 1m 00s"));
        QCOMPARE(model.index(0, IncidentListModel::AgeColumn).data().toString(), QStringLiteral("6m 00s"));
        a.state = IncidentState::Resolved;
        a.resolvedAtMs = kStart + 10 * kMinute;
        model.upsertIncident(a);
        QVERIFY(!model.index(0, 0).data(IncidentListModel::OverdueRole).toBool());
    }

    void statusPageFollowsTheTemplate()
    {
        IncidentReportInput input;
        input.incident.title = "Elevated latency";
        input.incident.createdAtMs = kStart;
        input.statusUpdates = {
            {1, 1, "Elevated latency in ChatGPT Agent responses", "Identified",
             "~15% of requests experiencing 2x normal latency", kStart,
             "Identified resource constraint in virtual computer pool", kStart + 15 * kMinute},
            {2, 1, "Elevated latency in ChatGPT Agent responses", "Monitoring",
             "~15% of requests experiencing 2x normal latency", kStart,
             "Scaling additional compute resources", kStart + 30 * kMinute},
        };
        const QString md = statusPageMarkdown(input);
        QVERIFY2(md.contains(QLatin1String("**Issue**: Elevated latency in ChatGPT Agent responses\n")), qPrintable(md));
        QVERIFY(md.contains(QLatin1String("**Status**: Monitoring\n")));
        QVERIFY(md.contains(QLatin1String("**Impact**: ~15% of requests experiencing 2x normal latency\n")));
        QVERIFY(md.contains(QLatin1String("**Started**: 2025-07-20 14:30 UTC\n")));
        QVERIFY(md.contains(QLatin1String("## Updates\n- 14:45 UTC - Identified resource constraint in virtual computer pool\n"
                                          "- 15:00 UTC - Scaling additional compute resources\n")));
    }

    void postmortemWritesItself()
    {
        IncidentReportInput input;
        input.incident = {1, "State DB corrupt", 1, IncidentState::Resolved, kStart, kStart + 3 * kMinute,
                          kStart + 20 * kMinute, kStart + 40 * kMinute, "", "alice", {"bob"}, {}, {"gina"}};
        input.timeline = {
            entry(1, kStart, TimelineKind::StatusChange, "Declared P1 incident"),
            entry(2, kStart - 2 * kMinute, TimelineKind::AlertFiring, "HighErrorRate firing"),
            entry(3, kStart + 3 * kMinute, TimelineKind::Acknowledged, "Acknowledged by alice"),
            entry(4, kStart + 10 * kMinute, TimelineKind::Action, "restore succeeded",
                  "{\"action\":\"restore\",\"ok\":true,\"target\":\"state-db\",\"kubectl\":\"restore\",\"message\":\"restored\"}"),
            entry(5, kStart + 12 * kMinute, TimelineKind::Note, "Errors falling | good"),
        };
        input.timeline.push_back(entry(6, kStart + 13 * kMinute, TimelineKind::MetricSnapshot, "Pinned errors",
                                       "{\"query\":\"rate(agent_errors_total[5m])\",\"startMs\":1753021800000,\"endMs\":1753022580000}"));
        input.timeline.back().attachment = std::string("\x89PNG fake", 9);
        input.followUps = {{1, 1, "Alert on WAL growth", "bob", false, kStart}};
        const QString md = postmortemMarkdown(input);
        for (const auto &e : input.timeline)
            QVERIFY2(md.contains(QString::fromStdString(e.text).replace(QLatin1Char('|'), QLatin1String("\\|"))),
                     e.text.c_str());
        // Chronological: the alert (before the declaration) comes first.
        QVERIFY(md.indexOf(QLatin1String("HighErrorRate firing")) < md.indexOf(QLatin1String("Declared P1")));
        QVERIFY(md.contains(QLatin1String("| Time to acknowledge | 3m 00s | 5m 00s | met |")));
        QVERIFY(md.contains(QLatin1String("## Recovery (RTO/RPO)")));
        QVERIFY(md.contains(QLatin1String("| Agent Orchestrator | 10m 00s | no |"))); // 12 min after the alert
        QVERIFY(md.contains(QLatin1String("![rate(agent_errors_total[5m])](snapshot-6.png)")));
        QVERIFY(md.contains(QLatin1String("- [ ] Alert on WAL growth (owner: bob)")));
        QTemporaryDir dir;
        QString error;
        QVERIFY2(writePostmortem(input, dir.filePath(QStringLiteral("pm")), &error), qPrintable(error));
        QVERIFY(QFile::exists(dir.filePath(QStringLiteral("pm.md"))));
        QVERIFY(QFile::exists(dir.filePath(QStringLiteral("snapshot-6.png"))));
        QFile html(dir.filePath(QStringLiteral("pm.html")));
        QVERIFY(html.open(QIODevice::ReadOnly));
        QVERIFY(html.readAll().contains("data:image/png;base64,"));
        QVERIFY(!writePostmortem(input, QStringLiteral("/nonexistent-dir/pm"), &error));
        QVERIFY(error.contains(QLatin1String("/nonexistent-dir/pm.md")));
    }
};

QTEST_MAIN(TstIncidentReport)
#include "tst_incident_report.moc"
