#include "engine/ResponseCache.h"

#include "store/Database.h"

#include <QJsonObject>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <functional>
#include <memory>

using namespace parallax;

namespace {

constexpr qint64 kT0 = 1'750'000'000'000; // a fixed "now" in ms since the epoch
constexpr qint64 kMinute = 60'000;
constexpr qint64 kHour = 3'600'000;

ProviderProfile baseProfile() {
    ProviderProfile profile;
    profile.name = QStringLiteral("work");
    profile.kind = ProviderKind::OpenAi;
    profile.model = QStringLiteral("gpt-4o-mini");
    profile.baseUrl = QUrl(QStringLiteral("https://api.openai.com/v1"));
    return profile;
}

ChatRequest baseRequest() {
    ChatRequest request;
    request.system = QStringLiteral("Be brief.");
    request.messages = {ChatMessage{ChatMessage::Role::User, QStringLiteral("What is <PERSON_1>'s role?")},
                        ChatMessage{ChatMessage::Role::Assistant, QStringLiteral("An engineer.")},
                        ChatMessage{ChatMessage::Role::User, QStringLiteral("Since when?")}};
    request.maxTokens = 256;
    request.temperature = 0.5;
    return request;
}

Answer goodAnswer(const QString& text = QStringLiteral("Since 2019.")) {
    Answer answer;
    answer.profile = QStringLiteral("work");
    answer.kind = ProviderKind::OpenAi;
    answer.model = QStringLiteral("gpt-4o-mini-2024-07-18");
    answer.text = text;
    answer.finishReason = FinishReason::Stop;
    answer.rawFinishReason = QStringLiteral("stop");
    answer.usage.inputTokens = 42;
    answer.usage.outputTokens = 7;
    answer.ttftMs = 180;
    answer.latencyMs = 640;
    answer.costUsd = 0.0000105;
    answer.attempts = 2;
    answer.fallbackFrom = QStringLiteral("anthropic:claude-haiku-4-5");
    return answer;
}

Answer failedAnswer(ErrorType type) {
    Answer answer = goodAnswer(QStringLiteral("Partial ans"));
    ProviderError error;
    error.type = type;
    error.message = QStringLiteral("failed");
    answer.error = error;
    return answer;
}

using Change = std::function<void(ProviderProfile&, ChatRequest&)>;

} // namespace

Q_DECLARE_METATYPE(Change)

class TestResponseCache : public QObject {
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void keyIsStable();
    void keyChanges_data();
    void keyChanges();
    void storeAndLookup_data();
    void storeAndLookup();
    void missForUnknownKey();
    void errorsNeverStored_data();
    void errorsNeverStored();
    void ttlExpiry_data();
    void ttlExpiry();
    void expiredEntryLeavesTheDatabase();
    void maxEntriesEvictsLeastRecentlyUsed();
    void memoryLruIsBounded();
    void disabledByZeroLimits_data();
    void disabledByZeroLimits();
    void limitsFromSettings();

private:
    int cacheRows() const;

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Database> m_database;
};

void TestResponseCache::init() {
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    QString error;
    m_database = Database::open(m_dir->filePath(QStringLiteral("parallax.sqlite")), &error);
    QVERIFY2(m_database, qPrintable(error));
}

void TestResponseCache::cleanup() {
    m_database.reset();
    m_dir.reset();
}

int TestResponseCache::cacheRows() const {
    QSqlQuery query(m_database->connection());
    if (!query.exec(QStringLiteral("SELECT COUNT(*) FROM cache")) || !query.next())
        return -1;
    return query.value(0).toInt();
}

void TestResponseCache::keyIsStable() {
    const QString key = ResponseCache::key(baseProfile(), baseRequest());
    QCOMPARE(key.size(), 64); // SHA-256 in hex
    QVERIFY(QRegularExpression(QStringLiteral("^[0-9a-f]{64}$")).match(key).hasMatch());
    for (int i = 0; i < 3; ++i)
        QCOMPARE(ResponseCache::key(baseProfile(), baseRequest()), key);
    // Nothing of the prompt shows in the key.
    QVERIFY(!key.contains(QStringLiteral("PERSON")));
}

void TestResponseCache::keyChanges_data() {
    QTest::addColumn<Change>("change");
    QTest::addColumn<bool>("changesKey");

    const auto add = [](const char* name, Change change, bool changesKey) {
        QTest::newRow(name) << change << changesKey;
    };
    add(
        "kind", [](ProviderProfile& p, ChatRequest&) { p.kind = ProviderKind::OpenAiCompatible; }, true);
    add(
        "base URL host",
        [](ProviderProfile& p, ChatRequest&) { p.baseUrl = QUrl("https://eu.api.openai.com/v1"); }, true);
    add(
        "base URL path",
        [](ProviderProfile& p, ChatRequest&) { p.baseUrl = QUrl("https://api.openai.com/v2"); }, true);
    add(
        "model", [](ProviderProfile& p, ChatRequest&) { p.model = QStringLiteral("gpt-4o"); }, true);
    add(
        "system", [](ProviderProfile&, ChatRequest& r) { r.system = QStringLiteral("Be thorough."); }, true);
    add(
        "no system", [](ProviderProfile&, ChatRequest& r) { r.system.clear(); }, true);
    add(
        "a message's text",
        [](ProviderProfile&, ChatRequest& r) { r.messages[2].content += QLatin1Char('?'); }, true);
    add(
        "a message's role",
        [](ProviderProfile&, ChatRequest& r) { r.messages[1].role = ChatMessage::Role::User; }, true);
    add(
        "a message fewer", [](ProviderProfile&, ChatRequest& r) { r.messages.removeLast(); }, true);
    add(
        "messages reordered", [](ProviderProfile&, ChatRequest& r) { r.messages.swapItemsAt(0, 2); }, true);
    add(
        "text moved between system and message",
        [](ProviderProfile&, ChatRequest& r) {
            r.messages[0].content = r.system + r.messages[0].content;
            r.system.clear();
        },
        true);
    add(
        "max_tokens", [](ProviderProfile&, ChatRequest& r) { r.maxTokens = 257; }, true);
    add(
        "no max_tokens", [](ProviderProfile&, ChatRequest& r) { r.maxTokens.reset(); }, true);
    add(
        "temperature", [](ProviderProfile&, ChatRequest& r) { r.temperature = 0.7; }, true);
    add(
        "no temperature", [](ProviderProfile&, ChatRequest& r) { r.temperature.reset(); }, true);
    add(
        "temperature 0 is not unset", [](ProviderProfile&, ChatRequest& r) { r.temperature = 0.0; }, true);
    add(
        "profile name", [](ProviderProfile& p, ChatRequest&) { p.name = QStringLiteral("personal"); }, false);
    add(
        "trailing slash of the base URL",
        [](ProviderProfile& p, ChatRequest&) { p.baseUrl = QUrl("https://api.openai.com/v1/"); }, false);
}

void TestResponseCache::keyChanges() {
    QFETCH(Change, change);
    QFETCH(bool, changesKey);

    ProviderProfile profile = baseProfile();
    ChatRequest request = baseRequest();
    change(profile, request);
    QCOMPARE(ResponseCache::key(profile, request) != ResponseCache::key(baseProfile(), baseRequest()),
             changesKey);
}

void TestResponseCache::storeAndLookup_data() {
    QTest::addColumn<bool>("throughDatabase");
    QTest::newRow("from memory") << false;
    QTest::newRow("from SQLite (a new cache on the same database)") << true;
}

void TestResponseCache::storeAndLookup() {
    QFETCH(bool, throughDatabase);

    const QString key = ResponseCache::key(baseProfile(), baseRequest());
    ResponseCache writer(m_database.get(), {});
    writer.store(key, goodAnswer(), kT0);
    QCOMPARE(cacheRows(), 1);

    ResponseCache reader(m_database.get(), {});
    ResponseCache& cache = throughDatabase ? reader : writer;
    const auto hit = cache.lookup(key, kT0 + kMinute);
    QVERIFY(hit);
    QVERIFY(hit->cached);
    QVERIFY(hit->costUsd);
    QCOMPARE(*hit->costUsd, 0.0); // nothing was paid for it
    QCOMPARE(hit->attempts, 0);
    QVERIFY(!hit->fallbackFrom);
    QVERIFY(hit->succeeded());
    // The original answer and its timings, for display.
    const Answer original = goodAnswer();
    QCOMPARE(hit->text, original.text);
    QCOMPARE(hit->model, original.model);
    QCOMPARE(hit->profile, original.profile);
    QCOMPARE(hit->finishReason, original.finishReason);
    QCOMPARE(hit->ttftMs, original.ttftMs);
    QCOMPARE(hit->latencyMs, original.latencyMs);
    QCOMPARE(hit->usage.inputTokens, original.usage.inputTokens);
    QCOMPARE(hit->usage.outputTokens, original.usage.outputTokens);

    // A second hit is the same.
    const auto again = cache.lookup(key, kT0 + 2 * kMinute);
    QVERIFY(again);
    QCOMPARE(again->text, original.text);
    QVERIFY(again->cached);
}

void TestResponseCache::missForUnknownKey() {
    ResponseCache cache(m_database.get(), {});
    cache.store(ResponseCache::key(baseProfile(), baseRequest()), goodAnswer(), kT0);
    ProviderProfile other = baseProfile();
    other.model = QStringLiteral("gpt-4o");
    QVERIFY(!cache.lookup(ResponseCache::key(other, baseRequest()), kT0));
    QVERIFY(!ResponseCache(m_database.get(), {}).lookup(ResponseCache::key(other, baseRequest()), kT0));
}

void TestResponseCache::errorsNeverStored_data() {
    QTest::addColumn<int>("type");
    QTest::newRow("cancelled") << static_cast<int>(ErrorType::Cancelled);
    QTest::newRow("server") << static_cast<int>(ErrorType::Server);
    QTest::newRow("network after partial text") << static_cast<int>(ErrorType::Network);
    QTest::newRow("budget") << static_cast<int>(ErrorType::Budget);
}

void TestResponseCache::errorsNeverStored() {
    QFETCH(int, type);
    const QString key = ResponseCache::key(baseProfile(), baseRequest());
    ResponseCache cache(m_database.get(), {});
    cache.store(key, failedAnswer(static_cast<ErrorType>(type)), kT0);
    QVERIFY(!cache.lookup(key, kT0));
    QCOMPARE(cacheRows(), 0);

    // A failure does not replace an earlier good answer either.
    cache.store(key, goodAnswer(), kT0);
    cache.store(key, failedAnswer(static_cast<ErrorType>(type)), kT0 + 1);
    const auto hit = ResponseCache(m_database.get(), {}).lookup(key, kT0 + 2);
    QVERIFY(hit);
    QVERIFY(hit->succeeded());
    QCOMPARE(hit->text, goodAnswer().text);
}

void TestResponseCache::ttlExpiry_data() {
    QTest::addColumn<bool>("throughDatabase");
    QTest::newRow("in memory") << false;
    QTest::newRow("in SQLite") << true;
}

void TestResponseCache::ttlExpiry() {
    QFETCH(bool, throughDatabase);

    ResponseCache::Limits limits;
    limits.ttlMs = kHour;
    const QString key = ResponseCache::key(baseProfile(), baseRequest());
    ResponseCache writer(m_database.get(), limits);
    writer.store(key, goodAnswer(), kT0);

    const auto lookup = [&](qint64 now) {
        if (!throughDatabase)
            return writer.lookup(key, now);
        return ResponseCache(m_database.get(), limits).lookup(key, now);
    };
    QVERIFY(lookup(kT0 + kHour - 1));
    QVERIFY(lookup(kT0 + kHour)); // the TTL is inclusive
    // Being used does not extend the life of an entry.
    QVERIFY(!lookup(kT0 + kHour + 1));
    QVERIFY(!lookup(kT0 + kHour + 1)); // and it stays gone
}

void TestResponseCache::expiredEntryLeavesTheDatabase() {
    ResponseCache::Limits limits;
    limits.ttlMs = kHour;
    const QString key = ResponseCache::key(baseProfile(), baseRequest());
    ResponseCache(m_database.get(), limits).store(key, goodAnswer(), kT0);
    QCOMPARE(cacheRows(), 1);
    QVERIFY(!ResponseCache(m_database.get(), limits).lookup(key, kT0 + 2 * kHour));
    QCOMPARE(cacheRows(), 0);
    // A fresh answer for the same request is stored again.
    ResponseCache cache(m_database.get(), limits);
    cache.store(key, goodAnswer(QStringLiteral("Since 2020.")), kT0 + 2 * kHour);
    QCOMPARE(cache.lookup(key, kT0 + 2 * kHour + 1)->text, QStringLiteral("Since 2020."));
}

void TestResponseCache::maxEntriesEvictsLeastRecentlyUsed() {
    ResponseCache::Limits limits;
    limits.maxEntries = 2;
    const auto keyFor = [](const char* question) {
        ChatRequest request = baseRequest();
        request.messages = {ChatMessage{ChatMessage::Role::User, QString::fromLatin1(question)}};
        return ResponseCache::key(baseProfile(), request);
    };
    const QString a = keyFor("a"), b = keyFor("b"), c = keyFor("c");

    ResponseCache cache(m_database.get(), limits);
    cache.store(a, goodAnswer(QStringLiteral("A")), kT0);
    cache.store(b, goodAnswer(QStringLiteral("B")), kT0 + 1'000);
    // A is used well after B was stored, so B is now the least recently used.
    QVERIFY(cache.lookup(a, kT0 + 5 * kMinute));
    cache.store(c, goodAnswer(QStringLiteral("C")), kT0 + 10 * kMinute);
    QCOMPARE(cacheRows(), 2);

    // A new cache on the same database reads SQLite, not the first cache's memory.
    ResponseCache fresh(m_database.get(), limits);
    QVERIFY(!fresh.lookup(b, kT0 + 11 * kMinute));
    const auto hitC = fresh.lookup(c, kT0 + 11 * kMinute);
    QVERIFY(hitC);
    QCOMPARE(hitC->text, QStringLiteral("C"));
    const auto hitA = fresh.lookup(a, kT0 + 12 * kMinute);
    QVERIFY(hitA);
    QCOMPARE(hitA->text, QStringLiteral("A"));

    // Then C (used at 11 min) is older than A (used at 12 min) and goes first.
    ResponseCache other(m_database.get(), limits);
    const QString d = keyFor("d");
    other.store(d, goodAnswer(QStringLiteral("D")), kT0 + 20 * kMinute);
    QCOMPARE(cacheRows(), 2);
    ResponseCache check(m_database.get(), limits);
    QVERIFY(check.lookup(d, kT0 + 21 * kMinute));
    QVERIFY(check.lookup(a, kT0 + 21 * kMinute));
    QVERIFY(!check.lookup(c, kT0 + 21 * kMinute));
}

void TestResponseCache::memoryLruIsBounded() {
    ResponseCache::Limits limits;
    limits.memoryEntries = 2;
    ResponseCache cache(nullptr, limits); // memory only
    const auto keyFor = [](int i) {
        ChatRequest request = baseRequest();
        request.messages = {ChatMessage{ChatMessage::Role::User, QString::number(i)}};
        return ResponseCache::key(baseProfile(), request);
    };
    cache.store(keyFor(1), goodAnswer(QStringLiteral("1")), kT0);
    cache.store(keyFor(2), goodAnswer(QStringLiteral("2")), kT0 + 1);
    QVERIFY(cache.lookup(keyFor(1), kT0 + 2)); // 1 becomes the most recently used
    cache.store(keyFor(3), goodAnswer(QStringLiteral("3")), kT0 + 3);

    QVERIFY(!cache.lookup(keyFor(2), kT0 + 4));
    QCOMPARE(cache.lookup(keyFor(1), kT0 + 4)->text, QStringLiteral("1"));
    QCOMPARE(cache.lookup(keyFor(3), kT0 + 4)->text, QStringLiteral("3"));

    // Many more entries: still only the last two.
    for (int i = 10; i < 300; ++i)
        cache.store(keyFor(i), goodAnswer(QString::number(i)), kT0 + 10 + i);
    int hits = 0;
    for (int i = 1; i < 300; ++i)
        hits += cache.lookup(keyFor(i), kT0 + 1'000).has_value() ? 1 : 0;
    QCOMPARE(hits, 2);
}

void TestResponseCache::disabledByZeroLimits_data() {
    QTest::addColumn<qint64>("ttlMs");
    QTest::addColumn<int>("maxEntries");
    QTest::newRow("ttl 0") << qint64(0) << 2000;
    QTest::newRow("max_entries 0") << qint64(kHour) << 0;
}

void TestResponseCache::disabledByZeroLimits() {
    QFETCH(qint64, ttlMs);
    QFETCH(int, maxEntries);
    ResponseCache::Limits limits;
    limits.ttlMs = ttlMs;
    limits.maxEntries = maxEntries;
    ResponseCache cache(m_database.get(), limits);
    const QString key = ResponseCache::key(baseProfile(), baseRequest());
    cache.store(key, goodAnswer(), kT0);
    QVERIFY(!cache.lookup(key, kT0));
    QCOMPARE(cacheRows(), 0);
}

void TestResponseCache::limitsFromSettings() {
    const ResponseCache::Limits defaults = ResponseCache::limitsFromSettings({});
    QCOMPARE(defaults.ttlMs, 24 * kHour);
    QCOMPARE(defaults.maxEntries, 2000);

    const auto limits =
        ResponseCache::limitsFromSettings(QJsonObject{{"ttl_hours", 1.5}, {"max_entries", 10}});
    QCOMPARE(limits.ttlMs, kHour * 3 / 2);
    QCOMPARE(limits.maxEntries, 10);

    const auto clamped =
        ResponseCache::limitsFromSettings(QJsonObject{{"ttl_hours", -1}, {"max_entries", -5}});
    QCOMPARE(clamped.ttlMs, qint64(0));
    QCOMPARE(clamped.maxEntries, 0);

    const auto ignored =
        ResponseCache::limitsFromSettings(QJsonObject{{"ttl_hours", "2"}, {"max_entries", "5"}});
    QCOMPARE(ignored.ttlMs, 24 * kHour);
    QCOMPARE(ignored.maxEntries, 2000);
}

QTEST_GUILESS_MAIN(TestResponseCache)
#include "TestResponseCache.moc"
