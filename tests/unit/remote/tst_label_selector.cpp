// Label selectors as kubectl -l takes them: every operator, whitespace, keys with a DNS
// prefix, what each one matches, and bad input rejected with the column and the reason.
#include "backends/remote/label_selector.h"

#include <QTest>

using opsdeck::remote::LabelSelector;
using opsdeck::sim::StringMap;

namespace {
LabelSelector parsed(const char *text)
{
    auto s = LabelSelector::parse(text);
    if (!s)
        qFatal("%s: %s", text, s.error().c_str());
    return *s;
}
const StringMap kOrchestrator = {{"app", "orchestrator"},
                                 {"app.kubernetes.io/name", "orchestrator"},
                                 {"tier", "control"},
                                 {"generation", "7"}};
const StringMap kCanary = {{"app", "orchestrator"}, {"tier", "control"}, {"track", "canary"}};
const StringMap kModel = {{"app", "vllm"}, {"tier", "inference"}};
} // namespace

class TestLabelSelector : public QObject {
    Q_OBJECT
private slots:
    void matchesAsTheApiServerDoes_data()
    {
        QTest::addColumn<QString>("selector");
        QTest::addColumn<bool>("orchestrator");
        QTest::addColumn<bool>("canary");
        QTest::addColumn<bool>("model");
        QTest::newRow("empty selects all") << "" << true << true << true;
        QTest::newRow("equals") << "app=orchestrator" << true << true << false;
        QTest::newRow("double equals") << "app==vllm" << false << false << true;
        QTest::newRow("not equals, missing key matches") << "track!=canary" << true << false << true;
        QTest::newRow("in") << "tier in (control, edge)" << true << true << false;
        QTest::newRow("notin, missing key matches") << "track notin (canary,stable)" << true << false << true;
        QTest::newRow("exists") << "track" << false << true << false;
        QTest::newRow("does not exist") << "!track" << true << false << true;
        QTest::newRow("prefixed key") << "app.kubernetes.io/name=orchestrator" << true << false << false;
        QTest::newRow("and") << "app=orchestrator,!track" << true << false << false;
        QTest::newRow("brief example") << "app.kubernetes.io/name=orchestrator,tier in (control)" << true << false << false;
        QTest::newRow("spaces everywhere") << "  app = orchestrator ,  tier   in(control)  " << true << true << false;
        QTest::newRow("greater than") << "generation>5" << true << false << false;
        QTest::newRow("less than (non-numbers never match)") << "generation<5" << false << false << false;
        QTest::newRow("empty value") << "track=" << false << false << false;
        QTest::newRow("value reading 'in'") << "app=in" << false << false << false;
    }
    void matchesAsTheApiServerDoes()
    {
        QFETCH(QString, selector);
        const LabelSelector s = parsed(selector.toUtf8().constData());
        QTEST(s.matches(kOrchestrator), "orchestrator");
        QTEST(s.matches(kCanary), "canary");
        QTEST(s.matches(kModel), "model");
    }

    void canonicalTextParsesBackToTheSame()
    {
        const LabelSelector s = parsed(" app == orchestrator , tier in ( control , edge ), !track, x!=y, g>3");
        QCOMPARE(s.toString(), std::string("app=orchestrator,tier in (control,edge),!track,x!=y,g>3"));
        QCOMPARE(parsed(s.toString().c_str()).toString(), s.toString());
        QCOMPARE(s.requirements().size(), std::size_t(5));
        QCOMPARE(s.requirements()[1].op, LabelSelector::Op::In);
        QCOMPARE(s.requirements()[1].values, (std::vector<std::string>{"control", "edge"}));
    }

    void badInputSaysWhereAndWhy_data()
    {
        QTest::addColumn<QString>("selector");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("unclosed set") << "app in (a" << "column 10: found the end, expected ',' or ')'";
        QTest::newRow("empty set") << "tier in ()" << "column 10: 'in' needs at least one value";
        QTest::newRow("set without parenthesis") << "tier in control" << "column 9: found 'control', expected '('";
        QTest::newRow("unknown operator") << "app ~ x" << "column 5: found '~', expected one of =, ==, !=";
        QTest::newRow("two values") << "app=a b" << "column 7: found 'b', expected ',' or the end";
        QTest::newRow("trailing comma") << "app=a," << "column 7: found the end, expected a label key";
        QTest::newRow("leading comma") << ",app=a" << "column 1: found ',', expected a label key";
        QTest::newRow("negated with value") << "!app=a" << "column 5: found '=', expected ',' or the end";
        QTest::newRow("bad key characters") << "app$=a" << "invalid label key \"app$\"";
        QTest::newRow("upper-case prefix") << "Example.COM/app=a" << "must be a lower-case DNS subdomain";
        QTest::newRow("empty name after prefix") << "example.com/=a" << "empty name after '/'";
        QTest::newRow("key too long") << QString(64, QLatin1Char('k')) + "=a" << "longer than 63 characters";
        QTest::newRow("bad value") << "app=-orchestrator" << "invalid value \"-orchestrator\" for \"app\": value must start and end";
        QTest::newRow("bad value in set") << "tier in (a,b_)" << "column 12: invalid value \"b_\"";
        QTest::newRow("greater than a word") << "generation>new" << "'>' needs an integer, got \"new\"";
        QTest::newRow("operator without key") << "=a" << "column 1: found '=', expected a label key";
        QTest::newRow("key 'in'") << "in=a" << "found 'in', expected a label key";
    }
    void badInputSaysWhereAndWhy()
    {
        QFETCH(QString, selector);
        QFETCH(QString, mentions);
        const auto s = LabelSelector::parse(selector.toStdString());
        QVERIFY2(!s.ok(), qPrintable(selector));
        const QString error = QString::fromStdString(s.error());
        QVERIFY2(error.contains(mentions), qPrintable(error));
        QVERIFY2(error.startsWith(QStringLiteral("label selector \"") + selector + "\""), qPrintable(error));
    }

    // Anything at all: an error or a selector, never a crash or a hang.
    void arbitraryBytesNeverCrash()
    {
        const std::string alphabet = "ab=!(), in notin<>/.-_\t\x01\xff";
        std::uint32_t state = 7;
        for (int i = 0; i < 20000; ++i) {
            std::string text;
            const int length = int((state = state * 1664525u + 1013904223u) >> 28);
            for (int k = 0; k < length; ++k)
                text += alphabet[((state = state * 1664525u + 1013904223u) >> 16) % alphabet.size()];
            auto s = LabelSelector::parse(text);
            if (s)
                (void)s->matches(kOrchestrator);
        }
    }
};

QTEST_GUILESS_MAIN(TestLabelSelector)
#include "tst_label_selector.moc"
