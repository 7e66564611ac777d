#pragma once

#include "batch/BatchItem.h"
#include "batch/ProviderBatchClient.h"
#include "batch/RemoteBatch.h"
#include "batch/RemoteBatchResult.h"
#include "batch/RemoteBatchStatus.h"
#include "engine/CompareTarget.h"
#include "engine/ModelPrice.h"
#include "net/CallOptions.h"
#include "providers/Answer.h"
#include "providers/ChatRequest.h"

#include <QHash>
#include <QList>
#include <QObject>

#include <memory>
#include <optional>

class QTimer;

namespace parallax {

class BatchStore;
class Engine;
class RemoteBatchStore;
class Sanitizer;
class Vault;

/// How often a provider batch is polled, and how many requests and bytes go into one.
struct ProviderBatchLimits {
    int pollIntervalMs = 30'000;
    int maxRequestsPerBatch = 0; ///< 0: the provider's own limit (OpenAI 50,000, Anthropic 100,000)
    /// Bytes of requests per batch; 0: the provider's own limit (OpenAI's input file 200 MB,
    /// Anthropic's request 256 MB). Smaller batches also stay under an organisation's queue limit.
    qint64 maxBytesPerBatch = 0;
};

/// Runs a batch job's items through the providers' own Batch APIs at their batch prices: per profile
/// whose kind has one (OpenAI, Anthropic), the pending items go up as one remote batch, or as several
/// where the limits of requests and bytes per batch need (custom_id = the item's database id), each polled
/// until it ends; its results merge into the same items, in
/// whatever order the provider lists them. The remote batch id is committed before polling starts, so
/// a new process resumes polling it instead of submitting the items again.
class ProviderBatchRunner : public QObject {
    Q_OBJECT
public:
    struct Options {
        ChatRequest parameters; ///< system prompt default, max tokens, temperature (messages unused)
        CallOptions call;       ///< limits for each HTTP request to the Batch API
        std::shared_ptr<const Sanitizer> sanitizer; ///< null: send prompts as they are
        QList<bool> profileSanitized;               ///< per profile index
        ProviderBatchLimits limits;
    };

    /// `targets` has one entry per profile index of the job; only kinds with a Batch API are used.
    ProviderBatchRunner(Engine& engine, BatchStore& store, qint64 jobId, QList<CompareTarget> targets,
                        Options options, QObject* parent = nullptr);
    ~ProviderBatchRunner() override;

    /// Whether this runner handles a profile of `kind` (else it runs locally).
    static bool supports(ProviderKind kind);

    /// Resumes the job's remote batches still in progress, then submits its pending items.
    void start();
    /// Stops polling. The provider keeps working; a later start() (--resume) collects the results.
    void stop();
    /// Cancels the job's remote batches at the provider (a batch still being submitted is cancelled as
    /// soon as the provider names it) and keeps polling until each has ended: the requests answered
    /// before the cancel are collected, the others end cancelled.
    void cancelRemote();

    int total() const { return m_total; }
    int finished() const { return m_finished; }
    int failed() const { return m_failed; }
    double spentUsd() const { return m_spentUsd; }
    /// Remote batches still in progress when the runner ended (stopped or unreachable).
    int unfinishedRemote() const { return m_unfinishedRemote; }

signals:
    void progress(int finished, int total, int failed);
    /// A line for the user: submitted, polled status, results merged, problems.
    void statusReport(const QString& line);
    void done();

private:
    struct Tracker {
        RemoteBatch batch;
        ProviderBatchClient* client = nullptr;
        QTimer* timer = nullptr;
        RemoteBatchStatus lastStatus;
        int pollFailures = 0;
        bool cancelling = false; ///< a cancel request is in flight
    };

    void submit(int profileIndex, const QList<BatchItem>& items,
                const QList<ProviderBatchClient::Request>& requests);
    Tracker* track(const RemoteBatch& batch);
    /// Submits the pending items of one profile, in input order, in as many batches as the provider's
    /// (or the options') limits of requests and bytes per batch need.
    void submitPending(int profileIndex, const QList<BatchItem>& items);
    void schedulePoll(Tracker* tracker, int delayMs);
    void requestCancel(Tracker* tracker);
    void onPolled(Tracker* tracker, const RemoteBatchStatus& status);
    void onResults(Tracker* tracker, const QList<RemoteBatchResult>& results);
    /// Every running item of the batch finishes with this error (a submission the provider refused).
    void failAll(Tracker* tracker, const ProviderError& error);
    void onTransientFailure(Tracker* tracker, const ProviderError& error, const QString& during);
    void release(Tracker* tracker, bool finished);
    ChatRequest requestFor(const BatchItem& item, Vault& vault) const;
    std::optional<ModelPrice> batchPrice(const ProviderProfile& profile);
    void recordSpendAndAudit(const BatchItem& item, const Answer& answer, const ProviderProfile& profile);
    void finishIfIdle();
    QString label(const Tracker* tracker) const;

    Engine& m_engine;
    BatchStore& m_store;
    std::unique_ptr<RemoteBatchStore> m_remote;
    qint64 m_jobId;
    QList<CompareTarget> m_targets;
    Options m_options;
    QHash<qint64, Tracker*> m_trackers; // by batch_remote id
    QHash<QString, bool> m_warnedPrice; // model → warned that no batch price is known
    int m_total = 0;
    int m_finished = 0;
    int m_failed = 0;
    double m_spentUsd = 0;
    int m_unfinishedRemote = 0;
    bool m_stopped = false;
    bool m_cancelRequested = false;
    bool m_done = false;
};

} // namespace parallax
