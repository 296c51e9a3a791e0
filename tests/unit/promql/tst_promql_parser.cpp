// Parser tests: precedence and associativity (checked on the tree), the canonical
// printed form, literals, and error messages with positions. Every expected error
// string below was produced by promtool 2.42 for the same input.
#include "backends/telemetry/promql/ast.h"
#include "promtool_cases.h"

#include <QtTest>

using namespace opsdeck::telemetry;
using namespace opsdeck::telemetry::promql;

namespace {
// Fully parenthesised rendering of the tree, so the test sees the structure.
std::string shape(const Node &n)
{
    switch (n.kind) {
    case NodeKind::Binary:
        return "(" + shape(n.arg(0)) + " " + binOpName(n.op) + " " + shape(n.arg(1)) + ")";
    case NodeKind::Unary:
        return std::string("(") + (n.op == BinOp::Sub ? "-" : "+") + shape(n.arg(0)) + ")";
    case NodeKind::Paren:
        return shape(n.arg(0));
    case NodeKind::Number:
        return formatValue(n.number);
    case NodeKind::VectorSelector:
        return n.metricName;
    default:
        return "?";
    }
}
} // namespace

class TestPromqlParser : public QObject {
    Q_OBJECT
private slots:
    void precedence_data();
    void precedence();
    void canonicalForm_data();
    void canonicalForm();
    void roundTripsEveryCrossCheckedExpression();
    void literalsAndSelectors();
    void vectorMatching();
    void errors_data();
    void errors();
    void formatValueLikeGo_data();
    void formatValueLikeGo();
};

void TestPromqlParser::precedence_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected");
    QTest::newRow("mul before add") << "a + b * c" << "(a + (b * c))";
    QTest::newRow("left assoc") << "a - b - c" << "((a - b) - c)";
    QTest::newRow("pow right assoc") << "a ^ b ^ c" << "(a ^ (b ^ c))";
    QTest::newRow("unary below pow") << "-a ^ b" << "(-(a ^ b))";
    QTest::newRow("unary above mul") << "-a * b" << "((-a) * b)";
    QTest::newRow("negative literal folds") << "-2 * 3" << "(-2 * 3)";
    QTest::newRow("or lowest") << "a or b and c" << "(a or (b and c))";
    QTest::newRow("unless with and") << "a and b unless c" << "((a and b) unless c)";
    QTest::newRow("comparison below add") << "a > b + c" << "(a > (b + c))";
    QTest::newRow("comparison above and") << "a > 1 and b < 2" << "((a > 1) and (b < 2))";
    QTest::newRow("parens win") << "(a + b) * c" << "((a + b) * c)";
    QTest::newRow("mod and div same level") << "a % b / c" << "((a % b) / c)";
    QTest::newRow("atan2 like mul") << "a + b atan2 c" << "(a + (b atan2 c))";
    QTest::newRow("chained comparisons") << "a > 1 <= 2" << "((a > 1) <= 2)";
}

void TestPromqlParser::precedence()
{
    QFETCH(QString, input);
    QFETCH(QString, expected);
    auto e = parse(input.toStdString());
    QVERIFY2(e.ok(), e.ok() ? "" : e.error().c_str());
    QCOMPARE(QString::fromStdString(shape(*e->root())), expected);
}

void TestPromqlParser::canonicalForm_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected");
    QTest::newRow("aggregation grouping moves first")
        << "sum(rate(foo{job=\"a\"}[5m] offset 1m)) by (job)" << "sum by (job) (rate(foo{job=\"a\"}[5m] offset 1m))";
    QTest::newRow("matchers sorted") << "foo{b=\"1\",a=~\"x.*\"}" << "foo{a=~\"x.*\",b=\"1\"}";
    QTest::newRow("durations normalised") << "foo[90m]" << "foo[1h30m]";
    QTest::newRow("days") << "foo[1d] offset 1w" << "foo[1d] offset 1w";
    QTest::newRow("negative offset") << "foo offset -5m" << "foo offset -5m";
    QTest::newRow("hex literal") << "0x10" << "16";
    QTest::newRow("exponent literal") << "1e6" << "1e+06";
    QTest::newRow("inf") << "-inf" << "-Inf";
    QTest::newRow("bool and matching")
        << "a >  bool on(x,y) group_left(z) b" << "a > bool on (x, y) group_left (z) b";
    QTest::newRow("ignoring") << "a / ignoring(x) b" << "a / ignoring (x) b";
    QTest::newRow("topk param") << "topk(5, foo) without (a)" << "topk without (a) (5, foo)";
    QTest::newRow("subquery") << "max_over_time(rate(x[5m])[30m:1m])" << "max_over_time(rate(x[5m])[30m:1m])";
    QTest::newRow("subquery default step") << "x[30m:] offset 5m" << "x[30m:] offset 5m";
    QTest::newRow("string escapes") << "label_replace(a, \"b\", 'c\"d', \"e\", `\\d`)"
                                    << "label_replace(a, \"b\", \"c\\\"d\", \"e\", \"\\\\d\")";
    QTest::newRow("name only via matcher") << "{__name__=\"foo\"}" << "{__name__=\"foo\"}";
    QTest::newRow("at modifier") << "foo @ 100 offset 1m" << "foo @ 100.000 offset 1m";
    QTest::newRow("keyword label names") << "foo{on=\"1\", by=\"2\"}" << "foo{by=\"2\",on=\"1\"}";
}

void TestPromqlParser::canonicalForm()
{
    QFETCH(QString, input);
    QFETCH(QString, expected);
    auto e = parse(input.toStdString());
    QVERIFY2(e.ok(), e.ok() ? "" : e.error().c_str());
    QCOMPARE(QString::fromStdString(e->toString()), expected);
}

void TestPromqlParser::roundTripsEveryCrossCheckedExpression()
{
    for (const auto &c : test::promtoolCases()) {
        auto first = parse(c.expr);
        QVERIFY2(first.ok(), c.expr);
        const std::string printed = first->toString();
        auto second = parse(printed);
        QVERIFY2(second.ok(), printed.c_str());
        QCOMPARE(QString::fromStdString(second->toString()), QString::fromStdString(printed));
    }
}

void TestPromqlParser::literalsAndSelectors()
{
    auto num = parse("0x1F");
    QVERIFY(num.ok());
    QCOMPARE(num->root()->number, 31.0);
    QCOMPARE(num->root()->type, ValueType::Scalar);
    QVERIFY(std::isnan(parse("NaN")->root()->number));
    QVERIFY(std::isinf(parse("Inf")->root()->number));
    QCOMPARE(parse(".5")->root()->number, 0.5);

    auto sel = parse("foo:bar{job=~\"a|b\", env!=\"dev\"}[1h30m] offset -2m");
    QVERIFY(sel.ok());
    const Node &ms = *sel->root();
    QCOMPARE(ms.kind, NodeKind::MatrixSelector);
    QCOMPARE(ms.type, ValueType::Matrix);
    QCOMPARE(ms.rangeMs, std::int64_t{90 * 60'000});
    const Node &vs = ms.arg(0);
    QCOMPARE(vs.metricName, std::string("foo:bar"));
    QCOMPARE(vs.offsetMs, std::int64_t{-120'000});
    QCOMPARE(vs.matchers.size(), std::size_t{3});
    QCOMPARE(vs.matchers[0].op, LabelMatcher::Op::RegexMatch);
    QCOMPARE(vs.matchers[1].op, LabelMatcher::Op::NotEqual);
    QCOMPARE(vs.matchers[2].name, std::string("__name__"));

    auto dur = parse("x[1y2w3d4h5m6s7ms]");
    QVERIFY(dur.ok());
    QCOMPARE(dur->root()->rangeMs,
             std::int64_t{((((365LL + 14 + 3) * 24 + 4) * 60 + 5) * 60 + 6) * 1000 + 7});

    auto str = parse("\"a\\tb\\u00e9\"");
    QVERIFY(str.ok());
    QCOMPARE(str->root()->text, std::string("a\tb\xc3\xa9"));

    auto comment = parse("sum(x) # trailing comment");
    QVERIFY(comment.ok());
    QCOMPARE(comment->root()->kind, NodeKind::Aggregate);

    QCOMPARE(parse("time()")->root()->type, ValueType::Scalar);
    QCOMPARE(parse("scalar(x) * 2")->root()->type, ValueType::Scalar);
    QCOMPARE(parse("x * 2")->root()->type, ValueType::Vector);
    QCOMPARE(parse("SUM(x)")->root()->kind, NodeKind::Aggregate);
    // accepted by promtool 2.42 as well
    for (const char *valid : {"foo{a=\"b\",}", "foo{a!~\"x\"}", "foo{a='b'}", "sum without () (foo)",
                              "max by(a,) (foo)", "x[5m:]", "x @ end()", "rate", "time"})
        QVERIFY2(parse(valid).ok(), valid);
}

void TestPromqlParser::vectorMatching()
{
    auto e = parse("a * on(job, env) group_left(team) b");
    QVERIFY(e.ok());
    const auto &m = *e->root()->matching;
    QVERIFY(m.on);
    QCOMPARE(m.card, Cardinality::ManyToOne);
    QCOMPARE(m.labels, (std::vector<std::string>{"job", "env"}));
    QCOMPARE(m.include, (std::vector<std::string>{"team"}));

    auto set = parse("a and ignoring(x) b");
    QVERIFY(set.ok());
    QCOMPARE(set->root()->matching->card, Cardinality::ManyToMany);
    QVERIFY(!set->root()->matching->on);

    auto scalarSide = parse("a * 2");
    QVERIFY(scalarSide.ok());
    QVERIFY(!scalarSide->root()->matching.has_value());
}

void TestPromqlParser::errors_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected");
    // Expected strings: promtool 2.42 output for the same query.
    QTest::newRow("unclosed paren") << "sum(foo" << "1:8: parse error: unclosed left parenthesis";
    QTest::newRow("unclosed paren 2") << "(1 + 2" << "1:7: parse error: unclosed left parenthesis";
    QTest::newRow("operator twice") << "1 + * 2" << "1:5: parse error: unexpected <op:*>";
    QTest::newRow("second line") << "1 +\n  * 2" << "2:3: parse error: unexpected <op:*>";
    QTest::newRow("open brace") << "foo{a=\"1\"" << "1:10: parse error: unexpected end of input inside braces";
    QTest::newRow("rate needs range")
        << "rate(foo)" << "1:6: parse error: expected type range vector in call to function \"rate\", got instant vector";
    QTest::newRow("range in binary")
        << "foo[5m] + 1" << "1:1: parse error: binary expression must contain only scalar and instant vector types";
    QTest::newRow("scalar comparison") << "1 > 2" << "1:3: parse error: comparisons between scalars must use BOOL modifier";
    QTest::newRow("stray paren") << "foo)" << "1:5: parse error: unexpected right parenthesis ')'";
    QTest::newRow("empty selector") << "{}" << "1:1: parse error: vector selector must contain at least one non-empty matcher";
    QTest::newRow("empty-matching selector") << "{a=~\".*\"}" << "1:1: parse error: vector selector must contain at least one non-empty matcher";
    QTest::newRow("unclosed bracket") << "foo[5m" << "1:7: parse error: unclosed left bracket";
    QTest::newRow("unclosed subquery") << "foo[5m:1m" << "1:10: parse error: unclosed left bracket";
    QTest::newRow("grouping comma")
        << "sum by (a b) (foo)" << "1:11: parse error: unexpected identifier \"b\" in grouping opts, expected \",\" or \")\"";
    QTest::newRow("offset without duration")
        << "foo offset" << "1:11: parse error: unexpected end of input in offset, expected duration";
    QTest::newRow("unknown function") << "bar(foo)" << "1:1: parse error: unknown function with name \"bar\"";
    QTest::newRow("unterminated string") << "\"abc" << "1:1: parse error: unterminated quoted string";
    QTest::newRow("bad number") << "1a" << "1:1: parse error: bad number or duration syntax: \"1\"";
    QTest::newRow("two expressions") << "foo 1" << "1:5: parse error: unexpected number \"1\"";
    QTest::newRow("too many args")
        << "rate(foo[5m], 1)" << "1:1: parse error: expected 1 argument(s) in call to \"rate\", got 2";
    QTest::newRow("too few variadic")
        << "label_join(foo)" << "1:1: parse error: expected at least 3 argument(s) in call to \"label_join\", got 1";
    QTest::newRow("matcher needs string") << "foo{a=1}" << "1:7: parse error: unexpected character inside braces: '1'";
    QTest::newRow("matcher needs operator")
        << "foo{a}" << "1:6: parse error: unexpected \"}\" in label matching, expected label matching operator";
    QTest::newRow("aggregate a range")
        << "sum(foo[5m])" << "1:5: parse error: expected type instant vector in aggregation expression, got range vector";
    QTest::newRow("set op with scalar")
        << "foo and 1" << "1:1: parse error: set operator \"and\" not allowed in binary scalar expression";
    QTest::newRow("bool at end") << "1 + 1 bool" << "1:7: parse error: unexpected <bool>";
    QTest::newRow("bool on arithmetic")
        << "foo + bool foo" << "1:5: parse error: bool modifier can only be used on comparison operators";
    QTest::newRow("unary string")
        << "-\"a\"" << "1:1: parse error: unary expression only allowed on expressions of type scalar or instant vector, got \"string\"";
    QTest::newRow("missing rhs") << "1 +" << "1:4: parse error: unexpected end of input";
    QTest::newRow("stray bracket") << "foo ]" << "1:5: parse error: unexpected right bracket ']'";
    QTest::newRow("double offset") << "foo[5m] offset 1m offset 2m" << "1:1: parse error: offset may not be set multiple times";
    QTest::newRow("range of expression") << "(foo + foo)[5m]" << "1:12: parse error: ranges only allowed for vector selectors";
    QTest::newRow("topk arity")
        << "topk(foo)" << "1:1: parse error: wrong number of arguments for aggregate expression provided, expected 2, got 1";
    QTest::newRow("double grouping") << "sum without(a) by (b) (foo)" << "1:16: parse error: unexpected <by> in aggregation";
    QTest::newRow("bad regex") << "foo{a=~\"(\"}" << "1:5: parse error: error parsing regexp: missing closing ): `^(?:()$`";
    QTest::newRow("double at") << "foo @ 1 @ 2" << "1:1: parse error: @ <timestamp> may not be set multiple times";
    // A second batch, also verbatim from promtool 2.42:
    QTest::newRow("p2: foo offset 5m[10m]") << "foo offset 5m[10m]" << "1:14: parse error: no offset modifiers allowed before range";
    QTest::newRow("p2: sum(foo) by") << "sum(foo) by" << "1:12: parse error: unexpected end of input in grouping opts, expected \"(\"";
    QTest::newRow("p2: sum by foo (bar)") << "sum by foo (bar)" << "1:8: parse error: unexpected identifier \"foo\" in grouping opts, expected \"(\"";
    QTest::newRow("p2: foo{") << "foo{" << "1:5: parse error: unexpected end of input inside braces";
    QTest::newRow("p2: foo{,}") << "foo{,}" << "1:5: parse error: unexpected \",\" in label matching, expected identifier or \"}\"";
    QTest::newRow("p2: foo[5m] offset") << "foo[5m] offset" << "1:15: parse error: unexpected end of input in offset, expected duration";
    QTest::newRow("p2: 1 + on(a) 2") << "1 + on(a) 2" << "1:1: parse error: vector matching only allowed between instant vectors";
    QTest::newRow("p2: foo + on(a) 2") << "foo + on(a) 2" << "1:1: parse error: vector matching only allowed between instant vectors";
    QTest::newRow("p2: foo and on(a) group_left bar") << "foo and on(a) group_left bar" << "1:1: parse error: no grouping allowed for \"and\" operation";
    QTest::newRow("p2: foo * on(a) group_left(a) bar") << "foo * on(a) group_left(a) bar" << "1:5: parse error: label \"a\" must not occur in ON and GROUP clause at once";
    QTest::newRow("p2: count_values(5, foo)") << "count_values(5, foo)" << "1:14: parse error: expected type string in aggregation parameter, got scalar";
    QTest::newRow("p2: quantile(\"a\", foo)") << "quantile(\"a\", foo)" << "1:10: parse error: expected type scalar in aggregation parameter, got string";
    QTest::newRow("p2: time(1)") << "time(1)" << "1:1: parse error: expected 0 argument(s) in call to \"time\", got 1";
    QTest::newRow("p2: label_replace(foo, 1, \"a\", \"b\", \"c\")") << "label_replace(foo, 1, \"a\", \"b\", \"c\")" << "1:20: parse error: expected type string in call to function \"label_replace\", got scalar";
    QTest::newRow("p2: histogram_quantile(foo, bar)") << "histogram_quantile(foo, bar)" << "1:20: parse error: expected type scalar in call to function \"histogram_quantile\", got instant vector";
    QTest::newRow("p2: foo @ bar") << "foo @ bar" << "1:7: parse error: unexpected identifier \"bar\" in @, expected timestamp";
    QTest::newRow("p2: foo[1m][5m]") << "foo[1m][5m]" << "1:8: parse error: ranges only allowed for vector selectors";
    QTest::newRow("p2: foo[5m:1m][10m]") << "foo[5m:1m][10m]" << "1:11: parse error: ranges only allowed for vector selectors";
    QTest::newRow("p2: abs()") << "abs()" << "1:1: parse error: expected 1 argument(s) in call to \"abs\", got 0";
    QTest::newRow("p2: -foo[5m]") << "-foo[5m]" << "1:1: parse error: unary expression only allowed on expressions of type scalar or instant vector, got \"range vector\"";
    QTest::newRow("p2: x[0s]") << "x[0s]" << "1:3: parse error: duration must be greater than 0";
    QTest::newRow("p2: \"a\" + 1") << "\"a\" + 1" << "1:1: parse error: binary expression must contain only scalar and instant vector types";
    QTest::newRow("p2: 1 offset 5m") << "1 offset 5m" << "1:1: parse error: offset modifier must be preceded by an instant vector selector or range vector selector or a subquery";
    QTest::newRow("p2: (foo) offset 5m") << "(foo) offset 5m" << "1:1: parse error: offset modifier must be preceded by an instant vector selector or range vector selector or a subquery";
    QTest::newRow("p2: sum(foo) offset 5m") << "sum(foo) offset 5m" << "1:1: parse error: offset modifier must be preceded by an instant vector selector or range vector selector or a subquery";
    QTest::newRow("p2: foo bool") << "foo bool" << "1:5: parse error: unexpected <bool>";
    QTest::newRow("p2: foo == bool") << "foo == bool" << "1:12: parse error: unexpected end of input";
    QTest::newRow("p2: ..5") << "..5" << "1:1: parse error: unexpected character: '.'";
    QTest::newRow("p2: 0x") << "0x" << "1:1: parse error: error parsing number: strconv.ParseFloat: parsing \"0x\": invalid syntax";
    QTest::newRow("p2: 5mm") << "5mm" << "1:1: parse error: bad number or duration syntax: \"5mm\"";
    QTest::newRow("p2: foo[5m5h]") << "foo[5m5h]" << "1:5: parse error: not a valid duration string: \"5m5h\"";
    QTest::newRow("p2: foo[1.5m]") << "foo[1.5m]" << "1:5: parse error: not a valid duration string: \"1.5m\"";
    QTest::newRow("p2: foo{__name__=\"bar\"}") << "foo{__name__=\"bar\"}" << "1:1: parse error: metric name must not be set twice: \"foo\" or \"bar\"";
    QTest::newRow("p2: round(foo, 1, 2)") << "round(foo, 1, 2)" << "1:1: parse error: expected at most 2 argument(s) in call to \"round\", got 3";
    QTest::newRow("p2: sort(foo[5m])") << "sort(foo[5m])" << "1:6: parse error: expected type instant vector in call to function \"sort\", got range vector";
    QTest::newRow("p2: foo unless bool bar") << "foo unless bool bar" << "1:5: parse error: bool modifier can only be used on comparison operators";
    QTest::newRow("p2: x @ start(1)") << "x @ start(1)" << "1:11: parse error: unexpected number \"1\" in @, expected timestamp";
    QTest::newRow("p2: foo[5m] @ 1 offset 1m @ 2") << "foo[5m] @ 1 offset 1m @ 2" << "1:1: parse error: @ <timestamp> may not be set multiple times";
    QTest::newRow("p2: foo ~ bar") << "foo ~ bar" << "1:5: parse error: unexpected character: '~'";
    QTest::newRow("p2: topk(1, foo, bar)") << "topk(1, foo, bar)" << "1:1: parse error: wrong number of arguments for aggregate expression provided, expected 2, got 3";
    QTest::newRow("p2: $foo") << "$foo" << "1:1: parse error: unexpected character: '$'";
}

void TestPromqlParser::errors()
{
    QFETCH(QString, input);
    QFETCH(QString, expected);
    auto e = parse(input.toStdString());
    QVERIFY2(!e.ok(), qPrintable(input));
    QCOMPARE(QString::fromStdString(e.error()), expected);
}

void TestPromqlParser::formatValueLikeGo_data()
{
    QTest::addColumn<double>("value");
    QTest::addColumn<QString>("expected");
    QTest::newRow("nan") << std::nan("") << "NaN";
    QTest::newRow("+inf") << std::numeric_limits<double>::infinity() << "+Inf";
    QTest::newRow("-inf") << -std::numeric_limits<double>::infinity() << "-Inf";
    QTest::newRow("million") << 1e6 << "1e+06";
    QTest::newRow("below million") << 123456.0 << "123456";
    QTest::newRow("7 digits") << 1234567.0 << "1.234567e+06";
    QTest::newRow("tenth") << 0.1 << "0.1";
    QTest::newRow("third") << 10.0 / 3 << "3.3333333333333335";
    QTest::newRow("small") << 0.0001 << "0.0001";
    QTest::newRow("smaller") << 0.00001 << "1e-05";
    QTest::newRow("negative") << -2.5 << "-2.5";
    QTest::newRow("zero") << 0.0 << "0";
    QTest::newRow("big") << 1.5e300 << "1.5e+300";
}

void TestPromqlParser::formatValueLikeGo()
{
    QFETCH(double, value);
    QFETCH(QString, expected);
    QCOMPARE(QString::fromStdString(formatValue(value)), expected);
}

QTEST_GUILESS_MAIN(TestPromqlParser)
#include "tst_promql_parser.moc"
