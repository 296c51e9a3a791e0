#include "models/console_database.h"
#include <QtTest>
class TstIncidentStore : public QObject { Q_OBJECT private slots: void opens(); };
void TstIncidentStore::opens()
{
    QTemporaryDir dir;
    auto r = opsdeck::models::ConsoleDatabase::open((dir.path() + "/a.sqlite").toStdString());
    QVERIFY2(r.ok(), r.message.c_str());
}
QTEST_GUILESS_MAIN(TstIncidentStore)
#include "tst_incident_store.moc"
