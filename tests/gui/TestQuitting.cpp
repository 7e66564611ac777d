#include "GuiTestSupport.h"

#include "app/AnswerColumn.h"
#include "app/KeyRing.h"
#include "app/PromptEditor.h"
#include "mock/MockServer.h"
#include "platform/SignalWatcher.h"
#include "store/Database.h"

#include <QAction>
#include <QApplication>
#include <QElapsedTimer>
#include <QProcess>
#include <QSqlQuery>
#include <QTest>

#include <csignal>
#include <unistd.h>

using namespace parallax;

namespace {
/// profiles.json: "fast" answers at once, "slow" streams for a long time.
void writeProfiles(const QString& dataDir, const QString& fastUrl, const QString& slowUrl) {
    const QJsonArray profiles{
        QJsonObject{
            {"name", "fast"}, {"kind", "openai"}, {"model", "gpt-mock"}, {"base_url", fastUrl + "/v1"}},
        QJsonObject{{"name", "slow"}, {"kind", "anthropic"}, {"model", "claude-mock"}, {"base_url", slowUrl}},
    };
    QFile file(dataDir + QStringLiteral("/profiles.json"));
    file.open(QIODevice::WriteOnly);
    file.write(QJsonDocument(QJsonObject{{"profiles", profiles}}).toJson());
}
} // namespace

/// Quitting while answers stream — window closed, Ctrl+Q, or SIGTERM (a session logging out) — cancels
/// what streams, keeps what finished (on screen and in the history), saves the layout, and is prompt.
class TestQuitting : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;

private slots:
    void initTestCase() {
        test::setUpApplication("TestQuitting");
        // The in-process cases check the window; the process case below checks that the app exits.
        QApplication::setQuitOnLastWindowClosed(false);
    }
    void init() { m_dir = test::freshDataDir(); }

    void quitWhileStreaming_data() {
        QTest::addColumn<QString>("how");
        QTest::newRow("window closed") << QStringLiteral("close");
        QTest::newRow("Ctrl+Q") << QStringLiteral("ctrl+q");
        QTest::newRow("SIGTERM") << QStringLiteral("sigterm");
    }

    void quitWhileStreaming() {
        QFETCH(QString, how);
        mock::MockConfig fastConfig;
        fastConfig.answerTokens = 5;
        mock::MockServer fast(fastConfig);
        mock::MockConfig slowConfig;
        slowConfig.answerTokens = 5000;
        slowConfig.tokensPerSecond = 50; // 100 s: still streaming when the window goes
        mock::MockServer slow(slowConfig);
        QVERIFY(fast.listen() && slow.listen());
        writeProfiles(m_dir->path(), fast.baseUrl(), slow.baseUrl());

        auto window = test::makeWindow();
        window->keyRing()->setSessionKey(QStringLiteral("fast"), QStringLiteral("k"));
        window->keyRing()->setSessionKey(QStringLiteral("slow"), QStringLiteral("k"));
        window->show();
        QVERIFY(QTest::qWaitForWindowActive(window.get()));
        window->editor()->setPlainText(QStringLiteral("Tell me a long story."));
        window->send();
        QTRY_COMPARE(window->columns().size(), 2);
        AnswerColumn* fastColumn = window->columns().at(0);
        AnswerColumn* slowColumn = window->columns().at(1);
        QTRY_VERIFY_WITH_TIMEOUT(fastColumn->answer().has_value(), 15'000);
        QTRY_VERIFY_WITH_TIMEOUT(slowColumn->text().size() > 20, 15'000);
        QVERIFY(window->isRunning());
        const QString fastText = fastColumn->text();

        SignalWatcher termination; // wired as main.cpp wires it
        connect(&termination, &SignalWatcher::interrupted, window.get(), [&window] { window->close(); });
        QElapsedTimer elapsed;
        elapsed.start();
        if (how == QLatin1String("close")) {
            window->close();
        } else if (how == QLatin1String("ctrl+q")) {
            QTest::keyClick(window->editor(), Qt::Key_Q, Qt::ControlModifier);
        } else {
            QCOMPARE(::kill(::getpid(), SIGTERM), 0);
        }
        QTRY_VERIFY_WITH_TIMEOUT(!window->isVisible(), 2000);
        // Cancelled, not abandoned: the streaming answer stops and keeps what arrived.
        QTRY_VERIFY_WITH_TIMEOUT(!window->isRunning(), 2000);
        const QString partial = slowColumn->text();
        QVERIFY(partial.size() > 20);
        QVERIFY2(slowColumn->stateText().contains(QStringLiteral("cancelled")),
                 qPrintable(slowColumn->stateText()));
        QCOMPARE(fastColumn->text(), fastText);
        QVERIFY(QSettings().contains(QStringLiteral("mainWindow/geometry")));
        window.reset(); // what main() does after the event loop returns
        QVERIFY2(elapsed.elapsed() < 2000, qPrintable(QString::number(elapsed.elapsed())));

        // The history has the finished answer whole and the cancelled one as far as it came.
        QString error;
        auto database = Database::open(m_dir->path() + QStringLiteral("/parallax.db"), &error);
        QVERIFY2(database, qPrintable(error));
        QSqlQuery query(database->connection());
        QVERIFY(
            query.exec(QStringLiteral("SELECT profile, text, error_type FROM answers ORDER BY position")));
        QVERIFY(query.next());
        QCOMPARE(query.value(0).toString(), QStringLiteral("fast"));
        QCOMPARE(query.value(1).toString(), fastText);
        QVERIFY(query.value(2).isNull());
        QVERIFY(query.next());
        QCOMPARE(query.value(0).toString(), QStringLiteral("slow"));
        QVERIFY(!query.value(1).toString().isEmpty());
        QCOMPARE(query.value(2).toString(), QStringLiteral("cancelled"));
    }

    /// The real program: SIGTERM makes it close its window and exit 0, promptly.
    void theProgramExitsZeroOnSigterm() {
        QTemporaryDir config;
        QProcess app;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        env.insert(QStringLiteral("PARALLAX_DATA_DIR"), m_dir->path());
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), config.path());
        app.setProcessEnvironment(env);
        app.setProgram(QStringLiteral(PARALLAX_APP_PATH));
        app.setProcessChannelMode(QProcess::ForwardedChannels);
        app.start();
        QVERIFY(app.waitForStarted());
        // main() installs the SIGTERM handler before the window opens the database: once the database
        // exists, a SIGTERM is handled (when the event loop runs) rather than killing the process.
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(m_dir->path() + QStringLiteral("/parallax.db")), 10'000);
        QElapsedTimer elapsed;
        elapsed.start();
        QCOMPARE(::kill(static_cast<pid_t>(app.processId()), SIGTERM), 0);
        QVERIFY(app.waitForFinished(5000));
        QCOMPARE(app.exitStatus(), QProcess::NormalExit);
        QCOMPARE(app.exitCode(), 0);
        QVERIFY2(elapsed.elapsed() < 2000, qPrintable(QString::number(elapsed.elapsed())));
        // It closed its window like a user would: the layout was saved.
        QVERIFY(QFile::exists(config.path() + QStringLiteral("/parallax/parallax.conf")));
    }
};

QTEST_MAIN(TestQuitting)
#include "TestQuitting.moc"
