#pragma once

#include "batch/BatchItem.h"
#include "batch/BatchRunner.h"
#include "batch/ProviderBatchRunner.h"
#include "engine/CompareTarget.h"

#include <QList>
#include <QObject>
#include <QStringList>

#include <optional>

namespace parallax {

class BatchStore;
class Engine;

/// One run of a batch job, for `parallax-cli batch` and the window's batch panel alike. Local mode: every
/// profile through the engine (BatchRunner). Provider mode: profiles whose provider has a Batch API
/// (OpenAI, Anthropic) through ProviderBatchRunner at batch prices, the others locally, side by side.
/// Ends (done) when every part has ended.
class BatchSession : public QObject {
    Q_OBJECT
public:
    /// `chains` has one fallback chain per profile index; `localOptions` are for the items run locally.
    /// `providerMode` set means provider mode, with these limits; parameters, sanitizing and call limits
    /// are those of `localOptions`.
    BatchSession(Engine& engine, BatchStore& store, qint64 jobId, const QList<QList<CompareTarget>>& chains,
                 BatchRunner::Options localOptions, std::optional<ProviderBatchLimits> providerMode,
                 QObject* parent = nullptr);
    ~BatchSession() override;

    void start();
    /// Ctrl-C or closing the window: stops polling (the provider keeps its batch; a resume collects
    /// it) and the local items (those in flight go back to pending).
    void stop();
    /// Local items: no new ones are sent, those in flight finish. A provider's batch keeps running at
    /// the provider; pausing stops nothing there.
    void pause();
    void resume();
    bool isPaused() const;
    /// Cancels the run: local items in flight are cancelled (back to pending), and each remote batch is
    /// cancelled at the provider and polled until it has ended, so what the provider answered before
    /// the cancel is collected and the rest ends cancelled. Items still pending afterwards are the
    /// caller's to mark cancelled (BatchStore::cancelPending with cancelledAnswers()), on a thread
    /// where a long write stalls no window.
    void cancel();
    bool isCancelled() const { return m_cancelled; }

    bool isProviderMode() const { return m_providerMode; }
    int total() const;
    int finished() const;
    int failed() const;
    double spentUsd() const;
    bool budgetExhausted() const { return m_local && m_local->budgetExhausted(); }

    /// Per profile index of `chains`, the answer (AnswerJson) a pending item gets when its batch is
    /// cancelled (BatchStore::cancelPending).
    static QStringList cancelledAnswers(const QList<QList<CompareTarget>>& chains);

signals:
    void progress();
    /// A line for the user: which profiles run where, remote batches submitted, polled, merged.
    void statusReport(const QString& line);
    void itemStarted(const parallax::BatchItem& item);
    /// A locally run item finished; remote results arrive in bulk (remoteResultsMerged).
    void itemFinished(const parallax::BatchItem& item);
    /// A remote batch's results were written into its items (re-read them from the store).
    void remoteResultsMerged();
    void done();

private:
    void partDone();

    QList<CompareTarget> m_targets;
    QStringList m_notes;
    ProviderBatchRunner* m_remote = nullptr;
    BatchRunner* m_local = nullptr;
    bool m_providerMode = false;
    bool m_localOnly = false; ///< every profile local: the runner's own counts are the session's
    int m_localTotal = 0;
    int m_localFinishedAtStart = 0;
    int m_localFailedAtStart = 0;
    int m_localFinished = 0;
    int m_localFailed = 0;
    int m_partsRunning = 0;
    bool m_cancelled = false;
};

} // namespace parallax
