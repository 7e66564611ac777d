#pragma once

#include <QByteArray>
#include <QElapsedTimer>
#include <QJsonObject>
#include <QList>
#include <QString>

#include "MockConfig.h"

namespace parallax::mock {

/// One request of a batch as the client sent it.
struct MockBatchRequest {
    QString customId;
    QJsonObject params; ///< the request body (OpenAI `body`, Anthropic `params`)
};

/// A provider batch held in the mock's memory. It moves one step per poll, or one step per
/// MockConfig::batchStepMs, and its answers are made when it ends.
struct MockBatch {
    QString id;
    QList<MockBatchRequest> requests;
    QString inputFileId; ///< OpenAI only
    QString endpoint;    ///< OpenAI only
    QJsonObject metadata;
    QString validationError; ///< non-empty: the batch fails validation (OpenAI)
    int validationLine = 0;
    qint64 createdAt = 0; ///< Unix seconds
    qint64 endedAt = 0;
    qint64 cancelledAt = 0;
    QElapsedTimer age;
    int step = 0;
    bool cancelRequested = false;
    /// Requests the batch had answered when the cancel came (the rest end cancelled): none while it
    /// was validating, the first half (input order) once it was in progress — so a client can be
    /// tested collecting what a cancelled batch had finished.
    int answeredBeforeCancel = 0;
    bool ended = false;
    QString finalStatus; ///< OpenAI: completed, failed, expired, cancelled
    int succeeded = 0;
    int errored = 0;
    int canceled = 0;
    int expired = 0;
    QString outputFileId; ///< OpenAI
    QString errorFileId;  ///< OpenAI
    QByteArray results;   ///< Anthropic: the results JSONL
    quint64 seed = 0;

    void requestCancel(qint64 nowSeconds) {
        cancelRequested = true;
        cancelledAt = nowSeconds;
        answeredBeforeCancel = step >= 1 ? static_cast<int>(requests.size() / 2) : 0;
    }

    /// Called on every poll: one step further (per poll or per elapsed interval), never past
    /// "in progress" while the config holds batches.
    void advance(const MockConfig& config) {
        int target = config.batchStepMs > 0 ? static_cast<int>(age.elapsed() / config.batchStepMs) : step + 1;
        if (config.batchHold)
            target = qMin(target, 1);
        step = qMax(step, target);
    }
};

} // namespace parallax::mock
