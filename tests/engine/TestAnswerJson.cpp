#include "engine/AnswerJson.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTest>

using namespace parallax;

namespace {

Answer fullAnswer() {
    Answer answer;
    answer.profile = QStringLiteral("work-claude");
    answer.kind = ProviderKind::Anthropic;
    answer.model = QStringLiteral("claude-sonnet-4-5-20250929");
    answer.text = QStringLiteral("Line one\nLine two with \"quotes\", ünïcode and emoji 🎉");
    answer.thinking = QStringLiteral("Let me think about it.");
    answer.toolCalls = {ToolCall{QStringLiteral("toolu_01"), QStringLiteral("get_weather"),
                                 QStringLiteral(R"({"city":"Paris"})")},
                        ToolCall{QString(), QStringLiteral("lookup"), QStringLiteral("{}")}};
    answer.finishReason = FinishReason::ToolCalls;
    answer.rawFinishReason = QStringLiteral("tool_use");
    answer.usage.inputTokens = 1'200;
    answer.usage.outputTokens = 340;
    answer.usage.cachedInputTokens = 1'000;
    answer.usage.reasoningTokens = 120;
    answer.ttftMs = 412;
    answer.latencyMs = 2'950;
    answer.costUsd = 0.00861;
    answer.cached = true;
    answer.attempts = 3;
    answer.fallbackFrom = QStringLiteral("openai:gpt-4o");
    return answer;
}

Answer roundTrip(const Answer& answer) {
    // Through the bytes, as the cache and the history store it.
    const QByteArray bytes = QJsonDocument(AnswerJson::toJson(answer)).toJson(QJsonDocument::Compact);
    return AnswerJson::fromJson(QJsonDocument::fromJson(bytes).object());
}

void compareAnswers(const Answer& actual, const Answer& expected) {
    QCOMPARE(actual.profile, expected.profile);
    QCOMPARE(actual.kind, expected.kind);
    QCOMPARE(actual.model, expected.model);
    QCOMPARE(actual.text, expected.text);
    QCOMPARE(actual.thinking, expected.thinking);
    QCOMPARE(actual.toolCalls.size(), expected.toolCalls.size());
    for (qsizetype i = 0; i < expected.toolCalls.size(); ++i) {
        QCOMPARE(actual.toolCalls[i].id, expected.toolCalls[i].id);
        QCOMPARE(actual.toolCalls[i].name, expected.toolCalls[i].name);
        QCOMPARE(actual.toolCalls[i].arguments, expected.toolCalls[i].arguments);
    }
    QCOMPARE(actual.finishReason, expected.finishReason);
    QCOMPARE(actual.rawFinishReason, expected.rawFinishReason);
    QCOMPARE(actual.usage.inputTokens, expected.usage.inputTokens);
    QCOMPARE(actual.usage.outputTokens, expected.usage.outputTokens);
    QCOMPARE(actual.usage.cachedInputTokens, expected.usage.cachedInputTokens);
    QCOMPARE(actual.usage.reasoningTokens, expected.usage.reasoningTokens);
    QCOMPARE(actual.ttftMs, expected.ttftMs);
    QCOMPARE(actual.latencyMs, expected.latencyMs);
    QCOMPARE(actual.costUsd, expected.costUsd);
    QCOMPARE(actual.cached, expected.cached);
    QCOMPARE(actual.attempts, expected.attempts);
    QCOMPARE(actual.fallbackFrom, expected.fallbackFrom);
    QCOMPARE(actual.error.has_value(), expected.error.has_value());
    if (expected.error) {
        QCOMPARE(actual.error->type, expected.error->type);
        QCOMPARE(actual.error->message, expected.error->message);
        QCOMPARE(actual.error->httpStatus, expected.error->httpStatus);
    }
}

} // namespace

class TestAnswerJson : public QObject {
    Q_OBJECT

private slots:
    void fullRoundTrip();
    void minimalRoundTrip();
    void nullUsageStaysNull();
    void zeroIsNotNull();
    void errorRoundTrip_data();
    void errorRoundTrip();
    void finishReasonRoundTrip_data();
    void finishReasonRoundTrip();
    void kindRoundTrip_data();
    void kindRoundTrip();
    void contractShape();
    void compactJsonIsWhatQJsonDocumentWrites();
};

void TestAnswerJson::fullRoundTrip() {
    const Answer answer = fullAnswer();
    compareAnswers(roundTrip(answer), answer);
    // Twice gives the same JSON.
    QCOMPARE(AnswerJson::toJson(roundTrip(roundTrip(answer))), AnswerJson::toJson(answer));
}

void TestAnswerJson::minimalRoundTrip() {
    const Answer answer;
    const Answer back = roundTrip(answer);
    compareAnswers(back, answer);
    QVERIFY(back.succeeded());
    QVERIFY(back.thinking.isEmpty());
    QVERIFY(back.toolCalls.isEmpty());
}

void TestAnswerJson::nullUsageStaysNull() {
    Answer answer = fullAnswer();
    answer.usage = Usage{};
    answer.ttftMs.reset();
    answer.latencyMs.reset();
    answer.costUsd.reset();
    answer.rawFinishReason.reset();
    answer.fallbackFrom.reset();

    const QJsonObject json = AnswerJson::toJson(answer);
    const QJsonObject usage = json.value("usage").toObject();
    for (const char* key : {"input_tokens", "output_tokens", "cached_input_tokens", "reasoning_tokens"})
        QVERIFY2(usage.value(QLatin1String(key)).isNull(), key);
    for (const char* key :
         {"ttft_ms", "latency_ms", "cost_usd", "raw_finish_reason", "fallback_from", "error"})
        QVERIFY2(json.value(QLatin1String(key)).isNull(), key);

    const Answer back = roundTrip(answer);
    compareAnswers(back, answer);
    QVERIFY(back.usage.isEmpty());
    QVERIFY(!back.costUsd);
}

void TestAnswerJson::zeroIsNotNull() {
    Answer answer;
    answer.usage.inputTokens = 0;
    answer.usage.outputTokens = 0;
    answer.usage.cachedInputTokens = 0;
    answer.usage.reasoningTokens = 0;
    answer.ttftMs = 0;
    answer.latencyMs = 0;
    answer.costUsd = 0.0;
    answer.fallbackFrom = QString();
    const Answer back = roundTrip(answer);
    compareAnswers(back, answer);
    QCOMPARE(back.costUsd, std::optional<double>(0.0));
    QCOMPARE(back.usage.inputTokens, std::optional<qint64>(0));
}

void TestAnswerJson::errorRoundTrip_data() {
    QTest::addColumn<int>("type");
    QTest::addColumn<int>("httpStatus"); // 0: none
    const auto add = [](ErrorType type, int status) {
        QTest::newRow(qPrintable(errorTypeName(type))) << static_cast<int>(type) << status;
    };
    add(ErrorType::Auth, 401);
    add(ErrorType::Permission, 403);
    add(ErrorType::NotFound, 404);
    add(ErrorType::InvalidRequest, 400);
    add(ErrorType::ContextLength, 400);
    add(ErrorType::RateLimited, 429);
    add(ErrorType::Overloaded, 529);
    add(ErrorType::Server, 500);
    add(ErrorType::Network, 0);
    add(ErrorType::Timeout, 0);
    add(ErrorType::Cancelled, 0);
    add(ErrorType::Budget, 0);
    add(ErrorType::Blocked, 0);
}

void TestAnswerJson::errorRoundTrip() {
    QFETCH(int, type);
    QFETCH(int, httpStatus);

    Answer answer = fullAnswer();
    answer.text = QStringLiteral("The partial answer, kept");
    ProviderError error;
    error.type = static_cast<ErrorType>(type);
    error.message = QStringLiteral("Something went wrong: \"details\".");
    if (httpStatus)
        error.httpStatus = httpStatus;
    answer.error = error;

    const QJsonObject json = AnswerJson::toJson(answer).value("error").toObject();
    QCOMPARE(json.value("type").toString(), errorTypeName(error.type));
    QCOMPARE(json.value("http_status").isNull(), httpStatus == 0);

    const Answer back = roundTrip(answer);
    compareAnswers(back, answer);
    QVERIFY(!back.succeeded());
}

void TestAnswerJson::finishReasonRoundTrip_data() {
    QTest::addColumn<int>("reason");
    for (FinishReason reason :
         {FinishReason::Unknown, FinishReason::Stop, FinishReason::Length, FinishReason::ToolCalls,
          FinishReason::ContentFilter, FinishReason::Refusal, FinishReason::Error}) {
        const QString name = finishReasonName(reason);
        QTest::newRow(name.isEmpty() ? "unknown" : qPrintable(name)) << static_cast<int>(reason);
    }
}

void TestAnswerJson::finishReasonRoundTrip() {
    QFETCH(int, reason);
    Answer answer = fullAnswer();
    answer.finishReason = static_cast<FinishReason>(reason);
    QCOMPARE(roundTrip(answer).finishReason, answer.finishReason);
    if (answer.finishReason == FinishReason::Unknown)
        QVERIFY(AnswerJson::toJson(answer).value("finish_reason").isNull());
}

void TestAnswerJson::kindRoundTrip_data() {
    QTest::addColumn<int>("kind");
    for (ProviderKind kind : {ProviderKind::OpenAi, ProviderKind::Anthropic, ProviderKind::Gemini,
                              ProviderKind::Ollama, ProviderKind::OpenAiCompatible})
        QTest::newRow(qPrintable(providerKindName(kind))) << static_cast<int>(kind);
}

void TestAnswerJson::kindRoundTrip() {
    QFETCH(int, kind);
    Answer answer = fullAnswer();
    answer.kind = static_cast<ProviderKind>(kind);
    QCOMPARE(AnswerJson::toJson(answer).value("kind").toString(), providerKindName(answer.kind));
    QCOMPARE(roundTrip(answer).kind, answer.kind);
}

void TestAnswerJson::contractShape() {
    const QJsonObject json = AnswerJson::toJson(fullAnswer());
    for (const char* key :
         {"profile", "kind", "model", "text", "finish_reason", "raw_finish_reason", "usage", "ttft_ms",
          "latency_ms", "cost_usd", "cached", "attempts", "fallback_from", "error"})
        QVERIFY2(json.contains(QLatin1String(key)), key);
    QCOMPARE(json.value("finish_reason").toString(), QStringLiteral("tool_calls"));
    QCOMPARE(json.value("thinking").toString(), QStringLiteral("Let me think about it."));
    const QJsonArray calls = json.value("tool_calls").toArray();
    QCOMPARE(calls.size(), 2);
    QVERIFY(calls[1].toObject().value("id").isNull()); // no id is null, not ""

    // Thinking and tool calls appear only when there are some.
    const QJsonObject plain = AnswerJson::toJson(Answer{});
    QVERIFY(!plain.contains(QLatin1String("thinking")));
    QVERIFY(!plain.contains(QLatin1String("tool_calls")));
}

void TestAnswerJson::compactJsonIsWhatQJsonDocumentWrites() {
    const auto reference = [](const Answer& answer) {
        return QJsonDocument(AnswerJson::toJson(answer)).toJson(QJsonDocument::Compact);
    };
    QCOMPARE(AnswerJson::toCompactJson(fullAnswer()), reference(fullAnswer()));
    QCOMPARE(AnswerJson::toCompactJson(Answer()), reference(Answer()));
    QCOMPARE(AnswerJson::toCompactText(fullAnswer()), QString::fromUtf8(reference(fullAnswer())));

    QRandomGenerator random(31337);
    const QString texts[] = {QString(),
                             QStringLiteral("plain"),
                             QStringLiteral("quote \" back\\slash\n\t"),
                             QStringLiteral("ünïcode 中文 🎉"),
                             QString(QChar(u'\x01')) + QChar(char16_t(0xD800)),
                             QStringLiteral("{\"json\":[1,2]}")};
    const auto text = [&] { return texts[random.bounded(int(std::size(texts)))]; };
    const auto maybeCount = [&]() -> std::optional<qint64> {
        if (random.bounded(3) == 0)
            return std::nullopt;
        return qint64(random.generate64() >> random.bounded(64));
    };
    const double costs[] = {0.0, 0.00861, 1e-9, 2.0, 0.1 + 0.2, 1234.5};
    for (int i = 0; i < 3000; ++i) {
        Answer answer;
        answer.profile = text();
        answer.kind = ProviderKind(random.bounded(5));
        answer.model = text();
        answer.text = text();
        answer.thinking = random.bounded(2) ? text() : QString();
        for (int n = int(random.bounded(3)); n > 0; --n)
            answer.toolCalls.append(ToolCall{text(), text(), text()});
        answer.finishReason = FinishReason(random.bounded(7));
        if (random.bounded(2))
            answer.rawFinishReason = text();
        answer.usage.inputTokens = maybeCount();
        answer.usage.outputTokens = maybeCount();
        answer.usage.cachedInputTokens = maybeCount();
        answer.usage.reasoningTokens = maybeCount();
        answer.ttftMs = maybeCount();
        answer.latencyMs = maybeCount();
        if (random.bounded(2))
            answer.costUsd = costs[random.bounded(int(std::size(costs)))];
        answer.cached = random.bounded(2);
        answer.attempts = int(random.bounded(5));
        if (random.bounded(2))
            answer.fallbackFrom = text();
        if (random.bounded(2)) {
            ProviderError error;
            error.type = ErrorType(random.bounded(13));
            error.message = text();
            if (random.bounded(2))
                error.httpStatus = 400 + int(random.bounded(200));
            answer.error = error;
        }
        QCOMPARE(AnswerJson::toCompactJson(answer), reference(answer));
    }
}

QTEST_GUILESS_MAIN(TestAnswerJson)
#include "TestAnswerJson.moc"
