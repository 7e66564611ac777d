#pragma once

#include "providers/ProviderKind.h"

#include <QString>

namespace parallax {

/// One batch submitted to a provider's Batch API for a job's items of one profile, as persisted in
/// `batch_remote`, so a new process finds it and polls it instead of submitting again.
struct RemoteBatch {
    enum class Phase {
        Submitting, ///< items assigned, the provider has not confirmed a batch id yet
        Polling,    ///< the provider accepted it; waiting for it to end
        Merged,     ///< its results are in the items
        Abandoned,  ///< never confirmed by the provider; its items went back to pending
    };

    qint64 id = 0;
    qint64 jobId = 0;
    int profileIndex = 0;
    ProviderKind kind = ProviderKind::OpenAi;
    QString baseUrl;
    Phase phase = Phase::Submitting;
    QString remoteId;    ///< batch_… (OpenAI) or msgbatch_… (Anthropic)
    QString inputFileId; ///< OpenAI: the uploaded JSONL
    QString status;      ///< the provider's last reported status, as it spells it
    QString outputFileId;
    QString errorFileId;
    QString resultsUrl;

    static QString phaseName(Phase phase);
    static Phase phaseFromName(const QString& name);
};

} // namespace parallax
