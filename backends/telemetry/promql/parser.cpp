// Recursive-descent PromQL parser with precedence climbing, followed by the same type
// checks Prometheus's checkAST does, in the same order (so the first error matches).
#include "ast.h"
#include "functions.h"
#include "lexer.h"
#include "regex.h"

#include <algorithm>
#include <cmath>
#include <cctype>

namespace opsdeck::telemetry::promql {

namespace {

struct ParseFailure {
    int pos;
    std::string message;
};

std::string lower(std::string_view s)
{
    std::string out(s);
    for (char &c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

const std::vector<std::pair<std::string_view, AggOp>> &aggregators()
{
    static const std::vector<std::pair<std::string_view, AggOp>> k = {
        {"sum", AggOp::Sum}, {"avg", AggOp::Avg}, {"min", AggOp::Min}, {"max", AggOp::Max},
        {"count", AggOp::Count}, {"group", AggOp::Group}, {"stddev", AggOp::Stddev},
        {"stdvar", AggOp::Stdvar}, {"topk", AggOp::Topk}, {"bottomk", AggOp::Bottomk},
        {"quantile", AggOp::Quantile}, {"count_values", AggOp::CountValues},
    };
    return k;
}

std::optional<AggOp> aggregatorFor(std::string_view word)
{
    const std::string l = lower(word);
    for (const auto &[name, op] : aggregators())
        if (name == l)
            return op;
    return std::nullopt;
}

bool isKeyword(std::string_view word)
{
    static const char *kKeywords[] = {"and", "or", "unless", "atan2", "offset", "by", "without",
                                      "on", "ignoring", "group_left", "group_right", "bool"};
    const std::string l = lower(word);
    for (const char *k : kKeywords)
        if (l == k)
            return true;
    return false;
}

bool hasParam(AggOp op)
{
    return op == AggOp::Topk || op == AggOp::Bottomk || op == AggOp::Quantile || op == AggOp::CountValues;
}

// Binding strength; ^ is right-associative.
int precedence(BinOp op)
{
    switch (op) {
    case BinOp::Or: return 1;
    case BinOp::And: case BinOp::Unless: return 2;
    case BinOp::Eq: case BinOp::Ne: case BinOp::Gt: case BinOp::Lt: case BinOp::Ge: case BinOp::Le: return 3;
    case BinOp::Add: case BinOp::Sub: return 4;
    case BinOp::Mul: case BinOp::Div: case BinOp::Mod: case BinOp::Atan2: return 5;
    case BinOp::Pow: return 6;
    }
    return 0;
}

class Parser {
public:
    Parser(std::string_view input, std::vector<Token> tokens) : m_input(input), m_toks(std::move(tokens)) {}

    std::shared_ptr<Node> parseQuery()
    {
        if (cur().kind == TokenKind::End)
            throw ParseFailure{0, "no expression found in input"};
        auto e = parseExpr(0);
        if (cur().kind != TokenKind::End)
            unexpected("");
        return e;
    }

private:
    const Token &cur() const { return m_toks[m_i]; }
    const Token &peekTok(int ahead = 1) const
    {
        return m_toks[std::min(m_i + ahead, m_toks.size() - 1)];
    }
    Token take() { return m_toks[m_i++]; }
    bool isWord(std::string_view w) const
    {
        return (cur().kind == TokenKind::Identifier) && lower(cur().text) == w;
    }

    static std::string describe(const Token &t)
    {
        switch (t.kind) {
        case TokenKind::End: return "end of input";
        case TokenKind::Identifier:
            if (aggregatorFor(t.text))
                return "<aggr:" + t.text + ">";
            if (isKeyword(t.text))
                return "<" + t.text + ">";
            return "identifier \"" + t.text + "\"";
        case TokenKind::MetricIdentifier: return "metric identifier \"" + t.text + "\"";
        case TokenKind::Number: return "number \"" + t.text + "\"";
        case TokenKind::Duration: return "duration \"" + t.text + "\"";
        case TokenKind::String: return "string \"" + t.text + "\"";
        case TokenKind::Operator: return "<op:" + t.text + ">";
        case TokenKind::Assign: return "<op:=>";
        case TokenKind::At: return "<op:@>";
        default: return "\"" + t.text + "\"";
        }
    }

    [[noreturn]] void unexpected(std::string_view context, std::string_view expected = {}) const
    {
        std::string msg = "unexpected " + describe(cur());
        if (!context.empty())
            msg += " in " + std::string(context);
        if (!expected.empty())
            msg += ", expected " + std::string(expected);
        throw ParseFailure{cur().pos, msg};
    }

    void expect(TokenKind k, std::string_view context, std::string_view expected)
    {
        if (cur().kind != k)
            unexpected(context, expected);
        ++m_i;
    }

    // The binary operator at the cursor, if any.
    std::optional<BinOp> binaryOpHere() const
    {
        const Token &t = cur();
        if (t.kind == TokenKind::Operator) {
            static const std::pair<std::string_view, BinOp> kOps[] = {
                {"+", BinOp::Add}, {"-", BinOp::Sub}, {"*", BinOp::Mul}, {"/", BinOp::Div},
                {"%", BinOp::Mod}, {"^", BinOp::Pow}, {"==", BinOp::Eq}, {"!=", BinOp::Ne},
                {">", BinOp::Gt}, {"<", BinOp::Lt}, {">=", BinOp::Ge}, {"<=", BinOp::Le},
            };
            for (const auto &[s, op] : kOps)
                if (t.text == s)
                    return op;
            return std::nullopt;
        }
        if (t.kind == TokenKind::Identifier) {
            const std::string l = lower(t.text);
            if (l == "and") return BinOp::And;
            if (l == "or") return BinOp::Or;
            if (l == "unless") return BinOp::Unless;
            if (l == "atan2") return BinOp::Atan2;
        }
        return std::nullopt;
    }

    std::shared_ptr<Node> parseExpr(int minPrec)
    {
        auto lhs = parseUnary();
        while (auto op = binaryOpHere()) {
            const int prec = precedence(*op);
            if (prec < minPrec)
                break;
            const int opPos = take().pos;
            auto node = std::make_shared<Node>();
            node->kind = NodeKind::Binary;
            node->op = *op;
            node->pos = lhs->pos;
            node->number = opPos; // remembered for errors that point at the operator
            if (isWord("bool")) {
                ++m_i;
                node->returnBool = true;
            }
            VectorMatching vm;
            bool hasMatching = false;
            if (isWord("on") || isWord("ignoring")) {
                vm.on = isWord("on");
                ++m_i;
                vm.labels = parseLabelList("grouping opts");
                hasMatching = true;
            }
            if (isWord("group_left") || isWord("group_right")) {
                vm.card = isWord("group_left") ? Cardinality::ManyToOne : Cardinality::OneToMany;
                ++m_i;
                if (cur().kind == TokenKind::LeftParen)
                    vm.include = parseLabelList("grouping opts");
                hasMatching = true;
            }
            (void)hasMatching;
            node->matching = vm;
            // ^ is right-associative: its right side may contain another ^.
            auto rhs = parseExpr(*op == BinOp::Pow ? prec : prec + 1);
            node->args = {lhs, rhs};
            lhs = node;
        }
        return lhs;
    }

    std::shared_ptr<Node> parseUnary()
    {
        if (cur().kind == TokenKind::Operator && (cur().text == "-" || cur().text == "+")) {
            const Token opTok = take();
            // Unary binds looser than ^ but tighter than * (Prometheus: %prec MUL).
            auto operand = parseExpr(precedence(BinOp::Pow));
            if (operand->kind == NodeKind::Number) {
                auto n = std::make_shared<Node>(*operand);
                if (opTok.text == "-")
                    n->number = -n->number;
                n->pos = opTok.pos;
                return n;
            }
            auto node = std::make_shared<Node>();
            node->kind = NodeKind::Unary;
            node->op = opTok.text == "-" ? BinOp::Sub : BinOp::Add;
            node->pos = opTok.pos;
            node->args = {operand};
            return node;
        }
        return parsePostfix(parsePrimary());
    }

    std::int64_t parseDurationToken(std::string_view context)
    {
        if (cur().kind != TokenKind::Duration)
            unexpected(context, "duration");
        return take().durationMs;
    }

    // [range], [range:step], offset d, @ t after a primary expression.
    std::shared_ptr<Node> parsePostfix(std::shared_ptr<Node> e)
    {
        while (true) {
            if (cur().kind == TokenKind::LeftBracket) {
                const int bracketPos = take().pos;
                const std::int64_t range = parseDurationToken("");
                if (cur().kind == TokenKind::Colon) {
                    ++m_i;
                    std::int64_t step = 0;
                    if (cur().kind == TokenKind::Duration)
                        step = take().durationMs;
                    expect(TokenKind::RightBracket, "subquery selector", "\"]\"");
                    auto sq = std::make_shared<Node>();
                    sq->kind = NodeKind::Subquery;
                    sq->pos = e->pos;
                    sq->rangeMs = range;
                    sq->stepMs = step;
                    sq->args = {e};
                    e = sq;
                    continue;
                }
                expect(TokenKind::RightBracket, "matrix selector", "\"]\"");
                if (e->kind != NodeKind::VectorSelector)
                    throw ParseFailure{bracketPos, "ranges only allowed for vector selectors"};
                if (e->offsetMs != 0 || e->number != 0)
                    throw ParseFailure{bracketPos, "no offset modifiers allowed before range"};
                auto ms = std::make_shared<Node>();
                ms->kind = NodeKind::MatrixSelector;
                ms->pos = e->pos;
                ms->rangeMs = range;
                ms->args = {e};
                e = ms;
                continue;
            }
            if (isWord("offset")) {
                ++m_i;
                bool negative = false;
                if (cur().kind == TokenKind::Operator && (cur().text == "-" || cur().text == "+")) {
                    negative = cur().text == "-";
                    ++m_i;
                }
                const std::int64_t d = parseDurationToken("offset");
                Node *target = modifierTarget(e, "offset");
                if (target->number != 0)
                    throw ParseFailure{e->pos, "offset may not be set multiple times"};
                target->offsetMs = negative ? -d : d;
                target->number = 1; // "offset was set", distinct from offset 0s
                continue;
            }
            if (cur().kind == TokenKind::At) {
                ++m_i;
                AtModifier at;
                if ((isWord("start") || isWord("end")) && peekTok().kind == TokenKind::LeftParen) {
                    at.kind = isWord("start") ? AtModifier::Kind::Start : AtModifier::Kind::End;
                    m_i += 2;
                    expect(TokenKind::RightParen, "@ modifier", "\")\"");
                } else {
                    bool negative = false;
                    if (cur().kind == TokenKind::Operator && (cur().text == "-" || cur().text == "+")) {
                        negative = cur().text == "-";
                        ++m_i;
                    }
                    if (cur().kind != TokenKind::Number)
                        unexpected("@", "timestamp");
                    double v = take().number;
                    if (negative)
                        v = -v;
                    at.ms = static_cast<std::int64_t>(std::llround(v * 1000));
                }
                Node *target = modifierTarget(e, "@");
                if (target->at)
                    throw ParseFailure{e->pos, "@ <timestamp> may not be set multiple times"};
                target->at = at;
                continue;
            }
            return e;
        }
    }

    Node *modifierTarget(const std::shared_ptr<Node> &e, std::string_view what)
    {
        if (e->kind == NodeKind::VectorSelector || e->kind == NodeKind::Subquery)
            return e.get();
        if (e->kind == NodeKind::MatrixSelector)
            return const_cast<Node *>(e->args[0].get()); // built by us just above, never shared yet
        if (what == "offset")
            throw ParseFailure{e->pos, "offset modifier must be preceded by an instant vector selector or range vector selector or a subquery"};
        throw ParseFailure{e->pos, "@ modifier must be preceded by an instant vector selector or range vector selector or a subquery"};
    }

    std::vector<std::string> parseLabelList(std::string_view context)
    {
        expect(TokenKind::LeftParen, context, "\"(\"");
        std::vector<std::string> out;
        while (cur().kind != TokenKind::RightParen) {
            if (cur().kind != TokenKind::Identifier)
                unexpected(context, "label");
            out.push_back(take().text);
            if (cur().kind == TokenKind::Comma) {
                ++m_i;
                continue;
            }
            if (cur().kind != TokenKind::RightParen)
                unexpected(context, "\",\" or \")\"");
        }
        ++m_i;
        return out;
    }

    std::shared_ptr<Node> parsePrimary()
    {
        const Token &t = cur();
        auto node = std::make_shared<Node>();
        node->pos = t.pos;
        switch (t.kind) {
        case TokenKind::Number:
            node->kind = NodeKind::Number;
            node->number = take().number;
            return node;
        case TokenKind::String:
            node->kind = NodeKind::String;
            node->text = take().text;
            return node;
        case TokenKind::LeftParen: {
            ++m_i;
            node->kind = NodeKind::Paren;
            node->args = {parseExpr(0)};
            expect(TokenKind::RightParen, "paren expression", "\")\"");
            return node;
        }
        case TokenKind::LeftBrace:
            node->kind = NodeKind::VectorSelector;
            parseMatchers(*node);
            return node;
        case TokenKind::MetricIdentifier:
        case TokenKind::Identifier: {
            if (auto agg = aggregatorFor(t.text))
                return parseAggregate(*agg);
            if (peekTok().kind == TokenKind::LeftParen && t.kind == TokenKind::Identifier &&
                !isKeyword(t.text))
                return parseCall();
            if (t.kind == TokenKind::Identifier && isKeyword(t.text))
                unexpected("");
            node->kind = NodeKind::VectorSelector;
            node->metricName = take().text;
            if (cur().kind == TokenKind::LeftBrace)
                parseMatchers(*node);
            node->matchers.push_back(LabelMatcher{"__name__", LabelMatcher::Op::Equal, node->metricName});
            return node;
        }
        default:
            unexpected("");
        }
    }

    void parseMatchers(Node &sel)
    {
        expect(TokenKind::LeftBrace, "", "\"{\"");
        while (cur().kind != TokenKind::RightBrace) {
            if (cur().kind != TokenKind::Identifier)
                unexpected("label matching", "label matching operator");
            const Token name = take();
            LabelMatcher m;
            m.name = name.text;
            if (cur().kind == TokenKind::Assign)
                m.op = LabelMatcher::Op::Equal;
            else if (cur().kind == TokenKind::Operator && cur().text == "!=")
                m.op = LabelMatcher::Op::NotEqual;
            else if (cur().kind == TokenKind::Operator && cur().text == "=~")
                m.op = LabelMatcher::Op::RegexMatch;
            else if (cur().kind == TokenKind::Operator && cur().text == "!~")
                m.op = LabelMatcher::Op::RegexNoMatch;
            else
                unexpected("label matching", "label matching operator");
            ++m_i;
            if (cur().kind != TokenKind::String)
                unexpected("label matching", "string");
            m.value = take().text;
            if (m.op == LabelMatcher::Op::RegexMatch || m.op == LabelMatcher::Op::RegexNoMatch) {
                auto re = AnchoredRegex::compile(m.value);
                if (!re)
                    throw ParseFailure{name.pos, re.error()};
            }
            sel.matchers.push_back(std::move(m));
            if (cur().kind == TokenKind::Comma) {
                ++m_i;
                continue;
            }
            if (cur().kind != TokenKind::RightBrace)
                unexpected("label matching", "\",\" or \"}\"");
        }
        ++m_i;
    }

    std::shared_ptr<Node> parseAggregate(AggOp op)
    {
        auto node = std::make_shared<Node>();
        node->kind = NodeKind::Aggregate;
        node->aggOp = op;
        node->pos = take().pos;
        auto grouping = [&]() {
            if (isWord("by") || isWord("without")) {
                node->without = isWord("without");
                ++m_i;
                node->grouping = parseLabelList("grouping opts");
                return true;
            }
            return false;
        };
        const bool groupedBefore = grouping();
        if (cur().kind != TokenKind::LeftParen)
            unexpected("aggregation");
        ++m_i;
        std::vector<NodePtr> args;
        if (cur().kind != TokenKind::RightParen) {
            while (true) {
                args.push_back(parseExpr(0));
                if (cur().kind == TokenKind::Comma) {
                    ++m_i;
                    continue;
                }
                break;
            }
        }
        expect(TokenKind::RightParen, "aggregation", "\",\" or \")\"");
        if (!groupedBefore)
            grouping();
        else if (isWord("by") || isWord("without"))
            unexpected("aggregation");
        const std::size_t want = hasParam(op) ? 2 : 1;
        if (args.size() != want)
            throw ParseFailure{node->pos, "wrong number of arguments for aggregate expression provided, expected " +
                                              std::to_string(want) + ", got " + std::to_string(args.size())};
        // args[0] is the aggregated expression; the parameter, if any, follows.
        node->args = hasParam(op) ? std::vector<NodePtr>{args[1], args[0]} : std::vector<NodePtr>{args[0]};
        return node;
    }

    std::shared_ptr<Node> parseCall()
    {
        const Token name = take();
        const FunctionInfo *f = findFunction(name.text);
        if (!f)
            throw ParseFailure{name.pos, "unknown function with name \"" + name.text + "\""};
        auto node = std::make_shared<Node>();
        node->kind = NodeKind::Call;
        node->func = f;
        node->pos = name.pos;
        expect(TokenKind::LeftParen, "function call", "\"(\"");
        if (cur().kind != TokenKind::RightParen) {
            while (true) {
                node->args.push_back(parseExpr(0));
                if (cur().kind == TokenKind::Comma) {
                    ++m_i;
                    continue;
                }
                break;
            }
        }
        expect(TokenKind::RightParen, "function call", "\",\" or \")\"");
        return node;
    }

    std::string_view m_input;
    std::vector<Token> m_toks;
    std::size_t m_i = 0;
};

// --- type checking (Prometheus checkAST) -----------------------------------------------

ValueType check(Node &n);

void expectType(Node &n, ValueType want, const std::string &context)
{
    const ValueType got = check(n);
    if (got != want)
        throw ParseFailure{n.pos, std::string("expected type ") + valueTypeName(want) + " in " + context +
                                      ", got " + valueTypeName(got)};
}

Node &mut(const NodePtr &p) { return const_cast<Node &>(*p); } // parse-time only, before sharing

ValueType check(Node &n)
{
    switch (n.kind) {
    case NodeKind::Number: n.type = ValueType::Scalar; break;
    case NodeKind::String: n.type = ValueType::String; break;
    case NodeKind::Paren: n.type = check(mut(n.args[0])); break;
    case NodeKind::VectorSelector: {
        n.type = ValueType::Vector;
        n.number = 0; // was the "offset set" marker
        if (!n.metricName.empty()) {
            for (std::size_t i = 0; i + 1 < n.matchers.size(); ++i)
                if (n.matchers[i].name == "__name__")
                    throw ParseFailure{n.pos, "metric name must not be set twice: \"" + n.metricName +
                                                  "\" or \"" + n.matchers[i].value + "\""};
            break;
        }
        bool nonEmpty = false;
        for (const auto &m : n.matchers) {
            switch (m.op) {
            case LabelMatcher::Op::Equal: nonEmpty |= !m.value.empty(); break;
            case LabelMatcher::Op::NotEqual: nonEmpty |= m.value.empty(); break;
            case LabelMatcher::Op::RegexMatch: nonEmpty |= !(*AnchoredRegex::compile(m.value))->matches(""); break;
            case LabelMatcher::Op::RegexNoMatch: nonEmpty |= (*AnchoredRegex::compile(m.value))->matches(""); break;
            }
        }
        if (!nonEmpty)
            throw ParseFailure{n.pos, "vector selector must contain at least one non-empty matcher"};
        break;
    }
    case NodeKind::MatrixSelector:
        check(mut(n.args[0]));
        n.type = ValueType::Matrix;
        break;
    case NodeKind::Subquery: {
        n.number = 0;
        const ValueType t = check(mut(n.args[0]));
        if (t != ValueType::Vector)
            throw ParseFailure{n.pos, std::string("subquery is only allowed on instant vector, got ") +
                                          valueTypeName(t) + " instead"};
        n.type = ValueType::Matrix;
        break;
    }
    case NodeKind::Unary: {
        const ValueType t = check(mut(n.args[0]));
        if (t != ValueType::Scalar && t != ValueType::Vector)
            throw ParseFailure{n.pos, std::string("unary expression only allowed on expressions of type "
                                                  "scalar or instant vector, got \"") + valueTypeName(t) + "\""};
        n.type = t;
        break;
    }
    case NodeKind::Call: {
        const FunctionInfo &f = *n.func;
        const std::string fname(f.name);
        const std::size_t nargs = f.argTypes.size();
        if (f.variadic == 0) {
            if (nargs != n.args.size())
                throw ParseFailure{n.pos, "expected " + std::to_string(nargs) + " argument(s) in call to \"" +
                                              fname + "\", got " + std::to_string(n.args.size())};
        } else {
            const std::size_t na = nargs - 1;
            if (na > n.args.size())
                throw ParseFailure{n.pos, "expected at least " + std::to_string(na) + " argument(s) in call to \"" +
                                              fname + "\", got " + std::to_string(n.args.size())};
            if (f.variadic > 0 && na + static_cast<std::size_t>(f.variadic) < n.args.size())
                throw ParseFailure{n.pos, "expected at most " + std::to_string(na + f.variadic) +
                                              " argument(s) in call to \"" + fname + "\", got " +
                                              std::to_string(n.args.size())};
        }
        for (std::size_t i = 0; i < n.args.size(); ++i)
            expectType(mut(n.args[i]), f.argTypes[std::min(i, nargs - 1)], "call to function \"" + fname + "\"");
        n.type = f.returnType;
        break;
    }
    case NodeKind::Aggregate:
        expectType(mut(n.args[0]), ValueType::Vector, "aggregation expression");
        if (n.aggOp == AggOp::Topk || n.aggOp == AggOp::Bottomk || n.aggOp == AggOp::Quantile)
            expectType(mut(n.args[1]), ValueType::Scalar, "aggregation parameter");
        if (n.aggOp == AggOp::CountValues)
            expectType(mut(n.args[1]), ValueType::String, "aggregation parameter");
        n.type = ValueType::Vector;
        break;
    case NodeKind::Binary: {
        const ValueType lt = check(mut(n.args[0]));
        const ValueType rt = check(mut(n.args[1]));
        const int opPos = static_cast<int>(n.number);
        const std::string opName = binOpName(n.op);
        if (n.returnBool && !isComparison(n.op))
            throw ParseFailure{opPos, "bool modifier can only be used on comparison operators"};
        if (isComparison(n.op) && !n.returnBool && lt == ValueType::Scalar && rt == ValueType::Scalar)
            throw ParseFailure{opPos, "comparisons between scalars must use BOOL modifier"};
        auto &vm = *n.matching;
        if (isSetOperator(n.op) && vm.card == Cardinality::OneToOne)
            vm.card = Cardinality::ManyToMany;
        if (vm.on)
            for (const auto &l1 : vm.labels)
                for (const auto &l2 : vm.include)
                    if (l1 == l2)
                        throw ParseFailure{opPos, "label \"" + l1 + "\" must not occur in ON and GROUP clause at once"};
        if (lt != ValueType::Scalar && lt != ValueType::Vector)
            throw ParseFailure{n.args[0]->pos, "binary expression must contain only scalar and instant vector types"};
        if (rt != ValueType::Scalar && rt != ValueType::Vector)
            throw ParseFailure{n.args[1]->pos, "binary expression must contain only scalar and instant vector types"};
        if (lt != ValueType::Vector || rt != ValueType::Vector) {
            if (!vm.labels.empty() || vm.on)
                throw ParseFailure{n.pos, "vector matching only allowed between instant vectors"};
            n.matching.reset();
        } else if (isSetOperator(n.op) && (vm.card == Cardinality::OneToMany || vm.card == Cardinality::ManyToOne)) {
            throw ParseFailure{n.pos, "no grouping allowed for \"" + opName + "\" operation"};
        }
        if ((lt == ValueType::Scalar || rt == ValueType::Scalar) && isSetOperator(n.op))
            throw ParseFailure{n.pos, "set operator \"" + opName + "\" not allowed in binary scalar expression"};
        n.type = (lt == ValueType::Scalar && rt == ValueType::Scalar) ? ValueType::Scalar : ValueType::Vector;
        n.number = 0;
        break;
    }
    }
    return n.type;
}

} // namespace

Result<Expr> parse(std::string_view text)
{
    LexResult lexed = lex(text);
    if (lexed.error)
        return Error{positionPrefix(text, lexed.error->pos) + " parse error: " + lexed.error->message};
    try {
        Parser p(text, std::move(lexed.tokens));
        std::shared_ptr<Node> root = p.parseQuery();
        check(*root);
        return Expr(std::shared_ptr<const Node>(std::move(root)));
    } catch (const ParseFailure &f) {
        return Error{positionPrefix(text, f.pos) + " parse error: " + f.message};
    }
}

} // namespace opsdeck::telemetry::promql
