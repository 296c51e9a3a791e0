// Matcher semantics as Prometheus defines them: missing label == "", anchored regexes.
#include "backends/telemetry/label_matcher.h"

#include <QtTest>

using namespace opsdeck::telemetry;
using Op = LabelMatcher::Op;

namespace {
bool matches(Op op, const std::string &pattern, const Labels &labels, const std::string &name = "job")
{
    auto m = CompiledMatcher::compile(LabelMatcher{name, op, pattern});
    if (!m)
        qFatal("unexpected compile error: %s", m.error().c_str());
    return m->matches(labels);
}
} // namespace

class TestLabelMatcher : public QObject {
    Q_OBJECT
private slots:
    void equality()
    {
        const Labels api{{"job", "api"}};
        QVERIFY(matches(Op::Equal, "api", api));
        QVERIFY(!matches(Op::Equal, "ap", api));
        QVERIFY(!matches(Op::NotEqual, "api", api));
        QVERIFY(matches(Op::NotEqual, "web", api));
        QVERIFY(matches(Op::NotEqual, "web", Labels{})); // missing label is ""
    }

    void emptyValueMeansAbsent()
    {
        const Labels with{{"job", "api"}};
        const Labels without{{"env", "prod"}};
        QVERIFY(matches(Op::Equal, "", without));
        QVERIFY(!matches(Op::Equal, "", with));
        QVERIFY(matches(Op::NotEqual, "", with));     // {job!=""}: has job
        QVERIFY(!matches(Op::NotEqual, "", without));
        QVERIFY(matches(Op::RegexMatch, "", without)); // {job=~""}: lacks job
        QVERIFY(!matches(Op::RegexMatch, "", with));
        QVERIFY(matches(Op::RegexMatch, ".*", without));
        QVERIFY(!matches(Op::RegexMatch, ".+", without));
        QVERIFY(matches(Op::RegexMatch, ".+", with));
        QVERIFY(matches(Op::RegexNoMatch, ".+", without));
    }

    void regexesAreFullyAnchored()
    {
        const Labels gw{{"job", "api-gateway"}};
        QVERIFY(!matches(Op::RegexMatch, "api", gw));
        QVERIFY(!matches(Op::RegexMatch, "gateway", gw));
        QVERIFY(matches(Op::RegexMatch, "api.*", gw));
        QVERIFY(matches(Op::RegexMatch, "api-gateway|web", gw));
        // alternation must not escape the anchors: ^(?:a|b)$ rather than ^a|b$
        QVERIFY(!matches(Op::RegexMatch, "x|api", Labels{{"job", "api-gateway"}}));
        QVERIFY(!matches(Op::RegexMatch, "api-gateway|x", Labels{{"job", "my-api-gateway"}}));
        QVERIFY(matches(Op::RegexNoMatch, "api", gw));
        QVERIFY(!matches(Op::RegexNoMatch, "api-.*", gw));
        QVERIFY(matches(Op::RegexMatch, "5\\d\\d", Labels{{"code", "503"}}, "code"));
        QVERIFY(!matches(Op::RegexMatch, "5\\d\\d", Labels{{"code", "5030"}}, "code"));
        QVERIFY(matches(Op::RegexMatch, "(?i)API-gateway", gw));
        QVERIFY(!matches(Op::RegexMatch, "API-gateway", gw));
    }

    void literalRegexFastPathStillAnchored()
    {
        const Labels l{{"job", "api"}};
        QVERIFY(matches(Op::RegexMatch, "api", l)); // no metacharacters: compared literally
        QVERIFY(!matches(Op::RegexMatch, "ap", l));
        QVERIFY(matches(Op::RegexNoMatch, "ap", l));
    }

    void badRegexIsAnError()
    {
        auto m = CompiledMatcher::compile(LabelMatcher{"job", Op::RegexMatch, "(unclosed"});
        QVERIFY(!m.ok());
        QVERIFY2(m.error().starts_with("invalid regular expression \"(unclosed\""), m.error().c_str());
        auto all = compileMatchers({{"a", Op::Equal, "x"}, {"b", Op::RegexNoMatch, "[z-a]"}});
        QVERIFY(!all.ok());
    }

    void matchesEmptyReportsAbsentSemantics()
    {
        auto check = [](Op op, const char *v) {
            return CompiledMatcher::compile(LabelMatcher{"x", op, v})->matchesEmpty();
        };
        QVERIFY(!check(Op::Equal, "a"));
        QVERIFY(check(Op::Equal, ""));
        QVERIFY(check(Op::NotEqual, "a"));
        QVERIFY(!check(Op::NotEqual, ""));
        QVERIFY(check(Op::RegexMatch, "a|"));
        QVERIFY(!check(Op::RegexMatch, "a+"));
        QVERIFY(check(Op::RegexNoMatch, "a+"));
    }
};

QTEST_APPLESS_MAIN(TestLabelMatcher)
#include "tst_label_matcher.moc"
