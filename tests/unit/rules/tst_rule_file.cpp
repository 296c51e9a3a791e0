// Rule file loading and validation: every error says file:line:col and why, worded
// as `promtool check rules` words it.
#include "backends/telemetry/rules/duration.h"
#include "backends/telemetry/rules/rule_file.h"

#include <QTest>

using namespace opsdeck::telemetry::rules;

namespace {
QString joined(const RuleFileParse &p)
{
    std::string all;
    for (const auto &e : p.errors)
        all += e + "\n";
    return QString::fromStdString(all);
}
} // namespace

class TestRuleFile : public QObject
{
    Q_OBJECT
private slots:
    void loadsRunbookStyleFile()
    {
        const auto p = parseRuleFile(R"(groups:
  - name: critical_alerts
    interval: 30s
    limit: 10
    rules:
      - alert: HighErrorRate
        expr: rate(agent_errors_total[5m]) > 0.05
        for: 2m
        keep_firing_for: 1m
        labels:
          severity: P1
        annotations:
          summary: High error rate detected
      - record: job:errors:rate5m
        expr: sum by (job) (rate(agent_errors_total[5m]))
        labels:
          team: agents
)",
                                     "rules.yml");
        QVERIFY2(p.ok(), qPrintable(joined(p)));
        QCOMPARE(p.file.groups.size(), std::size_t(1));
        const RuleGroupSpec &g = p.file.groups[0];
        QCOMPARE(g.name, std::string("critical_alerts"));
        QCOMPARE(g.intervalMs, std::int64_t(30'000));
        QCOMPARE(g.limit, 10);
        QCOMPARE(p.file.ruleCount(), std::size_t(2));
        const RuleSpec &alert = g.rules[0];
        QVERIFY(alert.kind == RuleSpec::Kind::Alerting);
        QCOMPARE(alert.name, std::string("HighErrorRate"));
        QCOMPARE(alert.forMs, std::int64_t(120'000));
        QCOMPARE(alert.keepFiringForMs, std::int64_t(60'000));
        QVERIFY(alert.expr.root() != nullptr);
        QCOMPARE(alert.labels.size(), std::size_t(1));
        QCOMPARE(alert.annotations[0].second, std::string("High error rate detected"));
        QCOMPARE(alert.line, 6);
        QVERIFY(g.rules[1].kind == RuleSpec::Kind::Recording);
        QCOMPARE(g.rules[1].name, std::string("job:errors:rate5m"));
    }

    void flowStyleIsAccepted()
    {
        const auto p = parseRuleFile(
            "groups: [{name: critical_alerts, rules: [{alert: HighErrorRate, expr: 'rate(agent_errors_total[5m]) > "
            "0.05', for: 2m, labels: {severity: P1}}, {alert: ModelServerDown, expr: 'up{job=\"model-server\"} == "
            "0', for: 1m}]}]",
            "flow.yml");
        QVERIFY2(p.ok(), qPrintable(joined(p)));
        QCOMPARE(p.file.ruleCount(), std::size_t(2));
    }

    void parseErrorReportedLikePromtool()
    {
        // /work/shared/reference/prometheus/config/rules-bad.yml, and promtool's exact message
        const auto p = parseRuleFile(R"(groups:
  - name: critical_alerts
    rules:
      - alert: HighErrorRate
        expr: 'rate(agent_errors_total[5m] > 0.05'
        for: 2m
)",
                                     "rules-bad.yml");
        QCOMPARE(p.errors.size(), std::size_t(1));
        QCOMPARE(QString::fromStdString(p.errors[0]),
                 QStringLiteral("rules-bad.yml: 5:15: group \"critical_alerts\", rule 1, \"HighErrorRate\": could "
                                "not parse expression: 1:35: parse error: unclosed left parenthesis"));
    }

    void everyValidationErrorHasItsPlace()
    {
        const auto p = parseRuleFile(R"(groups:
  - name: g
    rules:
      - alert: A
        record: b
        expr: up
      - record: "bad name"
        expr: up
        for: 1m
        labels:
          "bad-l": x
      - alert: C
  - name: g
    rules: []
  - name: ""
    rules:
      - record: r
        expr: up
        annotations:
          x: y
      - alert: T
        expr: up
        annotations:
          x: '{{ nope $value }}'
)",
                                     "b.yml");
        const QStringList expected = {
            "b.yml: 5:17: 4:16: group \"g\", rule 1, \"A\": only one of 'record' and 'alert' must be set",
            "b.yml: 7:17: group \"g\", rule 2, \"bad name\": invalid field 'for' in recording rule",
            "b.yml: 7:17: group \"g\", rule 2, \"bad name\": invalid recording rule name: bad name",
            "b.yml: group \"g\", rule 2, \"bad name\": invalid label name: bad-l",
            "b.yml: 0:0: group \"g\", rule 3, \"C\": field 'expr' must be set in rule",
            "b.yml: 13:5: groupname: \"g\" is repeated in the same file",
            "b.yml: 15:5: Groupname must not be empty",
            "b.yml: 17:17: group \"\", rule 1, \"r\": invalid field 'annotations' in recording rule",
            "b.yml: group \"\", rule 2, \"T\": annotation \"x\": template: __alert_T:1: function \"nope\" not defined",
        };
        QStringList got;
        for (const auto &e : p.errors)
            got << QString::fromStdString(e);
        QCOMPARE(got, expected);
    }

    void unknownFieldsAndBadDurationsStopTheFile()
    {
        auto p = parseRuleFile("groups:\n  - name: g\n    rules:\n      - alert: x\n        expr: up\n        foo: 1\n",
                               "u.yml");
        QCOMPARE(QString::fromStdString(p.errors.at(0)),
                 QStringLiteral("u.yml: yaml: unmarshal errors:\n  line 6: field foo not found in type rulefmt.RuleNode"));
        p = parseRuleFile("groups:\n  - name: g\n    interval: 1x\n    rules: []\n", "d.yml");
        QCOMPARE(QString::fromStdString(p.errors.at(0)), QStringLiteral("d.yml: not a valid duration string: \"1x\""));
    }

    void garbageNeverCrashes_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("scalar root") << "hello";
        QTest::newRow("list root") << "- 1\n- 2";
        QTest::newRow("groups scalar") << "groups: 3";
        QTest::newRow("rules map") << "groups:\n- name: g\n  rules: {a: b}";
        QTest::newRow("rule scalar") << "groups:\n- name: g\n  rules: [x]";
        QTest::newRow("labels list") << "groups:\n- name: g\n  rules:\n  - alert: a\n    expr: up\n    labels: [1]";
        QTest::newRow("unclosed flow") << "groups: [";
        QTest::newRow("tab indent") << "groups:\n\t- name: g";
        QTest::newRow("limit text") << "groups:\n- name: g\n  limit: many\n  rules: []";
    }
    void garbageNeverCrashes()
    {
        QFETCH(QString, text);
        const auto p = parseRuleFile(text.toStdString(), "g.yml");
        QVERIFY(!p.ok());
        QVERIFY2(p.errors[0].rfind("g.yml: ", 0) == 0, p.errors[0].c_str());
    }

    void emptyFileHasNoRules()
    {
        const auto p = parseRuleFile("", "e.yml");
        QVERIFY(p.ok());
        QCOMPARE(p.file.ruleCount(), std::size_t(0));
    }

    void missingFileIsAnError()
    {
        const auto p = loadRuleFile("/nonexistent/rules.yml");
        QVERIFY(!p.ok());
        QVERIFY(p.errors[0].find("no such file") != std::string::npos);
    }

    void namesAreChecked()
    {
        QVERIFY(isValidMetricName("job:requests:rate5m"));
        QVERIFY(!isValidMetricName("5xx"));
        QVERIFY(!isValidMetricName("a-b"));
        QVERIFY(isValidLabelName("_x1"));
        QVERIFY(!isValidLabelName("a:b"));
        QVERIFY(!isValidLabelName(""));
    }

    void durations()
    {
        QCOMPARE(*parseDuration("1h30m"), std::int64_t(5'400'000));
        QCOMPARE(*parseDuration("0"), std::int64_t(0));
        QCOMPARE(*parseDuration("1d"), std::int64_t(86'400'000));
        QCOMPARE(*parseDuration("250ms"), std::int64_t(250));
        QVERIFY(!parseDuration("30m1h").ok()); // units must descend
        QVERIFY(!parseDuration("5").ok());
        QVERIFY(!parseDuration("-5m").ok());
        QCOMPARE(formatDuration(90'000), std::string("1m30s"));
        QCOMPARE(formatDuration(0), std::string("0s"));
        QCOMPARE(formatDuration(14 * 86'400'000LL), std::string("2w"));
        QCOMPARE(formatGoDuration(300'000), std::string("5m0s"));
        QCOMPARE(formatGoDuration(3'723'500), std::string("1h2m3.5s"));
        QCOMPARE(formatGoDuration(150), std::string("150ms"));
    }
};

QTEST_GUILESS_MAIN(TestRuleFile)
#include "tst_rule_file.moc"
