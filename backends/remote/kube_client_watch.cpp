// List + watch reflectors for the five kinds the console shows. Each kind runs one
// coroutine: list (paged) -> watch from the list's resourceVersion -> on a clean end
// re-watch, on a drop back off and re-watch, on 410 Gone (or an undecodable line) re-list.
// A watch silent for longer than Options::watchLiveness (no headers, no event, no
// bookmark) is cancelled and resumed at once from its resourceVersion; the kind counts as
// failing until the new watch brings an event or a bookmark (headers alone do not prove
// the stream flows: a hung server or a buffering proxy sends those too).
// Every coroutine holds `alive`; after each await it returns at once when the client is
// gone, so stop()/destruction never leaves work touching a dead object.
// (GCC 12: every awaited task is a named local; see docs/ARCHITECTURE.md.)
#include "kube_client.h"
#include "kube_client_internal.h"
#include "kube_decode.h"

#include <QCoro/QCoroSignal>
#include <QCoro/QCoroTimer>
#include <QRandomGenerator>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>

namespace opsdeck::remote {

using nlohmann::json;

namespace {
std::chrono::milliseconds backoff(const KubeClient::Options &o, int failures) {
    return std::min(o.reconnectMax, o.reconnectBase * (1 << std::min(failures, 10)));
}

// As client-go: bookmarks, and the server ends the watch after 5-10 min, at random so
// that many clients do not all come back at the same moment.
std::string watchQuery(const std::string &resourceVersion) {
    const int timeoutSeconds = 300 + int(QRandomGenerator::global()->bounded(300));
    return "?allowWatchBookmarks=true&resourceVersion=" + resourceVersion +
           "&timeoutSeconds=" + std::to_string(timeoutSeconds) + "&watch=true";
}

std::string seconds(std::chrono::milliseconds duration) { // "120 s", "0.3 s"
    char text[32];
    std::snprintf(text, sizeof text, "%g s", double(duration.count()) / 1000.0);
    return text;
}
} // namespace

std::string KubeClient::silenceMessage(const Kind *kind) const {
    const std::string request = describeRequest("GET", m_credentials->context().server + kind->path);
    const std::string url = request.substr(request.find(' ') + 1); // userinfo dropped
    return "watch " + kind->name + ": no data from " + url + " for " + seconds(m_options.watchLiveness) +
           "; reconnecting";
}

// The stream's headers and each line stamp kind->lastData; the timer looks when the window
// would end (not restarted per line: a busy watch brings thousands a second) and, when
// nothing came, closes the watch; runKind, resumed by finished(), reports it.
void KubeClient::armLiveness(Kind *kind, LineStream *stream) {
    kind->lastData = std::chrono::steady_clock::now();
    if (m_options.watchLiveness.count() <= 0)
        return;
    auto *timer = new QTimer(stream); // goes with the stream
    timer->setSingleShot(true);
    timer->setTimerType(Qt::PreciseTimer); // the message says how long it was silent
    connect(timer, &QTimer::timeout, this, [this, kind, stream, timer] {
        if (kind->stream != stream || stream->isFinished())
            return;
        const auto silent = std::chrono::steady_clock::now() - kind->lastData;
        if (silent < m_options.watchLiveness) {
            timer->start(std::chrono::ceil<std::chrono::milliseconds>(m_options.watchLiveness - silent));
            return;
        }
        kind->silenced = true;
        stream->close();
    });
    timer->start(m_options.watchLiveness);
}

QCoro::Task<void> KubeClient::runKind(Kind *kind, std::shared_ptr<bool> alive) {
    while (*alive) {
        if (kind->relist) {
            auto listTask = listKind(kind);
            auto listed = co_await listTask;
            if (!*alive)
                co_return;
            if (!listed && kind->id == KindId::Events &&
                (kind->lastListStatus == 403 || kind->lastListStatus == 404)) {
                // Events are nice to have: a user who may not list them still gets the
                // inventory, and the console says what is missing.
                m_eventsUnavailable = true;
                m_lastError = QString::fromStdString(listed.error());
                kind->listed = true;
                kind->relist = false;
                markChanged();
                noteState();
                co_return;
            }
            if (!listed) {
                setFailing(kind, true, listed.error());
                auto pause = QCoro::sleepFor(backoff(m_options, kind->failures++));
                co_await pause;
                continue;
            }
            kind->resourceVersion = *listed;
            kind->listed = true;
            kind->relist = false;
            kind->failures = 0;
            setFailing(kind, false);
            markChanged();
        }
        auto optionsTask = m_credentials->options();
        auto options = co_await optionsTask;
        if (!*alive)
            co_return;
        if (!options) {
            setFailing(kind, true, options.error());
            auto pause = QCoro::sleepFor(m_options.reconnectMax);
            co_await pause;
            continue;
        }
        m_http.setOptions(*options);
        HttpRequest watch;
        watch.url = m_credentials->context().server + kind->path + watchQuery(kind->resourceVersion);
        watch.headers = {{"Accept", "application/json"}};
        LineStream *stream = m_http.stream(watch);
        kind->stream = stream;
        kind->silenced = false;
        armLiveness(kind, stream);
        connect(stream, &LineStream::headersReceived, this, [this, kind, stream](int status) {
            if (kind->stream != stream)
                return;
            kind->lastData = std::chrono::steady_clock::now();
            if (status >= 200 && status < 300 && kind->failing && !kind->needsData)
                setFailing(kind, false); // (re)connected: the state shows it at once
        });
        connect(stream, &LineStream::line, this,
                [this, kind, stream](const QByteArray &line) {
                    if (kind->stream != stream)
                        return;
                    kind->lastData = std::chrono::steady_clock::now();
                    applyWatchLine(kind, line);
                    if (kind->failing && !kind->relist && kind->stream == stream)
                        setFailing(kind, false); // an event or a bookmark: data flows again
                });
        auto finishedTask = qCoro(stream, &LineStream::finished);
        const auto [ok, error] = co_await finishedTask;
        if (!*alive)
            co_return;
        const int status = stream->status();
        if (kind->stream == stream)
            kind->stream = nullptr;
        stream->deleteLater();
        if (std::exchange(kind->silenced, false)) {
            // Nothing lost: the next watch replays from the last resourceVersion (a 410
            // there lists again). No backoff: a dead stream already cost a whole window.
            kind->needsData = true;
            setFailing(kind, true, silenceMessage(kind));
            continue;
        }
        if (status == 410)
            kind->relist = true; // resourceVersion too old: start over from a list
        if (status == 401)
            m_credentials->invalidate();
        if (kind->relist) {
            ++m_relists;
            continue;
        }
        if (ok) {
            kind->failures = 0; // the server ended the watch (timeoutSeconds): resume
            continue;
        }
        // A dropped stream: back off, resume from the last resourceVersion; after a few
        // failures in a row, list again in case we missed more than a watch can replay.
        setFailing(kind, true, kind->name + " watch: " + error.toStdString());
        const int failures = ++kind->failures;
        if (failures >= 3)
            kind->relist = true;
        auto pause = QCoro::sleepFor(backoff(m_options, failures - 1));
        co_await pause;
    }
}

void KubeClient::applyWatchLine(Kind *kind, const QByteArray &line) {
    const auto started = std::chrono::steady_clock::now();
    struct AddElapsed {
        std::chrono::steady_clock::time_point started;
        std::chrono::nanoseconds &total;
        ~AddElapsed() { total += std::chrono::steady_clock::now() - started; }
    } addElapsed{started, m_applyTime};
    auto event = kube::decodeWatchEvent(std::string_view(line.constData(), std::size_t(line.size())));
    auto restart = [&](const std::string &why) {
        m_lastError = QString::fromStdString(kind->name + " watch: " + why);
        emit streamError(m_lastError);
        kind->relist = true;
        if (LineStream *stream = kind->stream)
            QMetaObject::invokeMethod(stream, &LineStream::close, Qt::QueuedConnection);
    };
    if (!event) {
        restart(event.error() + "; listing again");
        return;
    }
    if (event->type == kube::WatchType::Error) {
        const kube::Status &status = *event->status;
        restart("server ERROR " + std::to_string(status.code) + " " + status.reason + ": " +
                status.message + "; listing again");
        return;
    }
    if (!event->resourceVersion.empty())
        kind->resourceVersion = event->resourceVersion;
    if (event->type == kube::WatchType::Bookmark)
        return;
    const bool remove = event->type == kube::WatchType::Deleted;
    auto upsert = [&](auto decoded, auto &into) {
        if (!decoded) {
            restart(decoded.error() + "; listing again");
            return;
        }
        if (remove)
            into.erase(objectKey(*decoded));
        else
            store(m_options.componentMap, into, std::move(*decoded));
    };
    const json &object = *event->object;
    switch (kind->id) {
    case KindId::Deployments: upsert(kube::decodeDeployment(object), kind->deployments); break;
    case KindId::ReplicaSets: upsert(kube::decodeReplicaSet(object), kind->replicaSets); break;
    case KindId::Pods: upsert(kube::decodePod(object), kind->pods); break;
    case KindId::Nodes: upsert(kube::decodeNode(object), kind->nodes); break;
    case KindId::Events: {
        auto decoded = kube::decodeEvent(object);
        if (!decoded) {
            restart(decoded.error() + "; listing again");
            return;
        }
        if (!remove)
            m_events->add(std::move(*decoded), false);
        break;
    }
    }
    ++m_eventsApplied;
    markChanged();
}

} // namespace opsdeck::remote
