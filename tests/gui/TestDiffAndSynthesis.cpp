#include "GuiTestSupport.h"

#include "app/AgreementHeatMap.h"
#include "app/AnswerColumn.h"
#include "app/ColumnPalette.h"
#include "app/DiffController.h"
#include "app/HistoryDock.h"
#include "app/HistoryModel.h"
#include "app/KeyRing.h"
#include "app/ProfileChips.h"
#include "app/PromptEditor.h"
#include "app/SynthesisPane.h"
#include "engine/AgreementMatrix.h"
#include "mock/MockServer.h"

#include <QAction>
#include <QComboBox>
#include <QListView>
#include <QMenu>
#include <QSignalSpy>
#include <QTest>
#include <QTextBlock>
#include <QTextBrowser>

using namespace parallax;

namespace {

/// The body's text split by how it is drawn: struck through (deleted), on a background (inserted),
/// or plain.
struct DrawnDiff {
    QString all;
    QStringList deleted;
    QStringList inserted;
};

DrawnDiff drawnDiff(const QTextDocument* document) {
    DrawnDiff drawn;
    for (QTextBlock block = document->begin(); block.isValid(); block = block.next()) {
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            const QTextFragment fragment = it.fragment();
            drawn.all += fragment.text();
            if (fragment.charFormat().fontStrikeOut())
                drawn.deleted.append(fragment.text());
            else if (fragment.charFormat().hasProperty(QTextFormat::BackgroundBrush))
                drawn.inserted.append(fragment.text());
        }
    }
    return drawn;
}

} // namespace

class TestDiffAndSynthesis : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    const QString m_email = QStringLiteral("jane.doe@example.com");

    /// Two answers that differ in a known way: both profiles echo the prompt, but "gpt" gets e-mail
    /// addresses masked (****.com) while "claude" is listed under send_raw and gets the address itself.
    std::unique_ptr<MainWindow> openOnMaskedAndRaw(mock::MockServer& server) {
        test::writeMockProfiles(m_dir->path(), server.baseUrl(), 3);
        QFile settings(m_dir->path() + QStringLiteral("/settings.json"));
        if (!settings.open(QIODevice::WriteOnly))
            return nullptr;
        settings.write(R"({"sanitize": {"modes": {"EMAIL_ADDRESS": "mask"}, "send_raw": ["claude"]}})");
        settings.close();
        auto window = test::makeWindow();
        for (const QString name : {"gpt", "claude", "gemini"})
            window->keyRing()->setSessionKey(name, QStringLiteral("test-key"));
        window->show();
        if (!QTest::qWaitForWindowExposed(window.get()))
            return nullptr;
        window->chips()->setChecked(QStringLiteral("gemini"), false);
        return window;
    }

    /// An action of View ▸ Diff against, as the menu shows it now (opening it again replaces them).
    static QAction* diffAction(MainWindow& window, const QString& name) {
        auto* menu = window.findChild<QMenu*>(QStringLiteral("diffMenu"));
        emit menu->aboutToShow(); // the menu lists the current columns when it opens
        return menu->findChild<QAction*>(name);
    }

private slots:
    void initTestCase() { test::setUpApplication("TestDiffAndSynthesis"); }
    void init() { m_dir = test::freshDataDir(); }

    void diffModeMarksInsertionsAndDeletionsAgainstTheBase() {
        mock::MockServer server;
        QVERIFY(server.listen());
        auto window = openOnMaskedAndRaw(server);
        QVERIFY(window);
        QCOMPARE(window->chips()->checkedNames(), (QStringList{"gpt", "claude"}));
        QSignalSpy finished(window.get(), &MainWindow::comparisonFinished);
        window->editor()->setPlainText(QStringLiteral("Reply to ") + m_email +
                                       QStringLiteral(" now. [[mock:echo=1]]"));
        window->send();
        QVERIFY(finished.wait(30'000));
        AnswerColumn* gpt = window->columns().at(0);
        AnswerColumn* claude = window->columns().at(1);
        QCOMPARE(gpt->text(), QStringLiteral("Reply to ****.com now."));
        QCOMPARE(claude->text(), QStringLiteral("Reply to jane.doe@example.com now."));
        // Each column wears its colour in the header.
        QCOMPARE(gpt->accentColour(), ColumnPalette::colour(0));
        QCOMPARE(claude->accentColour(), ColumnPalette::colour(1));
        QVERIFY(gpt->accentColour() != claude->accentColour());

        // View ▸ Diff against ▸ claude.
        DiffController* diff = window->diffController();
        QSignalSpy applied(diff, &DiffController::applied);
        QVERIFY(diffAction(*window, QStringLiteral("diffOffAction"))->isChecked());
        QAction* againstClaude = diffAction(*window, QStringLiteral("diffBaseAction2"));
        QVERIFY(againstClaude);
        againstClaude->trigger();
        QVERIFY(applied.wait(5'000));
        QCOMPARE(diff->base(), 1);
        QVERIFY(diffAction(*window, QStringLiteral("diffBaseAction2"))->isChecked());
        QVERIFY(gpt->isShowingDiff());
        QVERIFY(!claude->isShowingDiff());
        QCOMPARE(claude->diffLabelText(), QStringLiteral("diff base"));
        QCOMPARE(gpt->diffLabelText(), QStringLiteral("diff against claude"));
        DrawnDiff drawn = drawnDiff(gpt->body()->document());
        QCOMPARE(drawn.all, QStringLiteral("Reply to jane.doe@example.****.com now."));
        QCOMPARE(drawn.deleted, QStringList{QStringLiteral("jane.doe@example.")});
        QCOMPARE(drawn.inserted, QStringList{QStringLiteral("****.")});
        if (const QString shots = qEnvironmentVariable("PARALLAX_SCREENSHOT_DIR"); !shots.isEmpty())
            QVERIFY(window->grab().save(shots + QStringLiteral("/diff.png")));

        // Two changes in a row: only the last one shows, whichever job finishes first.
        applied.clear();
        diff->setBase(0);
        diff->setBase(1);
        QTRY_VERIFY(!applied.isEmpty() && !diff->isBusy());
        QVERIFY(gpt->isShowingDiff() && !claude->isShowingDiff());
        QCOMPARE(drawnDiff(gpt->body()->document()).deleted,
                 QStringList{QStringLiteral("jane.doe@example.")});

        // Another base: the roles swap.
        diffAction(*window, QStringLiteral("diffBaseAction1"))->trigger();
        QVERIFY(applied.wait(5'000));
        QVERIFY(!gpt->isShowingDiff());
        QCOMPARE(gpt->diffLabelText(), QStringLiteral("diff base"));
        drawn = drawnDiff(claude->body()->document());
        QCOMPARE(drawn.deleted, QStringList{QStringLiteral("****.")});
        QCOMPARE(drawn.inserted, QStringList{QStringLiteral("jane.doe@example.")});

        // The next comparison keeps the base and is compared once its answers are in.
        applied.clear();
        window->editor()->setPlainText(QStringLiteral("Write to ") + m_email +
                                       QStringLiteral(" today. [[mock:echo=1]]"));
        window->send();
        QVERIFY(finished.wait(30'000));
        QTRY_VERIFY(window->columns().at(1)->isShowingDiff() && !diff->isBusy());
        drawn = drawnDiff(window->columns().at(1)->body()->document());
        QCOMPARE(drawn.all, QStringLiteral("Write to ****.jane.doe@example.com today."));
        QCOMPARE(drawn.inserted, QStringList{QStringLiteral("jane.doe@example.")});

        // Off: Markdown again, no marks.
        diffAction(*window, QStringLiteral("diffOffAction"))->trigger();
        QTRY_VERIFY(!window->columns().at(1)->isShowingDiff());
        QCOMPARE(window->columns().at(1)->diffLabelText(), QString());
        QCOMPARE(window->columns().at(0)->diffLabelText(), QString());
        drawn = drawnDiff(window->columns().at(1)->body()->document());
        QVERIFY(drawn.deleted.isEmpty() && drawn.inserted.isEmpty());
        QCOMPARE(window->columns().at(1)->body()->toPlainText(),
                 QStringLiteral("Write to jane.doe@example.com today."));
    }

    void synthesisStreamsWithColouredCitationsAndTheAgreementMap() {
        mock::MockServer server;
        QVERIFY(server.listen());
        auto window = openOnMaskedAndRaw(server);
        QVERIFY(window);
        SynthesisPane* pane = window->synthesisPane();
        QComboBox* combo = pane->synthesizerCombo();
        QCOMPARE(combo->count(), 4); // none, then every profile
        QCOMPARE(pane->synthesizer(), QString());
        // Gemini combines the answers without being one of the columns.
        combo->setCurrentIndex(combo->findData(QStringLiteral("gemini")));
        emit combo->activated(combo->currentIndex());
        QCOMPARE(pane->synthesizer(), QStringLiteral("gemini"));

        QSignalSpy synthesized(pane, &SynthesisPane::synthesisFinished);
        QSignalSpy agreement(pane, &SynthesisPane::agreementShown);
        // Slow enough that the synthesis (an echo of its long prompt) is seen while it streams.
        window->editor()->setPlainText(QStringLiteral("Reply to ") + m_email +
                                       QStringLiteral(" now. [[mock:echo=1 tps=150]]"));
        window->send();
        QTRY_VERIFY_WITH_TIMEOUT(pane->statusText().contains(QStringLiteral("streaming")) &&
                                     !pane->body()->toPlainText().isEmpty(),
                                 20'000);
        QVERIFY(synthesized.wait(30'000));
        QCOMPARE(server.requestCount(), 3); // two answers, one synthesis
        QVERIFY2(pane->statusText().contains(QStringLiteral("by gemini — done")),
                 qPrintable(pane->statusText()));

        // The synthesizer saw both answers as [A] and [B]; its echo quotes them.
        const QString text = pane->text();
        QVERIFY2(text.contains(QStringLiteral("[A] Reply to ****.com now.")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("[B] Reply to ****.com now.")), qPrintable(text));
        QCOMPARE(pane->labelColours().value(QStringLiteral("A")), ColumnPalette::colour(0));
        QCOMPARE(pane->labelColours().value(QStringLiteral("B")), ColumnPalette::colour(1));
        QCOMPARE(pane->labelColours().size(), 2);
        // In the rendered text, every [A] is drawn in column 1's colour and every [B] in column 2's;
        // [C] (the template's example) cites nothing and keeps the text colour.
        QTextDocument* document = pane->body()->document();
        int coloured = 0;
        for (const char* label : {"[A]", "[B]", "[C]"}) {
            const QString citation = QString::fromLatin1(label);
            int seen = 0;
            for (QTextCursor found = document->find(citation); !found.isNull();
                 found = document->find(citation, found)) {
                ++seen;
                // The format of the citation's last character.
                const QBrush foreground = found.charFormat().foreground();
                if (citation == QLatin1String("[C]")) {
                    QVERIFY(foreground.style() == Qt::NoBrush);
                } else {
                    QCOMPARE(foreground.color(),
                             ColumnPalette::colour(citation == QLatin1String("[A]") ? 0 : 1));
                    ++coloured;
                }
            }
            QVERIFY2(seen >= 1, label);
        }
        QVERIFY(coloured >= 2);

        // The agreement map: 2 × 2, the values AgreementMatrix gives for the shown answers.
        QTRY_VERIFY(pane->heatMap()->dimension() == 2 && pane->heatMap()->isVisible());
        AgreementHeatMap* map = pane->heatMap();
        QCOMPARE(map->profiles(), (QStringList{"gpt", "claude"}));
        const auto expected =
            AgreementMatrix::compute({window->columns().at(0)->text(), window->columns().at(1)->text()});
        QCOMPARE(map->value(0, 0), std::optional(1.0));
        QCOMPARE(map->value(1, 1), std::optional(1.0));
        QVERIFY(map->value(0, 1).has_value());
        QCOMPARE(*map->value(0, 1), *expected[0][1]);
        QCOMPARE(*map->value(1, 0), *expected[1][0]);
        QVERIFY(*map->value(0, 1) > 0.0 && *map->value(0, 1) < 1.0); // "reply", "now", "com" shared
        QCOMPARE(map->sizeHint(), QSize(AgreementHeatMap::stripSize + 1 + 2 * AgreementHeatMap::cellSize,
                                        AgreementHeatMap::stripSize + 1 + 2 * AgreementHeatMap::cellSize));
        const QString tip = map->toolTipAt(map->cellRect(0, 1).center());
        QVERIFY2(tip.contains(QStringLiteral("gpt ↔ claude")) &&
                     tip.contains(QString::number(*expected[0][1], 'f', 2)),
                 qPrintable(tip));
        QVERIFY(map->toolTipAt(QPoint(0, 0)).isEmpty()); // the colour strip is not a cell
        // The stronger agreement is the darker cell.
        QVERIFY(map->colourFor(1.0).lightness() < map->colourFor(*map->value(0, 1)).lightness());
        QVERIFY(agreement.size() >= 1);
        if (const QString shots = qEnvironmentVariable("PARALLAX_SCREENSHOT_DIR"); !shots.isEmpty())
            QVERIFY(window->grab().save(shots + QStringLiteral("/synthesis.png")));

        // The choice is remembered for the next start.
        auto reopened = test::makeWindow();
        QCOMPARE(reopened->synthesisPane()->synthesizer(), QStringLiteral("gemini"));

        // From the history, the synthesis comes back with its citations in the columns' colours (as
        // stored: the placeholders the synthesizer saw) and the agreement map.
        reopened->show();
        QVERIFY(QTest::qWaitForWindowExposed(reopened.get()));
        HistoryDock* history = reopened->historyDock();
        QTRY_COMPARE(history->model()->rowCount(), 1);
        emit history->findChild<QListView*>(QStringLiteral("historyList"))
            ->activated(history->model()->index(0));
        SynthesisPane* stored = reopened->synthesisPane();
        QVERIFY2(stored->text().contains(QStringLiteral("[A] Reply to ****.com now.")),
                 qPrintable(stored->text()));
        QCOMPARE(stored->labelColours().value(QStringLiteral("B")), ColumnPalette::colour(1));
        QVERIFY2(stored->statusText().contains(QStringLiteral("from the history")),
                 qPrintable(stored->statusText()));
        QTRY_VERIFY(stored->heatMap()->dimension() == 2);
    }

    void noSynthesisIsSentWhenEveryAnswerFailed() {
        mock::MockServer server;
        QVERIFY(server.listen());
        auto window = openOnMaskedAndRaw(server);
        QVERIFY(window);
        SynthesisPane* pane = window->synthesisPane();
        pane->setSynthesizer(QStringLiteral("gemini"));
        QSignalSpy synthesized(pane, &SynthesisPane::synthesisFinished);
        QSignalSpy agreement(pane, &SynthesisPane::agreementShown);
        window->editor()->setPlainText(QStringLiteral("Anything [[mock:fault=400]]"));
        window->send();
        QVERIFY(synthesized.wait(30'000));
        QCOMPARE(server.requestCount(), 2); // the answers only
        QCOMPARE(pane->statusText(), QStringLiteral("not sent: no answer succeeded"));
        QVERIFY(pane->text().isEmpty());
        QTRY_COMPARE(pane->heatMap()->dimension(), 2);
        QVERIFY(!pane->heatMap()->value(0, 1).has_value());
        QVERIFY(!pane->heatMap()->value(0, 0).has_value());
    }

    void aFailedAnswerLeavesAHoleInTheMap() {
        AgreementHeatMap map;
        map.setMatrix({"a", "b", "c"}, AgreementMatrix::compute({QString("red green blue"), std::nullopt,
                                                                 QString("red green yellow")}));
        QCOMPARE(map.dimension(), 3);
        QVERIFY(!map.value(0, 1).has_value());
        QVERIFY(!map.value(1, 1).has_value());
        QVERIFY(map.value(0, 2).has_value());
        QVERIFY(map.toolTipAt(map.cellRect(1, 2).center()).contains(QStringLiteral("an answer failed")));
        QCOMPARE(map.colourFor(std::nullopt), map.palette().color(QPalette::Mid));
    }
};

QTEST_MAIN(TestDiffAndSynthesis)
#include "TestDiffAndSynthesis.moc"
