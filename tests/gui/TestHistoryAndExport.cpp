#include "GuiTestSupport.h"

#include "app/AnswerColumn.h"
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
#include <QTextBrowser>

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

        // The answers of the first comparison, as they were shown when it finished.
        QStringList firstAnswers;
        {
            QSignalSpy again(window.get(), &MainWindow::comparisonFinished);
            window->editor()->setPlainText(
                QStringLiteral("Third question about tides, mail jane.doe@example.com"));
            window->send();
            QVERIFY(again.wait(30'000));
            for (AnswerColumn* column : window->columns())
                firstAnswers << column->text();
        }
        QTRY_COMPARE(model->rowCount(), 2); // the search still filters on "tides"

        window->editor()->clear();
        auto* list = window->historyDock()->findChild<QListView*>(QStringLiteral("historyList"));
        emit list->activated(model->index(1));
        QCOMPARE(window->editor()->toPlainText(), QStringLiteral("First question about tides"));
        // Reopened: the answers are back in their columns with their metrics.
        emit list->activated(model->index(0));
        QCOMPARE(window->editor()->toPlainText(),
                 QStringLiteral("Third question about tides, mail [EMAIL_ADDRESS_1]")); // as sent
        QCOMPARE(window->columns().size(), 2);
        QCOMPARE(window->columns().at(0)->profile().name(), QStringLiteral("gpt"));
        QCOMPARE(window->columns().at(1)->profile().name(), QStringLiteral("claude"));
        for (int i = 0; i < 2; ++i) {
            AnswerColumn* column = window->columns().at(i);
            QCOMPARE(column->text(), firstAnswers.at(i));
            QVERIFY2(column->stateText().contains(QStringLiteral("done")), qPrintable(column->stateText()));
            QVERIFY2(column->metricsText().contains(QStringLiteral("TTFT")),
                     qPrintable(column->metricsText()));
            QTRY_VERIFY(!column->body()->toPlainText().isEmpty());
        }
        QCOMPARE(window->shownAnswers().size(), 2);
        QVERIFY(window->comparisonMarkdown().contains(QStringLiteral("[EMAIL_ADDRESS_1]")));
        QCOMPARE(server.requestCount(), 6); // reopening sent nothing

        QVERIFY(window->findChild<QLabel*>(QStringLiteral("spendLabel"))
                    ->text()
                    .startsWith(QStringLiteral("Today $")));
    }

    void exportsHtmlSafely() {
        // An answer that tries to run code in the reader's browser: its HTML is dropped, the page
        // forbids scripts, and every value is escaped.
        Answer first;
        first.profile = QStringLiteral("gpt <b>");
        first.model = QStringLiteral("gpt-mock");
        first.text = QStringLiteral(
            "# Plan\n\n1. **bold** step\n\n```\nint x = a < b;\n```\n\n"
            "<script>alert(1)</script><img src=x onerror=alert(2)>\n\n"
            "[docs](https://example.com/a) [run](javascript:alert(3)) [f](file:///etc/passwd)");
        first.ttftMs = 120;
        first.latencyMs = 900;
        Answer second;
        second.profile = QStringLiteral("claude");
        second.model = QStringLiteral("claude-mock");
        ProviderError error;
        error.type = ErrorType::Auth;
        error.message = QStringLiteral("401 & bad key");
        second.error = error;
        const QString html = ComparisonExporter::toHtml(
            QStringLiteral("Be brief"), QStringLiteral("Mail [EMAIL_ADDRESS_1] <now>"), {first, second});
        QVERIFY(html.startsWith(QStringLiteral("<!DOCTYPE html>")));
        QVERIFY(html.contains(QStringLiteral("Content-Security-Policy")));
        QVERIFY(html.contains(QStringLiteral("default-src 'none'")));
        QVERIFY(!html.contains(QStringLiteral("<script")));
        QVERIFY(!html.contains(QStringLiteral("<img")));
        QVERIFY(html.contains(QStringLiteral("&lt;script&gt;alert(1)&lt;/script&gt;"))); // shown as text
        QVERIFY(html.contains(QStringLiteral("<a href=\"https://example.com/a\">")));
        QVERIFY(!html.contains(QStringLiteral("javascript:")));
        QVERIFY(!html.contains(QStringLiteral("file:")));
        QVERIFY(html.contains(QStringLiteral("Mail [EMAIL_ADDRESS_1] &lt;now&gt;")));
        QVERIFY(html.contains(QStringLiteral("gpt &lt;b&gt; — gpt-mock")));
        QVERIFY(html.contains(QStringLiteral("TTFT 120 ms · total 900 ms · cost unknown")));
        QVERIFY(html.contains(QStringLiteral("failed: 401 &amp; bad key")));
        QVERIFY(html.contains(QStringLiteral("int x = a &lt; b;"))); // code kept, escaped
        QVERIFY(html.contains(QStringLiteral("bold")));
        QVERIFY(html.contains(QStringLiteral("Plan")));
        QCOMPARE(html.count(QStringLiteral("<section class=\"answer\"")), 2);
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
        QVERIFY2(window->writeExport(markdownPath, ComparisonExporter::Format::Markdown, &error),
                 qPrintable(error));
        QFile markdown(markdownPath);
        QVERIFY(markdown.open(QIODevice::ReadOnly));
        const QByteArray md = markdown.readAll();
        QVERIFY(md.contains("## gpt — gpt-mock"));
        QVERIFY(md.contains("## claude — claude-mock"));
        QVERIFY(md.contains("TTFT"));
        QVERIFY(md.contains("[EMAIL_ADDRESS_1]"));
        QVERIFY(!md.contains("jane.doe@example.com")); // the prompt as sent; mock answers do not echo it

        const QString jsonPath = m_dir->path() + QStringLiteral("/c.json");
        QVERIFY2(window->writeExport(jsonPath, ComparisonExporter::Format::Json, &error), qPrintable(error));
        QFile json(jsonPath);
        QVERIFY(json.open(QIODevice::ReadOnly));
        const QJsonObject root = QJsonDocument::fromJson(json.readAll()).object();
        QCOMPARE(root.value("answers").toArray().size(), 2);
        QCOMPARE(root.value("answers").toArray().first().toObject().value("profile").toString(),
                 QStringLiteral("gpt"));
        QVERIFY(root.value("answers").toArray().first().toObject().contains("ttft_ms"));
        QVERIFY(!QJsonDocument(root).toJson().contains("\"k\"")); // never a key

        const QString htmlPath = m_dir->path() + QStringLiteral("/c.html");
        QVERIFY2(window->writeExport(htmlPath, ComparisonExporter::Format::Html, &error), qPrintable(error));
        QFile html(htmlPath);
        QVERIFY(html.open(QIODevice::ReadOnly));
        const QString page = QString::fromUtf8(html.readAll());
        QVERIFY(page.contains(QStringLiteral("gpt — gpt-mock")));
        QVERIFY(page.contains(QStringLiteral("claude — claude-mock")));
        QVERIFY(page.contains(QStringLiteral("[EMAIL_ADDRESS_1]")));
        QVERIFY(!page.contains(QStringLiteral("jane.doe@example.com")));
        // Each answer's text is on the page.
        for (const Answer& answer : window->shownAnswers()) {
            const QString words = answer.text.section(QLatin1Char(' '), 0, 2);
            QVERIFY2(page.contains(words.toHtmlEscaped()), qPrintable(words));
        }

        // A folder that cannot be written: a sentence, no crash, nothing half-written.
        QVERIFY(!window->writeExport(m_dir->path() + QStringLiteral("/missing/c.html"),
                                     ComparisonExporter::Format::Html, &error));
        QVERIFY2(error.startsWith(QStringLiteral("Cannot write")), qPrintable(error));
    }
};

QTEST_MAIN(TestHistoryAndExport)
#include "TestHistoryAndExport.moc"
