#include "functions.h"

#include <unordered_map>

namespace opsdeck::telemetry::promql {

namespace {
constexpr ValueType S = ValueType::Scalar;
constexpr ValueType V = ValueType::Vector;
constexpr ValueType M = ValueType::Matrix;
constexpr ValueType Str = ValueType::String;

const std::vector<FunctionInfo> &table()
{
    static const std::vector<FunctionInfo> kFunctions = {
        {"abs", {V}, 0, V, FuncId::Abs},
        {"absent", {V}, 0, V, FuncId::Absent},
        {"absent_over_time", {M}, 0, V, FuncId::AbsentOverTime},
        {"acos", {V}, 0, V, FuncId::Acos},
        {"acosh", {V}, 0, V, FuncId::Acosh},
        {"asin", {V}, 0, V, FuncId::Asin},
        {"asinh", {V}, 0, V, FuncId::Asinh},
        {"atan", {V}, 0, V, FuncId::Atan},
        {"atanh", {V}, 0, V, FuncId::Atanh},
        {"avg_over_time", {M}, 0, V, FuncId::AvgOverTime},
        {"ceil", {V}, 0, V, FuncId::Ceil},
        {"changes", {M}, 0, V, FuncId::Changes},
        {"clamp", {V, S, S}, 0, V, FuncId::Clamp},
        {"clamp_max", {V, S}, 0, V, FuncId::ClampMax},
        {"clamp_min", {V, S}, 0, V, FuncId::ClampMin},
        {"cos", {V}, 0, V, FuncId::Cos},
        {"cosh", {V}, 0, V, FuncId::Cosh},
        {"count_over_time", {M}, 0, V, FuncId::CountOverTime},
        {"deg", {V}, 0, V, FuncId::Deg},
        {"delta", {M}, 0, V, FuncId::Delta},
        {"deriv", {M}, 0, V, FuncId::Deriv},
        {"exp", {V}, 0, V, FuncId::Exp},
        {"floor", {V}, 0, V, FuncId::Floor},
        {"histogram_quantile", {S, V}, 0, V, FuncId::HistogramQuantile},
        {"idelta", {M}, 0, V, FuncId::Idelta},
        {"increase", {M}, 0, V, FuncId::Increase},
        {"irate", {M}, 0, V, FuncId::Irate},
        {"label_join", {V, Str, Str, Str}, -1, V, FuncId::LabelJoin},
        {"label_replace", {V, Str, Str, Str, Str}, 0, V, FuncId::LabelReplace},
        {"last_over_time", {M}, 0, V, FuncId::LastOverTime},
        {"ln", {V}, 0, V, FuncId::Ln},
        {"log10", {V}, 0, V, FuncId::Log10},
        {"log2", {V}, 0, V, FuncId::Log2},
        {"max_over_time", {M}, 0, V, FuncId::MaxOverTime},
        {"min_over_time", {M}, 0, V, FuncId::MinOverTime},
        {"pi", {}, 0, S, FuncId::Pi},
        {"predict_linear", {M, S}, 0, V, FuncId::PredictLinear},
        {"present_over_time", {M}, 0, V, FuncId::PresentOverTime},
        {"quantile_over_time", {S, M}, 0, V, FuncId::QuantileOverTime},
        {"rad", {V}, 0, V, FuncId::Rad},
        {"rate", {M}, 0, V, FuncId::Rate},
        {"resets", {M}, 0, V, FuncId::Resets},
        {"round", {V, S}, 1, V, FuncId::Round},
        {"scalar", {V}, 0, S, FuncId::Scalar},
        {"sgn", {V}, 0, V, FuncId::Sgn},
        {"sin", {V}, 0, V, FuncId::Sin},
        {"sinh", {V}, 0, V, FuncId::Sinh},
        {"sort", {V}, 0, V, FuncId::Sort},
        {"sort_desc", {V}, 0, V, FuncId::SortDesc},
        {"sqrt", {V}, 0, V, FuncId::Sqrt},
        {"stddev_over_time", {M}, 0, V, FuncId::StddevOverTime},
        {"stdvar_over_time", {M}, 0, V, FuncId::StdvarOverTime},
        {"sum_over_time", {M}, 0, V, FuncId::SumOverTime},
        {"tan", {V}, 0, V, FuncId::Tan},
        {"tanh", {V}, 0, V, FuncId::Tanh},
        {"time", {}, 0, S, FuncId::Time},
        {"timestamp", {V}, 0, V, FuncId::Timestamp},
        {"vector", {S}, 0, V, FuncId::Vector},
        {"holt_winters", {M, S, S}, 0, V, FuncId::HoltWinters},
        {"day_of_month", {V}, 1, V, FuncId::DayOfMonth},
        {"day_of_week", {V}, 1, V, FuncId::DayOfWeek},
        {"day_of_year", {V}, 1, V, FuncId::DayOfYear},
        {"days_in_month", {V}, 1, V, FuncId::DaysInMonth},
        {"hour", {V}, 1, V, FuncId::Hour},
        {"minute", {V}, 1, V, FuncId::Minute},
        {"month", {V}, 1, V, FuncId::Month},
        {"year", {V}, 1, V, FuncId::Year},
    };
    return kFunctions;
}
} // namespace

const FunctionInfo *findFunction(std::string_view name)
{
    static const auto kByName = [] {
        std::unordered_map<std::string_view, const FunctionInfo *> m;
        for (const auto &f : table())
            m.emplace(f.name, &f);
        return m;
    }();
    auto it = kByName.find(name);
    return it == kByName.end() ? nullptr : it->second;
}

} // namespace opsdeck::telemetry::promql
