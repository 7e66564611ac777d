// The batch dock against an in-process parallax-mock: a batch from import to a table of done rows, the
// import's problems by line, pause and resume, cancel, retry failed, the item dialog, exports, and a
// provider-mode batch cancelled at the provider with what it had finished collected.

#include "GuiTestSupport.h"

#include "app/BatchItemDialog.h"
#include "app/BatchPanel.h"
#include "app/KeyRing.h"
#include "batch/BatchItemsModel.h"
#include "batch/BatchSession.h"
#include "batch/CsvReader.h"
#include "mock/MockServer.h"

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

    BatchPanel* panel() const { return m_window->batchPanel(); }

    void openWindow(int profiles = 2) {
        test::writeMockProfiles(m_dir->path(), m_server->baseUrl(), profiles);
        m_window = test::makeWindow();
        for (const QString name : {"gpt", "claude", "gemini"})
            m_window->keyRing()->setSessionKey(name, QStringLiteral("k"));
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        // Every model the panel shows is checked as a model for as long as it lives.
        connect(panel(), &BatchPanel::started, this, [this] {
            m_tester = std::make_unique<QAbstractItemModelTester>(
                panel()->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        });
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
};

QTEST_MAIN(TestBatchPanel)
#include "TestBatchPanel.moc"
