#pragma once

#include "batch/BatchItem.h"
#include "batch/RemoteBatch.h"

#include <QList>
#include <QString>

#include <optional>

namespace parallax {

class Database;

/// The provider batches of batch jobs (`batch_remote`) and which items each holds. Every step is
/// committed before the next network call, so a process killed at any moment is followed by one that
/// polls the same remote batch instead of submitting its items a second time.
class RemoteBatchStore {
public:
    explicit RemoteBatchStore(Database& database);

    /// A finished item: its new state and answer (AnswerJson).
    struct Outcome {
        qint64 itemId = 0;
        BatchItem::State state = BatchItem::State::Failed;
        QString answerJson;
    };

    /// Records a new remote batch for `itemIds` and marks them running in it, in one transaction.
    std::optional<qint64> begin(qint64 jobId, int profileIndex, ProviderKind kind, const QString& baseUrl,
                                const QList<qint64>& itemIds, QString* error);
    bool setInputFile(qint64 id, const QString& fileId, QString* error);
    /// The provider accepted the batch: from now on it is polled, never submitted again.
    bool setSubmitted(qint64 id, const QString& remoteId, const QString& status, QString* error);
    bool setStatus(qint64 id, const QString& status, const QString& outputFileId, const QString& errorFileId,
                   const QString& resultsUrl, QString* error);
    /// A batch the provider never confirmed: its items go back to pending.
    bool abandon(qint64 id, QString* error);
    /// Writes the outcomes of the batch's items that are still running and marks it merged, in one
    /// transaction; merging the same results twice changes nothing.
    bool merge(qint64 id, const QList<Outcome>& outcomes, QString* error);

    /// The job's remote batches that are submitting or polling.
    QList<RemoteBatch> unfinished(qint64 jobId) const;
    /// The items a remote batch holds that have no result yet.
    QList<BatchItem> runningItems(qint64 id) const;

private:
    Database& m_database;
};

} // namespace parallax
