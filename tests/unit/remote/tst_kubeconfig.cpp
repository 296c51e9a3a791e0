// kubeconfig loading as kubectl does it: merge precedence, context resolution, relative
// paths, *-data, errors that name file:line, context and field, exec credential plugins.
#include "backends/remote/kubeconfig.h"
#include "fake_server.h"
#include "kubeconfig_test_files.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace opsdeck;
using namespace opsdeck::remote;
using namespace kubeconfig_files;
using opsdeck::testing::await;

namespace {
QString write(const QTemporaryDir &dir, const QString &name, const char *text,
              bool executable = false) {
    const QString path = dir.filePath(name);
    QDir().mkpath(QFileInfo(path).path());
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        qFatal("cannot write %s", qPrintable(path));
    file.write(text);
    file.close();
    if (executable)
        file.setPermissions(file.permissions() | QFile::ExeOwner);
    return path;
}
#define VERIFY_ERROR_CONTAINS(result, text)                                                        \
    do {                                                                                           \
        const auto &r_ = (result);                                                                 \
        QVERIFY2(!r_.ok(), "expected an error");                                                   \
        QVERIFY2(r_.error().find(text) != std::string::npos, r_.error().c_str());                  \
    } while (0)
} // namespace

class TestKubeconfig : public QObject {
    Q_OBJECT
private slots:
    void kubeconfigEnvMergesFirstDefinitionWins() {
        QTemporaryDir dir;
        const QString first = write(dir, "first.yaml", kFirst);
        const QString second = write(dir, "second.yaml", kSecond);
        write(dir, "ca/first-ca.pem", "PEM");
        const std::string env = first.toStdString() + "::" + dir.filePath("missing").toStdString() +
                                ":" + second.toStdString();
        auto config = loadDefaultKubeconfig(env);
        QVERIFY2(config.ok(), config.ok() ? "" : config.error().c_str());
        QCOMPARE(config->files.size(), std::size_t(2)); // the missing entry is skipped
        QCOMPARE(config->currentContext, std::string("first"));
        QCOMPARE(config->clusters.at("shared").server, std::string("https://first.example:6443/"));
        QCOMPARE(config->users.at("alice").token, std::string("alice-token-0123456789"));
        QCOMPARE(config->contexts.at("first").cluster, std::string("shared")); // not "lab"
        QCOMPARE(config->contextNames(), (std::vector<std::string>{"exec", "first", "lab", "prod"}));

        auto resolved = resolveContext(*config);
        QVERIFY2(resolved.ok(), resolved.ok() ? "" : resolved.error().c_str());
        QCOMPARE(resolved->server, std::string("https://first.example:6443"));
        QCOMPARE(resolved->ns, std::string("chatgpt-agent"));
        QCOMPARE(resolved->http.bearerToken, std::string("alice-token-0123456789"));
        QVERIFY(resolved->http.tls.verifyPeer);
        // Relative to the file that named it.
        QCOMPARE(resolved->http.tls.caFile, dir.filePath("ca/first-ca.pem").toStdString());
    }

    void dataFieldsAndInsecureSkipVerify() {
        auto config = parseKubeconfig(kSecond, "/tmp/second.yaml");
        QVERIFY2(config.ok(), config.ok() ? "" : config.error().c_str());
        auto lab = resolveContext(*config, "lab");
        QVERIFY2(lab.ok(), lab.ok() ? "" : lab.error().c_str());
        QVERIFY(lab->insecureSkipTlsVerify);
        QVERIFY(!lab->http.tls.verifyPeer);
        QCOMPARE(lab->ns, std::string("default"));
        QCOMPARE(lab->http.tls.caPem, std::string("-----BEGIN CERTIFICATE-----\n"));
        QCOMPARE(lab->http.tls.clientCertPem, std::string("cert-pem"));
        QCOMPARE(lab->http.tls.clientKeyPem, std::string("key-pem"));
        QVERIFY(lab->http.bearerToken.empty());
    }

    void errorsNameFileContextAndField() {
        auto config = parseKubeconfig(kSecond, "/x/config");
        QVERIFY(config.ok());
        QCOMPARE(resolveContext(*config, "prod").error(),
                 std::string("kubeconfig /x/config: context \"prod\": user \"bob-missing\" not found"));
        VERIFY_ERROR_CONTAINS(resolveContext(*config, "staging"),
                              "kubeconfig /x/config: context \"staging\" not found (known: exec, first, lab, prod)");
        VERIFY_ERROR_CONTAINS(parseKubeconfig(kBadYaml, "/x/bad"), "kubeconfig /x/bad:");
        VERIFY_ERROR_CONTAINS(parseKubeconfig(kBadYaml, "/x/bad"), ": not valid YAML");
        VERIFY_ERROR_CONTAINS(parseKubeconfig(kClustersNotAList, "/x/c"), "kubeconfig /x/c:3:3: clusters: expected a list");
        VERIFY_ERROR_CONTAINS(parseKubeconfig(kBadBase64, "/x/b64"),
                              "kubeconfig /x/b64:4:22: users[0].user (\"carol\").client-key-data: not valid base64");
        VERIFY_ERROR_CONTAINS(parseKubeconfig(kBadExecVersion, "/x/e"),
                              "users[0].user (\"dave\").exec.apiVersion: expected client.authentication.k8s.io/v1 or v1beta1");
        VERIFY_ERROR_CONTAINS(parseKubeconfig(kBadBool, "/x/bool"),
                              "kubeconfig /x/bool:5:31: clusters[0].cluster (\"c\").insecure-skip-tls-verify: expected true or false");
        VERIFY_ERROR_CONTAINS(loadKubeconfigFiles({"/nonexistent/kubeconfig"}),
                              "kubeconfig /nonexistent/kubeconfig: cannot read");
        QTemporaryDir home;
        VERIFY_ERROR_CONTAINS(loadDefaultKubeconfig(std::string(), home.path().toStdString()),
                              "$KUBECONFIG is not set and " + home.path().toStdString() + "/.kube/config does not exist");
        VERIFY_ERROR_CONTAINS(loadDefaultKubeconfig(std::string("/nope/a:/nope/b")),
                              "none of the files in $KUBECONFIG exist");
        // The token never shows up in any message.
        auto first = parseKubeconfig(kFirst, "/x/first");
        QVERIFY(first.ok());
        auto missingCa = resolveContext(*first);
        QVERIFY(!missingCa.ok());
        QVERIFY(missingCa.error().find("alice-token") == std::string::npos);
        VERIFY_ERROR_CONTAINS(missingCa, "certificate-authority: /x/ca/first-ca.pem does not exist");
    }

    void homeKubeConfigIsTheDefault() {
        QTemporaryDir home;
        write(home, ".kube/config", kSecond);
        auto config = loadDefaultKubeconfig(std::string(), home.path().toStdString());
        QVERIFY2(config.ok(), config.ok() ? "" : config.error().c_str());
        QCOMPARE(config->currentContext, std::string("lab"));
    }

    void execPluginSuppliesTokenAndIsCachedUntilExpiry() {
        QTemporaryDir dir;
        write(dir, "bin/credential-plugin.sh", kPlugin, true);
        const QString path = write(dir, "config", kSecond);
        auto config = loadKubeconfigFiles({path.toStdString()});
        QVERIFY2(config.ok(), config.ok() ? "" : config.error().c_str());
        auto resolved = resolveContext(*config, "exec");
        QVERIFY2(resolved.ok(), resolved.ok() ? "" : resolved.error().c_str());
        QCOMPARE(resolved->exec->command, dir.filePath("bin/credential-plugin.sh").toStdString());
        KubeCredentials credentials(*resolved);
        const std::int64_t now = 1'800'000'000'000; // 2027
        auto options = await(credentials.options(now));
        QVERIFY2(options.ok(), options.ok() ? "" : options.error().c_str());
        QCOMPARE(options->bearerToken, std::string("from-the-plugin-42"));
        QCOMPARE(credentials.execRuns(), 1);
        QFile info(dir.filePath("bin/exec-info.json"));
        QVERIFY(info.open(QIODevice::ReadOnly));
        const QByteArray infoJson = info.readAll();
        QVERIFY2(infoJson.contains("\"apiVersion\":\"client.authentication.k8s.io/v1\""), infoJson.constData());
        QVERIFY2(infoJson.contains("\"interactive\":false"), infoJson.constData());
        QVERIFY2(infoJson.contains("https://127.0.0.1:6443"), infoJson.constData()); // provideClusterInfo
        QFile args(dir.filePath("bin/exec-args.txt"));
        QVERIFY(args.open(QIODevice::ReadOnly));
        QCOMPARE(args.readAll().trimmed(), QByteArray("--cluster lab"));
        // Cached while valid; run again once it expires (2030-01-01) or after a 401.
        QVERIFY(await(credentials.options(now + 1000)).ok());
        QCOMPARE(credentials.execRuns(), 1);
        QVERIFY(await(credentials.options(1'893'456'000'000)).ok());
        QCOMPARE(credentials.execRuns(), 2);
        credentials.invalidate();
        QVERIFY(await(credentials.options(now)).ok());
        QCOMPARE(credentials.execRuns(), 3);
    }

    void failingPluginReportsItsStderr() {
        QTemporaryDir dir;
        write(dir, "bin/credential-plugin.sh", kFailingPlugin, true);
        const QString path = write(dir, "config", kSecond);
        auto config = loadKubeconfigFiles({path.toStdString()});
        QVERIFY(config.ok());
        auto resolved = resolveContext(*config, "exec");
        QVERIFY(resolved.ok());
        KubeCredentials credentials(*resolved);
        auto options = await(credentials.options());
        VERIFY_ERROR_CONTAINS(options, "user \"plugin\": exec plugin");
        VERIFY_ERROR_CONTAINS(options, "failed (exit code 3): error: you must log in with sso first");
        // A plugin that is not there says so, with the install hint.
        QFile::remove(dir.filePath("bin/credential-plugin.sh"));
        auto missing = await(credentials.options());
        VERIFY_ERROR_CONTAINS(missing, "could not be started");
        VERIFY_ERROR_CONTAINS(missing, "install the plugin");
    }

    void execCredentialParsing() {
        auto cert = parseExecCredential(kExecCredentialV1beta1, "client.authentication.k8s.io/v1beta1", "ctx");
        QVERIFY2(cert.ok(), cert.ok() ? "" : cert.error().c_str());
        QCOMPARE(cert->clientCertPem, std::string("CERT"));
        QVERIFY(!cert->expiresAtMs);
        VERIFY_ERROR_CONTAINS(parseExecCredential(kExecCredentialV1beta1, "client.authentication.k8s.io/v1", "ctx"),
                              "ctx: exec plugin output: apiVersion: expected client.authentication.k8s.io/v1");
        VERIFY_ERROR_CONTAINS(parseExecCredential("token=abc", "client.authentication.k8s.io/v1", "ctx"),
                              "not a JSON ExecCredential");
    }

    void tokenFileIsReadAndReRead() {
        QTemporaryDir dir;
        const QString tokenPath = write(dir, "token", "first-token-value\n");
        ResolvedContext context;
        context.server = "https://127.0.0.1:6443";
        context.tokenFile = tokenPath.toStdString();
        KubeCredentials credentials(context);
        auto options = await(credentials.options());
        QVERIFY(options.ok());
        QCOMPARE(options->bearerToken, std::string("first-token-value"));
        write(dir, "token", "rotated-token-value");
        QCOMPARE(await(credentials.options())->bearerToken, std::string("first-token-value"));
        credentials.invalidate(); // a 401: the projected token was rotated
        QCOMPARE(await(credentials.options())->bearerToken, std::string("rotated-token-value"));
    }
};

QTEST_GUILESS_MAIN(TestKubeconfig)
#include "tst_kubeconfig.moc"
