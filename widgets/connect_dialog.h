#pragma once
// "Connect to...": the built-in simulation, or a real cluster given as a kubeconfig
// context plus Prometheus and Alertmanager URLs and, optionally, a component map (which
// label selectors are which runbook component). Validates as the user types and says
// what is wrong next to the Connect button; Connect stays disabled until it is right.
//
// The dialog only gathers settings. Listing a kubeconfig's contexts, checking a component
// map and recalling what was used last for a context are injected (the lead passes
// remote::listKubeconfigContexts, remote::componentMapProblem and a RemoteConfigStore), so
// the widgets layer does not link the network library.
#include "backends/remote/remote_config.h"

#include <QDialog>

#include <functional>
#include <optional>

class QButtonGroup;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QRadioButton;
class QWidget;

namespace opsdeck::widgets {

class ConnectDialog : public QDialog {
    Q_OBJECT
public:
    enum class Mode { Simulation, Remote };
    // Context names of a kubeconfig ("" = $KUBECONFIG or ~/.kube/config); on failure
    // returns {} and sets *error to a message naming the file and the problem.
    using ContextLister = std::function<QStringList(const QString &kubeconfigPath, QString *error)>;
    // The settings last used with a context, if any.
    using Recall = std::function<std::optional<remote::RemoteConfig>(const QString &context)>;
    // What is wrong with a component map file (naming file, line and field); "" if usable.
    using ComponentMapChecker = std::function<QString(const QString &path)>;

    explicit ConnectDialog(QWidget *parent = nullptr);

    void setContextLister(ContextLister lister);
    void setRecall(Recall recall);
    void setComponentMapChecker(ComponentMapChecker checker);
    void setInitial(Mode mode, const remote::RemoteConfig &config);

    Mode mode() const;
    remote::RemoteConfig remoteConfig() const;
    // What stops Connect, one sentence each; empty when the settings are usable.
    QStringList problems() const;

public Q_SLOTS:
    void accept() override;
    void reloadContexts();

private:
    void browseKubeconfig();
    void browseComponentMap();
    void contextChosen(const QString &context);
    void revalidate();

    ContextLister m_lister;
    Recall m_recall;
    ComponentMapChecker m_mapChecker;
    QRadioButton *m_simulation = nullptr;
    QRadioButton *m_remote = nullptr;
    QWidget *m_remoteBox = nullptr;
    QLineEdit *m_kubeconfig = nullptr;
    QComboBox *m_context = nullptr;
    QLineEdit *m_prometheus = nullptr;
    QLineEdit *m_alertmanager = nullptr;
    QLineEdit *m_componentMap = nullptr;
    QLabel *m_problems = nullptr;
    QPushButton *m_connect = nullptr;
    QString m_listError;
};

} // namespace opsdeck::widgets
