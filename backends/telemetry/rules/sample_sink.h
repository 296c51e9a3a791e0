#pragma once
// Where rule evaluation writes what it produces: recording-rule outputs, ALERTS /
// ALERTS_FOR_STATE series and staleness markers. The console implements it over its
// store; rule unit tests over MemorySeries.
#include "../labels.h"

#include <cstdint>

namespace opsdeck::telemetry::rules {

class SampleSink {
public:
    virtual ~SampleSink() = default;
    // `series` includes __name__. Samples for one series arrive in ascending time.
    virtual void append(const Labels &series, std::int64_t tMs, double value) = 0;
};

} // namespace opsdeck::telemetry::rules
