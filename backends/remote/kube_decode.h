#pragma once
// Kubernetes API JSON -> sim inventory structs. Plain C++, no Qt (fuzzed alone).
namespace opsdeck::remote::kube {}
