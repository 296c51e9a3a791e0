#pragma once
// AlertFilterProxy, the alert queue's filters and sorting: apart from AlertQueueView so each reads in one sitting.
#include "../backends/telemetry/labels.h"

#include <QIcon>
#include <QSortFilterProxyModel>

#include <array>
#include <map>
#include <set>
#include <string>
#include <utility>

class QTimer;

namespace opsdeck::widgets {

// Filters by severity (P1..P4 each on or off) and by a search text matched against the
// alert name, service and summary; sorts on AlertQueueModel::SortRole. Adds the severity
// icon and the flash highlight of new P1 rows.
class AlertFilterProxy : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit AlertFilterProxy(QObject *parent = nullptr);

    void setSeverityShown(int severity, bool shown); // 1..4 = P1..P4
    bool severityShown(int severity) const;
    void setSearchText(const QString &text);
    QString searchText() const { return m_search; }
    // Only alerts about this component (the service map's selection); alerts that name no
    // component at all (cluster-wide ones) stay, since they concern every component.
    // Empty: all.
    void setComponentFilter(const QString &component);
    QString componentFilter() const { return m_component; }

    // Highlight the row of `fingerprint` for a few blinks (a timer on the background).
    void flash(quint64 fingerprint);
    bool isFlashing(quint64 fingerprint) const { return m_flashTicksLeft.count(fingerprint) > 0; }

    // The coloured severity disc shown in the Severity column and on the filter buttons.
    QIcon severityIcon(int severity) const;

    // The label that names what an alert is about, as the Service column shows it and as
    // the queue silences on: (name, value) of the first of service, agent, deployment, job,
    // component present; empty when none is.
    static std::pair<std::string, std::string> serviceLabel(const telemetry::Labels &labels);

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    void onFlashTick();
    void refreshFlashRows(const std::set<quint64> &fingerprints);

    std::array<bool, 5> m_severityShown{true, true, true, true, true}; // P1..P4, unknown
    QString m_search;
    QString m_component;
    std::map<quint64, int> m_flashTicksLeft; // fingerprint -> remaining half-blinks
    bool m_flashOn = false;
    QTimer *m_flashTimer = nullptr;
    mutable std::array<QIcon, 5> m_icons; // by severity, 0 = unknown; drawn on first use
};

} // namespace opsdeck::widgets
