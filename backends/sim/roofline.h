#pragma once
// Roofline timing for GPU inference (one model-server pod = one 8-GPU node, tensor
// parallel across its GPUs). Prefill is compute-bound: 2·P·tokens FLOPs at a given model
// FLOPs utilisation. A decode step is memory-bandwidth-bound: every step streams the
// weights once plus the KV cache of every running sequence.
#include <cstdint>

namespace opsdeck::sim {

struct GpuSpec {
    double hbmBytes = 141e9;           // H200: 141 GB HBM3e
    double bandwidthBytesPerSec = 4.8e12;
    double denseBf16Flops = 989e12;    // dense BF16 tensor FLOP/s
};

struct ModelShape {
    double paramsBillions = 70;
    int layers = 80;                   // Llama-70B-like geometry, scaled for other sizes
    int kvHeads = 8;
    int headDim = 128;
    double bytesPerParam = 2;          // BF16
    double bytesPerKvElement = 2;

    double weightBytes() const { return paramsBillions * 1e9 * bytesPerParam; }
    // K and V, every layer, every KV head.
    double kvBytesPerToken() const { return 2.0 * layers * kvHeads * headDim * bytesPerKvElement; }
};

// A geometry for a dense model of the given size (layers grow with size, as in Llama).
ModelShape modelShapeFor(double paramsBillions);

struct InferenceHardware {
    GpuSpec gpu;
    int gpusPerPod = 8;
    double mfu = 0.5;                  // achieved fraction of peak FLOPs in prefill
    double bandwidthEfficiency = 0.8;  // achieved fraction of HBM bandwidth in decode
    double memoryUtilization = 0.9;    // vLLM gpu_memory_utilization
};

// Seconds to prefill `tokens` prompt tokens: 2·P·tokens / (gpus·FLOPs·MFU).
double prefillSeconds(const ModelShape &model, const InferenceHardware &hw, double tokens);
// Seconds for one decode step: (weights + KV bytes read) / (gpus·bandwidth·efficiency).
double decodeStepSeconds(const ModelShape &model, const InferenceHardware &hw,
                         double kvBytesRead);
// Bytes of KV cache a pod can hold after weights and activation headroom.
double kvCacheCapacityBytes(const ModelShape &model, const InferenceHardware &hw);

} // namespace opsdeck::sim
