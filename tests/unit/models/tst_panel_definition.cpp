// Dashboard definitions: the built-ins carry the runbook's thresholds and parse; files
// load from YAML and JSON; every bad file names line:column, the field and why.
#include "models/panel_definition.h"
#include "panel_test_fixtures.h"

#include <QTemporaryDir>
#include <QTest>

using namespace opsdeck;
using models::Breach;
using models::PanelUnit;
using models::Severity;

namespace {
const models::PanelDefinition *find(const models::DashboardDefinition &d, const QString &title)
{
    for (const auto &p : d.panels)
        if (p.title == title)
            return &p;
    return nullptr;
}
} // namespace

class TestPanelDefinition : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QLocale::setDefault(QLocale::c()); }

    void builtInsHaveTheRunbookPanels()
    {
        const auto dashboards = models::builtInDashboards();
        QCOMPARE(dashboards.size(), 3);
        QCOMPARE(dashboards[0].name, QStringLiteral("System health"));
        QCOMPARE(dashboards[1].name, QStringLiteral("Business"));
        QCOMPARE(dashboards[2].name, QStringLiteral("GPU inference"));
        int total = 0;
        for (const auto &d : dashboards)
            for (const auto &p : d.panels) {
                ++total;
                auto ok = models::validateQuery(p.query);
                QVERIFY2(ok, qPrintable(p.title + QStringLiteral(": ") + QString::fromStdString(ok ? "" : ok.error())));
                QVERIFY(!p.title.isEmpty());
            }
        QVERIFY(total >= 12);

        const auto &health = dashboards[0];
        struct Expect {
            const char *title;
            double threshold;
            Breach side;
            Severity severity;
        };
        const Expect expected[] = {
            {"Request rate", 10000, Breach::Above, Severity::P2},
            {"Success rate", 0.95, Breach::Below, Severity::P1},
            {"Average task latency", 30, Breach::Above, Severity::P2},
            {"Virtual computer utilization", 0.80, Breach::Above, Severity::P2},
            {"Model inference p99", 2, Breach::Above, Severity::P1},
            {"Agent error rate", 0.05, Breach::Above, Severity::P1},
            {"Memory usage ratio", 0.90, Breach::Above, Severity::P2},
        };
        for (const Expect &e : expected) {
            const auto *p = find(health, QString::fromLatin1(e.title));
            QVERIFY2(p, e.title);
            QVERIFY2(p->threshold, e.title);
            QCOMPARE(p->threshold->value, e.threshold);
            QCOMPARE(p->threshold->badSide, e.side);
            QCOMPARE(p->threshold->severity, e.severity);
        }
        // The brief's Business queries, verbatim where it gives them.
        const auto &business = dashboards[1];
        QCOMPARE(business.panels[0].query, QStringLiteral("rate(agent_requests_total[5m])"));
        QCOMPARE(business.panels[2].query, QStringLiteral("sum(agent_active_sessions) by (tier)"));
        QVERIFY(business.panels[2].stacked);
        QCOMPARE(business.panels[3].query, QStringLiteral("rate(safety_violations_total[1h])"));
        // GPU inference reads vLLM and DCGM metrics.
        QStringList gpuQueries;
        for (const auto &p : dashboards[2].panels)
            gpuQueries << p.query;
        const QString all = gpuQueries.join(QLatin1Char('\n'));
        for (const char *metric : {"vllm:num_requests_waiting", "vllm:num_requests_running",
                                   "vllm:time_to_first_token_seconds_bucket", "vllm:kv_cache_usage_perc",
                                   "DCGM_FI_DEV_GPU_UTIL", "DCGM_FI_DEV_FB_USED"})
            QVERIFY2(all.contains(QLatin1String(metric)), metric);
    }

    void loadsYamlAndJson()
    {
        auto yaml = models::parseDashboards(panel_fixtures::kGoodYaml, QStringLiteral("team.yml"));
        QVERIFY2(yaml, yaml ? "" : yaml.error().c_str());
        QCOMPARE(yaml->size(), 2);
        const auto &first = yaml->at(0);
        QCOMPARE(first.name, QStringLiteral("Team board"));
        QCOMPARE(first.panels.size(), 2);
        QCOMPARE(first.panels[0].unit, PanelUnit::PerSecond);
        QCOMPARE(first.panels[0].legendFormat, QStringLiteral("{{job}}"));
        QVERIFY(first.panels[0].threshold);
        QCOMPARE(first.panels[0].threshold->severity, Severity::P1);
        QVERIFY(models::usesComponent(first.panels[0].query));
        QVERIFY(first.panels[1].stacked);
        QCOMPARE(first.panels[1].yMin, std::optional<double>(0));
        QCOMPARE(yaml->at(1).panels[0].unit, PanelUnit::Seconds);

        auto json = models::parseDashboards(panel_fixtures::kGoodJson, QStringLiteral("board.json"));
        QVERIFY2(json, json ? "" : json.error().c_str());
        QCOMPARE(json->at(0).panels[0].unit, PanelUnit::Percent);
        QCOMPARE(json->at(0).panels[0].threshold->badSide, Breach::Below);
        QCOMPARE(json->at(0).panels[0].yMax, std::optional<double>(1));

        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("boards.yml"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(panel_fixtures::kGoodYaml);
        f.close();
        auto fromFile = models::loadDashboardsFile(path);
        QVERIFY(fromFile);
        QCOMPARE(fromFile->size(), 2);
        auto missing = models::loadDashboardsFile(dir.filePath(QStringLiteral("nope.yml")));
        QVERIFY(!missing);
        QVERIFY(QString::fromStdString(missing.error()).contains(QLatin1String("nope.yml: cannot read")));
    }

    void badFilesSayWhereAndWhy_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("where");
        QTest::addColumn<QString>("why");
        QTest::newRow("unknown unit") << QByteArray(panel_fixtures::kBadUnit)
                                      << QStringLiteral("x.yml:5:15: dashboards[0].panels[0].unit")
                                      << QStringLiteral("unknown unit \"furlongs\"");
        QTest::newRow("bad query") << QByteArray(panel_fixtures::kBadQuery)
                                   << QStringLiteral("x.yml:5:16: dashboards[0].panels[0].query")
                                   << QStringLiteral("parse error");
        QTest::newRow("yaml syntax") << QByteArray(panel_fixtures::kBadYaml) << QStringLiteral("x.yml:")
                                     << QStringLiteral("sequence flow not found");
        QTest::newRow("missing title") << QByteArray(panel_fixtures::kMissingTitle)
                                       << QStringLiteral("x.yml:4:9: dashboards[0].panels[0].title")
                                       << QStringLiteral("missing");
        QTest::newRow("bad threshold side") << QByteArray(panel_fixtures::kBadThreshold)
                                            << QStringLiteral("dashboards[0].panels[0].threshold.bad")
                                            << QStringLiteral("\"sideways\"");
        QTest::newRow("unknown field") << QByteArray(panel_fixtures::kUnknownField)
                                       << QStringLiteral("x.yml:6:9: dashboards[0].panels[0].colour")
                                       << QStringLiteral("unknown field");
        QTest::newRow("no dashboards") << QByteArray(panel_fixtures::kNoDashboards)
                                       << QStringLiteral("x.yml:1:1: dashboards")
                                       << QStringLiteral("top-level");
    }

    void badFilesSayWhereAndWhy()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, where);
        QFETCH(QString, why);
        auto parsed = models::parseDashboards(std::string_view(text.constData(), std::size_t(text.size())),
                                              QStringLiteral("x.yml"));
        QVERIFY(!parsed);
        const QString error = QString::fromStdString(parsed.error());
        QVERIFY2(error.startsWith(where) || (!where.startsWith(QLatin1String("x.yml")) && error.contains(where)),
                 qPrintable(error));
        QVERIFY2(error.startsWith(QLatin1String("x.yml:")), qPrintable(error)); // always a position
        QVERIFY2(error.contains(why), qPrintable(error));
    }

    void storedPanelsRoundTrip()
    {
        for (const auto &d : models::builtInDashboards())
            for (const auto &p : d.panels) {
                auto back = models::panelFromJson(models::panelToJson(p));
                QVERIFY2(back, back ? "" : back.error().c_str());
                QVERIFY2(*back == p, qPrintable(models::panelToJson(p)));
            }
        auto bad = models::panelFromJson(QStringLiteral("{\"title\": \"x\", \"query\": \"rate(\"}"));
        QVERIFY(!bad);
        QVERIFY(QString::fromStdString(bad.error()).contains(QLatin1String("parse error")));
    }

    void queriesAndLegends()
    {
        QCOMPARE(models::substituteComponent(QStringLiteral("up{job=~\"$component\"}"), {}),
                 QStringLiteral("up{job=~\".*\"}"));
        QCOMPARE(models::substituteComponent(QStringLiteral("up{job=~\"$component\"}"), QStringLiteral("model-server")),
                 QStringLiteral("up{job=~\"model-server\"}"));
        // Regex metacharacters in a name are escaped, and the escape survives PromQL quoting.
        const QString dotted = models::substituteComponent(QStringLiteral("up{job=~\"$component\"}"),
                                                           QStringLiteral("a.b"));
        QCOMPARE(dotted, QStringLiteral("up{job=~\"a\\\\.b\"}"));
        QVERIFY(models::validateQuery(dotted));

        auto bad = models::validateQuery(QStringLiteral("sum(rate(x[5m])"));
        QVERIFY(!bad);
        QVERIFY(models::errorColumn(QString::fromStdString(bad.error())) > 0);
        QVERIFY(!models::validateQuery(QStringLiteral("   ")));
        QCOMPARE(models::errorColumn(QStringLiteral("1:17: parse error: x")), 17);
        QCOMPARE(models::errorColumn(QStringLiteral("no position")), 0);

        const telemetry::Labels labels{{"__name__", "x"}, {"tier", "plus"}, {"region", "us-east-1"}};
        QCOMPARE(models::formatLegend(QStringLiteral("{{tier}} {{ region }}"), labels),
                 QStringLiteral("plus us-east-1"));
        QCOMPARE(models::formatLegend(QStringLiteral("{{missing}} tier"), labels), QStringLiteral("tier"));
        QCOMPARE(models::formatLegend({}, labels), QStringLiteral("x{region=\"us-east-1\", tier=\"plus\"}"));

        QCOMPARE(models::formatPanelValue(PanelUnit::Percent, 0.9731), QStringLiteral("97.3 %"));
        QCOMPARE(models::formatPanelValue(PanelUnit::Seconds, 1.844), QStringLiteral("1.84 s"));
        QCOMPARE(models::formatPanelValue(PanelUnit::Seconds, 0.25), QStringLiteral("250 ms"));
        QCOMPARE(models::formatPanelValue(PanelUnit::Bytes, 3.0 * 1024 * 1024 * 1024), QStringLiteral("3.00 GiB"));
        QCOMPARE(models::formatPanelValue(PanelUnit::PerMinute, 12345), QStringLiteral("12345 /min")); // C locale: no grouping
        QCOMPARE(models::formatPanelValue(PanelUnit::Count, qQNaN()), QStringLiteral("–"));
        QCOMPARE(models::displayScale(PanelUnit::Percent, 1), 100.0);
        QCOMPARE(models::axisUnitLabel(PanelUnit::Bytes, 5e9), QStringLiteral("GiB"));
    }
};

QTEST_GUILESS_MAIN(TestPanelDefinition)
#include "tst_panel_definition.moc"
