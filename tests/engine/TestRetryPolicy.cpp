#include "engine/RetryPolicy.h"

#include <QJsonObject>
#include <QTest>

using namespace parallax;

namespace {

constexpr qint64 kNoRetry = -1; // the column value for "not retried"

qint64 orNoRetry(std::optional<qint64> value) {
    return value.value_or(kNoRetry);
}

std::function<double()> fixedRandom(double value) {
    return [value] { return value; };
}

// Just below 1: random() gives numbers in [0, 1).
const double kAlmostOne = 1.0 - 1e-12;

ProviderError retryableError(ErrorType type = ErrorType::Server, std::optional<int> status = 503) {
    ProviderError error;
    error.type = type;
    error.httpStatus = status;
    error.retryable = true;
    error.message = QStringLiteral("the server is unavailable");
    return error;
}

} // namespace

class TestRetryPolicy : public QObject {
    Q_OBJECT

private slots:
    void defaults();
    void backoff_data();
    void backoff();
    void jitterStaysWithinRange();
    void maxRetries_data();
    void maxRetries();
    void retryAfter_data();
    void retryAfter();
    void notRetried_data();
    void notRetried();
    void fromSettings_data();
    void fromSettings();
};

void TestRetryPolicy::defaults() {
    const RetryPolicy policy;
    QCOMPARE(policy.maxRetries, 2);
    QCOMPARE(policy.maxRetryAfterMs, qint64(60'000));
}

void TestRetryPolicy::backoff_data() {
    QTest::addColumn<int>("retriesSoFar");
    QTest::addColumn<double>("random");
    QTest::addColumn<qint64>("expectedMs");

    QTest::newRow("first retry, no jitter") << 0 << 0.0 << qint64(500);
    QTest::newRow("second retry, no jitter") << 1 << 0.0 << qint64(1'000);
    QTest::newRow("third retry, no jitter") << 2 << 0.0 << qint64(2'000);
    QTest::newRow("fourth retry, no jitter") << 3 << 0.0 << qint64(4'000);
    QTest::newRow("fifth retry reaches the cap") << 4 << 0.0 << qint64(8'000);
    QTest::newRow("sixth retry stays at the cap") << 5 << 0.0 << qint64(8'000);
    QTest::newRow("tenth retry stays at the cap") << 9 << 0.0 << qint64(8'000);
    QTest::newRow("first retry, full jitter is 75 %") << 0 << kAlmostOne << qint64(375);
    QTest::newRow("second retry, full jitter") << 1 << kAlmostOne << qint64(750);
    QTest::newRow("capped retry, full jitter") << 7 << kAlmostOne << qint64(6'000);
    QTest::newRow("first retry, half jitter") << 0 << 0.5 << qint64(438); // 500 × 0.875 = 437.5
    QTest::newRow("second retry, half jitter") << 1 << 0.5 << qint64(875);
}

void TestRetryPolicy::backoff() {
    QFETCH(int, retriesSoFar);
    QFETCH(double, random);
    QFETCH(qint64, expectedMs);

    RetryPolicy policy;
    policy.maxRetries = 10;
    QCOMPARE(orNoRetry(policy.delayBeforeRetry(retryableError(), retriesSoFar, false, fixedRandom(random))),
             expectedMs);
}

void TestRetryPolicy::jitterStaysWithinRange() {
    RetryPolicy policy;
    policy.maxRetries = 10;
    for (int retries = 0; retries < 10; ++retries) {
        const qint64 full = std::min<qint64>(500LL << retries, 8'000);
        for (double random = 0.0; random < 1.0; random += 0.0625) {
            const auto delay = policy.delayBeforeRetry(retryableError(), retries, false, fixedRandom(random));
            QVERIFY(delay);
            QVERIFY2(*delay <= full && *delay >= full * 3 / 4,
                     qPrintable(
                         QStringLiteral("retry %1, random %2: %3 ms").arg(retries).arg(random).arg(*delay)));
        }
    }
}

void TestRetryPolicy::maxRetries_data() {
    QTest::addColumn<int>("maxRetries");
    QTest::addColumn<int>("retriesSoFar");
    QTest::addColumn<bool>("retried");

    QTest::newRow("default: first retry") << 2 << 0 << true;
    QTest::newRow("default: second retry") << 2 << 1 << true;
    QTest::newRow("default: no third retry") << 2 << 2 << false;
    QTest::newRow("default: far past the limit") << 2 << 7 << false;
    QTest::newRow("zero retries") << 0 << 0 << false;
    QTest::newRow("one retry allowed") << 1 << 0 << true;
    QTest::newRow("one retry used") << 1 << 1 << false;
    QTest::newRow("five retries: fifth") << 5 << 4 << true;
    QTest::newRow("five retries: sixth") << 5 << 5 << false;
}

void TestRetryPolicy::maxRetries() {
    QFETCH(int, maxRetries);
    QFETCH(int, retriesSoFar);
    QFETCH(bool, retried);

    RetryPolicy policy;
    policy.maxRetries = maxRetries;
    QCOMPARE(policy.delayBeforeRetry(retryableError(), retriesSoFar, false, fixedRandom(0)).has_value(),
             retried);
}

void TestRetryPolicy::retryAfter_data() {
    QTest::addColumn<qint64>("retryAfterMs");
    QTest::addColumn<int>("retriesSoFar");
    QTest::addColumn<qint64>("expectedMs");

    QTest::newRow("1 s honoured") << qint64(1'000) << 0 << qint64(1'000);
    QTest::newRow("honoured on the second retry, no backoff added") << qint64(1'000) << 1 << qint64(1'000);
    QTest::newRow("below the backoff") << qint64(20) << 0 << qint64(20);
    QTest::newRow("above the 8 s backoff cap") << qint64(30'000) << 0 << qint64(30'000);
    QTest::newRow("exactly 60 s") << qint64(60'000) << 0 << qint64(60'000);
    QTest::newRow("just above 60 s: fall back at once") << qint64(60'001) << 0 << kNoRetry;
    QTest::newRow("300 s: fall back at once") << qint64(300'000) << 0 << kNoRetry;
    QTest::newRow("zero: ordinary backoff") << qint64(0) << 0 << qint64(500);
    QTest::newRow("zero on the second retry: ordinary backoff") << qint64(0) << 1 << qint64(1'000);
    QTest::newRow("negative: ordinary backoff") << qint64(-5) << 0 << qint64(500);
    QTest::newRow("honoured wait does not beat max retries") << qint64(1'000) << 2 << kNoRetry;
}

void TestRetryPolicy::retryAfter() {
    QFETCH(qint64, retryAfterMs);
    QFETCH(int, retriesSoFar);
    QFETCH(qint64, expectedMs);

    ProviderError error = retryableError(ErrorType::RateLimited, 429);
    error.retryAfterMs = retryAfterMs;
    QCOMPARE(orNoRetry(RetryPolicy().delayBeforeRetry(error, retriesSoFar, false, fixedRandom(0.0))),
             expectedMs);
    // A wait the provider asked for is not shortened by jitter.
    if (expectedMs != kNoRetry && retryAfterMs > 0)
        QCOMPARE(orNoRetry(RetryPolicy().delayBeforeRetry(error, retriesSoFar, false, fixedRandom(0.9))),
                 expectedMs);
}

void TestRetryPolicy::notRetried_data() {
    QTest::addColumn<int>("type");
    QTest::addColumn<int>("httpStatus");
    QTest::addColumn<bool>("retryable");
    QTest::addColumn<bool>("answerTextShown");
    QTest::addColumn<bool>("retried");

    const auto add = [](const char* name, ErrorType type, int status, bool retryable, bool shown,
                        bool retried) {
        QTest::newRow(name) << static_cast<int>(type) << status << retryable << shown << retried;
    };
    add("503 retried", ErrorType::Server, 503, true, false, true);
    add("529 overloaded retried", ErrorType::Overloaded, 529, true, false, true);
    add("429 retried", ErrorType::RateLimited, 429, true, false, true);
    add("408 retried", ErrorType::Timeout, 408, true, false, true);
    add("network error retried", ErrorType::Network, 0, true, false, true);
    add("401 auth not retryable", ErrorType::Auth, 401, false, false, false);
    add("400 invalid request not retryable", ErrorType::InvalidRequest, 400, false, false, false);
    add("404 not found not retryable", ErrorType::NotFound, 404, false, false, false);
    add("context length not retryable", ErrorType::ContextLength, 400, false, false, false);
    add("429 insufficient_quota not retryable", ErrorType::RateLimited, 429, false, false, false);
    add("503 after answer text was shown", ErrorType::Server, 503, true, true, false);
    add("network error after answer text was shown", ErrorType::Network, 0, true, true, false);
    add("cancelled, even if marked retryable", ErrorType::Cancelled, 0, true, false, false);
    add("budget, even if marked retryable", ErrorType::Budget, 0, true, false, false);
    add("cancelled", ErrorType::Cancelled, 0, false, false, false);
    add("budget", ErrorType::Budget, 0, false, false, false);
}

void TestRetryPolicy::notRetried() {
    QFETCH(int, type);
    QFETCH(int, httpStatus);
    QFETCH(bool, retryable);
    QFETCH(bool, answerTextShown);
    QFETCH(bool, retried);

    ProviderError error;
    error.type = static_cast<ErrorType>(type);
    if (httpStatus > 0)
        error.httpStatus = httpStatus;
    error.retryable = retryable;
    const RetryPolicy policy;
    QCOMPARE(policy.delayBeforeRetry(error, 0, answerTextShown, fixedRandom(0)).has_value(), retried);
    // A short requested wait changes nothing about whether to retry.
    error.retryAfterMs = 1'000;
    QCOMPARE(policy.delayBeforeRetry(error, 0, answerTextShown, fixedRandom(0)).has_value(), retried);
}

void TestRetryPolicy::fromSettings_data() {
    QTest::addColumn<QJsonObject>("settings");
    QTest::addColumn<int>("maxRetries");
    QTest::addColumn<qint64>("maxRetryAfterMs");

    QTest::newRow("empty: defaults") << QJsonObject() << 2 << qint64(60'000);
    QTest::newRow("both set") << QJsonObject{{"max_retries", 4}, {"max_retry_after_seconds", 30}} << 4
                              << qint64(30'000);
    QTest::newRow("fractional seconds")
        << QJsonObject{{"max_retry_after_seconds", 1.5}} << 2 << qint64(1'500);
    QTest::newRow("zero retries") << QJsonObject{{"max_retries", 0}} << 0 << qint64(60'000);
    QTest::newRow("negative retries clamped") << QJsonObject{{"max_retries", -3}} << 0 << qint64(60'000);
    QTest::newRow("huge retries clamped") << QJsonObject{{"max_retries", 1000}} << 10 << qint64(60'000);
    QTest::newRow("huge wait clamped to an hour")
        << QJsonObject{{"max_retry_after_seconds", 1e9}} << 2 << qint64(3'600'000);
    QTest::newRow("negative wait clamped to zero")
        << QJsonObject{{"max_retry_after_seconds", -1}} << 2 << qint64(0);
    QTest::newRow("strings ignored") << QJsonObject{{"max_retries", "5"}, {"max_retry_after_seconds", "10"}}
                                     << 2 << qint64(60'000);
    QTest::newRow("null ignored") << QJsonObject{{"max_retries", QJsonValue::Null}} << 2 << qint64(60'000);
}

void TestRetryPolicy::fromSettings() {
    QFETCH(QJsonObject, settings);
    QFETCH(int, maxRetries);
    QFETCH(qint64, maxRetryAfterMs);

    const RetryPolicy policy = RetryPolicy::fromSettings(settings);
    QCOMPARE(policy.maxRetries, maxRetries);
    QCOMPARE(policy.maxRetryAfterMs, maxRetryAfterMs);

    // The loaded limits are the ones applied.
    ProviderError error = retryableError(ErrorType::RateLimited, 429);
    error.retryAfterMs = maxRetryAfterMs + 1;
    QVERIFY(!policy.delayBeforeRetry(error, 0, false, fixedRandom(0)));
    QCOMPARE(policy.delayBeforeRetry(retryableError(), maxRetries, false, fixedRandom(0)).has_value(), false);
    if (maxRetries > 0)
        QVERIFY(policy.delayBeforeRetry(retryableError(), maxRetries - 1, false, fixedRandom(0)));
}

QTEST_GUILESS_MAIN(TestRetryPolicy)
#include "TestRetryPolicy.moc"
