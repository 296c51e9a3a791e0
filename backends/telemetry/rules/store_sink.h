#pragma once
// Writes rule outputs (recorded series, ALERTS, staleness markers) into the shared
// SeriesStore, so dashboards query recorded series like any other. Typical wiring:
//
//   SeriesStore store;                      // the simulation ingests into it
//   SeriesStoreSink sink(store);
//   RuleEvaluator rules(60'000);
//   rules.addFile(loadRuleFile("runbook.rules.yml").file);
//   rules.advanceTo(store, sink, simulatedNowMs);   // each simulation step
//   for (const Alert &a : rules.activeAlerts()) ...
#include "../series_store.h"
#include "sample_sink.h"

namespace opsdeck::telemetry::rules {

class SeriesStoreSink final : public SampleSink {
public:
    explicit SeriesStoreSink(SeriesStore &store) : m_store(store) {}
    void append(const Labels &series, std::int64_t tMs, double value) override
    {
        // Rejections (out of order after a clock reset) only lose a rule sample; count them.
        if (m_store.append(series, tMs, value) != AppendStatus::Ok)
            ++m_rejected;
    }
    std::size_t rejected() const { return m_rejected; }

private:
    SeriesStore &m_store;
    std::size_t m_rejected = 0;
};

} // namespace opsdeck::telemetry::rules
