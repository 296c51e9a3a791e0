#pragma once
// Internal to the parser: the first syntax or type error, with the byte offset that
// Prometheus would report it at.
#include "ast.h"

#include <string>

namespace opsdeck::telemetry::promql {

struct ParseFailure {
    int pos;
    std::string message;
};

// Prometheus's checkAST: sets every node's result type, throws ParseFailure on the
// first type error, visiting children first as Prometheus does (type_check.cpp).
ValueType checkTypes(Node &root);

} // namespace opsdeck::telemetry::promql
