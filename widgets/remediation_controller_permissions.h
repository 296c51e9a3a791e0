#pragma once
// What the cluster lets the current user do, known before a button is clicked (issue 6:
// "before enabling a button, ask the API server whether the user may do it and disable it
// with the reason if not"). RemediationController owns one; the Actions view, the service
// map's context menu and the incident checklist read it.
//
// For each (action kind, target, namespace) a view shows, ClusterBackend::whyNotAllowed is
// asked once (a SelfSubjectAccessReview on a real cluster) and the answer cached. The
// answers are asked again when the backend's connection state changes and every minute,
// since RBAC can change under a running console. Nothing blocks: a question not answered
// yet leaves the button enabled (the confirmation asks again before Apply), and a
// question that failed (network) leaves it enabled too, saying so in the tooltip.
// (A different backend means a different RemediationController: File > Connect restarts
// OpsDeck, so a cache never mixes two clusters.)
#include "../backends/cluster_backend.h"

#include <QObject>
#include <QString>
#include <QTimer>

#include <chrono>
#include <map>
#include <string>
#include <tuple>

namespace opsdeck::widgets {

struct PermissionAnswer {
    enum class State {
        Unknown,    // not answered yet
        Allowed,
        Denied,     // the cluster said no: `reason` is its answer
        Unanswered, // asking failed (network, server error): `reason` says why
    };
    State state = State::Unknown;
    QString reason;

    // Only a definite "no" greys a button out.
    bool permits() const { return state != State::Denied; }
    // "Not allowed: ..." / "Could not ask the API server: ..." / "" (nothing to say).
    QString toolTip() const;
};

class ActionPermissions : public QObject {
    Q_OBJECT
public:
    static constexpr std::chrono::milliseconds kRefreshInterval{60'000};

    explicit ActionPermissions(backends::ClusterBackend *backend, QObject *parent = nullptr);

    // The answer known so far for `spec` (its kind, target and params["namespace"]). The
    // first call for a key asks the backend in the background and returns Unknown until
    // the answer arrives; answersChanged() says when it did.
    PermissionAnswer answerFor(const sim::ActionSpec &spec);
    // The least permissive answer over several actions that one button carries out
    // (a preset scales three deployments): any "no" wins, then a failure, then unknown.
    PermissionAnswer answerForAll(const std::vector<sim::ActionSpec> &specs);

    // Asks every question the UI has needed again (the timer, connection changes).
    void refresh();
    int questionsInFlight() const { return m_inFlight; }
    const QTimer *refreshTimer() const { return &m_refreshTimer; }

Q_SIGNALS:
    // Some answer changed (batched: at most once per event-loop turn).
    void answersChanged();

private:
    using Key = std::tuple<sim::ActionKind, std::string, std::string>; // kind, target, namespace
    struct Entry {
        PermissionAnswer answer;
        sim::ActionSpec spec;   // what was asked, to ask it again
        bool inFlight = false;
        // refresh() came while the question was in flight: ask again once it is answered
        // (one question per key at a time, however slow the server).
        bool askAgain = false;
    };

    void ask(const Key &key);
    void record(const Key &key, const Result<std::string> &why);
    void onConnectionStateChanged(backends::ConnectionState state);

    backends::ClusterBackend *m_backend;
    std::map<Key, Entry> m_entries;
    int m_inFlight = 0;
    backends::ConnectionState m_connection;
    QTimer m_refreshTimer;
    QTimer m_notify;            // coalesces answersChanged
};

} // namespace opsdeck::widgets
