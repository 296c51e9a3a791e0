#pragma once
// The Prometheus text exposition format 0.0.4, both ways: what /metrics serves and what
// `opsdeck-sim run` prints, and the parser for scrapes and fixture files.
// Reference: https://prometheus.io/docs/instrumenting/exposition_formats/ and the Go
// parser (expfmt.TextParser), whose rules and error cases the parser mirrors.
#include "metric_family.h"
#include "result.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace opsdeck::telemetry {

inline constexpr std::string_view kExpositionContentType =
    "text/plain; version=0.0.4; charset=utf-8";

// Appends the families to `out`. Each sample carries its own timestamp if it has one;
// otherwise `timestampMs` (when given) is written after every sample. Families print in
// the given order, labels sorted by name, `# HELP` only when the help is non-empty,
// `# TYPE` always. Allocation-free apart from growing `out`, so it can run for every
// block of a long simulation.
void writeExposition(const Scrape &scrape, std::string &out,
                     std::optional<std::int64_t> timestampMs = std::nullopt);
std::string writeExposition(const Scrape &scrape);

// Parses one exposition text. Errors read "line N: reason", e.g.
// `line 12: invalid label name "1abc"`. Samples keep their text order within a family;
// `_bucket`/`_sum`/`_count` (histogram) and `_sum`/`_count` (summary) samples join the
// family their `# TYPE` declared. A label with an empty value is the same as no label
// (as in Prometheus), so it is dropped.
Result<Scrape> parseExposition(std::string_view text);

// Checks a scrape before it is served: valid metric and label names, no "__name__"
// label, every sample named after its family (plus _bucket/_sum/_count for histograms,
// _sum/_count for summaries), "le" on buckets and "quantile" on summary samples, no
// series twice, no two families of one name. nullopt when fine, else the first problem,
// e.g. `family "x": sample "y_total" does not belong to it`. Lets the simulator's tests
// prove that what it writes is what Prometheus would accept.
std::optional<Error> validateScrape(const Scrape &scrape);

std::string_view metricTypeName(MetricType type); // "counter", "gauge", ...
std::optional<MetricType> metricTypeFromName(std::string_view name);

// [a-zA-Z_:][a-zA-Z0-9_:]*  (colons are for recording rules and vllm:* metrics)
bool isValidMetricName(std::string_view name);
// [a-zA-Z_][a-zA-Z0-9_]*
bool isValidLabelName(std::string_view name);

// Label values must be valid UTF-8 (Prometheus rejects the line otherwise).
bool isValidUtf8(std::string_view text);

// Escapes \, " and newline as the exposition and PromQL expect inside "...".
void appendEscapedLabelValue(std::string &out, std::string_view value);
// `{a="1",b="2"}` (nothing when empty), the way the exposition writes a label set.
void appendLabelSet(std::string &out, const Labels &labels);

} // namespace opsdeck::telemetry
