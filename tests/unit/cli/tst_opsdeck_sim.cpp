// The opsdeck-sim executable, driven as a user drives it: help, errors and exit codes,
// deterministic output, the exposition and CSV it writes, the summary, and queries.
#include "backends/sim/scenario.h"
#include "backends/sim/simulation.h"
#include "backends/telemetry/exposition.h"

#include <QtTest>

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>

using namespace opsdeck;

namespace {

struct Outcome {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Outcome runSim(const QStringList &args, const QByteArray &stdinData = {})
{
    QProcess process;
    process.start(QStringLiteral(OPSDECK_SIM_EXE), args);
    if (!process.waitForStarted(10'000))
        return {};
    if (!stdinData.isEmpty())
        process.write(stdinData);
    process.closeWriteChannel();
    // A watchdog, not a sleep: the process normally ends in well under a second.
    if (!process.waitForFinished(120'000)) {
        process.kill();
        process.waitForFinished();
        return {};
    }
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
            process.readAllStandardOutput(), process.readAllStandardError()};
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

// The exposition text of the first scrape: up to where the first family's header repeats.
QByteArray firstBlock(const QByteArray &text)
{
    const int firstNewline = text.indexOf('\n');
    if (firstNewline < 0)
        return text;
    const QByteArray firstLine = text.left(firstNewline + 1);
    const int next = text.indexOf("\n" + firstLine, firstNewline);
    return next < 0 ? text : text.left(next + 1);
}

constexpr qint64 kStartEpochMs = 1752969600000; // SimConfig's default start

} // namespace

class TestOpsdeckSim : public QObject {
    Q_OBJECT
private slots:
    void helpListsEveryFaultAndAction();
    void commandHelpAndVersion();
    void rejectsBadInput_data();
    void rejectsBadInput();
    void rejectsMissingTargetBeforeRunning();
    void sameSeedSameBytes();
    void expositionParsesAndIsTimestamped();
    void promtoolAcceptsABlock();
    void csvShape();
    void stdoutOutputKeepsSummaryOnStderr();
    void summaryMentionsFaultAndAction();
    void queryReturnsAValue();
    void queryRange();
    void queryParseErrorExitsOne();
    void benchPrintsATable();
    void rulesCheckAndTest();
};

void TestOpsdeckSim::helpListsEveryFaultAndAction()
{
    const Outcome help = runSim({"--help"});
    QCOMPARE(help.exitCode, 0);
    for (sim::FaultKind kind : sim::allFaults())
        QVERIFY2(help.out.contains(sim::faultName(kind)), sim::faultName(kind));
    for (sim::ActionKind kind : sim::allActions())
        QVERIFY2(help.out.contains(sim::actionName(kind)), sim::actionName(kind));
    for (const char *command : {"run", "query", "bench", "rules"})
        QVERIFY2(help.out.contains(QByteArray("  ") + command), command);

    const Outcome runHelp = runSim({"help", "run"});
    QCOMPARE(runHelp.exitCode, 0);
    for (const char *option : {"--seed", "--duration", "--preset", "--fault", "--action", "--out",
                               "--format", "--scrape-interval"})
        QVERIFY2(runHelp.out.contains(option), option);
    for (sim::FaultKind kind : sim::allFaults())
        QVERIFY2(runHelp.out.contains(sim::faultName(kind)), sim::faultName(kind));
    for (sim::ActionKind kind : sim::allActions())
        QVERIFY2(runHelp.out.contains(sim::actionName(kind)), sim::actionName(kind));
}

void TestOpsdeckSim::commandHelpAndVersion()
{
    const Outcome version = runSim({"--version"});
    QCOMPARE(version.exitCode, 0);
    QVERIFY(version.out.startsWith("opsdeck-sim "));
    QVERIFY(version.out.trimmed().size() > QByteArray("opsdeck-sim ").size());

    for (const char *command : {"query", "bench", "rules"}) {
        const Outcome help = runSim({command, "--help"});
        QCOMPARE(help.exitCode, 0);
        QVERIFY2(help.out.startsWith(QByteArray("Usage: opsdeck-sim ") + command), help.out);
    }
    QVERIFY(runSim({"help", "query"}).out.contains("--range"));
    QVERIFY(runSim({"help", "bench"}).out.contains("--preset"));

    const Outcome unknown = runSim({"help", "frobnicate"});
    QCOMPARE(unknown.exitCode, 2);
    QVERIFY(unknown.err.contains("unknown command 'frobnicate'"));
    QCOMPARE(runSim({}).exitCode, 2);
}

void TestOpsdeckSim::rejectsBadInput_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("bad duration")
        << QStringList{"run", "--duration", "6x"}
        << "opsdeck-sim: --duration: \"6x\": unknown unit 'x' at position 2 (use ms, s, m, h, d, w)";
    QTest::newRow("unknown fault")
        << QStringList{"run", "--fault", "meteor-strike@1h"}
        << "opsdeck-sim: --fault: \"meteor-strike@1h\": unknown fault 'meteor-strike' (valid: bad-deploy";
    QTest::newRow("unknown action")
        << QStringList{"run", "--action", "pray@1h"}
        << "unknown action 'pray' (valid: rollback";
    QTest::newRow("unknown option")
        << QStringList{"run", "--sed", "3"} << "opsdeck-sim: unknown option '--sed' (did you mean --seed?)";
    QTest::newRow("missing value") << QStringList{"run", "--seed"} << "--seed needs a value (N)";
    QTest::newRow("bad seed") << QStringList{"run", "--seed", "12ab"} << "--seed: \"12ab\" is not a whole number";
    QTest::newRow("bad preset") << QStringList{"run", "--preset", "huge"} << "--preset: unknown preset \"huge\"";
    QTest::newRow("bad format")
        << QStringList{"run", "--duration", "1m", "--out", "-", "--format", "xml"}
        << "--format: unknown format \"xml\" (valid: prometheus, csv)";
    QTest::newRow("fault after end")
        << QStringList{"run", "--duration", "1h", "--fault", "bad-deploy@2h"}
        << "time 2h is after the end of the run (1h)";
    QTest::newRow("duplicate option")
        << QStringList{"run", "--seed", "1", "--seed", "2"} << "--seed given more than once";
    QTest::newRow("unknown command") << QStringList{"walk"} << "unknown command 'walk'";
    QTest::newRow("stray argument") << QStringList{"run", "now"} << "unexpected argument 'now'";
    QTest::newRow("bad region")
        << QStringList{"run", "--fault", "region-failure:mars-north-1@1h"}
        << "no region named 'mars-north-1'";
    QTest::newRow("query without time")
        << QStringList{"query", "up"} << "give either --at T or --range START:END:STEP";
    QTest::newRow("fault after query time")
        << QStringList{"query", "up", "--at", "30m", "--fault", "bad-deploy@1h"}
        << "time 1h is after the query time (30m)";
    QTest::newRow("bad range")
        << QStringList{"query", "up", "--range", "1h:2h"} << "expected START:END:STEP";
    QTest::newRow("bench mode") << QStringList{"bench", "gpu"} << "unknown bench mode 'gpu'";
    QTest::newRow("rules subcommand") << QStringList{"rules", "lint", "x.yml"} << "unknown rules subcommand 'lint'";
}

void TestOpsdeckSim::rejectsBadInput()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const Outcome outcome = runSim(args);
    QCOMPARE(outcome.exitCode, 2);
    QVERIFY2(QString::fromUtf8(outcome.err).contains(message), outcome.err.constData());
    QVERIFY2(outcome.out.isEmpty(), outcome.out.constData());
}

void TestOpsdeckSim::rejectsMissingTargetBeforeRunning()
{
    QTemporaryDir dir;
    const QString out = dir.filePath("never.prom");
    // A week-long run would take seconds; rejection must come before any of it, and
    // before the output file is created.
    const Outcome outcome = runSim({"run", "--duration", "1w", "--out", out, "--action",
                                    "scale:no-such-deploy=3@1h"});
    QCOMPARE(outcome.exitCode, 2);
    QVERIFY2(outcome.err.contains("--action: \"scale:no-such-deploy=3@1h\": no deployment named "
                                  "'no-such-deploy' (deployments: "),
             outcome.err);
    QVERIFY(outcome.err.contains("agent-orchestrator"));
    QVERIFY(!QFile::exists(out));

    const Outcome unwritable = runSim({"run", "--duration", "1m", "--out",
                                       dir.filePath("no/such/dir/m.prom")});
    QCOMPARE(unwritable.exitCode, 1);
    QVERIFY2(unwritable.err.contains("--out: cannot open"), unwritable.err.constData());

    const Outcome fault = runSim({"run", "--fault", "bad-deploy:nowhere@1h"});
    QCOMPARE(fault.exitCode, 2);
    QVERIFY(fault.err.contains("no deployment, region or node named 'nowhere'"));
}

void TestOpsdeckSim::sameSeedSameBytes()
{
    QTemporaryDir dir;
    const QStringList scenario{"run", "--duration", "10m", "--fault", "bad-deploy@2m",
                               "--action", "rollback@5m"};
    const QString a = dir.filePath("a.prom"), b = dir.filePath("b.prom"), c = dir.filePath("c.prom");
    QCOMPARE(runSim(scenario + QStringList{"--seed", "42", "--out", a}).exitCode, 0);
    QCOMPARE(runSim(scenario + QStringList{"--seed", "42", "--out", b}).exitCode, 0);
    QCOMPARE(runSim(scenario + QStringList{"--seed", "43", "--out", c}).exitCode, 0);
    const QByteArray first = readFile(a);
    QVERIFY(first.size() > 1000);
    QVERIFY(first == readFile(b));
    QVERIFY2(first != readFile(c), "a different seed should give different numbers");
}

void TestOpsdeckSim::expositionParsesAndIsTimestamped()
{
    QTemporaryDir dir;
    const QString path = dir.filePath("m.prom");
    QCOMPARE(runSim({"run", "--duration", "1m", "--out", path}).exitCode, 0);
    const QByteArray text = readFile(path);

    // t=0 and every 15 s up to 1m: five blocks, each one parseable on its own.
    QByteArray rest = text;
    QList<qint64> blockTimes;
    while (!rest.isEmpty()) {
        const QByteArray block = firstBlock(rest);
        rest = rest.mid(block.size());
        const Result<telemetry::Scrape> scrape = telemetry::parseExposition(block.toStdString());
        QVERIFY2(scrape.ok(), scrape.ok() ? "" : scrape.error().c_str());
        QVERIFY(!scrape->empty());
        std::optional<std::int64_t> blockTime;
        for (const telemetry::MetricFamily &family : *scrape) {
            for (const telemetry::Sample &sample : family.samples) {
                QVERIFY2(sample.timestampMs.has_value(), sample.name.c_str());
                if (!blockTime)
                    blockTime = *sample.timestampMs;
                QCOMPARE(*sample.timestampMs, *blockTime);
            }
        }
        QVERIFY(blockTime.has_value());
        blockTimes.append(*blockTime);
    }
    const QList<qint64> expected{kStartEpochMs, kStartEpochMs + 15'000, kStartEpochMs + 30'000,
                                 kStartEpochMs + 45'000, kStartEpochMs + 60'000};
    QCOMPARE(blockTimes, expected);
}

void TestOpsdeckSim::promtoolAcceptsABlock()
{
    const QString promtool = QStringLiteral("/usr/bin/promtool");
    // Installed by .ci/install-deps: CI always runs this; skipped only without the package.
    if (!QFile::exists(promtool))
        QSKIP("promtool is not installed");
    const Outcome run = runSim({"run", "--duration", "30s", "--out", "-"});
    QCOMPARE(run.exitCode, 0);
    const QByteArray block = firstBlock(run.out);
    QVERIFY(block.size() < run.out.size());

    QProcess check;
    check.start(promtool, {"check", "metrics"});
    QVERIFY(check.waitForStarted());
    check.write(block);
    check.closeWriteChannel();
    QVERIFY(check.waitForFinished(60'000));
    const QByteArray said = check.readAllStandardOutput() + check.readAllStandardError();
    // Exit 1 is a parse error; 3 means it parsed but promlint has style remarks.
    QVERIFY2(check.exitCode() != 1, said.constData());
    if (check.exitCode() == 3) {
        // Expected ones: vLLM's "vllm:" names and DCGM's camelCase labels are upstream's.
        const QList<QByteArray> remarks = said.trimmed().split('\n');
        qWarning("promtool: the block parsed; %lld promlint style remarks, e.g. %s",
                 static_cast<long long>(remarks.size()), remarks.last().constData());
    }
    QVERIFY2(check.exitCode() == 0 || check.exitCode() == 3, said.constData());
}

void TestOpsdeckSim::csvShape()
{
    QTemporaryDir dir;
    const QString path = dir.filePath("m.csv");
    QCOMPARE(runSim({"run", "--duration", "30s", "--format", "csv", "--out", path}).exitCode, 0);
    const QList<QByteArray> lines = readFile(path).split('\n');
    QVERIFY(lines.size() > 10);
    QCOMPARE(lines.first(), QByteArray("timestamp_ms,name,labels,value"));
    QCOMPARE(lines.last(), QByteArray()); // ends with a newline
    QSet<qint64> times;
    for (qsizetype i = 1; i + 1 < lines.size(); ++i) {
        const QByteArray &line = lines[i];
        bool ok = false;
        const qint64 t = line.left(line.indexOf(',')).toLongLong(&ok);
        QVERIFY2(ok, line.constData());
        times.insert(t);
        // timestamp, name, then labels (quoted when they hold commas), then the value.
        const int secondComma = line.indexOf(',', line.indexOf(',') + 1);
        QVERIFY2(secondComma > 0, line.constData());
        const QByteArray name = line.mid(line.indexOf(',') + 1, secondComma - line.indexOf(',') - 1);
        QVERIFY2(telemetry::isValidMetricName(name.toStdString()), line.constData());
        const QByteArray value = line.mid(line.lastIndexOf(',') + 1);
        value.toDouble(&ok);
        QVERIFY2(ok || value == "NaN" || value == "+Inf" || value == "-Inf", line.constData());
    }
    QCOMPARE(times, (QSet<qint64>{kStartEpochMs, kStartEpochMs + 15'000, kStartEpochMs + 30'000}));
}

void TestOpsdeckSim::stdoutOutputKeepsSummaryOnStderr()
{
    const Outcome outcome = runSim({"run", "--duration", "15s", "--out", "-"});
    QCOMPARE(outcome.exitCode, 0);
    QVERIFY(outcome.out.startsWith("# "));
    QVERIFY(!outcome.out.contains("Simulated "));
    QVERIFY(outcome.err.contains("Simulated 15s"));
}

void TestOpsdeckSim::summaryMentionsFaultAndAction()
{
    const Outcome outcome = runSim({"run", "--seed", "3", "--duration", "40m", "--fault",
                                    "bad-deploy@10m", "--action", "rollback@20m"});
    QCOMPARE(outcome.exitCode, 0);
    const QString summary = QString::fromUtf8(outcome.out);
    QVERIFY2(summary.contains("Simulated 40m (seed 3, preset default)"), qPrintable(summary));
    QVERIFY2(summary.contains("bad-deploy@10m"), qPrintable(summary));
    QVERIFY2(summary.contains("onset       t=10m"), qPrintable(summary));
    QVERIFY2(summary.contains("detected    t="), qPrintable(summary));
    QVERIFY2(summary.contains("t=20m"), qPrintable(summary));
    QVERIFY2(summary.contains("rollback", Qt::CaseInsensitive), qPrintable(summary));
    QVERIFY2(summary.contains("requests"), qPrintable(summary));
    QVERIFY2(summary.contains("peak VC utilization"), qPrintable(summary));
    QVERIFY2(summary.contains("x real time"), qPrintable(summary));

    // The bad revision's errors show within a few scrapes of onset and clear after the
    // rollback at 20m (pods of the previous ReplicaSet need a moment to become ready).
    const QRegularExpression detected(QStringLiteral(R"(detected    t=([0-9hms]+) \(\+([0-9hms]+)\))"));
    const QRegularExpressionMatch d = detected.match(summary);
    QVERIFY2(d.hasMatch(), qPrintable(summary));
    const Result<std::int64_t> detectedAfter = sim::parseDurationMs(d.captured(2).toStdString());
    QVERIFY(detectedAfter.ok());
    QVERIFY2(*detectedAfter <= 5 * 60'000, qPrintable(summary));
    const QRegularExpression mitigated(QStringLiteral(R"(mitigated   t=([0-9hms]+) )"));
    const QRegularExpressionMatch m = mitigated.match(summary);
    QVERIFY2(m.hasMatch(), qPrintable(summary));
    const Result<std::int64_t> mitigatedAt = sim::parseDurationMs(m.captured(1).toStdString());
    QVERIFY(mitigatedAt.ok());
    QVERIFY2(*mitigatedAt >= 20 * 60'000 && *mitigatedAt <= 30 * 60'000, qPrintable(summary));
}

void TestOpsdeckSim::queryReturnsAValue()
{
    const Outcome outcome = runSim({"query", "count(up)", "--at", "5m"});
    QCOMPARE(outcome.exitCode, 0);
    // promtool's shape: `{} => 12 @[1752969900]` (labels, value, Unix time of the query).
    const QRegularExpression line(QStringLiteral(R"(^\{\} => (\d+) @\[1752969900(\.000)?\]$)"),
                                  QRegularExpression::MultilineOption);
    const QRegularExpressionMatch match = line.match(QString::fromUtf8(outcome.out));
    QVERIFY2(match.hasMatch(), outcome.out.constData());
    QVERIFY(match.captured(1).toInt() > 0);

    const Outcome series = runSim({"query", "up", "--at", "1m"});
    QCOMPARE(series.exitCode, 0);
    QVERIFY2(series.out.contains("up{"), series.out.constData());
    QVERIFY2(series.out.contains(" => 1 @["), series.out.constData());
}

void TestOpsdeckSim::queryRange()
{
    const Outcome outcome = runSim({"query", "count(up)", "--range", "1m:3m:1m"});
    QCOMPARE(outcome.exitCode, 0);
    const QList<QByteArray> lines = outcome.out.trimmed().split('\n');
    QCOMPARE(lines.size(), 4); // "{} =>" and one point per step
    QCOMPARE(lines[0], QByteArray("{} =>"));
    QVERIFY(lines[1].endsWith("@[1752969660.000]"));
    QVERIFY(lines[3].endsWith("@[1752969780.000]"));
}

void TestOpsdeckSim::queryParseErrorExitsOne()
{
    const Outcome outcome = runSim({"query", "sum(rate(up[5m])", "--at", "5m"});
    QCOMPARE(outcome.exitCode, 1);
    QVERIFY2(outcome.err.contains("parse error"), outcome.err.constData());
    QVERIFY(outcome.out.isEmpty());
}

void TestOpsdeckSim::benchPrintsATable()
{
    const Outcome outcome = runSim({"bench", "--preset", "default", "--duration", "10m"});
    QCOMPARE(outcome.exitCode, 0);
    QVERIFY2(outcome.out.contains("sim s/wall s"), outcome.out.constData());
    QVERIFY2(outcome.out.contains("sim s/CPU s"), outcome.out.constData());
    QVERIFY2(outcome.out.contains("peak RSS MiB"), outcome.out.constData());
    const QRegularExpression row(QStringLiteral(R"(^default\s+10m\s+[\d.]+\s+\d+x\s+[\d.]+\s+\d+x\s+10000x\s+(ok|SLOW)\s+\d+%\s+40\s)"),
                                 QRegularExpression::MultilineOption);
    QVERIFY2(row.match(QString::fromUtf8(outcome.out)).hasMatch(), outcome.out.constData());
}

void TestOpsdeckSim::rulesCheckAndTest()
{
    QTemporaryDir dir;
    const auto write = [&](const QString &name, const QByteArray &text) {
        QFile file(dir.filePath(name));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(text);
    };
    write("rules.yml", "groups:\n"
                       "  - name: critical_alerts\n"
                       "    rules:\n"
                       "      - alert: HighErrorRate\n"
                       "        expr: rate(agent_errors_total[5m]) > 0.05\n"
                       "        for: 2m\n"
                       "        labels:\n"
                       "          severity: P1\n");
    const QByteArray test = "rule_files: [rules.yml]\n"
                            "evaluation_interval: 1m\n"
                            "tests:\n"
                            "  - interval: 1m\n"
                            "    input_series:\n"
                            "      - series: 'agent_errors_total{job=\"api\"}'\n"
                            "        values: '0+60x15'\n"
                            "    alert_rule_test:\n"
                            "      - eval_time: 10m\n"
                            "        alertname: HighErrorRate\n"
                            "        exp_alerts:\n"
                            "          - exp_labels: {severity: SEVERITY, job: api}\n";
    write("pass.yml", QByteArray(test).replace("SEVERITY", "P1"));
    write("fail.yml", QByteArray(test).replace("SEVERITY", "P2"));
    write("bad.yml", "groups:\n  - name: g\n    rules:\n      - alert: Broken\n"
                     "        expr: rate(x[5m] > 1\n");

    const Outcome check = runSim({"rules", "check", dir.filePath("rules.yml")});
    QCOMPARE(check.exitCode, 0);
    QVERIFY2(check.out.contains("SUCCESS: 1 rules found"), check.out.constData());

    const Outcome bad = runSim({"rules", "check", dir.filePath("bad.yml")});
    QCOMPARE(bad.exitCode, 1);
    QVERIFY2(bad.err.contains("unclosed left parenthesis"), bad.err.constData());

    const Outcome pass = runSim({"rules", "test", dir.filePath("pass.yml")});
    QCOMPARE(pass.exitCode, 0);
    QVERIFY2(pass.out.contains("SUCCESS"), pass.out.constData());

    const Outcome fail = runSim({"rules", "test", dir.filePath("fail.yml")});
    QCOMPARE(fail.exitCode, 1);
    QVERIFY2((fail.out + fail.err).contains("FAILED"), (fail.out + fail.err).constData());
}

QTEST_GUILESS_MAIN(TestOpsdeckSim)
#include "tst_opsdeck_sim.moc"
