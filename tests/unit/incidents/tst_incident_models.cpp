// TimelineModel, its kind filter and IncidentListModel under QAbstractItemModelTester,
// loaded from a real store: incremental appends, filter changes, in-place updates.
#include "incident_test_support.h"
#include "models/incident_list_model.h"
#include "models/timeline_model.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>

using namespace opsdeck::models;
using namespace opsdeck::models::testing;

class TstIncidentModels : public QObject {
    Q_OBJECT
private slots:
    void timelineFromStoreAndAppends();
    void kindFilter();
    void incidentList();
};

namespace {
TimelineEntry entry(int64_t id, TimelineKind kind, const std::string &text)
{
    return {id, 1, id * 10, kind, "alice", text, R"({"what":"scale","target":"deployment/x"})", {}};
}
} // namespace

void TstIncidentModels::timelineFromStoreAndAppends()
{
    QTemporaryDir dir;
    auto db = openOrFail((dir.path() + "/m.sqlite").toStdString());
    IncidentStore store(*db);
    const int64_t id = declare(store);
    QVERIFY(store.appendTimeline({0, id, 2000, TimelineKind::Action, "bob", "scaled",
                                  R"({"kubectl":"kubectl scale deployment/x --replicas=3","result":"ok"})",
                                  "png"}).ok());

    TimelineModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setEntries(*store.timeline(id));
    QCOMPARE(model.rowCount(), 2);
    const QModelIndex action = model.index(1);
    QCOMPARE(action.data(TimelineModel::TimeMsRole).toLongLong(), 2000);
    QCOMPARE(action.data(TimelineModel::KindRole).toInt(), int(TimelineKind::Action));
    QCOMPARE(action.data(TimelineModel::KindNameRole).toString(), QStringLiteral("action"));
    QCOMPARE(action.data(TimelineModel::ActorRole).toString(), QStringLiteral("bob"));
    QCOMPARE(action.data(TimelineModel::TextRole).toString(), QStringLiteral("scaled"));
    QCOMPARE(action.data(TimelineModel::PayloadRole).toMap().value("kubectl").toString(),
             QStringLiteral("kubectl scale deployment/x --replicas=3"));
    QVERIFY(action.data(TimelineModel::HasAttachmentRole).toBool());
    QVERIFY(action.data().toString().contains(QStringLiteral("scaled")));

    // New commits arrive as inserts, not resets; replays are ignored.
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QVERIFY(store.appendTimeline({0, id, 3000, TimelineKind::Note, "carol", "n1", "{}", {}}).ok());
    QVERIFY(store.appendTimeline({0, id, 3100, TimelineKind::Note, "carol", "n2", "{}", {}}).ok());
    const auto fresh = *store.timeline(id, model.lastEntryId());
    QCOMPARE(fresh.size(), size_t(2));
    model.appendEntries(fresh);
    model.appendEntries(fresh);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(inserted.front().at(1).toInt(), 2);
    QCOMPARE(inserted.front().at(2).toInt(), 3);
    QCOMPARE(reset.count(), 0);
    QCOMPARE(model.rowCount(), 4);
    QCOMPARE(model.roleNames().value(TimelineModel::PayloadRole), QByteArray("payload"));
}

void TstIncidentModels::kindFilter()
{
    TimelineModel model;
    TimelineKindFilterModel filter;
    QAbstractItemModelTester sourceTester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester filterTester(&filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
    filter.setSourceModel(&model);
    model.setEntries({entry(1, TimelineKind::AlertFiring, "fire"), entry(2, TimelineKind::Note, "n"),
                      entry(3, TimelineKind::Action, "act")});
    QCOMPARE(filter.rowCount(), 3);
    filter.setKindMask(timelineKindBit(TimelineKind::Action) | timelineKindBit(TimelineKind::AlertFiring));
    QCOMPARE(filter.rowCount(), 2);
    QCOMPARE(filter.index(1, 0).data(TimelineModel::TextRole).toString(), QStringLiteral("act"));
    model.appendEntries({entry(4, TimelineKind::Note, "n2"), entry(5, TimelineKind::Action, "act2")});
    QCOMPARE(filter.rowCount(), 3);
    filter.setKindMask(timelineKindBit(TimelineKind::Note));
    QCOMPARE(filter.rowCount(), 2);
    filter.setKindMask(0);
    QCOMPARE(filter.rowCount(), 0);
    filter.setKindMask(kAllTimelineKinds);
    QCOMPARE(filter.rowCount(), 5);
}

void TstIncidentModels::incidentList()
{
    QTemporaryDir dir;
    auto db = openOrFail((dir.path() + "/l.sqlite").toStdString());
    IncidentStore store(*db);
    const int64_t first = declare(store, "Orchestrator down", 1, "alice");
    IncidentListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setIncidents(*store.incidents());
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.columnCount(), int(IncidentListModel::NUM_COLUMNS));
    QCOMPARE(model.index(0, IncidentListModel::SeverityColumn).data().toString(), QStringLiteral("P1"));
    QCOMPARE(model.headerData(IncidentListModel::TitleColumn, Qt::Horizontal).toString(), QStringLiteral("Title"));

    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QVERIFY(store.handOverCommand(first, "bob", "alice", 2000).ok());
    model.upsertIncident(*store.incident(first));
    QCOMPARE(changed.count(), 1);
    QCOMPARE(model.index(0, IncidentListModel::CommanderColumn).data().toString(), QStringLiteral("bob"));
    const int64_t second = declare(store, "Latency", 2, "carol");
    model.upsertIncident(*store.incident(second));
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.rowOf(second), 1);
    QCOMPARE(model.index(1, 0).data(IncidentListModel::IncidentIdRole).toLongLong(), second);
    QCOMPARE(model.index(1, IncidentListModel::StateColumn).data().toString(), QStringLiteral("investigating"));
}

QTEST_GUILESS_MAIN(TstIncidentModels)
#include "tst_incident_models.moc"
