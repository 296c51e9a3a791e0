#pragma once
// PromQL tokenizer. Works on the whole query up front; errors carry the byte offset
// Prometheus would report, so the messages line up with promtool's.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace opsdeck::telemetry::promql {

enum class TokenKind {
    End,
    Identifier, // foo, job, sum, by, offset, and, ... (keywords are decided by the parser)
    MetricIdentifier, // an identifier containing ':' (recording rule names)
    Number,
    Duration,
    String,
    LeftParen, RightParen, LeftBrace, RightBrace, LeftBracket, RightBracket,
    Comma, Colon, At,
    Assign,     // =  (label matcher)
    Operator,   // + - * / % ^ == != > < >= <= =~ !~
};

struct Token {
    TokenKind kind = TokenKind::End;
    std::string text;  // as written (for strings: the unquoted value)
    int pos = 0;       // byte offset of the first character
    double number = 0; // Number
    std::int64_t durationMs = 0; // Duration
};

struct LexError {
    int pos = 0;
    std::string message;
};

// Tokenizes the whole query. On failure returns the first error.
struct LexResult {
    std::vector<Token> tokens; // always ends with an End token on success
    std::optional<LexError> error;
};
LexResult lex(std::string_view input);

// "5m", "1h30m", "100ms" -> milliseconds; nullopt when not a Prometheus duration.
std::optional<std::int64_t> parseDuration(std::string_view text);

// Go strconv.ParseFloat-like: decimal, exponent, hex, Inf/NaN (any case), signs.
std::optional<double> parseNumber(std::string_view text);

// "position Prometheus-style": 1-based line and column of a byte offset.
std::string positionPrefix(std::string_view input, int pos);

} // namespace opsdeck::telemetry::promql
