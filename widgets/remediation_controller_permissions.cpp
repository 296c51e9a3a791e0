#include "remediation_controller_permissions.h"

#include "widgets_tr.h"

#include <QCoro/QCoroTask>

namespace opsdeck::widgets {

QString PermissionAnswer::toolTip() const
{
    switch (state) {
    case State::Denied:
        //: Tooltip of a greyed-out action button; %1 is the API server's answer
        return Tr::tr("Not allowed: %1").arg(reason);
    case State::Unanswered:
        //: Tooltip of an action button whose permission check failed (the button stays enabled)
        return Tr::tr("Could not ask the API server: %1").arg(reason);
    case State::Unknown:
    case State::Allowed:
        break;
    }
    return {};
}

ActionPermissions::ActionPermissions(backends::ClusterBackend *backend, QObject *parent)
    : QObject(parent)
    , m_backend(backend)
    , m_connection(backend->connectionState())
{
    m_refreshTimer.setInterval(kRefreshInterval);
    connect(&m_refreshTimer, &QTimer::timeout, this, &ActionPermissions::refresh);
    m_refreshTimer.start();
    // Answers may arrive in bursts (a view asks for a dozen buttons at once, and the
    // simulation answers synchronously, from inside answerFor): views hear of them once,
    // later, never re-entrantly.
    m_notify.setSingleShot(true);
    m_notify.setInterval(0);
    connect(&m_notify, &QTimer::timeout, this, &ActionPermissions::answersChanged);
    connect(backend, &backends::ClusterBackend::connectionStateChanged, this,
            &ActionPermissions::onConnectionStateChanged);
}

PermissionAnswer ActionPermissions::answerFor(const sim::ActionSpec &spec)
{
    const auto ns = spec.params.find("namespace");
    Key key{spec.kind, spec.target, ns == spec.params.end() ? std::string() : ns->second};
    auto [it, inserted] = m_entries.try_emplace(key);
    if (inserted) {
        it->second.spec = spec;
        ask(key); // may answer at once (the simulation does)
    }
    return m_entries.at(key).answer;
}

PermissionAnswer ActionPermissions::answerForAll(const std::vector<sim::ActionSpec> &specs)
{
    auto rank = [](PermissionAnswer::State s) {
        switch (s) {
        case PermissionAnswer::State::Allowed: return 0;
        case PermissionAnswer::State::Unknown: return 1;
        case PermissionAnswer::State::Unanswered: return 2;
        case PermissionAnswer::State::Denied: return 3;
        }
        return 0;
    };
    PermissionAnswer worst{PermissionAnswer::State::Allowed, {}};
    QStringList reasons;
    for (const auto &spec : specs) {
        const PermissionAnswer answer = answerFor(spec);
        if (rank(answer.state) > rank(worst.state)) {
            worst = answer;
            reasons = QStringList{answer.reason};
        } else if (answer.state == worst.state && !answer.reason.isEmpty() && !reasons.contains(answer.reason)) {
            reasons << answer.reason;
        }
    }
    reasons.removeAll(QString());
    worst.reason = reasons.join(QLatin1Char('\n'));
    return worst;
}

void ActionPermissions::refresh()
{
    // Keys are never erased while asking, so iterating is safe even when an answer
    // comes back synchronously inside ask().
    for (auto &[key, entry] : m_entries) {
        if (entry.inFlight)
            entry.askAgain = true;
        else
            ask(key);
    }
}

void ActionPermissions::ask(const Key &key)
{
    Entry &entry = m_entries.at(key);
    entry.inFlight = true;
    ++m_inFlight;
    QCoro::connect(m_backend->whyNotAllowed(entry.spec), this,
                   [this, key](const Result<std::string> &why) { record(key, why); });
}

void ActionPermissions::record(const Key &key, const Result<std::string> &why)
{
    auto it = m_entries.find(key);
    if (it == m_entries.end())
        return;
    Entry &entry = it->second;
    entry.inFlight = false;
    --m_inFlight;
    PermissionAnswer answer;
    if (!why)
        answer = {PermissionAnswer::State::Unanswered, QString::fromStdString(why.error())};
    else if (why->empty())
        answer = {PermissionAnswer::State::Allowed, {}};
    else
        answer = {PermissionAnswer::State::Denied, QString::fromStdString(*why)};
    if (answer.state != entry.answer.state || answer.reason != entry.answer.reason) {
        entry.answer = answer;
        m_notify.start();
    }
    if (entry.askAgain) {
        entry.askAgain = false;
        ask(key);
    }
}

void ActionPermissions::onConnectionStateChanged(backends::ConnectionState state)
{
    // Reconnected, or now failing: the answers we hold may no longer be the server's.
    if (state == m_connection)
        return;
    m_connection = state;
    refresh();
}

} // namespace opsdeck::widgets
