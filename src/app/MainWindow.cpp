#include "MainWindow.h"

#include "app/AnswerColumn.h"
#include "app/BatchPanel.h"
#include "app/ColumnPalette.h"
#include "app/ComparisonExporter.h"
#include "app/CostWindow.h"
#include "app/DemoProviders.h"
#include "app/DiffController.h"
#include "app/FallbackChains.h"
#include "app/HistoryDock.h"
#include "app/KeyRing.h"
#include "app/ProfileChips.h"
#include "app/ProfileLibrary.h"
#include "app/PromptEditor.h"
#include "app/PromptPreparer.h"
#include "app/ProvidersDialog.h"
#include "app/RequestBuilder.h"
#include "app/ScrollSync.h"
#include "app/SpanHighlighter.h"
#include "app/SynthesisPane.h"
#include "app/TextPatch.h"
#include "app/UiLog.h"
#include "app/VariablesPanel.h"
#include "app/WelcomeView.h"
#include "engine/CompareSession.h"
#include "engine/Engine.h"
#include "engine/SanitizerConfig.h"
#include "sanitize/Allowlist.h"
#include "sanitize/Sanitizer.h"
#include "secrets/KeychainSecretStore.h"
#include "store/DataDirectory.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFileDialog>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QNetworkAccessManager>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTextBrowser>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace parallax {

namespace {
const QString geometryKey = QStringLiteral("mainWindow/geometry");
const QString stateKey = QStringLiteral("mainWindow/state");
const QString splitterKey = QStringLiteral("mainWindow/splitter");
const QString checkedKey = QStringLiteral("profiles/checked");
const QString syncScrollingKey = QStringLiteral("view/synchronizedScrolling");
} // namespace

MainWindow::MainWindow(std::unique_ptr<SecretStore> keychain, QWidget* parent)
    : QMainWindow(parent)
    , m_network(std::make_unique<QNetworkAccessManager>()) {
    setObjectName(QStringLiteral("MainWindow"));
    setWindowTitle(QStringLiteral("Parallax"));
    if (!keychain)
        keychain = std::make_unique<KeychainSecretStore>(KeychainSecretStore::applicationService());
    m_keys = new KeyRing(std::move(keychain), this);
    m_library = new ProfileLibrary(DataDirectory::filePath(QStringLiteral("profiles.json")), this);
    m_demo = new DemoProviders(m_network.get(), this);
    m_preparer = new PromptPreparer([this] { return preparationInput(); }, this);
    connect(m_preparer, &PromptPreparer::prepared, this, &MainWindow::onPrepared);

    openEngine();
    rebuildSanitizer();
    buildUi();
    buildMenus();

    QString error;
    if (!m_library->load(&error))
        statusBar()->showMessage(error);
    connect(m_library, &ProfileLibrary::changed, this, &MainWindow::refreshProfiles);
    refreshProfiles();

    connect(m_demo, &DemoProviders::started, this, &MainWindow::addDemoProfiles);
    connect(m_demo, &DemoProviders::failed, this, [this](const QString& message) {
        m_welcome->setDemoError(message);
        statusBar()->showMessage(message);
    });
    connect(m_demo, &DemoProviders::ollamaDetected, m_welcome, &WelcomeView::setOllamaModels);
    connect(m_welcome, &WelcomeView::demoRequested, this, &MainWindow::startDemo);
    connect(m_welcome, &WelcomeView::addProviderRequested, this, &MainWindow::openProvidersDialog);
    connect(m_welcome, &WelcomeView::ollamaRequested, this, [this](const QString& model) {
        const AppProfile profile = m_demo->ollamaProfile(model);
        m_library->upsert(profile);
        m_chips->setChecked(profile.name(), true);
    });
    connect(m_keys, &KeyRing::sessionOnlyChanged, m_sessionKeysWarning, &QWidget::setVisible);
    if (!m_library->hasSavedProfiles()) {
        // Asked once, in the background: the welcome view offers Ollama only if it answers.
        QTimer::singleShot(0, m_demo, &DemoProviders::detectOllama);
    }

    resize(1200, 800);
    restoreLayout();
    refreshSpend();
    requestPreparation(false);
}

MainWindow::~MainWindow() {
    // Sessions first (they reference the engine); the preparer's pending job only holds copies.
    m_runs.clear();
    delete m_batchPanel; // its batch uses the engine, which goes before the window's child widgets
}

void MainWindow::openEngine() {
    QString error;
    if (!DataDirectory::ensureExists(&error)) {
        m_engineError = error;
        return;
    }
    m_engine = Engine::open(m_network.get(), DataDirectory::path(), &error);
    if (!m_engine) {
        m_engineError = error;
        qCWarning(lcUi) << "cannot open the data folder:" << error;
    }
}

void MainWindow::rebuildSanitizer() {
    const QJsonObject section =
        m_engine ? m_engine->settings().section(QStringLiteral("sanitize")) : QJsonObject();
    m_sanitizer = std::make_shared<const Sanitizer>(SanitizerConfig::fromJson(section));
    m_sanitizerProblems = SanitizerConfig::problems(section);
}

void MainWindow::buildUi() {
    m_stack = new QStackedWidget(this);
    m_welcome = new WelcomeView(m_stack);
    m_stack->addWidget(m_welcome);

    m_workspace = new QWidget(m_stack);
    m_workspace->setObjectName(QStringLiteral("workspace"));
    m_stack->addWidget(m_workspace);
    setCentralWidget(m_stack);

    // The prompt area: system prompt, editor, chips, and the send row.
    auto* promptArea = new QWidget(m_workspace);
    m_systemEdit = new QLineEdit(promptArea);
    m_systemEdit->setObjectName(QStringLiteral("systemPromptEdit"));
    m_systemEdit->setPlaceholderText(tr("System prompt (optional), e.g. “You are a concise assistant.”"));
    m_systemEdit->setClearButtonEnabled(true);
    m_editor = new PromptEditor(promptArea);
    m_chips = new ProfileChips(promptArea);
    m_previewButton = new QToolButton(promptArea);
    m_previewButton->setObjectName(QStringLiteral("previewButton"));
    m_previewButton->setAutoRaise(true);
    m_previewButton->setToolTip(tr("Show exactly what will be sent (F9)"));
    m_sendButton = new QPushButton(tr("Compare"), promptArea);
    m_sendButton->setObjectName(QStringLiteral("sendButton"));
    m_sendButton->setToolTip(tr("Send to every checked profile (Ctrl+Enter)"));
    m_sendButton->setDefault(true);
    m_cancelButton = new QPushButton(tr("Cancel all"), promptArea);
    m_cancelButton->setObjectName(QStringLiteral("cancelButton"));
    m_cancelButton->setToolTip(tr("Stop every answer still streaming (Esc)"));
    m_cancelButton->setEnabled(false);

    auto* sendRow = new QHBoxLayout;
    sendRow->addWidget(m_previewButton);
    sendRow->addStretch(1);
    sendRow->addWidget(m_cancelButton);
    sendRow->addWidget(m_sendButton);
    auto* promptLayout = new QVBoxLayout(promptArea);
    promptLayout->setContentsMargins(8, 8, 8, 4);
    promptLayout->setSpacing(6);
    promptLayout->addWidget(m_systemEdit);
    promptLayout->addWidget(m_editor, 1);
    m_variables = new VariablesPanel(promptArea);
    promptLayout->addWidget(m_variables);
    promptLayout->addWidget(m_chips);
    promptLayout->addLayout(sendRow);

    // The answers: one splitter pane per profile.
    auto* answersArea = new QWidget(m_workspace);
    m_columnsSplitter = new QSplitter(Qt::Horizontal, answersArea);
    m_columnsSplitter->setObjectName(QStringLiteral("columnsSplitter"));
    m_columnsSplitter->setChildrenCollapsible(false);
    m_columnsHint = new QLabel(tr("Answers appear here side by side, each with its time to first token, "
                                  "total time, tokens, speed and cost."),
                               answersArea);
    m_columnsHint->setObjectName(QStringLiteral("columnsHint"));
    m_columnsHint->setAlignment(Qt::AlignCenter);
    m_columnsHint->setWordWrap(true);
    m_columnsHint->setForegroundRole(QPalette::PlaceholderText);
    auto* answersLayout = new QVBoxLayout(answersArea);
    answersLayout->setContentsMargins(8, 0, 8, 8);
    answersLayout->addWidget(m_columnsHint);
    answersLayout->addWidget(m_columnsSplitter, 1);
    m_columnsSplitter->setVisible(false);
    m_synthesisPane = new SynthesisPane(answersArea);
    answersLayout->addWidget(m_synthesisPane);
    m_diff = new DiffController(this);
    m_scrollSync = new ScrollSync(this);

    m_mainSplitter = new QSplitter(Qt::Vertical, m_workspace);
    m_mainSplitter->setObjectName(QStringLiteral("mainSplitter"));
    m_mainSplitter->setChildrenCollapsible(false);
    m_mainSplitter->addWidget(promptArea);
    m_mainSplitter->addWidget(answersArea);
    m_mainSplitter->setStretchFactor(0, 1);
    m_mainSplitter->setStretchFactor(1, 3);
    m_mainSplitter->setSizes({220, 580});
    auto* workspaceLayout = new QVBoxLayout(m_workspace);
    workspaceLayout->setContentsMargins(0, 0, 0, 0);
    workspaceLayout->addWidget(m_mainSplitter);

    // "What will be sent": the exact outgoing texts.
    m_previewDock = new QDockWidget(tr("What will be sent"), this);
    m_previewDock->setObjectName(QStringLiteral("previewDock"));
    auto* previewPanel = new QWidget(m_previewDock);
    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_previewSystem = new QPlainTextEdit(previewPanel);
    m_previewSystem->setObjectName(QStringLiteral("previewSystemText"));
    m_previewSystem->setReadOnly(true);
    m_previewSystem->setFont(mono);
    m_previewSystem->setMaximumHeight(70);
    m_previewSystem->setPlaceholderText(tr("(no system prompt)"));
    m_previewText = new QPlainTextEdit(previewPanel);
    m_previewText->setObjectName(QStringLiteral("previewText"));
    m_previewText->setReadOnly(true);
    m_previewText->setFont(mono);
    m_previewText->setUndoRedoEnabled(false); // it is patched on every scan (TextPatch)
    {
        QTextCharFormat mark;
        mark.setBackground(QColor(255, 170, 0, 70));
        m_previewMarks =
            new SpanHighlighter(m_previewText->document(), {mark}, [](const Span&) { return 0; });
    }
    m_previewNote = new QLabel(previewPanel);
    m_previewNote->setObjectName(QStringLiteral("previewNote"));
    m_previewNote->setWordWrap(true);
    m_previewNote->setForegroundRole(QPalette::PlaceholderText);
    auto* previewLayout = new QVBoxLayout(previewPanel);
    previewLayout->addWidget(new QLabel(tr("System"), previewPanel));
    previewLayout->addWidget(m_previewSystem);
    previewLayout->addWidget(new QLabel(tr("Prompt"), previewPanel));
    previewLayout->addWidget(m_previewText, 1);
    previewLayout->addWidget(m_previewNote);
    m_previewDock->setWidget(previewPanel);
    addDockWidget(Qt::RightDockWidgetArea, m_previewDock);
    m_previewDock->hide();

    m_historyDock = new HistoryDock(m_engine ? &m_engine->history() : nullptr, this);
    addDockWidget(Qt::LeftDockWidgetArea, m_historyDock);
    m_historyDock->hide();
    m_batchPanel = new BatchPanel(m_engine.get(), m_library, m_keys, this);
    addDockWidget(Qt::BottomDockWidgetArea, m_batchPanel);
    m_batchPanel->hide();
    connect(m_historyDock, &HistoryDock::reopenRequested, this, &MainWindow::reopenRun);
    connect(m_previewButton, &QToolButton::clicked, m_previewDock->toggleViewAction(), &QAction::trigger);

    m_sessionKeysWarning = new QLabel(tr("⚠ No keychain answered: API keys are kept for this session only "
                                         "and must be entered again next time."),
                                      this);
    m_sessionKeysWarning->setObjectName(QStringLiteral("sessionKeysWarning"));
    m_sessionKeysWarning->setStyleSheet(QStringLiteral("color: #c0392b;"));
    m_sessionKeysWarning->setVisible(false);
    statusBar()->addPermanentWidget(m_sessionKeysWarning);
    m_spendLabel = new QLabel(this);
    m_spendLabel->setObjectName(QStringLiteral("spendLabel"));
    m_spendLabel->setToolTip(tr("Spent today, from the usage providers reported, against the daily budget "
                                "(parallax-cli budget set --daily USD)"));
    statusBar()->addPermanentWidget(m_spendLabel);

    connect(m_editor, &QPlainTextEdit::textChanged, this, [this] {
        ++m_revision;
        requestPreparation(false);
        updateSendState();
    });
    connect(m_systemEdit, &QLineEdit::textChanged, this, [this] {
        ++m_revision;
        requestPreparation(false);
    });
    connect(m_variables, &VariablesPanel::valuesChanged, this, [this] {
        ++m_revision;
        requestPreparation(false);
    });
    connect(m_editor, &PromptEditor::allowOnceRequested, this, [this](const QString& value) {
        m_allowOnce.insert(value);
        ++m_revision;
        requestPreparation(true);
    });
    connect(m_editor, &PromptEditor::alwaysAllowRequested, this, &MainWindow::alwaysAllow);
    connect(m_editor, &PromptEditor::redactionModeRequested, this, &MainWindow::changeRedactionMode);
    connect(m_chips, &ProfileChips::selectionChanged, this, [this] {
        QSettings().setValue(checkedKey, m_chips->checkedNames());
        updateSendState();
    });
    connect(m_chips, &ProfileChips::addRequested, this, &MainWindow::openProvidersDialog);
    connect(m_sendButton, &QPushButton::clicked, this, &MainWindow::send);
    connect(m_cancelButton, &QPushButton::clicked, this, &MainWindow::cancelAll);
}

void MainWindow::buildMenus() {
    QMenu* fileMenu = menuBar()->addMenu(tr("&File"));
    using Format = ComparisonExporter::Format;
    QAction* exportMarkdown =
        fileMenu->addAction(tr("Export as &Markdown…"), this, [this] { exportTo(Format::Markdown); });
    exportMarkdown->setObjectName(QStringLiteral("exportMarkdownAction"));
    QAction* exportHtml =
        fileMenu->addAction(tr("Export as &HTML…"), this, [this] { exportTo(Format::Html); });
    exportHtml->setObjectName(QStringLiteral("exportHtmlAction"));
    QAction* exportJson =
        fileMenu->addAction(tr("Export as &JSON…"), this, [this] { exportTo(Format::Json); });
    exportJson->setObjectName(QStringLiteral("exportJsonAction"));
    QAction* copyAll = fileMenu->addAction(tr("&Copy all as Markdown"), this, [this] {
        QApplication::clipboard()->setText(comparisonMarkdown());
        statusBar()->showMessage(tr("Copied the comparison as Markdown."), 4000);
    });
    copyAll->setObjectName(QStringLiteral("copyAllAction"));
    copyAll->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    fileMenu->addSeparator();
    QAction* quitAction = fileMenu->addAction(tr("&Quit"), this, &QWidget::close);
    // The platform's Quit keys, and Ctrl+Q wherever the platform has none (Windows, no desktop theme).
    QList<QKeySequence> quitKeys = QKeySequence::keyBindings(QKeySequence::Quit);
    if (!quitKeys.contains(QKeySequence(Qt::CTRL | Qt::Key_Q)))
        quitKeys.append(QKeySequence(Qt::CTRL | Qt::Key_Q));
    quitAction->setShortcuts(quitKeys);
    quitAction->setObjectName(QStringLiteral("quitAction"));

    QMenu* runMenu = menuBar()->addMenu(tr("&Run"));
    m_sendAction = runMenu->addAction(tr("&Compare"), this, &MainWindow::send);
    m_sendAction->setObjectName(QStringLiteral("sendAction"));
    m_sendAction->setShortcuts(
        {QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter)});
    m_cancelAction = runMenu->addAction(tr("C&ancel all"), this, &MainWindow::cancelAll);
    m_cancelAction->setObjectName(QStringLiteral("cancelAction"));
    m_cancelAction->setShortcut(QKeySequence(Qt::Key_Escape));
    m_cancelAction->setEnabled(false);

    QMenu* viewMenu = menuBar()->addMenu(tr("&View"));
    QAction* previewAction = m_previewDock->toggleViewAction();
    previewAction->setText(tr("What will be &sent"));
    previewAction->setShortcut(QKeySequence(Qt::Key_F9));
    viewMenu->addAction(previewAction);
    m_diffMenu = viewMenu->addMenu(tr("&Diff against"));
    m_diffMenu->setObjectName(QStringLiteral("diffMenu"));
    m_diffMenu->setToolTipsVisible(true);
    connect(m_diffMenu, &QMenu::aboutToShow, this, &MainWindow::rebuildDiffMenu);
    rebuildDiffMenu();
    QAction* syncScrolling = viewMenu->addAction(tr("S&ynchronize scrolling"));
    syncScrolling->setObjectName(QStringLiteral("syncScrollingAction"));
    syncScrolling->setCheckable(true);
    syncScrolling->setToolTip(tr("Scrolling one answer scrolls the others to the same relative place"));
    syncScrolling->setChecked(QSettings().value(syncScrollingKey, false).toBool());
    m_scrollSync->setEnabled(syncScrolling->isChecked());
    connect(syncScrolling, &QAction::toggled, this, [this](bool on) {
        m_scrollSync->setEnabled(on);
        QSettings().setValue(syncScrollingKey, on);
    });
    viewMenu->addSeparator();
    for (int i = 0; i < 8; ++i) {
        QAction* focus = viewMenu->addAction(tr("Focus answer %1").arg(i + 1), this, [this, i] {
            if (AnswerColumn* column = m_columns.value(i))
                column->body()->setFocus();
        });
        focus->setShortcut(QKeySequence(Qt::CTRL | static_cast<Qt::Key>(Qt::Key_1 + i)));
    }
    viewMenu->addSeparator();
    QAction* historyAction = m_historyDock->toggleViewAction();
    historyAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_H));
    viewMenu->addAction(historyAction);
    QAction* batchAction = m_batchPanel->toggleViewAction();
    batchAction->setText(tr("&Batch"));
    batchAction->setObjectName(QStringLiteral("batchPanelAction"));
    batchAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_B));
    viewMenu->addAction(batchAction);
    QAction* costAction = viewMenu->addAction(tr("&Cost…"), this, [this] {
        if (!m_engine) {
            statusBar()->showMessage(tr("No cost to show: %1").arg(m_engineError), 8000);
            return;
        }
        auto* costWindow = findChild<CostWindow*>();
        if (!costWindow)
            costWindow = new CostWindow(m_engine->database().path(), this);
        costWindow->show();
        costWindow->raise();
        costWindow->activateWindow();
    });
    costAction->setObjectName(QStringLiteral("costAction"));

    QMenu* providersMenu = menuBar()->addMenu(tr("&Providers"));
    QAction* manage =
        providersMenu->addAction(tr("&Manage profiles and keys…"), this, &MainWindow::openProvidersDialog);
    manage->setObjectName(QStringLiteral("manageProvidersAction"));
    manage->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Comma));
    providersMenu->addAction(tr("Start local &demo providers"), this, &MainWindow::startDemo);

    QMenu* helpMenu = menuBar()->addMenu(tr("&Help"));
    helpMenu->addAction(tr("&About Parallax"), this, [this] {
        QMessageBox::about(this, tr("About Parallax"),
                           tr("<h3>Parallax %1</h3><p>Send one prompt to several LLM providers and compare "
                              "the answers side by side.</p>")
                               .arg(QApplication::applicationVersion()));
    });
}

void MainWindow::refreshProfiles() {
    QStringList checked = m_chips->checkedNames();
    if (checked.isEmpty())
        checked = QSettings().value(checkedKey).toStringList();
    if (checked.isEmpty() && !m_library->isEmpty()) {
        // A first comparison should compare: check up to three profiles.
        for (const AppProfile& profile : m_library->profiles().mid(0, 3))
            checked.append(profile.name());
    }
    m_chips->setProfiles(m_library->profiles(), checked);
    QStringList names;
    for (const AppProfile& profile : m_library->profiles())
        names.append(profile.name());
    m_synthesisPane->setProfiles(names);
    m_stack->setCurrentWidget(m_library->isEmpty() ? static_cast<QWidget*>(m_welcome) : m_workspace);
    updateSendState();
}

bool MainWindow::isRunning() const {
    for (const auto& run : m_runs) {
        if (!run->session->isFinished())
            return true;
    }
    return m_fetchingKeys;
}

bool MainWindow::isWelcomeShown() const {
    return m_stack->currentWidget() == m_welcome;
}

void MainWindow::updateSendState() {
    const bool running = isRunning();
    const bool canSend = !running && m_engine && !m_chips->checkedNames().isEmpty();
    m_sendButton->setEnabled(canSend);
    m_cancelButton->setEnabled(running);
    if (m_cancelAction)
        m_cancelAction->setEnabled(running);
    const int count = int(m_chips->checkedNames().size());
    m_sendButton->setText(count > 1 ? tr("Compare %1  ⌃⏎").arg(count) : tr("Send  ⌃⏎"));
}

void MainWindow::requestPreparation(bool immediate) {
    m_preparer->request(immediate);
}

PreparedPrompt MainWindow::preparationInput() const {
    PreparedPrompt input;
    input.revision = m_revision;
    input.typedSystem = m_systemEdit->text();
    input.typedPrompt = m_editor->toPlainText();
    input.variables = m_variables->values();
    input.allowOnce = m_allowOnce;
    input.sanitizer = m_sanitizer;
    return input;
}

void MainWindow::onPrepared(const PreparedPrompt& result) {
    if (result.revision != m_revision)
        return; // the text changed meanwhile; a newer job is queued
    m_prepared = result;

    m_editor->setSpans(result.editorSpans);
    m_variables->setNames(result.variableNames);
    if (result.sanitizer)
        m_editor->setRedactionModes(result.sanitizer->settings().modes);

    m_previewSystem->setPlainText(result.system.text);
    // Only the changed stretch of the outgoing text is replaced: a megabyte is not laid out again.
    TextPatch::apply(m_previewText->document(), m_previewShown, result.user.text);
    m_previewShown = result.user.text;
    QList<Span> marks;
    marks.reserve(result.user.placeholderRanges.size());
    for (const TextRange& range : result.user.placeholderRanges) {
        Span mark;
        mark.start = range.start;
        mark.end = range.end;
        marks.append(mark);
    }
    m_previewMarks->setSpans(marks);

    const int masked = result.redactedCount();
    m_previewButton->setText(masked > 0
                                 ? (masked == 1 ? tr("1 item masked · What will be sent ▸")
                                                : tr("%1 items masked · What will be sent ▸").arg(masked))
                                 : tr("Nothing to mask · What will be sent ▸"));
    m_previewNote->setText(
        m_sanitizerProblems.isEmpty()
            ? tr("Placeholders are put back in the answers on this machine. A local Ollama receives the "
                 "prompt as typed; so do profiles set to send raw text in Providers ▸ Manage profiles and "
                 "keys.")
            : tr("⚠ %1. Nothing is sent until it is fixed.")
                  .arg(m_sanitizerProblems.join(QStringLiteral("; "))));
    emit previewUpdated();

    if (m_sendPending) {
        m_sendPending = false;
        continueSend(result);
    }
}

void MainWindow::refuse(const QString& reason) {
    statusBar()->showMessage(reason, 8000);
    emit sendRefused(reason);
}

void MainWindow::send() {
    if (isRunning() || m_sendPending)
        return;
    if (!m_engine) {
        refuse(tr("Cannot send: %1").arg(m_engineError));
        return;
    }
    if (m_editor->toPlainText().trimmed().isEmpty()) {
        refuse(tr("Type a prompt first."));
        return;
    }
    if (m_chips->checkedNames().isEmpty()) {
        refuse(tr("Check at least one profile to send to."));
        return;
    }
    if (!m_sanitizerProblems.isEmpty()) {
        // The rule is meant to hide something: sending without it would leak what it hides.
        refuse(tr("Not sent: %1.").arg(m_sanitizerProblems.join(QStringLiteral("; "))));
        return;
    }
    if (!m_prepared || m_prepared->revision != m_revision) {
        // The preview is being computed: send exactly that result once it is ready.
        m_sendPending = true;
        requestPreparation(true);
        return;
    }
    continueSend(*m_prepared);
}

void MainWindow::continueSend(const PreparedPrompt& prepared) {
    if (!prepared.missingVariables.isEmpty()) {
        QStringList names;
        for (const QString& name : prepared.missingVariables)
            names << QStringLiteral("{{%1}}").arg(name);
        m_variables->showMissing(prepared.missingVariables);
        refuse(tr("Fill in %1 under the prompt first: a prompt with a hole in it is never sent.")
                   .arg(names.join(QStringLiteral(", "))));
        return;
    }
    QList<AppProfile> profiles;
    for (const QString& name : m_chips->checkedNames()) {
        if (auto profile = m_library->find(name))
            profiles.append(*profile);
    }
    // Each column with the fallback chain saved for it; their keys are fetched like the column's own.
    const FallbackChains chains(profiles, m_engine->settings().section(QStringLiteral("fallback")),
                                *m_library);
    QList<QPair<QString, ProviderKind>> wanted = chains.keyRequests();
    // The synthesizer's key too (combining one answer is no comparison: it needs two columns).
    std::optional<AppProfile> synthesizer;
    if (profiles.size() >= 2)
        synthesizer = m_library->find(m_synthesisPane->synthesizer());
    if (synthesizer && !wanted.contains(qMakePair(synthesizer->name(), synthesizer->profile.kind)))
        wanted.append({synthesizer->name(), synthesizer->profile.kind});
    m_fetchingKeys = true;
    updateSendState();
    m_keys->keys(wanted, this, [this, prepared, chains, synthesizer](QHash<QString, QString> keys) {
        m_fetchingKeys = false;
        QStringList missing = chains.missingKeys(keys);
        if (synthesizer && requiresApiKey(synthesizer->profile.kind) &&
            keys.value(synthesizer->name()).isEmpty() && !missing.contains(synthesizer->name()))
            missing.append(synthesizer->name());
        if (!missing.isEmpty()) {
            updateSendState();
            refuse(tr("No API key for %1: add it in Providers ▸ Manage profiles and keys (Ctrl+,). "
                      "Nothing was sent.")
                       .arg(missing.join(QStringLiteral(", "))));
            return;
        }
        startComparison(prepared, chains, keys, synthesizer);
        if (!chains.problems().isEmpty())
            statusBar()->showMessage(chains.problems().join(QLatin1Char(' ')), 10000);
    });
}

void MainWindow::clearColumns() {
    m_runs.clear();
    qDeleteAll(m_columns);
    m_columns.clear();
}

void MainWindow::startComparison(const PreparedPrompt& prepared, const FallbackChains& chains,
                                 const QHash<QString, QString>& keys,
                                 const std::optional<AppProfile>& synthesizer) {
    CompareRequest request = RequestBuilder::build(prepared, chains, keys,
                                                   m_engine->settings().section(QStringLiteral("sanitize")));
    if (synthesizer)
        RequestBuilder::addSynthesizer(request, *synthesizer, keys.value(synthesizer->name()),
                                       m_engine->settings().section(QStringLiteral("sanitize")),
                                       DataDirectory::path());
    QList<AppProfile> profiles;
    for (const QList<AppProfile>& chain : chains.chains())
        profiles.append(chain.first());
    const QList<int> indexes = showColumns(profiles);
    m_synthesisPane->reset(request.synthesizer.has_value());

    m_lastRequest = request;
    m_lastSentText = prepared.user.text;
    startRun(request, indexes);

    // "Allow once" was for this request only.
    if (!m_allowOnce.isEmpty()) {
        m_allowOnce.clear();
        ++m_revision;
        requestPreparation(false);
    }
}

QList<int> MainWindow::showColumns(const QList<AppProfile>& profiles) {
    clearColumns();
    QList<int> indexes;
    for (const AppProfile& profile : profiles) {
        auto* column = new AnswerColumn(profile, m_columnsSplitter);
        const int index = int(m_columns.size());
        column->setAccentColour(ColumnPalette::colour(index));
        connect(column, &AnswerColumn::retryRequested, this, [this, index] { retryColumn(index); });
        connect(column, &AnswerColumn::maximizeRequested, this, [this, index] {
            QList<int> sizes(m_columns.size(), 0);
            const bool maximized = m_columnsSplitter->sizes().value(index) > m_columnsSplitter->width() * 0.9;
            for (int i = 0; i < sizes.size(); ++i)
                sizes[i] = maximized || i == index ? 1000 : 1;
            m_columnsSplitter->setSizes(sizes);
        });
        m_columnsSplitter->addWidget(column);
        m_columns.append(column);
        indexes.append(index);
    }
    m_columnsSplitter->setSizes(QList<int>(m_columns.size(), 1000)); // equal widths
    QList<QScrollBar*> bars;
    for (AnswerColumn* column : std::as_const(m_columns))
        bars.append(column->body()->verticalScrollBar());
    m_scrollSync->setScrollBars(bars);
    m_columnsSplitter->setVisible(true);
    m_columnsHint->setVisible(false);
    m_diff->setColumns(m_columns);
    return indexes;
}

void MainWindow::reopenRun(const QString& requestId) {
    if (!m_engine || isRunning()) {
        statusBar()->showMessage(
            tr("Wait for the comparison to finish (or cancel it) before opening another."), 5000);
        return;
    }
    const std::optional<RunRecord> run = m_engine->history().load(requestId);
    if (!run) {
        statusBar()->showMessage(tr("That comparison is no longer in the history."), 5000);
        return;
    }
    // The prompt as it was sent: placeholders, not the values they hid (those were never stored).
    m_systemEdit->setText(run->systemPrompt);
    m_editor->setPlainText(run->prompt);
    m_editor->setFocus();
    if (run->answers.isEmpty())
        return;

    // The answers as they came, in their columns. A profile deleted since is shown by its name; it
    // cannot be retried.
    QList<AppProfile> profiles;
    CompareRequest request;
    request.command = run->command;
    request.request.system = run->systemPrompt;
    request.request.messages = {ChatMessage{ChatMessage::Role::User, run->prompt}};
    const QJsonArray parameters = run->parameters.value(QLatin1String("columns")).toArray();
    for (qsizetype index = 0; index < run->answers.size(); ++index) {
        const Answer& answer = run->answers.at(index);
        const std::optional<AppProfile> saved = m_library->find(answer.profile);
        AppProfile profile = saved.value_or(AppProfile{});
        if (!saved) {
            profile.profile.name = answer.profile;
            profile.profile.kind = answer.kind;
            profile.profile.model = answer.model;
        }
        profiles.append(profile);
        if (saved) {
            request.columns.append({CompareTarget{saved->profile, {}}});
            request.columnParameters.append(
                CompareRequest::Parameters::fromJson(parameters.at(index).toObject()));
        }
    }
    m_runs.clear();
    showColumns(profiles);
    for (qsizetype index = 0; index < run->answers.size(); ++index)
        m_columns.at(index)->finish(run->answers.at(index));
    // Retry sends exactly what was sent then; only columns whose profile still exists can be retried.
    m_lastRequest = request.columns.size() == run->answers.size() ? request : CompareRequest{};
    m_lastSentText = run->prompt;
    if (run->synthesis)
        m_synthesisPane->showStored(*run->synthesis, run->answers);
    else
        m_synthesisPane->reset(false);
    m_diff->refresh();
    showAgreementOfColumns();
    updateSendState();
    statusBar()->showMessage(tr("Opened the comparison of %1 from the history.")
                                 .arg(QLocale().toString(run->createdAt.toLocalTime(), QLocale::ShortFormat)),
                             5000);
}

void MainWindow::startRun(CompareRequest request, const QList<int>& columns) {
    auto run = std::make_unique<Run>();
    run->columns = columns;
    run->session = std::make_unique<CompareSession>(*m_engine, std::move(request));
    CompareSession* session = run->session.get();
    const QList<int> map = columns;
    connect(session, &CompareSession::answerDelta, this, [this, map](int index, const StreamDelta& delta) {
        if (delta.channel == StreamDelta::Channel::Answer)
            m_columns.value(map.value(index, -1))->appendText(delta.text);
    });
    connect(session, &CompareSession::answerStateChanged, this,
            [this, map](int index, RequestState state, const QString& detail) {
                if (AnswerColumn* column = m_columns.value(map.value(index, -1)))
                    column->setState(state, detail);
            });
    connect(session, &CompareSession::answerFinished, this, [this, map, session](int index) {
        if (AnswerColumn* column = m_columns.value(map.value(index, -1)))
            column->finish(session->answer(index));
        m_diff->refresh();
    });
    if (request.synthesizer)
        m_synthesisPane->follow(session, map);
    connect(session, &CompareSession::finished, this, &MainWindow::onRunFinished, Qt::QueuedConnection);
    m_runs.push_back(std::move(run));
    updateSendState();
    session->start();
}

void MainWindow::retryColumn(int column) {
    if (column < 0 || column >= m_lastRequest.columns.size() || !m_engine || isRunning())
        return;
    // The key is read again: the usual reason to retry is a key the user just fixed.
    const ProviderProfile profile = m_lastRequest.columns.at(column).first().profile;
    m_fetchingKeys = true;
    updateSendState();
    m_keys->key(profile.name, profile.kind, this, [this, column](std::optional<QString> key) {
        m_fetchingKeys = false;
        CompareRequest request = m_lastRequest;
        request.command = QStringLiteral("run");
        request.columns = {m_lastRequest.columns.at(column)};
        if (key)
            request.columns.first().first().apiKey = *key;
        request.columnSanitized = {m_lastRequest.columnSanitized.value(column, true)};
        if (column < m_lastRequest.columnParameters.size())
            request.columnParameters = {m_lastRequest.columnParameters.at(column)};
        request.synthesizer.reset();
        m_columns.at(column)->reset();
        startRun(request, {column});
    });
}

void MainWindow::cancelAll() {
    m_sendPending = false;
    for (const auto& run : m_runs) {
        if (!run->session->isFinished())
            run->session->cancel();
    }
    updateSendState();
}

void MainWindow::showAgreementOfColumns() {
    QStringList profiles;
    QList<std::optional<QString>> texts;
    for (AnswerColumn* column : std::as_const(m_columns)) {
        profiles.append(column->profile().name());
        const bool succeeded = column->answer() && column->answer()->succeeded();
        texts.append(succeeded ? std::optional(column->text()) : std::nullopt);
    }
    m_synthesisPane->showAgreement(profiles, texts);
}

void MainWindow::onRunFinished() {
    if (!isRunning())
        showAgreementOfColumns();
    updateSendState();
    refreshSpend();
    m_historyDock->reload();
    if (!isRunning())
        emit comparisonFinished();
}

void MainWindow::alwaysAllow(const QString& value) {
    if (!m_engine)
        return;
    QJsonObject section = m_engine->settings().section(QStringLiteral("sanitize"));
    Allowlist allowlist = Allowlist::fromJson(section.value(QStringLiteral("allowlist")).toObject());
    allowlist.addValue(value);
    section.insert(QStringLiteral("allowlist"), allowlist.toJson());
    saveSanitizeSection(section);
}

void MainWindow::saveSanitizeSection(const QJsonObject& section) {
    Settings& settings = m_engine->settings();
    settings.setSection(QStringLiteral("sanitize"), section);
    QString error;
    if (!settings.save(&error))
        statusBar()->showMessage(error, 8000);
    // The preview must show what the new settings would send.
    rebuildSanitizer();
    ++m_revision;
    requestPreparation(true);
}

void MainWindow::changeRedactionMode(const QString& type, RedactionMode mode) {
    if (!m_engine)
        return;
    QJsonObject section = m_engine->settings().section(QStringLiteral("sanitize"));
    QJsonObject modes = section.value(QStringLiteral("modes")).toObject();
    const char* name = mode == RedactionMode::Mask    ? "mask"
                       : mode == RedactionMode::Allow ? "allow"
                                                      : "placeholder";
    modes.insert(type, QLatin1String(name));
    section.insert(QStringLiteral("modes"), modes);
    saveSanitizeSection(section);
}

void MainWindow::rebuildDiffMenu() {
    m_diffMenu->clear();
    qDeleteAll(m_diffMenu->findChildren<QActionGroup*>(Qt::FindDirectChildrenOnly));
    auto* group = new QActionGroup(m_diffMenu);
    QAction* off = m_diffMenu->addAction(tr("Off"), this, [this] { m_diff->setBase(-1); });
    off->setObjectName(QStringLiteral("diffOffAction"));
    off->setCheckable(true);
    off->setChecked(m_diff->base() < 0);
    group->addAction(off);
    for (int i = 0; i < m_columns.size(); ++i) {
        QAction* base =
            m_diffMenu->addAction(tr("%1 (column %2)").arg(m_columns.at(i)->profile().name()).arg(i + 1),
                                  this, [this, i] { m_diff->setBase(i); });
        base->setObjectName(QStringLiteral("diffBaseAction%1").arg(i + 1));
        base->setToolTip(tr("The other answers show their words against this one: inserted on green, "
                            "deleted struck through in red"));
        base->setCheckable(true);
        base->setChecked(m_diff->base() == i);
        group->addAction(base);
    }
}

void MainWindow::startDemo() {
    m_welcome->setDemoStarting(true);
    m_demo->start();
}

void MainWindow::addDemoProfiles(const QList<AppProfile>& profiles) {
    m_welcome->setDemoStarting(false);
    for (const AppProfile& profile : profiles) {
        m_keys->setSessionKey(profile.name(), DemoProviders::placeholderKey());
        m_library->upsert(profile);
    }
    for (const AppProfile& profile : profiles)
        m_chips->setChecked(profile.name(), true);
    if (m_editor->toPlainText().isEmpty())
        m_editor->setPlainText(
            tr("Explain in three sentences why the sky is blue. Reply to jane.doe@example.com."));
    statusBar()->showMessage(
        tr("Local simulators ready at %1. Press Ctrl+Enter to compare.").arg(m_demo->baseUrl()), 10000);
    m_editor->setFocus();
}

void MainWindow::openProvidersDialog() {
    auto* dialog = new ProvidersDialog(m_library, m_keys, m_engine.get(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    // Limits, fallbacks and sanitize policies apply from the next request on: the engine has re-read its
    // limits, chains and policies are read when a request is built, and the preview is brought up to date.
    connect(dialog, &ProvidersDialog::settingsSaved, this, [this] {
        rebuildSanitizer();
        ++m_revision;
        requestPreparation(true);
    });
    dialog->open();
}

QList<Answer> MainWindow::shownAnswers() const {
    QList<Answer> answers;
    for (AnswerColumn* column : m_columns) {
        if (column->answer())
            answers.append(*column->answer());
    }
    return answers;
}

QString MainWindow::comparisonMarkdown() const {
    return ComparisonExporter::toMarkdown(m_lastRequest.request.system, m_lastSentText, shownAnswers());
}

void MainWindow::exportTo(ComparisonExporter::Format format) {
    using Format = ComparisonExporter::Format;
    if (shownAnswers().isEmpty()) {
        statusBar()->showMessage(tr("Nothing to export yet: compare something first."), 5000);
        return;
    }
    const QString title = format == Format::Json   ? tr("Export as JSON")
                          : format == Format::Html ? tr("Export as HTML")
                                                   : tr("Export as Markdown");
    const QString filter = format == Format::Json   ? tr("JSON (*.json)")
                           : format == Format::Html ? tr("HTML (*.html *.htm)")
                                                    : tr("Markdown (*.md)");
    const QString path = QFileDialog::getSaveFileName(
        this, title, QStringLiteral("comparison.") + ComparisonExporter::suffix(format), filter);
    if (path.isEmpty())
        return;
    QString error;
    if (!writeExport(path, format, &error))
        QMessageBox::warning(this, tr("Export failed"), error);
    else
        statusBar()->showMessage(tr("Exported to %1").arg(path), 5000);
}

bool MainWindow::writeExport(const QString& path, ComparisonExporter::Format format, QString* error) const {
    const QByteArray bytes =
        ComparisonExporter::encode(format, m_lastRequest.request.system, m_lastSentText, shownAnswers());
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        *error = tr("Cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

void MainWindow::refreshSpend() {
    if (!m_engine) {
        m_spendLabel->setText(tr("Data folder unavailable"));
        return;
    }
    const double today = m_engine->spend().spentOnDay(QDate::currentDate());
    const std::optional<double> budget = m_engine->settings().dailyBudgetUsd();
    m_spendLabel->setText(budget ? tr("Today $%1 / $%2").arg(today, 0, 'f', 2).arg(*budget, 0, 'f', 2)
                                 : tr("Today $%1").arg(today, 0, 'f', 2));
}

void MainWindow::saveLayout() {
    QSettings settings;
    settings.setValue(geometryKey, saveGeometry());
    settings.setValue(stateKey, saveState());
    settings.setValue(splitterKey, m_mainSplitter->saveState());
}

void MainWindow::restoreLayout() {
    QSettings settings;
    restoreGeometry(settings.value(geometryKey).toByteArray());
    restoreState(settings.value(stateKey).toByteArray());
    m_mainSplitter->restoreState(settings.value(splitterKey).toByteArray());
}

void MainWindow::closeEvent(QCloseEvent* event) {
    // Quitting while answers stream: stop them (what finished stays in the history), keep the layout.
    cancelAll();
    saveLayout();
    event->accept();
}

} // namespace parallax
