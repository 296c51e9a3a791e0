// HttpClient against a misbehaving local server (127.0.0.1): status errors with the
// server's message, truncated bodies, retries, hangs, cancellation, streams that drop,
// TLS verification. Time only ever passes on the event loop; nothing sleeps.
#include "backends/remote/http_client.h"
#include "backends/remote/http_errors.h"
#include "fake_server.h"
#include "http_test_bodies.h"

#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace opsdeck;
using namespace opsdeck::remote;
using opsdeck::testing::await;
using opsdeck::testing::FakeRequest;
using opsdeck::testing::FakeServer;
using namespace std::chrono_literals;
using namespace http_bodies;

namespace {
HttpOptions fastOptions() {
    HttpOptions o;
    o.connectTimeout = 2000ms;
    o.totalTimeout = 5000ms;
    o.retryBaseDelay = 10ms;
    o.retryMaxDelay = 50ms;
    return o;
}
} // namespace

class TestHttpClient : public QObject {
    Q_OBJECT
private slots:
    void getReturnsBodyHeadersAndSendsBearerToken() {
        FakeServer server([](const FakeRequest &, QTcpSocket *s) {
            s->write(FakeServer::response(200, kVersion));
        });
        HttpOptions options = fastOptions();
        options.bearerToken = "s3cr3t-token-value";
        HttpClient http(options);
        auto result = await(http.get(server.url("/version").toStdString(),
                                     {{"Accept", "application/json"}}));
        QVERIFY2(result.ok(), result.ok() ? "" : result.error().c_str());
        QCOMPARE(result->status, 200);
        QCOMPARE(result->body, std::string(kVersion));
        QCOMPARE(result->header("CONTENT-TYPE"), std::string("application/json"));
        QCOMPARE(result->httpVersion, std::string("1.1"));
        QCOMPARE(server.requests.size(), std::size_t(1));
        QCOMPARE(server.requests[0].header("Authorization"), QByteArray("Bearer s3cr3t-token-value"));
        QCOMPARE(server.requests[0].header("Accept"), QByteArray("application/json"));
        QCOMPARE(http.inFlight(), 0);
    }

    void forbiddenShowsTheServersStatusMessage() {
        FakeServer server([](const FakeRequest &, QTcpSocket *s) {
            s->write(FakeServer::response(403, kForbidden));
        });
        HttpClient http(fastOptions());
        auto result = await(http.get(server.url("/api/v1/pods").toStdString()));
        QVERIFY(result.ok()); // an HTTP answer, not a transport failure
        QCOMPARE(result->status, 403);
        QVERIFY(!result->ok());
        const std::string summary = result->errorSummary();
        QVERIFY2(summary.starts_with("HTTP 403 Forbidden: pods is forbidden: User \"viewer\""),
                 summary.c_str());
        QCOMPARE(server.requests.size(), std::size_t(1)); // 403 is final, no retry
    }

    void unauthorizedPlainTextBodyIsExcerpted() {
        FakeServer server([](const FakeRequest &, QTcpSocket *s) {
            s->write(FakeServer::response(401, "Unauthorized\n", "text/plain"));
        });
        HttpClient http(fastOptions());
        auto result = await(http.get(server.url("/api").toStdString()));
        QVERIFY(result.ok());
        QCOMPARE(result->errorSummary(), std::string("HTTP 401 Unauthorized: Unauthorized"));
    }

    void truncatedBodyIsAnErrorAfterRetries() {
        FakeServer server([](const FakeRequest &, QTcpSocket *s) {
            s->write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"items\":[{\"a\"");
            s->disconnectFromHost();
        });
        HttpClient http(fastOptions());
        auto result = await(http.get(server.url("/api/v1/pods").toStdString()));
        QVERIFY(!result.ok());
        QVERIFY2(result.error().find("truncated") != std::string::npos, result.error().c_str());
        QVERIFY2(result.error().starts_with("GET http://127.0.0.1:"), result.error().c_str());
        QVERIFY2(result.error().find("after 3 attempts") != std::string::npos, result.error().c_str());
        QCOMPARE(server.requests.size(), std::size_t(3)); // 1 + maxRetries
    }

    void idempotentRequestRetriesADroppedConnection() {
        int seen = 0;
        FakeServer server([&seen](const FakeRequest &, QTcpSocket *s) {
            if (++seen == 1)
                s->abort(); // no answer at all
            else
                s->write(FakeServer::response(200, "{}"));
        });
        HttpClient http(fastOptions());
        auto result = await(http.get(server.url("/x").toStdString()));
        QVERIFY2(result.ok(), result.ok() ? "" : result.error().c_str());
        QCOMPARE(result->attempts, 2);
        QCOMPARE(seen, 2);
    }

    void serviceUnavailableIsRetriedThenReturned() {
        FakeServer server([](const FakeRequest &, QTcpSocket *s) {
            s->write(FakeServer::response(503, kPromError));
        });
        HttpClient http(fastOptions());
        auto result = await(http.get(server.url("/api/v1/query").toStdString()));
        QVERIFY(result.ok());
        QCOMPARE(result->status, 503);
        QCOMPARE(result->attempts, 3);
        QCOMPARE(result->errorSummary(), std::string("HTTP 503 Service Unavailable: shutting down"));
    }

    void postIsNotRetried() {
        FakeServer server([](const FakeRequest &, QTcpSocket *s) { s->abort(); });
        HttpClient http(fastOptions());
        HttpRequest request;
        request.method = "POST";
        request.url = server.url("/apis/x").toStdString();
        request.body = kPostBody;
        auto result = await(http.send(request));
        QVERIFY(!result.ok());
        QVERIFY2(result.error().find("without answering") != std::string::npos ||
                     result.error().find("dropped") != std::string::npos,
                 result.error().c_str());
        QCOMPARE(server.requests.size(), std::size_t(1));
        QCOMPARE(server.requests[0].body, QByteArray(kPostBody));
    }

    void hangingServerTimesOutWhileTheEventLoopKeepsTurning() {
        FakeServer server([](const FakeRequest &, QTcpSocket *) { /* never answers */ });
        HttpOptions options = fastOptions();
        options.totalTimeout = 400ms;
        options.maxRetries = 0;
        HttpClient http(options);
        int ticks = 0;
        QTimer heartbeat;
        QObject::connect(&heartbeat, &QTimer::timeout, [&ticks] { ++ticks; });
        heartbeat.start(10);
        QElapsedTimer clock;
        clock.start();
        auto result = await(http.get(server.url("/hang").toStdString()));
        QVERIFY(!result.ok());
        QVERIFY2(result.error().find("timed out") != std::string::npos, result.error().c_str());
        QVERIFY(clock.elapsed() >= 350);
        // The UI thread was free the whole time: the 10 ms heartbeat kept firing.
        QVERIFY2(ticks >= 15, qPrintable(QString::number(ticks)));
    }

    void cancelEndsAPendingRequest() {
        FakeServer server([](const FakeRequest &, QTcpSocket *) {});
        HttpClient http(fastOptions());
        HttpRequest request;
        request.url = server.url("/hang").toStdString();
        request.cancel = std::make_shared<CancelToken>();
        QObject::connect(&server, &QObject::destroyed, [] {});
        QTimer::singleShot(50, [token = request.cancel] { token->cancel(); });
        auto result = await(http.send(request));
        QVERIFY(!result.ok());
        QVERIFY2(result.error().ends_with(": cancelled"), result.error().c_str());
        QCOMPARE(http.inFlight(), 0);
    }

    void unreachableServerSaysSo() {
        quint16 port = 0;
        {
            QTcpServer probe;
            probe.listen(QHostAddress::LocalHost, 0);
            port = probe.serverPort();
        }
        HttpOptions options = fastOptions();
        options.maxRetries = 1;
        HttpClient http(options);
        auto result = await(http.get("http://127.0.0.1:" + std::to_string(port) + "/api"));
        QVERIFY(!result.ok());
        QVERIFY2(result.error().find("cannot connect") != std::string::npos, result.error().c_str());
    }

    void oversizedResponseIsRefused() {
        FakeServer server([](const FakeRequest &, QTcpSocket *s) {
            s->write(FakeServer::response(200, QByteArray(4 << 20, 'x')));
        });
        HttpOptions options = fastOptions();
        options.maxResponseBytes = 1 << 20;
        HttpClient http(options);
        auto result = await(http.get(server.url("/big").toStdString()));
        QVERIFY(!result.ok());
        QVERIFY2(result.error().find("larger than the 1 MiB limit") != std::string::npos,
                 result.error().c_str());
    }

    void streamEmitsEachCompleteLineThenEnds() {
        FakeServer server([](const FakeRequest &, QTcpSocket *s) {
            s->write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
            s->write(FakeServer::chunk("{\"type\":\"ADDED\"}\n{\"type\":"));
            s->flush();
            QPointer<QTcpSocket> socket(s);
            QTimer::singleShot(30, [socket] {
                if (!socket)
                    return;
                socket->write(FakeServer::chunk("\"MODIFIED\"}\r\n{\"type\":\"DELETED\"}\n"));
                socket->write("0\r\n\r\n");
            });
        });
        HttpClient http(fastOptions());
        HttpRequest request;
        request.url = server.url("/api/v1/pods?watch=1").toStdString();
        std::unique_ptr<LineStream> stream(http.stream(request));
        QSignalSpy lines(stream.get(), &LineStream::line);
        QSignalSpy headers(stream.get(), &LineStream::headersReceived);
        QSignalSpy finished(stream.get(), &LineStream::finished);
        QVERIFY(finished.wait(5000));
        QCOMPARE(headers.size(), 1);
        QCOMPARE(headers[0][0].toInt(), 200);
        QCOMPARE(lines.size(), 3);
        QCOMPARE(lines[0][0].toByteArray(), QByteArray("{\"type\":\"ADDED\"}"));
        QCOMPARE(lines[1][0].toByteArray(), QByteArray("{\"type\":\"MODIFIED\"}"));
        QCOMPARE(lines[2][0].toByteArray(), QByteArray("{\"type\":\"DELETED\"}"));
        QCOMPARE(finished[0][0].toBool(), true);
        QCOMPARE(http.inFlight(), 0);
    }

    void streamDroppedMidEventReportsAnError() {
        FakeServer server([](const FakeRequest &, QTcpSocket *s) {
            s->write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
            s->write(FakeServer::chunk("{\"type\":\"ADDED\"}\n{\"type\":\"MOD"));
            s->flush();
            QPointer<QTcpSocket> socket(s);
            QTimer::singleShot(30, [socket] {
                if (socket)
                    socket->abort();
            });
        });
        HttpClient http(fastOptions());
        HttpRequest request;
        request.url = server.url("/watch").toStdString();
        std::unique_ptr<LineStream> stream(http.stream(request));
        QSignalSpy lines(stream.get(), &LineStream::line);
        QSignalSpy finished(stream.get(), &LineStream::finished);
        QVERIFY(finished.wait(5000));
        QCOMPARE(lines.size(), 1);
        QCOMPARE(finished[0][0].toBool(), false);
        const QString error = finished[0][1].toString();
        QVERIFY2(error.startsWith("GET http://127.0.0.1:"), qPrintable(error));
    }

    void streamWithErrorStatusCarriesTheServersMessage() {
        FakeServer server([](const FakeRequest &, QTcpSocket *s) {
            s->write(FakeServer::response(
                410, kGone));
        });
        HttpClient http(fastOptions());
        HttpRequest request;
        request.url = server.url("/watch").toStdString();
        std::unique_ptr<LineStream> stream(http.stream(request));
        QSignalSpy lines(stream.get(), &LineStream::line);
        QSignalSpy finished(stream.get(), &LineStream::finished);
        QVERIFY(finished.wait(5000));
        QCOMPARE(lines.size(), 0);
        QCOMPARE(stream->status(), 410);
        const QString error = finished[0][1].toString();
        QVERIFY2(error.contains("HTTP 410 Gone: too old resource version: 1 (99)"), qPrintable(error));
    }

    void silentStreamEndsAtTheIdleTimeout() {
        FakeServer server([](const FakeRequest &, QTcpSocket *s) {
            s->write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
        });
        HttpClient http(fastOptions());
        HttpRequest request;
        request.url = server.url("/watch").toStdString();
        std::unique_ptr<LineStream> stream(http.stream(request, 200ms));
        QSignalSpy finished(stream.get(), &LineStream::finished);
        QVERIFY(finished.wait(5000));
        QCOMPARE(finished[0][0].toBool(), false);
        QVERIFY2(finished[0][1].toString().contains("idle timeout"), qPrintable(finished[0][1].toString()));
        QCOMPARE(http.inFlight(), 0);
    }

    void closingOrDeletingAStreamAbortsIt() {
        FakeServer server([](const FakeRequest &, QTcpSocket *s) {
            s->write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
            s->write(FakeServer::chunk("{}\n"));
        });
        HttpClient http(fastOptions());
        HttpRequest request;
        request.url = server.url("/watch").toStdString();
        std::unique_ptr<LineStream> stream(http.stream(request));
        QSignalSpy lines(stream.get(), &LineStream::line);
        QSignalSpy finished(stream.get(), &LineStream::finished);
        QVERIFY(lines.wait(5000));
        stream->close();
        QCOMPARE(finished.size(), 1);
        QCOMPARE(finished[0][1].toString(), QString("cancelled"));
        QCOMPARE(http.inFlight(), 0);
        std::unique_ptr<LineStream> second(http.stream(request));
        QSignalSpy secondLines(second.get(), &LineStream::line);
        QVERIFY(secondLines.wait(5000));
        QCOMPARE(http.inFlight(), 1);
        second.reset();
        QCOMPARE(http.inFlight(), 0);
    }

    void secretsAreRedacted() {
        HttpOptions options;
        options.bearerToken = "abcdef-token-123";
        options.tls.clientKeyPem = "-----BEGIN PRIVATE KEY-----\nMIIKEY\n-----END PRIVATE KEY-----\n";
        HttpClient http(options);
        const std::string leaked = "x abcdef-token-123 y YWJjZGVmLXRva2VuLTEyMw== z " +
                                   options.tls.clientKeyPem;
        const std::string clean = http.redact(leaked);
        QVERIFY(clean.find("abcdef-token-123") == std::string::npos);
        QVERIFY(clean.find("YWJjZGVmLXRva2VuLTEyMw==") == std::string::npos);
        QVERIFY(clean.find("MIIKEY") == std::string::npos);
        QVERIFY(clean.starts_with("x <redacted> y <redacted> z "));
        QCOMPARE(describeRequest("GET", "https://bob:pw@host:6443/api?x=1"),
                 std::string("GET https://host:6443/api?x=1"));
    }

    void tlsVerificationFailsWithoutTheCaAndSucceedsWithIt() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString cert = dir.filePath("cert.pem"), key = dir.filePath("key.pem");
        QProcess req;
        req.start("openssl", {"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                              "-nodes", "-keyout", key, "-out", cert, "-days", "1", "-subj",
                              "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"});
        QVERIFY(req.waitForFinished(30000));
        QCOMPARE(req.exitCode(), 0);
        quint16 port = 0;
        {
            QTcpServer probe;
            probe.listen(QHostAddress::LocalHost, 0);
            port = probe.serverPort();
        }
        QProcess server;
        server.start("openssl", {"s_server", "-accept", "127.0.0.1:" + QString::number(port),
                                 "-cert", cert, "-key", key, "-www", "-quiet"});
        QVERIFY(server.waitForStarted());
        auto cleanup = qScopeGuard([&server] {
            server.kill();
            server.waitForFinished();
        });
        // Ready when it accepts a TCP connection.
        QVERIFY(QTest::qWaitFor([port] {
            QTcpSocket probe;
            probe.connectToHost(QHostAddress::LocalHost, port);
            return probe.waitForConnected(200);
        }, 10000));
        const std::string url = "https://127.0.0.1:" + std::to_string(port) + "/";
        HttpOptions options = fastOptions();
        options.maxRetries = 0;
        {
            HttpClient http(options);
            auto result = await(http.get(url));
            QVERIFY(!result.ok());
            QVERIFY2(result.error().find("certificate is not trusted") != std::string::npos,
                     result.error().c_str());
        }
        {
            options.tls.caFile = cert.toStdString();
            HttpClient http(options);
            auto result = await(http.get(url));
            QVERIFY2(result.ok(), result.ok() ? "" : result.error().c_str());
            QCOMPARE(result->status, 200);
        }
        {
            QFile pem(cert);
            QVERIFY(pem.open(QIODevice::ReadOnly));
            options.tls.caFile.clear();
            options.tls.caPem = pem.readAll().toStdString(); // certificate-authority-data
            HttpClient http(options);
            auto result = await(http.get(url));
            QVERIFY2(result.ok(), result.ok() ? "" : result.error().c_str());
        }
        {
            options.tls.caPem.clear();
            options.tls.verifyPeer = false; // insecure-skip-tls-verify
            HttpClient http(options);
            auto result = await(http.get(url));
            QVERIFY2(result.ok(), result.ok() ? "" : result.error().c_str());
        }
    }
};

QTEST_GUILESS_MAIN(TestHttpClient)
#include "tst_http_client.moc"
