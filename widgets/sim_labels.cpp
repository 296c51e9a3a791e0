#include "sim_labels.h"

#include "widgets_tr.h"

namespace opsdeck::widgets {

QString faultTitle(sim::FaultKind kind)
{
    //: Instructor menu: faults that can be injected into the simulated cluster
    switch (kind) {
    case sim::FaultKind::BadDeploy: return Tr::tr("Bad deploy (new revision fails requests)");
    case sim::FaultKind::ModelServerCrash: return Tr::tr("Model server crash");
    case sim::FaultKind::VcPoolExhaustion: return Tr::tr("Virtual computer pool exhaustion");
    case sim::FaultKind::DbPoolExhaustion: return Tr::tr("State DB connection pool exhaustion");
    case sim::FaultKind::MemoryLeak: return Tr::tr("Memory leak (OOM kills)");
    case sim::FaultKind::GpuFailure: return Tr::tr("GPU failure (XID errors)");
    case sim::FaultKind::RegionFailure: return Tr::tr("Region failure");
    case sim::FaultKind::PromptInjection: return Tr::tr("Prompt injection wave");
    case sim::FaultKind::DataCorruption: return Tr::tr("State DB data corruption");
    case sim::FaultKind::TrafficSurge: return Tr::tr("Traffic surge (demand multiplies)");
    }
    return QString::fromLatin1(sim::faultName(kind));
}

} // namespace opsdeck::widgets
