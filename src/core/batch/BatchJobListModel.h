#pragma once

#include "batch/BatchStore.h"

#include <QAbstractListModel>
#include <QList>

namespace parallax {

/// The earlier batches a window can reopen, newest first: when each was created, its input and row
/// count, profiles, mode and how many items are in each state. Filled from BatchJobTasks::listWindowJobs
/// (read on a worker thread); one line per job, so a combo box or list view shows it as it is.
class BatchJobListModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role { JobIdRole = Qt::UserRole + 1, UnfinishedRole };

    explicit BatchJobListModel(QObject* parent = nullptr);

    void setJobs(QList<BatchStore::JobSummary> jobs);
    const QList<BatchStore::JobSummary>& jobs() const { return m_jobs; }
    /// The row of a job, or -1.
    int rowOf(qint64 jobId) const;
    /// Jobs with items still pending or running, leaving out `except` (the one a window shows).
    QList<qint64> unfinishedJobs(qint64 except = 0) const;

    /// "3/14/24 2:05 PM · prompts.csv · 40 rows · gpt, claude · local · 30 done, 10 pending"
    static QString describe(const BatchStore::JobSummary& summary);
    /// "30 done, 2 failed, 8 pending": the states that have items, in the order a batch moves through.
    static QString describeCounts(const BatchStore::JobSummary& summary);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

private:
    QList<BatchStore::JobSummary> m_jobs;
};

} // namespace parallax
