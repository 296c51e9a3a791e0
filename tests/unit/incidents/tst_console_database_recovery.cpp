// Opening a damaged, locked, unreadable or too-new database: the classification, the
// message, that nothing is modified or lost, and that each way forward works.
#include "incident_test_support.h"

#include <QRandomGenerator>

using namespace opsdeck::models;
using namespace opsdeck::models::testing;

class TstConsoleDatabaseRecovery : public QObject {
    Q_OBJECT
private slots:
    void init();
    void corruptHeaderIsClassified();
    void startFreshKeepsTheBadFile();
    void restoreBackupAfterCorruption();
    void restoreWithoutBackupSaysSo();
    void lockedByAnotherWriter();
    void tooNewSchemaIsRefusedUntouched();
    void unreadablePaths();

private:
    void makeDatabaseWithIncident(const std::string &title);
    void corrupt();
    QTemporaryDir m_dir;
    std::string m_path;
    int m_case = 0;
};

void TstConsoleDatabaseRecovery::init()
{
    m_path = (m_dir.path() + QStringLiteral("/case%1.sqlite").arg(++m_case)).toStdString();
}

void TstConsoleDatabaseRecovery::makeDatabaseWithIncident(const std::string &title)
{
    auto db = openOrFail(m_path);
    QVERIFY(db);
    IncidentStore store(*db);
    QVERIFY(declare(store, title) > 0);
    // Closing the last connection checkpoints the WAL into the main file.
}

void TstConsoleDatabaseRecovery::corrupt()
{
    QFile file(QString::fromStdString(m_path));
    QVERIFY(file.open(QIODevice::ReadWrite));
    QByteArray garbage(8192, '\0');
    QRandomGenerator random(7);
    for (char &c : garbage)
        c = char(random.bounded(256));
    QVERIFY(file.write(garbage) == garbage.size()); // the header page and the next one
}

void TstConsoleDatabaseRecovery::corruptHeaderIsClassified()
{
    makeDatabaseWithIncident("before corruption");
    corrupt();
    const QByteArray damaged = readAll(m_path);
    OpenResult opened = ConsoleDatabase::open(m_path);
    QVERIFY(!opened.ok());
    QCOMPARE(opened.failure, OpenFailure::Corrupt);
    QVERIFY2(opened.message.find(m_path) != std::string::npos, opened.message.c_str());
    QVERIFY2(opened.message.find("damaged") != std::string::npos, opened.message.c_str());
    QCOMPARE(readAll(m_path), damaged); // a failed open writes nothing
    QVERIFY(!ConsoleDatabase::open(m_path, {.readOnly = true}).ok());
}

void TstConsoleDatabaseRecovery::startFreshKeepsTheBadFile()
{
    makeDatabaseWithIncident("lost?");
    corrupt();
    const QByteArray damaged = readAll(m_path);
    OpenResult fresh = ConsoleDatabase::startFresh(m_path);
    QVERIFY2(fresh.ok(), fresh.message.c_str());
    QVERIFY(IncidentStore(*fresh.connection).incidents()->empty());
    const QStringList aside = QDir(m_dir.path()).entryList(
        {QFileInfo(QString::fromStdString(m_path)).fileName() + ".set-aside-*"});
    QCOMPARE(aside.size(), 1);
    QCOMPARE(readAll((m_dir.path() + "/" + aside.front()).toStdString()), damaged);
}

void TstConsoleDatabaseRecovery::restoreBackupAfterCorruption()
{
    {
        auto db = openOrFail(m_path);
        IncidentStore store(*db);
        declare(store, "in the backup");
        QVERIFY(ConsoleDatabase::writeBackup(*db, ConsoleDatabase::backupPathFor(m_path)).ok());
    }
    corrupt();
    QCOMPARE(ConsoleDatabase::open(m_path).failure, OpenFailure::Corrupt);
    OpenResult restored = ConsoleDatabase::restoreBackup(m_path);
    QVERIFY2(restored.ok(), restored.message.c_str());
    auto incidents = IncidentStore(*restored.connection).incidents();
    QCOMPARE(incidents->size(), size_t(1));
    QCOMPARE(incidents->front().title, std::string("in the backup"));
    QCOMPARE(QDir(m_dir.path()).entryList({"*.replaced-by-backup-*"}).size(), 1);
    QVERIFY(QFile::exists(QString::fromStdString(ConsoleDatabase::backupPathFor(m_path))));
}

void TstConsoleDatabaseRecovery::restoreWithoutBackupSaysSo()
{
    makeDatabaseWithIncident("no backup");
    corrupt();
    OpenResult restored = ConsoleDatabase::restoreBackup(m_path);
    QVERIFY(!restored.ok());
    QVERIFY2(restored.message.find("no backup") != std::string::npos, restored.message.c_str());
    QVERIFY(QFile::exists(QString::fromStdString(m_path))); // not moved for nothing
}

void TstConsoleDatabaseRecovery::lockedByAnotherWriter()
{
    makeDatabaseWithIncident("locked");
    auto other = rawConnection(m_path);
    QVERIFY(other->exec("BEGIN EXCLUSIVE").ok());
    OpenResult opened = ConsoleDatabase::open(m_path, {.busyTimeoutMs = 50});
    QVERIFY(!opened.ok());
    QCOMPARE(opened.failure, OpenFailure::Locked);
    QVERIFY2(opened.message.find("read-only") != std::string::npos, opened.message.c_str());
    // Way forward: read-only still shows everything committed.
    OpenResult readOnly = ConsoleDatabase::open(m_path, {.readOnly = true, .busyTimeoutMs = 50});
    QVERIFY2(readOnly.ok(), readOnly.message.c_str());
    QCOMPARE(IncidentStore(*readOnly.connection).incidents()->front().title, std::string("locked"));
    QVERIFY(other->exec("ROLLBACK").ok());
    QVERIFY(ConsoleDatabase::open(m_path).ok());
}

void TstConsoleDatabaseRecovery::tooNewSchemaIsRefusedUntouched()
{
    makeDatabaseWithIncident("future");
    QVERIFY(rawConnection(m_path)->exec("PRAGMA user_version = 99").ok());
    OpenResult opened = ConsoleDatabase::open(m_path);
    QVERIFY(!opened.ok());
    QCOMPARE(opened.failure, OpenFailure::TooNew);
    QCOMPARE(opened.schemaVersionFound, 99);
    QVERIFY2(opened.message.find("newer") != std::string::npos, opened.message.c_str());
    QCOMPARE(rawConnection(m_path)->queryInt("PRAGMA user_version").value(), int64_t(99));
}

void TstConsoleDatabaseRecovery::unreadablePaths()
{
    OpenResult directory = ConsoleDatabase::open(m_dir.path().toStdString());
    QCOMPARE(directory.failure, OpenFailure::Unreadable);
    QVERIFY(directory.message.find("directory") != std::string::npos);
    OpenResult missing = ConsoleDatabase::open(m_path, {.readOnly = true});
    QCOMPARE(missing.failure, OpenFailure::Unreadable);
    QVERIFY(missing.message.find("does not exist") != std::string::npos);
    QCOMPARE(ConsoleDatabase::open("").failure, OpenFailure::Unreadable);
}

QTEST_GUILESS_MAIN(TstConsoleDatabaseRecovery)
#include "tst_console_database_recovery.moc"
