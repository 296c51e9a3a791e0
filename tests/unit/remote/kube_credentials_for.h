#pragma once
// KubeClient credentials from a kubeconfig a test wrote (its current context); a file that
// does not load stops the test with the loader's message.
#include "backends/remote/kubeconfig.h"

#include <QString>

#include <memory>

namespace opsdeck::testing {

inline std::shared_ptr<remote::KubeCredentials> credentialsFor(const QString &kubeconfig)
{
    auto config = remote::loadKubeconfigFiles({kubeconfig.toStdString()});
    if (!config)
        qFatal("%s", config.error().c_str());
    auto context = remote::resolveContext(*config);
    if (!context)
        qFatal("%s", context.error().c_str());
    return std::make_shared<remote::KubeCredentials>(*context);
}

} // namespace opsdeck::testing
