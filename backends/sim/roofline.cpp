#include "roofline.h"

#include <algorithm>
#include <cmath>

namespace opsdeck::sim {

ModelShape modelShapeFor(double paramsBillions)
{
    ModelShape m;
    m.paramsBillions = paramsBillions;
    // 8B: 32 layers, 70B: 80 layers, 405B: 126 layers (Llama 3 family), log-interpolated.
    const double p = std::max(1.0, paramsBillions);
    m.layers = static_cast<int>(std::lround(std::clamp(32.0 + 48.0 * std::log(p / 8.0) / std::log(70.0 / 8.0), 16.0, 160.0)));
    m.kvHeads = 8;
    m.headDim = 128;
    return m;
}

double prefillSeconds(const ModelShape &model, const InferenceHardware &hw, double tokens)
{
    const double flops = 2.0 * model.paramsBillions * 1e9 * std::max(0.0, tokens);
    return flops / (hw.gpusPerPod * hw.gpu.denseBf16Flops * hw.mfu);
}

double decodeStepSeconds(const ModelShape &model, const InferenceHardware &hw, double kvBytesRead)
{
    const double bytes = model.weightBytes() + std::max(0.0, kvBytesRead);
    return bytes / (hw.gpusPerPod * hw.gpu.bandwidthBytesPerSec * hw.bandwidthEfficiency);
}

double kvCacheCapacityBytes(const ModelShape &model, const InferenceHardware &hw)
{
    const double usable = hw.gpusPerPod * hw.gpu.hbmBytes * hw.memoryUtilization;
    const double activations = 0.04 * hw.gpusPerPod * hw.gpu.hbmBytes;
    return std::max(0.0, usable - model.weightBytes() - activations);
}

} // namespace opsdeck::sim
