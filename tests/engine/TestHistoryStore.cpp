#include "store/HistoryStore.h"

#include "store/Database.h"

#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace parallax;

class TestHistoryStore : public QObject {
    Q_OBJECT

private slots:
    void savedRunsLoadBackWithTheirAnswers() {
        QTemporaryDir dir;
        QString error;
        const std::unique_ptr<Database> database = Database::open(dir.filePath("parallax.db"), &error);
        QVERIFY2(database, qPrintable(error));
        HistoryStore history(*database);

        RunRecord run;
        run.requestId = QStringLiteral("req-1");
        run.createdAt = QDateTime(QDate(2026, 12, 6), QTime(10, 30, 0, 125), Qt::UTC);
        run.command = QStringLiteral("compare");
        run.prompt = QStringLiteral("Mail [EMAIL_ADDRESS_1] about taxes");
        run.systemPrompt = QStringLiteral("Be brief");
        run.parameters = QJsonObject{{"profiles", QJsonArray{"a", "b"}}, {"max_tokens", 100}};
        Answer first;
        first.profile = QStringLiteral("a");
        first.kind = ProviderKind::OpenAi;
        first.model = QStringLiteral("gpt-mock");
        first.text = QStringLiteral("Dear [EMAIL_ADDRESS_1], …");
        first.finishReason = FinishReason::Stop;
        first.usage.inputTokens = 12;
        first.usage.outputTokens = 30;
        first.ttftMs = 120;
        first.latencyMs = 900;
        first.costUsd = 0.00042;
        Answer second;
        second.profile = QStringLiteral("b");
        second.kind = ProviderKind::Anthropic;
        second.model = QStringLiteral("claude-mock");
        ProviderError failure;
        failure.type = ErrorType::Auth;
        failure.message = QStringLiteral("401: invalid x-api-key");
        failure.httpStatus = 401;
        second.error = failure;
        run.answers = {first, second};
        Answer synthesis = first;
        synthesis.text = QStringLiteral("Both agree [A].");
        run.synthesis = synthesis;
        QVERIFY2(history.save(run, &error), qPrintable(error));
        RunRecord other = run;
        other.requestId = QStringLiteral("req-2");
        other.synthesis.reset();
        other.answers = {second};
        QVERIFY2(history.save(other, &error), qPrintable(error));

        const std::optional<RunRecord> loaded = history.load(QStringLiteral("req-1"));
        QVERIFY(loaded);
        QCOMPARE(loaded->createdAt, run.createdAt);
        QCOMPARE(loaded->prompt, run.prompt);
        QCOMPARE(loaded->systemPrompt, run.systemPrompt);
        QCOMPARE(loaded->parameters, run.parameters);
        QCOMPARE(loaded->answers.size(), 2);
        QCOMPARE(loaded->answers.at(0).text, first.text);
        QCOMPARE(loaded->answers.at(0).usage.outputTokens, std::optional<qint64>(30));
        QCOMPARE(loaded->answers.at(0).costUsd, std::optional<double>(0.00042));
        QCOMPARE(loaded->answers.at(0).ttftMs, std::optional<qint64>(120));
        QVERIFY(!loaded->answers.at(1).succeeded());
        QCOMPARE(loaded->answers.at(1).error->type, ErrorType::Auth);
        QCOMPARE(loaded->answers.at(1).kind, ProviderKind::Anthropic);
        QVERIFY(loaded->synthesis);
        QCOMPARE(loaded->synthesis->text, QStringLiteral("Both agree [A]."));

        const std::optional<RunRecord> second2 = history.load(QStringLiteral("req-2"));
        QVERIFY(second2);
        QCOMPARE(second2->answers.size(), 1);
        QVERIFY(!second2->synthesis);
        QVERIFY(!history.load(QStringLiteral("no-such-run")));
    }
};

QTEST_GUILESS_MAIN(TestHistoryStore)
#include "TestHistoryStore.moc"
