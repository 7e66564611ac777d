#pragma once

#include "batch/BatchItem.h"
#include "engine/CompareTarget.h"
#include "net/CallOptions.h"
#include "providers/ChatRequest.h"

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QObject>

#include <memory>
#include <optional>

namespace parallax {

class BatchStore;
class Engine;
class RequestRunner;
class Sanitizer;

/// Runs a batch job's pending items through the engine (sanitizing, cache, budget, rate limits,
/// retries, fallback, cost and audit for every item), at most `concurrency` at a time. Each item's
/// state is committed before it is sent and as soon as it ends, so the job survives a crash.
class BatchRunner : public QObject {
    Q_OBJECT
public:
    struct Options {
        int concurrency = 4;
        ChatRequest parameters; ///< system prompt default, max tokens, temperature (messages unused)
        CallOptions call;
        bool useCache = true;
        std::shared_ptr<const Sanitizer> sanitizer; ///< null: send prompts as they are
        QList<bool> profileSanitized;               ///< per profile index
        std::optional<double> budgetUsd;            ///< stop once this much has been spent
        QList<int> onlyProfiles; ///< run only these profile indices' items (empty: all); provider mode
    };

    BatchRunner(Engine& engine, BatchStore& store, qint64 jobId, QList<QList<CompareTarget>> chains,
                Options options, QObject* parent = nullptr);
    ~BatchRunner() override;

    void start();
    /// Stops sending new items and cancels those in flight; they go back to pending for a later resume.
    void cancel();
    /// Stops sending new items; those in flight finish (they are paid for). resume() goes on.
    void pause();
    void resume();
    bool isPaused() const { return m_paused; }
    int running() const { return static_cast<int>(m_running.size()); }

    int total() const { return m_total; }
    int finished() const { return m_finished; }
    int failed() const { return m_failed; }
    double spentUsd() const { return m_spentUsd; }
    bool budgetExhausted() const { return m_budgetExhausted; }

signals:
    void progress(int finished, int total, int failed);
    /// An item was recorded as running and is being sent.
    void itemStarted(const parallax::BatchItem& item);
    void itemFinished(const parallax::BatchItem& item);
    void done();

private:
    void fill();
    void startItem(const BatchItem& item);
    void onItemFinished(RequestRunner* runner, BatchItem item);

    Engine& m_engine;
    BatchStore& m_store;
    qint64 m_jobId;
    QList<QList<CompareTarget>> m_chains;
    Options m_options;
    QList<BatchItem> m_queue;
    qsizetype m_next = 0;
    QHash<RequestRunner*, BatchItem> m_running;
    int m_total = 0;
    int m_finished = 0;
    int m_failed = 0;
    double m_spentUsd = 0;
    bool m_cancelled = false;
    bool m_paused = false;
    bool m_budgetExhausted = false;
    bool m_done = false;
};

} // namespace parallax
