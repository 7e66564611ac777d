#include "net/RateLimiter.h"

#include <QJsonObject>
#include <QTest>

using namespace parallax;

namespace {

const QUrl kOpenAi(QStringLiteral("https://api.openai.com/v1"));
const QUrl kLocal(QStringLiteral("http://127.0.0.1:8080/v1"));

// 2025-02-24 22:25:17 UTC, as ms since the epoch: header dates below are relative to it.
const qint64 kNow = QDateTime(QDate(2025, 2, 24), QTime(22, 25, 17), Qt::UTC).toMSecsSinceEpoch();

QJsonObject limits(double rpm, double tpm = 0) {
    QJsonObject entry;
    if (rpm > 0)
        entry.insert(QStringLiteral("requests_per_minute"), rpm);
    if (tpm > 0)
        entry.insert(QStringLiteral("tokens_per_minute"), tpm);
    return entry;
}

} // namespace

class TestRateLimiter : public QObject {
    Q_OBJECT

private slots:
    void noLimitNeverWaits();
    void requestsPerMinute_data();
    void requestsPerMinute();
    void refillsOverTime();
    void waitingTakesNothing();
    void tokensPerMinute();
    void requestLargerThanAMinutesTokens();
    void configureByHostAndPort();
    void configureReplacesEarlierSettings();
    void settingsKeysForAnEndpoint();
    void observeHeaders_data();
    void observeHeaders();
    void observeHeadersOnlyBlocksItsBucket();
    void blockFor();
    void bucketFor();
};

void TestRateLimiter::noLimitNeverWaits() {
    RateLimiter limiter;
    const QString bucket = RateLimiter::bucketFor(kOpenAi, QStringLiteral("k"));
    for (int i = 0; i < 10'000; ++i)
        QCOMPARE(limiter.tryAcquire(bucket, kOpenAi, 1'000'000, kNow), qint64(0));

    limiter.configure(QJsonObject{{"other.example.com", limits(1, 1)}});
    for (int i = 0; i < 100; ++i)
        QCOMPARE(limiter.tryAcquire(bucket, kOpenAi, 1'000'000, kNow), qint64(0));
}

void TestRateLimiter::requestsPerMinute_data() {
    QTest::addColumn<double>("rpm");
    QTest::addColumn<qint64>("expectedWaitMs");

    QTest::newRow("60/min") << 60.0 << qint64(1'000);
    QTest::newRow("120/min") << 120.0 << qint64(500);
    QTest::newRow("1/min") << 1.0 << qint64(60'000);
    QTest::newRow("7/min") << 7.0 << qint64(8'572); // ceil(60000 / 7)
    QTest::newRow("500/min") << 500.0 << qint64(120);
}

void TestRateLimiter::requestsPerMinute() {
    QFETCH(double, rpm);
    QFETCH(qint64, expectedWaitMs);

    RateLimiter limiter;
    limiter.configure(QJsonObject{{"api.openai.com", limits(rpm)}});
    const QString bucket = RateLimiter::bucketFor(kOpenAi, QStringLiteral("key"));

    // The bucket starts full: a minute's worth of requests at once.
    for (int i = 0; i < static_cast<int>(rpm); ++i)
        QCOMPARE(limiter.tryAcquire(bucket, kOpenAi, 10, kNow), qint64(0));
    QCOMPARE(limiter.tryAcquire(bucket, kOpenAi, 10, kNow), expectedWaitMs);

    // After that wait exactly one more request fits, then the next waits a full interval again.
    QVERIFY(limiter.tryAcquire(bucket, kOpenAi, 10, kNow + expectedWaitMs - 1) > 0);
    QCOMPARE(limiter.tryAcquire(bucket, kOpenAi, 10, kNow + expectedWaitMs), qint64(0));
    const qint64 next = limiter.tryAcquire(bucket, kOpenAi, 10, kNow + expectedWaitMs);
    QVERIFY(qAbs(next - static_cast<qint64>(60'000.0 / rpm)) <= 1);
}

void TestRateLimiter::refillsOverTime() {
    RateLimiter limiter;
    limiter.configure(QJsonObject{{"api.openai.com", limits(60)}});
    const QString bucket = RateLimiter::bucketFor(kOpenAi, QStringLiteral("key"));
    for (int i = 0; i < 60; ++i)
        QCOMPARE(limiter.tryAcquire(bucket, kOpenAi, 1, kNow), qint64(0));

    // Ten seconds refill ten requests, not more.
    const qint64 later = kNow + 10'000;
    for (int i = 0; i < 10; ++i)
        QCOMPARE(limiter.tryAcquire(bucket, kOpenAi, 1, later), qint64(0));
    QCOMPARE(limiter.tryAcquire(bucket, kOpenAi, 1, later), qint64(1'000));

    // An idle hour refills to the cap, a minute's worth, not an hour's.
    const qint64 muchLater = later + 3'600'000;
    for (int i = 0; i < 60; ++i)
        QCOMPARE(limiter.tryAcquire(bucket, kOpenAi, 1, muchLater), qint64(0));
    QCOMPARE(limiter.tryAcquire(bucket, kOpenAi, 1, muchLater), qint64(1'000));
}

void TestRateLimiter::waitingTakesNothing() {
    RateLimiter limiter;
    limiter.configure(QJsonObject{{"api.openai.com", limits(60)}});
    const QString bucket = RateLimiter::bucketFor(kOpenAi, QStringLiteral("key"));
    for (int i = 0; i < 60; ++i)
        limiter.tryAcquire(bucket, kOpenAi, 1, kNow);

    // Asking again and again while empty does not push the wait further out.
    for (int i = 0; i < 20; ++i)
        QCOMPARE(limiter.tryAcquire(bucket, kOpenAi, 1, kNow + 500), qint64(500));
    QCOMPARE(limiter.tryAcquire(bucket, kOpenAi, 1, kNow + 1'000), qint64(0));
}

void TestRateLimiter::tokensPerMinute() {
    RateLimiter limiter;
    limiter.configure(QJsonObject{{"api.openai.com", limits(0, 60'000)}});
    const QString bucket = RateLimiter::bucketFor(kOpenAi, QStringLiteral("key"));

    QCOMPARE(limiter.tryAcquire(bucket, kOpenAi, 40'000, kNow), qint64(0));
    QCOMPARE(limiter.tryAcquire(bucket, kOpenAi, 20'000, kNow), qint64(0));
    // Empty: 30 000 tokens come back in 30 s at 1 000 tokens/s.
    QCOMPARE(limiter.tryAcquire(bucket, kOpenAi, 30'000, kNow), qint64(30'000));
    QCOMPARE(limiter.tryAcquire(bucket, kOpenAi, 30'000, kNow + 10'000), qint64(20'000));
    QCOMPARE(limiter.tryAcquire(bucket, kOpenAi, 30'000, kNow + 30'000), qint64(0));
    // A small request still fits while a big one waits.
    QCOMPARE(limiter.tryAcquire(bucket, kOpenAi, 5'000, kNow + 35'000), qint64(0));
    QCOMPARE(limiter.tryAcquire(bucket, kOpenAi, 5'000, kNow + 35'000), qint64(5'000));
}

void TestRateLimiter::requestLargerThanAMinutesTokens() {
    RateLimiter limiter;
    limiter.configure(QJsonObject{{"api.openai.com", limits(0, 10'000)}});
    const QString bucket = RateLimiter::bucketFor(kOpenAi, QStringLiteral("key"));

    // More than a whole minute's tokens: it goes when the bucket is full, rather than never.
    QCOMPARE(limiter.tryAcquire(bucket, kOpenAi, 50'000, kNow), qint64(0));
    QCOMPARE(limiter.tryAcquire(bucket, kOpenAi, 50'000, kNow), qint64(60'000));
    QCOMPARE(limiter.tryAcquire(bucket, kOpenAi, 50'000, kNow + 60'000), qint64(0));
}

void TestRateLimiter::configureByHostAndPort() {
    RateLimiter limiter;
    limiter.configure(
        QJsonObject{{"127.0.0.1", limits(1)}, {"127.0.0.1:8080", limits(2)}, {"API.OpenAI.com", limits(3)}});

    const QUrl onPort(QStringLiteral("http://127.0.0.1:8080/v1"));
    const QUrl otherPort(QStringLiteral("http://127.0.0.1:9090/v1"));
    const QUrl noPort(QStringLiteral("http://127.0.0.1/v1"));

    int keys = 0; // a fresh key each time, so every measure starts with a full bucket
    const auto capacity = [&limiter, &keys](const QUrl& url) {
        const QString bucket = RateLimiter::bucketFor(url, QStringLiteral("key-%1").arg(++keys));
        int granted = 0;
        while (limiter.tryAcquire(bucket, url, 1, kNow) == 0 && granted < 100)
            ++granted;
        return granted;
    };
    QCOMPARE(capacity(onPort), 2);    // host:port wins over host
    QCOMPARE(capacity(otherPort), 1); // another port falls back to the host's limit
    QCOMPARE(capacity(noPort), 1);
    QCOMPARE(capacity(kOpenAi), 3); // hosts compare case-insensitively
    QCOMPARE(capacity(QUrl(QStringLiteral("https://API.OPENAI.COM/v1"))), 3);
    QCOMPARE(capacity(QUrl(QStringLiteral("https://api.anthropic.com"))), 100); // not configured
}

void TestRateLimiter::configureReplacesEarlierSettings() {
    RateLimiter limiter;
    limiter.configure(QJsonObject{{"api.openai.com", limits(1)}});
    limiter.configure(QJsonObject{});
    const QString bucket = RateLimiter::bucketFor(kOpenAi, QStringLiteral("key"));
    for (int i = 0; i < 10; ++i)
        QCOMPARE(limiter.tryAcquire(bucket, kOpenAi, 1, kNow), qint64(0));
}

void TestRateLimiter::settingsKeysForAnEndpoint() {
    // A new entry: the host alone where the port is the scheme's own, host:port for a local server.
    QCOMPARE(RateLimiter::endpointKey(kOpenAi), QStringLiteral("api.openai.com"));
    QCOMPARE(RateLimiter::endpointKey(QUrl(QStringLiteral("https://API.openai.com:443/v1"))),
             QStringLiteral("api.openai.com"));
    QCOMPARE(RateLimiter::endpointKey(kLocal), QStringLiteral("127.0.0.1:8080"));
    QCOMPARE(RateLimiter::endpointKey(QUrl(QStringLiteral("http://localhost:11434"))),
             QStringLiteral("localhost:11434"));

    // An existing entry is found where the limiter looks: host:port before host, any case.
    QCOMPARE(RateLimiter::configuredKey({}, kOpenAi), QString());
    const QJsonObject byHost{{"API.OpenAI.com", limits(5)}, {"127.0.0.1", limits(7)}};
    QCOMPARE(RateLimiter::configuredKey(byHost, kOpenAi), QStringLiteral("API.OpenAI.com"));
    QCOMPARE(RateLimiter::configuredKey(byHost, kLocal), QStringLiteral("127.0.0.1"));
    const QJsonObject both{
        {"127.0.0.1", limits(7)}, {"127.0.0.1:8080", limits(9)}, {"api.openai.com:443", limits(3)}};
    QCOMPARE(RateLimiter::configuredKey(both, kLocal), QStringLiteral("127.0.0.1:8080"));
    QCOMPARE(RateLimiter::configuredKey(both, kOpenAi), QStringLiteral("api.openai.com:443"));

    // What is written under endpointKey() is what the limiter applies.
    RateLimiter limiter;
    limiter.configure(QJsonObject{{RateLimiter::endpointKey(kLocal), limits(1)}});
    const QString bucket = RateLimiter::bucketFor(kLocal, QString());
    QCOMPARE(limiter.tryAcquire(bucket, kLocal, 1, kNow), 0);
    QVERIFY(limiter.tryAcquire(bucket, kLocal, 1, kNow) > 0);
}

void TestRateLimiter::observeHeaders_data() {
    QTest::addColumn<HttpHeaders>("headers");
    QTest::addColumn<qint64>("expectedWaitMs");

    QTest::newRow("OpenAI requests exhausted, 6m0s")
        << HttpHeaders{{"x-ratelimit-remaining-requests", "0"}, {"x-ratelimit-reset-requests", "6m0s"}}
        << qint64(360'000);
    QTest::newRow("OpenAI tokens exhausted, 1.5s")
        << HttpHeaders{{"x-ratelimit-remaining-tokens", "0"}, {"x-ratelimit-reset-tokens", "1.5s"}}
        << qint64(1'500);
    QTest::newRow("OpenAI both exhausted: the later reset")
        << HttpHeaders{{"x-ratelimit-remaining-requests", "0"},
                       {"x-ratelimit-reset-requests", "2s"},
                       {"x-ratelimit-remaining-tokens", "0"},
                       {"x-ratelimit-reset-tokens", "20s"}}
        << qint64(20'000);
    QTest::newRow("OpenAI header names in any case")
        << HttpHeaders{{"X-RateLimit-Remaining-Requests", "0"}, {"X-RateLimit-Reset-Requests", "6m0s"}}
        << qint64(360'000);
    QTest::newRow("OpenAI remaining above zero does not block")
        << HttpHeaders{{"x-ratelimit-remaining-requests", "1"}, {"x-ratelimit-reset-requests", "6m0s"}}
        << qint64(0);
    QTest::newRow("OpenAI only the exhausted limit's reset counts")
        << HttpHeaders{{"x-ratelimit-remaining-requests", "0"},
                       {"x-ratelimit-reset-requests", "3s"},
                       {"x-ratelimit-remaining-tokens", "5000"},
                       {"x-ratelimit-reset-tokens", "6m0s"}}
        << qint64(3'000);
    QTest::newRow("OpenAI exhausted without a reset header")
        << HttpHeaders{{"x-ratelimit-remaining-requests", "0"}} << qint64(0);
    QTest::newRow("Anthropic requests exhausted, RFC 3339 reset 30 s ahead")
        << HttpHeaders{{"anthropic-ratelimit-requests-remaining", "0"},
                       {"anthropic-ratelimit-requests-reset", "2025-02-24T22:25:47Z"}}
        << qint64(30'000);
    QTest::newRow("Anthropic input tokens exhausted, reset with milliseconds")
        << HttpHeaders{{"anthropic-ratelimit-input-tokens-remaining", "0"},
                       {"anthropic-ratelimit-input-tokens-reset", "2025-02-24T22:25:19.500Z"}}
        << qint64(2'500);
    QTest::newRow("Anthropic reset with microseconds")
        << HttpHeaders{{"anthropic-ratelimit-requests-remaining", "0"},
                       {"anthropic-ratelimit-requests-reset", "2025-02-24T22:25:27.250000Z"}}
        << qint64(10'250);
    QTest::newRow("Anthropic reset with an offset")
        << HttpHeaders{{"anthropic-ratelimit-tokens-remaining", "0"},
                       {"anthropic-ratelimit-tokens-reset", "2025-02-24T23:26:17+01:00"}}
        << qint64(60'000);
    QTest::newRow("Anthropic reset in the past does not block")
        << HttpHeaders{{"anthropic-ratelimit-requests-remaining", "0"},
                       {"anthropic-ratelimit-requests-reset", "2025-02-24T22:00:00Z"}}
        << qint64(0);
    QTest::newRow("Anthropic remaining above zero does not block")
        << HttpHeaders{{"anthropic-ratelimit-requests-remaining", "49"},
                       {"anthropic-ratelimit-requests-reset", "2025-02-24T22:30:00Z"}}
        << qint64(0);
    QTest::newRow("Anthropic unparsable reset")
        << HttpHeaders{{"anthropic-ratelimit-requests-remaining", "0"},
                       {"anthropic-ratelimit-requests-reset", "soon"}}
        << qint64(0);
    QTest::newRow("no rate-limit headers") << HttpHeaders{{"content-type", "application/json"}} << qint64(0);
}

void TestRateLimiter::observeHeaders() {
    QFETCH(HttpHeaders, headers);
    QFETCH(qint64, expectedWaitMs);

    RateLimiter limiter;
    const QString bucket = RateLimiter::bucketFor(kOpenAi, QStringLiteral("key"));
    limiter.observeHeaders(bucket, headers, kNow);

    QCOMPARE(limiter.tryAcquire(bucket, kOpenAi, 1, kNow), expectedWaitMs);
    if (expectedWaitMs > 0) {
        QCOMPARE(limiter.tryAcquire(bucket, kOpenAi, 1, kNow + expectedWaitMs - 1), qint64(1));
        QCOMPARE(limiter.tryAcquire(bucket, kOpenAi, 1, kNow + expectedWaitMs), qint64(0));
    }
}

void TestRateLimiter::observeHeadersOnlyBlocksItsBucket() {
    RateLimiter limiter;
    const QString blocked = RateLimiter::bucketFor(kOpenAi, QStringLiteral("key-1"));
    const QString sameHostOtherKey = RateLimiter::bucketFor(kOpenAi, QStringLiteral("key-2"));
    limiter.observeHeaders(
        blocked, {{"x-ratelimit-remaining-requests", "0"}, {"x-ratelimit-reset-requests", "10s"}}, kNow);

    QCOMPARE(limiter.tryAcquire(blocked, kOpenAi, 1, kNow), qint64(10'000));
    QCOMPARE(limiter.tryAcquire(sameHostOtherKey, kOpenAi, 1, kNow), qint64(0));
}

void TestRateLimiter::blockFor() {
    RateLimiter limiter;
    limiter.configure(QJsonObject{{"127.0.0.1:8080", limits(60)}});
    const QString bucket = RateLimiter::bucketFor(kLocal, QStringLiteral("key"));

    limiter.blockFor(bucket, 5'000, kNow);
    QCOMPARE(limiter.tryAcquire(bucket, kLocal, 1, kNow), qint64(5'000));
    QCOMPARE(limiter.tryAcquire(bucket, kLocal, 1, kNow + 4'000), qint64(1'000));

    // A shorter block does not shorten a longer one; a longer one extends it.
    limiter.blockFor(bucket, 100, kNow + 4'000);
    QCOMPARE(limiter.tryAcquire(bucket, kLocal, 1, kNow + 4'000), qint64(1'000));
    limiter.blockFor(bucket, 3'000, kNow + 4'000);
    QCOMPARE(limiter.tryAcquire(bucket, kLocal, 1, kNow + 4'000), qint64(3'000));

    // Once the block ends, the configured bucket applies as before (it was not drained by asking).
    const qint64 after = kNow + 7'000;
    for (int i = 0; i < 60; ++i)
        QCOMPARE(limiter.tryAcquire(bucket, kLocal, 1, after), qint64(0));
    QCOMPARE(limiter.tryAcquire(bucket, kLocal, 1, after), qint64(1'000));
}

void TestRateLimiter::bucketFor() {
    const QString key = QStringLiteral("sk-proj-SECRETabcdef0123456789");
    const QString bucket = RateLimiter::bucketFor(kOpenAi, key);

    QCOMPARE(RateLimiter::bucketFor(kOpenAi, key), bucket); // stable
    QVERIFY(!bucket.contains(key));
    QVERIFY(!bucket.contains(QStringLiteral("SECRET")));
    QVERIFY(!bucket.contains(key.right(8)));
    QVERIFY(bucket.contains(QStringLiteral("api.openai.com")));

    QVERIFY(RateLimiter::bucketFor(kOpenAi, key + QLatin1Char('x')) != bucket);
    QVERIFY(RateLimiter::bucketFor(kOpenAi, QString()) != bucket);
    QVERIFY(RateLimiter::bucketFor(QUrl(QStringLiteral("https://api.anthropic.com")), key) != bucket);
    QVERIFY(RateLimiter::bucketFor(QUrl(QStringLiteral("http://api.openai.com")), key) != bucket);
    QVERIFY(RateLimiter::bucketFor(QUrl(QStringLiteral("https://api.openai.com:8443")), key) != bucket);

    // The same endpoint spelled differently is one bucket: the path, the host's case, the default port.
    QCOMPARE(RateLimiter::bucketFor(QUrl(QStringLiteral("https://API.openai.com/v2")), key), bucket);
    QCOMPARE(RateLimiter::bucketFor(QUrl(QStringLiteral("https://api.openai.com:443/v1")), key), bucket);
}

QTEST_GUILESS_MAIN(TestRateLimiter)
#include "TestRateLimiter.moc"
