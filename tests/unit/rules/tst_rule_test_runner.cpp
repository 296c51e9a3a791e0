// `rules test` / `rules check` commands: exit codes and output exactly as promtool's
// (the expected texts below are promtool 2.42's output for the same files).
#include "backends/telemetry/rules/rules_cli.h"

#include <QTemporaryDir>
#include <QTest>

#include <fstream>
#include <sstream>

using namespace opsdeck::telemetry::rules;

namespace {
const char *kRules = R"(groups:
  - name: critical_alerts
    rules:
      - alert: ModelServerDown
        expr: up{job="model-server"} == 0
        for: 1m
        labels:
          severity: P1
      - record: job:up:sum
        expr: sum by (job) (up)
)";

const char *kPassing = R"(rule_files: [rules.yml]
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
      - series: 'up{job="model-server", instance="gpu-0"}'
        values: '1 0 0 0'
    alert_rule_test:
      - eval_time: 1m
        alertname: ModelServerDown
      - eval_time: 2m
        alertname: ModelServerDown
        exp_alerts:
          - exp_labels: {severity: P1, job: model-server, instance: gpu-0}
    promql_expr_test:
      - expr: job:up:sum
        eval_time: 3m
        exp_samples:
          - labels: 'job:up:sum{job="model-server"}'
            value: 0
)";

const char *kFailing = R"(rule_files: [rules.yml]
evaluation_interval: 1m
tests:
  - name: wrong
    interval: 1m
    input_series:
      - series: 'up{job="model-server", instance="gpu-0"}'
        values: '1 0 0 0'
    alert_rule_test:
      - eval_time: 1m
        alertname: ModelServerDown
        exp_alerts:
          - exp_labels: {severity: P1, job: model-server, instance: gpu-0}
    promql_expr_test:
      - expr: job:up:sum
        eval_time: 3m
        exp_samples:
          - labels: 'job:up:sum{job="model-server"}'
            value: 1.5
)";
} // namespace

class TestRuleTestRunner : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    std::string path(const char *name) const { return m_dir.filePath(QString::fromLatin1(name)).toStdString(); }
    void write(const char *name, const char *text) const { std::ofstream(path(name)) << text; }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        write("rules.yml", kRules);
        write("pass.yml", kPassing);
        write("fail.yml", kFailing);
        write("bad.yml", "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: 'sum(up'\n");
    }

    void passingFile()
    {
        std::ostringstream out, err;
        QCOMPARE(runRuleTestsCommand({path("pass.yml")}, out, err), 0);
        QCOMPARE(out.str(), "Unit Testing:  " + path("pass.yml") + "\n  SUCCESS\n\n");
        QCOMPARE(err.str(), std::string());
    }

    void failingFileReportsLikePromtool()
    {
        std::ostringstream out, err;
        QCOMPARE(runRuleTestsCommand({path("fail.yml")}, out, err), 1);
        // promtool prints one blank line on stdout per error, then one per file
        QCOMPARE(out.str(), "Unit Testing:  " + path("fail.yml") + "\n\n\n\n");
        QCOMPARE(QString::fromStdString(err.str()), QStringLiteral(R"(  FAILED:
    name: wrong,
    alertname: ModelServerDown, time: 1m, 
        exp:[
            0:
              Labels:{alertname="ModelServerDown", instance="gpu-0", job="model-server", severity="P1"}
              Annotations:{}
            ], 
        got:[]
    expr: "job:up:sum", time: 3m,
        exp: {__name__="job:up:sum", job="model-server"} 1.5E+00
        got: {__name__="job:up:sum", job="model-server"} 0E+00
)"));
    }

    void anyFailingFileFailsTheRun()
    {
        std::ostringstream out, err;
        QCOMPARE(runRuleTestsCommand({path("pass.yml"), path("fail.yml")}, out, err), 1);
        QVERIFY(out.str().find("  SUCCESS\n") != std::string::npos);
    }

    void brokenTestFileIsAnError()
    {
        write("broken.yml", "rule_files: [rules.yml]\ntests:\n  - interval: 1m\n    bogus: 1\n");
        std::ostringstream out, err;
        QCOMPARE(runRuleTestsCommand({path("broken.yml")}, out, err), 1);
        QCOMPARE(err.str(), std::string("  FAILED:\nyaml: unmarshal errors:\n  line 4: field bogus not found in type "
                                        "main.testGroup\n"));
        std::ostringstream out2, err2;
        QCOMPARE(runRuleTestsCommand({path("missing.yml")}, out2, err2), 1);
    }

    void checkCommand()
    {
        std::ostringstream out, err;
        QCOMPARE(checkRulesCommand({path("rules.yml")}, out, err), 0);
        QCOMPARE(out.str(), "Checking " + path("rules.yml") + "\n  SUCCESS: 2 rules found\n\n");
        std::ostringstream out2, err2;
        QCOMPARE(checkRulesCommand({path("bad.yml")}, out2, err2), 1);
        QCOMPARE(err2.str(), "  FAILED:\n" + path("bad.yml") +
                                 ": 5:15: group \"g\", rule 1, \"A\": could not parse expression: 1:7: parse error: "
                                 "unclosed left parenthesis\n");
    }

    void runbookRulesPassTheirOwnTests()
    {
        const std::string file = std::string(OPSDECK_SOURCE_DIR) + "/resources/rules/runbook.rules.test.yml";
        std::ostringstream out, err;
        QCOMPARE(runRuleTestsCommand({file}, out, err), 0);
        QCOMPARE(err.str(), std::string());
        std::ostringstream out2, err2;
        QCOMPARE(checkRulesCommand({std::string(OPSDECK_SOURCE_DIR) + "/resources/rules/runbook.rules.yml"}, out2, err2),
                 0);
        QVERIFY(out2.str().find("SUCCESS: 15 rules found") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestRuleTestRunner)
#include "tst_rule_test_runner.moc"
