// GPU inference as a fluid model of continuous batching (vLLM-like), per region: all
// ready model-server pods share the load evenly. Prefill is compute-bound and steals
// time from decode; a decode step streams weights plus the batch's KV cache; the KV
// cache bounds the batch, and beyond that requests wait (and time out after 30 s).
#include "sim_impl.h"

#include <algorithm>
#include <cmath>

namespace opsdeck::sim {

namespace {
constexpr double kMaxNumSeqs = 512;   // vLLM max_num_seqs (KV cache binds first)
constexpr double kQueueTimeoutSec = 30;

// n+1 buckets (last is +Inf), then sum, then count: the per-pod accumulator layout.
void addLognormalFlat(double *dst, const std::vector<double> &bounds, double count, double mean, double sigma)
{
    if (!(count > 0) || !(mean > 0))
        return;
    const double mu = std::log(mean) - sigma * sigma / 2;
    double prev = 0;
    for (std::size_t i = 0; i < bounds.size(); ++i) {
        const double cdf = Histogram::lognormalCdf(bounds[i], mu, sigma);
        dst[i] += count * (cdf - prev);
        prev = cdf;
    }
    dst[bounds.size()] += count * (1 - prev);
    dst[bounds.size() + 1] += count * mean;
    dst[bounds.size() + 2] += count;
}
} // namespace

void Simulation::Impl::stepInference(RegionRt &r, double requestsPerSec, double dt)
{
    InferenceRt &inf = r.inference;
    const int ready = r.healthy ? inv.deployments[r.svc[kModelServer].dep].readyReplicas : 0;
    if (ready <= 0) {
        // nothing to serve: every call fails fast (connection refused)
        inf.waiting = inf.running = inf.kvUsage = inf.gpuUtil = 0;
        inf.rejectedFrac = requestsPerSec > 0 ? 1 : 0;
        inf.ttftSec = inf.itlSec = 0;
        inf.e2eSec = kQueueTimeoutSec;
        return;
    }
    const double lambda = requestsPerSec / ready;                 // per pod
    const double L = kOutputTokens;
    const double prefillTokens = kPromptTokens * (1 - kPrefixCacheHit);
    const double tp = prefillSeconds(model, hw, prefillTokens);
    const double kvPerSeq = model.kvBytesPerToken() * (kPromptTokens + L / 2);
    const double kvCap = kvCacheCapacityBytes(model, hw);
    const double maxBatch = std::clamp(std::floor(kvCap / (model.kvBytesPerToken() * (kPromptTokens + L))), 1.0, kMaxNumSeqs);
    const double bw = hw.gpusPerPod * hw.gpu.bandwidthBytesPerSec * hw.bandwidthEfficiency;
    const double W = model.weightBytes();
    // Largest request rate one pod sustains with the batch at maxBatch:
    //   maxBatch·(1 − λ·tp)·bw = λ·L·(W + maxBatch·kv)
    const double lambdaMax = maxBatch * bw / (L * (W + maxBatch * kvPerSeq) + maxBatch * bw * tp);

    // queue dynamics
    double served;
    const double arriving = lambda * dt;
    double rejected = 0;
    if (lambda < lambdaMax) {
        const double drain = std::min(inf.waiting, (lambdaMax - lambda) * dt);
        inf.waiting -= drain;
        served = lambda + drain / dt;
    } else {
        inf.waiting += (lambda - lambdaMax) * dt;
        served = lambdaMax;
    }
    const double maxWaiting = lambdaMax * kQueueTimeoutSec;
    if (inf.waiting > maxWaiting) {
        rejected = inf.waiting - maxWaiting;
        inf.waiting = maxWaiting;
    }
    inf.rejectedFrac = arriving > 0 ? std::min(1.0, rejected / arriving) : 0;

    const double fp = std::min(0.99, served * tp);
    double batch;
    const double denom = (1 - fp) * bw - served * L * kvPerSeq;
    if (served >= lambdaMax * 0.999 || denom <= 0)
        batch = maxBatch;
    else
        batch = std::min(maxBatch, served * L * W / denom);
    const double step = decodeStepSeconds(model, hw, batch * kvPerSeq);
    inf.running = batch;
    inf.itlSec = step / (1 - fp);
    const double queueWait = inf.waiting / std::max(lambdaMax, 1e-9);
    // prefill waits behind other prefills (M/D/1)
    const double prefillWait = tp * fp / (2 * (1 - fp));
    inf.ttftSec = queueWait + prefillWait + tp + step;
    inf.e2eSec = inf.ttftSec + L * inf.itlSec;
    inf.kvUsage = std::min(1.0, (batch * kvPerSeq + std::min(inf.waiting, 8.0) * model.kvBytesPerToken() * prefillTokens) / kvCap);
    // SM activity: prefill saturates the GPU; decode keeps it busier as the batch grows
    inf.gpuUtil = std::min(1.0, fp + (1 - fp) * std::min(1.0, 0.35 + batch / 64));
    inf.powerWatts = 120 + 580 * inf.gpuUtil;

    // per-ready-pod accumulators; histogram observations pooled for 5 ticks (the CDFs
    // are the expensive part)
    double *acc = inf.perPodAcc.data();
    const auto &tb = Histogram::ttftBuckets(), &ib = Histogram::itlBuckets(), &eb = Histogram::e2eBuckets();
    const double done = served * dt;
    const double counts[3] = {done, done * L, done};
    const double means[3] = {inf.ttftSec, inf.itlSec, inf.e2eSec};
    for (int k = 0; k < 3; ++k) {
        inf.pendingCount[k] += counts[k];
        inf.pendingWeighted[k] += counts[k] * means[k];
    }
    if (++inf.pendingTicks >= 5) {
        const std::vector<double> *bounds[3] = {&tb, &ib, &eb};
        const double sigmas[3] = {0.5, 0.15, 0.35};
        for (int k = 0; k < 3; ++k) {
            if (inf.pendingCount[k] > 0)
                addLognormalFlat(acc, *bounds[k], inf.pendingCount[k], inf.pendingWeighted[k] / inf.pendingCount[k], sigmas[k]);
            acc += bounds[k]->size() + 3;
            inf.pendingCount[k] = inf.pendingWeighted[k] = 0;
        }
        inf.pendingTicks = 0;
    } else {
        acc += tb.size() + ib.size() + eb.size() + 9;
    }
    const double preemptionRate = inf.kvUsage > 0.92 ? served * (inf.kvUsage - 0.92) * 2.5 : 0;
    acc[0] += preemptionRate * dt;
    acc[1] += done * kPromptTokens;
    acc[2] += done * L;
}

} // namespace opsdeck::sim
