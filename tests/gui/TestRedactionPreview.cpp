#include "GuiTestSupport.h"

#include "app/AnswerColumn.h"
#include "app/KeyRing.h"
#include "app/PromptEditor.h"
#include "app/SpanHighlighter.h"
#include "app/VariablesPanel.h"
#include "engine/Engine.h"
#include "mock/MockServer.h"
#include "sanitize/Sanitizer.h"

#include <QAction>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTest>

using namespace parallax;

class TestRedactionPreview : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    const QString m_email = QStringLiteral("jane.doe@example.com");

    std::unique_ptr<MainWindow> openOn(const QString& baseUrl) {
        test::writeMockProfiles(m_dir->path(), baseUrl, 1);
        auto window = test::makeWindow();
        window->keyRing()->setSessionKey(QStringLiteral("gpt"), QStringLiteral("test-key"));
        window->show();
        if (!QTest::qWaitForWindowExposed(window.get()))
            return nullptr;
        return window;
    }

    /// The stretches of the editor's text drawn as highlights, with their style.
    static QList<QPair<QString, int>> drawn(const PromptEditor* editor) {
        QList<QPair<QString, int>> result;
        const QString text = editor->toPlainText();
        for (const auto& [range, style] : editor->highlighter()->drawnRanges())
            result.append({text.mid(range.start, range.end - range.start), style});
        return result;
    }

private slots:
    void initTestCase() { test::setUpApplication("TestRedactionPreview"); }
    void init() { m_dir = test::freshDataDir(); }

    void highlightsAnEmailAsTheUserTypes() {
        auto window = openOn(QStringLiteral("http://127.0.0.1:9"));
        QVERIFY(window);
        QTest::keyClicks(window->editor(), QStringLiteral("Write to ") + m_email + QStringLiteral(" today."));
        using Drawn = QList<QPair<QString, int>>;
        QTRY_COMPARE(drawn(window->editor()), (Drawn{{m_email, PromptEditor::Masked}}));

        const int inside = int(QStringLiteral("Write to ").size()) + 3;
        const std::optional<Span> span = window->editor()->spanAt(inside);
        QVERIFY(span.has_value());
        QCOMPARE(span->type, QStringLiteral("EMAIL_ADDRESS"));
        const QString tip = PromptEditor::describe(*span);
        QVERIFY2(tip.contains(QStringLiteral("EMAIL_ADDRESS")) && tip.contains(span->rule), qPrintable(tip));
        QVERIFY(tip.contains(QStringLiteral("[EMAIL_ADDRESS_1]")));

        QCOMPARE(window->previewText()->toPlainText(), QStringLiteral("Write to [EMAIL_ADDRESS_1] today."));
        QVERIFY(!window->editor()->spanAt(2).has_value());
    }

    void allowOnceChangesThePreview() {
        auto window = openOn(QStringLiteral("http://127.0.0.1:9"));
        QVERIFY(window);
        window->editor()->setPlainText(QStringLiteral("Mail ") + m_email);
        QTRY_COMPARE(window->previewText()->toPlainText(), QStringLiteral("Mail [EMAIL_ADDRESS_1]"));

        std::unique_ptr<QMenu> menu(window->editor()->createMenuAt(7));
        auto* allowOnce = menu->findChild<QAction*>(QStringLiteral("allowOnceAction"));
        QVERIFY(allowOnce);
        QVERIFY(allowOnce->isEnabled());
        allowOnce->trigger();
        QTRY_COMPARE(window->previewText()->toPlainText(), QStringLiteral("Mail ") + m_email);
        // Still highlighted, but marked as sent as typed.
        QTRY_VERIFY(window->editor()->spans().size() == 1 &&
                    window->editor()->spans().first().placeholder.isEmpty());
    }

    void alwaysAllowGoesToTheSettingsAllowlist() {
        auto window = openOn(QStringLiteral("http://127.0.0.1:9"));
        QVERIFY(window);
        window->editor()->setPlainText(QStringLiteral("Mail ") + m_email);
        QTRY_COMPARE(window->previewText()->toPlainText(), QStringLiteral("Mail [EMAIL_ADDRESS_1]"));
        std::unique_ptr<QMenu> menu(window->editor()->createMenuAt(7));
        menu->findChild<QAction*>(QStringLiteral("alwaysAllowAction"))->trigger();
        QTRY_COMPARE(window->previewText()->toPlainText(), QStringLiteral("Mail ") + m_email);
        QFile settings(m_dir->path() + QStringLiteral("/settings.json"));
        QVERIFY(settings.open(QIODevice::ReadOnly));
        QVERIFY(settings.readAll().contains(m_email.toUtf8()));
    }

    void changingTheModeOfATypeUpdatesThePreviewAndTheSettings() {
        auto window = openOn(QStringLiteral("http://127.0.0.1:9"));
        QVERIFY(window);
        window->editor()->setPlainText(QStringLiteral("Mail ") + m_email);
        QTRY_COMPARE(window->previewText()->toPlainText(), QStringLiteral("Mail [EMAIL_ADDRESS_1]"));

        std::unique_ptr<QMenu> menu(window->editor()->createMenuAt(7));
        auto* modes = menu->findChild<QMenu*>(QStringLiteral("changeModeMenu"));
        QVERIFY(modes);
        QVERIFY(modes->title().contains(QStringLiteral("EMAIL_ADDRESS")));
        QVERIFY(modes->findChild<QAction*>(QStringLiteral("modePlaceholderAction"))->isChecked());
        QAction* mask = modes->findChild<QAction*>(QStringLiteral("modeMaskAction"));
        QVERIFY(!mask->isChecked());
        mask->trigger();
        QTRY_COMPARE(window->previewText()->toPlainText(), QStringLiteral("Mail ****.com"));
        QTRY_COMPARE(window->editor()->spans().value(0).placeholder, QStringLiteral("****.com"));

        // Saved like every other sanitizer setting, and read back by the next window.
        QFile file(m_dir->path() + QStringLiteral("/settings.json"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject modesJson = QJsonDocument::fromJson(file.readAll())
                                          .object()
                                          .value("sanitize")
                                          .toObject()
                                          .value("modes")
                                          .toObject();
        QCOMPARE(modesJson.value("EMAIL_ADDRESS").toString(), QStringLiteral("mask"));
        menu.reset(window->editor()->createMenuAt(7));
        QVERIFY(menu->findChild<QAction*>(QStringLiteral("modeMaskAction"))->isChecked());

        menu.reset(); // the editor owns its menus: delete it before the window
        window.reset();
        window = openOn(QStringLiteral("http://127.0.0.1:9"));
        QVERIFY(window);
        window->editor()->setPlainText(QStringLiteral("Mail ") + m_email);
        QTRY_COMPARE(window->previewText()->toPlainText(), QStringLiteral("Mail ****.com"));

        // Allow: sent as typed, still underlined as found.
        menu.reset(window->editor()->createMenuAt(7));
        menu->findChild<QAction*>(QStringLiteral("modeAllowAction"))->trigger();
        QTRY_COMPARE(window->previewText()->toPlainText(), QStringLiteral("Mail ") + m_email);
        QTRY_VERIFY(window->editor()->spans().size() == 1 &&
                    window->editor()->spans().first().placeholder.isEmpty());
        // And back to placeholders.
        menu.reset(window->editor()->createMenuAt(7));
        menu->findChild<QAction*>(QStringLiteral("modePlaceholderAction"))->trigger();
        QTRY_COMPARE(window->previewText()->toPlainText(), QStringLiteral("Mail [EMAIL_ADDRESS_1]"));
    }

    void editingALargePromptKeepsHighlightsAndPreviewExact() {
        auto window = openOn(QStringLiteral("http://127.0.0.1:9"));
        QVERIFY(window);
        QString text;
        for (int i = 0; i < 400; ++i)
            text +=
                QStringLiteral("Line %1: write to user%1@example.com, card 4111 1111 1111 1111.\n").arg(i);
        window->editor()->setPlainText(text);
        QTRY_VERIFY(window->previewText()->toPlainText().contains(QStringLiteral("[EMAIL_ADDRESS_400]")));

        // Type in the middle and cut a line near the top, as a user would, without waiting between.
        QTextCursor cursor(window->editor()->document());
        cursor.setPosition(int(text.indexOf(QLatin1String("Line 200:"))));
        window->editor()->setTextCursor(cursor);
        QTest::keyClicks(window->editor(), QStringLiteral("cc new@example.org "));
        cursor.setPosition(int(text.indexOf(QLatin1String("Line 3:"))));
        cursor.setPosition(int(text.indexOf(QLatin1String("Line 4:"))), QTextCursor::KeepAnchor);
        cursor.removeSelectedText();

        // Once the preview has caught up, highlights and preview are those of a full scan of the text.
        const QString edited = window->editor()->toPlainText();
        QTRY_COMPARE(window->prepared()->typedPrompt, edited);
        const SanitizedText expected = window->prepared()->sanitizer->sanitize(edited);
        QCOMPARE(window->previewText()->toPlainText(), expected.text);
        QTRY_VERIFY(!window->editor()->highlighter()->hasPendingBlocks() &&
                    !window->previewMarks()->hasPendingBlocks());
        QList<QPair<QString, int>> wanted;
        for (const Span& span : expected.spans)
            wanted.append({edited.mid(span.start, span.length()),
                           span.placeholder.isEmpty() ? PromptEditor::SentAsTyped : PromptEditor::Masked});
        QCOMPARE(drawn(window->editor()), wanted);
        QVERIFY(drawn(window->editor()).contains({QStringLiteral("new@example.org"), PromptEditor::Masked}));

        // The outgoing text's marks lie exactly on its placeholders.
        const QString preview = window->previewText()->toPlainText();
        QStringList marked;
        for (const auto& [range, style] : window->previewMarks()->drawnRanges())
            marked << preview.mid(range.start, range.end - range.start);
        QStringList placeholders;
        for (const Span& span : expected.redactedSpans())
            placeholders << span.placeholder;
        QCOMPARE(marked, placeholders);
    }

    void variablesAreFilledInBeforeSanitizing() {
        mock::MockServer server;
        QVERIFY(server.listen());
        auto window = openOn(server.baseUrl());
        QVERIFY(window);
        VariablesPanel* variables = window->variablesPanel();
        QVERIFY(variables->isHidden());
        window->systemPromptEdit()->setText(QStringLiteral("You write in {{tone}} prose."));
        window->editor()->setPlainText(QStringLiteral("Write to {{who}} about {{ topic }}. cc ") + m_email +
                                       QStringLiteral(" [[mock:echo=1]]"));
        QTRY_COMPARE(variables->names(), (QStringList{"tone", "who", "topic"}));
        QVERIFY(variables->isVisible());
        QCOMPARE(window->previewText()->toPlainText(),
                 QStringLiteral("Write to {{who}} about {{ topic }}. cc [EMAIL_ADDRESS_1] [[mock:echo=1]]"));

        // A hole in the prompt: nothing is sent, and the reason names what to fill in.
        QSignalSpy refused(window.get(), &MainWindow::sendRefused);
        window->send();
        QTRY_COMPARE(refused.size(), 1);
        const QString reason = refused.first().first().toString();
        QVERIFY2(reason.contains(QStringLiteral("{{tone}}")) && reason.contains(QStringLiteral("{{topic}}")),
                 qPrintable(reason));
        QCOMPARE(server.requestCount(), 0);

        // Filled in: the values are part of what is scanned, so an address typed there is masked too.
        variables->field(QStringLiteral("tone"))->setText(QStringLiteral("plain"));
        variables->field(QStringLiteral("who"))->setText(QStringLiteral("bob.smith@example.org"));
        variables->field(QStringLiteral("topic"))->setText(QStringLiteral("taxes"));
        const QString expected =
            QStringLiteral("Write to [EMAIL_ADDRESS_1] about taxes. cc [EMAIL_ADDRESS_2] [[mock:echo=1]]");
        QTRY_COMPARE(window->previewText()->toPlainText(), expected);
        QCOMPARE(window->previewSystemText()->toPlainText(), QStringLiteral("You write in plain prose."));
        // The editor still shows what was typed, with the typed address highlighted as masked.
        QCOMPARE(drawn(window->editor()), (QList<QPair<QString, int>>{{m_email, PromptEditor::Masked}}));

        QSignalSpy finished(window.get(), &MainWindow::comparisonFinished);
        window->send();
        QVERIFY(finished.wait(30'000));
        QCOMPARE(server.requestCount(), 1);
        const QByteArray body = server.receivedRequests().first().body;
        QVERIFY(!body.contains("bob.smith@example.org"));
        QVERIFY(body.contains("about taxes"));
        QVERIFY(body.contains("You write in plain prose."));
        QCOMPARE(window->lastSentText(), expected);
        // The mock echoes the prompt; the answer shows the real address again.
        QVERIFY2(window->columns().first()->text().contains(QStringLiteral("bob.smith@example.org")),
                 qPrintable(window->columns().first()->text()));

        // A variable cut from the text hides its field; pasted back, its value is still there.
        const QString withTopic = window->editor()->toPlainText();
        window->editor()->setPlainText(QString(withTopic).replace(QStringLiteral("{{ topic }}"), QString()));
        QTRY_COMPARE(variables->names(), (QStringList{"tone", "who"}));
        QVERIFY(!variables->field(QStringLiteral("topic")));
        window->editor()->setPlainText(withTopic);
        QTRY_COMPARE(variables->names(), (QStringList{"tone", "who", "topic"}));
        QCOMPARE(variables->field(QStringLiteral("topic"))->text(), QStringLiteral("taxes"));
    }

    void userRulesFromTheSettingsApplyAndABrokenOneStopsSending() {
        mock::MockServer server;
        QVERIFY(server.listen());
        // A user rule in settings.json (written as the user would write it).
        auto writeRule = [this](const QString& pattern) {
            const QJsonObject rule{{"name", "ticket"}, {"type", "TICKET"}, {"pattern", pattern}};
            QFile file(m_dir->path() + QStringLiteral("/settings.json"));
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(QJsonDocument(QJsonObject{{"sanitize", QJsonObject{{"user_rules", QJsonArray{rule}}}}})
                           .toJson());
        };
        writeRule(QStringLiteral("TKT-\\d+"));
        {
            auto window = openOn(server.baseUrl());
            QVERIFY(window);
            window->editor()->setPlainText(QStringLiteral("Close TKT-4711 today"));
            QTRY_COMPARE(window->previewText()->toPlainText(), QStringLiteral("Close [TICKET_1] today"));
        }
        writeRule(QStringLiteral("TKT-(\\d+"));
        auto window = openOn(server.baseUrl());
        QVERIFY(window);
        window->editor()->setPlainText(QStringLiteral("Close TKT-4711 today"));
        auto* note = window->findChild<QLabel*>(QStringLiteral("previewNote"));
        QTRY_VERIFY2(note->text().contains(QStringLiteral("user rule 'ticket'")), qPrintable(note->text()));
        QSignalSpy refused(window.get(), &MainWindow::sendRefused);
        window->send();
        QTRY_COMPARE(refused.size(), 1);
        QVERIFY2(refused.first().first().toString().contains(QStringLiteral("missing closing parenthesis")),
                 qPrintable(refused.first().first().toString()));
        QCOMPARE(server.requestCount(), 0);
    }

    void thePreviewIsExactlyWhatTheProviderReceives() {
        mock::MockServer server;
        QVERIFY(server.listen());
        auto window = openOn(server.baseUrl());
        QVERIFY(window);
        window->systemPromptEdit()->setText(QStringLiteral("Answer briefly."));
        // The mock echoes the prompt: the answer must show the real address again, restored locally.
        window->editor()->setPlainText(QStringLiteral("Please reply to ") + m_email +
                                       QStringLiteral(" [[mock:echo=1]]"));
        QTRY_VERIFY(window->previewText()->toPlainText().contains(QStringLiteral("[EMAIL_ADDRESS_1]")));
        const QString preview = window->previewText()->toPlainText();

        QSignalSpy finished(window.get(), &MainWindow::comparisonFinished);
        window->send();
        QVERIFY(finished.wait(30'000));
        QCOMPARE(server.receivedRequests().size(), 1);
        const QByteArray body = server.receivedRequests().first().body;
        QVERIFY(!body.contains(m_email.toUtf8())); // the address never left the machine
        const QJsonArray messages = QJsonDocument::fromJson(body).object().value("messages").toArray();
        QCOMPARE(messages.size(), 2);
        QCOMPARE(messages.at(0).toObject().value("content").toString(), QStringLiteral("Answer briefly."));
        QCOMPARE(messages.at(1).toObject().value("content").toString(), preview);
        QCOMPARE(window->lastSentText(), preview);

        AnswerColumn* column = window->columns().first();
        QVERIFY2(column->text().contains(m_email), qPrintable(column->text()));
        // The history keeps what was sent, not the value.
        const QList<RunRecord> runs = window->engine()->history().recent(5);
        QCOMPARE(runs.size(), 1);
        QCOMPARE(runs.first().prompt, preview);
    }

    void sendingRightAfterTypingWaitsForThePreview() {
        mock::MockServer server;
        QVERIFY(server.listen());
        auto window = openOn(server.baseUrl());
        QVERIFY(window);
        QSignalSpy finished(window.get(), &MainWindow::comparisonFinished);
        // No pause for the debounce: Send must still use the sanitized text, never the raw one.
        window->editor()->setPlainText(QStringLiteral("Contact ") + m_email);
        window->send();
        QVERIFY(finished.wait(30'000));
        QCOMPARE(server.receivedRequests().size(), 1);
        QVERIFY(!server.receivedRequests().first().body.contains(m_email.toUtf8()));
        QVERIFY(server.receivedRequests().first().body.contains("[EMAIL_ADDRESS_1]"));
    }
};

QTEST_MAIN(TestRedactionPreview)
#include "TestRedactionPreview.moc"
