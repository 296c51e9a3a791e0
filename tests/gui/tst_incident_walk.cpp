// One incident from alert to postmortem through the Incidents view, over a step-mode
// SimulatedBackend: alert -> declare (severity suggested from the alert) -> act from the
// procedure checklist (the lead's routing simulated by applying actionRequested) ->
// note -> status update -> the alert resolves -> resolve -> export the postmortem, which
// must contain every timeline entry. Set INCIDENT_WALK_SCREENSHOT=<file.png> to keep a
// picture of the view with the open incident.
#include "../unit/incidents/session_test_support.h"

#include "models/incident_session.h"
#include "widgets/incidents/declare_incident_dialog.h"
#include "widgets/incidents/incident_detail_panel.h"
#include "widgets/incidents/incidents_view.h"
#include "widgets/incidents/response_panel.h"
#include "widgets/incidents/status_page_panel.h"
#include "widgets/incidents/timeline_panel.h"

#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

using namespace opsdeck;
using namespace opsdeck::models::testing;
using models::IncidentState;
using models::TimelineKind;

class TstIncidentWalk : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void alertToPostmortem()
    {
        QTemporaryDir dir;
        models::IncidentSession session;
        session.setUser(QStringLiteral("alice"));
        QVERIFY(session.open(dir.filePath(QStringLiteral("walk.sqlite"))).ok());
        backends::SimulatedBackend backend(stepOptions());
        session.attach(&backend);
        widgets::IncidentsView view(&backend, &session);
        view.resize(1600, 1000);
        view.show();
        // The lead routes actionRequested through a confirmation dialog to apply().
        int applied = 0;
        connect(&view, &widgets::IncidentsView::actionRequested, this, [&](const sim::ActionSpec &action) {
            QVERIFY(await(backend.apply(action)).ok());
            ++applied;
        });
        QSignalSpy dashboards(&view, &widgets::IncidentsView::showDashboardsAt);

        backend.step(2 * 60'000);
        backend.injectFault({sim::FaultKind::BadDeploy, "agent-orchestrator", {}});
        const auto alert = stepUntilFiring(backend);
        QVERIFY2(alert, "no P1 alert after the bad deploy");

        // Declare from the alert: P1 suggested, accepted as is.
        view.declareFromAlert(*alert);
        widgets::DeclareIncidentDialog *dialog = view.declareDialog();
        QVERIFY(dialog);
        QCOMPARE(dialog->severity(), 1);
        QCOMPARE(dialog->incident().sourceFingerprint, telemetry::alerting::fingerprintToString(alert->alert.fingerprint));
        dialog->accept();
        session.waitForWrites();
        const int64_t id = view.selectedIncident();
        QVERIFY(id > 0);
        QCOMPARE(session.incident(id)->severity, 1);
        QCOMPARE(view.listModel()->rowCount(), 1);
        auto *detail = view.detail();
        auto *response = detail->response();

        // The procedure, clicked in order; each step ticks itself.
        response->stepButton(QStringLiteral("acknowledge"))->click();
        response->stepButton(QStringLiteral("check_health"))->click();
        response->stepButton(QStringLiteral("check_deployments"))->click();
        session.waitForWrites();
        response->stepButton(QStringLiteral("rollback"))->click();
        session.waitForWrites();
        QCOMPARE(applied, 1);
        QCOMPARE(response->doneSteps(), (QStringList{QStringLiteral("acknowledge"), QStringLiteral("check_health"),
                                                     QStringLiteral("check_deployments"), QStringLiteral("rollback")}));
        // Done by another path (the console's action menu, not the checklist): still ticks.
        sim::ActionSpec scale;
        scale.kind = sim::ActionKind::Scale;
        scale.target = "agent-orchestrator";
        scale.params = {{"replicas", "10"}};
        QVERIFY(await(backend.apply(scale)).ok());
        session.waitForWrites();
        QVERIFY(response->doneSteps().contains(QStringLiteral("scale")));
        QVERIFY(!response->doneSteps().contains(QStringLiteral("circuit_breakers")));

        // A note typed by a person.
        QLineEdit *note = detail->timeline()->noteEdit();
        QTest::keyClicks(note, QStringLiteral("Rollback done, watching error rate"));
        QTest::keyClick(note, Qt::Key_Return);
        session.waitForWrites();

        // A status update, stamped; the reminder counts to the next one.
        detail->statusPage()->setFields(QStringLiteral("Errors in agent responses"), QStringLiteral("Identified"),
                                        QStringLiteral("~8% of requests fail"),
                                        QStringLiteral("Bad deploy identified, rolled back"));
        detail->statusPage()->post();
        session.waitForWrites();
        QCOMPARE(session.statusUpdates(id).size(), size_t(1));
        QVERIFY2(detail->statusPage()->reminder()->text().contains(QLatin1String("due in")),
                 qPrintable(detail->statusPage()->reminder()->text()));
        QVERIFY(detail->statusPage()->markdown().contains(QLatin1String("- Bad deploy identified, rolled back")));

        // Stakeholders nobody told turn red once their deadline passed (simulated time).
        QVERIFY(response->overdueStakeholders().isEmpty() || response->overdueStakeholders().contains(QStringLiteral("engineering")));
        backend.step(6 * 60'000);
        session.waitForWrites();
        QVERIFY2(response->overdueStakeholders().contains(QStringLiteral("product")),
                 qPrintable(response->overdueStakeholders().join(QLatin1Char(','))));
        response->notifyButton(models::Stakeholder::Product)->click();
        session.waitForWrites();
        QVERIFY(!response->overdueStakeholders().contains(QStringLiteral("product")));

        // The rollback heals: the alert resolves onto the timeline.
        for (int i = 0; i < 60; ++i) {
            const auto entries = session.timeline(id);
            if (std::any_of(entries.begin(), entries.end(), [](const auto &e) { return e.kind == TimelineKind::AlertResolved; }))
                break;
            backend.step(30'000);
            session.waitForWrites();
        }
        if (const char *shot = getenv("INCIDENT_WALK_SCREENSHOT")) {
            QCoreApplication::processEvents(); // layouts and shows are posted events
            view.grab().save(QString::fromLocal8Bit(shot));
        }

        // Filter by kind: notes only.
        auto *timeline = detail->timeline();
        timeline->filter()->setKindMask(models::timelineKindBit(TimelineKind::Note));
        QVERIFY(timeline->filter()->rowCount() >= 2); // the person's note and the stakeholder notice
        timeline->filter()->setKindMask(models::kAllTimelineKinds);
        // Jump to the dashboards at the moment of an entry.
        timeline->view()->setCurrentIndex(timeline->filter()->index(0, 0));
        Q_EMIT timeline->view()->doubleClicked(timeline->filter()->index(0, 0));
        QCOMPARE(dashboards.count(), 1);
        QCOMPARE(dashboards.first().first().toLongLong(),
                 timeline->filter()->index(0, 0).data(models::TimelineModel::TimeMsRole).toLongLong());

        // Resolve, then the postmortem writes itself.
        detail->stateButton(IncidentState::Resolved)->click();
        session.waitForWrites();
        QCOMPARE(session.incident(id)->state, IncidentState::Resolved);
        const QString base = dir.filePath(QStringLiteral("postmortem"));
        QString error;
        QVERIFY2(detail->exportPostmortem(base, true, &error), qPrintable(error));
        QFile md(base + QStringLiteral(".md"));
        QVERIFY(md.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(md.readAll());
        const auto entries = session.timeline(id);
        const std::set<TimelineKind> kinds = [&] {
            std::set<TimelineKind> k;
            for (const auto &e : entries)
                k.insert(e.kind);
            return k;
        }();
        for (const TimelineKind kind : {TimelineKind::AlertFiring, TimelineKind::AlertResolved, TimelineKind::Acknowledged,
                                        TimelineKind::Action, TimelineKind::StatusChange, TimelineKind::Note,
                                        TimelineKind::StatusUpdate})
            QVERIFY2(kinds.count(kind), models::timelineKindName(kind));
        for (const auto &e : entries)
            QVERIFY2(text.contains(QString::fromStdString(e.text).replace(QLatin1Char('|'), QLatin1String("\\|"))),
                     e.text.c_str());
        QVERIFY(text.contains(QLatin1String("| Time to acknowledge |")));
        QVERIFY(QFileInfo(base + QStringLiteral(".html")).size() > 0);
        QVERIFY(QFileInfo(base + QStringLiteral(".pdf")).size() > 0);
    }
};

QTEST_MAIN(TstIncidentWalk)
#include "tst_incident_walk.moc"
