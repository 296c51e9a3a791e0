// The text exposition format: exact output, round trips, the captured real sample,
// escaping, histograms and summaries, timestamps, CSV, and bad input with line numbers.
// When promtool is on PATH, our output is also checked by the real tool.
#include "backends/telemetry/csv_writer.h"
#include "backends/telemetry/exposition.h"

#include <QtTest>

#include <cmath>
#include <fstream>
#include <random>
#include <sstream>

using namespace opsdeck::telemetry;

namespace {

Sample sample(std::string name, Labels labels, double value,
              std::optional<std::int64_t> ts = std::nullopt)
{
    return Sample{std::move(name), std::move(labels), value, ts};
}

// A scrape exercising every feature the writer has; promtool-lint-clean on purpose.
Scrape richScrape()
{
    Scrape s;
    s.push_back({"agent_requests_total", "Requests handled by agents, by \"status\".\nSecond line \\ backslash.",
                 MetricType::Counter,
                 {sample("agent_requests_total", {{"agent", "planner"}, {"status", "ok"}}, 1027),
                  sample("agent_requests_total", {{"agent", "exec\"utor\\"}, {"status", "a\nb"}}, 3)}});
    s.push_back({"virtual_computer_utilization_ratio", "Share of sandbox capacity in use.", MetricType::Gauge,
                 {sample("virtual_computer_utilization_ratio", {{"region", "eu-west-1"}}, 0.1),
                  sample("virtual_computer_utilization_ratio", {{"region", "us-east-1"}}, std::nan("")),
                  sample("virtual_computer_utilization_ratio", {{"region", "ap-south-1"}}, -HUGE_VAL),
                  sample("virtual_computer_utilization_ratio", {{"region", "z\u00fcrich-\u65e5\u672c-\U0001F642"}}, 1e-07)}});
    s.push_back({"agent_task_duration_seconds", "Task latency.", MetricType::Histogram,
                 {sample("agent_task_duration_seconds_bucket", {{"le", "0.1"}}, 5),
                  sample("agent_task_duration_seconds_bucket", {{"le", "1"}}, 9),
                  sample("agent_task_duration_seconds_bucket", {{"le", "+Inf"}}, 10),
                  sample("agent_task_duration_seconds_sum", {}, 4.25),
                  sample("agent_task_duration_seconds_count", {}, 10)}});
    s.push_back({"tool_call_duration_seconds", "Tool call latency quantiles.", MetricType::Summary,
                 {sample("tool_call_duration_seconds", {{"quantile", "0.5"}}, 0.012),
                  sample("tool_call_duration_seconds", {{"quantile", "0.99"}}, 1.5e6),
                  sample("tool_call_duration_seconds_sum", {}, 17.5),
                  sample("tool_call_duration_seconds_count", {}, 1200)}});
    s.push_back({"vllm:num_requests_running", "Requests running on the model server.", MetricType::Gauge,
                 {sample("vllm:num_requests_running", {{"model_name", "m"}}, 7, 1795869581527)}});
    return s;
}

QString qs(const std::string &s) { return QString::fromStdString(s); }

} // namespace

class TestExposition : public QObject {
    Q_OBJECT
private slots:
    void writesExactText()
    {
        Scrape s;
        s.push_back({"http_errors_total", "Errors.\nBy code \\ path", MetricType::Counter,
                     {sample("http_errors_total", {{"path", "/a\"b"}, {"code", "500"}}, 65),
                      sample("http_errors_total", {{"code", "429"}, {"path", "x\ny\\z"}}, 1e6)}});
        s.push_back({"queue_depth", "", MetricType::Untyped,
                     {sample("queue_depth", {}, 0.25, -5), sample("queue_depth", {{"q", "b"}}, -0.0)}});
        const std::string expected =
            "# HELP http_errors_total Errors.\\nBy code \\\\ path\n"
            "# TYPE http_errors_total counter\n"
            "http_errors_total{code=\"500\",path=\"/a\\\"b\"} 65\n"
            "http_errors_total{code=\"429\",path=\"x\\ny\\\\z\"} 1e+06\n"
            "# TYPE queue_depth untyped\n"
            "queue_depth 0.25 -5\n"
            "queue_depth{q=\"b\"} 0\n";
        QCOMPARE(qs(writeExposition(s)), qs(expected));
    }

    void appendsWithDefaultTimestamp()
    {
        Scrape s;
        s.push_back({"up", "", MetricType::Gauge,
                     {sample("up", {{"job", "a"}}, 1), sample("up", {{"job", "b"}}, 0, 7)}});
        std::string out = "prefix\n";
        writeExposition(s, out, 15000);
        QCOMPARE(qs(out), QStringLiteral("prefix\n# TYPE up gauge\nup{job=\"a\"} 1 15000\nup{job=\"b\"} 0 7\n"));
    }

    void roundTripIsIdentical()
    {
        const std::string first = writeExposition(richScrape());
        auto parsed = parseExposition(first);
        QVERIFY2(parsed.ok(), parsed.ok() ? "" : parsed.error().c_str());
        QCOMPARE(parsed->size(), richScrape().size());
        const Scrape original = richScrape();
        for (std::size_t f = 0; f < original.size(); ++f) {
            const MetricFamily &a = original[f];
            const MetricFamily &b = (*parsed)[f];
            QCOMPARE(qs(b.name), qs(a.name));
            QCOMPARE(qs(b.help), qs(a.help));
            QCOMPARE(int(b.type), int(a.type));
            QCOMPARE(b.samples.size(), a.samples.size());
            for (std::size_t i = 0; i < a.samples.size(); ++i) {
                QCOMPARE(qs(b.samples[i].name), qs(a.samples[i].name));
                QVERIFY(b.samples[i].labels == a.samples[i].labels);
                QCOMPARE(b.samples[i].timestampMs, a.samples[i].timestampMs);
                const double va = a.samples[i].value, vb = b.samples[i].value;
                QVERIFY((std::isnan(va) && std::isnan(vb)) || va == vb);
            }
        }
        QCOMPARE(qs(writeExposition(*parsed)), qs(first));
    }

    void parsesCapturedSample()
    {
        // A real Prometheus /metrics capture (shared/reference), kept in the repository so
        // this test runs everywhere: a missing file is a broken checkout, not a skip.
        std::ifstream in(OPSDECK_SOURCE_DIR "/tests/unit/telemetry/samples/metrics-sample.prom");
        QVERIFY2(in.good(), "tests/unit/telemetry/samples/metrics-sample.prom is missing");
        std::stringstream text;
        text << in.rdbuf();
        auto parsed = parseExposition(text.str());
        QVERIFY2(parsed.ok(), parsed.ok() ? "" : parsed.error().c_str());
        QCOMPARE(parsed->size(), std::size_t(3));
        const MetricFamily &errors = (*parsed)[0];
        QCOMPARE(qs(errors.name), QStringLiteral("agent_errors_total"));
        QCOMPARE(int(errors.type), int(MetricType::Counter));
        QCOMPARE(qs(errors.help), QStringLiteral("Total number of errors raised by agents."));
        QCOMPARE(errors.samples.size(), std::size_t(2));
        QCOMPARE(qs(errors.samples[0].labels.get("agent")), QStringLiteral("planner"));
        QCOMPARE(qs(errors.samples[0].labels.get("code")), QStringLiteral("500"));
        QCOMPARE(errors.samples[0].value, 65.0);
        QCOMPARE(int((*parsed)[1].type), int(MetricType::Gauge));
        QCOMPARE((*parsed)[1].samples[0].value, 44.0);
        const MetricFamily &hist = (*parsed)[2];
        QCOMPARE(int(hist.type), int(MetricType::Histogram));
        // 6 buckets, _sum, _count
        QCOMPARE(hist.samples.size(), std::size_t(8));
        QCOMPARE(qs(hist.samples[5].labels.get("le")), QStringLiteral("+Inf"));
        QCOMPARE(hist.samples[5].value, 1446.0);
        QCOMPARE(qs(hist.samples[6].name), QStringLiteral("agent_request_duration_seconds_sum"));
        QCOMPARE(hist.samples[6].value, 247.266);
        QCOMPARE(qs(hist.samples[7].name), QStringLiteral("agent_request_duration_seconds_count"));
        // and writing it back gives the capture byte for byte (same order, same floats)
        QCOMPARE(qs(writeExposition(*parsed)), qs(text.str()));
    }

    void parsesLenientButValidSpellings()
    {
        const char *text = "  # a free comment\n"
                           "\n"
                           "#   TYPE   m   gauge\n"
                           "m{ a = \"1\" , b=\"x\\\\y\", } 2.5e3 \t 1234 \r\n"
                           "m{} -Inf\n"
                           "m{c=\"\"} NaN\n"
                           "# HELP m\n"
                           "other_metric +3\n";
        auto parsed = parseExposition(text);
        QVERIFY2(parsed.ok(), parsed.ok() ? "" : parsed.error().c_str());
        QCOMPARE(parsed->size(), std::size_t(2));
        const MetricFamily &m = (*parsed)[0];
        QCOMPARE(int(m.type), int(MetricType::Gauge));
        QCOMPARE(qs(m.help), QString());
        QCOMPARE(m.samples.size(), std::size_t(3));
        QCOMPARE(qs(m.samples[0].labels.get("b")), QStringLiteral("x\\y"));
        QCOMPARE(m.samples[0].value, 2500.0);
        QCOMPARE(m.samples[0].timestampMs, std::optional<std::int64_t>(1234));
        QVERIFY(std::isinf(m.samples[1].value) && m.samples[1].value < 0);
        QVERIFY(m.samples[2].labels.empty()); // empty value == no label, as in Prometheus
        QVERIFY(std::isnan(m.samples[2].value));
        QCOMPARE(int((*parsed)[1].type), int(MetricType::Untyped));
        QCOMPARE((*parsed)[1].samples[0].value, 3.0);
    }

    void histogramSamplesJoinTheirFamily()
    {
        const char *text = "# TYPE h histogram\n"
                           "h_bucket{le=\"1\"} 1\n"
                           "h_bucket{le=\"+Inf\"} 2\n"
                           "h_sum 3\n"
                           "h_count 2\n"
                           "# TYPE s summary\n"
                           "s{quantile=\"0.9\"} 1\n"
                           "s_sum 3\n"
                           "s_count 2\n"
                           "s_bucket 1\n"; // not part of a summary: its own family
        auto parsed = parseExposition(text);
        QVERIFY2(parsed.ok(), parsed.ok() ? "" : parsed.error().c_str());
        QCOMPARE(parsed->size(), std::size_t(3));
        QCOMPARE((*parsed)[0].samples.size(), std::size_t(4));
        QCOMPARE((*parsed)[1].samples.size(), std::size_t(3));
        QCOMPARE(qs((*parsed)[2].name), QStringLiteral("s_bucket"));
        QCOMPARE(int((*parsed)[2].type), int(MetricType::Untyped));
    }

    void rejectsBadInputWithLineNumbers_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("error");
        QTest::newRow("metric name starts with digit")
            << "ok 1\n1abc 3\n" << "line 2: invalid metric name \"1abc\"";
        QTest::newRow("metric name with dash") << "foo-bar 1" << "line 1: invalid metric name \"foo-bar\"";
        QTest::newRow("label name starts with digit")
            << "# TYPE a gauge\na 1\na{1abc=\"x\"} 1\n" << "line 3: invalid label name \"1abc\"";
        QTest::newRow("missing =") << "a{abc \"x\"} 1"
                                   << "line 1: expected '=' after label name \"abc\"";
        QTest::newRow("unquoted value") << "a{b=x} 1"
                                        << "line 1: expected '\"' to start the value of label \"b\"";
        QTest::newRow("unterminated value") << "a{b=\"x} 1"
                                            << "line 1: unterminated value of label \"b\"";
        QTest::newRow("bad escape") << "\n\na{b=\"\\t\"} 1"
                                    << "line 3: invalid escape sequence '\\t' in value of label \"b\"";
        QTest::newRow("missing comma") << "a{b=\"1\" c=\"2\"} 1"
                                       << "line 1: expected ',' or '}' after value of label \"b\"";
        QTest::newRow("missing brace") << "a{b=\"1\"," << "line 1: expected label name or '}'";
        QTest::newRow("invalid UTF-8") << QString::fromLatin1("a{b=\"ok\"} 1\na{b=\"\xff\"} 1")
                                       << "line 2: value of label \"b\" is not valid UTF-8";
        QTest::newRow("reserved label") << "a{__name__=\"x\"} 1"
                                        << "line 1: label name \"__name__\" is reserved";
        QTest::newRow("duplicate label") << "a{b=\"1\",b=\"2\"} 1" << "line 1: duplicate label name \"b\"";
        QTest::newRow("missing value") << "a{b=\"1\"}" << "line 1: expected value after metric \"a\"";
        QTest::newRow("bad value") << "a 12abc" << "line 1: invalid value \"12abc\" for metric \"a\"";
        QTest::newRow("float timestamp") << "a 1 12.5"
                                         << "line 1: invalid timestamp \"12.5\" (expected integer milliseconds)";
        QTest::newRow("junk after timestamp") << "a 1 2 3" << "line 1: unexpected text after timestamp: \"3\"";
        QTest::newRow("unknown type") << "# TYPE a countr" << "line 1: unknown metric type \"countr\"";
        QTest::newRow("second TYPE") << "# TYPE a gauge\n# TYPE a counter"
                                     << "line 2: second TYPE line for metric name \"a\"";
        QTest::newRow("TYPE after samples") << "a 1\n# TYPE a gauge"
                                            << "line 2: TYPE line for metric name \"a\" after its samples";
        QTest::newRow("second HELP") << "# HELP a x\n# HELP a y" << "line 2: second HELP line for metric name \"a\"";
        QTest::newRow("UTF-8 surrogate") << QString::fromLatin1("a{b=\"\xed\xa0\x80\"} 1")
                                         << "line 1: value of label \"b\" is not valid UTF-8";
        QTest::newRow("HELP without name") << "# HELP" << "line 1: expected metric name after HELP";
        QTest::newRow("bad HELP escape") << "# HELP a bad \\q" << "line 1: invalid escape sequence '\\q' in HELP text";
        QTest::newRow("bucket without le") << "# TYPE h histogram\nh_bucket 1"
                                           << "line 2: sample \"h_bucket\" of histogram \"h\" needs a \"le\" label";
        QTest::newRow("le not a number") << "# TYPE h histogram\nh_bucket{le=\"x\"} 1"
                                         << "line 2: invalid \"le\" value \"x\"";
        QTest::newRow("histogram base sample") << "# TYPE h histogram\nh 1"
                                               << "line 2: sample \"h\" of histogram \"h\" must end in _bucket, _sum or _count";
        QTest::newRow("summary without quantile") << "# TYPE s summary\ns 1"
                                                  << "line 2: sample \"s\" of summary \"s\" needs a \"quantile\" label";
    }
    void rejectsBadInputWithLineNumbers()
    {
        QFETCH(QString, text);
        QFETCH(QString, error);
        auto parsed = parseExposition(text.toLatin1().toStdString());
        QVERIFY(!parsed.ok());
        QCOMPARE(qs(parsed.error()), error);
    }

    void acceptedInputRewritesStably()
    {
        // Mutate valid text at random. Whatever the parser accepts must write back to
        // text that parses to the same thing (write is a fixed point after one pass);
        // whatever it rejects must say which line. Nothing may crash.
        const std::string base = writeExposition(richScrape());
        const std::string alphabet = "{}=\",\\n #\tae1_:.+-xTYPEHELP";
        std::mt19937 rng(99);
        int accepted = 0;
        for (int iter = 0; iter < 20000; ++iter) {
            std::string text = base;
            const int edits = 1 + int(rng() % 4);
            for (int e = 0; e < edits; ++e) {
                const std::size_t pos = rng() % text.size();
                switch (rng() % 3) {
                case 0:
                    text[pos] = alphabet[rng() % alphabet.size()];
                    break;
                case 1:
                    text.erase(pos, 1 + rng() % 3);
                    break;
                default:
                    text.insert(pos, 1, char(rng() % 256));
                }
            }
            auto parsed = parseExposition(text);
            if (!parsed.ok()) {
                QVERIFY2(parsed.error().starts_with("line "), parsed.error().c_str());
                continue;
            }
            ++accepted;
            const std::string once = writeExposition(*parsed);
            auto again = parseExposition(once);
            QVERIFY2(again.ok(), (again.ok() ? once : again.error() + "\n" + once).c_str());
            QCOMPARE(qs(writeExposition(*again)), qs(once));
        }
        QVERIFY(accepted > 100); // the property was actually exercised
    }

    void validatesScrapes()
    {
        QVERIFY(!validateScrape(richScrape()).has_value());
        auto expectProblem = [](Scrape s, const char *expected) {
            auto err = validateScrape(s);
            QVERIFY2(err.has_value(), expected);
            QCOMPARE(qs(err->message), QString::fromUtf8(expected));
        };
        auto fam = [](std::string name, MetricType t, std::vector<Sample> samples) {
            return MetricFamily{std::move(name), "", t, std::move(samples)};
        };
        expectProblem({fam("1x", MetricType::Gauge, {})}, "invalid metric family name \"1x\"");
        expectProblem({fam("x", MetricType::Gauge, {}), fam("x", MetricType::Gauge, {})},
                      "family \"x\" appears twice");
        expectProblem({fam("x", MetricType::Gauge, {sample("y", {}, 1)})},
                      "family \"x\": sample y does not belong to this gauge");
        expectProblem({fam("h", MetricType::Histogram, {sample("h", {}, 1)})},
                      "family \"h\": sample h does not belong to this histogram");
        expectProblem({fam("h", MetricType::Histogram, {sample("h_bucket", {{"a", "1"}}, 1)})},
                      "family \"h\": sample h_bucket{a=\"1\"} needs a numeric \"le\" label");
        expectProblem({fam("s", MetricType::Summary, {sample("s", {}, 1)})},
                      "family \"s\": sample s needs a numeric \"quantile\" label");
        expectProblem({fam("x", MetricType::Gauge, {sample("x", {{"bad-name", "1"}}, 1)})},
                      "family \"x\": sample x{bad-name=\"1\"} has invalid label name \"bad-name\"");
        expectProblem({fam("x", MetricType::Gauge, {sample("x", {{"a", "1"}}, 1), sample("x", {{"a", "1"}}, 2)})},
                      "family \"x\": sample x{a=\"1\"} appears twice");
    }

    void writesCsv()
    {
        Scrape s;
        s.push_back({"req_total", "", MetricType::Counter,
                     {sample("req_total", {{"code", "500"}, {"path", "/a,\"b\""}}, 0.1),
                      sample("req_total", {}, HUGE_VAL, 99)}});
        std::string out(kCsvHeader);
        appendCsvRows(s, 15000, out);
        QCOMPARE(qs(out), QStringLiteral("timestamp_ms,name,labels,value\n"
                                         "15000,req_total,\"code=\"\"500\"\",path=\"\"/a,\\\"\"b\\\"\"\"\"\",0.1\n"
                                         "99,req_total,,+Inf\n"));
    }

    void promtoolAcceptsOurOutput()
    {
        const QString promtool = QStandardPaths::findExecutable(QStringLiteral("promtool"));
        // .ci/install-deps installs promtool (Debian's prometheus package), so CI always
        // runs this; only a developer machine without the package skips it.
        if (promtool.isEmpty())
            QSKIP("promtool not on PATH");
        // Lint-clean input must pass outright (exit 0, no findings); then the capture
        // re-written by us must at least parse (exit 3 would be lint findings only).
        auto check = [&](const std::string &text, int *exitCode, QByteArray *output) {
            QProcess p;
            p.setProcessChannelMode(QProcess::MergedChannels);
            p.start(promtool, {QStringLiteral("check"), QStringLiteral("metrics")});
            QVERIFY(p.waitForStarted(10000));
            p.write(text.data(), qint64(text.size()));
            p.closeWriteChannel();
            QVERIFY(p.waitForFinished(30000));
            *exitCode = p.exitCode();
            *output = p.readAll();
        };
        int code = -1;
        QByteArray output;
        Scrape lintClean = richScrape();
        lintClean.pop_back(); // timestamps and vllm:* colon names are fine, but lint-noisy
        check(writeExposition(lintClean), &code, &output);
        QVERIFY2(code == 0, output.constData());
        QVERIFY2(output.trimmed().isEmpty(), output.constData());

        std::string all;
        writeExposition(richScrape(), all, 1795869581000);
        check(all, &code, &output);
        QVERIFY2(code == 0 || code == 3, output.constData());
        QVERIFY2(!output.contains("parsing error"), output.constData());

        // and the tool does reject what our parser rejects
        check("a{b=\"\\t\"} 1\n", &code, &output);
        QCOMPARE(code, 1);
    }
};

QTEST_GUILESS_MAIN(TestExposition)
#include "tst_exposition.moc"
