#include "action_confirm_dialog_preview.h"

#include "widgets_tr.h"

#include <QDateTime>

#include <algorithm>
#include <cmath>

namespace opsdeck::widgets {

namespace {
constexpr const char *kMainNamespace = "chatgpt-agent";
constexpr const char *kCanaryNamespace = "chatgpt-agent-canary";
constexpr const char *kOrchestrator = "agent-orchestrator";

QString q(const std::string &s) { return QString::fromStdString(s); }

std::string param(const sim::ActionSpec &spec, const std::string &key, const std::string &fallback = {})
{
    const auto it = spec.params.find(key);
    return it == spec.params.end() ? fallback : it->second;
}

// The region an action lands in: the one it names, else the one taking traffic (as the
// simulator does), else the primary.
std::string regionOf(const sim::ActionSpec &spec, const backends::ClusterSnapshot *snap)
{
    if (const std::string r = param(spec, "region"); !r.empty() && spec.kind != sim::ActionKind::Failover)
        return r;
    if (snap && !snap->health.activeRegion.empty())
        return snap->health.activeRegion;
    if (snap && snap->inventory)
        for (const auto &r : snap->inventory->regions)
            if (r.primary)
                return r.name;
    return {};
}

const sim::Deployment *findDeployment(const sim::Inventory *inv, const std::string &region, const std::string &ns,
                                      const std::string &name)
{
    if (!inv)
        return nullptr;
    for (const auto &d : inv->deployments) {
        if (d.region != region || d.ns != ns)
            continue;
        const auto app = d.labels.find("app");
        if (d.name == name || d.component == name || (app != d.labels.end() && app->second == name))
            return &d;
    }
    return nullptr;
}

QString imageOf(const sim::Deployment &d)
{
    return d.podTemplate.containers.empty() ? QString() : q(d.podTemplate.containers.front().image);
}

// "v2.15.0" means the deployment's repository at that tag; a full reference stays as is.
QString imageFor(const QString &current, const QString &value)
{
    if (value.contains(QLatin1Char(':')) || value.contains(QLatin1Char('/')))
        return value;
    const int colon = current.lastIndexOf(QLatin1Char(':'));
    return (colon < 0 ? current : current.left(colon)) + QLatin1Char(':') + value;
}

// The ReplicaSet `kubectl rollout undo` goes back to: the newest older revision, or the
// one asked for with to-revision.
const sim::ReplicaSet *previousRevision(const sim::Inventory &inv, const sim::Deployment &d, const std::string &to)
{
    const sim::ReplicaSet *best = nullptr;
    for (const auto &rs : inv.replicaSets) {
        if (rs.deployment != d.name || rs.ns != d.ns || rs.revision >= d.revision)
            continue;
        if (!to.empty()) {
            if (std::to_string(rs.revision) == to)
                best = &rs;
        } else if (!best || rs.revision > best->revision) {
            best = &rs;
        }
    }
    return best;
}

// `kubectl rollout history` in one line, newest first, marking what runs now and what the
// undo goes back to: the operator sees the history before confirming.
QString revisionHistory(const sim::Inventory &inv, const sim::Deployment &d, const sim::ReplicaSet &target)
{
    std::vector<const sim::ReplicaSet *> revisions;
    for (const auto &rs : inv.replicaSets)
        if (rs.deployment == d.name && rs.ns == d.ns && (rs.region.empty() || rs.region == d.region))
            revisions.push_back(&rs);
    std::sort(revisions.begin(), revisions.end(),
              [](const sim::ReplicaSet *a, const sim::ReplicaSet *b) { return a->revision > b->revision; });
    QStringList parts;
    for (const sim::ReplicaSet *rs : revisions) {
        if (parts.size() == 5) {
            parts << QStringLiteral("…");
            break;
        }
        const QString image = rs->podTemplate.containers.empty()
                                  ? QStringLiteral("?")
                                  : q(rs->podTemplate.containers.front().image).section(QLatin1Char(':'), -1);
        QString part = QStringLiteral("%1 %2").arg(rs->revision).arg(image);
        if (rs->revision == d.revision)
            part += Tr::tr(" (current)");
        else if (rs == &target)
            part += Tr::tr(" (undo target)");
        parts << part;
    }
    //: Rollback confirmation: the deployment's revisions, newest first
    return Tr::tr("Revision history: %1").arg(parts.join(QStringLiteral(" · ")));
}

QString firstReadyOrchestratorPod(const sim::Inventory *inv, const std::string &region)
{
    if (inv)
        for (const auto &p : inv->pods)
            if (p.deployment == kOrchestrator && p.ns == kMainNamespace && p.region == region && p.ready)
                return q(p.name);
    return QStringLiteral("orchestrator-pod");
}

QString appLabel(const sim::Deployment &d)
{
    const auto it = d.labels.find("app");
    return it == d.labels.end() ? q(d.name) : q(it->second);
}

QString inRegion(const sim::Deployment &d) { return Tr::tr("%1 in %2").arg(q(d.name), q(d.region)); }
} // namespace

bool isDestructive(const sim::ActionSpec &spec)
{
    switch (spec.kind) {
    case sim::ActionKind::Failover:
    case sim::ActionKind::Restore:
    case sim::ActionKind::IsolateResources:
        return true;
    case sim::ActionKind::Scale:
        return param(spec, "replicas") == "0";
    default:
        return false;
    }
}

QString describeAction(const sim::ActionSpec &spec)
{
    QString text = q(sim::actionName(spec.kind));
    if (!spec.target.empty())
        text += QLatin1Char(' ') + q(spec.target);
    QStringList extras;
    for (const auto &[key, value] : spec.params) {
        if (key == "replicas")
            extras << QStringLiteral("→ %1").arg(q(value));
        else
            extras << q(key) + QLatin1Char('=') + q(value);
    }
    if (!extras.isEmpty())
        text += QLatin1Char(' ') + extras.join(QLatin1Char(' '));
    return text;
}

ActionPreview previewAction(const sim::ActionSpec &spec, const backends::ClusterSnapshot *snap)
{
    ActionPreview p;
    p.destructive = isDestructive(spec);
    const sim::Inventory *inv = snap && snap->inventory ? snap->inventory.get() : nullptr;
    const std::string region = regionOf(spec, snap);
    const std::string ns = param(spec, "namespace", kMainNamespace);
    const std::string target = spec.target;
    auto deployment = [&](const char *fallback) {
        return findDeployment(inv, region, ns, target.empty() ? fallback : target);
    };
    auto noDeployment = [&](const char *fallback) {
        p.warning = Tr::tr("No deployment '%1' in namespace %2 (%3): the action will fail.")
                        .arg(q(target.empty() ? fallback : target), q(ns), q(region));
    };
    const QString nsText = q(ns);

    switch (spec.kind) {
    case sim::ActionKind::Rollback: {
        const sim::Deployment *d = deployment(kOrchestrator);
        const QString name = q(target.empty() ? kOrchestrator : target);
        p.title = Tr::tr("Roll back %1").arg(name);
        const std::string to = param(spec, "to-revision");
        p.kubectl = QStringLiteral("kubectl rollout undo deployment/%1 -n %2").arg(name, nsText) +
                    (to.empty() ? QString() : QStringLiteral(" --to-revision=%1").arg(q(to)));
        if (!d) {
            noDeployment(kOrchestrator);
            break;
        }
        const sim::ReplicaSet *prev = previousRevision(*inv, *d, to);
        if (!prev || prev->podTemplate.containers.empty()) {
            p.warning = Tr::tr("deployment/%1 has no previous revision to go back to: the action will fail.").arg(name);
            break;
        }
        p.changes << Tr::tr("%1: rollout undo, image %2 → %3 (revision %4 → %5)")
                         .arg(inRegion(*d), imageOf(*d), q(prev->podTemplate.containers.front().image))
                         .arg(d->revision)
                         .arg(prev->revision);
        p.changes << Tr::tr("%1 pods are replaced one by one (rolling update)").arg(d->replicas);
        p.changes << revisionHistory(*inv, *d, *prev);
        break;
    }
    case sim::ActionKind::Scale: {
        const sim::Deployment *d = deployment(kOrchestrator);
        const QString name = q(target.empty() ? kOrchestrator : target);
        const QString replicas = q(param(spec, "replicas"));
        p.title = Tr::tr("Scale %1").arg(name);
        p.confirmName = name;
        p.kubectl = QStringLiteral("kubectl scale deployment/%1 --replicas=%2 -n %3").arg(name, replicas, nsText);
        if (replicas.isEmpty()) {
            p.warning = Tr::tr("No replica count given: the action will fail.");
            break;
        }
        if (!d) {
            noDeployment(kOrchestrator);
            break;
        }
        p.changes << Tr::tr("%1: replicas %2 → %3").arg(inRegion(*d)).arg(d->replicas).arg(replicas);
        if (replicas == QLatin1String("0"))
            p.warning = Tr::tr("Scaling to 0 stops every %1 pod: the service goes down.").arg(name);
        else if (d->name == kOrchestrator && ns == kMainNamespace)
            p.changes << Tr::tr("the HPA agent-orchestrator-hpa keeps it within its min..max and re-evaluates every 15 s");
        break;
    }
    case sim::ActionKind::SetImage: {
        const sim::Deployment *d = deployment(kOrchestrator);
        const QString name = q(target.empty() ? kOrchestrator : target);
        p.title = Tr::tr("Deploy a new image to %1").arg(name);
        const QString value = q(param(spec, "image"));
        if (value.isEmpty()) {
            p.warning = Tr::tr("No image given: the action will fail.");
            break;
        }
        if (!d) {
            noDeployment(kOrchestrator);
            break;
        }
        const QString image = imageFor(imageOf(*d), value);
        const QString container = d->podTemplate.containers.empty() ? QString() : q(d->podTemplate.containers.front().name);
        p.kubectl = QStringLiteral("kubectl set image deployment/%1 %2=%3 -n %4").arg(q(d->name), container, image, nsText);
        p.changes << Tr::tr("%1: image %2 → %3 (new revision %4)").arg(inRegion(*d), imageOf(*d), image).arg(d->revision + 1);
        p.changes << Tr::tr("%1 pods are replaced one by one (rolling update)").arg(d->replicas);
        break;
    }
    case sim::ActionKind::Canary:
    case sim::ActionKind::ProgressiveRollout: {
        const sim::Deployment *main = findDeployment(inv, region, kMainNamespace, kOrchestrator);
        const bool progressive = spec.kind == sim::ActionKind::ProgressiveRollout;
        const QString value = q(param(spec, "image"));
        p.title = progressive ? Tr::tr("Progressive rollout of %1").arg(value) : Tr::tr("Canary deployment of %1").arg(value);
        if (!target.empty() && target != kOrchestrator && target != "orchestrator") {
            p.warning = Tr::tr("Canaries are run for agent-orchestrator only: the action will fail.");
            break;
        }
        if (value.isEmpty()) {
            p.warning = Tr::tr("No image given: the action will fail.");
            break;
        }
        if (!main) {
            noDeployment(kOrchestrator);
            break;
        }
        const QString image = imageFor(imageOf(*main), value);
        const QString cmd = QStringLiteral("kubectl set image deployment/agent-orchestrator orchestrator=%1 -n %2")
                                 .arg(image, QLatin1String(kCanaryNamespace));
        if (progressive) {
            p.kubectl = cmd + QStringLiteral(" && ./progressive_rollout.sh ") + image;
            p.changes << Tr::tr("canary agent-orchestrator in %1 (%2) runs %3").arg(QLatin1String(kCanaryNamespace), q(region), image);
            p.changes << Tr::tr("traffic to the canary: 5 % → 25 % → 50 % → 100 % (5 min per stage, 10 min at 100 %)");
            p.changes << Tr::tr("health checks every 30 s; automatic rollback if error ratio > 5 % or p99 > 2 s");
            p.changes << Tr::tr("when all stages pass: deployment/agent-orchestrator image %1 → %2").arg(imageOf(*main), image);
            break;
        }
        const int pct = std::clamp(std::atoi(param(spec, "percent", "5").c_str()), 0, 100);
        if (pct == 0) {
            p.kubectl = QStringLiteral("kubectl scale deployment/agent-orchestrator --replicas=0 -n %1").arg(QLatin1String(kCanaryNamespace));
            p.changes << Tr::tr("canary removed from traffic (scaled to 0)");
            break;
        }
        const int replicas = std::max(1, static_cast<int>(std::ceil(main->replicas * pct / 100.0)));
        p.kubectl = cmd + QStringLiteral(" && kubectl patch virtualservice agent-routing -n istio-system --type merge (weight %1)").arg(pct);
        p.changes << Tr::tr("canary agent-orchestrator in %1 (%2): image %3, %4 replicas")
                         .arg(QLatin1String(kCanaryNamespace), q(region), image)
                         .arg(replicas);
        p.changes << Tr::tr("traffic: %1 % to the canary, %2 % stays on %3").arg(pct).arg(100 - pct).arg(imageOf(*main));
        break;
    }
    case sim::ActionKind::Failover: {
        p.title = Tr::tr("Regional failover");
        std::string to = param(spec, "region", target);
        const std::string from = snap ? snap->health.activeRegion : std::string();
        if (to.empty() && inv)
            for (const auto &r : inv->regions)
                if (r.name != from && r.healthy) {
                    to = r.name;
                    break;
                }
        if (to.empty()) {
            p.warning = Tr::tr("No healthy region to fail over to: the action will fail.");
            break;
        }
        p.confirmName = q(to);
        p.kubectl = QStringLiteral("aws route53 change-resource-record-sets --hosted-zone-id Z0AGENTAPI "
                                   "--change-batch file://failover-%1.json")
                        .arg(q(to));
        p.changes << Tr::tr("traffic: %1 → %2 (all of it)").arg(from.empty() ? Tr::tr("current region") : q(from), q(to));
        p.changes << Tr::tr("clients follow as DNS records expire (TTL 60 s, about 2 min)");
        if (inv)
            for (const auto &r : inv->regions)
                if (r.name == to && !r.healthy)
                    p.warning = Tr::tr("Region %1 is down: the action will fail.").arg(q(to));
        break;
    }
    case sim::ActionKind::SafetyMode:
    case sim::ActionKind::CircuitBreaker: {
        const bool on = param(spec, "enabled", "true") != "false";
        const bool safety = spec.kind == sim::ActionKind::SafetyMode;
        const QString script = QStringLiteral("%1_%2.sh").arg(on ? QStringLiteral("enable") : QStringLiteral("disable"),
                                                              safety ? QStringLiteral("safety_mode") : QStringLiteral("circuit_breakers"));
        p.kubectl = QStringLiteral("kubectl exec -it %1 -n chatgpt-agent -- ./%2").arg(firstReadyOrchestratorPod(inv, region), script);
        if (safety) {
            p.title = on ? Tr::tr("Enable safety mode") : Tr::tr("Disable safety mode");
            p.changes << (on ? Tr::tr("safety mode on: stricter prompt filters block injections")
                             : Tr::tr("safety mode off: normal filters, no load shedding"));
            if (on)
                p.changes << Tr::tr("30 % of free-tier load is shed until safety mode is turned off");
        } else {
            p.title = on ? Tr::tr("Arm circuit breakers") : Tr::tr("Disarm circuit breakers");
            p.changes << (on ? Tr::tr("calls to dependencies failing > 30 % fail fast; failing tools degrade tasks instead of failing them")
                             : Tr::tr("circuit breakers disarmed: every call waits for its dependency again"));
        }
        break;
    }
    case sim::ActionKind::DeleteFailedPods: {
        p.title = Tr::tr("Delete failed pods");
        const sim::Deployment *d = target.empty() ? nullptr : deployment("");
        if (!target.empty() && !d) {
            noDeployment("");
            break;
        }
        p.kubectl = QStringLiteral("kubectl delete pods -n %1 --field-selector status.phase=Failed").arg(nsText) +
                    (d ? QStringLiteral(" -l app=") + appLabel(*d) : QString());
        QStringList names;
        if (inv)
            for (const auto &pod : inv->pods)
                if (pod.region == region && pod.ns == ns && pod.phase == sim::PodPhase::Failed && (!d || pod.deployment == d->name))
                    names << q(pod.name);
        p.changes << (names.isEmpty() ? Tr::tr("no pods in phase Failed right now (nothing to delete)")
                                      : Tr::tr("%n pod(s) in phase Failed deleted in %1: %2", nullptr, int(names.size()))
                                            .arg(q(region), names.mid(0, 4).join(QStringLiteral(", ")) +
                                                                (names.size() > 4 ? QStringLiteral(", …") : QString())));
        break;
    }
    case sim::ActionKind::Restart: {
        const sim::Deployment *d = deployment(kOrchestrator);
        const QString name = q(target.empty() ? kOrchestrator : target);
        p.title = Tr::tr("Restart %1").arg(name);
        p.kubectl = QStringLiteral("kubectl rollout restart deployment/%1 -n %2").arg(name, nsText);
        if (!d) {
            noDeployment(kOrchestrator);
            break;
        }
        p.changes << Tr::tr("%1: all %2 pods replaced one by one (new revision %3), same image %4")
                         .arg(inRegion(*d))
                         .arg(d->replicas)
                         .arg(d->revision + 1)
                         .arg(imageOf(*d));
        break;
    }
    case sim::ActionKind::RotateCredentials:
        p.title = Tr::tr("Rotate credentials");
        p.kubectl = QStringLiteral("kubectl create secret generic agent-credentials -n chatgpt-agent --from-env-file=rotated.env "
                                   "--dry-run=client -o yaml | kubectl apply -f - && kubectl rollout restart "
                                   "deployment/agent-orchestrator deployment/tool-api-gateway -n chatgpt-agent");
        p.changes << Tr::tr("secret agent-credentials replaced; the old credentials stop working");
        p.changes << Tr::tr("agent-orchestrator and tool-api-gateway in %1 restart (rolling)").arg(q(region));
        break;
    case sim::ActionKind::Backup: {
        p.title = Tr::tr("Back up the state database");
        const QString id = snap ? QStringLiteral("state-db-") +
                                      QDateTime::fromMSecsSinceEpoch(snap->epochMs, Qt::UTC).toString(QStringLiteral("yyyyMMdd-HHmmss"))
                                : QStringLiteral("<backup-id>");
        p.kubectl = QStringLiteral("kubectl exec -n chatgpt-agent deploy/state-db -- pg_dump -d agent_state -Fc -f /backups/%1.dump").arg(id);
        p.changes << Tr::tr("new backup %1 of database agent_state (the service stays online)").arg(id);
        break;
    }
    case sim::ActionKind::Restore: {
        p.title = Tr::tr("Restore the state database");
        p.confirmName = QStringLiteral("state-db");
        const QString id = q(param(spec, "backup"));
        p.kubectl = QStringLiteral("kubectl exec -n chatgpt-agent deploy/state-db -- pg_restore --clean -d agent_state /backups/%1.dump")
                        .arg(id.isEmpty() ? QStringLiteral("<latest clean backup>") : id);
        p.changes << Tr::tr("state-db offline for about 8 min while it is restored from %1")
                         .arg(id.isEmpty() ? Tr::tr("the latest clean backup") : id);
        p.changes << Tr::tr("everything written since that backup is lost (RPO 5 min)");
        break;
    }
    case sim::ActionKind::IsolateResources: {
        const sim::Deployment *d = deployment("virtual-computer");
        const QString name = q(target.empty() ? "virtual-computer" : target);
        p.title = Tr::tr("Isolate %1").arg(name);
        p.confirmName = name;
        if (!d) {
            noDeployment("virtual-computer");
            break;
        }
        const QString app = appLabel(*d);
        p.kubectl = QStringLiteral("kubectl label pods -n %1 -l app=%2 quarantine=true && kubectl apply -n %1 -f deny-egress-quarantine.yaml")
                        .arg(nsText, app);
        p.changes << Tr::tr("%1: %2 pods with app=%3 quarantined").arg(inRegion(*d)).arg(d->readyReplicas).arg(app);
        p.changes << Tr::tr("their egress is denied except to the orchestrator");
        break;
    }
    case sim::ActionKind::UpdatePromptFilters:
        p.title = Tr::tr("Update prompt filters");
        p.kubectl = QStringLiteral("kubectl create configmap prompt-filters -n chatgpt-agent --from-file=filters.yaml --dry-run=client "
                                   "-o yaml | kubectl apply -f - && kubectl rollout restart deployment/safety-filter -n chatgpt-agent");
        p.changes << Tr::tr("configmap prompt-filters replaced with the new injection patterns");
        p.changes << Tr::tr("safety-filter pods in %1 reload them (effective in about 1 min)").arg(q(region));
        break;
    case sim::ActionKind::IncreaseDbPool: {
        p.title = Tr::tr("Increase the DB connection pool");
        const QString size = q(param(spec, "size"));
        p.kubectl = QStringLiteral("kubectl patch configmap pgbouncer-config -n chatgpt-agent --type merge -p "
                                   "'{\"data\":{\"max_db_connections\":\"%1\"}}'")
                        .arg(size.isEmpty() ? QStringLiteral("<2.5 × current>") : size);
        const QString from = q(param(spec, "current"));
        if (size.isEmpty())
            p.changes << Tr::tr("state-db connection pool in %1: 2.5 × its current size").arg(q(region));
        else if (from.isEmpty())
            p.changes << Tr::tr("state-db connection pool in %1: → %2 connections").arg(q(region), size);
        else
            p.changes << Tr::tr("state-db connection pool in %1: %2 → %3 connections").arg(q(region), from, size);
        break;
    }
    }
    if (p.title.isEmpty())
        p.title = describeAction(spec);
    return p;
}

} // namespace opsdeck::widgets
