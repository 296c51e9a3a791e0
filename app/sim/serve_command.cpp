// `opsdeck-sim serve`: the simulated cluster, headless, over the real Kubernetes API
// (kubectl works against it verbatim) and /metrics (a real Prometheus scrapes it).
// Simulated time runs at --speed times the wall clock.
#include "commands.h"
#include "scenario_options.h"
#include "serve_http.h"

#include "backends/kubeapi/api.h"
#include "backends/telemetry/exposition.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QHostAddress>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QTimer>

#include <cmath>
#include <csignal>
#include <iostream>

namespace opsdeck::cli {

namespace {

constexpr int kClockMs = 100;            // wall-clock granularity of the simulation loop
constexpr std::int64_t kTickMs = 1000;   // the simulator steps in whole seconds
constexpr qint64 kBookmarkEveryMs = 60'000;

volatile std::sig_atomic_t g_stopRequested = 0;

// One open Kubernetes watch as an HTTP stream.
class WatchStream : public HttpStream {
public:
    WatchStream(kubeapi::KubeApi &api, kubeapi::WatchSpec spec) : m_api(api)
    {
        m_state.spec = std::move(spec);
        m_clock.start();
    }
    std::string poll() override
    {
        std::string out = m_api.pollWatch(m_state);
        if (m_state.spec.bookmarks && m_clock.elapsed() - m_lastBookmark >= kBookmarkEveryMs) {
            m_lastBookmark = m_clock.elapsed();
            out += m_api.bookmark(m_state);
        }
        return out;
    }
    bool done() const override
    {
        // A real API server ends watches after timeoutSeconds; clients then re-watch.
        return m_state.expired ||
               (m_state.spec.timeoutSeconds > 0 && m_clock.elapsed() >= m_state.spec.timeoutSeconds * 1000LL);
    }

private:
    kubeapi::KubeApi &m_api;
    kubeapi::WatchState m_state;
    QElapsedTimer m_clock;
    qint64 m_lastBookmark = 0;
};

struct ListenAddress {
    QHostAddress host;
    quint16 port = 0;
};

Result<ListenAddress> parseListen(const std::string &text)
{
    const std::size_t colon = text.rfind(':');
    if (colon == std::string::npos)
        return Error{"--listen: \"" + text + "\": expected HOST:PORT, e.g. 127.0.0.1:6443"};
    std::string host = text.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    const std::string portText = text.substr(colon + 1);
    char *end = nullptr;
    const long port = std::strtol(portText.c_str(), &end, 10);
    if (portText.empty() || *end || port < 0 || port > 65535)
        return Error{"--listen: \"" + text + "\": port \"" + portText + "\" is not a number from 0 to 65535"};
    ListenAddress address;
    address.port = static_cast<quint16>(port);
    if (host == "localhost")
        host = "127.0.0.1";
    if (!address.host.setAddress(QString::fromStdString(host)))
        return Error{"--listen: \"" + text + "\": \"" + host + "\" is not an IP address"};
    if (!address.host.isLoopback())
        return Error{"--listen: \"" + text + "\": refusing to listen on " + host +
                     ", which is not a loopback address: the simulated cluster is served on 127.0.0.1 (or ::1) only"};
    return address;
}

// --tls-cert-file / --tls-private-key-file (PEM), as kube-apiserver names them.
Result<QSslConfiguration> loadTls(const std::string &certPath, const std::string &keyPath)
{
    const QList<QSslCertificate> chain = QSslCertificate::fromPath(QString::fromStdString(certPath), QSsl::Pem);
    if (chain.isEmpty())
        return Error{"--tls-cert-file: \"" + certPath + "\": no PEM certificate could be read from it"};
    QFile keyFile(QString::fromStdString(keyPath));
    if (!keyFile.open(QIODevice::ReadOnly))
        return Error{"--tls-private-key-file: \"" + keyPath + "\": cannot open: " + keyFile.errorString().toStdString()};
    const QByteArray pem = keyFile.readAll();
    QSslKey key;
    for (QSsl::KeyAlgorithm algorithm : {QSsl::Rsa, QSsl::Ec, QSsl::Dsa}) {
        key = QSslKey(pem, algorithm, QSsl::Pem, QSsl::PrivateKey);
        if (!key.isNull())
            break;
    }
    if (key.isNull())
        return Error{"--tls-private-key-file: \"" + keyPath + "\": no unencrypted PEM private key (RSA, EC or DSA) in it"};
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setLocalCertificateChain(chain);
    tls.setPrivateKey(key);
    tls.setPeerVerifyMode(QSslSocket::VerifyNone); // no client certificates
    return tls;
}

HttpResponse toHttp(const kubeapi::Response &r)
{
    HttpResponse out;
    out.status = r.status;
    out.contentType = r.contentType;
    out.body = r.body;
    return out;
}

int serveMain(const std::vector<std::string> &argv)
{
    const Command command = serveCommand();
    Result<ParsedArgs> args = parseArgs(argv, command.options);
    if (!args)
        return usageError("serve", args.error());
    if (!args->positionals().empty())
        return usageError("serve", "unexpected argument '" + args->positionals().front() + "'");
    // Faults and actions given with @TIME may be scheduled up to a year ahead.
    Result<ScenarioOptions> options = scenarioFromArgs(*args, 365LL * 24 * 3600 * 1000);
    if (!options)
        return usageError("serve", options.error());
    Result<ListenAddress> listen = parseListen(args->value("--listen").value_or("127.0.0.1:6443"));
    if (!listen)
        return usageError("serve", listen.error());
    double speed = 1;
    if (const std::optional<std::string> s = args->value("--speed")) {
        char *end = nullptr;
        speed = std::strtod(s->c_str(), &end);
        if (s->empty() || *end || !std::isfinite(speed) || speed < 0 || speed > 10000)
            return usageError("serve", "--speed: \"" + *s + "\" is not a number from 0 (paused) to 10000");
    }
    kubeapi::Authorizer auth;
    if (const std::optional<std::string> file = args->value("--token-auth-file")) {
        Result<kubeapi::Authorizer> loaded = kubeapi::Authorizer::fromTokenFile(*file);
        if (!loaded)
            return usageError("serve", "--token-auth-file: " + loaded.error());
        auth = std::move(*loaded);
    }
    const std::optional<std::string> certFile = args->value("--tls-cert-file");
    const std::optional<std::string> keyFile = args->value("--tls-private-key-file");
    if (certFile.has_value() != keyFile.has_value())
        return usageError("serve", "--tls-cert-file and --tls-private-key-file go together");
    std::optional<QSslConfiguration> tls;
    if (certFile) {
        if (!QSslSocket::supportsSsl())
            return failure("serve: this Qt build has no TLS backend, so --tls-cert-file cannot be used");
        Result<QSslConfiguration> loaded = loadTls(*certFile, *keyFile);
        if (!loaded)
            return usageError("serve", loaded.error());
        tls = *loaded;
    }
    Result<std::unique_ptr<sim::Simulation>> built = buildSimulation(*options);
    if (!built)
        return usageError("serve", built.error());
    sim::Simulation &simulation = **built;

    int qtArgc = 1;
    char qtName[] = "opsdeck-sim";
    char *qtArgv[] = {qtName, nullptr};
    QCoreApplication app(qtArgc, qtArgv);
    // Only a flag in the handler (async-signal-safe); the clock below quits the loop.
    std::signal(SIGINT, [](int) { g_stopRequested = 1; });
    std::signal(SIGTERM, [](int) { g_stopRequested = 1; });

    kubeapi::KubeApi api(simulation, std::move(auth), speed);
    HttpServer server([&](const HttpRequest &http) -> HttpResponse {
        if (http.path == "/metrics" && (http.method == "GET" || http.method == "HEAD")) {
            // The same exposition `opsdeck-sim run --out` writes, without the per-block
            // timestamp: Prometheus stamps each scrape with its own (wall) time.
            HttpResponse r;
            r.contentType = std::string(telemetry::kExpositionContentType);
            telemetry::writeExposition(simulation.scrape(), r.body);
            return r;
        }
        kubeapi::Request request;
        request.method = http.method;
        request.path = http.path;
        request.query = http.query;
        request.accept = http.header("accept");
        request.contentType = http.header("content-type");
        request.body = http.body;
        const std::string authorization = http.header("authorization");
        if (authorization.rfind("Bearer ", 0) == 0)
            request.bearerToken = authorization.substr(7);
        kubeapi::Response response = api.handle(request);
        if (response.watch) {
            HttpResponse r;
            r.stream = std::make_shared<WatchStream>(api, std::move(*response.watch));
            return r;
        }
        return toHttp(response);
    }, tls ? &*tls : nullptr);
    std::string error;
    if (!server.listen(listen->host, listen->port, &error))
        return failure("serve: cannot listen on " + listen->host.toString().toStdString() + ":" +
                       std::to_string(listen->port) + ": " + error);

    const std::string url = std::string(tls ? "https://" : "http://") + (listen->host.protocol() == QAbstractSocket::IPv6Protocol
                                             ? "[" + listen->host.toString().toStdString() + "]"
                                             : listen->host.toString().toStdString()) +
                            ":" + std::to_string(server.port());
    std::cout << "opsdeck-sim serve: listening on " << url << " (Kubernetes API, /metrics, /opsdeck/v1/health)\n"
              << "  preset " << (options->config.preset == sim::Preset::Large ? "large" : "default") << ", seed "
              << options->config.seed << ", speed " << speed << "x, "
              << api.store().count(kubeapi::Res::Pods) << " pods, auth "
              << (api.authorizer().enabled() ? "token file (" + std::to_string(api.authorizer().userCount()) + " users)"
                                             : std::string("off (everyone may act)"))
              << std::endl;
    if (api.authorizer().enabled() && !tls)
        std::cerr << "opsdeck-sim serve: warning: kubectl sends bearer tokens only over https; give "
                     "--tls-cert-file and --tls-private-key-file for kubectl with --token-auth-file\n";

    // Simulated time follows the wall clock at --speed (changeable with PUT
    // /opsdeck/v1/speed), in whole simulated seconds.
    QElapsedTimer wall;
    wall.start();
    double owedMs = 0;
    qint64 lastWall = 0;
    QTimer clock;
    QObject::connect(&clock, &QTimer::timeout, [&] {
        if (g_stopRequested) {
            QCoreApplication::quit();
            return;
        }
        const qint64 nowWall = wall.elapsed();
        owedMs += static_cast<double>(nowWall - lastWall) * api.speed();
        lastWall = nowWall;
        const std::int64_t steps = static_cast<std::int64_t>(owedMs / kTickMs);
        if (steps > 0) {
            owedMs -= static_cast<double>(steps * kTickMs);
            api.advance(steps * kTickMs);
        }
        server.pumpStreams();
    });
    clock.start(kClockMs);
    return app.exec();
}

} // namespace

Command serveCommand()
{
    Command command;
    command.name = "serve";
    command.summary = "serve the simulated cluster over the Kubernetes API and /metrics";
    command.usage = "opsdeck-sim serve [--listen 127.0.0.1:PORT] [--token-auth-file FILE] "
                    "[--tls-cert-file FILE --tls-private-key-file FILE] [--speed N] [--seed N] [--preset NAME] "
                    "[--fault SPEC]... [--action SPEC]...";
    command.description =
        "Runs the simulated cluster headless, its simulated clock following the wall clock at --speed, and "
        "serves on one HTTP (with --tls-cert-file, HTTPS) port: the Kubernetes API that kubectl needs (discovery, get/list/watch with label "
        "and field selectors and server-side Tables, describe, rollout history/undo/status/restart, scale, set "
        "image, delete pods, logs, top, events, configmaps, persistent volumes, and the Istio VirtualService "
        "agent-routing in istio-system, whose canary weight starts or resizes the canary; 404/409/422 Status errors), "
        "/metrics in the Prometheus text exposition format (the scrape `run --out` writes, unauthenticated, "
        "without timestamps), and a control endpoint under /opsdeck/v1/. Changes made through the API are the "
        "simulator's operator actions: scale -> scale, rollout undo -> rollback, set image -> set-image, rollout "
        "restart -> restart, delete pod -> that pod's deletion; their effects show in the simulation and its "
        "metrics. The primary region's objects are in the runbook's namespaces (chatgpt-agent, "
        "chatgpt-agent-canary); other regions' in NAMESPACE-REGION (chatgpt-agent-us-west-2); every object has "
        "the label topology.kubernetes.io/region. Listens on loopback addresses only; port 0 picks a free port "
        "(printed on the first line of output). "
        "Control endpoint (JSON; mutating calls need group opsdeck:operators when --token-auth-file is given): "
        "GET /opsdeck/v1/health (simulated time, speed, pods, resourceVersion, success rate, services); "
        "POST /opsdeck/v1/faults {\"kind\":\"bad-deploy\",\"target\":\"\",\"params\":{}}; "
        "DELETE /opsdeck/v1/faults/KIND; POST /opsdeck/v1/actions {\"kind\":\"rollback\",\"target\":\"...\","
        "\"params\":{}}; POST /opsdeck/v1/advance {\"seconds\":N} (steps simulated time at once); "
        "PUT /opsdeck/v1/speed {\"speed\":N} (0 pauses).";
    command.options = {
        {"--listen", "HOST:PORT",
         "Address to serve on (default 127.0.0.1:6443). Loopback only (127.0.0.1, localhost, ::1); any other "
         "address is refused. Port 0 picks a free port."},
        {"--token-auth-file", "FILE",
         "Require bearer tokens, in kube-apiserver's --token-auth-file format: one line per user, "
         "token,user,uid,\"group1,group2\". Members of opsdeck:operators may change things; everyone else "
         "(e.g. opsdeck:viewers) may only read and gets 403 Forbidden on any change. A missing or unknown "
         "token gets 401. Without this option everyone may do everything."},
        {"--tls-cert-file", "FILE",
         "Serve HTTPS with this PEM certificate (chain), as kube-apiserver's option of that name. kubectl "
         "sends bearer tokens only over https, so use it together with --token-auth-file."},
        {"--tls-private-key-file", "FILE", "The certificate's unencrypted PEM private key (RSA or EC)."},
        {"--speed", "N",
         "Simulated seconds per wall-clock second (default 1; 0 pauses: time then moves only through POST "
         "/opsdeck/v1/advance)."},
        seedOption(),
        presetOption(),
        faultOption(),
        actionOption(),
    };
    command.examples =
        "  opsdeck-sim serve --listen 127.0.0.1:6443 --speed 10\n"
        "  opsdeck-sim serve --preset large --listen 127.0.0.1:0\n"
        "  opsdeck-sim serve --token-auth-file tokens.csv --tls-cert-file tls.crt --tls-private-key-file tls.key\n"
        "  opsdeck-sim serve --fault bad-deploy@10m\n"
        "  kubectl --server http://127.0.0.1:6443 get pods -n chatgpt-agent -l app=orchestrator\n"
        "  curl -X POST -d '{\"kind\":\"bad-deploy\"}' http://127.0.0.1:6443/opsdeck/v1/faults\n";
    command.listsFaultsAndActions = true;
    command.run = serveMain;
    return command;
}

} // namespace opsdeck::cli
