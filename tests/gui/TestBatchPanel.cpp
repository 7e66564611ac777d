// The batch dock against an in-process parallax-mock: a batch from import to a table of done rows, the
// import's problems by line, pause and resume, cancel, retry failed, the item dialog, exports, and a
// provider-mode batch cancelled at the provider with what it had finished collected. Then earlier
// batches: one left unfinished by a closed window is listed in a new window, reopened and resumed
// without sending a finished item again; a provider batch is polled by its saved id, not submitted
// again; a reopened batch is cancelled and retried; a profile that is gone and a batch running in
// another window are refused with a reason.

#include "GuiTestSupport.h"

#include "app/BatchItemDialog.h"
#include "app/BatchPanel.h"
#include "app/KeyRing.h"
#include "batch/BatchItemsModel.h"
#include "batch/BatchJobListModel.h"
#include "batch/BatchSession.h"
#include "batch/CsvReader.h"
#include "mock/MockServer.h"
#include "store/Database.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QSqlQuery>
#include <QTableView>
#include <QTest>

using namespace parallax;

namespace {
constexpr int kWaitMs = 60'000;
}

class TestBatchPanel : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<mock::MockServer> m_server;
    std::unique_ptr<MainWindow> m_window;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
    std::unique_ptr<QAbstractItemModelTester> m_jobsTester;

    BatchPanel* panel() const { return m_window->batchPanel(); }

    /// An item as the database holds it.
    struct StoredItem {
        QString state;
        QString text;
    };

    void openWindow(int profiles = 2) {
        test::writeMockProfiles(m_dir->path(), m_server->baseUrl(), profiles);
        m_window = test::makeWindow();
        for (const QString name : {"gpt", "claude", "gemini"})
            m_window->keyRing()->setSessionKey(name, QStringLiteral("k"));
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        // Every model the panel shows is checked as a model for as long as it lives.
        const auto testItems = [this] {
            m_tester = std::make_unique<QAbstractItemModelTester>(
                panel()->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        };
        connect(panel(), &BatchPanel::started, this, testItems);
        connect(panel(), &BatchPanel::reopened, this, testItems);
        m_jobsTester = std::make_unique<QAbstractItemModelTester>(
            panel()->jobList(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    }

    /// Closing the window mid-batch, as a user (or the end of the program) would: the run stops where
    /// it is, with items done, in flight and not sent yet.
    void closeWindow() {
        m_tester.reset();
        m_jobsTester.reset();
        m_window.reset();
    }

    /// Shows the dock, as View ▸ Batch does, and waits for its list of earlier batches.
    void showDockAndWaitForList() {
        QSignalSpy listed(panel(), &BatchPanel::jobsListed);
        m_window->findChild<QAction*>(QStringLiteral("batchPanelAction"))->trigger();
        QVERIFY(panel()->isVisible());
        QVERIFY(listed.wait(kWaitMs));
    }

    QPushButton* button(const char* name) const { return panel()->findChild<QPushButton*>(name); }

    /// Every item of the database by its prompt.
    QHash<QString, StoredItem> storedItems() const {
        QHash<QString, StoredItem> items;
        QString error;
        const std::unique_ptr<Database> database = Database::open(m_dir->filePath("parallax.db"), &error);
        if (!database)
            return items;
        QSqlQuery query(database->connection());
        query.exec(QStringLiteral("SELECT prompt, state, answer_json FROM batch_items"));
        while (query.next())
            items.insert(
                query.value(0).toString(),
                {query.value(1).toString(), QJsonDocument::fromJson(query.value(2).toString().toUtf8())
                                                .object()
                                                .value("text")
                                                .toString()});
        return items;
    }

    /// How often the mock was sent each prompt (generation requests).
    QHash<QString, int> sentPrompts() const {
        QHash<QString, int> sent;
        for (const auto& request : m_server->receivedRequests()) {
            if (request.protocol.isEmpty())
                continue;
            const QJsonArray messages =
                QJsonDocument::fromJson(request.body).object().value("messages").toArray();
            sent[messages.last().toObject().value("content").toString()] += 1;
        }
        return sent;
    }

    int received(const QByteArray& method, const QByteArray& pathPrefix) const {
        int count = 0;
        for (const auto& request : m_server->receivedRequests())
            count += request.method == method && request.path.startsWith(pathPrefix);
        return count;
    }

    int batchesCreated() const {
        return m_server->openAiBatchesCreated() + m_server->anthropicBatchesCreated();
    }

    /// Exports the batch shown as JSONL and reads it back.
    QList<QJsonObject> exportJsonl() {
        QSignalSpy exported(panel(), &BatchPanel::exportFinished);
        const QString path = m_dir->filePath(QStringLiteral("export.jsonl"));
        panel()->exportResults(path);
        if (!exported.wait(kWaitMs) || !exported.last().at(0).toBool())
            return {};
        QList<QJsonObject> lines;
        for (const QByteArray& line : readFile(path).trimmed().split('\n'))
            lines.append(QJsonDocument::fromJson(line).object());
        return lines;
    }

    QString writeFile(const QString& name, const QByteArray& content) const {
        const QString path = m_dir->filePath(name);
        QFile file(path);
        file.open(QIODevice::WriteOnly);
        file.write(content);
        return path;
    }

    QString writePrompts(int count, const QHash<int, QString>& special = {}) const {
        QByteArray csv = "id,prompt\n";
        for (int i = 0; i < count; ++i)
            csv += QStringLiteral("row-%1,\"%2\"\n")
                       .arg(i)
                       .arg(special.value(i, QStringLiteral("Question number %1").arg(i)))
                       .toUtf8();
        return writeFile(QStringLiteral("prompts.csv"), csv);
    }

    void importAndCheck(const QString& path, const QStringList& profiles) {
        QSignalSpy imported(panel(), &BatchPanel::imported);
        panel()->importFile(path);
        QVERIFY(imported.wait(kWaitMs));
        panel()->setCheckedProfiles(profiles);
    }

    QStringList states() const {
        QStringList result;
        BatchItemsModel* model = panel()->model();
        if (!model)
            return result;
        for (int row = 0; row < model->rowCount(); ++row)
            result.append(model->index(row, BatchItemsModel::State).data().toString());
        return result;
    }

    int countState(const QString& state) const { return static_cast<int>(states().count(state)); }

    int generationRequests() const { return m_server->requestCount(); }

    QByteArray readFile(const QString& path) const {
        QFile file(path);
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    }

private slots:
    void initTestCase() { test::setUpApplication("TestBatchPanel"); }
    void init() {
        m_dir = test::freshDataDir();
        // A failed request fails at once: retries would only slow the tests down.
        QFile settings(m_dir->filePath(QStringLiteral("settings.json")));
        QVERIFY(settings.open(QIODevice::WriteOnly));
        settings.write("{\"retries\": {\"max_retries\": 0}}");
        settings.close();
        mock::MockConfig config;
        config.ttftMs = 0;
        config.tokensPerSecond = 0;
        config.answerTokens = 8;
        m_server = std::make_unique<mock::MockServer>(config);
        QVERIFY(m_server->listen());
    }
    void cleanup() {
        m_tester.reset();
        m_jobsTester.reset();
        m_window.reset();
        m_server.reset();
        m_dir.reset();
    }

    void theViewMenuOpensTheDock() {
        openWindow();
        QAction* action = m_window->findChild<QAction*>(QStringLiteral("batchPanelAction"));
        QVERIFY(action);
        QVERIFY(!panel()->isVisible());
        action->trigger();
        QVERIFY(panel()->isVisible());
        QCOMPARE(action->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_B));
    }

    void runsABatchEndToEndAndExportsIt() {
        openWindow();
        // Line 4 has no prompt: it is listed and skipped, the other rows are imported.
        const QString path = writeFile(QStringLiteral("in.csv"), "id,prompt,topic\n"
                                                                 "a,Tell me about {{topic}},tides\n"
                                                                 "b,Tell me about {{topic}},orbits\n"
                                                                 "c,,nothing\n"
                                                                 "d,Tell me about {{topic}},comets\n");
        QSignalSpy imported(panel(), &BatchPanel::imported);
        panel()->importFile(path);
        QVERIFY(imported.wait(kWaitMs));
        QCOMPARE(imported.first().at(0).toInt(), 3);
        QCOMPARE(imported.first().at(1).toInt(), 1);
        QCOMPARE(panel()->problemLines(), QStringList{QStringLiteral("line 4: the prompt is empty")});
        panel()->setCheckedProfiles({"gpt", "claude"});

        QSignalSpy finished(panel(), &BatchPanel::finished);
        panel()->start();
        QVERIFY(finished.wait(kWaitMs));
        QCOMPARE(panel()->model()->rowCount(), 6); // 3 rows × 2 profiles
        QCOMPARE(states(), QStringList(6, QStringLiteral("done")));
        QCOMPARE(generationRequests(), 6);
        // The view shows them: same model, first row's id and profile.
        QCOMPARE(panel()->table()->model(), panel()->model());
        QCOMPARE(panel()->model()->index(1, BatchItemsModel::Profile).data().toString(),
                 QStringLiteral("claude"));
        QCOMPARE(panel()->model()->index(1, BatchItemsModel::OutputTokens).data().toInt(), 8);
        QCOMPARE(panel()->progress().finished(), 6);
        QCOMPARE(panel()->progress().total(), 6);
        QVERIFY(panel()->findChild<QLabel*>(QStringLiteral("batchStats"))->text().startsWith("6/6 items"));

        // The state filter.
        auto* filter = panel()->findChild<QComboBox*>(QStringLiteral("batchStateFilter"));
        filter->setCurrentIndex(filter->findText(QStringLiteral("failed")));
        QCOMPARE(panel()->model()->rowCount(), 0);
        filter->setCurrentIndex(filter->findText(QStringLiteral("done")));
        QCOMPARE(panel()->model()->rowCount(), 6);
        filter->setCurrentIndex(0);

        // Opening a row shows its prompt and both answers side by side.
        BatchItemDialog* dialog = panel()->openItem(panel()->model()->databaseId(2));
        QVERIFY(dialog);
        QCOMPARE(dialog->findChild<QPlainTextEdit*>(QStringLiteral("batchItemPrompt"))->toPlainText(),
                 QStringLiteral("Tell me about orbits"));
        QCOMPARE(dialog->answerTexts().size(), 2);
        for (const QString& text : dialog->answerTexts())
            QCOMPARE(text.split(QLatin1Char(' ')).size(), 8);
        dialog->close();

        // Exports: one line or record per item × profile, in input order, with the metrics.
        QSignalSpy exported(panel(), &BatchPanel::exportFinished);
        const QString jsonl = m_dir->filePath(QStringLiteral("out.jsonl"));
        panel()->exportResults(jsonl);
        QVERIFY(exported.wait(kWaitMs));
        QVERIFY2(exported.last().at(0).toBool(), qPrintable(exported.last().at(1).toString()));
        const QList<QByteArray> lines = readFile(jsonl).trimmed().split('\n');
        QCOMPARE(lines.size(), 6);
        const QStringList ids{"a", "a", "b", "b", "d", "d"};
        const QStringList profiles{"gpt", "claude", "gpt", "claude", "gpt", "claude"};
        QStringList answers;
        for (int i = 0; i < 6; ++i) {
            const QJsonObject line = QJsonDocument::fromJson(lines.at(i)).object();
            QCOMPARE(line.value("id").toString(), ids.at(i));
            QCOMPARE(line.value("profile").toString(), profiles.at(i));
            QCOMPARE(line.value("state").toString(), QStringLiteral("done"));
            QCOMPARE(line.value("usage").toObject().value("output_tokens").toInt(), 8);
            QVERIFY(line.value("error").isNull());
            answers.append(line.value("text").toString());
        }
        const QString csv = m_dir->filePath(QStringLiteral("out.csv"));
        panel()->exportResults(csv);
        QVERIFY(exported.wait(kWaitMs));
        QVERIFY2(exported.last().at(0).toBool(), qPrintable(exported.last().at(1).toString()));
        const QByteArray csvBytes = readFile(csv);
        QVERIFY(csvBytes.startsWith("id,profile,model,state,input_tokens,output_tokens,cost_usd,ttft_ms,"
                                    "latency_ms,error_type,error_message,answer\r\n"));
        QList<QPair<int, QString>> csvProblems;
        const QList<CsvReader::Record> records = CsvReader::parse(csvBytes, &csvProblems);
        QVERIFY(csvProblems.isEmpty());
        QCOMPARE(records.size(), 7); // the header and one record per item × profile
        for (int i = 0; i < 6; ++i) {
            const QStringList& fields = records.at(i + 1).fields;
            QCOMPARE(fields.size(), 12);
            QCOMPARE(fields.at(0), ids.at(i));
            QCOMPARE(fields.at(1), profiles.at(i));
            QCOMPARE(fields.at(3), QStringLiteral("done"));
            QCOMPARE(fields.at(5), QStringLiteral("8"));
            QCOMPARE(fields.at(6), QString()); // the mock's model has no known price: empty, never 0
            QCOMPARE(fields.at(9), QString());
            QCOMPARE(fields.at(11), answers.at(i));
        }
    }

    void aFailingProfileFallsBackToItsSavedChain() {
        // gpt's key is refused; settings.json gives it claude as its fallback, as the window's dialog writes
        // it.
        mock::MockConfig config = m_server->config();
        config.requiredApiKey = QStringLiteral("k");
        m_server->setConfig(config);
        QFile settings(m_dir->filePath(QStringLiteral("settings.json")));
        QVERIFY(settings.open(QIODevice::WriteOnly));
        settings.write(R"({"retries": {"max_retries": 0}, "fallback": {"gpt": ["claude"]}})");
        settings.close();
        openWindow();
        m_window->keyRing()->setSessionKey(QStringLiteral("gpt"), QStringLiteral("wrong"));
        importAndCheck(writePrompts(3), {"gpt"});
        QSignalSpy finished(panel(), &BatchPanel::finished);
        panel()->start();
        QVERIFY(finished.wait(kWaitMs));
        QCOMPARE(states(), QStringList(3, QStringLiteral("done")));
        const QList<QJsonObject> lines = exportJsonl();
        QCOMPARE(lines.size(), 3);
        for (const QJsonObject& line : lines) {
            QCOMPARE(line.value("profile").toString(), QStringLiteral("claude"));
            QCOMPARE(line.value("fallback_from").toString(), QStringLiteral("gpt"));
        }
        QCOMPARE(received("POST", "/v1/chat/completions"), 3);
        QCOMPARE(received("POST", "/v1/messages"), 3);
    }

    void theTemplateFillsEveryPrompt() {
        openWindow(1);
        // A data table without a prompt column: the template makes each row's prompt.
        const QString path = writeFile(QStringLiteral("cities.csv"), "id,city\nr1,Oslo\nr2,Lima\n");
        panel()
            ->findChild<QLineEdit*>(QStringLiteral("batchTemplate"))
            ->setText(QStringLiteral("Describe {{city}}"));
        importAndCheck(path, {"gpt"});
        QSignalSpy finished(panel(), &BatchPanel::finished);
        panel()->start();
        QVERIFY(finished.wait(kWaitMs));
        QCOMPARE(states(), QStringList(2, QStringLiteral("done")));
        BatchItemDialog* dialog = panel()->openItem(panel()->model()->databaseId(1));
        QVERIFY(dialog);
        QCOMPARE(dialog->findChild<QPlainTextEdit*>(QStringLiteral("batchItemPrompt"))->toPlainText(),
                 QStringLiteral("Describe Lima"));
        QStringList sent;
        for (const auto& request : m_server->receivedRequests())
            sent.append(QString::fromUtf8(request.body));
        QCOMPARE(sent.filter(QStringLiteral("Describe Lima")).size(), 1);
        QCOMPARE(sent.filter(QStringLiteral("Describe Oslo")).size(), 1);
        dialog->close();
    }

    void pausesAndResumes() {
        openWindow(1);
        mock::MockConfig config = m_server->config();
        config.ttftMs = 150; // long enough to pause while one is in flight
        m_server->setConfig(config);
        importAndCheck(writePrompts(5), {"gpt"});
        panel()->findChild<QSpinBox*>(QStringLiteral("batchConcurrency"))->setValue(1);
        QSignalSpy finished(panel(), &BatchPanel::finished);
        panel()->start();
        QTRY_VERIFY_WITH_TIMEOUT(countState(QStringLiteral("done")) >= 1, kWaitMs);
        panel()->togglePause();
        QCOMPARE(panel()->findChild<QPushButton*>(QStringLiteral("batchPauseButton"))->text(),
                 QStringLiteral("Resume"));
        // The item in flight finishes; nothing new starts.
        QTRY_VERIFY_WITH_TIMEOUT(countState(QStringLiteral("running")) == 0, kWaitMs);
        const int doneWhilePaused = countState(QStringLiteral("done"));
        QVERIFY(doneWhilePaused < 5);
        QCOMPARE(generationRequests(), doneWhilePaused);
        // Holding still is the behaviour under test: a few request times pass without a new request.
        QTest::qWait(600);
        QCOMPARE(generationRequests(), doneWhilePaused);
        QCOMPARE(countState(QStringLiteral("pending")), 5 - doneWhilePaused);
        QVERIFY(finished.isEmpty());

        panel()->togglePause();
        QVERIFY(finished.wait(kWaitMs));
        QCOMPARE(states(), QStringList(5, QStringLiteral("done")));
        QCOMPARE(generationRequests(), 5); // nothing sent twice
    }

    void cancelEndsTheRestCancelled() {
        openWindow(1);
        mock::MockConfig config = m_server->config();
        config.ttftMs = 150;
        m_server->setConfig(config);
        importAndCheck(writePrompts(8), {"gpt"});
        panel()->findChild<QSpinBox*>(QStringLiteral("batchConcurrency"))->setValue(2);
        QSignalSpy finished(panel(), &BatchPanel::finished);
        panel()->start();
        QTRY_VERIFY_WITH_TIMEOUT(countState(QStringLiteral("done")) >= 2, kWaitMs);
        panel()->cancel();
        QVERIFY(finished.wait(kWaitMs));
        const int done = countState(QStringLiteral("done"));
        QVERIFY(done >= 2 && done < 8);
        QCOMPARE(countState(QStringLiteral("cancelled")), 8 - done); // in flight ones too
        QCOMPARE(countState(QStringLiteral("pending")), 0);
        QCOMPARE(countState(QStringLiteral("running")), 0);
        // The retry button offers the cancelled items again.
        QVERIFY(panel()->findChild<QPushButton*>(QStringLiteral("batchRetryButton"))->isEnabled());
    }

    void retryFailedSendsOnlyTheFailedAgain() {
        openWindow(1);
        importAndCheck(writePrompts(4, {{2, QStringLiteral("This one fails [[mock:fault=500]]")}}), {"gpt"});
        QSignalSpy finished(panel(), &BatchPanel::finished);
        panel()->start();
        QVERIFY(finished.wait(kWaitMs));
        QCOMPARE(states(), (QStringList{"done", "done", "failed", "done"}));
        QCOMPARE(
            panel()->model()->index(2, BatchItemsModel::Error).data().toString(),
            QStringLiteral("The server had an error while processing your request (parallax-mock fault)."));
        QCOMPARE(generationRequests(), 4);
        auto* retry = panel()->findChild<QPushButton*>(QStringLiteral("batchRetryButton"));
        QVERIFY(retry->isEnabled());

        retry->click();
        QVERIFY(finished.wait(kWaitMs));
        QCOMPARE(generationRequests(), 5); // only the failed one again
        QCOMPARE(states(), (QStringList{"done", "done", "failed", "done"}));
        QCOMPARE(panel()->model()->index(2, BatchItemsModel::Attempts).data().toInt(), 2);
        QCOMPARE(panel()->model()->index(0, BatchItemsModel::Attempts).data().toInt(), 1);
    }

    void refusesWithoutProfilesOrAboveTheBudget() {
        // A price for the mock's model, so the worst case is known: 3 rows × 4096 tokens at $1000/M.
        QFile settings(m_dir->filePath(QStringLiteral("settings.json")));
        QVERIFY(settings.open(QIODevice::WriteOnly));
        settings.write("{\"prices\": {\"gpt-mock\": {\"input\": 1000, \"output\": 1000}}}");
        settings.close();
        openWindow(1);
        importAndCheck(writePrompts(3), {});
        QSignalSpy refused(panel(), &BatchPanel::refused);
        panel()->start();
        QCOMPARE(refused.size(), 1);
        QVERIFY(refused.last().at(0).toString().contains("Check at least one profile"));

        panel()->setCheckedProfiles({"gpt"});
        panel()->findChild<QDoubleSpinBox*>(QStringLiteral("batchBudget"))->setValue(1.0);
        panel()->start();
        QVERIFY(refused.wait(kWaitMs));
        QVERIFY2(refused.last().at(0).toString().startsWith("Refused: the batch could cost up to $"),
                 qPrintable(refused.last().at(0).toString()));
        QCOMPARE(panel()->jobId(), 0); // no job, nothing sent
        QCOMPARE(m_server->receivedRequests().size(), 0);
    }

    void providerBatchCancelledAtTheProviderKeepsWhatItFinished_data() {
        QTest::addColumn<QString>("profile");
        QTest::addColumn<QByteArray>("cancelPath");
        QTest::newRow("openai") << QStringLiteral("gpt") << QByteArray("/v1/batches/");
        QTest::newRow("anthropic") << QStringLiteral("claude") << QByteArray("/v1/messages/batches/");
    }
    void providerBatchCancelledAtTheProviderKeepsWhatItFinished() {
        QFETCH(QString, profile);
        QFETCH(QByteArray, cancelPath);
        openWindow(2);
        mock::MockConfig config = m_server->config();
        config.batchHold = true; // in progress until cancelled
        m_server->setConfig(config);
        importAndCheck(writePrompts(6), {profile});
        auto* mode = panel()->findChild<QComboBox*>(QStringLiteral("batchMode"));
        mode->setCurrentIndex(mode->findData(QStringLiteral("provider")));
        panel()->setPollIntervalMs(20);
        const auto received = [this](const QByteArray& method, const QByteArray& prefix,
                                     const QByteArray& suffix) {
            int count = 0;
            for (const auto& request : m_server->receivedRequests())
                count += request.method == method && request.path.startsWith(prefix) &&
                         request.path.endsWith(suffix);
            return count;
        };
        QSignalSpy finished(panel(), &BatchPanel::finished);
        panel()->start();
        // Submitted: the table shows the items running at the provider.
        QTRY_COMPARE_WITH_TIMEOUT(states(), QStringList(6, QStringLiteral("running")), kWaitMs);
        // Polled twice: the mock has the batch in progress (and half of it answered, as it tells a cancel).
        QTRY_VERIFY_WITH_TIMEOUT(received("GET", cancelPath, "") >= 2, kWaitMs);
        QCOMPARE(received("POST", cancelPath, "/cancel"), 0);
        panel()->cancel();
        QVERIFY(finished.wait(kWaitMs));
        QCOMPARE(received("POST", cancelPath, "/cancel"), 1);
        QCOMPARE(m_server->requestCount(), 0); // everything went through the Batch API
        QCOMPARE(states(), (QStringList{"done", "done", "done", "cancelled", "cancelled", "cancelled"}));
        QCOMPARE(panel()->model()->index(0, BatchItemsModel::OutputTokens).data().toInt(), 8);
        QVERIFY(panel()->model()->index(5, BatchItemsModel::Error).data().toString().contains("cancelled"));
    }

    void aBatchLeftUnfinishedWhenTheWindowClosedIsReopenedAndResumed() {
        openWindow(1);
        mock::MockConfig config = m_server->config();
        config.ttftMs = 40; // long enough to close the window with items done, in flight and not sent
        m_server->setConfig(config);
        importAndCheck(writePrompts(30), {"gpt"});
        panel()->findChild<QSpinBox*>(QStringLiteral("batchConcurrency"))->setValue(2);
        panel()->start();
        QTRY_VERIFY_WITH_TIMEOUT(countState(QStringLiteral("done")) >= 6, kWaitMs);
        const qint64 job = panel()->jobId();
        closeWindow();

        const QHash<QString, StoredItem> atClose = storedItems();
        QCOMPARE(atClose.size(), 30);
        QStringList finishedAtClose;
        for (auto it = atClose.cbegin(); it != atClose.cend(); ++it) {
            if (it->state == QLatin1String("done"))
                finishedAtClose.append(it.key());
        }
        QVERIFY(finishedAtClose.size() >= 6);
        QVERIFY(finishedAtClose.size() < 30);

        // A new window on the same data folder says so as soon as the dock opens.
        openWindow(1);
        QSignalSpy listed(panel(), &BatchPanel::jobsListed);
        showDockAndWaitForList();
        QCOMPARE(listed.last().at(0).toInt(), 1);
        QCOMPARE(listed.last().at(1).toInt(), 1);
        auto* note = panel()->findChild<QLabel*>(QStringLiteral("batchUnfinishedNote"));
        QVERIFY(note->isVisible());
        QVERIFY2(note->text().startsWith(QStringLiteral("1 unfinished batch")), qPrintable(note->text()));
        auto* jobs = panel()->findChild<QComboBox*>(QStringLiteral("batchEarlierJobs"));
        QCOMPARE(jobs->count(), 1);
        const QString expectedLine =
            QStringLiteral("prompts.csv · 30 row(s) · gpt · local · %1 done").arg(finishedAtClose.size());
        QVERIFY2(jobs->currentText().contains(expectedLine), qPrintable(jobs->currentText()));
        QVERIFY2(jobs->currentText().contains(QStringLiteral(" pending")), qPrintable(jobs->currentText()));

        QSignalSpy reopened(panel(), &BatchPanel::reopened);
        emit note->linkActivated(QStringLiteral("open"));
        QVERIFY(reopened.wait(kWaitMs));
        QCOMPARE(reopened.first().at(0).toLongLong(), job);
        QCOMPARE(panel()->jobId(), job);
        QCOMPARE(panel()->model()->rowCount(), 30);
        QCOMPARE(countState(QStringLiteral("done")), finishedAtClose.size());
        // Opening sends nothing: the mock has only seen items that were done or in flight at the close
        // (those in flight may reach it after the close), each once.
        const QHash<QString, int> sentBeforeResume = sentPrompts();
        for (auto it = sentBeforeResume.cbegin(); it != sentBeforeResume.cend(); ++it) {
            const QString state = atClose.value(it.key()).state;
            QVERIFY2(state == QLatin1String("done") || state == QLatin1String("running"),
                     qPrintable(it.key() + " was sent while the batch was only opened"));
            QCOMPARE(it.value(), 1);
        }
        QVERIFY(!note->isVisible()); // the batch shown is not counted as waiting elsewhere
        QPushButton* resume = button("batchPauseButton");
        QCOMPARE(resume->text(), QStringLiteral("Resume"));
        QVERIFY(resume->isEnabled());
        QVERIFY(button("batchCancelButton")->isEnabled());

        QSignalSpy finished(panel(), &BatchPanel::finished);
        resume->click();
        QVERIFY(finished.wait(kWaitMs));
        QCOMPARE(states(), QStringList(30, QStringLiteral("done")));
        // Each item was started once, except those in flight when the window closed. (A finished item
        // run again would not reach the mock: the response cache would answer it; its attempts would tell.)
        int startedTwice = 0;
        for (int row = 0; row < 30; ++row) {
            const int attempts = panel()->model()->index(row, BatchItemsModel::Attempts).data().toInt();
            QVERIFY2(attempts == 1 || attempts == 2, qPrintable(QString::number(attempts)));
            startedTwice += attempts == 2;
            if (finishedAtClose.contains(QStringLiteral("Question number %1").arg(row)))
                QCOMPARE(attempts, 1);
        }
        QVERIFY(startedTwice <= 2);
        const QHash<QString, int> sent = sentPrompts();
        QCOMPARE(sent.size(), 30);
        for (const QString& prompt : std::as_const(finishedAtClose))
            QVERIFY2(sent.value(prompt) == 1, qPrintable(prompt + " was sent again after it had finished"));
        // Only the items in flight when the window closed (the concurrency: 2) went out twice.
        QVERIFY(m_server->requestCount() <= 30 + 2);

        // The export: one line per item in input order; what had finished is exactly as it was.
        const QList<QJsonObject> lines = exportJsonl();
        QCOMPARE(lines.size(), 30);
        const QHash<QString, StoredItem> atEnd = storedItems();
        for (int i = 0; i < 30; ++i) {
            const QString prompt = QStringLiteral("Question number %1").arg(i);
            QCOMPARE(lines.at(i).value("id").toString(), QStringLiteral("row-%1").arg(i));
            QCOMPARE(lines.at(i).value("profile").toString(), QStringLiteral("gpt"));
            QCOMPARE(lines.at(i).value("state").toString(), QStringLiteral("done"));
            QVERIFY(lines.at(i).value("error").isNull());
            QCOMPARE(lines.at(i).value("usage").toObject().value("output_tokens").toInt(), 8);
            QCOMPARE(lines.at(i).value("text").toString(), atEnd.value(prompt).text);
            QCOMPARE(lines.at(i).value("cached").toBool(), false);
            if (finishedAtClose.contains(prompt))
                QCOMPARE(lines.at(i).value("text").toString(), atClose.value(prompt).text);
        }
        // Nothing is left unfinished: the note stays away.
        QTRY_COMPARE_WITH_TIMEOUT(listed.last().at(1).toInt(), 0, kWaitMs);
        QVERIFY(!note->isVisible());
        QVERIFY2(jobs->currentText().contains(QStringLiteral("30 done")), qPrintable(jobs->currentText()));
    }

    void aProviderBatchReopenedWhileInProgressIsPolledNotSubmittedAgain_data() {
        QTest::addColumn<QString>("profile");
        QTest::addColumn<QByteArray>("pollPath");
        QTest::newRow("openai") << QStringLiteral("gpt") << QByteArray("/v1/batches/");
        QTest::newRow("anthropic") << QStringLiteral("claude") << QByteArray("/v1/messages/batches/");
    }
    void aProviderBatchReopenedWhileInProgressIsPolledNotSubmittedAgain() {
        QFETCH(QString, profile);
        QFETCH(QByteArray, pollPath);
        openWindow(2);
        mock::MockConfig config = m_server->config();
        config.batchHold = true; // in progress at the provider until the test lets it go
        m_server->setConfig(config);
        importAndCheck(writePrompts(6), {profile});
        auto* mode = panel()->findChild<QComboBox*>(QStringLiteral("batchMode"));
        mode->setCurrentIndex(mode->findData(QStringLiteral("provider")));
        panel()->setPollIntervalMs(20);
        panel()->start();
        QTRY_COMPARE_WITH_TIMEOUT(states(), QStringList(6, QStringLiteral("running")), kWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(received("GET", pollPath) >= 2, kWaitMs);
        closeWindow();
        QCOMPARE(batchesCreated(), 1);

        QString remoteId;
        {
            QString error;
            const std::unique_ptr<Database> database = Database::open(m_dir->filePath("parallax.db"), &error);
            QVERIFY2(database, qPrintable(error));
            QSqlQuery query(database->connection());
            QVERIFY(query.exec("SELECT phase, remote_id FROM batch_remote"));
            QVERIFY(query.next());
            QCOMPARE(query.value(0).toString(), QStringLiteral("polling"));
            remoteId = query.value(1).toString();
            QVERIFY(!query.next());
        }
        QVERIFY(!remoteId.isEmpty());
        const QByteArray remotePath = pollPath + remoteId.toUtf8();

        openWindow(2);
        panel()->setPollIntervalMs(20);
        showDockAndWaitForList();
        auto* jobs = panel()->findChild<QComboBox*>(QStringLiteral("batchEarlierJobs"));
        QVERIFY2(jobs->currentText().contains(QStringLiteral("%1 · provider · 6 running").arg(profile)),
                 qPrintable(jobs->currentText()));
        QSignalSpy reopened(panel(), &BatchPanel::reopened);
        button("batchOpenJobButton")->click();
        QVERIFY(reopened.wait(kWaitMs));
        QCOMPARE(states(), QStringList(6, QStringLiteral("running")));

        const int pollsBefore = received("GET", remotePath);
        QSignalSpy finished(panel(), &BatchPanel::finished);
        button("batchPauseButton")->click(); // Resume
        // Still held at the provider: the same remote batch is polled again, and nothing is submitted.
        QTRY_VERIFY_WITH_TIMEOUT(received("GET", remotePath) >= pollsBefore + 2, kWaitMs);
        QVERIFY(finished.isEmpty());
        QCOMPARE(batchesCreated(), 1);

        config.batchHold = false;
        m_server->setConfig(config);
        QVERIFY(finished.wait(kWaitMs));
        QCOMPARE(states(), QStringList(6, QStringLiteral("done")));
        QCOMPARE(batchesCreated(), 1);         // no second submission
        QCOMPARE(m_server->requestCount(), 0); // everything went through the Batch API
        QCOMPARE(received("GET", pollPath), received("GET", remotePath)); // no other batch was asked about
        const QList<QJsonObject> lines = exportJsonl();
        QCOMPARE(lines.size(), 6);
        for (int i = 0; i < 6; ++i) {
            QCOMPARE(lines.at(i).value("id").toString(), QStringLiteral("row-%1").arg(i));
            QCOMPARE(lines.at(i).value("profile").toString(), profile);
            QCOMPARE(lines.at(i).value("state").toString(), QStringLiteral("done"));
            QCOMPARE(lines.at(i).value("usage").toObject().value("output_tokens").toInt(), 8);
            QVERIFY(!lines.at(i).value("text").toString().isEmpty());
        }
    }

    void aStoppedBatchReopenedElsewhereIsCancelledThenRetried() {
        openWindow(1);
        mock::MockConfig config = m_server->config();
        config.ttftMs = 40;
        m_server->setConfig(config);
        importAndCheck(writePrompts(12), {"gpt"});
        panel()->findChild<QSpinBox*>(QStringLiteral("batchConcurrency"))->setValue(1);
        QSignalSpy stopped(panel(), &BatchPanel::finished);
        panel()->start();
        QTRY_VERIFY_WITH_TIMEOUT(countState(QStringLiteral("done")) >= 2, kWaitMs);
        panel()->stop();
        QVERIFY(stopped.wait(kWaitMs));
        const int doneBefore = countState(QStringLiteral("done"));
        QVERIFY(doneBefore < 12);
        QCOMPARE(countState(QStringLiteral("pending")), 12 - doneBefore); // the one in flight too
        QVERIFY2(
            panel()->findChild<QLabel*>(QStringLiteral("batchStatus"))->text().contains("Resume continues"),
            qPrintable(panel()->findChild<QLabel*>(QStringLiteral("batchStatus"))->text()));
        QCOMPARE(button("batchPauseButton")->text(), QStringLiteral("Resume"));
        QVERIFY(button("batchPauseButton")->isEnabled());
        closeWindow();

        openWindow(1);
        showDockAndWaitForList();
        QSignalSpy reopened(panel(), &BatchPanel::reopened);
        button("batchOpenJobButton")->click();
        QVERIFY(reopened.wait(kWaitMs));
        QVERIFY(!button("batchRetryButton")->isEnabled()); // nothing failed or cancelled yet

        // Cancel: what was not sent ends cancelled, and nothing is sent to get there.
        const int requests = m_server->requestCount();
        QSignalSpy finished(panel(), &BatchPanel::finished);
        button("batchCancelButton")->click();
        QVERIFY(finished.wait(kWaitMs));
        QCOMPARE(countState(QStringLiteral("done")), doneBefore);
        QCOMPARE(countState(QStringLiteral("cancelled")), 12 - doneBefore);
        QCOMPARE(m_server->requestCount(), requests);
        QCOMPARE(button("batchPauseButton")->text(), QStringLiteral("Pause"));
        QVERIFY(!button("batchPauseButton")->isEnabled());

        // Retry failed sends the cancelled ones, and only those.
        QVERIFY(button("batchRetryButton")->isEnabled());
        button("batchRetryButton")->click();
        QVERIFY(finished.wait(kWaitMs));
        QCOMPARE(states(), QStringList(12, QStringLiteral("done")));
        QCOMPARE(m_server->requestCount(), requests + 12 - doneBefore);
        const QList<QJsonObject> lines = exportJsonl();
        QCOMPARE(lines.size(), 12);
        for (int i = 0; i < 12; ++i) {
            QCOMPARE(lines.at(i).value("id").toString(), QStringLiteral("row-%1").arg(i));
            QCOMPARE(lines.at(i).value("state").toString(), QStringLiteral("done"));
            QCOMPARE(lines.at(i).value("cached").toBool(), false); // none answered twice
        }
        // The items done before the stop (the first ones, at concurrency 1) were started once.
        for (int row = 0; row < doneBefore; ++row)
            QCOMPARE(panel()->model()->index(row, BatchItemsModel::Attempts).data().toInt(), 1);
    }

    void aReopenedBatchWhoseProfileIsGoneSaysSo() {
        openWindow(2);
        importAndCheck(writePrompts(3), {"gpt", "claude"});
        QSignalSpy finished(panel(), &BatchPanel::finished);
        panel()->start();
        QVERIFY(finished.wait(kWaitMs));
        const qint64 job = panel()->jobId();
        closeWindow();
        // Make it unfinished, as a crash before the last items would have left it.
        {
            QString error;
            const std::unique_ptr<Database> database = Database::open(m_dir->filePath("parallax.db"), &error);
            QVERIFY2(database, qPrintable(error));
            QSqlQuery query(database->connection());
            QVERIFY(query.exec(
                "UPDATE batch_items SET state = 'pending', answer_json = NULL WHERE row_index = 2"));
        }

        openWindow(1); // "claude" is no longer a profile
        showDockAndWaitForList();
        QSignalSpy reopened(panel(), &BatchPanel::reopened);
        panel()->openJob(job);
        QVERIFY(reopened.wait(kWaitMs));
        QCOMPARE(states(), (QStringList{"done", "done", "done", "done", "pending", "pending"}));
        const int requests = m_server->requestCount();
        QSignalSpy refused(panel(), &BatchPanel::refused);
        button("batchPauseButton")->click();
        QCOMPARE(refused.size(), 1);
        const QString reason = refused.first().at(0).toString();
        QVERIFY2(reason.contains(QStringLiteral("claude")) && reason.contains(QStringLiteral("no longer")),
                 qPrintable(reason));
        QCOMPARE(m_server->requestCount(), requests);
        // What it has can still be exported.
        QSignalSpy exported(panel(), &BatchPanel::exportFinished);
        panel()->exportResults(m_dir->filePath(QStringLiteral("partial.jsonl")));
        QVERIFY(exported.wait(kWaitMs));
        QVERIFY(exported.last().at(0).toBool());
        QVERIFY2(exported.last().at(1).toString().contains(QStringLiteral("2 items not finished")),
                 qPrintable(exported.last().at(1).toString()));
    }

    void aBatchRunningInOneWindowIsNotRunInAnother() {
        openWindow(1);
        mock::MockConfig config = m_server->config();
        config.ttftMs = 150; // long enough to pause while the batch is under way
        m_server->setConfig(config);
        importAndCheck(writePrompts(10), {"gpt"});
        panel()->findChild<QSpinBox*>(QStringLiteral("batchConcurrency"))->setValue(1);
        QSignalSpy finished(panel(), &BatchPanel::finished);
        panel()->start();
        QTRY_VERIFY_WITH_TIMEOUT(countState(QStringLiteral("done")) >= 1, kWaitMs);
        // Paused, the run holds still (and holds the batch) for as long as the other window takes.
        panel()->togglePause();
        QTRY_VERIFY_WITH_TIMEOUT(countState(QStringLiteral("running")) == 0, kWaitMs);
        QVERIFY(countState(QStringLiteral("done")) < 10);

        // A second window on the same data folder (a second Parallax) lists it as unfinished.
        std::unique_ptr<MainWindow> second = test::makeWindow();
        second->keyRing()->setSessionKey(QStringLiteral("gpt"), QStringLiteral("k"));
        second->show();
        QVERIFY(QTest::qWaitForWindowExposed(second.get()));
        BatchPanel* other = second->batchPanel();
        QSignalSpy listed(other, &BatchPanel::jobsListed);
        second->findChild<QAction*>(QStringLiteral("batchPanelAction"))->trigger();
        QVERIFY(listed.wait(kWaitMs));
        QCOMPARE(listed.last().at(1).toInt(), 1);
        QSignalSpy reopened(other, &BatchPanel::reopened);
        other->openJob(panel()->jobId());
        QVERIFY(reopened.wait(kWaitMs));

        // Resuming or cancelling it there is refused while this window runs it.
        QSignalSpy refused(other, &BatchPanel::refused);
        other->resumeBatch();
        QVERIFY(refused.wait(kWaitMs));
        QVERIFY2(refused.last().at(0).toString().contains(QStringLiteral("is being run by process")),
                 qPrintable(refused.last().at(0).toString()));
        other->cancel();
        QCOMPARE(refused.size(), 2);
        QVERIFY(!other->isRunning());

        panel()->togglePause();
        QVERIFY(finished.wait(kWaitMs));
        QCOMPARE(states(), QStringList(10, QStringLiteral("done")));
        QCOMPARE(m_server->requestCount(), 10); // each item once
        second.reset();
    }
};

QTEST_MAIN(TestBatchPanel)
#include "TestBatchPanel.moc"
