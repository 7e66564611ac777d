#include "net/RetryAfterParser.h"

#include <QTest>

using namespace parallax;

namespace {

// Monday 2025-02-24 22:25:17 UTC: every date below is relative to this fixed moment.
const QDateTime kNow(QDate(2025, 2, 24), QTime(22, 25, 17), Qt::UTC);

constexpr qint64 kNone = -1; // the column value for "no wait"

qint64 orNone(std::optional<qint64> value) {
    return value.value_or(kNone);
}

} // namespace

class TestRetryAfterParser : public QObject {
    Q_OBJECT

private slots:
    void retryAfter_data();
    void retryAfter();
    void goDuration_data();
    void goDuration();
    void fromHeaders_data();
    void fromHeaders();
};

void TestRetryAfterParser::retryAfter_data() {
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<qint64>("expectedMs");

    QTest::newRow("seconds") << QByteArray("30") << qint64(30'000);
    QTest::newRow("zero") << QByteArray("0") << qint64(0);
    QTest::newRow("fractional") << QByteArray("1.5") << qint64(1'500);
    QTest::newRow("fractional below 1") << QByteArray("0.25") << qint64(250);
    QTest::newRow("surrounding spaces") << QByteArray(" 7 ") << qint64(7'000);
    QTest::newRow("IMF-fixdate 30 s ahead") << QByteArray("Mon, 24 Feb 2025 22:25:47 GMT") << qint64(30'000);
    QTest::newRow("IMF-fixdate next day") << QByteArray("Tue, 25 Feb 2025 00:00:17 GMT") << qint64(5'700'000);
    QTest::newRow("IMF-fixdate in the past is no wait")
        << QByteArray("Mon, 24 Feb 2025 22:00:00 GMT") << qint64(0);
    QTest::newRow("asctime") << QByteArray("Mon Feb 24 22:25:47 2025") << qint64(30'000);
    QTest::newRow("RFC 850") << QByteArray("Monday, 24-Feb-25 22:25:47 GMT") << qint64(30'000);
    QTest::newRow("negative") << QByteArray("-5") << kNone;
    QTest::newRow("garbage") << QByteArray("soon") << kNone;
    QTest::newRow("empty") << QByteArray("") << kNone;
    QTest::newRow("infinity") << QByteArray("inf") << kNone;
    QTest::newRow("not a number") << QByteArray("nan") << kNone;
    QTest::newRow("number with unit") << QByteArray("30s") << kNone;
    QTest::newRow("date without GMT") << QByteArray("Mon, 24 Feb 2025 22:25:47") << kNone;
}

void TestRetryAfterParser::retryAfter() {
    QFETCH(QByteArray, value);
    QFETCH(qint64, expectedMs);
    QCOMPARE(orNone(RetryAfterParser::parseRetryAfter(value, kNow)), expectedMs);
}

void TestRetryAfterParser::goDuration_data() {
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<qint64>("expectedMs");

    QTest::newRow("1s") << QByteArray("1s") << qint64(1'000);
    QTest::newRow("6m0s") << QByteArray("6m0s") << qint64(360'000);
    QTest::newRow("2m59.56s") << QByteArray("2m59.56s") << qint64(179'560);
    QTest::newRow("20ms") << QByteArray("20ms") << qint64(20);
    QTest::newRow("1h2m") << QByteArray("1h2m") << qint64(3'720'000);
    QTest::newRow("1h0m0s") << QByteArray("1h0m0s") << qint64(3'600'000);
    QTest::newRow("0.5s") << QByteArray("0.5s") << qint64(500);
    QTest::newRow("0s") << QByteArray("0s") << qint64(0);
    QTest::newRow("2000us") << QByteArray("2000us") << qint64(2);
    QTest::newRow("3000000ns") << QByteArray("3000000ns") << qint64(3);
    // Go's String() writes microseconds with the micro sign U+00B5 (C2 B5 in UTF-8).
    QTest::newRow("2000µs") << QByteArray("2000\xC2\xB5s") << qint64(2);
    QTest::newRow("plain integer is seconds (Azure)") << QByteArray("12") << qint64(12'000);
    QTest::newRow("plain fraction is seconds") << QByteArray("0.75") << qint64(750);
    QTest::newRow("spaces around") << QByteArray(" 6m0s ") << qint64(360'000);
    QTest::newRow("empty") << QByteArray("") << kNone;
    QTest::newRow("unit only") << QByteArray("s") << kNone;
    QTest::newRow("unknown unit") << QByteArray("3d") << kNone;
    QTest::newRow("number after the last unit") << QByteArray("1m30") << kNone;
    QTest::newRow("negative") << QByteArray("-1s") << kNone;
    QTest::newRow("garbage") << QByteArray("later") << kNone;
    QTest::newRow("two dots") << QByteArray("1.2.3s") << kNone;
}

void TestRetryAfterParser::goDuration() {
    QFETCH(QByteArray, value);
    QFETCH(qint64, expectedMs);
    QCOMPARE(orNone(RetryAfterParser::parseDurationMs(value)), expectedMs);
}

void TestRetryAfterParser::fromHeaders_data() {
    QTest::addColumn<HttpHeaders>("headers");
    QTest::addColumn<bool>("includeRateLimitResets");
    QTest::addColumn<qint64>("expectedMs");

    QTest::newRow("no headers") << HttpHeaders{} << true << kNone;
    QTest::newRow("retry-after seconds") << HttpHeaders{{"retry-after", "30"}} << false << qint64(30'000);
    QTest::newRow("header name case ignored") << HttpHeaders{{"Retry-After", "2"}} << false << qint64(2'000);
    QTest::newRow("retry-after fractional") << HttpHeaders{{"retry-after", "0.5"}} << false << qint64(500);
    QTest::newRow("retry-after date")
        << HttpHeaders{{"retry-after", "Mon, 24 Feb 2025 22:26:17 GMT"}} << false << qint64(60'000);
    QTest::newRow("retry-after-ms wins over retry-after")
        << HttpHeaders{{"retry-after", "30"}, {"retry-after-ms", "1500"}} << false << qint64(1'500);
    QTest::newRow("retry-after-ms fractional")
        << HttpHeaders{{"retry-after-ms", "250.4"}} << false << qint64(250);
    QTest::newRow("negative retry-after-ms falls back to retry-after")
        << HttpHeaders{{"retry-after-ms", "-5"}, {"retry-after", "2"}} << false << qint64(2'000);
    QTest::newRow("garbage retry-after-ms falls back to retry-after")
        << HttpHeaders{{"retry-after-ms", "abc"}, {"retry-after", "2"}} << false << qint64(2'000);
    QTest::newRow("negative retry-after ignored") << HttpHeaders{{"retry-after", "-1"}} << false << kNone;
    QTest::newRow("garbage retry-after ignored") << HttpHeaders{{"retry-after", "tomorrow"}} << true << kNone;

    const HttpHeaders openAiRequestsExhausted{
        {"x-ratelimit-limit-requests", "500"},     {"x-ratelimit-remaining-requests", "0"},
        {"x-ratelimit-reset-requests", "20ms"},    {"x-ratelimit-limit-tokens", "30000"},
        {"x-ratelimit-remaining-tokens", "29000"}, {"x-ratelimit-reset-tokens", "6m0s"},
    };
    QTest::newRow("OpenAI: the exhausted limit's reset") << openAiRequestsExhausted << true << qint64(20);
    QTest::newRow("OpenAI: resets ignored when not asked") << openAiRequestsExhausted << false << kNone;
    QTest::newRow("OpenAI: tokens exhausted") << HttpHeaders{{"x-ratelimit-remaining-requests", "499"},
                                                             {"x-ratelimit-reset-requests", "1s"},
                                                             {"x-ratelimit-remaining-tokens", "0"},
                                                             {"x-ratelimit-reset-tokens", "2m59.56s"}}
                                              << true << qint64(179'560);
    QTest::newRow("OpenAI: none exhausted, the latest reset")
        << HttpHeaders{{"x-ratelimit-remaining-requests", "3"},
                       {"x-ratelimit-reset-requests", "1s"},
                       {"x-ratelimit-remaining-tokens", "10"},
                       {"x-ratelimit-reset-tokens", "1h2m"}}
        << true << qint64(3'720'000);
    QTest::newRow("OpenAI: mixed-case header names") << HttpHeaders{{"X-RateLimit-Remaining-Tokens", "0"},
                                                                    {"X-RateLimit-Reset-Tokens", "6m0s"},
                                                                    {"X-RateLimit-Remaining-Requests", "10"},
                                                                    {"X-RateLimit-Reset-Requests", "1h2m"}}
                                                     << true << qint64(360'000);
    QTest::newRow("OpenAI: retry-after wins over resets")
        << HttpHeaders{{"x-ratelimit-remaining-requests", "0"},
                       {"x-ratelimit-reset-requests", "6m0s"},
                       {"retry-after", "3"}}
        << true << qint64(3'000);
    QTest::newRow("OpenAI: unparsable reset ignored") << HttpHeaders{{"x-ratelimit-remaining-requests", "0"},
                                                                     {"x-ratelimit-reset-requests", "soon"},
                                                                     {"x-ratelimit-remaining-tokens", "5"},
                                                                     {"x-ratelimit-reset-tokens", "20ms"}}
                                                      << true << qint64(20);

    const HttpHeaders anthropicTokensExhausted{
        {"anthropic-ratelimit-requests-limit", "50"},
        {"anthropic-ratelimit-requests-remaining", "49"},
        {"anthropic-ratelimit-requests-reset", "2025-02-24T22:26:17Z"},
        {"anthropic-ratelimit-input-tokens-limit", "40000"},
        {"anthropic-ratelimit-input-tokens-remaining", "0"},
        {"anthropic-ratelimit-input-tokens-reset", "2025-02-24T22:25:47Z"},
    };
    QTest::newRow("Anthropic: the exhausted limit's reset")
        << anthropicTokensExhausted << true << qint64(30'000);
    QTest::newRow("Anthropic: resets ignored when not asked") << anthropicTokensExhausted << false << kNone;
    QTest::newRow("Anthropic: none exhausted, the latest reset")
        << HttpHeaders{{"anthropic-ratelimit-requests-remaining", "3"},
                       {"anthropic-ratelimit-requests-reset", "2025-02-24T22:26:17Z"},
                       {"anthropic-ratelimit-tokens-remaining", "100"},
                       {"anthropic-ratelimit-tokens-reset", "2025-02-24T22:25:27Z"}}
        << true << qint64(60'000);
    QTest::newRow("Anthropic: RFC 3339 with offset")
        << HttpHeaders{{"anthropic-ratelimit-requests-remaining", "0"},
                       {"anthropic-ratelimit-requests-reset", "2025-02-24T23:25:47+01:00"}}
        << true << qint64(30'000);
    QTest::newRow("Anthropic: RFC 3339 with milliseconds")
        << HttpHeaders{{"anthropic-ratelimit-output-tokens-remaining", "0"},
                       {"anthropic-ratelimit-output-tokens-reset", "2025-02-24T22:25:47.500Z"}}
        << true << qint64(30'500);
    QTest::newRow("Anthropic: reset in the past is no wait")
        << HttpHeaders{{"anthropic-ratelimit-requests-remaining", "0"},
                       {"anthropic-ratelimit-requests-reset", "2025-02-24T22:00:00Z"}}
        << true << qint64(0);
    QTest::newRow("Anthropic: retry-after wins over resets")
        << HttpHeaders{{"retry-after", "12"},
                       {"anthropic-ratelimit-requests-remaining", "0"},
                       {"anthropic-ratelimit-requests-reset", "2025-02-24T22:26:17Z"}}
        << true << qint64(12'000);
}

void TestRetryAfterParser::fromHeaders() {
    QFETCH(HttpHeaders, headers);
    QFETCH(bool, includeRateLimitResets);
    QFETCH(qint64, expectedMs);
    QCOMPARE(orNone(RetryAfterParser::fromHeaders(headers, includeRateLimitResets, kNow)), expectedMs);
}

QTEST_GUILESS_MAIN(TestRetryAfterParser)
#include "TestRetryAfterParser.moc"
