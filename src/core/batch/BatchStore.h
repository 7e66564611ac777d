#pragma once

#include "batch/BatchItem.h"
#include "batch/BatchRow.h"

#include <QDateTime>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

class QSqlQuery;

namespace parallax {

class Database;

/// Batch jobs and their items in SQLite. Every state change is committed before the next step, so a
/// crash or a kill at any moment loses nothing finished: on resume, done items are never sent again and
/// items that were running go back to pending.
class BatchStore {
public:
    explicit BatchStore(Database& database);

    /// What a job was started with; a resume runs it the same way.
    struct RunSettings {
        bool providerMode = false;
        int concurrency = 0; ///< 0: not recorded (jobs created before it was)
        std::optional<double> budgetUsd;
    };

    struct Job {
        qint64 id = 0;
        QString state; ///< "running", "finished"
        QStringList profiles;
        QDateTime createdAt;
        QString inputPath;
        RunSettings settings;
    };

    /// A job and how far its items got, for a list of earlier batches.
    struct JobSummary {
        Job job;
        QMap<BatchItem::State, int> counts;

        int total() const;
        /// Input rows (each row is one item per profile).
        int rows() const;
        /// Pending or running: a resume would still send or collect them.
        int unfinished() const;
    };

    std::optional<Job> findJob(const QString& jobKey) const;
    std::optional<Job> job(qint64 jobId) const;
    /// The jobs whose key starts with `keyPrefix`, newest first, with their items' counts per state.
    QList<JobSummary> jobs(const QString& keyPrefix, QString* error) const;
    /// Creates the job and one pending item per row and profile, in one transaction.
    std::optional<qint64> createJob(const QString& jobKey, const QString& inputPath,
                                    const QString& outputPath, const QStringList& profiles,
                                    const QList<BatchRow>& rows, const RunSettings& settings, QString* error);
    bool deleteJob(qint64 jobId, QString* error);
    bool setJobState(qint64 jobId, const QString& state, QString* error);

    /// Items that were running when the last process died go back to pending; returns how many. Items
    /// held by a provider's batch (RemoteBatchStore) stay running: the provider is still working on them.
    int requeueRunning(qint64 jobId);
    /// Failed items go back to pending (retry failed).
    int requeueFailed(qint64 jobId);
    /// Cancelling a batch: every pending item ends cancelled with its profile's answer from
    /// `answerJsonByProfile` (BatchSession::cancelledAnswers), in one transaction; returns how many.
    std::optional<int> cancelPending(qint64 jobId, const QStringList& answerJsonByProfile, QString* error);

    QList<BatchItem> items(qint64 jobId, std::optional<BatchItem::State> only = std::nullopt) const;
    /// The items of the input row that item `itemId` belongs to, one per profile (an indexed lookup).
    QList<BatchItem> rowItems(qint64 itemId) const;
    bool markRunning(qint64 itemId, QString* error);
    bool markFinished(qint64 itemId, BatchItem::State state, const QString& answerJson, QString* error);
    QMap<BatchItem::State, int> counts(qint64 jobId) const;

    /// Runs a prepared query selecting `id, row_index, item_id, profile_index, prompt, system_prompt,
    /// state, attempts, answer_json` from batch_items and reads its rows (empty when it fails).
    static QList<BatchItem> read(QSqlQuery& query);

private:
    /// Reads the job columns that every job query selects first, in the same order.
    static Job readJob(const QSqlQuery& query);

    Database& m_database;
};

} // namespace parallax
