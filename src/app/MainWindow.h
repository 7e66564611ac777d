#pragma once

#include "app/AppProfile.h"
#include "app/ComparisonExporter.h"
#include "app/PreparedPrompt.h"
#include "engine/CompareRequest.h"
#include "providers/Answer.h"
#include "sanitize/RedactionMode.h"
#include "secrets/SecretStore.h"

#include <QJsonObject>
#include <QList>
#include <QMainWindow>
#include <QSet>

#include <memory>
#include <optional>
#include <vector>

class QAction;
class QDockWidget;
class QLabel;
class QLineEdit;
class QMenu;
class QNetworkAccessManager;
class QPlainTextEdit;
class QPushButton;
class QSplitter;
class QStackedWidget;
class QToolButton;

namespace parallax {

class AnswerColumn;
class BatchPanel;
class CompareSession;
class DemoProviders;
class DiffController;
class Engine;
class FallbackChains;
class HistoryDock;
class KeyRing;
class ProfileChips;
class ProfileLibrary;
class PromptEditor;
class PromptPreparer;
class Sanitizer;
class ScrollSync;
class SpanHighlighter;
class SynthesisPane;
class VariablesPanel;
class WelcomeView;

/// The comparison window: prompt editor with live redaction preview, profile chips, and one column per
/// profile streaming its answer. Everything slow is asynchronous: requests through the Engine's
/// QNetworkAccessManager, scanning and sanitizing on the thread pool, keys through the keychain's jobs.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    /// `keychain`: where keys are stored; null means the OS keychain (tests pass a fake).
    explicit MainWindow(std::unique_ptr<SecretStore> keychain = nullptr, QWidget* parent = nullptr);
    ~MainWindow() override;

    // For tests and the export code: read-only views of the window's parts.
    PromptEditor* editor() const { return m_editor; }
    VariablesPanel* variablesPanel() const { return m_variables; }
    QLineEdit* systemPromptEdit() const { return m_systemEdit; }
    ProfileChips* chips() const { return m_chips; }
    QList<AnswerColumn*> columns() const { return m_columns; }
    QPlainTextEdit* previewText() const { return m_previewText; }
    QPlainTextEdit* previewSystemText() const { return m_previewSystem; }
    /// The marks on the placeholders of the outgoing text.
    SpanHighlighter* previewMarks() const { return m_previewMarks; }
    DemoProviders* demoProviders() const { return m_demo; }
    KeyRing* keyRing() const { return m_keys; }
    ProfileLibrary* library() const { return m_library; }
    Engine* engine() const { return m_engine.get(); }
    const std::optional<PreparedPrompt>& prepared() const { return m_prepared; }
    /// The sanitized user text of the last request sent (what the preview showed at that moment).
    QString lastSentText() const { return m_lastSentText; }
    bool isRunning() const;
    HistoryDock* historyDock() const { return m_historyDock; }
    BatchPanel* batchPanel() const { return m_batchPanel; }
    DiffController* diffController() const { return m_diff; }
    SynthesisPane* synthesisPane() const { return m_synthesisPane; }
    /// The finished answers shown in the columns, in column order.
    QList<Answer> shownAnswers() const;
    /// The comparison as Markdown: the prompt as sent, then each answer with its metrics.
    QString comparisonMarkdown() const;
    /// Writes the comparison as Markdown, JSON or HTML (atomically); false with a sentence on failure.
    bool writeExport(const QString& path, ComparisonExporter::Format format, QString* error) const;
    bool isWelcomeShown() const;

public slots:
    void send();
    void cancelAll();
    void startDemo();
    void openProvidersDialog();

signals:
    /// Every column of the current comparison has finished (done, failed or cancelled).
    void comparisonFinished();
    /// A new preview (spans and outgoing text) is shown.
    void previewUpdated();
    void sendRefused(const QString& reason);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    struct Run {
        std::unique_ptr<CompareSession> session;
        QList<int> columns; ///< session index → column index
    };

    void buildUi();
    void buildMenus();
    void openEngine();
    void rebuildSanitizer();
    /// Stores the settings' "sanitize" section and brings the sanitizer and the preview up to date.
    void saveSanitizeSection(const QJsonObject& section);
    void refreshProfiles();
    void updateSendState();
    void requestPreparation(bool immediate);
    /// What the preparer scans: the editor's text and the settings, read when its job starts.
    PreparedPrompt preparationInput() const;
    void onPrepared(const PreparedPrompt& result);
    void continueSend(const PreparedPrompt& prepared);
    void startComparison(const PreparedPrompt& prepared, const FallbackChains& chains,
                         const QHash<QString, QString>& keys, const std::optional<AppProfile>& synthesizer);
    void startRun(CompareRequest request, const QList<int>& columns);
    /// New, empty columns for these profiles (the old ones are dropped); their indexes.
    QList<int> showColumns(const QList<AppProfile>& profiles);
    /// Shows a comparison from the history: its prompt in the editor, its answers in the columns.
    void reopenRun(const QString& requestId);
    /// The agreement heat map of the answers the columns hold.
    void showAgreementOfColumns();
    void retryColumn(int column);
    void clearColumns();
    void onRunFinished();
    void alwaysAllow(const QString& value);
    void changeRedactionMode(const QString& type, RedactionMode mode);
    void rebuildDiffMenu();
    void addDemoProfiles(const QList<AppProfile>& profiles);
    void refuse(const QString& reason);
    void refreshSpend();
    void exportTo(ComparisonExporter::Format format);
    void saveLayout();
    void restoreLayout();

    // Declared first so they are destroyed last: the engine uses the network, sessions use the engine.
    std::unique_ptr<QNetworkAccessManager> m_network;
    std::unique_ptr<Engine> m_engine;
    std::vector<std::unique_ptr<Run>> m_runs;
    QString m_engineError;

    KeyRing* m_keys = nullptr;
    ProfileLibrary* m_library = nullptr;
    DemoProviders* m_demo = nullptr;
    PromptPreparer* m_preparer = nullptr;
    VariablesPanel* m_variables = nullptr;
    ScrollSync* m_scrollSync = nullptr; ///< the columns' scroll bars, kept together when the reader wants
    SpanHighlighter* m_previewMarks = nullptr; ///< the placeholders in the outgoing text
    QString m_previewShown;                    ///< what m_previewText holds
    std::shared_ptr<const Sanitizer> m_sanitizer;
    QStringList m_sanitizerProblems; ///< user rules in settings.json that cannot be used (nothing is sent)

    QStackedWidget* m_stack = nullptr;
    WelcomeView* m_welcome = nullptr;
    QWidget* m_workspace = nullptr;
    QLineEdit* m_systemEdit = nullptr;
    PromptEditor* m_editor = nullptr;
    ProfileChips* m_chips = nullptr;
    QToolButton* m_previewButton = nullptr;
    QPushButton* m_sendButton = nullptr;
    QPushButton* m_cancelButton = nullptr;
    QSplitter* m_mainSplitter = nullptr;
    QSplitter* m_columnsSplitter = nullptr;
    QLabel* m_columnsHint = nullptr;
    QDockWidget* m_previewDock = nullptr;
    QPlainTextEdit* m_previewText = nullptr;
    QPlainTextEdit* m_previewSystem = nullptr;
    QLabel* m_previewNote = nullptr;
    HistoryDock* m_historyDock = nullptr;
    BatchPanel* m_batchPanel = nullptr;
    QLabel* m_sessionKeysWarning = nullptr;
    QLabel* m_spendLabel = nullptr;
    QAction* m_sendAction = nullptr;
    QAction* m_cancelAction = nullptr;
    DiffController* m_diff = nullptr;
    SynthesisPane* m_synthesisPane = nullptr;
    QMenu* m_diffMenu = nullptr;

    QList<AnswerColumn*> m_columns;
    CompareRequest m_lastRequest;
    QString m_lastSentText;
    quint64 m_revision = 1;
    std::optional<PreparedPrompt> m_prepared;
    QSet<QString> m_allowOnce;
    bool m_sendPending = false;
    bool m_fetchingKeys = false;
};

} // namespace parallax
