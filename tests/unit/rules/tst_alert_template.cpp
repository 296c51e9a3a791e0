// Alert templates render byte-for-byte as Prometheus renders them (expected strings
// were produced by promtool 2.42 from the same templates).
#include "backends/telemetry/rules/alert_template.h"
#include "backends/telemetry/rules/go_format.h"

#include <QTest>

#include <cmath>

using namespace opsdeck::telemetry::rules;

namespace {
std::string render(const std::string &text, double value, std::map<std::string, std::string> labels = {})
{
    TemplateData data;
    data.value = value;
    data.labels = std::move(labels);
    data.externalLabels = {{"cluster", "prod-eu"}};
    data.externalUrl = "http://opsdeck.example:9090";
    return expandAlertTemplate(text, "TestAlert", data);
}
} // namespace

class TestAlertTemplate : public QObject
{
    Q_OBJECT
private slots:
    void humanizeFamily_data()
    {
        QTest::addColumn<QString>("fn");
        QTest::addColumn<double>("value");
        QTest::addColumn<QString>("expected");
        QTest::newRow("si k") << "humanize" << 1234.5 << "1.234k";
        QTest::newRow("si 4 digits") << "humanize" << 1234567.0 << "1.235M";
        QTest::newRow("si micro") << "humanize" << 0.000123 << "123u";
        QTest::newRow("si milli") << "humanize" << 0.5 << "500m";
        QTest::newRow("si zero") << "humanize" << 0.0 << "0";
        QTest::newRow("si negative") << "humanize" << -45.678 << "-45.68";
        QTest::newRow("si Z") << "humanize" << 1e21 << "1Z";
        QTest::newRow("1024") << "humanize1024" << 1048576.0 << "1Mi";
        QTest::newRow("1024 ki") << "humanize1024" << 1234.5 << "1.206ki";
        QTest::newRow("1024 small") << "humanize1024" << 0.5 << "0.5";
        QTest::newRow("pct") << "humanizePercentage" << 0.25 << "25%";
        QTest::newRow("pct large") << "humanizePercentage" << 1234.5 << "1.234e+05%";
        QTest::newRow("dur days") << "humanizeDuration" << 93784.0 << "1d 2h 3m 4s";
        QTest::newRow("dur minutes") << "humanizeDuration" << 1234.5 << "20m 34s";
        QTest::newRow("dur seconds") << "humanizeDuration" << 3.967 << "3.967s";
        QTest::newRow("dur micro") << "humanizeDuration" << 0.000123 << "123us";
        QTest::newRow("dur negative") << "humanizeDuration" << -45.678 << "-45.68s";
        QTest::newRow("dur zero") << "humanizeDuration" << 0.0 << "0s";
    }
    void humanizeFamily()
    {
        QFETCH(QString, fn);
        QFETCH(double, value);
        QFETCH(QString, expected);
        QCOMPARE(QString::fromStdString(render("{{ " + fn.toStdString() + " $value }}", value)), expected);
        // the same through a pipe
        QCOMPARE(QString::fromStdString(render("{{ $value | " + fn.toStdString() + " }}", value)), expected);
    }

    void valuesPrintLikeGo()
    {
        QCOMPARE(render("{{ $value }}", 2.25), std::string("2.25"));
        QCOMPARE(render("{{ $value }}", 123456), std::string("123456"));
        QCOMPARE(render("{{ $value }}", 1234567.5), std::string("1.2345675e+06"));
        QCOMPARE(render("{{ $value }}", 0.00001), std::string("1e-05"));
        QCOMPARE(render("{{ .Value }}", 0.0001), std::string("0.0001"));
        QCOMPARE(render("{{ $value }}", NAN), std::string("NaN"));
        QCOMPARE(render("{{ $value }}", -INFINITY), std::string("-Inf"));
        QCOMPARE(goFormatFloatE(0.1), std::string("1E-01"));
        QCOMPARE(goFormatFloatE(123456), std::string("1.23456E+05"));
    }

    void labelsAndExternalData()
    {
        const std::map<std::string, std::string> labels{{"instance", "gpu-0:9100"}, {"job", "model"}};
        QCOMPARE(render("{{ $labels.instance }} of {{ .Labels.job }}", 1, labels), std::string("gpu-0:9100 of model"));
        QCOMPARE(render("[{{ $labels.nothere }}]", 1, labels), std::string("[]"));
        QCOMPARE(render("{{ $externalLabels.cluster }}", 1), std::string("prod-eu"));
        QCOMPARE(render("{{ $externalURL }}/alerts", 1), std::string("http://opsdeck.example:9090/alerts"));
        QCOMPARE(render("{{ $labels.job | toUpper }}", 1, labels), std::string("MODEL"));
        QCOMPARE(render("a  {{- $labels.job -}}  b", 1, labels), std::string("amodelb"));
        QCOMPARE(render("no template", 1), std::string("no template"));
    }

    void printfLikeGo()
    {
        QCOMPARE(render(R"({{ printf "%.2f" $value }})", 1234.5), std::string("1234.50"));
        QCOMPARE(render(R"({{ printf "%8.3f|%-6s|%d" $value "ab" 42 }})", 0.5), std::string("   0.500|ab    |42"));
        QCOMPARE(render(R"({{ printf "%e" $value }})", 1234.5), std::string("1.234500e+03"));
        QCOMPARE(render(R"({{ printf "%d" $value }})", 1.5), std::string("%!d(float64=1.5)"));
        QCOMPARE(render(R"({{ printf "%s=%v" "x" $value }})", 3), std::string("x=3"));
        QCOMPARE(render(R"({{ printf "%.1f%%" (humanizePercentage $value | printf "%s") }})", 0.5),
                 std::string("%!f(string=50%)%"));
    }

    void controlStructures()
    {
        const char *severity = "{{ if gt $value 90.0 }}P1{{ else if ge $value 80.0 }}P2{{ else }}P3{{ end }}";
        QCOMPARE(render(severity, 95), std::string("P1"));
        QCOMPARE(render(severity, 80), std::string("P2"));
        QCOMPARE(render(severity, 12), std::string("P3"));
        const char *with = "{{ with $labels.gpu }}GPU {{ . }}{{ else }}unknown{{ end }}";
        QCOMPARE(render(with, 1, {{"gpu", "3"}}), std::string("GPU 3"));
        QCOMPARE(render(with, 1), std::string("unknown"));
        QCOMPARE(render("{{ if and (gt $value 1.0) (eq $labels.rack \"r1\" \"r2\") }}hot{{ end }}", 2,
                        {{"rack", "r2"}}),
                 std::string("hot"));
        QCOMPARE(render("{{ not (lt $value 80.0) }}/{{ or $labels.zone \"none\" }}/{{ ne 1 2 }}", 85),
                 std::string("true/none/true"));
        // Go refuses to compare float64 with an int literal; Prometheus shows the error
        QCOMPARE(render("{{ if gt $value 85 }}x{{ end }}", 90, {}),
                 std::string("<error expanding template: error executing template __alert_TestAlert: template: "
                             "__alert_TestAlert:1:118: executing \"__alert_TestAlert\" at <gt $value 85>: error "
                             "calling gt: incompatible types for comparison>"));
    }

    void errorsAreReportedNotThrown()
    {
        QCOMPARE(checkAlertTemplate("{{ nope $value }}", "A"),
                 std::string("template: __alert_A:1: function \"nope\" not defined"));
        QVERIFY(!checkAlertTemplate("{{ $value ", "A").empty());
        QVERIFY(!checkAlertTemplate("{{ $undefined }}", "A").empty());
        QVERIFY(!checkAlertTemplate("{{ range $labels }}x{{ end }}", "A").empty()); // not supported
        QVERIFY(!checkAlertTemplate("{{ if $value }}x", "A").empty());                // unclosed
        QVERIFY(!checkAlertTemplate("x{{ end }}", "A").empty());
        QVERIFY(!checkAlertTemplate("{{ else }}", "A").empty());
        QVERIFY(checkAlertTemplate("{{ humanize $value }} {{/* comment */}}", "A").empty());
        // execution errors become Prometheus's placeholder text
        QCOMPARE(render("{{ humanize $labels.job }}", 1, {{"job", "abc"}}).rfind("<error expanding template: ", 0),
                 std::size_t(0));
    }
};

QTEST_GUILESS_MAIN(TestAlertTemplate)
#include "tst_alert_template.moc"
