#include "GuiTestSupport.h"

#include "app/AnswerColumn.h"
#include "app/DemoProviders.h"
#include "app/ProfileChips.h"
#include "app/ProfileLibrary.h"
#include "app/PromptEditor.h"
#include "mock/MockServer.h"

#include <QDockWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QToolButton>

#include <csignal>
#include <sys/types.h>

using namespace parallax;

namespace {
bool processAlive(qint64 pid) {
    return pid > 0 && ::kill(static_cast<pid_t>(pid), 0) == 0;
}
} // namespace

class TestDemoMode : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;

private slots:
    void initTestCase() { test::setUpApplication("TestDemoMode"); }
    void init() { m_dir = test::freshDataDir(); }

    void startsTheSimulatorAndComparesThreeAnswers() {
        auto window = test::makeWindow();
        window->demoProviders()->setMockProgram(QStringLiteral(PARALLAX_MOCK_PATH));
        window->demoProviders()->setOllamaUrl(QUrl(QStringLiteral("http://127.0.0.1:9"))); // nobody there
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window.get()));
        QVERIFY(window->isWelcomeShown());
        if (const QString shots = qEnvironmentVariable("PARALLAX_SCREENSHOT_DIR"); !shots.isEmpty())
            QVERIFY(window->grab().save(shots + QStringLiteral("/welcome.png")));

        window->findChild<QPushButton*>(QStringLiteral("demoButton"))->click();
        QTRY_VERIFY_WITH_TIMEOUT(!window->isWelcomeShown(), 15'000);
        QVERIFY(window->demoProviders()->isRunning());
        const qint64 pid = window->demoProviders()->processId();
        QVERIFY(processAlive(pid));

        QCOMPARE(window->library()->size(), 3);
        QList<ProviderKind> kinds;
        for (const AppProfile& profile : window->library()->profiles()) {
            QVERIFY(profile.demo);
            QVERIFY(profile.name().contains(QStringLiteral("simulator")));
            QVERIFY(profile.profile.baseUrl.toString().startsWith(window->demoProviders()->baseUrl()));
            kinds.append(profile.profile.kind);
        }
        QCOMPARE(kinds,
                 (QList<ProviderKind>{ProviderKind::OpenAi, ProviderKind::Anthropic, ProviderKind::Gemini}));
        QCOMPARE(window->chips()->checkedNames().size(), 3);
        // Demo profiles are never written to profiles.json.
        QVERIFY(!QFile::exists(m_dir->path() + QStringLiteral("/profiles.json")));

        QSignalSpy finished(window.get(), &MainWindow::comparisonFinished);
        window->send(); // the demo fills in a prompt
        QVERIFY(finished.wait(30'000));
        QCOMPARE(window->columns().size(), 3);
        for (AnswerColumn* column : window->columns()) {
            QVERIFY2(column->stateText().contains(QStringLiteral("done")), qPrintable(column->errorText()));
            QVERIFY(column->metricsText().contains(QStringLiteral("TTFT")));
        }

        if (const QString shots = qEnvironmentVariable("PARALLAX_SCREENSHOT_DIR"); !shots.isEmpty()) {
            window->resize(1280, 800); // README screenshots come from here
            window->findChild<QDockWidget*>(QStringLiteral("previewDock"))->show();
            QTest::qWait(100); // only when screenshots are asked for: let the layout settle
            QVERIFY(window->grab().save(shots + QStringLiteral("/comparison.png")));
        }

        // Quitting ends the child process.
        window->close();
        window.reset();
        QVERIFY(!processAlive(pid));
    }

    void offersALocalOllamaWhenOneAnswers() {
        mock::MockServer ollama; // answers GET /api/tags and /api/chat like Ollama
        QVERIFY(ollama.listen());
        auto window = test::makeWindow();
        window->demoProviders()->setOllamaUrl(QUrl(ollama.baseUrl()));
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window.get()));
        auto* offer = window->findChild<QPushButton*>(QStringLiteral("ollamaButton"));
        QTRY_VERIFY(offer->isVisible());
        QVERIFY(offer->text().contains(window->demoProviders()->ollamaModels().first()));
        offer->click();
        QTRY_VERIFY(!window->isWelcomeShown());
        QCOMPARE(window->library()->size(), 1);
        QCOMPARE(window->library()->profiles().first().profile.kind, ProviderKind::Ollama);

        QSignalSpy finished(window.get(), &MainWindow::comparisonFinished);
        window->editor()->setPlainText(QStringLiteral("Hello, local model."));
        window->send(); // Ollama needs no key
        QVERIFY(finished.wait(30'000));
        QVERIFY(window->columns().first()->stateText().contains(QStringLiteral("done")));
    }

    void atMostEightProfilesCanBeChecked() {
        auto window = test::makeWindow();
        for (int i = 0; i < 10; ++i) {
            AppProfile profile;
            profile.profile = {QStringLiteral("p%1").arg(i), ProviderKind::Ollama, QStringLiteral("m"),
                               QUrl(QStringLiteral("http://127.0.0.1:9"))};
            profile.demo = true;
            window->library()->upsert(profile);
        }
        for (int i = 0; i < 10; ++i)
            window->chips()->setChecked(QStringLiteral("p%1").arg(i), true);
        QCOMPARE(window->chips()->checkedNames().size(), ProfileChips::maxChecked);
        QVERIFY(!window->chips()->chip(QStringLiteral("p9"))->isEnabled());
        window->chips()->setChecked(QStringLiteral("p0"), false);
        QVERIFY(window->chips()->chip(QStringLiteral("p9"))->isEnabled());
    }

    void aMissingSimulatorIsReportedNotFatal() {
        auto window = test::makeWindow();
        window->demoProviders()->setMockProgram(m_dir->path() + QStringLiteral("/no-such-program"));
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window.get()));
        QSignalSpy failed(window->demoProviders(), &DemoProviders::failed);
        window->findChild<QPushButton*>(QStringLiteral("demoButton"))->click();
        QVERIFY(failed.wait(10'000));
        QVERIFY(window->isWelcomeShown());
        QVERIFY(window->findChild<QPushButton*>(QStringLiteral("demoButton"))->isEnabled());
    }
};

QTEST_MAIN(TestDemoMode)
#include "TestDemoMode.moc"
