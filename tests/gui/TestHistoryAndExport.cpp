#include "GuiTestSupport.h"

#include "app/HistoryDock.h"
#include "app/HistoryModel.h"
#include "app/KeyRing.h"
#include "app/PromptEditor.h"
#include "mock/MockServer.h"

#include <QAbstractItemModelTester>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QSignalSpy>
#include <QTest>

using namespace parallax;

class TestHistoryAndExport : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;

private slots:
    void initTestCase() { test::setUpApplication("TestHistoryAndExport"); }
    void init() { m_dir = test::freshDataDir(); }

    void historyListsSearchesAndReopensComparisons() {
        mock::MockServer server;
        QVERIFY(server.listen());
        test::writeMockProfiles(m_dir->path(), server.baseUrl(), 2);
        auto window = test::makeWindow();
        window->keyRing()->setSessionKey(QStringLiteral("gpt"), QStringLiteral("k"));
        window->keyRing()->setSessionKey(QStringLiteral("claude"), QStringLiteral("k"));
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window.get()));
        HistoryModel* model = window->historyDock()->model();
        QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model->rowCount(), 0);

        QSignalSpy finished(window.get(), &MainWindow::comparisonFinished);
        for (const QString prompt : {"First question about tides", "Second question about orbits"}) {
            window->editor()->setPlainText(prompt);
            window->send();
            QVERIFY(finished.wait(30'000));
        }
        QCOMPARE(model->rowCount(), 2);
        QCOMPARE(model->index(0).data(HistoryModel::PromptRole).toString(),
                 QStringLiteral("Second question about orbits"));

        window->historyDock()
            ->findChild<QLineEdit*>(QStringLiteral("historySearch"))
            ->setText(QStringLiteral("tides"));
        QTRY_COMPARE(model->rowCount(), 1);

        window->editor()->clear();
        auto* list = window->historyDock()->findChild<QListView*>(QStringLiteral("historyList"));
        emit list->activated(model->index(0));
        QCOMPARE(window->editor()->toPlainText(), QStringLiteral("First question about tides"));

        QVERIFY(window->findChild<QLabel*>(QStringLiteral("spendLabel"))
                    ->text()
                    .startsWith(QStringLiteral("Today $")));
    }

    void exportsMarkdownAndJsonWithoutMaskedValues() {
        mock::MockServer server;
        QVERIFY(server.listen());
        test::writeMockProfiles(m_dir->path(), server.baseUrl(), 2);
        auto window = test::makeWindow();
        window->keyRing()->setSessionKey(QStringLiteral("gpt"), QStringLiteral("k"));
        window->keyRing()->setSessionKey(QStringLiteral("claude"), QStringLiteral("k"));
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window.get()));
        QSignalSpy finished(window.get(), &MainWindow::comparisonFinished);
        window->editor()->setPlainText(QStringLiteral("Summarize the mail of jane.doe@example.com"));
        window->send();
        QVERIFY(finished.wait(30'000));
        QCOMPARE(window->shownAnswers().size(), 2);

        QString error;
        const QString markdownPath = m_dir->path() + QStringLiteral("/c.md");
        QVERIFY2(window->writeExport(markdownPath, false, &error), qPrintable(error));
        QFile markdown(markdownPath);
        QVERIFY(markdown.open(QIODevice::ReadOnly));
        const QByteArray md = markdown.readAll();
        QVERIFY(md.contains("## gpt — gpt-mock"));
        QVERIFY(md.contains("## claude — claude-mock"));
        QVERIFY(md.contains("TTFT"));
        QVERIFY(md.contains("[EMAIL_ADDRESS_1]"));
        QVERIFY(!md.contains("jane.doe@example.com")); // the prompt as sent; mock answers do not echo it

        const QString jsonPath = m_dir->path() + QStringLiteral("/c.json");
        QVERIFY2(window->writeExport(jsonPath, true, &error), qPrintable(error));
        QFile json(jsonPath);
        QVERIFY(json.open(QIODevice::ReadOnly));
        const QJsonObject root = QJsonDocument::fromJson(json.readAll()).object();
        QCOMPARE(root.value("answers").toArray().size(), 2);
        QCOMPARE(root.value("answers").toArray().first().toObject().value("profile").toString(),
                 QStringLiteral("gpt"));
        QVERIFY(root.value("answers").toArray().first().toObject().contains("ttft_ms"));
        QVERIFY(!QJsonDocument(root).toJson().contains("\"k\"")); // never a key
    }
};

QTEST_MAIN(TestHistoryAndExport)
#include "TestHistoryAndExport.moc"
