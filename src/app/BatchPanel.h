#pragma once

#include "app/AppProfile.h"
#include "batch/BatchJobTasks.h"
#include "batch/BatchProgress.h"
#include "batch/BatchRunner.h"
#include "batch/BatchStore.h"
#include "engine/CompareTarget.h"

#include <QDockWidget>
#include <QList>
#include <QStringList>
#include <QTimer>

#include <functional>
#include <memory>
#include <optional>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTableView;

namespace parallax {

class BatchItemDialog;
class BatchItemsModel;
class BatchJobListModel;
class BatchJobLock;
class BatchSession;
class Engine;
class FallbackChains;
class KeyRing;
class ProfileLibrary;

/// The batch dock: import a CSV/JSONL/OpenAI-batch file (bad rows listed with their line numbers, the
/// rest imported), pick profiles, an optional prompt template, local or provider mode, concurrency and
/// a budget; start, then watch the table (one row per item × profile), progress, items/min, ETA and
/// spend; pause, resume, cancel, retry failed; open an item to read its answers side by side; export
/// the results as JSONL or CSV.
///
/// Earlier batches started in a window (this one or one closed since, even one that crashed) are
/// listed from the database and can be reopened: the table shows their stored states, and Resume
/// continues one the way `parallax-cli batch --resume` does, through the same BatchSession (finished
/// items are never sent again, items a dead run left running are sent again, a provider's batch is
/// polled by its saved id instead of being submitted again). Cancel, Retry failed and Export work on a
/// reopened batch as on a fresh one. A job is locked (BatchJobLock) while this panel runs it, so two
/// windows, or a window and parallax-cli, never send its items side by side.
///
/// Requests run through the engine on this thread's event loop (asynchronous network; one short write
/// per item). Everything that reads or writes many rows — creating a job, listing jobs, loading the
/// table, cancelling the rest, retrying failed, exporting — runs on the thread pool (BatchJobTasks).
class BatchPanel : public QDockWidget {
    Q_OBJECT
public:
    /// `engine` may be null (no data folder): the panel then explains why it cannot run.
    BatchPanel(Engine* engine, ProfileLibrary* library, KeyRing* keys, QWidget* parent = nullptr);
    ~BatchPanel() override;

    /// Chooses the input and lists its problems (imported() follows); Start creates the job from it.
    void importFile(const QString& path);
    void setCheckedProfiles(const QStringList& names);
    QStringList checkedProfiles() const;
    /// Seconds between status checks of provider batches (default 30; tests use less).
    void setPollIntervalMs(int milliseconds) { m_pollIntervalMs = milliseconds; }

    BatchItemsModel* model() const { return m_model; }
    /// The earlier batches (refreshed when the dock is shown and when a run starts or ends).
    BatchJobListModel* jobList() const { return m_jobs; }
    QTableView* table() const { return m_table; }
    BatchSession* session() const { return m_session; }
    qint64 jobId() const { return m_jobId; }
    bool isRunning() const { return m_session != nullptr; }
    /// The job shown has items pending or running and no run here works on it: Resume continues it.
    bool canResume() const;
    const BatchProgress& progress() const { return m_progress; }
    /// The problems of the last import or start, one line each: "line 3: the prompt is empty".
    QStringList problemLines() const;

    /// Writes the job's results (JSONL or CSV by the extension) on the thread pool; exportFinished follows.
    void exportResults(const QString& path);
    /// The dialog for the input row of the item with this database id (shown, deleted on close).
    BatchItemDialog* openItem(qint64 itemDatabaseId);

public slots:
    void start();
    void togglePause();
    /// Continues the job shown (reopened, or stopped) as `parallax-cli batch --resume` does.
    void resumeBatch();
    /// Ends the batch: a running one as before; a reopened one that has not resumed ends the same way
    /// (pending items cancelled, a provider's batch still in progress cancelled there and collected).
    void cancel();
    void retryFailed();
    /// Lists the earlier batches again (jobsListed follows).
    void refreshJobs();
    /// Loads an earlier batch into the table (reopened follows); nothing is sent until Resume.
    void openJob(qint64 jobId);
    /// Opens the newest unfinished batch other than the one shown (the dock's "unfinished" note).
    void openLatestUnfinished();
    /// Stops without cancelling (closing the window): a provider keeps its batch, items in flight go back
    /// to pending.
    void stop();

signals:
    void imported(int rows, int problems);
    /// The job exists and its items are in the table; the run has begun.
    void started(qint64 jobId);
    /// The run ended (finished, cancelled, stopped or out of budget) and the table shows the stored states.
    void finished();
    void refused(const QString& reason);
    void exportFinished(bool ok, const QString& message);
    /// The list of earlier batches was read: how many there are, and how many are unfinished (other
    /// than the one shown).
    void jobsListed(int jobs, int unfinished);
    /// An earlier batch is in the table, as the database has it.
    void reopened(qint64 jobId);

private:
    void buildUi();
    void refreshProfiles();
    void refuse(const QString& reason);
    void showProblems(const QList<ImportProblem>& problems);
    void continueStart(const FallbackChains& chains, const QHash<QString, QString>& keys);
    /// The profiles with the fallback chains saved for them in settings.json.
    FallbackChains chainsFor(const QList<AppProfile>& profiles) const;
    /// The chains and options of a run from the window's profiles and keys; true when the profiles
    /// set different temperatures or token limits (the first one's are used).
    bool applyRunSettings(const FallbackChains& chains, const QHash<QString, QString>& keys, int concurrency,
                          std::optional<double> budgetUsd);
    /// Runs `then` once the chains of the job shown are known: a reopened job's profiles are found by
    /// name in the window's profiles and their keys fetched; a missing one is refused with a reason.
    void withRunSettings(std::function<void()> then);
    /// Takes the job's lock for a run; refuses (and returns false) when another run holds it.
    bool lockJob();
    void releaseJob();
    void onCreated(const BatchJobTasks::Created& created);
    void onReopened(const BatchJobTasks::Reopened& result);
    void showItems(BatchItemsModel::Snapshot snapshot);
    /// `cancelAtOnce`: a reopened batch being cancelled (its remote batches are cancelled once resumed).
    void startSession(const QString& status, bool cancelAtOnce = false);
    void resumeChecked();
    void cancelReopened();
    void onSessionDone();
    void applyLoaded(const BatchJobTasks::Loaded& loaded, bool runFinished);
    /// The items of this job, reloaded before a run goes on (retry, cancel): shown, or, on an error,
    /// the job released and the reason said. True when the run may go on.
    bool takeReloaded(const BatchJobTasks::Loaded& loaded);
    void updateUnfinishedNote();
    void scheduleReload();
    void refreshStats();
    void updateButtons();
    void setStatus(const QString& text);
    QString databasePath() const;

    Engine* m_engine;
    ProfileLibrary* m_library;
    KeyRing* m_keys;
    std::unique_ptr<BatchStore> m_store;

    // Earlier batches.
    QLabel* m_unfinishedNote = nullptr;
    QComboBox* m_jobCombo = nullptr;
    QPushButton* m_openJobButton = nullptr;
    BatchJobListModel* m_jobs = nullptr;
    int m_listGeneration = 0; ///< only the newest listing is shown
    // Input and choices.
    QPushButton* m_importButton = nullptr;
    QLabel* m_inputLabel = nullptr;
    QListWidget* m_problems = nullptr;
    QListWidget* m_profileList = nullptr;
    QLineEdit* m_templateEdit = nullptr;
    QComboBox* m_modeCombo = nullptr;
    QSpinBox* m_concurrency = nullptr;
    QDoubleSpinBox* m_budget = nullptr;
    QPushButton* m_startButton = nullptr;
    // Run.
    QComboBox* m_stateFilter = nullptr;
    QProgressBar* m_progressBar = nullptr;
    QLabel* m_stats = nullptr;
    QLabel* m_status = nullptr;
    QPushButton* m_pauseButton = nullptr;
    QPushButton* m_cancelButton = nullptr;
    QPushButton* m_retryButton = nullptr;
    QPushButton* m_exportButton = nullptr;
    QTableView* m_table = nullptr;
    BatchItemsModel* m_model = nullptr;

    QString m_inputPath;
    QList<ImportProblem> m_lastProblems;
    qint64 m_jobId = 0;
    QStringList m_profileNames;
    QList<QList<CompareTarget>> m_chains; ///< empty for a reopened job until a run needs them
    BatchRunner::Options m_options;
    BatchStore::RunSettings m_jobSettings; ///< what the job shown was started with
    bool m_providerMode = false;
    std::unique_ptr<BatchJobLock> m_lock; ///< held while this panel runs or changes the job
    int m_pollIntervalMs = 30'000;
    BatchSession* m_session = nullptr;
    BatchProgress m_progress;
    QTimer m_statsTimer;
    QTimer m_reloadDelay;
    int m_retryable = 0;  ///< failed and cancelled items when the last run ended
    int m_unfinished = 0; ///< pending and running items when the last run ended (or the job was opened)
    double m_storedSpentUsd = 0; ///< what the job's stored answers cost when the last run began or ended
    bool m_cancelAtOnce = false; ///< the session runs only to cancel a reopened batch
    bool m_busy = false;         ///< a job is being created, fetched or requeued on the thread pool
    bool m_fetchingKeys = false;
};

} // namespace parallax
