#pragma once
// The notations promtool's unit tests use for data:
//  - series descriptions `name{label="v"}` (also exp_samples' `labels` strings), and
//  - expanding value notation `0+10x100 1-1x5 _ _x3 stale 1x3 NaN Inf`.
// `a+bxn` yields n+1 values a, a+b, ... a+n*b; `axn` yields n+1 copies of a; `_xn`
// yields n missing samples; `stale` writes a staleness marker.
#include "../labels.h"
#include "../result.h"

#include <optional>
#include <string_view>
#include <vector>

namespace opsdeck::telemetry::rules {

// `name{a="b", c="d"}` or `{__name__="x"}`; name optional. Errors say the column.
Result<Labels> parseSeriesLabels(std::string_view text);

// Missing values (from `_`) are nullopt. Errors name the offending item.
Result<std::vector<std::optional<double>>> parseSeriesValues(std::string_view text);

} // namespace opsdeck::telemetry::rules
