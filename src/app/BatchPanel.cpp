#include "BatchPanel.h"

#include "app/BatchItemDialog.h"
#include "app/FallbackChains.h"
#include "app/KeyRing.h"
#include "app/ProfileLibrary.h"
#include "app/RequestBuilder.h"
#include "batch/BatchImporter.h"
#include "batch/BatchItemsModel.h"
#include "batch/BatchJobListModel.h"
#include "batch/BatchJobLock.h"
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
#include <QLocale>
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
    // The earlier batches are read when the dock is shown: a closed dock costs nothing.
    connect(this, &QDockWidget::visibilityChanged, this, [this](bool visible) {
        if (visible)
            refreshJobs();
    });
    updateButtons();
}

BatchPanel::~BatchPanel() {
    // The session's runners use the store and the engine: they go first.
    delete m_session;
}

void BatchPanel::buildUi() {
    auto* panel = new QWidget(this);

    m_unfinishedNote = new QLabel(panel);
    m_unfinishedNote->setObjectName(QStringLiteral("batchUnfinishedNote"));
    m_unfinishedNote->setTextFormat(Qt::RichText);
    m_unfinishedNote->setTextInteractionFlags(Qt::LinksAccessibleByMouse | Qt::LinksAccessibleByKeyboard);
    m_unfinishedNote->setVisible(false);
    m_jobs = new BatchJobListModel(this);
    m_jobCombo = new QComboBox(panel);
    m_jobCombo->setObjectName(QStringLiteral("batchEarlierJobs"));
    m_jobCombo->setModel(m_jobs);
    m_jobCombo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_jobCombo->setMinimumContentsLength(30);
    m_jobCombo->setPlaceholderText(tr("No earlier batches"));
    m_jobCombo->setToolTip(tr("Batches started in this window or an earlier one, newest first"));
    m_openJobButton = new QPushButton(tr("Open"), panel);
    m_openJobButton->setObjectName(QStringLiteral("batchOpenJobButton"));
    m_openJobButton->setToolTip(tr("Show this batch in the table; Resume continues it if it did not finish"));

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

    auto* jobsRow = new QHBoxLayout;
    jobsRow->addWidget(new QLabel(tr("Earlier batches"), panel));
    jobsRow->addWidget(m_jobCombo, 1);
    jobsRow->addWidget(m_openJobButton);
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
    layout->addWidget(m_unfinishedNote);
    layout->addLayout(jobsRow);
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
    // One button: pauses and resumes a run, and resumes a batch that is not running (reopened or stopped).
    connect(m_pauseButton, &QPushButton::clicked, this, [this] {
        if (m_session)
            togglePause();
        else
            resumeBatch();
    });
    connect(m_openJobButton, &QPushButton::clicked, this, [this] {
        const qint64 job = m_jobCombo->currentData(BatchJobListModel::JobIdRole).toLongLong();
        if (job != 0)
            openJob(job);
    });
    connect(m_unfinishedNote, &QLabel::linkActivated, this, &BatchPanel::openLatestUnfinished);
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
    for (const QString& name : checkedProfiles()) {
        if (const std::optional<AppProfile> profile = m_library->find(name))
            profiles.append(*profile);
    }
    if (profiles.isEmpty()) {
        refuse(tr("Check at least one profile to send the batch to."));
        return;
    }
    const FallbackChains chains = chainsFor(profiles);
    m_fetchingKeys = true;
    updateButtons();
    m_keys->keys(chains.keyRequests(), this, [this, chains](QHash<QString, QString> keys) {
        m_fetchingKeys = false;
        const QStringList missing = chains.missingKeys(keys);
        if (!missing.isEmpty()) {
            updateButtons();
            refuse(tr("No API key for %1: add it in Providers ▸ Manage profiles and keys. Nothing was sent.")
                       .arg(missing.join(QStringLiteral(", "))));
            return;
        }
        continueStart(chains, keys);
    });
}

FallbackChains BatchPanel::chainsFor(const QList<AppProfile>& profiles) const {
    return FallbackChains(profiles, m_engine->settings().section(QStringLiteral("fallback")), *m_library);
}

bool BatchPanel::applyRunSettings(const FallbackChains& chains, const QHash<QString, QString>& keys,
                                  int concurrency, std::optional<double> budgetUsd) {
    m_profileNames.clear();
    const QJsonObject sanitize = m_engine->settings().section(QStringLiteral("sanitize"));
    m_options = BatchRunner::Options();
    m_options.concurrency = concurrency;
    m_options.sanitizer = std::make_shared<const Sanitizer>(SanitizerConfig::fromJson(sanitize));
    QList<AppProfile> profiles;
    for (const QList<AppProfile>& chain : chains.chains()) {
        profiles.append(chain.first());
        m_profileNames.append(chain.first().name());
        // One request goes down the whole chain: raw only when every profile in it may get raw text.
        QList<ProviderProfile> hops;
        for (const AppProfile& hop : chain)
            hops.append(hop.profile);
        m_options.profileSanitized.append(SanitizerConfig::sanitizesChain(hops, sanitize));
    }
    m_chains = chains.targets(keys);
    bool conflict = false;
    RequestBuilder::applyParameters(m_options.parameters, profiles, &conflict);
    m_options.budgetUsd = budgetUsd;
    return conflict;
}

void BatchPanel::continueStart(const FallbackChains& chains, const QHash<QString, QString>& keys) {
    m_providerMode = m_modeCombo->currentData().toString() == QLatin1String("provider");
    QList<AppProfile> profiles;
    for (const QList<AppProfile>& chain : chains.chains())
        profiles.append(chain.first());
    const bool conflict =
        applyRunSettings(chains, keys, m_concurrency->value(),
                         m_budget->value() > 0 ? std::optional<double>(m_budget->value()) : std::nullopt);
    m_jobSettings = BatchStore::RunSettings{m_providerMode, m_options.concurrency, m_options.budgetUsd};
    BatchJobTasks::CreateRequest request;
    for (const AppProfile& profile : profiles)
        request.profiles.append(profile.profile);
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
    setStatus((conflict ? tr("Creating the batch… (the profiles set different temperatures or token limits; "
                             "the batch uses those of %1)")
                              .arg(profiles.first().name())
                        : tr("Creating the batch…")) +
              (chains.problems().isEmpty() ? QString()
                                           : QLatin1Char(' ') + chains.problems().join(QLatin1Char(' '))));
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
    m_progress = BatchProgress();
    m_storedSpentUsd = 0;
    m_retryable = 0;
    m_unfinished = 0;
    showItems(created.snapshot);
    refreshJobs();
    if (!lockJob()) {
        m_unfinished = static_cast<int>(created.snapshot.rows.size()); // Resume once the lock is free
        updateButtons();
        return;
    }
    startSession(created.estimate.unknownPrice && m_options.budgetUsd
                     ? tr("Some models have no known price; the budget covers only the others.")
                 : m_providerMode ? tr("Submitting to the providers' Batch APIs…")
                                  : tr("Running…"));
}

void BatchPanel::showItems(BatchItemsModel::Snapshot snapshot) {
    BatchItemsModel* old = m_model;
    QItemSelectionModel* oldSelection = m_table->selectionModel();
    m_model = new BatchItemsModel(m_profileNames, this);
    m_model->setSnapshot(std::move(snapshot));
    m_table->setModel(m_model);
    delete oldSelection; // setModel makes a new one and leaves the old to its owner
    delete old;
    m_stateFilter->setCurrentIndex(0);
}

bool BatchPanel::lockJob() {
    if (m_lock && m_lock->isLocked())
        return true;
    m_lock = std::make_unique<BatchJobLock>(databasePath(), m_jobId);
    if (m_lock->tryLock())
        return true;
    const QString holder = m_lock->holder();
    m_lock.reset();
    updateButtons();
    refuse(tr("This batch is being run by %1 (another Parallax window or parallax-cli). It can go on here "
              "once that run has ended.")
               .arg(holder));
    return false;
}

void BatchPanel::releaseJob() {
    m_lock.reset();
}

void BatchPanel::startSession(const QString& status, bool cancelAtOnce) {
    m_cancelAtOnce = cancelAtOnce;
    m_session = new BatchSession(
        *m_engine, *m_store, m_jobId, m_chains, m_options,
        m_providerMode ? std::optional(ProviderBatchLimits{m_pollIntervalMs, 0, 0}) : std::nullopt, this);
    connect(m_session, &BatchSession::itemStarted, m_model, &BatchItemsModel::updateItem);
    connect(m_session, &BatchSession::itemFinished, m_model, &BatchItemsModel::updateItem);
    connect(m_session, &BatchSession::progress, this, &BatchPanel::refreshStats);
    connect(m_session, &BatchSession::remoteResultsMerged, this, &BatchPanel::scheduleReload);
    connect(m_session, &BatchSession::statusReport, this, &BatchPanel::setStatus);
    connect(m_session, &BatchSession::done, this, &BatchPanel::onSessionDone);
    setStatus(status);
    m_statsTimer.start();
    updateButtons();
    emit started(m_jobId);
    BatchSession* session = m_session;
    session->start();
    if (m_session == session) { // a job with nothing to send ends inside start()
        m_progress.start(session->finished());
        // After start(), as parallax-cli batch --cancel does: the remote batches it resumed are cancelled.
        if (cancelAtOnce)
            session->cancel();
    }
    refreshStats();
}

void BatchPanel::scheduleReload() {
    m_reloadDelay.start();
}

void BatchPanel::refreshStats() {
    if (m_session)
        m_progress.update(m_session->finished(), m_session->total(), m_session->failed(),
                          m_storedSpentUsd + m_session->spentUsd());
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
    if (!m_session) {
        if (canResume())
            withRunSettings([this] { cancelReopened(); });
        return;
    }
    if (m_session->isCancelled())
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
    if (m_session || m_busy || m_fetchingKeys || m_jobId == 0)
        return;
    withRunSettings([this] {
        if (!lockJob())
            return;
        m_busy = true;
        updateButtons();
        setStatus(tr("Sending the failed items again…"));
        runInBackground(
            this, [path = databasePath(), job = m_jobId] { return BatchJobTasks::requeueFailed(path, job); },
            [this](const BatchJobTasks::Loaded& loaded) {
                if (!takeReloaded(loaded))
                    return;
                startSession(m_providerMode ? tr("Submitting the failed items to the providers' Batch APIs…")
                                            : tr("Sending the failed items again…"));
            });
    });
}

bool BatchPanel::canResume() const {
    return !m_session && !m_busy && !m_fetchingKeys && m_jobId != 0 && m_unfinished > 0;
}

void BatchPanel::withRunSettings(std::function<void()> then) {
    if (!m_engine) {
        refuse(tr("Cannot run a batch: the data folder could not be opened."));
        return;
    }
    if (!m_chains.isEmpty() && m_chains.size() == m_profileNames.size()) {
        then();
        return;
    }
    // A reopened job: its profiles by name, as the window knows them now, with their saved chains.
    QList<AppProfile> profiles;
    QStringList missing;
    for (const QString& name : std::as_const(m_profileNames)) {
        if (const std::optional<AppProfile> profile = m_library->find(name))
            profiles.append(*profile);
        else
            missing.append(name);
    }
    if (!missing.isEmpty() || profiles.isEmpty()) {
        refuse(tr("This batch was sent to %1, which is no longer among the profiles. Add it again under the "
                  "same name (Providers ▸ Profiles and keys) to go on with the batch; its results can be "
                  "exported as they are.")
                   .arg(missing.isEmpty() ? tr("no profile") : missing.join(QStringLiteral(", "))));
        return;
    }
    const FallbackChains chains = chainsFor(profiles);
    m_fetchingKeys = true;
    updateButtons();
    m_keys->keys(
        chains.keyRequests(), this,
        [this, chains, job = m_jobId, then = std::move(then)](QHash<QString, QString> keys) {
            m_fetchingKeys = false;
            if (job != m_jobId || m_session) {
                updateButtons();
                return; // another batch was opened meanwhile
            }
            const QStringList noKey = chains.missingKeys(keys);
            if (!noKey.isEmpty()) {
                updateButtons();
                refuse(
                    tr("No API key for %1: add it in Providers ▸ Manage profiles and keys. Nothing was sent.")
                        .arg(noKey.join(QStringLiteral(", "))));
                return;
            }
            // As it was started: its mode, concurrency and budget are the job's, not the form's.
            applyRunSettings(chains, keys,
                             m_jobSettings.concurrency > 0 ? m_jobSettings.concurrency
                                                           : m_concurrency->value(),
                             m_jobSettings.budgetUsd);
            updateButtons();
            then();
        });
}

void BatchPanel::resumeBatch() {
    if (!canResume())
        return;
    withRunSettings([this] {
        if (!lockJob())
            return;
        if (!m_options.budgetUsd) {
            resumeChecked();
            return;
        }
        // As parallax-cli batch --resume does: refused when the worst case of what is left could exceed
        // the batch's budget.
        BatchJobTasks::BudgetRequest request;
        request.databasePath = databasePath();
        request.jobId = m_jobId;
        for (const QList<CompareTarget>& chain : std::as_const(m_chains))
            request.profiles.append(chain.first().profile);
        request.prices = m_engine->prices();
        request.providerMode = m_providerMode;
        request.maxOutputTokens = m_options.parameters.maxTokens.value_or(4096);
        request.budgetUsd = *m_options.budgetUsd;
        m_busy = true;
        updateButtons();
        setStatus(tr("Checking the batch budget…"));
        runInBackground(
            this, [request] { return BatchJobTasks::checkBudget(request); },
            [this](const BatchJobTasks::BudgetVerdict& verdict) {
                m_busy = false;
                if (!verdict.refusal.isEmpty()) {
                    releaseJob();
                    updateButtons();
                    refuse(verdict.refusal);
                    return;
                }
                resumeChecked();
                if (verdict.unknownPrice && m_session)
                    setStatus(tr("Some models have no known price; the budget covers only the others."));
            });
    });
}

void BatchPanel::resumeChecked() {
    // The session does what --resume does: items a dead run left running go back to pending, finished
    // ones stay as they are, a provider's batch is polled by its saved id.
    startSession(m_providerMode ? tr("Resuming: polling the providers' batches and sending what is left…")
                                : tr("Resuming…"));
}

void BatchPanel::cancelReopened() {
    if (!lockJob())
        return;
    m_busy = true;
    updateButtons();
    setStatus(tr("Cancelling…"));
    runInBackground(
        this,
        [path = databasePath(), job = m_jobId, answers = BatchSession::cancelledAnswers(m_chains)] {
            return BatchJobTasks::cancelUnfinished(path, job, answers);
        },
        [this](const BatchJobTasks::Loaded& loaded) {
            if (!takeReloaded(loaded))
                return;
            if (loaded.unfinished > 0) {
                // Items still running are in a provider's batch: cancelled there, what it answered collected.
                startSession(tr("Cancelling: the providers are asked to cancel their batches; what they "
                                "finished is collected…"),
                             true);
                return;
            }
            applyLoaded(loaded, true);
            releaseJob();
            setStatus(tr("Cancelled. Finished items keep their results; the rest are cancelled."));
            refreshJobs();
            emit finished();
        });
}

void BatchPanel::onSessionDone() {
    m_statsTimer.stop();
    refreshStats();
    const bool cancelled = m_session->isCancelled() || m_cancelAtOnce;
    const bool outOfBudget = m_session->budgetExhausted();
    m_session->deleteLater(); // done() may come from deep inside one of its runners
    m_session = nullptr;
    m_busy = true;
    updateButtons();
    const QString path = databasePath();
    const qint64 job = m_jobId;
    const auto then = [this, cancelled, outOfBudget](const BatchJobTasks::Loaded& loaded) {
        m_busy = false;
        releaseJob();
        applyLoaded(loaded, true);
        if (!loaded.error.isEmpty())
            refuse(loaded.error);
        else if (cancelled)
            setStatus(tr("Cancelled. Finished items keep their results; the rest are cancelled."));
        else if (outOfBudget)
            setStatus(tr("Stopped: the batch budget is spent."));
        else if (loaded.unfinished > 0)
            setStatus(tr("Stopped with %n item(s) not finished; Resume continues the batch.", nullptr,
                         loaded.unfinished));
        else
            setStatus(
                tr("Finished: %1 items, %2 failed.").arg(m_progress.finished()).arg(m_progress.failed()));
        refreshJobs();
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

bool BatchPanel::takeReloaded(const BatchJobTasks::Loaded& loaded) {
    m_busy = false;
    if (!loaded.error.isEmpty()) {
        releaseJob();
        updateButtons();
        refuse(loaded.error);
        return false;
    }
    applyLoaded(loaded, false);
    m_storedSpentUsd = loaded.spentUsd;
    return true;
}

void BatchPanel::applyLoaded(const BatchJobTasks::Loaded& loaded, bool runFinished) {
    if (loaded.error.isEmpty() && m_model)
        m_model->setSnapshot(loaded.snapshot);
    if (runFinished && loaded.error.isEmpty()) {
        // The counts and spend as stored, whatever the run knew: cancelled and retried items included.
        m_storedSpentUsd = loaded.spentUsd;
        m_progress.update(loaded.finished, loaded.total, loaded.failed, loaded.spentUsd);
        m_retryable = loaded.failed + loaded.cancelled;
        m_unfinished = loaded.unfinished;
        refreshStats();
    }
    updateButtons();
}

void BatchPanel::refreshJobs() {
    if (!m_engine)
        return;
    const int generation = ++m_listGeneration;
    runInBackground(
        this, [path = databasePath()] { return BatchJobTasks::listWindowJobs(path); },
        [this, generation](const BatchJobTasks::Listed& listed) {
            if (generation != m_listGeneration)
                return; // a newer listing is on its way
            if (!listed.error.isEmpty()) {
                m_unfinishedNote->setText(tr("The earlier batches could not be read: %1").arg(listed.error));
                m_unfinishedNote->setVisible(true);
                return;
            }
            const qint64 selected = m_jobCombo->currentData(BatchJobListModel::JobIdRole).toLongLong();
            m_jobs->setJobs(listed.jobs);
            // The batch shown, else the one picked before, else the newest.
            int row = m_jobs->rowOf(m_jobId);
            if (row < 0)
                row = m_jobs->rowOf(selected);
            m_jobCombo->setCurrentIndex(row >= 0 ? row : (m_jobs->rowCount() > 0 ? 0 : -1));
            updateUnfinishedNote();
            updateButtons();
            emit jobsListed(m_jobs->rowCount(), static_cast<int>(m_jobs->unfinishedJobs(m_jobId).size()));
        });
}

void BatchPanel::updateUnfinishedNote() {
    const qsizetype unfinished = m_jobs->unfinishedJobs(m_jobId).size();
    m_unfinishedNote->setVisible(unfinished > 0);
    if (unfinished == 0)
        return;
    m_unfinishedNote->setText(
        unfinished == 1 ? tr("1 unfinished batch — <a href=\"open\">Open</a>")
                        : tr("%1 unfinished batches — <a href=\"open\">Open the latest</a> or pick one below")
                              .arg(unfinished));
    m_unfinishedNote->setToolTip(tr("A batch that did not finish (the window was closed, or the program "
                                    "ended) keeps its finished items; open it to resume or cancel it"));
}

void BatchPanel::openLatestUnfinished() {
    const QList<qint64> unfinished = m_jobs->unfinishedJobs(m_jobId);
    if (!unfinished.isEmpty())
        openJob(unfinished.first());
}

void BatchPanel::openJob(qint64 jobId) {
    if (!m_engine || jobId == 0)
        return;
    if (m_session) {
        refuse(tr("A batch is running here: cancel it or let it end before opening another."));
        return;
    }
    if (m_busy || m_fetchingKeys) {
        refuse(tr("The batch shown is being started or ended; open the other one in a moment."));
        return;
    }
    m_busy = true;
    updateButtons();
    setStatus(tr("Opening the batch…"));
    runInBackground(
        this, [path = databasePath(), jobId] { return BatchJobTasks::reopen(path, jobId); },
        [this](const BatchJobTasks::Reopened& result) { onReopened(result); });
}

void BatchPanel::onReopened(const BatchJobTasks::Reopened& result) {
    m_busy = false;
    if (!result.job || !result.loaded.error.isEmpty()) {
        updateButtons();
        refuse(result.loaded.error);
        return;
    }
    const BatchStore::Job& job = *result.job;
    const BatchJobTasks::Loaded& loaded = result.loaded;
    releaseJob();
    m_jobId = job.id;
    m_profileNames = job.profiles;
    m_jobSettings = job.settings;
    m_providerMode = job.settings.providerMode;
    m_chains.clear(); // from the window's profiles and keys once a run needs them
    showItems(loaded.snapshot);
    m_progress = BatchProgress();
    m_storedSpentUsd = loaded.spentUsd;
    m_progress.update(loaded.finished, loaded.total, loaded.failed, loaded.spentUsd);
    m_retryable = loaded.failed + loaded.cancelled;
    m_unfinished = loaded.unfinished;
    refreshStats();
    const QString created = QLocale().toString(job.createdAt.toLocalTime(), QLocale::ShortFormat);
    setStatus(m_unfinished > 0
                  ? tr("The batch of %1 did not finish: %2 of %3 items are finished. Resume continues it "
                       "without sending them again; Cancel ends it.")
                        .arg(created)
                        .arg(loaded.total - m_unfinished)
                        .arg(loaded.total)
                  : tr("The batch of %1, as it finished.").arg(created));
    if (const int row = m_jobs->rowOf(m_jobId); row >= 0)
        m_jobCombo->setCurrentIndex(row);
    updateUnfinishedNote();
    updateButtons();
    emit reopened(m_jobId);
}

void BatchPanel::updateButtons() {
    const bool running = m_session != nullptr;
    const bool idle = !running && !m_busy && !m_fetchingKeys;
    const bool resumable = canResume();
    m_importButton->setEnabled(idle);
    m_startButton->setEnabled(idle && !m_inputPath.isEmpty() && m_engine);
    m_openJobButton->setEnabled(idle && m_jobs->rowCount() > 0);
    m_jobCombo->setEnabled(m_jobs->rowCount() > 0);
    m_pauseButton->setEnabled((running && !m_session->isCancelled()) || resumable);
    m_pauseButton->setText((running && m_session->isPaused()) || (!running && resumable) ? tr("Resume")
                                                                                         : tr("Pause"));
    m_pauseButton->setToolTip(
        running ? tr("Send no new items; those in flight finish. A provider's batch keeps running at the "
                     "provider.")
                : tr("Continue this batch: finished items are not sent again, items left running when the "
                     "window closed are sent again, and a provider's batch is polled, not submitted again."));
    m_cancelButton->setEnabled((running && !m_session->isCancelled()) || resumable);
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
