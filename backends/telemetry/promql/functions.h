#pragma once
// The PromQL function table: names, argument types and return types as Prometheus 2.42
// declares them (promql/parser/functions.go). The evaluator dispatches on FuncId.
#include "promql.h"

#include <string_view>
#include <vector>

namespace opsdeck::telemetry::promql {

enum class FuncId {
    Abs, Absent, AbsentOverTime, Acos, Acosh, Asin, Asinh, Atan, Atanh, AvgOverTime, Ceil,
    Changes, Clamp, ClampMax, ClampMin, Cos, Cosh, CountOverTime, Deg, Delta, Deriv, Exp,
    Floor, HistogramQuantile, Idelta, Increase, Irate, LabelJoin, LabelReplace,
    LastOverTime, Ln, Log10, Log2, MaxOverTime, MinOverTime, Pi, PredictLinear,
    PresentOverTime, QuantileOverTime, Rad, Rate, Resets, Round, Scalar, Sgn, Sin, Sinh,
    Sort, SortDesc, Sqrt, StddevOverTime, StdvarOverTime, SumOverTime, Tan, Tanh, Time,
    Timestamp, Vector, HoltWinters, DayOfMonth, DayOfWeek, DayOfYear, DaysInMonth, Hour, Minute,
    Month, Year,
};

struct FunctionInfo {
    std::string_view name;
    std::vector<ValueType> argTypes;
    // 0: exactly argTypes; n > 0: up to n trailing optional args; -1: last type repeats
    int variadic = 0;
    ValueType returnType = ValueType::Vector;
    FuncId id = FuncId::Abs;
};

const FunctionInfo *findFunction(std::string_view name);

} // namespace opsdeck::telemetry::promql
