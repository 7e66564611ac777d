#pragma once

#include "app/AppProfile.h"
#include "batch/BatchJobTasks.h"
#include "batch/BatchProgress.h"
#include "batch/BatchRunner.h"
#include "engine/CompareTarget.h"

#include <QDockWidget>
#include <QList>
#include <QStringList>
#include <QTimer>

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
class BatchSession;
class BatchStore;
class Engine;
class KeyRing;
class ProfileLibrary;

/// The batch dock: import a CSV/JSONL/OpenAI-batch file (bad rows listed with their line numbers, the
/// rest imported), pick profiles, an optional prompt template, local or provider mode, concurrency and
/// a budget; start, then watch the table (one row per item × profile), progress, items/min, ETA and
/// spend; pause, resume, cancel, retry failed; open an item to read its answers side by side; export
/// the results as JSONL or CSV.
///
/// Requests run through the engine on this thread's event loop (asynchronous network; one short write
/// per item). Everything that reads or writes many rows — creating a job, loading the table,
/// cancelling the rest, retrying failed, exporting — runs on the thread pool (BatchJobTasks).
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
    QTableView* table() const { return m_table; }
    BatchSession* session() const { return m_session; }
    qint64 jobId() const { return m_jobId; }
    bool isRunning() const { return m_session != nullptr; }
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
    void cancel();
    void retryFailed();
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

private:
    void buildUi();
    void refreshProfiles();
    void refuse(const QString& reason);
    void showProblems(const QList<ImportProblem>& problems);
    void continueStart(const QList<AppProfile>& profiles, const QHash<QString, QString>& keys);
    void onCreated(const BatchJobTasks::Created& created);
    void startSession();
    void onSessionDone();
    void applyLoaded(const BatchJobTasks::Loaded& loaded, bool runFinished);
    void scheduleReload();
    void refreshStats();
    void updateButtons();
    void setStatus(const QString& text);
    QString databasePath() const;

    Engine* m_engine;
    ProfileLibrary* m_library;
    KeyRing* m_keys;
    std::unique_ptr<BatchStore> m_store;

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
    QList<QList<CompareTarget>> m_chains;
    BatchRunner::Options m_options;
    bool m_providerMode = false;
    int m_pollIntervalMs = 30'000;
    BatchSession* m_session = nullptr;
    BatchProgress m_progress;
    QTimer m_statsTimer;
    QTimer m_reloadDelay;
    int m_retryable = 0; ///< failed and cancelled items when the last run ended
    bool m_busy = false; ///< a job is being created, fetched or requeued on the thread pool
    bool m_fetchingKeys = false;
};

} // namespace parallax
