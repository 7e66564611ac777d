#include "providers/ErrorBodyParser.h"
#include "providers/ProviderError.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace parallax;

namespace {

constexpr qint64 kNone = -1;

QByteArray fixture(const char* name) {
    QFile file(QStringLiteral(PARALLAX_TEST_FIXTURES "/wire/gemini/") + QLatin1String(name));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot open fixture %s", qPrintable(file.fileName()));
    return file.readAll();
}

} // namespace

class TestErrorBodyParser : public QObject {
    Q_OBJECT

private slots:
    void httpResponse_data();
    void httpResponse();
    void streamObject_data();
    void streamObject();
    void isErrorObject_data();
    void isErrorObject();
    void statusTable_data();
    void statusTable();
    void typeNames();
};

void TestErrorBodyParser::httpResponse_data() {
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("type");
    QTest::addColumn<bool>("retryable");
    QTest::addColumn<QStringList>("messageContains");
    QTest::addColumn<QString>("providerCode");
    QTest::addColumn<qint64>("retryAfterMs");

    // OpenAI
    QTest::newRow("OpenAI 401 invalid_api_key")
        << 401
        << QByteArray(
               R"({"error":{"message":"Incorrect API key provided: sk-abc***xyz.","type":"invalid_request_error",)"
               R"("param":null,"code":"invalid_api_key"}})")
        << "auth" << false << QStringList{"Incorrect API key provided"} << "invalid_api_key" << kNone;
    QTest::newRow("OpenAI 400 context_length_exceeded")
        << 400
        << QByteArray(
               R"({"error":{"message":"This model's maximum context length is 128000 tokens. However, your )"
               R"(messages resulted in 130532 tokens.","type":"invalid_request_error","param":"messages",)"
               R"("code":"context_length_exceeded"}})")
        << "context_length" << false << QStringList{"maximum context length is 128000"}
        << "context_length_exceeded" << kNone;
    QTest::newRow("OpenAI 429 rate_limit_exceeded")
        << 429
        << QByteArray(
               R"({"error":{"message":"Rate limit reached for gpt-4o on tokens per min (TPM): Limit 30000, )"
               R"(Used 30000, Requested 500.","type":"tokens","param":null,"code":"rate_limit_exceeded"}})")
        << "rate_limited" << true << QStringList{"Rate limit reached"} << "rate_limit_exceeded" << kNone;
    QTest::newRow("OpenAI 429 insufficient_quota")
        << 429
        << QByteArray(
               R"({"error":{"message":"You exceeded your current quota, please check your plan and billing )"
               R"(details.","type":"insufficient_quota","param":null,"code":"insufficient_quota"}})")
        << "rate_limited" << false << QStringList{"exceeded your current quota"} << "insufficient_quota"
        << kNone;
    QTest::newRow("OpenAI 500 server_error")
        << 500
        << QByteArray(R"({"error":{"message":"The server had an error.","type":"server_error","code":null}})")
        << "server" << true << QStringList{"server had an error"} << "server_error" << kNone;

    QTest::newRow("OpenAI 401 without code: the status decides")
        << 401
        << QByteArray(
               R"({"error":{"message":"You didn't provide an API key.","type":"invalid_request_error",)"
               R"("param":null,"code":null}})")
        << "auth" << false << QStringList{"didn't provide an API key"} << "invalid_request_error" << kNone;
    QTest::newRow("OpenAI 503 server_error: the status decides")
        << 503
        << QByteArray(R"({"error":{"message":"The engine is currently overloaded, please try again later",)"
                      R"("type":"server_error","param":null,"code":null}})")
        << "overloaded" << true << QStringList{"currently overloaded"} << "server_error" << kNone;

    // Anthropic
    QTest::newRow("Anthropic 529 overloaded_error")
        << 529
        << QByteArray(R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},)"
                      R"("request_id":"req_011"})")
        << "overloaded" << true << QStringList{"Overloaded"} << "overloaded_error" << kNone;
    QTest::newRow("Anthropic 400 prompt is too long")
        << 400
        << QByteArray(R"({"type":"error","error":{"type":"invalid_request_error",)"
                      R"("message":"prompt is too long: 208310 tokens > 200000 maximum"}})")
        << "context_length" << false << QStringList{"prompt is too long"} << "invalid_request_error" << kNone;
    QTest::newRow("Anthropic 400 other invalid request")
        << 400
        << QByteArray(R"({"type":"error","error":{"type":"invalid_request_error",)"
                      R"("message":"max_tokens: Field required"}})")
        << "invalid_request" << false << QStringList{"max_tokens: Field required"} << "invalid_request_error"
        << kNone;
    QTest::newRow("Anthropic 404 not_found_error")
        << 404
        << QByteArray(R"({"type":"error","error":{"type":"not_found_error","message":"model: claude-nope"}})")
        << "not_found" << false << QStringList{"claude-nope"} << "not_found_error" << kNone;
    QTest::newRow("Anthropic 401 authentication_error")
        << 401
        << QByteArray(
               R"({"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}})")
        << "auth" << false << QStringList{"invalid x-api-key"} << "authentication_error" << kNone;
    QTest::newRow("Anthropic 429 rate_limit_error")
        << 429
        << QByteArray(
               R"({"type":"error","error":{"type":"rate_limit_error","message":"Number of requests has )"
               R"(exceeded your rate limit"}})")
        << "rate_limited" << true << QStringList{"rate limit"} << "rate_limit_error" << kNone;
    QTest::newRow("Anthropic 429 enforced_spend_limit_reached")
        << 429
        << QByteArray(
               R"({"type":"error","error":{"type":"rate_limit_error","message":"You have reached your )"
               R"(specified API usage limits.","details":{"error_code":"enforced_spend_limit_reached"}}})")
        << "rate_limited" << false << QStringList{"API usage limits"} << "enforced_spend_limit_reached"
        << kNone;
    QTest::newRow("Anthropic 413 request_too_large")
        << 413
        << QByteArray(R"({"type":"error","error":{"type":"request_too_large","message":"Request exceeds the )"
                      R"(maximum allowed number of bytes."}})")
        << "context_length" << false << QStringList{"maximum allowed number of bytes"} << "request_too_large"
        << kNone;
    QTest::newRow("Anthropic 402 billing_error")
        << 402
        << QByteArray(
               R"({"type":"error","error":{"type":"billing_error","message":"Your credit balance is too low"}})")
        << "permission" << false << QStringList{"credit balance"} << "billing_error" << kNone;

    // Gemini
    // 400 INVALID_ARGUMENT, but the ErrorInfo reason API_KEY_INVALID makes it an auth error (a43bb51).
    QTest::newRow("Gemini 400 API_KEY_INVALID fixture")
        << 400 << fixture("error_400_api_key_invalid.json") << "auth" << false
        << QStringList{"API key not valid"} << "INVALID_ARGUMENT" << kNone;
    QTest::newRow("Gemini 404 unknown model fixture")
        << 404 << fixture("error_404_unknown_model.json") << "not_found" << false
        << QStringList{"models/gemini-5.0-flash is not found"} << "NOT_FOUND" << kNone;
    QTest::newRow("Gemini 429 RESOURCE_EXHAUSTED with RetryInfo")
        << 429
        << QByteArray(
               R"({"error":{"code":429,"message":"You exceeded your current quota, please check your plan )"
               R"(and billing details.","status":"RESOURCE_EXHAUSTED","details":[)"
               R"({"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[{"quotaMetric":)"
               R"("generativelanguage.googleapis.com/generate_content_free_tier_requests"}]},)"
               R"({"@type":"type.googleapis.com/google.rpc.Help","links":[{"url":"https://ai.google.dev"}]},)"
               R"({"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"30s"}]}})")
        << "rate_limited" << true << QStringList{"exceeded your current quota"} << "RESOURCE_EXHAUSTED"
        << qint64(30'000);
    QTest::newRow("Gemini 403 PERMISSION_DENIED")
        << 403
        << QByteArray(
               R"({"error":{"code":403,"message":"Generative Language API has not been used in project 1 )"
               R"(before or it is disabled.","status":"PERMISSION_DENIED"}})")
        << "permission" << false << QStringList{"has not been used"} << "PERMISSION_DENIED" << kNone;
    QTest::newRow("Gemini 503 UNAVAILABLE")
        << 503
        << QByteArray(R"({"error":{"code":503,"message":"The model is overloaded. Please try again later.",)"
                      R"("status":"UNAVAILABLE"}})")
        << "overloaded" << true << QStringList{"model is overloaded"} << "UNAVAILABLE" << kNone;
    QTest::newRow("Gemini 504 DEADLINE_EXCEEDED")
        << 504
        << QByteArray(R"({"error":{"code":504,"message":"Deadline exceeded","status":"DEADLINE_EXCEEDED"}})")
        << "timeout" << true << QStringList{"Deadline exceeded"} << "DEADLINE_EXCEEDED" << kNone;
    QTest::newRow("Gemini 400 input token count exceeds")
        << 400
        << QByteArray(
               R"({"error":{"code":400,"message":"The input token count (1200000) exceeds the maximum )"
               R"(number of tokens allowed (1048576).","status":"INVALID_ARGUMENT"}})")
        << "context_length" << false << QStringList{"input token count"} << "INVALID_ARGUMENT" << kNone;

    // Ollama, vLLM
    QTest::newRow("Ollama 404 model not found")
        << 404 << QByteArray(R"({"error":"model \"x\" not found, try pulling it first"})") << "not_found"
        << false << QStringList{"model \"x\" not found", "try pulling it first"} << "" << kNone;
    QTest::newRow("Ollama 500") << 500 << QByteArray(R"({"error":"the model failed to generate a response"})")
                                << "server" << true << QStringList{"failed to generate"} << "" << kNone;
    QTest::newRow("vLLM older error shape")
        << 400
        << QByteArray(R"({"object":"error","message":"temperature must be non-negative, got -1.0.",)"
                      R"("type":"BadRequestError","param":null,"code":400})")
        << "invalid_request" << false << QStringList{"temperature must be non-negative"} << "BadRequestError"
        << kNone;
    QTest::newRow("vLLM context length")
        << 400
        << QByteArray(
               R"({"object":"error","message":"This model's maximum context length is 4096 tokens. However, )"
               R"(you requested 5000 tokens.","type":"BadRequestError","param":null,"code":400})")
        << "context_length" << false << QStringList{"maximum context length"} << "BadRequestError" << kNone;

    // Not JSON
    QTest::newRow("HTML 502 page")
        << 502
        << QByteArray(
               "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad "
               "Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")
        << "server" << true << QStringList{"HTML", "502 Bad Gateway"} << "" << kNone;
    QTest::newRow("HTML page without title")
        << 403 << QByteArray("<!DOCTYPE html><html><body>Forbidden</body></html>") << "permission" << false
        << QStringList{"HTML"} << "" << kNone;
    QTest::newRow("empty body 500") << 500 << QByteArray() << "server" << true << QStringList{"500"} << ""
                                    << kNone;
    QTest::newRow("whitespace body 503")
        << 503 << QByteArray(" \n ") << "overloaded" << true << QStringList{"503"} << "" << kNone;
    QTest::newRow("plain text 502") << 502 << QByteArray("upstream connect error or disconnect/reset\n")
                                    << "server" << true << QStringList{"upstream connect error"} << ""
                                    << kNone;
    QTest::newRow("JSON without a message")
        << 500 << QByteArray("{}") << "server" << true << QStringList{"500"} << "" << kNone;
}

void TestErrorBodyParser::httpResponse() {
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(QString, type);
    QFETCH(bool, retryable);
    QFETCH(QStringList, messageContains);
    QFETCH(QString, providerCode);
    QFETCH(qint64, retryAfterMs);

    const ProviderError error = ErrorBodyParser::fromHttpResponse(status, body);
    QCOMPARE(errorTypeName(error.type), type);
    QCOMPARE(error.retryable, retryable);
    QCOMPARE(error.httpStatus, std::optional<int>(status));
    for (const QString& part : messageContains)
        QVERIFY2(error.message.contains(part), qPrintable(error.message));
    QVERIFY2(!error.message.contains(QLatin1Char('\n')), qPrintable(error.message));
    QCOMPARE(error.providerCode, providerCode);
    QCOMPARE(error.retryAfterMs.value_or(kNone), retryAfterMs);
}

void TestErrorBodyParser::streamObject_data() {
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("type");
    QTest::addColumn<bool>("retryable");
    QTest::addColumn<QString>("messageContains");
    QTest::addColumn<QString>("providerCode");

    QTest::newRow("Anthropic event: error overloaded")
        << QByteArray(R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})")
        << "overloaded" << true << "Overloaded"
        << "overloaded_error";
    QTest::newRow("OpenAI mid-stream bad_request")
        << QByteArray(R"({"error":{"message":"stream failed","code":"bad_request"}})") << "invalid_request"
        << false << "stream failed"
        << "bad_request";
    QTest::newRow("OpenRouter mid-stream with numeric code")
        << QByteArray(R"({"error":{"code":502,"message":"Provider returned error"},"choices":[]})")
        << "server" << true << "Provider returned error"
        << "";
    QTest::newRow("Anthropic mid-stream api_error")
        << QByteArray(R"({"type":"error","error":{"type":"api_error","message":"Internal server error"}})")
        << "server" << true << "Internal server error"
        << "api_error";
    QTest::newRow("Gemini mid-stream RESOURCE_EXHAUSTED")
        << QByteArray(
               R"({"error":{"code":429,"message":"Resource has been exhausted","status":"RESOURCE_EXHAUSTED"}})")
        << "rate_limited" << true << "Resource has been exhausted"
        << "RESOURCE_EXHAUSTED";
}

void TestErrorBodyParser::streamObject() {
    QFETCH(QByteArray, json);
    QFETCH(QString, type);
    QFETCH(bool, retryable);
    QFETCH(QString, messageContains);
    QFETCH(QString, providerCode);

    QJsonParseError parseError;
    const QJsonObject root = QJsonDocument::fromJson(json, &parseError).object();
    QCOMPARE(parseError.error, QJsonParseError::NoError);
    QVERIFY(ErrorBodyParser::isErrorObject(root));

    const ProviderError error = ErrorBodyParser::fromStreamObject(root);
    QCOMPARE(errorTypeName(error.type), type);
    QCOMPARE(error.retryable, retryable);
    QVERIFY2(error.message.contains(messageContains), qPrintable(error.message));
    QCOMPARE(error.providerCode, providerCode);
    QVERIFY(!error.httpStatus.has_value());
}

void TestErrorBodyParser::isErrorObject_data() {
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<bool>("isError");

    QTest::newRow("error object") << QByteArray(R"({"error":{"message":"x"}})") << true;
    QTest::newRow("error string (Ollama)") << QByteArray(R"({"error":"boom"})") << true;
    QTest::newRow("Anthropic type error") << QByteArray(R"({"type":"error","error":{"type":"x"}})") << true;
    QTest::newRow("vLLM object error") << QByteArray(R"({"object":"error","message":"x"})") << true;
    QTest::newRow("empty error string") << QByteArray(R"({"error":""})") << false;
    QTest::newRow("null error") << QByteArray(R"({"error":null,"choices":[]})") << false;
    QTest::newRow("OpenAI chunk") << QByteArray(R"({"object":"chat.completion.chunk","choices":[]})")
                                  << false;
    QTest::newRow("Anthropic message_start")
        << QByteArray(R"({"type":"message_start","message":{}})") << false;
    QTest::newRow("Ollama line") << QByteArray(R"({"message":{"content":"error"},"done":false})") << false;
}

void TestErrorBodyParser::isErrorObject() {
    QFETCH(QByteArray, json);
    QFETCH(bool, isError);
    QCOMPARE(ErrorBodyParser::isErrorObject(QJsonDocument::fromJson(json).object()), isError);
}

void TestErrorBodyParser::statusTable_data() {
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("type");
    QTest::addColumn<bool>("retryable");

    QTest::newRow("400") << 400 << "invalid_request" << false;
    QTest::newRow("401") << 401 << "auth" << false;
    QTest::newRow("402") << 402 << "permission" << false;
    QTest::newRow("403") << 403 << "permission" << false;
    QTest::newRow("404") << 404 << "not_found" << false;
    QTest::newRow("408") << 408 << "timeout" << true;
    QTest::newRow("409") << 409 << "server" << true;
    QTest::newRow("413") << 413 << "context_length" << false;
    QTest::newRow("422") << 422 << "invalid_request" << false;
    QTest::newRow("429") << 429 << "rate_limited" << true;
    QTest::newRow("500") << 500 << "server" << true;
    QTest::newRow("502") << 502 << "server" << true;
    QTest::newRow("503") << 503 << "overloaded" << true;
    QTest::newRow("504") << 504 << "timeout" << true;
    QTest::newRow("529") << 529 << "overloaded" << true;
    QTest::newRow("599") << 599 << "server" << true;
}

void TestErrorBodyParser::statusTable() {
    QFETCH(int, status);
    QFETCH(QString, type);
    QFETCH(bool, retryable);
    QCOMPARE(errorTypeName(ProviderError::typeForHttpStatus(status)), type);
    QCOMPARE(ProviderError::isRetryableHttpStatus(status), retryable);
}

void TestErrorBodyParser::typeNames() {
    const QList<QPair<ErrorType, QString>> names{
        {ErrorType::Auth, "auth"},
        {ErrorType::Permission, "permission"},
        {ErrorType::NotFound, "not_found"},
        {ErrorType::InvalidRequest, "invalid_request"},
        {ErrorType::ContextLength, "context_length"},
        {ErrorType::RateLimited, "rate_limited"},
        {ErrorType::Overloaded, "overloaded"},
        {ErrorType::Server, "server"},
        {ErrorType::Network, "network"},
        {ErrorType::Timeout, "timeout"},
        {ErrorType::Cancelled, "cancelled"},
        {ErrorType::Budget, "budget"},
        {ErrorType::Blocked, "blocked"},
    };
    for (const auto& [type, name] : names)
        QCOMPARE(errorTypeName(type), name);
}

QTEST_GUILESS_MAIN(TestErrorBodyParser)
#include "TestErrorBodyParser.moc"
