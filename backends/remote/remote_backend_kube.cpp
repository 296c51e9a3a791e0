#include "remote_backend_kube.h"

#include "component_map.h"
#include "kubeconfig.h"

namespace opsdeck::remote {

namespace {
const char *const kShutDown = "Kubernetes: the backend is shutting down";

std::string paramOr(const sim::ActionSpec &a, const char *name, const std::string &fallback = {})
{
    auto it = a.params.find(name);
    return it == a.params.end() || it->second.empty() ? fallback : it->second;
}

bool wholeNumber(const std::string &text)
{
    return !text.empty() && text.size() < 9 && text.find_first_not_of("0123456789") == std::string::npos;
}

// The messages the console shows; plain functions (GCC 12: no braced temporaries in coroutines).
std::string rolledBackMessage(const std::string &deployment, const RollbackDone &done)
{
    if (done.skipped)
        return "deployment.apps/" + deployment + ": " + done.message;
    const std::string image = done.images.empty() ? std::string() : " (image " + done.images.front() + ")";
    return "deployment.apps/" + deployment + " rolled back to revision " + std::to_string(done.revision) + image;
}
} // namespace

std::string kubectlEquivalent(const sim::ActionSpec &a, const std::string &ns)
{
    const std::string dep = "deployment/" + a.target + " -n " + ns;
    switch (a.kind) {
    case sim::ActionKind::Scale: return "kubectl scale " + dep + " --replicas=" + paramOr(a, "replicas");
    case sim::ActionKind::Rollback: {
        const std::string to = paramOr(a, "to-revision");
        return "kubectl rollout undo " + dep + (to.empty() ? "" : " --to-revision=" + to);
    }
    case sim::ActionKind::SetImage:
        return "kubectl set image " + dep + " " + paramOr(a, "container", "<container>") + "=" + paramOr(a, "image");
    case sim::ActionKind::Restart: return "kubectl rollout restart " + dep;
    case sim::ActionKind::DeleteFailedPods:
        return "kubectl delete pods -n " + ns + " --field-selector status.phase=Failed";
    default: return {};
    }
}

KubeSide::KubeSide(RemoteConfig config, std::optional<std::chrono::milliseconds> watchLiveness)
    : m_config(std::move(config)), m_watchLiveness(watchLiveness)
{
    m_contextName = m_config.context.toStdString();
}

KubeSide::~KubeSide() { shutdown(); }

void KubeSide::shutdown()
{
    *m_alive = false;
    m_client.reset();
}

std::string KubeSide::contextName() const { return m_contextName; }

bool KubeSide::insecureSkipTlsVerify() const { return m_insecure; }

Result<KubeClient *> KubeSide::ensureStarted()
{
    if (m_client)
        return m_client.get();
    if (!*m_alive)
        return Error{kShutDown};
    auto config = m_config.kubeconfigPath.isEmpty() ? loadDefaultKubeconfig()
                                                    : loadKubeconfigFiles({m_config.kubeconfigPath.toStdString()});
    if (!config)
        return Error{config.error()};
    auto resolved = resolveContext(*config, m_config.context.toStdString());
    if (!resolved)
        return Error{resolved.error()};
    KubeClient::Options options;
    options.reconnectMax = std::chrono::milliseconds(10'000); // an operator is watching: come back soon
    if (m_watchLiveness)
        options.watchLiveness = *m_watchLiveness;
    if (!m_config.componentMapPath.isEmpty()) {
        auto map = ComponentMap::load(m_config.componentMapPath.toStdString());
        if (!map)
            return Error{map.error()};
        options.componentMap = std::move(*map);
    }
    m_componentMapSummary = options.componentMap.summary();
    m_contextName = resolved->context;
    m_insecure = resolved->insecureSkipTlsVerify;
    m_client = std::make_unique<KubeClient>(std::make_shared<KubeCredentials>(*resolved), std::move(options));
    m_client->start();
    return m_client.get();
}

KubeSide::Target KubeSide::resolve(const sim::ActionSpec &action) const
{
    const std::string preferred = m_client ? m_client->context().ns : std::string();
    const std::string pinned = paramOr(action, "namespace");
    Target found;
    // A deployment of that name first, then one the component map gives that component;
    // in the pinned namespace, else the context's, else the first seen.
    const auto pick = [&](auto matches) {
        if (!m_client)
            return false;
        const auto inventory = m_client->inventory();
        for (const auto &d : inventory->deployments) {
            if (!matches(d) || (!pinned.empty() && d.ns != pinned))
                continue;
            if (found.deployment.empty() || d.ns == preferred)
                found = {d.ns, d.name};
            if (d.ns == preferred || !pinned.empty())
                break;
        }
        return !found.deployment.empty();
    };
    if (pick([&](const sim::Deployment &d) { return d.name == action.target; }) ||
        pick([&](const sim::Deployment &d) { return d.component == action.target; }))
        return found;
    const std::string ns = !pinned.empty() ? pinned : preferred.empty() ? "default" : preferred;
    return {ns, action.target};
}

namespace {
// What an action did, for the console: its message, and the kubectl line when the call
// knew more than the request (the image set image really sent).
struct Done {
    std::string message;
    std::string kubectl;
};

// One coroutine per action: the KubeClient call, its answer turned into the console's
// message. Server errors come back as errors (apply() shows them as a failed result).
QCoro::Task<Result<Done>> scaled(KubeClient *client, std::string ns, std::string name, int replicas)
{
    auto task = client->scale(ns, name, replicas);
    auto answer = co_await task;
    if (!answer)
        co_return Error{answer.error()};
    Done done;
    done.message = "deployment.apps/" + name + " scaled to " + std::to_string(replicas);
    co_return done;
}

QCoro::Task<Result<Done>> rolledBack(KubeClient *client, std::string ns, std::string name, int toRevision)
{
    auto task = client->rolloutUndo(ns, name, toRevision);
    auto answer = co_await task;
    if (!answer)
        co_return Error{answer.error()};
    Done done;
    done.message = rolledBackMessage(name, *answer);
    co_return done;
}

QCoro::Task<Result<Done>> imageSet(KubeClient *client, std::string ns, std::string name, std::string container,
                                   std::string image)
{
    auto task = client->setImage(ns, name, container, image);
    auto answer = co_await task;
    if (!answer)
        co_return Error{answer.error()};
    Done done;
    done.message = "deployment.apps/" + name + " image updated to " + answer->image;
    done.kubectl = "kubectl set image deployment/" + name + " " + answer->container + "=" + answer->image + " -n " + ns;
    co_return done;
}

QCoro::Task<Result<Done>> restarted(KubeClient *client, std::string ns, std::string name)
{
    auto task = client->rolloutRestart(ns, name);
    auto answer = co_await task;
    if (!answer)
        co_return Error{answer.error()};
    Done done;
    done.message = "deployment.apps/" + name + " restarted";
    co_return done;
}

QCoro::Task<Result<Done>> failedPodsDeleted(KubeClient *client, std::string ns)
{
    auto task = client->deletePods(ns, "status.phase=Failed");
    auto answer = co_await task;
    if (!answer)
        co_return Error{answer.error()};
    Done done;
    done.message = std::to_string(answer->size()) + " failed pod(s) deleted in " + ns;
    co_return done;
}

// Parameters checked before anything is sent; "" when fine.
std::string badParameters(const sim::ActionSpec &action)
{
    switch (action.kind) {
    case sim::ActionKind::Scale:
        if (const std::string n = paramOr(action, "replicas"); !wholeNumber(n))
            return "scale: replicas must be a whole number (e.g. replicas=20), got \"" + n + "\"";
        return {};
    case sim::ActionKind::Rollback:
        if (const std::string to = paramOr(action, "to-revision"); !to.empty() && !wholeNumber(to)) // 0: the previous one
            return "rollback: to-revision must be a revision number (e.g. to-revision=3), got \"" + to + "\"";
        return {};
    case sim::ActionKind::SetImage:
        return paramOr(action, "image").empty() ? "set-image: missing image (e.g. image=v2.15.0)" : std::string();
    case sim::ActionKind::Restart:
    case sim::ActionKind::DeleteFailedPods: return {};
    default: return std::string(sim::actionName(action.kind)) + ": not a Kubernetes action";
    }
}
} // namespace

QCoro::Task<Result<sim::ActionResult>> KubeSide::apply(sim::ActionSpec action)
{
    auto started = ensureStarted();
    if (!started) {
        Error error{started.error()};
        co_return error;
    }
    if (const std::string why = badParameters(action); !why.empty()) {
        Error error{why};
        co_return error;
    }
    KubeClient *client = *started;
    auto alive = m_alive;
    if (action.target.empty())
        action.target = "agent-orchestrator"; // the runbook's usual target, as in the simulation
    const Target target = resolve(action);
    action.target = target.deployment;
    const std::string ns = target.ns, name = target.deployment;
    const auto start = [&]() -> QCoro::Task<Result<Done>> {
        switch (action.kind) {
        case sim::ActionKind::Scale: return scaled(client, ns, name, std::stoi(paramOr(action, "replicas")));
        case sim::ActionKind::Rollback: return rolledBack(client, ns, name, std::atoi(paramOr(action, "to-revision", "0").c_str()));
        case sim::ActionKind::SetImage:
            return imageSet(client, ns, name, paramOr(action, "container"), paramOr(action, "image"));
        case sim::ActionKind::Restart: return restarted(client, ns, name);
        default: return failedPodsDeleted(client, ns); // badParameters() let only these through
        }
    };
    auto task = start();
    auto done = co_await task;
    if (!*alive) {
        Error error{kShutDown};
        co_return error;
    }
    sim::ActionResult result;
    result.ok = done.ok();
    result.message = done ? done->message : done.error();
    result.kubectl = done && !done->kubectl.empty() ? done->kubectl : kubectlEquivalent(action, ns);
    co_return result;
}

QCoro::Task<Result<std::string>> KubeSide::whyNotAllowed(sim::ActionSpec action)
{
    // The verb and resource each action needs, as `kubectl auth can-i` would ask them.
    std::string verb = "patch", group = "apps", resource = "deployments", subresource;
    switch (action.kind) {
    case sim::ActionKind::Scale: subresource = "scale"; break;
    case sim::ActionKind::Rollback:
    case sim::ActionKind::SetImage:
    case sim::ActionKind::Restart: break;
    case sim::ActionKind::DeleteFailedPods:
        verb = "delete";
        group.clear();
        resource = "pods";
        break;
    default: co_return std::string(); // not a Kubernetes call (apply() says why not)
    }
    auto started = ensureStarted();
    if (!started) {
        Error error{started.error()};
        co_return error;
    }
    if (action.target.empty())
        action.target = "agent-orchestrator";
    const Target target = resolve(action);
    const std::string name = resource == "deployments" ? target.deployment : std::string();
    auto task = (*started)->canI(verb, group, resource, target.ns, subresource, name);
    auto review = co_await task;
    if (!review) {
        Error error{review.error()};
        co_return error;
    }
    if (review->allowed)
        co_return std::string();
    const std::string what = "auth can-i " + verb + " " + resource + (subresource.empty() ? "" : "/" + subresource);
    co_return std::string(what + " -n " + target.ns + ": no (" + review->reason + ")");
}

} // namespace opsdeck::remote
