#pragma once
// Kubernetes API client for the console: keeps a live sim::Inventory of one cluster by
// list + watch (Deployments, ReplicaSets, Pods, Nodes, Events; resourceVersion, bookmarks,
// re-list on 410 Gone, reconnect with backoff when a stream drops), and performs the
// operator actions exactly as kubectl sends them (reference/kubectl.md):
//   scale          PATCH .../deployments/NAME/scale        merge-patch {"spec":{"replicas":N}}
//   rollout undo   GET deployment, LIST its ReplicaSets, JSON-patch /spec/template to the
//                  previous revision's template (pod-template-hash removed) + annotations
//   set image      PATCH ?fieldManager=kubectl-set          strategic-merge-patch
//   rollout restart PATCH ?fieldManager=kubectl-rollout     restartedAt annotation
//   delete pods    LIST ?fieldSelector=..., DELETE each     {"propagationPolicy":"Background"}
// canI() asks the server (SelfSubjectAccessReview) before a button is enabled.
// Server errors (403/404/409/422) come back with the server's Status message.
// Options::componentMap names each Deployment's and Pod's runbook component as it arrives.
// Options::watchLiveness ends a watch that has gone silent (see there).
#include "../sim/inventory.h"
#include "../telemetry/result.h"
#include "component_map.h"
#include "http_client.h"
#include "kubeconfig.h"

#include <QObject>
#include <QTimer>

#include <QCoro/QCoroTask>

#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace opsdeck::remote {

struct RevisionInfo {
    int revision = 0;
    std::string replicaSet;
    std::string changeCause;
    std::vector<std::string> images; // container images of that revision
};

// What `rollout undo` did: kubectl's line plus the revision and images it went back to.
struct RollbackDone {
    std::string message;             // "deployment.apps/x rolled back" (or "skipped rollback ...")
    int revision = 0;                // the revision whose template is now current
    std::vector<std::string> images; // that template's container images
    bool skipped = false;            // the template already was that revision's
};

// What `set image` changed.
struct ImageSet {
    std::string message;             // "deployment.apps/x image updated"
    std::string container;
    std::string image;               // the full reference sent
    std::string previousImage;
};

struct AccessReview {
    bool allowed = false;
    std::string reason;              // server's reason, e.g. RBAC: ... / "opsdeck:viewers may only read"
};

// The SelfSubjectAccessReview request body for `kubectl auth can-i`, and the answer read
// back from the server's response body; shared by KubeClient::canI and RemoteBackend.
std::string accessReviewBody(const std::string &verb, const std::string &group,
                             const std::string &resource, const std::string &ns,
                             const std::string &subresource = {}, const std::string &name = {});
Result<AccessReview> parseAccessReview(const std::string &what, const std::string &body);

// Watches ask for bookmarks (allowWatchBookmarks=true). A real API server then sends one
// about every minute on a quiet watch, and so does `opsdeck-sim serve` (every 60 s); a
// watch silent for two of those intervals is taken for dead.
inline constexpr std::chrono::milliseconds kBookmarkInterval{60'000};
inline constexpr std::chrono::milliseconds kDefaultWatchLiveness = 2 * kBookmarkInterval;

// "v2.15.0" replaces the tag of `current`; a value with ':' or '/' is a full reference.
std::string imageWithTag(const std::string &current, const std::string &value);

class KubeClient : public QObject {
    Q_OBJECT
public:
    struct Options {
        std::chrono::milliseconds reconnectBase{500};
        std::chrono::milliseconds reconnectMax{30000};
        int listPageSize = 0;        // limit= per list page; 0: one request per kind
        std::size_t eventMemory = 1000; // newest Kubernetes Events kept
        bool watchEvents = true;
        ComponentMap componentMap;   // runbook component of each Deployment and Pod
        // A watch that brought nothing (no event, no bookmark, not even its headers) for
        // this long is dead - a hung API server, a dropped NAT entry, a proxy that buffers
        // - though its connection is open: it is cancelled, streamError says so, and it is
        // resumed at once from its last resourceVersion. Data counts by whole lines (one
        // event each, at most a few MB). 0: never.
        std::chrono::milliseconds watchLiveness = kDefaultWatchLiveness;
    };

    // The credentials' HttpOptions are applied to each request (exec tokens refresh).
    KubeClient(std::shared_ptr<KubeCredentials> credentials, Options options, QObject *parent = nullptr);
    explicit KubeClient(std::shared_ptr<KubeCredentials> credentials, QObject *parent = nullptr)
        : KubeClient(std::move(credentials), Options{}, parent) {}
    ~KubeClient() override;

    // Lists every kind, then keeps watching. inventoryChanged() follows every change
    // (coalesced per event-loop turn); synced() once every kind has been listed.
    void start();
    void stop();
    bool synced() const;
    // Synced, and every list and watch is currently up (none is backing off after a
    // failure). stateChanged() follows synced(), healthy() and failing().
    bool healthy() const;
    bool failing() const;
    // The kinds ("pods", "events", ...) whose last list or watch failed, in start order.
    std::vector<std::string> failingKinds() const;
    std::shared_ptr<const sim::Inventory> inventory() const; // immutable copy, cached
    // The runbook component of each pod of inventory()'s snapshot, same order (the
    // component map's Pod rule, else the pod's deployment's component; may be empty).
    std::shared_ptr<const std::vector<std::string>> podComponents() const;
    std::vector<sim::KubeEvent> events() const;             // oldest first
    // Each Kubernetes Event once, in arrival order: those numbered after `sequence`
    // (0: from the start); *next is where the next call continues. A re-list after a
    // dropped watch does not bring back what was already handed out.
    std::vector<sim::KubeEvent> eventsAfter(std::uint64_t sequence, std::uint64_t *next) const;
    std::uint64_t watchEventsApplied() const { return m_eventsApplied; }
    std::uint64_t relists() const { return m_relists; }
    // Wall time spent decoding watch lines and merging them (the client's own cost per
    // event, as opposed to how fast the server produces events).
    std::chrono::nanoseconds watchApplyTime() const { return m_applyTime; }
    QString lastError() const { return m_lastError; }
    // Listing Events was refused (403/404): the inventory is complete without them.
    bool eventsUnavailable() const { return m_eventsUnavailable; }

    // One-shot: lists everything once (the `opsdeck status` path).
    QCoro::Task<Result<sim::Inventory>> listOnce();
    // Waits (at most `timeout`) until synced or failing; true if it got there.
    QCoro::Task<bool> waitUntilSettled(std::chrono::milliseconds timeout);

    QCoro::Task<Result<std::string>> scale(std::string ns, std::string deployment, int replicas);
    QCoro::Task<Result<std::vector<RevisionInfo>>> rolloutHistory(std::string ns, std::string deployment);
    // toRevision 0: the previous revision, as `kubectl rollout undo` without --to-revision.
    QCoro::Task<Result<RollbackDone>> rolloutUndo(std::string ns, std::string deployment, int toRevision = 0);
    // container "": the first one. image "v2.15.0" (no ':' or '/') keeps the repository
    // and replaces the tag.
    QCoro::Task<Result<ImageSet>> setImage(std::string ns, std::string deployment,
                                           std::string container, std::string image);
    QCoro::Task<Result<std::string>> rolloutRestart(std::string ns, std::string deployment);
    // Returns the names deleted. fieldSelector e.g. "status.phase=Failed".
    QCoro::Task<Result<std::vector<std::string>>> deletePods(std::string ns, std::string fieldSelector,
                                                             std::string labelSelector = {});
    // kubectl auth can-i VERB RESOURCE[/SUBRESOURCE] -n NS
    QCoro::Task<Result<AccessReview>> canI(std::string verb, std::string group, std::string resource,
                                           std::string ns, std::string subresource = {},
                                           std::string name = {});

    const ResolvedContext &context() const;

signals:
    void inventoryChanged();
    void syncedChanged(bool synced);
    void stateChanged();
    // A watch or list failed (it retries by itself); message says which kind and why.
    void streamError(const QString &message);

private:
    struct Kind;
    struct ListProgress;
    struct EventLog;
    Result<bool> absorbPage(Kind *kind, Kind &fresh, const std::string &body, ListProgress &progress);
    std::string commitList(Kind *kind, Kind &fresh, ListProgress &progress);
    std::string pagePath(const Kind *kind, const std::string &continueToken) const;
    QCoro::Task<Result<HttpResponse>> request(std::string method, std::string path,
                                              std::string body = {}, std::string contentType = {});
    QCoro::Task<void> runKind(Kind *kind, std::shared_ptr<bool> alive);
    QCoro::Task<Result<std::string>> listKind(Kind *kind);
    void applyWatchLine(Kind *kind, const QByteArray &line);
    void armLiveness(Kind *kind, LineStream *stream);
    std::string silenceMessage(const Kind *kind) const;
    void setFailing(Kind *kind, bool failing, const std::string &why = {});
    void noteState();
    void markChanged();
    void rebuild() const;

    std::shared_ptr<KubeCredentials> m_credentials;
    Options m_options;
    HttpClient m_http;
    std::vector<std::unique_ptr<Kind>> m_kinds;
    std::shared_ptr<bool> m_alive;                                     // the watch loops
    std::shared_ptr<bool> m_lifetime = std::make_shared<bool>(true);   // this object
    QTimer m_coalesce;
    mutable std::shared_ptr<const sim::Inventory> m_cache;
    mutable std::shared_ptr<const std::vector<std::string>> m_podComponentCache;
    std::unique_ptr<EventLog> m_events;
    std::uint64_t m_eventsApplied = 0;
    std::uint64_t m_relists = 0;
    std::chrono::nanoseconds m_applyTime{0};
    QString m_lastError;
    bool m_wasSynced = false;
    bool m_eventsUnavailable = false;
    int m_lastState = -1; // synced | healthy << 1 | failing << 2, for stateChanged()
};

} // namespace opsdeck::remote
