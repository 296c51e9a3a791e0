// The connect dialog: simulation by default, a real cluster's settings validated as they
// are typed (Connect disabled with the reason shown), contexts listed from the kubeconfig,
// URLs offered from what was remembered for the chosen context.
#include "widgets/connect_dialog.h"

#include <QApplication>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QTemporaryDir>
#include <QTest>

using opsdeck::remote::RemoteConfig;
using opsdeck::widgets::ConnectDialog;

namespace {
QPushButton *connectButton(ConnectDialog &d)
{
    for (QPushButton *b : d.findChildren<QPushButton *>())
        if (b->text() == QLatin1String("Connect"))
            return b;
    return nullptr;
}
QLabel *problemLabel(ConnectDialog &d)
{
    for (QLabel *l : d.findChildren<QLabel *>())
        if (l->styleSheet().contains(QLatin1String("c62828")))
            return l;
    return nullptr;
}
} // namespace

class TestConnectDialog : public QObject {
    Q_OBJECT
private slots:
    void simulationNeedsNothing()
    {
        ConnectDialog d;
        QCOMPARE(d.mode(), ConnectDialog::Mode::Simulation);
        QVERIFY(d.problems().isEmpty());
        QVERIFY(connectButton(d)->isEnabled());
    }

    void remoteSettingsAreValidatedAsTyped()
    {
        QTemporaryDir dir;
        const QString kubeconfig = dir.filePath(QStringLiteral("config"));
        QFile f(kubeconfig);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("apiVersion: v1\n");
        f.close();

        ConnectDialog d;
        QStringList askedFor;
        d.setContextLister([&askedFor](const QString &path, QString *error) -> QStringList {
            askedFor << path;
            if (path.endsWith(QLatin1String("broken")))
                *error = QStringLiteral("kubeconfig %1:3:1: bad indentation").arg(path);
            return path.endsWith(QLatin1String("broken")) ? QStringList() : QStringList{QStringLiteral("drill"), QStringLiteral("prod")};
        });
        d.setRecall([](const QString &context) -> std::optional<RemoteConfig> {
            if (context != QLatin1String("prod"))
                return std::nullopt;
            RemoteConfig c;
            c.context = context;
            c.prometheusUrl = QStringLiteral("http://prom.prod:9090");
            c.alertmanagerUrl = QStringLiteral("http://am.prod:9093");
            return c;
        });
        RemoteConfig start;
        start.kubeconfigPath = kubeconfig;
        start.context = QStringLiteral("prod");
        d.setInitial(ConnectDialog::Mode::Remote, start);
        QCOMPARE(d.mode(), ConnectDialog::Mode::Remote);
        QVERIFY(askedFor.contains(kubeconfig));
        // Remembered URLs of "prod" were offered.
        QCOMPARE(d.remoteConfig().prometheusUrl, QStringLiteral("http://prom.prod:9090"));
        QCOMPARE(d.remoteConfig().alertmanagerUrl, QStringLiteral("http://am.prod:9093"));
        QVERIFY2(d.problems().isEmpty(), qPrintable(d.problems().join(QLatin1Char('\n'))));
        QVERIFY(connectButton(d)->isEnabled());

        // A mistyped URL disables Connect and says why.
        auto *prom = d.findChildren<QLineEdit *>().at(1); // kubeconfig, (context's line edit is inside the combo), prometheus...
        for (QLineEdit *e : d.findChildren<QLineEdit *>())
            if (e->text() == QLatin1String("http://prom.prod:9090"))
                prom = e;
        prom->setText(QStringLiteral("ftp://prom.prod:9090"));
        QVERIFY(!connectButton(d)->isEnabled());
        QVERIFY(problemLabel(d)->text().contains(QStringLiteral("http or https")));
        d.accept();
        QCOMPARE(d.result(), int(QDialog::Rejected)); // refused to close
        prom->setText(QStringLiteral("http://prom.prod:9090"));
        QVERIFY(connectButton(d)->isEnabled());

        // A context the file does not have.
        auto *combo = d.findChild<QComboBox *>();
        combo->setCurrentText(QStringLiteral("staging"));
        QVERIFY(d.problems().join(QLatin1Char(' ')).contains(QStringLiteral("not in the kubeconfig (it has: drill, prod)")));
        combo->setCurrentText(QStringLiteral("drill"));
        QVERIFY(d.problems().isEmpty());

        d.resize(d.sizeHint());
        prom->setText(QStringLiteral("prom.prod:9090"));
        d.grab().save(QStringLiteral("/tmp/opsdeck_connect_dialog.png"));
    }

    // The component map: optional, checked by the injected loader (which names file and
    // line), remembered per cluster like the URLs.
    void componentMapIsCheckedAndRemembered()
    {
        QTemporaryDir dir;
        const QString good = dir.filePath(QStringLiteral("good.yaml")), bad = dir.filePath(QStringLiteral("bad.yaml"));
        for (const QString &path : {good, bad}) {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("components: {}\n");
        }
        ConnectDialog d;
        d.setContextLister([](const QString &, QString *) { return QStringList{QStringLiteral("prod")}; });
        d.setRecall([&good](const QString &context) -> std::optional<RemoteConfig> {
            RemoteConfig c;
            c.context = context;
            c.componentMapPath = good;
            return c;
        });
        QStringList checked;
        d.setComponentMapChecker([&](const QString &path) {
            checked << path;
            return path == bad ? QStringLiteral("component map %1:2:17: components.model-server: label selector ...").arg(path)
                               : QString();
        });
        RemoteConfig start;
        start.context = QStringLiteral("prod");
        d.setInitial(ConnectDialog::Mode::Remote, start);
        QCOMPARE(d.remoteConfig().componentMapPath, good); // offered from what prod used last
        QVERIFY2(d.problems().isEmpty(), qPrintable(d.problems().join(QLatin1Char('\n'))));
        QVERIFY(checked.contains(good));

        QLineEdit *map = nullptr;
        for (QLineEdit *e : d.findChildren<QLineEdit *>())
            if (e->text() == good)
                map = e;
        QVERIFY(map);
        map->setText(bad);
        QVERIFY(!connectButton(d)->isEnabled());
        QVERIFY2(problemLabel(d)->text().contains(QStringLiteral(":2:17: components.model-server")),
                 qPrintable(problemLabel(d)->text()));
        map->setText(dir.filePath(QStringLiteral("missing.yaml")));
        QVERIFY(problemLabel(d)->text().contains(QStringLiteral("missing.yaml: no such file")));
        map->clear(); // optional
        QVERIFY(connectButton(d)->isEnabled());
        QCOMPARE(d.remoteConfig().componentMapPath, QString());
    }
};

QTEST_MAIN(TestConnectDialog)
#include "tst_connect_dialog.moc"
