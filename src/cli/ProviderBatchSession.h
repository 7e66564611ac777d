#pragma once

#include "batch/BatchRunner.h"
#include "batch/ProviderBatchRunner.h"
#include "engine/CompareTarget.h"

#include <QList>
#include <QObject>

namespace parallax {
class BatchStore;
class Engine;
} // namespace parallax

namespace parallax::cli {

/// `parallax-cli batch --mode provider`: the profiles whose provider has a Batch API (OpenAI,
/// Anthropic) go through ProviderBatchRunner at batch prices; the others run locally through the engine,
/// as in local mode, side by side. Ends when both have ended.
class ProviderBatchSession : public QObject {
    Q_OBJECT
public:
    /// `chains` as in local mode (one per profile index); `localOptions` for the profiles run locally.
    ProviderBatchSession(Engine& engine, BatchStore& store, qint64 jobId,
                         const QList<QList<CompareTarget>>& chains, BatchRunner::Options localOptions,
                         int pollIntervalMs, QObject* parent = nullptr);
    ~ProviderBatchSession() override;

    void start();
    /// Ctrl-C: stops polling (the provider keeps the batch; --resume collects it) and the local items.
    void stop();

    int total() const;
    int finished() const;
    int failed() const;
    double spentUsd() const;
    bool budgetExhausted() const { return m_local && m_local->budgetExhausted(); }

signals:
    void progress();
    void done();

private:
    void partDone();

    ProviderBatchRunner* m_remote = nullptr;
    BatchRunner* m_local = nullptr;
    int m_localTotal = 0;
    int m_localFinishedAtStart = 0;
    int m_localFailedAtStart = 0;
    int m_localFinished = 0;
    int m_localFailed = 0;
    int m_partsRunning = 0;
};

} // namespace parallax::cli
