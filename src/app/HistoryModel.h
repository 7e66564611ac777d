#pragma once

#include "store/HistoryStore.h"

#include <QAbstractListModel>

namespace parallax {

/// Past runs and comparisons, newest first: the prompt as sent, with date and profiles as tooltip.
class HistoryModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role { PromptRole = Qt::UserRole + 1, SystemRole, RequestIdRole };

    explicit HistoryModel(QObject* parent = nullptr);

    void setRuns(QList<RunRecord> runs);
    const RunRecord& run(int row) const { return m_runs.at(row); }

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

private:
    QList<RunRecord> m_runs;
};

} // namespace parallax
