// Credentials for a resolved context: static, token file, or an exec credential plugin
// (client.authentication.k8s.io v1/v1beta1), run as kubectl runs it.
#include "kubeconfig.h"
#include "kube_decode.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>
#include <QProcess>
#include <QProcessEnvironment>

#include <QCoro/QCoroProcess>

#include <nlohmann/json.hpp>

namespace opsdeck::remote {

Result<ExecCredential> parseExecCredential(std::string_view text, const std::string &apiVersion,
                                           const std::string &where) {
    const auto doc = nlohmann::json::parse(text, nullptr, false);
    if (doc.is_discarded() || !doc.is_object())
        return Error{where + ": exec plugin output is not a JSON ExecCredential (" +
                     std::to_string(text.size()) + " bytes)"};
    auto field = [&](const nlohmann::json &parent, const char *key) -> std::string {
        auto it = parent.find(key);
        return it != parent.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    if (field(doc, "kind") != "ExecCredential")
        return Error{where + ": exec plugin output: kind: expected ExecCredential, got \"" +
                     field(doc, "kind") + "\""};
    if (field(doc, "apiVersion") != apiVersion)
        return Error{where + ": exec plugin output: apiVersion: expected " + apiVersion + ", got \"" +
                     field(doc, "apiVersion") + "\""};
    auto status = doc.find("status");
    if (status == doc.end() || !status->is_object())
        return Error{where + ": exec plugin output: status: missing"};
    ExecCredential credential;
    credential.token = field(*status, "token");
    credential.clientCertPem = field(*status, "clientCertificateData");
    credential.clientKeyPem = field(*status, "clientKeyData");
    if (credential.token.empty() && (credential.clientCertPem.empty() || credential.clientKeyPem.empty()))
        return Error{where + ": exec plugin output: status: needs token, or clientCertificateData "
                             "and clientKeyData"};
    if (const std::string expiry = field(*status, "expirationTimestamp"); !expiry.empty()) {
        auto ms = kube::parseTimestamp(expiry);
        if (!ms)
            return Error{where + ": exec plugin output: status.expirationTimestamp: " + ms.error()};
        credential.expiresAtMs = *ms;
    }
    return credential;
}

KubeCredentials::KubeCredentials(ResolvedContext context, QObject *parent)
    : QObject(parent), m_context(std::move(context)), m_current(m_context.http) {
    m_valid = !m_context.exec && m_context.tokenFile.empty();
}

QCoro::Task<Result<HttpOptions>> KubeCredentials::options(std::optional<std::int64_t> nowMs) {
    const std::int64_t now = nowMs ? *nowMs : QDateTime::currentMSecsSinceEpoch();
    // Refresh a little early so a request does not race the expiry.
    if (m_valid && m_expiresAtMs && now + 10'000 >= *m_expiresAtMs)
        m_valid = false;
    if (m_valid) {
        // A named copy: GCC 12 moves from a member named in co_return, emptying it.
        HttpOptions current = m_current;
        co_return current;
    }
    HttpOptions options = m_context.http;
    const std::string where = m_context.where + ": user \"" + m_context.user + "\"";
    if (!m_context.tokenFile.empty()) {
        QFile file(QString::fromStdString(m_context.tokenFile));
        if (!file.open(QIODevice::ReadOnly))
            co_return Error{where + ": tokenFile: cannot read " + m_context.tokenFile};
        options.bearerToken = file.readAll().trimmed().toStdString();
        if (options.bearerToken.empty())
            co_return Error{where + ": tokenFile: " + m_context.tokenFile + " is empty"};
    }
    if (m_context.exec) {
        const ExecConfig &exec = *m_context.exec;
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const auto &[name, value] : exec.env)
            env.insert(QString::fromStdString(name), QString::fromStdString(value));
        nlohmann::json info = {{"apiVersion", exec.apiVersion},
                               {"kind", "ExecCredential"},
                               {"spec", {{"interactive", false}}}};
        if (exec.provideClusterInfo)
            info["spec"]["cluster"] = {{"server", m_context.server},
                                       {"insecure-skip-tls-verify", m_context.insecureSkipTlsVerify}};
        env.insert("KUBERNETES_EXEC_INFO", QString::fromStdString(info.dump()));
        process.setProcessEnvironment(env);
        QStringList args;
        for (const std::string &arg : exec.args)
            args << QString::fromStdString(arg);
        ++m_execRuns;
        // Find it first: QProcess reports a missing program only through a signal the
        // awaitable start() does not watch, which would cost its whole timeout.
        const QString program = QString::fromStdString(exec.command);
        const QString found = program.contains('/')
                                  ? (QFileInfo(program).isExecutable() ? program : QString())
                                  : QStandardPaths::findExecutable(program);
        const bool started = !found.isEmpty() && co_await qCoro(process).start(found, args);
        if (!started)
            co_return Error{where + ": exec plugin \"" + exec.command + "\" could not be started (" +
                            (found.isEmpty() ? std::string("not found or not executable")
                                             : process.errorString().toStdString()) + ")" +
                            (exec.installHint.empty() ? "" : "; " + exec.installHint)};
        const bool finished = co_await qCoro(process).waitForFinished(execTimeout);
        if (!finished) {
            process.kill();
            process.waitForFinished(1000);
            co_return Error{where + ": exec plugin \"" + exec.command + "\" did not finish within " +
                            std::to_string(execTimeout.count() / 1000) + " s"};
        }
        if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
            // stderr is the plugin's own explanation; it never contains our secrets.
            const std::string err = process.readAllStandardError().trimmed().left(400).toStdString();
            co_return Error{where + ": exec plugin \"" + exec.command + "\" failed (exit code " +
                            std::to_string(process.exitCode()) + ")" + (err.empty() ? "" : ": " + err)};
        }
        auto credential = parseExecCredential(process.readAllStandardOutput().toStdString(),
                                              exec.apiVersion, where);
        if (!credential)
            co_return Error{credential.error()};
        if (!credential->token.empty())
            options.bearerToken = credential->token;
        if (!credential->clientCertPem.empty()) {
            options.tls.clientCertPem = credential->clientCertPem;
            options.tls.clientKeyPem = credential->clientKeyPem;
            options.tls.clientCertFile.clear();
            options.tls.clientKeyFile.clear();
        }
        m_expiresAtMs = credential->expiresAtMs;
    }
    m_current = options;
    m_valid = true;
    HttpOptions fresh = options;
    co_return fresh;
}

} // namespace opsdeck::remote
