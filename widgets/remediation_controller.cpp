#include "remediation_controller.h"

#include "action_confirm_dialog.h"
#include "remediation_controller_log.h"
#include "remediation_controller_permissions.h"
#include "widgets_tr.h"

#include <QSettings>
#include <QWidget>

#include <QCoro/QCoroTask>

namespace opsdeck::widgets {

namespace {
const QString kOperatorKey = QStringLiteral("operator/name");

QString loginName()
{
    for (const char *var : {"USER", "USERNAME", "LOGNAME"})
        if (QString name = qEnvironmentVariable(var); !name.isEmpty())
            return name;
    return QStringLiteral("operator");
}
} // namespace

RemediationController::RemediationController(backends::ClusterBackend *backend, QWidget *dialogParent, QObject *parent)
    : QObject(parent)
    , m_backend(backend)
    , m_dialogParent(dialogParent)
    , m_log(new RemediationLogModel(this))
    , m_permissions(new ActionPermissions(backend, this))
{
    qRegisterMetaType<sim::ActionSpec>();
    qRegisterMetaType<sim::ActionResult>();
}

RemediationController::~RemediationController()
{
    if (m_dialog)
        m_dialog->deleteLater();
}

QString RemediationController::operatorName() const
{
    if (!m_operator.isEmpty())
        return m_operator;
    const QString stored = QSettings().value(kOperatorKey).toString().trimmed();
    return stored.isEmpty() ? loginName() : stored;
}

void RemediationController::setOperatorName(const QString &name)
{
    m_operator = name.trimmed();
    QSettings().setValue(kOperatorKey, m_operator);
}

void RemediationController::request(const sim::ActionSpec &spec)
{
    const backends::SnapshotPtr snap = m_backend->latestSnapshot();
    requestBatch(previewAction(spec, snap.get()).title, {spec});
}

void RemediationController::requestBatch(const QString &title, const std::vector<sim::ActionSpec> &specs)
{
    if (specs.empty())
        return;
    if (m_dialog) {
        m_dialog->reject(); // the newer request wins; the old one counts as cancelled
        m_dialog->deleteLater();
    }
    const backends::SnapshotPtr snap = m_backend->latestSnapshot();
    std::vector<ActionPreview> previews;
    previews.reserve(specs.size());
    for (const auto &spec : specs)
        previews.push_back(previewAction(spec, snap.get()));

    auto *dialog = new ActionConfirmDialog(title, std::move(previews), m_dialogParent);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    m_dialog = dialog;
    connect(dialog, &QDialog::finished, this, [this, dialog, specs](int result) {
        if (m_dialog == dialog)
            m_dialog = nullptr;
        if (result != QDialog::Accepted) {
            for (const auto &spec : specs)
                Q_EMIT cancelled(spec);
            return;
        }
        applyFrom(specs, 0);
    });
    // open(), not exec(): no nested event loop, so snapshots keep flowing (and tests can
    // find the dialog and press its buttons).
    dialog->open();
    // Ask the cluster whether this user may do it; Apply stays off with the reason if not.
    // Asked afresh, not from permissions(): the cached answer may be a minute old.
    for (const auto &spec : specs) {
        QPointer<ActionConfirmDialog> guard(dialog);
        QCoro::connect(m_backend->whyNotAllowed(spec), this,
                       [guard](const Result<std::string> &why) {
                           if (guard && why && !why->empty())
                               guard->setNotAllowed(QString::fromStdString(*why));
                       });
    }
    Q_EMIT confirmationOpened(dialog);
}

void RemediationController::applyFrom(std::vector<sim::ActionSpec> specs, std::size_t index)
{
    if (index >= specs.size())
        return;
    sim::ActionSpec spec = specs[index];
    spec.actor = operatorName().toStdString();
    const backends::SnapshotPtr snap = m_backend->latestSnapshot();
    const int id = m_log->start(spec, operatorName(), snap ? snap->epochMs : 0, previewAction(spec, snap.get()).kubectl);
    ++m_inFlight;
    Q_EMIT actionStarted(spec);
    QCoro::connect(m_backend->apply(spec), this,
                   [this, id, spec, specs, index](const Result<sim::ActionResult> &outcome) {
                       sim::ActionResult result;
                       if (outcome) {
                           result = *outcome;
                       } else {
                           result.ok = false;
                           result.message = Tr::tr("%1: the cluster did not answer: %2")
                                                .arg(QString::fromLatin1(sim::actionName(spec.kind)),
                                                     QString::fromStdString(outcome.error()))
                                                .toStdString();
                       }
                       --m_inFlight;
                       m_log->finish(id, result);
                       Q_EMIT actionFinished(spec, result);
                       if (result.ok)
                           applyFrom(specs, index + 1);
                   });
}

} // namespace opsdeck::widgets
