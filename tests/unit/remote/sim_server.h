#pragma once
// Starts `opsdeck-sim serve` on 127.0.0.1 (a free port, picked by the server) for the
// integration test and the benchmark, and writes a kubeconfig that points at it.
// OPSDECK_SIM overrides the binary (default: this build's app/sim/opsdeck-sim).
#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

namespace opsdeck::testing {

inline QString simBinary(const QString &buildDir) {
    const QByteArray env = qgetenv("OPSDECK_SIM");
    return env.isEmpty() ? buildDir + "/app/sim/opsdeck-sim" : QString::fromLocal8Bit(env);
}

class SimServer {
public:
    // Blocks until the server printed its URL (it does so once listening) or failed.
    // `listen` "127.0.0.1:0" picks a free port; give url's port to restart on the same one.
    bool start(const QString &binary, QStringList extraArgs, QString *error,
               const QString &listen = QStringLiteral("127.0.0.1:0")) {
        m_process.setProgram(binary);
        m_process.setArguments(QStringList{"serve", "--listen", listen} + extraArgs);
        m_process.setProcessChannelMode(QProcess::SeparateChannels);
        m_process.start();
        if (!m_process.waitForStarted(10000)) {
            *error = binary + ": " + m_process.errorString();
            return false;
        }
        QByteArray out;
        while (!out.contains('\n')) {
            if (!m_process.waitForReadyRead(120000)) {
                *error = "opsdeck-sim serve printed no URL: " + QString::fromLocal8Bit(m_process.readAllStandardError());
                return false;
            }
            out += m_process.readAllStandardOutput();
        }
        const auto match = QRegularExpression("listening on (http\\S+)").match(QString::fromLocal8Bit(out));
        if (!match.hasMatch()) {
            *error = "unexpected first line: " + QString::fromLocal8Bit(out);
            return false;
        }
        m_url = match.captured(1);
        return true;
    }
    ~SimServer() { stop(); }
    // Kills the server (as a crashed or unplugged API server goes: connections reset).
    void stop() {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }
    QString url() const { return m_url; }

    // A kubeconfig for it, with an optional bearer token.
    QString writeKubeconfig(const QTemporaryDir &dir, const QString &name, const QString &token = {}) const {
        const QString path = dir.filePath(name);
        QFile file(path);
        file.open(QIODevice::WriteOnly);
        QString text = "apiVersion: v1\nkind: Config\nclusters:\n- name: sim\n  cluster:\n    server: " + m_url +
                       "\ncontexts:\n- name: sim\n  context:\n    cluster: sim\n    user: me\n"
                       "    namespace: chatgpt-agent\ncurrent-context: sim\nusers:\n- name: me\n  user:\n";
        text += token.isEmpty() ? "    username: \"\"\n" : "    token: " + token + "\n";
        file.write(text.toUtf8());
        return path;
    }

private:
    QProcess m_process;
    QString m_url;
};

} // namespace opsdeck::testing
