#include "BatchPanel.h"

#include "app/BatchItemDialog.h"
#include "app/KeyRing.h"
#include "app/ProfileLibrary.h"
#include "app/RequestBuilder.h"
#include "batch/BatchImporter.h"
#include "batch/BatchItemsModel.h"
#include "batch/BatchSession.h"
#include "batch/BatchStore.h"
#include "engine/Engine.h"
#include "engine/SanitizerConfig.h"
#include "sanitize/Sanitizer.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>
#include <QVBoxLayout>
#include <QtConcurrent>

namespace parallax {

namespace {

/// Runs `task` on the thread pool and hands its result to `then` on `context`'s thread. The task gets
/// only copies, so it may outlive the panel; `then` is dropped if the panel is gone.
template <typename Task, typename Then>
void runInBackground(QObject* context, Task task, Then then) {
    using Result = std::invoke_result_t<Task>;
    auto* watcher = new QFutureWatcher<Result>(context);
    QObject::connect(watcher, &QFutureWatcherBase::finished, context, [watcher, then = std::move(then)] {
        then(watcher->result());
        watcher->deleteLater();
    });
    watcher->setFuture(QtConcurrent::run(std::move(task)));
}

QString problemLine(const ImportProblem& problem) {
    return QObject::tr("line %1: %2").arg(problem.line).arg(problem.reason);
}

} // namespace

BatchPanel::BatchPanel(Engine* engine, ProfileLibrary* library, KeyRing* keys, QWidget* parent)
    : QDockWidget(tr("Batch"), parent)
    , m_engine(engine)
    , m_library(library)
    , m_keys(keys) {
    setObjectName(QStringLiteral("batchDock"));
    if (m_engine)
        m_store = std::make_unique<BatchStore>(m_engine->database());
    buildUi();
    refreshProfiles();
    connect(m_library, &ProfileLibrary::changed, this, &BatchPanel::refreshProfiles);
    // Items/min and ETA move with the clock even while no item finishes.
    m_statsTimer.setInterval(1000);
    connect(&m_statsTimer, &QTimer::timeout, this, &BatchPanel::refreshStats);
    // Provider results arrive in bulk; several merges in a row make one reload.
    m_reloadDelay.setInterval(200);
    m_reloadDelay.setSingleShot(true);
    connect(&m_reloadDelay, &QTimer::timeout, this, [this] {
        if (m_jobId == 0)
            return;
        runInBackground(
            this, [path = databasePath(), job = m_jobId] { return BatchJobTasks::load(path, job); },
            [this, job = m_jobId](const BatchJobTasks::Loaded& loaded) {
                if (job == m_jobId && m_session)
                    applyLoaded(loaded, false);
            });
    });
    updateButtons();
}

BatchPanel::~BatchPanel() {
    // The session's runners use the store and the engine: they go first.
    delete m_session;
}

void BatchPanel::buildUi() {
    auto* panel = new QWidget(this);

    m_importButton = new QPushButton(tr("Import…"), panel);
    m_importButton->setObjectName(QStringLiteral("batchImportButton"));
    m_importButton->setToolTip(tr("A CSV with a header row (prompt, optionally id and system; other columns "
                                  "are {{variables}}), JSONL lines {\"id\", \"prompt\", \"system\"?, "
                                  "\"vars\"?}, or an OpenAI Batch API input file"));
    m_inputLabel = new QLabel(tr("No file imported"), panel);
    m_inputLabel->setObjectName(QStringLiteral("batchInputLabel"));
    m_problems = new QListWidget(panel);
    m_problems->setObjectName(QStringLiteral("batchProblems"));
    m_problems->setMaximumHeight(80);
    m_problems->setVisible(false);

    m_profileList = new QListWidget(panel);
    m_profileList->setObjectName(QStringLiteral("batchProfiles"));
    m_profileList->setMaximumHeight(90);
    m_profileList->setToolTip(tr("Every row is sent to each checked profile"));
    m_templateEdit = new QLineEdit(panel);
    m_templateEdit->setObjectName(QStringLiteral("batchTemplate"));
    m_templateEdit->setClearButtonEnabled(true);
    m_templateEdit->setPlaceholderText(tr("Optional template, e.g. “Translate to French: {{prompt}}” — "
                                          "filled from each row's columns or vars"));
    m_modeCombo = new QComboBox(panel);
    m_modeCombo->setObjectName(QStringLiteral("batchMode"));
    m_modeCombo->addItem(tr("Local (streamed, now)"), QStringLiteral("local"));
    m_modeCombo->addItem(tr("Provider Batch API (OpenAI, Anthropic: half price, within 24 h)"),
                         QStringLiteral("provider"));
    m_concurrency = new QSpinBox(panel);
    m_concurrency->setObjectName(QStringLiteral("batchConcurrency"));
    m_concurrency->setRange(1, 256);
    m_concurrency->setValue(4);
    m_concurrency->setToolTip(tr("Requests in flight at once (local mode)"));
    m_budget = new QDoubleSpinBox(panel);
    m_budget->setObjectName(QStringLiteral("batchBudget"));
    m_budget->setRange(0, 1'000'000);
    m_budget->setDecimals(2);
    m_budget->setPrefix(QStringLiteral("$"));
    m_budget->setSpecialValueText(tr("no batch budget"));
    m_budget->setToolTip(tr("Refuse to start when the worst case could exceed it; stop once it is spent"));
    m_startButton = new QPushButton(tr("Start"), panel);
    m_startButton->setObjectName(QStringLiteral("batchStartButton"));

    auto* inputRow = new QHBoxLayout;
    inputRow->addWidget(m_importButton);
    inputRow->addWidget(m_inputLabel, 1);
    auto* choices = new QFormLayout;
    choices->addRow(tr("Profiles"), m_profileList);
    choices->addRow(tr("Template"), m_templateEdit);
    auto* settingsRow = new QHBoxLayout;
    settingsRow->addWidget(m_modeCombo, 1);
    settingsRow->addWidget(new QLabel(tr("Concurrency"), panel));
    settingsRow->addWidget(m_concurrency);
    settingsRow->addWidget(new QLabel(tr("Budget"), panel));
    settingsRow->addWidget(m_budget);
    settingsRow->addWidget(m_startButton);
    choices->addRow(tr("Run"), settingsRow);

    m_stateFilter = new QComboBox(panel);
    m_stateFilter->setObjectName(QStringLiteral("batchStateFilter"));
    m_stateFilter->addItem(tr("All"), -1);
    for (BatchItem::State state :
         {BatchItem::State::Pending, BatchItem::State::Running, BatchItem::State::Done,
          BatchItem::State::Failed, BatchItem::State::Cancelled})
        m_stateFilter->addItem(BatchItem::stateName(state), static_cast<int>(state));
    m_progressBar = new QProgressBar(panel);
    m_progressBar->setObjectName(QStringLiteral("batchProgress"));
    m_progressBar->setRange(0, 1);
    m_progressBar->setValue(0);
    m_stats = new QLabel(panel);
    m_stats->setObjectName(QStringLiteral("batchStats"));
    m_stats->setToolTip(tr("Items/min counts items finished in this run; ETA assumes that speed holds; spend "
                           "comes from the usage providers reported"));
    m_status = new QLabel(panel);
    m_status->setObjectName(QStringLiteral("batchStatus"));
    m_status->setWordWrap(true);
    m_pauseButton = new QPushButton(tr("Pause"), panel);
    m_pauseButton->setObjectName(QStringLiteral("batchPauseButton"));
    m_pauseButton->setToolTip(tr("Send no new items; those in flight finish. A provider's batch keeps "
                                 "running at the provider."));
    m_cancelButton = new QPushButton(tr("Cancel"), panel);
    m_cancelButton->setObjectName(QStringLiteral("batchCancelButton"));
    m_cancelButton->setToolTip(tr("End the batch: items not sent end cancelled; provider batches are "
                                  "cancelled there and what they had finished is kept"));
    m_retryButton = new QPushButton(tr("Retry failed"), panel);
    m_retryButton->setObjectName(QStringLiteral("batchRetryButton"));
    m_retryButton->setToolTip(tr("Send the failed and cancelled items again"));
    m_exportButton = new QPushButton(tr("Export…"), panel);
    m_exportButton->setObjectName(QStringLiteral("batchExportButton"));
    m_exportButton->setToolTip(
        tr("Results as JSONL (the lines parallax-cli batch writes) or CSV (one row per "
           "item and profile, with its metrics and answer)"));
    auto* runRow = new QHBoxLayout;
    runRow->addWidget(m_stateFilter);
    runRow->addWidget(m_progressBar, 1);
    runRow->addWidget(m_stats);
    runRow->addWidget(m_pauseButton);
    runRow->addWidget(m_cancelButton);
    runRow->addWidget(m_retryButton);
    runRow->addWidget(m_exportButton);

    m_table = new QTableView(panel);
    m_table->setObjectName(QStringLiteral("batchTable"));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setWordWrap(false);
    m_table->setAlternatingRowColors(true);
    // 100,000 rows stay smooth only when the view never measures them: one fixed height for all.
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setToolTip(tr("Double-click a row to read its prompt and every profile's answer"));

    auto* layout = new QVBoxLayout(panel);
    layout->addLayout(inputRow);
    layout->addWidget(m_problems);
    layout->addLayout(choices);
    layout->addLayout(runRow);
    layout->addWidget(m_status);
    layout->addWidget(m_table, 1);
    setWidget(panel);

    connect(m_importButton, &QPushButton::clicked, this, [this] {
        const QString path =
            QFileDialog::getOpenFileName(this, tr("Import batch prompts"), QString(),
                                         tr("Batch input (*.csv *.jsonl *.json);;All files (*)"));
        if (!path.isEmpty())
            importFile(path);
    });
    connect(m_startButton, &QPushButton::clicked, this, &BatchPanel::start);
    connect(m_pauseButton, &QPushButton::clicked, this, &BatchPanel::togglePause);
    connect(m_cancelButton, &QPushButton::clicked, this, &BatchPanel::cancel);
    connect(m_retryButton, &QPushButton::clicked, this, &BatchPanel::retryFailed);
    connect(m_exportButton, &QPushButton::clicked, this, [this] {
        const QString path =
            QFileDialog::getSaveFileName(this, tr("Export batch results"), QStringLiteral("results.jsonl"),
                                         tr("JSON Lines (*.jsonl);;CSV (*.csv)"));
        if (!path.isEmpty())
            exportResults(path);
    });
    connect(m_stateFilter, &QComboBox::currentIndexChanged, this, [this] {
        if (!m_model)
            return;
        const int state = m_stateFilter->currentData().toInt();
        m_model->setStateFilter(
            state < 0 ? std::nullopt : std::optional<BatchItem::State>(static_cast<BatchItem::State>(state)));
    });
    connect(m_table, &QTableView::doubleClicked, this, [this](const QModelIndex& index) {
        openItem(index.data(BatchItemsModel::ItemIdRole).toLongLong());
    });
}

QString BatchPanel::databasePath() const {
    return m_engine ? m_engine->database().path() : QString();
}

void BatchPanel::refreshProfiles() {
    const QStringList checked = checkedProfiles();
    m_profileList->clear();
    for (const AppProfile& profile : m_library->profiles()) {
        auto* item = new QListWidgetItem(profile.name(), m_profileList);
        item->setFlags(Qt::ItemIsUserCheckable | Qt::ItemIsEnabled);
        item->setCheckState(checked.contains(profile.name()) ? Qt::Checked : Qt::Unchecked);
        item->setToolTip(
            QStringLiteral("%1:%2").arg(providerKindName(profile.profile.kind), profile.profile.model));
    }
}

void BatchPanel::setCheckedProfiles(const QStringList& names) {
    for (int i = 0; i < m_profileList->count(); ++i) {
        QListWidgetItem* item = m_profileList->item(i);
        item->setCheckState(names.contains(item->text()) ? Qt::Checked : Qt::Unchecked);
    }
}

QStringList BatchPanel::checkedProfiles() const {
    QStringList names;
    for (int i = 0; i < m_profileList->count(); ++i) {
        if (m_profileList->item(i)->checkState() == Qt::Checked)
            names.append(m_profileList->item(i)->text());
    }
    return names;
}

QStringList BatchPanel::problemLines() const {
    QStringList lines;
    for (const ImportProblem& problem : m_lastProblems)
        lines.append(problemLine(problem));
    return lines;
}

void BatchPanel::showProblems(const QList<ImportProblem>& problems) {
    m_lastProblems = problems;
    m_problems->clear();
    for (const ImportProblem& problem : problems)
        m_problems->addItem(problemLine(problem) + tr(" — row skipped"));
    m_problems->setVisible(!problems.isEmpty());
}

void BatchPanel::setStatus(const QString& text) {
    m_status->setText(text);
}

void BatchPanel::refuse(const QString& reason) {
    setStatus(reason);
    emit refused(reason);
}

void BatchPanel::importFile(const QString& path) {
    m_inputPath = path;
    m_inputLabel->setText(tr("Reading %1…").arg(QFileInfo(path).fileName()));
    // A preview: the rows and problems as Start will see them (with the template typed so far).
    runInBackground(
        this,
        [path, promptTemplate = m_templateEdit->text().trimmed()] {
            QString error;
            std::optional<BatchImporter::Result> result =
                BatchImporter::importFile(path, &error, promptTemplate);
            return std::make_pair(result, error);
        },
        [this, path](const std::pair<std::optional<BatchImporter::Result>, QString>& outcome) {
            if (path != m_inputPath)
                return; // another file was chosen meanwhile
            const auto& [result, error] = outcome;
            if (!result) {
                m_inputPath.clear();
                m_inputLabel->setText(tr("No file imported"));
                showProblems({});
                refuse(error);
                updateButtons();
                return;
            }
            m_inputLabel->setText(
                tr("%1 · %n row(s)", nullptr, int(result->rows.size())).arg(QFileInfo(path).fileName()) +
                (result->problems.isEmpty()
                     ? QString()
                     : tr(" · %n row(s) skipped", nullptr, int(result->problems.size()))));
            showProblems(result->problems);
            setStatus(result->rows.isEmpty() ? tr("%1 has no usable rows.").arg(path)
                                             : tr("Pick profiles and press Start."));
            updateButtons();
            emit imported(int(result->rows.size()), int(result->problems.size()));
        });
}

void BatchPanel::start() {
    if (m_session || m_busy || m_fetchingKeys)
        return;
    if (!m_engine) {
        refuse(tr("Cannot run a batch: the data folder could not be opened."));
        return;
    }
    if (m_inputPath.isEmpty()) {
        refuse(tr("Import a file of prompts first."));
        return;
    }
    QList<AppProfile> profiles;
    QList<QPair<QString, ProviderKind>> wanted;
    for (const QString& name : checkedProfiles()) {
        if (const std::optional<AppProfile> profile = m_library->find(name)) {
            profiles.append(*profile);
            wanted.append({name, profile->profile.kind});
        }
    }
    if (profiles.isEmpty()) {
        refuse(tr("Check at least one profile to send the batch to."));
        return;
    }
    m_fetchingKeys = true;
    updateButtons();
    m_keys->keys(wanted, this, [this, profiles](QHash<QString, QString> keys) {
        m_fetchingKeys = false;
        QStringList missing;
        for (const AppProfile& profile : profiles) {
            if (requiresApiKey(profile.profile.kind) && keys.value(profile.name()).isEmpty())
                missing.append(profile.name());
        }
        if (!missing.isEmpty()) {
            updateButtons();
            refuse(tr("No API key for %1: add it in Providers ▸ Manage profiles and keys. Nothing was sent.")
                       .arg(missing.join(QStringLiteral(", "))));
            return;
        }
        continueStart(profiles, keys);
    });
}

void BatchPanel::continueStart(const QList<AppProfile>& profiles, const QHash<QString, QString>& keys) {
    m_providerMode = m_modeCombo->currentData().toString() == QLatin1String("provider");
    m_profileNames.clear();
    m_chains.clear();
    BatchJobTasks::CreateRequest request;
    const QJsonObject sanitize = m_engine->settings().section(QStringLiteral("sanitize"));
    m_options = BatchRunner::Options();
    m_options.concurrency = m_concurrency->value();
    m_options.sanitizer = std::make_shared<const Sanitizer>(SanitizerConfig::fromJson(sanitize));
    bool conflict = false;
    RequestBuilder::applyParameters(m_options.parameters, profiles, &conflict);
    for (const AppProfile& profile : profiles) {
        m_profileNames.append(profile.name());
        m_chains.append({CompareTarget{profile.profile, keys.value(profile.name())}});
        m_options.profileSanitized.append(SanitizerConfig::sanitizes(profile.profile, sanitize));
        request.profiles.append(profile.profile);
    }
    if (m_budget->value() > 0)
        m_options.budgetUsd = m_budget->value();
    request.databasePath = databasePath();
    request.inputPath = m_inputPath;
    request.promptTemplate = m_templateEdit->text().trimmed();
    request.profileNames = m_profileNames;
    request.prices = m_engine->prices();
    request.providerMode = m_providerMode;
    request.concurrency = m_options.concurrency;
    request.maxOutputTokens = m_options.parameters.maxTokens.value_or(4096);
    request.budgetUsd = m_options.budgetUsd;
    m_busy = true;
    updateButtons();
    setStatus(conflict ? tr("Creating the batch… (the profiles set different temperatures or token limits; "
                            "the batch uses those of %1)")
                             .arg(profiles.first().name())
                       : tr("Creating the batch…"));
    runInBackground(
        this, [request] { return BatchJobTasks::create(request); },
        [this](const BatchJobTasks::Created& created) { onCreated(created); });
}

void BatchPanel::onCreated(const BatchJobTasks::Created& created) {
    m_busy = false;
    showProblems(created.problems);
    if (created.jobId == 0) {
        updateButtons();
        refuse(created.error);
        return;
    }
    m_jobId = created.jobId;
    BatchItemsModel* old = m_model;
    QItemSelectionModel* oldSelection = m_table->selectionModel();
    m_model = new BatchItemsModel(m_profileNames, this);
    m_model->setSnapshot(created.snapshot);
    m_table->setModel(m_model);
    delete oldSelection; // setModel makes a new one and leaves the old to its owner
    delete old;
    m_stateFilter->setCurrentIndex(0);
    if (created.estimate.unknownPrice && m_options.budgetUsd)
        setStatus(tr("Some models have no known price; the budget covers only the others."));
    startSession();
}

void BatchPanel::startSession() {
    m_session = new BatchSession(*m_engine, *m_store, m_jobId, m_chains, m_options,
                                 m_providerMode ? std::optional<int>(m_pollIntervalMs) : std::nullopt, this);
    connect(m_session, &BatchSession::itemStarted, m_model, &BatchItemsModel::updateItem);
    connect(m_session, &BatchSession::itemFinished, m_model, &BatchItemsModel::updateItem);
    connect(m_session, &BatchSession::progress, this, &BatchPanel::refreshStats);
    connect(m_session, &BatchSession::remoteResultsMerged, this, &BatchPanel::scheduleReload);
    connect(m_session, &BatchSession::statusReport, this, &BatchPanel::setStatus);
    connect(m_session, &BatchSession::done, this, &BatchPanel::onSessionDone);
    setStatus(m_providerMode ? tr("Submitting to the providers' Batch APIs…") : tr("Running…"));
    m_statsTimer.start();
    updateButtons();
    emit started(m_jobId);
    BatchSession* session = m_session;
    session->start();
    if (m_session == session) // a job with nothing to send ends inside start()
        m_progress.start(session->finished());
    refreshStats();
}

void BatchPanel::scheduleReload() {
    m_reloadDelay.start();
}

void BatchPanel::refreshStats() {
    if (m_session)
        m_progress.update(m_session->finished(), m_session->total(), m_session->failed(),
                          m_session->spentUsd());
    m_progressBar->setRange(0, qMax(1, m_progress.total()));
    m_progressBar->setValue(qMin(m_progress.finished(), m_progressBar->maximum()));
    m_stats->setText(m_progress.total() > 0 ? m_progress.summary() : QString());
}

void BatchPanel::togglePause() {
    if (!m_session || m_session->isCancelled())
        return;
    if (m_session->isPaused()) {
        m_session->resume();
        setStatus(tr("Running…"));
    } else {
        m_session->pause();
        setStatus(m_providerMode
                      ? tr("Paused: no new local items are sent; the providers' batches keep running "
                           "there.")
                      : tr("Paused: no new items are sent; those in flight finish."));
    }
    updateButtons();
}

void BatchPanel::cancel() {
    if (!m_session || m_session->isCancelled())
        return;
    setStatus(m_providerMode ? tr("Cancelling: the providers are asked to cancel their batches; what they "
                                  "finished is collected…")
                             : tr("Cancelling…"));
    m_session->cancel();
    updateButtons();
}

void BatchPanel::stop() {
    if (m_session)
        m_session->stop();
}

void BatchPanel::retryFailed() {
    if (m_session || m_busy || m_jobId == 0)
        return;
    m_busy = true;
    updateButtons();
    setStatus(tr("Sending the failed items again…"));
    runInBackground(
        this, [path = databasePath(), job = m_jobId] { return BatchJobTasks::requeueFailed(path, job); },
        [this](const BatchJobTasks::Loaded& loaded) {
            m_busy = false;
            if (!loaded.error.isEmpty()) {
                updateButtons();
                refuse(loaded.error);
                return;
            }
            applyLoaded(loaded, false);
            startSession();
        });
}

void BatchPanel::onSessionDone() {
    m_statsTimer.stop();
    refreshStats();
    const bool cancelled = m_session->isCancelled();
    const bool outOfBudget = m_session->budgetExhausted();
    m_session->deleteLater(); // done() may come from deep inside one of its runners
    m_session = nullptr;
    m_busy = true;
    updateButtons();
    const QString path = databasePath();
    const qint64 job = m_jobId;
    const auto then = [this, cancelled, outOfBudget](const BatchJobTasks::Loaded& loaded) {
        m_busy = false;
        applyLoaded(loaded, true);
        if (!loaded.error.isEmpty())
            refuse(loaded.error);
        else if (cancelled)
            setStatus(tr("Cancelled. Finished items keep their results; the rest are cancelled."));
        else if (outOfBudget)
            setStatus(tr("Stopped: the batch budget is spent."));
        else
            setStatus(
                tr("Finished: %1 items, %2 failed.").arg(m_progress.finished()).arg(m_progress.failed()));
        emit finished();
    };
    if (cancelled) {
        runInBackground(
            this,
            [path, job, answers = BatchSession::cancelledAnswers(m_chains)] {
                return BatchJobTasks::cancelPending(path, job, answers);
            },
            then);
    } else {
        runInBackground(
            this, [path, job] { return BatchJobTasks::load(path, job); }, then);
    }
}

void BatchPanel::applyLoaded(const BatchJobTasks::Loaded& loaded, bool runFinished) {
    if (loaded.error.isEmpty() && m_model)
        m_model->setSnapshot(loaded.snapshot);
    if (runFinished && loaded.error.isEmpty()) {
        // The counts as stored, whatever the run knew: cancelled and retried items included.
        m_progress.update(loaded.finished, loaded.total, loaded.failed, m_progress.spentUsd());
        m_retryable = loaded.failed + loaded.cancelled;
        refreshStats();
    }
    updateButtons();
}

void BatchPanel::updateButtons() {
    const bool running = m_session != nullptr;
    const bool idle = !running && !m_busy && !m_fetchingKeys;
    m_importButton->setEnabled(idle);
    m_startButton->setEnabled(idle && !m_inputPath.isEmpty() && m_engine);
    m_pauseButton->setEnabled(running && !m_session->isCancelled());
    m_pauseButton->setText(running && m_session->isPaused() ? tr("Resume") : tr("Pause"));
    m_cancelButton->setEnabled(running && !m_session->isCancelled());
    m_retryButton->setEnabled(idle && m_jobId != 0 && m_retryable > 0);
    m_exportButton->setEnabled(!m_busy && m_jobId != 0);
}

void BatchPanel::exportResults(const QString& path) {
    if (m_jobId == 0) {
        emit exportFinished(false, tr("Nothing to export yet: start a batch first."));
        return;
    }
    runInBackground(
        this,
        [db = databasePath(), job = m_jobId, names = m_profileNames, path] {
            return BatchJobTasks::exportResults(db, job, names, path);
        },
        [this](const BatchJobTasks::Exported& exported) {
            if (!exported.summary) {
                setStatus(exported.error);
                emit exportFinished(false, exported.error);
                return;
            }
            const QString message =
                exported.summary->unfinished > 0
                    ? tr("Exported %1 results to %2 (%3 items not finished yet are not included).")
                          .arg(exported.summary->written)
                          .arg(exported.path)
                          .arg(exported.summary->unfinished)
                    : tr("Exported %1 results to %2.").arg(exported.summary->written).arg(exported.path);
            setStatus(message);
            emit exportFinished(true, message);
        });
}

BatchItemDialog* BatchPanel::openItem(qint64 itemDatabaseId) {
    if (!m_store || itemDatabaseId == 0)
        return nullptr;
    // One indexed lookup of a few rows: quick enough for this thread.
    const QList<BatchItem> items = m_store->rowItems(itemDatabaseId);
    if (items.isEmpty())
        return nullptr;
    auto* dialog = new BatchItemDialog(items, m_profileNames, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
    return dialog;
}

} // namespace parallax
