#include "GuiTestSupport.h"

#include "app/AnswerColumn.h"
#include "app/FallbackChainModel.h"
#include "app/KeyRing.h"
#include "app/ProfileChips.h"
#include "app/ProfileLibrary.h"
#include "app/PromptEditor.h"
#include "app/ProvidersDialog.h"
#include "engine/Engine.h"
#include "mock/MockServer.h"

#include <QAction>
#include <QApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QListView>
#include <QPushButton>
#include <QScrollBar>
#include <QSignalSpy>
#include <QSplitter>
#include <QTest>
#include <QTextBlock>
#include <QTextBrowser>
#include <QToolButton>

using namespace parallax;

class TestMainWindow : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;

    /// A window on three mock profiles, with keys, shown and exposed.
    std::unique_ptr<MainWindow> openOn(mock::MockServer& server, int profiles = 3) {
        test::writeMockProfiles(m_dir->path(), server.baseUrl(), profiles);
        auto window = test::makeWindow();
        for (const QString name : {"gpt", "claude", "gemini"})
            window->keyRing()->setSessionKey(name, QStringLiteral("test-key"));
        window->show();
        if (!QTest::qWaitForWindowExposed(window.get()))
            return nullptr;
        return window;
    }

    static void typeAndSend(MainWindow& window, const QString& prompt) {
        window.editor()->setFocus();
        QTest::keyClicks(window.editor(), prompt);
        QTest::keyClick(window.editor(), Qt::Key_Return, Qt::ControlModifier);
    }

private slots:
    void initTestCase() { test::setUpApplication("TestMainWindow"); }
    void init() { m_dir = test::freshDataDir(); }

    void opensAndQuitsCleanly() {
        auto window = test::makeWindow();
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window.get()));
        auto* quit = window->findChild<QAction*>(QStringLiteral("quitAction"));
        QVERIFY(quit != nullptr);
        QVERIFY(quit->shortcuts().contains(QKeySequence(Qt::CTRL | Qt::Key_Q)));
        quit->trigger();
        QTRY_VERIFY(!window->isVisible());
    }

    void showsTheWelcomeViewWithoutProfiles() {
        auto window = test::makeWindow();
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window.get()));
        QVERIFY(window->isWelcomeShown());
        QVERIFY(window->findChild<QPushButton*>(QStringLiteral("demoButton"))->isVisible());
        QVERIFY(window->findChild<QPushButton*>(QStringLiteral("addProviderButton"))->isVisible());
    }

    void restoresItsLayout() {
        mock::MockServer server;
        QVERIFY(server.listen());
        QList<int> sizes;
        {
            auto window = openOn(server);
            QVERIFY(window);
            window->resize(900, 600);
            auto* splitter = window->findChild<QSplitter*>(QStringLiteral("mainSplitter"));
            splitter->setSizes({300, 200});
            sizes = splitter->sizes();
            window->close();
        }
        auto reopened = openOn(server);
        QVERIFY(reopened);
        QCOMPARE(reopened->size(), QSize(900, 600));
        QCOMPARE(reopened->findChild<QSplitter*>(QStringLiteral("mainSplitter"))->sizes(), sizes);
    }

    void eachColumnSendsItsOwnProfilesParameters() {
        mock::MockConfig config;
        config.requiredApiKey = QStringLiteral("the-right-key");
        mock::MockServer server(config);
        QVERIFY(server.listen());
        const QString base = server.baseUrl();
        const QJsonArray profiles{
            QJsonObject{{"name", "gpt"},
                        {"kind", "openai"},
                        {"model", "gpt-mock"},
                        {"base_url", base + "/v1"},
                        {"temperature", 0.2},
                        {"max_tokens", 111}},
            QJsonObject{{"name", "claude"},
                        {"kind", "anthropic"},
                        {"model", "claude-mock"},
                        {"base_url", base},
                        {"temperature", 0.9},
                        {"max_tokens", 222}},
            QJsonObject{{"name", "gemini"}, {"kind", "gemini"}, {"model", "gemini-mock"}, {"base_url", base}},
        };
        QFile file(m_dir->path() + QStringLiteral("/profiles.json"));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QJsonDocument(QJsonObject{{"profiles", profiles}}).toJson());
        file.close();
        auto window = test::makeWindow();
        // claude's key is wrong at first, so that its column can be retried below.
        for (const QString name : {"gpt", "claude", "gemini"})
            window->keyRing()->setSessionKey(name, name == QLatin1String("claude")
                                                       ? QStringLiteral("wrong")
                                                       : QStringLiteral("the-right-key"));
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window.get()));

        QSignalSpy finished(window.get(), &MainWindow::comparisonFinished);
        typeAndSend(*window, QStringLiteral("Name three rivers."));
        QVERIFY(finished.wait(30'000));
        QCOMPARE(server.receivedRequests().size(), 3);
        QHash<QString, QJsonObject> bodies;
        for (const auto& request : server.receivedRequests())
            bodies.insert(request.protocol, QJsonDocument::fromJson(request.body).object());
        QCOMPARE(bodies.value("openai").value("temperature").toDouble(), 0.2);
        QCOMPARE(bodies.value("openai").value("max_completion_tokens").toInt(), 111);
        QCOMPARE(bodies.value("anthropic").value("temperature").toDouble(), 0.9);
        QCOMPARE(bodies.value("anthropic").value("max_tokens").toInt(), 222);
        // The third profile sets nothing, so the provider's defaults apply: nothing is sent for them.
        const QJsonObject generation = bodies.value("gemini").value("generationConfig").toObject();
        QVERIFY2(!generation.contains("temperature") && !generation.contains("maxOutputTokens"),
                 qPrintable(QJsonDocument(generation).toJson(QJsonDocument::Compact)));

        // The history says what each column asked for.
        const QList<RunRecord> runs = window->engine()->history().recent(1);
        QCOMPARE(runs.size(), 1);
        const QJsonArray columns = runs.first().parameters.value("columns").toArray();
        QCOMPARE(columns.size(), 3);
        QCOMPARE(columns.at(1).toObject().value("max_tokens").toInt(), 222);
        QVERIFY(columns.at(2).toObject().value("temperature").isNull());

        // Retrying the failed column sends that column's parameters again.
        QVERIFY(!window->columns().at(1)->errorText().isEmpty());
        window->keyRing()->setSessionKey(QStringLiteral("claude"), QStringLiteral("the-right-key"));
        window->columns().at(1)->findChild<QToolButton*>(QStringLiteral("retryButton"))->click();
        QVERIFY(finished.wait(30'000));
        QCOMPARE(server.receivedRequests().size(), 4);
        const QJsonObject retried = QJsonDocument::fromJson(server.receivedRequests().last().body).object();
        QCOMPARE(retried.value("max_tokens").toInt(), 222);
        QCOMPARE(retried.value("temperature").toDouble(), 0.9);
        QVERIFY(window->columns().at(1)->errorText().isEmpty());
    }

    void synchronizedScrollingFollowsTheReader() {
        mock::MockConfig config;
        config.answerTokens = 600;
        config.tokensPerSecond = 6000;
        mock::MockServer server(config);
        QVERIFY(server.listen());
        auto window = openOn(server);
        QVERIFY(window);
        window->resize(900, 500); // answers much taller than their columns
        QSignalSpy finished(window.get(), &MainWindow::comparisonFinished);
        typeAndSend(*window, QStringLiteral("Tell me a long story."));
        QVERIFY(finished.wait(30'000));
        QList<QScrollBar*> bars;
        for (AnswerColumn* column : window->columns())
            bars.append(column->body()->verticalScrollBar());
        // The final layouts land one per event-loop pass; then every column can scroll.
        QTRY_VERIFY(
            std::all_of(bars.begin(), bars.end(), [](QScrollBar* bar) { return bar->maximum() > 200; }));
        for (QScrollBar* bar : bars)
            bar->setValue(0);
        auto* sync = window->findChild<QAction*>(QStringLiteral("syncScrollingAction"));
        QVERIFY(sync && sync->isCheckable() && !sync->isChecked());

        // Off: scrolling one column leaves the others where they are.
        bars.at(0)->triggerAction(QAbstractSlider::SliderPageStepAdd);
        QVERIFY(bars.at(0)->value() > 0);
        QCOMPARE(bars.at(1)->value(), 0);
        QCOMPARE(bars.at(2)->value(), 0);

        // On: the others follow to the same fraction of their own length, whichever column leads.
        sync->trigger();
        auto fraction = [](QScrollBar* bar) { return double(bar->value()) / double(bar->maximum()); };
        bars.at(0)->triggerAction(QAbstractSlider::SliderToMaximum);
        for (QScrollBar* bar : bars)
            QCOMPARE(bar->value(), bar->maximum());
        bars.at(2)->setSliderPosition(bars.at(2)->maximum() / 2); // dragging the handle
        for (QScrollBar* bar : bars)
            QVERIFY2(std::abs(fraction(bar) - 0.5) < 0.02, qPrintable(QString::number(fraction(bar))));
        // A column moved by the program (a stream keeping itself at the bottom) drags nobody.
        bars.at(1)->setValue(0);
        QVERIFY(std::abs(fraction(bars.at(0)) - 0.5) < 0.02);

        // Remembered for the next window.
        window.reset();
        auto again = openOn(server);
        QVERIFY(again->findChild<QAction*>(QStringLiteral("syncScrollingAction"))->isChecked());
    }

    void streamsThreeAnswersWithMetrics() {
        mock::MockConfig config;
        config.answerTokens = 60;
        config.tokensPerSecond = 400;
        mock::MockServer server(config);
        QVERIFY(server.listen());
        auto window = openOn(server);
        QVERIFY(window);
        QCOMPARE(window->chips()->checkedNames(), (QStringList{"gpt", "claude", "gemini"}));

        QSignalSpy finished(window.get(), &MainWindow::comparisonFinished);
        typeAndSend(*window, QStringLiteral("Tell me about **loopback** interfaces."));
        QTRY_COMPARE(window->columns().size(), 3);
        QVERIFY(window->isRunning());
        QVERIFY(finished.wait(30'000));
        QCOMPARE(server.requestCount(), 3);

        const QStringList names{"gpt", "claude", "gemini"};
        for (int i = 0; i < 3; ++i) {
            AnswerColumn* column = window->columns().at(i);
            QCOMPARE(column->profile().name(), names.at(i));
            QVERIFY2(column->stateText().contains(QStringLiteral("done")), qPrintable(column->stateText()));
            QVERIFY(!column->text().isEmpty());
            QCOMPARE(column->body()->toPlainText().isEmpty(), false);
            const QString metrics = column->metricsText();
            for (const char* part : {"TTFT", "total", "in /", "out tok", "tok/s", "cost unknown"})
                QVERIFY2(metrics.contains(QLatin1String(part)), qPrintable(metrics));
            // Throttled: far fewer renders than the 60 streamed tokens.
            QVERIFY2(column->renderCount() < 30, qPrintable(QString::number(column->renderCount())));
            QVERIFY(column->errorText().isEmpty());
        }
        QVERIFY(!window->isRunning());
        QCOMPARE(window->engine()->history().count(), 1);

        // Ctrl+2 puts the keyboard in the second answer.
        QTest::keyClick(window.get(), Qt::Key_2, Qt::ControlModifier);
        QCOMPARE(QApplication::focusWidget(), window->columns().at(1)->body());
    }

    void rendersMarkdownWithCodeInMonospace() {
        AppProfile profile;
        profile.profile.name = QStringLiteral("p");
        AnswerColumn column(profile);
        column.appendText(QStringLiteral("# Title\n\nSome **bold** text.\n\n```\nint x = 1;\n```\n"));
        QTRY_VERIFY(column.renderCount() >= 1);
        QTextDocument* document = column.body()->document();
        bool sawCode = false;
        for (QTextBlock block = document->begin(); block.isValid(); block = block.next()) {
            if (block.text() == QLatin1String("int x = 1;")) {
                sawCode = true;
                QVERIFY(QFontInfo(block.charFormat().font()).fixedPitch() ||
                        block.charFormat().fontFixedPitch() || block.blockFormat().nonBreakableLines());
            }
            QVERIFY(!block.text().contains(QLatin1String("**")));
        }
        QVERIFY(sawCode);
    }

    void escapeCancelsEveryAnswer() {
        mock::MockConfig config;
        config.answerTokens = 400;
        config.tokensPerSecond = 20; // 20 s per answer: still streaming when Esc comes
        mock::MockServer server(config);
        QVERIFY(server.listen());
        auto window = openOn(server);
        QVERIFY(window);
        QSignalSpy finished(window.get(), &MainWindow::comparisonFinished);
        typeAndSend(*window, QStringLiteral("A long answer, please."));
        QTRY_COMPARE(window->columns().size(), 3);
        QTRY_VERIFY_WITH_TIMEOUT(!window->columns().at(0)->text().isEmpty(), 10'000);
        QVERIFY(window->findChild<QPushButton*>(QStringLiteral("cancelButton"))->isEnabled());
        // Live metrics while streaming, measured locally until the provider's own arrive.
        QTRY_VERIFY(window->columns().at(0)->metricsText().contains(QStringLiteral("first text after")));
        if (const QString shots = qEnvironmentVariable("PARALLAX_SCREENSHOT_DIR"); !shots.isEmpty())
            QVERIFY(window->grab().save(shots + QStringLiteral("/streaming.png")));
        QVERIFY(window->columns().at(0)->metricsText().contains(QStringLiteral("words so far")));

        QTest::keyClick(window->editor(), Qt::Key_Escape);
        QVERIFY(finished.size() == 1 || finished.wait(5'000));
        QVERIFY(!window->isRunning());
        for (AnswerColumn* column : window->columns()) {
            QVERIFY2(column->stateText().contains(QStringLiteral("cancelled")),
                     qPrintable(column->stateText()));
            QVERIFY(column->errorText().isEmpty()); // a cancel is not a failure
        }
        QVERIFY(!window->columns().at(0)->text().isEmpty()); // what arrived stays
        QVERIFY(window->findChild<QPushButton*>(QStringLiteral("sendButton"))->isEnabled());
    }

    void failingProfileShowsItsErrorAndRetryWorks() {
        mock::MockConfig config;
        config.requiredApiKey = QStringLiteral("the-right-key");
        mock::MockServer server(config);
        QVERIFY(server.listen());
        auto window = openOn(server, 1);
        QVERIFY(window);
        QSignalSpy finished(window.get(), &MainWindow::comparisonFinished);
        typeAndSend(*window, QStringLiteral("Hello"));
        QVERIFY(finished.wait(30'000));
        AnswerColumn* column = window->columns().at(0);
        QVERIFY2(column->errorText().contains(QStringLiteral("401: check the API key of profile gpt")),
                 qPrintable(column->errorText()));
        QVERIFY(column->stateText().contains(QStringLiteral("failed")));
        auto* retry = column->findChild<QToolButton*>(QStringLiteral("retryButton"));
        QVERIFY(retry->isVisible());
        if (const QString shots = qEnvironmentVariable("PARALLAX_SCREENSHOT_DIR"); !shots.isEmpty())
            QVERIFY(window->grab().save(shots + QStringLiteral("/failed.png")));

        // The user fixes the key; Retry reads it again and sends only this column.
        window->keyRing()->setSessionKey(QStringLiteral("gpt"), QStringLiteral("the-right-key"));
        retry->click();
        QVERIFY(finished.wait(30'000));
        QVERIFY2(column->stateText().contains(QStringLiteral("done")), qPrintable(column->stateText()));
        QVERIFY(column->errorText().isEmpty());
        QVERIFY(!retry->isVisible());
    }

    void aFailingProfileFallsBackToTheChainChosenInTheDialog() {
        mock::MockConfig config;
        config.requiredApiKey = QStringLiteral("the-right-key");
        mock::MockServer server(config);
        QVERIFY(server.listen());
        test::writeMockProfiles(m_dir->path(), server.baseUrl(), 2);
        auto window = test::makeWindow();
        window->keyRing()->setSessionKey(QStringLiteral("gpt"), QStringLiteral("a-wrong-key"));
        window->keyRing()->setSessionKey(QStringLiteral("claude"), QStringLiteral("the-right-key"));
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window.get()));
        window->chips()->setChecked(QStringLiteral("claude"), false); // one column: gpt

        // The chain is chosen in the dialog while the window is open, and used without a restart.
        window->openProvidersDialog();
        auto* dialog = window->findChild<ProvidersDialog*>();
        QVERIFY(dialog);
        dialog->selectProfile(QStringLiteral("gpt"));
        auto* chain = qobject_cast<FallbackChainModel*>(
            dialog->findChild<QListView*>(QStringLiteral("fallbackList"))->model());
        QCOMPARE(chain->rowCount(), 1);
        QVERIFY(chain->setData(chain->index(0, 0), Qt::Checked, Qt::CheckStateRole));
        QSignalSpy saved(dialog, &ProvidersDialog::profileSaved);
        dialog->findChild<QPushButton*>(QStringLiteral("saveButton"))->click();
        QVERIFY2(saved.size() == 1 || saved.wait(5'000), qPrintable(dialog->statusText()));
        dialog->reject();
        QCOMPARE(window->chips()->checkedNames(), QStringList{"gpt"});

        QSignalSpy finished(window.get(), &MainWindow::comparisonFinished);
        typeAndSend(*window, QStringLiteral("Which river is the longest?"));
        QVERIFY(finished.wait(30'000));
        QCOMPARE(window->columns().size(), 1);
        AnswerColumn* column = window->columns().first();
        QVERIFY2(
            column->stateText().contains(QStringLiteral("fell back — answered by claude instead of gpt")),
            qPrintable(column->stateText()));
        QVERIFY(column->errorText().isEmpty());
        QVERIFY(!column->text().isEmpty());
        QCOMPARE(column->answer()->fallbackFrom, std::optional<QString>(QStringLiteral("gpt")));
        QCOMPARE(column->answer()->profile, QStringLiteral("claude"));

        // gpt was refused, then the request went to claude with claude's own key.
        QList<mock::ReceivedRequest> generations;
        for (const auto& request : server.receivedRequests()) {
            if (!request.protocol.isEmpty())
                generations.append(request);
        }
        QCOMPARE(generations.size(), 2);
        QCOMPARE(generations.at(0).protocol, QStringLiteral("openai"));
        QCOMPARE(generations.at(1).protocol, QStringLiteral("anthropic"));
        QCOMPARE(generations.at(1).header("x-api-key"), QByteArray("the-right-key"));
        QVERIFY(generations.at(1).body.contains("Which river is the longest?"));
    }

    void refusesToSendWithoutAKey() {
        mock::MockServer server;
        QVERIFY(server.listen());
        test::writeMockProfiles(m_dir->path(), server.baseUrl(), 1);
        auto window = test::makeWindow();
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window.get()));
        QSignalSpy refused(window.get(), &MainWindow::sendRefused);
        typeAndSend(*window, QStringLiteral("Hello"));
        QVERIFY(refused.wait(5'000));
        QVERIFY(refused.first().first().toString().contains(QStringLiteral("No API key for gpt")));
        QCOMPARE(server.requestCount(), 0);
    }

    void quittingWhileStreamingExitsCleanly() {
        mock::MockConfig config;
        config.answerTokens = 400;
        config.tokensPerSecond = 20;
        mock::MockServer server(config);
        QVERIFY(server.listen());
        auto window = openOn(server);
        QVERIFY(window);
        typeAndSend(*window, QStringLiteral("Stream for a while."));
        QTRY_COMPARE(window->columns().size(), 3);
        QTRY_VERIFY_WITH_TIMEOUT(!window->columns().at(2)->text().isEmpty(), 10'000);
        QVERIFY(window->isRunning());
        window->findChild<QAction*>(QStringLiteral("quitAction"))->trigger();
        QVERIFY(!window->isVisible());
        QVERIFY(!window->isRunning()); // cancelled at once, not left to time out
        window.reset();                // sessions, engine and network go in order
        // The server sees the connections go away.
        QTRY_VERIFY(server.statsJson().value(QStringLiteral("clientAborts")).toInt() >= 1);
    }
};

QTEST_MAIN(TestMainWindow)
#include "TestMainWindow.moc"
