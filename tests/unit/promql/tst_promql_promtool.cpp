// Cross-checks our engine against the real promtool (Prometheus 2.42): every case in
// promtool_cases.h is evaluated here, written out as a promtool unit test expecting our
// results, and promtool must pass it. Skipped when /usr/bin/promtool is absent.
#include "promtool_cases.h"
#include "test_support.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace opsdeck::telemetry;
using namespace opsdeck::telemetry::promql;
using namespace opsdeck::telemetry::promql::test;

class TestPromqlPromtool : public QObject {
    Q_OBJECT
private slots:
    void agreesWithPromtool();
    void rangeQueryMatchesInstantQueries();
};

namespace {
VectorSeriesSource buildSource()
{
    VectorSeriesSource src;
    for (const auto &s : promtoolSeries())
        src.add(labelsOf(s.series), s.values);
    return src;
}
} // namespace

void TestPromqlPromtool::agreesWithPromtool()
{
    const VectorSeriesSource src = buildSource();
    std::string yml = "rule_files: []\nevaluation_interval: 1m\ntests:\n  - interval: 1m\n    input_series:\n";
    for (const auto &s : promtoolSeries())
        yml += "      - series: " + yamlQuote(s.series) + "\n        values: " + yamlQuote(s.values) + "\n";
    yml += "    promql_expr_test:\n";
    int written = 0;
    QStringList problems;
    for (const auto &c : promtoolCases()) {
        auto expr = parse(c.expr);
        if (!expr) {
            problems << QString::fromStdString(std::string(c.expr) + ": " + expr.error());
            continue;
        }
        auto v = evalInstant(*expr, src, c.evalMs);
        if (!v) {
            problems << QString::fromStdString(std::string(c.expr) + ": " + v.error());
            continue;
        }
        std::vector<InstantSample> samples = v->vector;
        if (v->type == ValueType::Scalar)
            samples = {InstantSample{Labels{}, v->scalar}};
        bool hasNaN = false;
        for (const auto &s : samples)
            hasNaN |= std::isnan(s.value);
        if (hasNaN)
            continue; // promtool compares with ==, so NaN never matches: covered in tst_promql_eval
        yml += "      - expr: " + yamlQuote(c.expr) + "\n        eval_time: " + formatDuration(c.evalMs) + "\n";
        if (samples.empty()) {
            yml += "        exp_samples: []\n";
        } else {
            yml += "        exp_samples:\n";
            for (const auto &s : samples)
                yml += "          - labels: " + yamlQuote(s.metric.toString()) + "\n            value: " +
                       yamlNumber(s.value) + "\n";
        }
        ++written;
    }
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join('\n')));
    QVERIFY(written > 150);

    // .ci/install-deps installs promtool, so CI always cross-checks; only a developer
    // machine without Debian's prometheus package skips this part.
    if (!QFile::exists("/usr/bin/promtool"))
        QSKIP("promtool not installed; cross-check skipped");
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath("promql_cases.yml");
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QByteArray::fromStdString(yml));
    f.close();
    QProcess promtool;
    promtool.setProcessChannelMode(QProcess::MergedChannels);
    promtool.start("/usr/bin/promtool", {"test", "rules", path});
    QVERIFY(promtool.waitForFinished(120'000));
    const QString output = QString::fromUtf8(promtool.readAll());
    if (qEnvironmentVariableIsSet("OPSDECK_KEEP_PROMTOOL_FILE"))
    {
        QFile::remove("/tmp/promql_cases.yml");
        QFile::copy(path, "/tmp/promql_cases.yml");
    }
    QVERIFY2(promtool.exitCode() == 0, qPrintable(output));
}

// A range query is the instant query at every step, collected per series.
void TestPromqlPromtool::rangeQueryMatchesInstantQueries()
{
    const VectorSeriesSource src = buildSource();
    const char *exprs[] = {"rate(http_requests_total[5m])", "cpu", "sum by (job) (cpu) * 2",
                           "time()", "histogram_quantile(0.9, req_duration_bucket)",
                           "max_over_time(temp[10m:1m])", "topk(1, temp)"};
    for (const char *text : exprs) {
        auto expr = parse(text);
        QVERIFY2(expr.ok(), text);
        const std::int64_t start = m(2), end = m(22), step = 30'000;
        auto range = evalRange(*expr, src, start, end, step);
        QVERIFY2(range.ok(), text);
        QCOMPARE(range->type, ValueType::Matrix);
        std::size_t pointsInRange = 0;
        for (const auto &s : range->matrix)
            pointsInRange += s.points.size();
        std::size_t pointsInstant = 0;
        for (std::int64_t t = start; t <= end; t += step) {
            auto inst = evalInstant(*expr, src, t);
            QVERIFY(inst.ok());
            std::vector<InstantSample> samples = inst->vector;
            if (inst->type == ValueType::Scalar)
                samples = {InstantSample{Labels{}, inst->scalar}};
            for (const auto &s : samples) {
                ++pointsInstant;
                auto series = std::find_if(range->matrix.begin(), range->matrix.end(),
                                           [&](const RangeSeries &r) { return r.metric == s.metric; });
                QVERIFY2(series != range->matrix.end(), text);
                auto p = std::find_if(series->points.begin(), series->points.end(),
                                      [&](const Point &pt) { return pt.t == t; });
                QVERIFY2(p != series->points.end(), text);
                QVERIFY2(p->v == s.value || (std::isnan(p->v) && std::isnan(s.value)), text);
            }
        }
        QCOMPARE(pointsInRange, pointsInstant);
    }
}

QTEST_GUILESS_MAIN(TestPromqlPromtool)
#include "tst_promql_promtool.moc"
