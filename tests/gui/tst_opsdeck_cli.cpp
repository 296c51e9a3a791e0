// The opsdeck executable's command line: --screenshot writes a PNG of the window's size,
// bad input fails with a clear message and a non-zero exit code.
#include <QFile>
#include <QImage>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

class TestOpsdeckCli : public QObject {
    Q_OBJECT
private:
    struct Run {
        int exitCode = -1;
        QString out;
        QString err;
    };

    Run run(const QStringList &args)
    {
        QProcess process;
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        env.insert(QStringLiteral("QT_SCALE_FACTOR"), QStringLiteral("1"));
        process.setProcessEnvironment(env);
        process.start(QStringLiteral(OPSDECK_GUI_EXE), args);
        if (!process.waitForFinished(120000)) {
            process.kill();
            process.waitForFinished();
            return {};
        }
        return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
                QString::fromLocal8Bit(process.readAllStandardOutput()),
                QString::fromLocal8Bit(process.readAllStandardError())};
    }

private Q_SLOTS:
    void screenshotWritesPngOfTheWindow()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString png = dir.filePath(QStringLiteral("dash.png"));
        const Run r = run({QStringLiteral("--screenshot"), png, QStringLiteral("--after"),
                           QStringLiteral("900"), QStringLiteral("--fault"),
                           QStringLiteral("traffic-surge@5m"), QStringLiteral("--seed"),
                           QStringLiteral("5")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QImage image(png);
        QVERIFY(!image.isNull());
        QCOMPARE(image.size(), QSize(1600, 1000));
        QVERIFY(r.out.contains(QLatin1String("1600x1000")));
    }

    void badInputFailsClearly_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("speed") << QStringList{QStringLiteral("--speed"), QStringLiteral("7")}
                               << QStringLiteral("--speed 7");
        QTest::newRow("view") << QStringList{QStringLiteral("--view"), QStringLiteral("nope")}
                              << QStringLiteral("--view nope");
        QTest::newRow("fault") << QStringList{QStringLiteral("--fault"), QStringLiteral("meteor@1h")}
                               << QStringLiteral("--fault meteor@1h");
        QTest::newRow("seed") << QStringList{QStringLiteral("--seed"), QStringLiteral("-3")}
                              << QStringLiteral("--seed -3");
        QTest::newRow("after") << QStringList{QStringLiteral("--after"), QStringLiteral("soon")}
                               << QStringLiteral("--after soon");
        QTest::newRow("unknown option") << QStringList{QStringLiteral("--bogus")}
                                        << QStringLiteral("bogus");
        QTest::newRow("screenshot dir")
            << QStringList{QStringLiteral("--screenshot"), QStringLiteral("/nonexistent-dir/x.png")}
            << QStringLiteral("/nonexistent-dir");
    }

    void badInputFailsClearly()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, mentions);
        const Run r = run(args);
        QVERIFY2(r.exitCode > 0, qPrintable(r.err));
        // Qt may print its own notes first; our message is one line of its own.
        QVERIFY2(r.err.startsWith(QLatin1String("opsdeck: error:"))
                     || r.err.contains(QLatin1String("\nopsdeck: error:")),
                 qPrintable(r.err));
        QVERIFY2(r.err.contains(mentions), qPrintable(r.err));
    }

    // A component map that does not load stops `opsdeck` and `opsdeck status` before
    // anything connects: exit non-zero, and the message names the file, the line:column
    // and the field (a missing file: the file and that it is missing).
    void badComponentMapIsNamed_data()
    {
        QTest::addColumn<bool>("status");
        QTest::addColumn<QByteArray>("yaml"); // empty: the file does not exist
        QTest::addColumn<QStringList>("mentions");
        const QByteArray syntax = "components:\n  agent-orchestrator: [app=orch\n  model-server: app=vllm\n";
        const QByteArray selector = "components:\n  agent-orchestrator: app=orch\n  model-server: \"app in (vllm,tgi\"\n";
        const QStringList syntaxSays{QStringLiteral("map.yaml:3:15"), QStringLiteral("not valid YAML")};
        const QStringList selectorSays{QStringLiteral("map.yaml:3:17"), QStringLiteral("components.model-server"),
                                       QStringLiteral("app in (vllm,tgi")};
        for (const bool status : {false, true}) {
            const char *command = status ? "opsdeck status" : "opsdeck";
            QTest::addRow("%s: missing file", command)
                << status << QByteArray() << QStringList{QStringLiteral("missing-map.yaml")};
            QTest::addRow("%s: YAML syntax error", command) << status << syntax << syntaxSays;
            QTest::addRow("%s: bad selector", command) << status << selector << selectorSays;
        }
    }

    void badComponentMapIsNamed()
    {
        QFETCH(bool, status);
        QFETCH(QByteArray, yaml);
        QFETCH(QStringList, mentions);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QString path = dir.filePath(QStringLiteral("missing-map.yaml"));
        if (!yaml.isEmpty()) {
            path = dir.filePath(QStringLiteral("map.yaml"));
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(yaml);
        }
        QStringList args{QStringLiteral("--component-map"), path};
        if (status)
            args.prepend(QStringLiteral("status"));
        const Run r = run(args);
        QVERIFY2(r.exitCode > 0, qPrintable(QString::number(r.exitCode) + ": " + r.err));
        const QString prefix = status ? QStringLiteral("opsdeck status: ") : QStringLiteral("opsdeck: error: ");
        QVERIFY2(r.err.startsWith(prefix) || r.err.contains(QLatin1Char('\n') + prefix), qPrintable(r.err));
        QVERIFY2(r.err.contains(path), qPrintable(r.err)); // the whole path, as given
        for (const QString &mention : mentions)
            QVERIFY2(r.err.contains(mention), qPrintable(mention + " not in: " + r.err));
    }

    void helpListsTheOptions()
    {
        const Run r = run({QStringLiteral("--help")});
        QCOMPARE(r.exitCode, 0);
        for (const char *option : {"--seed", "--preset", "--speed", "--fault", "--action",
                                   "--screenshot", "--after", "--view"})
            QVERIFY2(r.out.contains(QLatin1String(option)), option);
    }
};

QTEST_GUILESS_MAIN(TestOpsdeckCli)
#include "tst_opsdeck_cli.moc"
