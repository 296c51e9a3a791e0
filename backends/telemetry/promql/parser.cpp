// Recursive-descent PromQL parser with precedence climbing, followed by the same type
// checks Prometheus's checkAST does, in the same order (so the first error matches).
#include "ast.h"
#include "functions.h"
#include "lexer.h"
#include "parse_failure.h"
#include "regex.h"

#include <algorithm>
#include <cmath>
#include <cctype>

namespace opsdeck::telemetry::promql {

namespace {

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
        // Recursion depth guard: a hostile "((((..." must give an error, not a crash.
        struct DepthGuard {
            int &depth;
            explicit DepthGuard(int &d, int pos) : depth(d)
            {
                if (++depth > kMaxDepth)
                    throw ParseFailure{pos, "expression nested too deeply (more than " +
                                                std::to_string(kMaxDepth) + " levels)"};
            }
            ~DepthGuard() { --depth; }
        } guard(m_depth, cur().pos);
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
            node->opPos = opPos;
            if (isWord("bool")) {
                ++m_i;
                node->returnBool = true;
            }
            VectorMatching vm;
            if (isWord("on") || isWord("ignoring")) {
                vm.on = isWord("on");
                ++m_i;
                vm.labels = parseLabelList("grouping opts");
            }
            if (isWord("group_left") || isWord("group_right")) {
                vm.card = isWord("group_left") ? Cardinality::ManyToOne : Cardinality::OneToMany;
                ++m_i;
                if (cur().kind == TokenKind::LeftParen)
                    vm.include = parseLabelList("grouping opts");
            }
            node->matching = vm;
            // ^ is right-associative: its right side may contain another ^.
            auto rhs = parseExpr(*op == BinOp::Pow ? prec : prec + 1);
            node->args = {lhs, rhs};
            setDepth(*node);
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
            setDepth(*node);
            return node;
        }
        return parsePostfix(parsePrimary());
    }

    std::int64_t parseDurationToken(std::string_view context)
    {
        if (cur().kind != TokenKind::Duration)
            unexpected(context, "duration");
        if (cur().durationMs < 0)
            throw ParseFailure{cur().pos, "not a valid duration string: \"" + cur().text + "\""};
        return take().durationMs;
    }

    // [range], [range:step], offset d, @ t after a primary expression.
    std::shared_ptr<Node> parsePostfix(std::shared_ptr<Node> e)
    {
        while (true) {
            if (cur().kind == TokenKind::LeftBracket) {
                const int bracketPos = take().pos;
                const int rangePos = cur().pos;
                const std::int64_t range = parseDurationToken("");
                if (range == 0)
                    throw ParseFailure{rangePos, "duration must be greater than 0"};
                if (cur().kind == TokenKind::Colon) {
                    ++m_i;
                    std::int64_t step = 0;
                    if (cur().kind == TokenKind::Duration)
                        step = parseDurationToken("subquery selector");
                    expect(TokenKind::RightBracket, "subquery selector", "\"]\"");
                    auto sq = std::make_shared<Node>();
                    sq->kind = NodeKind::Subquery;
                    sq->pos = e->pos;
                    sq->rangeMs = range;
                    sq->stepMs = step;
                    sq->args = {e};
                    setDepth(*sq);
                    e = sq;
                    continue;
                }
                expect(TokenKind::RightBracket, "matrix selector", "\"]\"");
                if (e->kind != NodeKind::VectorSelector)
                    throw ParseFailure{bracketPos, "ranges only allowed for vector selectors"};
                if (e->offsetSet)
                    throw ParseFailure{bracketPos, "no offset modifiers allowed before range"};
                auto ms = std::make_shared<Node>();
                ms->kind = NodeKind::MatrixSelector;
                ms->pos = e->pos;
                ms->rangeMs = range;
                ms->args = {e};
                setDepth(*ms);
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
                if (target->offsetSet)
                    throw ParseFailure{e->pos, "offset may not be set multiple times"};
                target->offsetMs = negative ? -d : d;
                target->offsetSet = true;
                continue;
            }
            if (cur().kind == TokenKind::At) {
                ++m_i;
                AtModifier at;
                if ((isWord("start") || isWord("end")) && peekTok().kind == TokenKind::LeftParen) {
                    at.kind = isWord("start") ? AtModifier::Kind::Start : AtModifier::Kind::End;
                    m_i += 2;
                    expect(TokenKind::RightParen, "@", "timestamp");
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
            setDepth(*node);
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
                unexpected("label matching", "identifier or \"}\"");
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
        setDepth(*node);
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
        setDepth(*node);
        return node;
    }

    // Tree depth limit: left-leaning chains (a+a+a+...) are built by a loop, not by
    // recursion, but checking, printing, evaluating and freeing them all recurse.
    void setDepth(Node &n) const
    {
        int d = 0;
        for (const auto &a : n.args)
            d = std::max(d, a->depth);
        n.depth = d + 1;
        if (n.depth > kMaxDepth)
            throw ParseFailure{n.pos, "expression nested too deeply (more than " + std::to_string(kMaxDepth) +
                                          " levels)"};
    }

    static constexpr int kMaxDepth = 500;
    std::string_view m_input;
    std::vector<Token> m_toks;
    std::size_t m_i = 0;
    int m_depth = 0;
};

} // namespace

Result<Expr> parse(std::string_view text)
{
    LexResult lexed = lex(text);
    if (lexed.error)
        return Error{positionPrefix(text, lexed.error->pos) + " parse error: " + lexed.error->message};
    try {
        Parser p(text, std::move(lexed.tokens));
        std::shared_ptr<Node> root = p.parseQuery();
        checkTypes(*root);
        return Expr(std::shared_ptr<const Node>(std::move(root)));
    } catch (const ParseFailure &f) {
        return Error{positionPrefix(text, f.pos) + " parse error: " + f.message};
    }
}

} // namespace opsdeck::telemetry::promql
