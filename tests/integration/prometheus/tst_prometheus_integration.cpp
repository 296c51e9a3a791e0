// RemoteBackend against real components on 127.0.0.1: `opsdeck-sim serve` (Kubernetes API
// and /metrics), a real Prometheus scraping it every second with the runbook rules, a
// real Alertmanager. A bad deploy injected in the simulator must page through Prometheus
// and Alertmanager into RemoteBackend's snapshot; RemoteBackend's rollback (a kubectl-style
// JSON patch to the API server) must clear it. `opsdeck status` is run against the same
// setup, and Alertmanager is killed and restarted to see the rest keep working and the
// backend reconnect by itself. Every wait is bounded polling of observable state.
#include "integration_files.h"
#include "../../unit/remote_backend/await_task.h"

#include "backends/remote/http_client.h"
#include "backends/remote/remote_backend.h"

#include <QCoro/QCoroTask>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace opsdeck;
using namespace opsdeck::remote;
using backends::ConnectionState;

namespace {

quint16 freePort()
{
    QTcpServer server;
    server.listen(QHostAddress::LocalHost, 0);
    return server.serverPort();
}

struct Child {
    std::unique_ptr<QProcess> process = std::make_unique<QProcess>();
    ~Child() { stop(); }
    void stop()
    {
        if (process->state() != QProcess::NotRunning) {
            process->kill();
            process->waitForFinished(5000);
        }
    }
};

bool firing(const backends::SnapshotPtr &snap, const std::string &alertname)
{
    if (!snap || !snap->alerts)
        return false;
    for (const auto &q : *snap->alerts)
        if (!q.resolved && q.alert.labels.get("alertname") == alertname)
            return true;
    return false;
}

std::optional<telemetry::alerting::QueuedAlert> find(const backends::SnapshotPtr &snap, const std::string &alertname)
{
    if (snap && snap->alerts)
        for (const auto &q : *snap->alerts)
            if (q.alert.labels.get("alertname") == alertname)
                return q;
    return std::nullopt;
}

} // namespace

class TestPrometheusIntegration : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    quint16 m_simPort = 0, m_promPort = 0, m_amPort = 0;
    Child m_sim, m_prometheus, m_alertmanager;
    std::unique_ptr<RemoteBackend> m_backend;

    QString path(const QString &name) const { return m_dir.filePath(name); }

    void write(const QString &name, const QString &text)
    {
        QFile f(path(name));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(text.toUtf8());
    }

    void startAlertmanager()
    {
        m_alertmanager.process->setProcessChannelMode(QProcess::MergedChannels);
        m_alertmanager.process->setStandardOutputFile(path(QStringLiteral("alertmanager.log")), QIODevice::Append);
        m_alertmanager.process->start(QStringLiteral("prometheus-alertmanager"),
                                      {QStringLiteral("--config.file=") + path(QStringLiteral("alertmanager.yml")),
                                       QStringLiteral("--storage.path=") + path(QStringLiteral("am-data")),
                                       QStringLiteral("--web.listen-address=127.0.0.1:%1").arg(m_amPort),
                                       QStringLiteral("--cluster.listen-address=")});
        QVERIFY(m_alertmanager.process->waitForStarted(10000));
    }

    // Runs `opsdeck status` (through the probe binary) against the setup.
    QByteArray status(const QStringList &extra, int *exitCode)
    {
        QProcess probe;
        probe.start(QStringLiteral(OPSDECK_STATUS_PROBE),
                    QStringList{QStringLiteral("--kubeconfig"), path(QStringLiteral("kubeconfig")),
                                QStringLiteral("--context"), QStringLiteral("drill"), QStringLiteral("--prometheus"),
                                QStringLiteral("http://127.0.0.1:%1").arg(m_promPort), QStringLiteral("--alertmanager"),
                                QStringLiteral("http://127.0.0.1:%1").arg(m_amPort)}
                        + extra);
        if (!probe.waitForFinished(60000))
            probe.kill();
        *exitCode = probe.exitCode();
        return probe.readAllStandardOutput();
    }

private slots:
    void initTestCase()
    {
        // The real tools are the point of this test; .ci/install-deps installs all three,
        // so CI always runs it. Only a developer machine without the packages skips it.
        for (const char *tool : {"prometheus", "promtool", "prometheus-alertmanager"})
            if (QStandardPaths::findExecutable(QLatin1String(tool)).isEmpty())
                QSKIP(qPrintable(QStringLiteral("%1 is not installed").arg(QLatin1String(tool))));
        QVERIFY(m_dir.isValid());
        m_simPort = freePort();
        m_promPort = freePort();
        m_amPort = freePort();

        QFile rules(QStringLiteral(OPSDECK_SOURCE_DIR "/resources/rules/runbook.rules.yml"));
        QVERIFY(rules.open(QIODevice::ReadOnly));
        write(QStringLiteral("rules.yml"), integration::fastRunbookRules(QString::fromUtf8(rules.readAll())));
        write(QStringLiteral("prometheus.yml"), integration::prometheusYaml(m_simPort, m_amPort));
        write(QStringLiteral("alertmanager.yml"), integration::alertmanagerYaml());
        write(QStringLiteral("kubeconfig"), integration::kubeconfigYaml(m_simPort));

        QProcess promtool;
        promtool.start(QStringLiteral("promtool"), {QStringLiteral("check"), QStringLiteral("rules"), path(QStringLiteral("rules.yml"))});
        QVERIFY(promtool.waitForFinished(30000));
        QVERIFY2(promtool.exitCode() == 0, promtool.readAllStandardOutput().constData());

        m_sim.process->setProcessChannelMode(QProcess::MergedChannels);
        m_sim.process->start(QStringLiteral(OPSDECK_SIM_BINARY),
                             {QStringLiteral("serve"), QStringLiteral("--listen"),
                              QStringLiteral("127.0.0.1:%1").arg(m_simPort), QStringLiteral("--speed"), QStringLiteral("60")});
        QVERIFY(m_sim.process->waitForStarted(10000));
        QVERIFY2(QTest::qWaitFor([&] { return m_sim.process->readAll().contains("listening")
                                           || m_sim.process->state() == QProcess::NotRunning; }, 30000),
                 "opsdeck-sim serve did not say it was listening");
        QVERIFY(m_sim.process->state() == QProcess::Running);

        startAlertmanager();
        m_prometheus.process->setProcessChannelMode(QProcess::MergedChannels);
        m_prometheus.process->setStandardOutputFile(path(QStringLiteral("prometheus.log")));
        m_prometheus.process->start(QStringLiteral("prometheus"),
                                    {QStringLiteral("--config.file=") + path(QStringLiteral("prometheus.yml")),
                                     QStringLiteral("--storage.tsdb.path=") + path(QStringLiteral("prom-data")),
                                     QStringLiteral("--web.listen-address=127.0.0.1:%1").arg(m_promPort),
                                     QStringLiteral("--web.external-url=http://127.0.0.1:%1/").arg(m_promPort)});
        QVERIFY(m_prometheus.process->waitForStarted(10000));

        RemoteConfig config;
        config.kubeconfigPath = path(QStringLiteral("kubeconfig"));
        config.context = QStringLiteral("drill");
        config.prometheusUrl = QStringLiteral("http://127.0.0.1:%1").arg(m_promPort);
        config.alertmanagerUrl = QStringLiteral("http://127.0.0.1:%1").arg(m_amPort);
        config.refreshIntervalMs = 500;
        m_backend = std::make_unique<RemoteBackend>(config);
        m_backend->start();
    }

    void cleanupTestCase()
    {
        m_backend.reset();
        m_prometheus.stop();
        m_alertmanager.stop();
        m_sim.stop();
    }

    void attaches()
    {
        const auto connected = [&] {
            for (auto c : {RemoteComponent::Kubernetes, RemoteComponent::Prometheus, RemoteComponent::Alertmanager})
                if (m_backend->componentStatus(c).state != ConnectionState::Connected)
                    return false;
            return true;
        };
        QVERIFY2(QTest::qWaitFor(connected, 60000), qPrintable(m_backend->statusFacts().join(QStringLiteral("; "))));
        QCOMPARE(m_backend->connectionState(), ConnectionState::Connected);
        auto snap = m_backend->latestSnapshot();
        QVERIFY(snap->inventory);
        const auto &deps = snap->inventory->deployments;
        QVERIFY(std::any_of(deps.begin(), deps.end(), [](const sim::Deployment &d) { return d.name == "agent-orchestrator"; }));
        QVERIFY(!snap->inventory->pods.empty());
        // Metrics flow: Prometheus has scraped the simulator and the health numbers are live.
        QVERIFY2(QTest::qWaitFor([&] { return m_backend->latestSnapshot()->health.requestRatePerMin > 0; }, 60000),
                 qPrintable(m_backend->statusFacts().join(QStringLiteral("; "))));
        QVERIFY(m_backend->latestSnapshot()->health.successRate > 0.95);
        // A range query for a dashboard panel, answered by the real Prometheus.
        const std::int64_t now = m_backend->latestSnapshot()->epochMs;
        auto value = testing::awaitTask(m_backend->queryRange(QStringLiteral("sum(rate(agent_requests_total[20s]))"), now - 10'000, now, 1000));
        QVERIFY2(value.ok(), value.ok() ? "" : value.error().c_str());
        QCOMPARE(value->type, telemetry::promql::ValueType::Matrix);
        QVERIFY(!value->matrix.empty());
        auto badValue = testing::awaitTask(m_backend->queryInstant(QStringLiteral("rate(up[5m]"), now));
        QVERIFY(!badValue.ok());
        QVERIFY2(badValue.error().find("bad_data") != std::string::npos, badValue.error().c_str());
    }

    void badDeployPagesAndRollbackClearsIt()
    {
        QElapsedTimer clock;
        clock.start();
        HttpClient http;
        HttpRequest inject;
        inject.method = "POST";
        inject.url = "http://127.0.0.1:" + std::to_string(m_simPort) + "/opsdeck/v1/faults";
        inject.headers = {{"Content-Type", "application/json"}};
        inject.body = integration::badDeployFault();
        auto response = testing::awaitTask(http.send(inject));
        QVERIFY2(response.ok() && response->ok(), response.ok() ? response->body.c_str() : response.error().c_str());

        // Simulator -> Prometheus (rule, for: 5s) -> Alertmanager -> RemoteBackend snapshot.
        QVERIFY2(QTest::qWaitFor([&] { return firing(m_backend->latestSnapshot(), "AgentSuccessRateLow"); }, 120000),
                 qPrintable(m_backend->statusFacts().join(QStringLiteral("; "))));
        const qint64 pagedAfterMs = clock.elapsed();
        auto paged = find(m_backend->latestSnapshot(), "AgentSuccessRateLow");
        QCOMPARE(paged->severity, telemetry::alerting::Severity::P1);
        QVERIFY(paged->deadlineMs.has_value());
        QVERIFY(m_backend->latestSnapshot()->health.successRate < 0.95);
        qInfo("bad deploy paged after %lld ms", static_cast<long long>(pagedAfterMs));

        // `opsdeck status` shows the page and the breached key metric.
        int exitCode = -1;
        const QByteArray json = status({QStringLiteral("--json")}, &exitCode);
        QCOMPARE(exitCode, 0);
        const QJsonObject root = QJsonDocument::fromJson(json).object();
        QVERIFY2(!root.isEmpty(), json.constData());
        QVERIFY(root[QStringLiteral("inventory")].toObject()[QStringLiteral("deployments")].toInt() > 0);
        bool listed = false;
        for (const QJsonValue &a : root[QStringLiteral("firingAlerts")].toArray())
            listed |= a.toObject()[QStringLiteral("alertname")].toString() == QLatin1String("AgentSuccessRateLow");
        QVERIFY2(listed, json.constData());
        QVERIFY(root[QStringLiteral("keyMetrics")].toObject()[QStringLiteral("successRate")].toObject()[QStringLiteral("breach")].toBool());
        const QByteArray text = status({}, &exitCode);
        QCOMPARE(exitCode, 0);
        QVERIFY2(text.contains("AgentSuccessRateLow") && text.contains("BREACH (P1)") && text.contains("agent-orchestrator"),
                 text.constData());

        // Acknowledge (OpsDeck's own) and silence a noisy sibling (Alertmanager's).
        QVERIFY(testing::awaitTask(m_backend->acknowledge(paged->alert.fingerprint, QStringLiteral("alice"), QStringLiteral("on it"))).ok());
        QCOMPARE(find(m_backend->latestSnapshot(), "AgentSuccessRateLow")->ack->by, std::string("alice"));
        auto matcher = telemetry::alerting::Matcher::parse("alertname=\"HighErrorRate\"");
        QVERIFY(matcher.ok());
        auto silenceId = testing::awaitTask(m_backend->silence({*matcher}, 3'600'000, QStringLiteral("alice"), QStringLiteral("known: bad deploy")));
        QVERIFY2(silenceId.ok(), silenceId.ok() ? "" : silenceId.error().c_str());
        QVERIFY(!silenceId->empty());

        // Roll back through the API server, as kubectl rollout undo does.
        QSignalSpy actions(m_backend.get(), &backends::ClusterBackend::actionCompleted);
        auto rolled = testing::awaitTask(m_backend->apply({sim::ActionKind::Rollback, "agent-orchestrator", {}, "alice"}));
        QVERIFY2(rolled.ok(), rolled.ok() ? "" : rolled.error().c_str());
        QVERIFY2(rolled->ok, rolled->message.c_str());
        QCOMPARE(actions.size(), 1);
        qInfo("rollback: %s", rolled->message.c_str());

        QVERIFY2(QTest::qWaitFor([&] {
                     auto q = find(m_backend->latestSnapshot(), "AgentSuccessRateLow");
                     return q && q->resolved;
                 }, 150000),
                 "AgentSuccessRateLow did not resolve after the rollback");
        qInfo("paged -> resolved in %lld ms", static_cast<long long>(clock.elapsed() - pagedAfterMs));
        auto eventList = testing::awaitTask(m_backend->events(0));
        QVERIFY(eventList.ok());
        QVERIFY(std::any_of(eventList->begin(), eventList->end(),
                            [](const sim::SimEvent &e) { return e.kind == sim::SimEvent::Kind::Action; }));
    }

    void alertmanagerOutageLeavesTheRestWorkingAndReconnects()
    {
        m_alertmanager.stop();
        QVERIFY(QTest::qWaitFor([&] {
            return m_backend->componentStatus(RemoteComponent::Alertmanager).state == ConnectionState::Failed;
        }, 30000));
        QCOMPARE(m_backend->componentStatus(RemoteComponent::Kubernetes).state, ConnectionState::Connected);
        QCOMPARE(m_backend->componentStatus(RemoteComponent::Prometheus).state, ConnectionState::Connected);
        QCOMPARE(m_backend->connectionState(), ConnectionState::Connected);
        QVERIFY(m_backend->statusFacts().join(QLatin1Char('\n')).contains(QStringLiteral("Alertmanager unreachable, retrying")));
        int exitCode = -1;
        const QByteArray text = status({}, &exitCode);
        QCOMPARE(exitCode, 2);
        QVERIFY2(text.contains("Alertmanager did not answer") && text.contains("agent-orchestrator"), text.constData());

        m_alertmanager.process = std::make_unique<QProcess>();
        startAlertmanager();
        QVERIFY2(QTest::qWaitFor([&] {
                     return m_backend->componentStatus(RemoteComponent::Alertmanager).state == ConnectionState::Connected;
                 }, 60000),
                 qPrintable(m_backend->statusFacts().join(QStringLiteral("; "))));
    }
};

QTEST_GUILESS_MAIN(TestPrometheusIntegration)
#include "tst_prometheus_integration.moc"
