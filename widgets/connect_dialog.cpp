#include "connect_dialog.h"

#include "widgets_tr.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QVBoxLayout>

namespace opsdeck::widgets {

ConnectDialog::ConnectDialog(QWidget *parent) : QDialog(parent)
{
    setWindowTitle(Tr::tr("Connect to a cluster"));
    auto *layout = new QVBoxLayout(this);

    m_simulation = new QRadioButton(Tr::tr("Simulation: the built-in drill cluster (no network)"), this);
    m_remote = new QRadioButton(Tr::tr("Real cluster: Kubernetes API, Prometheus and Alertmanager"), this);
    m_simulation->setChecked(true);
    layout->addWidget(m_simulation);
    layout->addWidget(m_remote);

    m_remoteBox = new QWidget(this);
    auto *form = new QFormLayout(m_remoteBox);
    form->setContentsMargins(24, 4, 0, 4);

    auto *fileRow = new QHBoxLayout;
    m_kubeconfig = new QLineEdit(m_remoteBox);
    m_kubeconfig->setPlaceholderText(Tr::tr("$KUBECONFIG or ~/.kube/config"));
    m_kubeconfig->setMinimumWidth(360);
    auto *browse = new QPushButton(Tr::tr("Browse..."), m_remoteBox);
    fileRow->addWidget(m_kubeconfig, 1);
    fileRow->addWidget(browse);
    form->addRow(Tr::tr("Kubeconfig file:"), fileRow);

    m_context = new QComboBox(m_remoteBox);
    m_context->setEditable(true);
    m_context->setInsertPolicy(QComboBox::NoInsert);
    m_context->lineEdit()->setPlaceholderText(Tr::tr("current-context of the file"));
    form->addRow(Tr::tr("Context:"), m_context);

    m_prometheus = new QLineEdit(m_remoteBox);
    m_prometheus->setPlaceholderText(QStringLiteral("http://prometheus.monitoring:9090"));
    form->addRow(Tr::tr("Prometheus URL:"), m_prometheus);
    m_alertmanager = new QLineEdit(m_remoteBox);
    m_alertmanager->setPlaceholderText(QStringLiteral("http://alertmanager.monitoring:9093"));
    form->addRow(Tr::tr("Alertmanager URL:"), m_alertmanager);
    auto *mapRow = new QHBoxLayout;
    m_componentMap = new QLineEdit(m_remoteBox);
    m_componentMap->setPlaceholderText(Tr::tr("optional: YAML, runbook component -> label selector"));
    m_componentMap->setToolTip(Tr::tr("When the cluster's workloads are not named as in the runbook:\n"
                                      "components:\n  agent-orchestrator: app.kubernetes.io/name=orchestrator\n"
                                      "  model-server: app=vllm"));
    auto *browseMap = new QPushButton(Tr::tr("Browse..."), m_remoteBox);
    mapRow->addWidget(m_componentMap, 1);
    mapRow->addWidget(browseMap);
    form->addRow(Tr::tr("Component map:"), mapRow);
    auto *secrets = new QLabel(Tr::tr("Credentials stay in the kubeconfig; only files, context and URLs are remembered."),
                               m_remoteBox);
    form->addRow(QString(), secrets);
    layout->addWidget(m_remoteBox);

    m_problems = new QLabel(this);
    m_problems->setWordWrap(true);
    m_problems->setStyleSheet(QStringLiteral("color: #c62828; font-weight: 600;"));
    m_problems->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_problems);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_connect = buttons->addButton(Tr::tr("Connect"), QDialogButtonBox::AcceptRole);
    m_connect->setDefault(true);
    layout->addWidget(buttons);

    connect(buttons, &QDialogButtonBox::accepted, this, &ConnectDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &ConnectDialog::reject);
    connect(browse, &QPushButton::clicked, this, &ConnectDialog::browseKubeconfig);
    connect(browseMap, &QPushButton::clicked, this, &ConnectDialog::browseComponentMap);
    connect(m_kubeconfig, &QLineEdit::editingFinished, this, &ConnectDialog::reloadContexts);
    connect(m_context, &QComboBox::currentTextChanged, this, &ConnectDialog::contextChosen);
    for (QLineEdit *edit : {m_kubeconfig, m_prometheus, m_alertmanager, m_componentMap})
        connect(edit, &QLineEdit::textChanged, this, &ConnectDialog::revalidate);
    connect(m_simulation, &QRadioButton::toggled, this, &ConnectDialog::revalidate);
    revalidate();
}

void ConnectDialog::setContextLister(ContextLister lister)
{
    m_lister = std::move(lister);
    reloadContexts();
}

void ConnectDialog::setRecall(Recall recall) { m_recall = std::move(recall); }

void ConnectDialog::setComponentMapChecker(ComponentMapChecker checker)
{
    m_mapChecker = std::move(checker);
    revalidate();
}

void ConnectDialog::setInitial(Mode mode, const remote::RemoteConfig &config)
{
    (mode == Mode::Simulation ? m_simulation : m_remote)->setChecked(true);
    // URLs first: choosing the context then offers remembered ones only for empty fields.
    m_prometheus->setText(config.prometheusUrl);
    m_alertmanager->setText(config.alertmanagerUrl);
    m_componentMap->setText(config.componentMapPath);
    m_kubeconfig->setText(config.kubeconfigPath);
    reloadContexts();
    m_context->setCurrentText(config.context);
    revalidate();
}

ConnectDialog::Mode ConnectDialog::mode() const
{
    return m_simulation->isChecked() ? Mode::Simulation : Mode::Remote;
}

remote::RemoteConfig ConnectDialog::remoteConfig() const
{
    remote::RemoteConfig c;
    c.kubeconfigPath = m_kubeconfig->text().trimmed();
    c.context = m_context->currentText().trimmed();
    c.prometheusUrl = m_prometheus->text().trimmed();
    c.alertmanagerUrl = m_alertmanager->text().trimmed();
    c.componentMapPath = m_componentMap->text().trimmed();
    return c;
}

QStringList ConnectDialog::problems() const
{
    if (mode() == Mode::Simulation)
        return {};
    const remote::RemoteConfig config = remoteConfig();
    QStringList out = config.problems();
    if (!m_listError.isEmpty() && out.isEmpty())
        out << m_listError;
    if (out.isEmpty() && m_mapChecker && !config.componentMapPath.isEmpty())
        if (const QString problem = m_mapChecker(config.componentMapPath); !problem.isEmpty())
            out << problem;
    if (m_context->count() > 0 && !m_context->currentText().isEmpty()
        && m_context->findText(m_context->currentText()) < 0)
        out << Tr::tr("context \"%1\" is not in the kubeconfig (it has: %2)")
                   .arg(m_context->currentText(),
                        [this] {
                            QStringList names;
                            for (int i = 0; i < m_context->count(); ++i)
                                names << m_context->itemText(i);
                            return names.join(QStringLiteral(", "));
                        }());
    return out;
}

void ConnectDialog::accept()
{
    revalidate();
    if (!problems().isEmpty())
        return;
    QDialog::accept();
}

void ConnectDialog::reloadContexts()
{
    m_listError.clear();
    if (!m_lister) {
        revalidate();
        return;
    }
    const QString keep = m_context->currentText();
    QString error;
    const QStringList names = m_lister(m_kubeconfig->text().trimmed(), &error);
    {
        const QSignalBlocker block(m_context);
        m_context->clear();
        m_context->addItems(names);
        m_context->setCurrentText(keep.isEmpty() && !names.isEmpty() ? names.front() : keep);
    }
    m_listError = error;
    contextChosen(m_context->currentText());
}

void ConnectDialog::browseKubeconfig()
{
    const QString file = QFileDialog::getOpenFileName(this, Tr::tr("Choose a kubeconfig file"), m_kubeconfig->text());
    if (file.isEmpty())
        return;
    m_kubeconfig->setText(file);
    reloadContexts();
}

void ConnectDialog::browseComponentMap()
{
    const QString file = QFileDialog::getOpenFileName(this, Tr::tr("Choose a component map"), m_componentMap->text(),
                                                      Tr::tr("YAML (*.yaml *.yml);;All files (*)"));
    if (!file.isEmpty())
        m_componentMap->setText(file);
}

void ConnectDialog::contextChosen(const QString &context)
{
    // Offer the URLs last used with this cluster, without overwriting what was typed.
    if (m_recall && !context.isEmpty()) {
        if (const auto remembered = m_recall(context)) {
            if (m_prometheus->text().isEmpty())
                m_prometheus->setText(remembered->prometheusUrl);
            if (m_alertmanager->text().isEmpty())
                m_alertmanager->setText(remembered->alertmanagerUrl);
            if (m_componentMap->text().isEmpty())
                m_componentMap->setText(remembered->componentMapPath);
        }
    }
    revalidate();
}

void ConnectDialog::revalidate()
{
    m_remoteBox->setEnabled(mode() == Mode::Remote);
    const QStringList wrong = problems();
    m_problems->setText(wrong.join(QLatin1Char('\n')));
    m_problems->setVisible(!wrong.isEmpty());
    m_connect->setEnabled(wrong.isEmpty());
}

} // namespace opsdeck::widgets
