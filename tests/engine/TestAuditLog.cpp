#include "store/AuditLog.h"

#include "store/Database.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace parallax;

namespace {

AuditRecord record(int n) {
    AuditRecord r;
    r.time = QDateTime(QDate(2026, 6, 15), QTime(12, 0, n % 60, 250), Qt::UTC);
    r.requestId = QStringLiteral("req-%1").arg(n);
    r.profile = QStringLiteral("openai:gpt-4o-mini");
    r.kind = QStringLiteral("openai");
    r.model = QStringLiteral("gpt-4o-mini");
    r.endpointHost = QStringLiteral("api.openai.com");
    r.promptSha256 = QString(64, QLatin1Char('a'));
    r.promptLength = 120 + n;
    r.redactions = {{QStringLiteral("PERSON"), 1}, {QStringLiteral("EMAIL_ADDRESS"), 2}};
    r.status = QStringLiteral("ok");
    r.inputTokens = 42;
    r.outputTokens = 7;
    r.costUsd = 0.0000105;
    r.attempts = 1;
    return r;
}

const QStringList kContentKeys{
    "attempts",      "cache_hit",  "cost_usd",   "endpoint_host", "error_type", "fallback_from",
    "input_tokens",  "kind",       "model",      "output_tokens", "profile",    "prompt_length",
    "prompt_sha256", "redactions", "request_id", "status",        "time",
};

// The content as it was first defined (a QJsonObject written by QJsonDocument): the records already
// chained in users' databases were hashed over these bytes, so the direct writer must match them.
QByteArray referenceContent(const AuditRecord& record) {
    QJsonObject redactions;
    for (auto it = record.redactions.begin(); it != record.redactions.end(); ++it)
        redactions.insert(it.key(), it.value());
    const auto optionalNumber = [](auto value) {
        return value ? QJsonValue(*value) : QJsonValue(QJsonValue::Null);
    };
    const auto textOrNull = [](const QString& text) {
        return text.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
    };
    const QJsonObject content{
        {"time", record.time.toUTC().toString(Qt::ISODateWithMs)},
        {"request_id", record.requestId},
        {"profile", record.profile},
        {"kind", record.kind},
        {"model", record.model},
        {"endpoint_host", record.endpointHost},
        {"prompt_sha256", record.promptSha256},
        {"prompt_length", record.promptLength},
        {"redactions", redactions},
        {"status", record.status},
        {"error_type", textOrNull(record.errorType)},
        {"input_tokens", optionalNumber(record.inputTokens)},
        {"output_tokens", optionalNumber(record.outputTokens)},
        {"cost_usd", optionalNumber(record.costUsd)},
        {"cache_hit", record.cacheHit},
        {"fallback_from", textOrNull(record.fallbackFrom)},
        {"attempts", record.attempts},
    };
    return QJsonDocument(content).toJson(QJsonDocument::Compact);
}

QString randomText(QRandomGenerator& random) {
    // ASCII with every control character and JSON metacharacter, Latin-1, other BMP characters,
    // pairs outside the BMP and lone surrogates.
    static const char16_t samples[] = {u'a',  u'Z',  u'0',   u' ',   u'"',   u'\\',  u'/',
                                       u'\b', u'\f', u'\n',  u'\r',  u'\t',  0x01,   0x1F,
                                       0x7F,  0xE9,  0x2028, 0x4E2D, 0xFFFD, 0xD800, 0xDC00};
    QString text;
    const int length = int(random.bounded(12));
    for (int i = 0; i < length; ++i) {
        if (random.bounded(8) == 0) {
            text += QChar(char16_t(0xD83D));
            text += QChar(char16_t(0xDE00 + random.bounded(0x40)));
        } else {
            text += QChar(samples[random.bounded(int(std::size(samples)))]);
        }
    }
    return text;
}

} // namespace

class TestAuditLog : public QObject {
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void emptyLogIsIntact();
    void appendAndVerify();
    void chainLinks();
    void canonicalContentIsStable();
    void canonicalContentKeysSortedAndNothingSecret();
    void canonicalContentNulls();
    void canonicalContentIsWhatQJsonDocumentWrites();
    void editedContentBreaksAtThatRecord_data();
    void editedContentBreaksAtThatRecord();
    void editWithRecomputedHashBreaksTheNextLink();
    void deletedRecordBreaksTheNext_data();
    void deletedRecordBreaksTheNext();
    void updateAndDeleteRefusedByTriggers();

private:
    bool exec(const QString& sql) const;
    void appendRecords(int count);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Database> m_database;
    std::unique_ptr<AuditLog> m_log;
};

void TestAuditLog::init() {
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    QString error;
    m_database = Database::open(m_dir->filePath(QStringLiteral("parallax.sqlite")), &error);
    QVERIFY2(m_database, qPrintable(error));
    m_log = std::make_unique<AuditLog>(*m_database);
}

void TestAuditLog::cleanup() {
    m_log.reset();
    m_database.reset();
    m_dir.reset();
}

bool TestAuditLog::exec(const QString& sql) const {
    QSqlQuery query(m_database->connection());
    return query.exec(sql);
}

void TestAuditLog::appendRecords(int count) {
    for (int i = 1; i <= count; ++i) {
        QString error;
        QVERIFY2(m_log->append(record(i), &error), qPrintable(error));
    }
}

void TestAuditLog::emptyLogIsIntact() {
    const AuditLog::Verification result = m_log->verify();
    QVERIFY(result.intact);
    QCOMPARE(result.records, qint64(0));
    QVERIFY(!result.firstBrokenId);
}

void TestAuditLog::appendAndVerify() {
    appendRecords(5);
    const AuditLog::Verification result = m_log->verify();
    QVERIFY2(result.intact, qPrintable(result.problem));
    QCOMPARE(result.records, qint64(5));
    QVERIFY(!result.firstBrokenId);
    QVERIFY(result.problem.isEmpty());

    // Another AuditLog on a reopened database sees the same chain and extends it.
    const QString path = m_database->path();
    m_log.reset();
    m_database.reset();
    QString error;
    m_database = Database::open(path, &error);
    QVERIFY2(m_database, qPrintable(error));
    m_log = std::make_unique<AuditLog>(*m_database);
    QVERIFY(m_log->append(record(6), &error));
    QCOMPARE(m_log->verify().records, qint64(6));
    QVERIFY(m_log->verify().intact);
}

void TestAuditLog::chainLinks() {
    appendRecords(3);
    QSqlQuery query(m_database->connection());
    QVERIFY(query.exec(QStringLiteral("SELECT content, previous_hash, hash FROM audit ORDER BY id")));
    QString previous = AuditLog::genesisHash();
    QCOMPARE(previous, QString(64, QLatin1Char('0')));
    int n = 0;
    while (query.next()) {
        ++n;
        const QByteArray content = query.value(0).toString().toUtf8();
        QCOMPARE(content, AuditLog::canonicalContent(record(n)));
        QCOMPARE(query.value(1).toString(), previous);
        QCOMPARE(query.value(2).toString(), AuditLog::chainHash(previous, content));
        QCOMPARE(query.value(2).toString().size(), 64);
        previous = query.value(2).toString();
    }
    QCOMPARE(n, 3);
    // The hash depends on both the link and the content.
    const QByteArray content = AuditLog::canonicalContent(record(1));
    QVERIFY(AuditLog::chainHash(AuditLog::genesisHash(), content) != AuditLog::chainHash(previous, content));
    QVERIFY(AuditLog::chainHash(previous, content) != AuditLog::chainHash(previous, content + ' '));
}

void TestAuditLog::canonicalContentIsStable() {
    const QByteArray content = AuditLog::canonicalContent(record(1));
    QCOMPARE(AuditLog::canonicalContent(record(1)), content);

    // The same moment in another time zone is the same record.
    AuditRecord shifted = record(1);
    shifted.time = shifted.time.toOffsetFromUtc(5 * 3600 + 1800);
    QCOMPARE(AuditLog::canonicalContent(shifted), content);

    // Redactions inserted in another order give the same bytes.
    AuditRecord reordered = record(1);
    reordered.redactions.clear();
    reordered.redactions.insert(QStringLiteral("EMAIL_ADDRESS"), 2);
    reordered.redactions.insert(QStringLiteral("PERSON"), 1);
    QCOMPARE(AuditLog::canonicalContent(reordered), content);

    // Every field is part of the content.
    AuditRecord changed = record(1);
    changed.status = QStringLiteral("failed");
    QVERIFY(AuditLog::canonicalContent(changed) != content);
    changed = record(1);
    changed.redactions[QStringLiteral("PERSON")] = 2;
    QVERIFY(AuditLog::canonicalContent(changed) != content);
    changed = record(1);
    changed.time = changed.time.addMSecs(1);
    QVERIFY(AuditLog::canonicalContent(changed) != content);
}

void TestAuditLog::canonicalContentKeysSortedAndNothingSecret() {
    AuditRecord r = record(1);
    r.errorType = QStringLiteral("rate_limited");
    r.fallbackFrom = QStringLiteral("anthropic:claude-haiku-4-5");
    const QByteArray content = AuditLog::canonicalContent(r);

    QVERIFY(!content.contains('\n'));
    QJsonParseError error;
    const QJsonObject object = QJsonDocument::fromJson(content, &error).object();
    QCOMPARE(error.error, QJsonParseError::NoError);
    // Exactly the documented fields: no key, no header, no prompt text.
    QCOMPARE(object.keys(), kContentKeys);

    // In the bytes themselves, keys appear in sorted order.
    qsizetype last = -1;
    for (const QString& key : kContentKeys) {
        const qsizetype at = content.indexOf(QByteArray('"' + key.toLatin1() + "\":"));
        QVERIFY2(at > last, qPrintable(key));
        last = at;
    }
    const QByteArray redactions =
        QJsonDocument(object.value(QLatin1String("redactions")).toObject()).toJson(QJsonDocument::Compact);
    QVERIFY(content.contains(R"("redactions":{"EMAIL_ADDRESS":2,"PERSON":1})"));
    QCOMPARE(redactions, QByteArray(R"({"EMAIL_ADDRESS":2,"PERSON":1})"));

    QCOMPARE(object.value(QLatin1String("time")).toString(), QStringLiteral("2026-06-15T12:00:01.250Z"));
    QCOMPARE(object.value(QLatin1String("error_type")).toString(), QStringLiteral("rate_limited"));
    QCOMPARE(object.value(QLatin1String("prompt_length")).toInteger(), qint64(121));
}

void TestAuditLog::canonicalContentNulls() {
    AuditRecord r = record(1);
    r.inputTokens.reset();
    r.outputTokens.reset();
    r.costUsd.reset();
    r.errorType.clear();
    r.fallbackFrom.clear();
    const QJsonObject object = QJsonDocument::fromJson(AuditLog::canonicalContent(r)).object();
    for (const char* key : {"input_tokens", "output_tokens", "cost_usd", "error_type", "fallback_from"})
        QVERIFY2(object.value(QLatin1String(key)).isNull(), key);
    // Zero is not unknown.
    r.costUsd = 0.0;
    QCOMPARE(QJsonDocument::fromJson(AuditLog::canonicalContent(r)).object().value("cost_usd"),
             QJsonValue(0.0));
}

void TestAuditLog::editedContentBreaksAtThatRecord_data() {
    QTest::addColumn<int>("editedId");
    QTest::newRow("first") << 1;
    QTest::newRow("middle") << 3;
    QTest::newRow("last") << 5;
}

void TestAuditLog::editedContentBreaksAtThatRecord() {
    QFETCH(int, editedId);
    appendRecords(5);
    QVERIFY(exec(QStringLiteral("DROP TRIGGER audit_no_update")));
    QVERIFY(exec(QStringLiteral("UPDATE audit SET content = replace(content, '\"cost_usd\":1.05e-05', "
                                "'\"cost_usd\":0') WHERE id = %1")
                     .arg(editedId)));
    QSqlQuery check(m_database->connection());
    QVERIFY(check.exec(QStringLiteral("SELECT content FROM audit WHERE id = %1").arg(editedId)) &&
            check.next());
    QVERIFY2(check.value(0).toString().contains(QStringLiteral("\"cost_usd\":0,")),
             qPrintable(check.value(0).toString()));

    const AuditLog::Verification result = m_log->verify();
    QVERIFY(!result.intact);
    QCOMPARE(result.firstBrokenId, std::optional<qint64>(editedId));
    QCOMPARE(result.records, qint64(editedId - 1));
    QVERIFY2(result.problem.contains(QString::number(editedId)), qPrintable(result.problem));
    QVERIFY2(result.problem.contains(QStringLiteral("changed")), qPrintable(result.problem));
}

void TestAuditLog::editWithRecomputedHashBreaksTheNextLink() {
    appendRecords(4);
    QVERIFY(exec(QStringLiteral("DROP TRIGGER audit_no_update")));
    AuditRecord forged = record(2);
    forged.costUsd = 0.0;
    const QByteArray content = AuditLog::canonicalContent(forged);
    QSqlQuery previous(m_database->connection());
    QVERIFY(previous.exec(QStringLiteral("SELECT previous_hash FROM audit WHERE id = 2")) && previous.next());
    QSqlQuery update(m_database->connection());
    update.prepare(QStringLiteral("UPDATE audit SET content = ?, hash = ? WHERE id = 2"));
    update.addBindValue(QString::fromUtf8(content));
    update.addBindValue(AuditLog::chainHash(previous.value(0).toString(), content));
    QVERIFY(update.exec());

    const AuditLog::Verification result = m_log->verify();
    QVERIFY(!result.intact);
    QCOMPARE(result.firstBrokenId, std::optional<qint64>(3));
    QCOMPARE(result.records, qint64(2));
}

void TestAuditLog::deletedRecordBreaksTheNext_data() {
    QTest::addColumn<int>("deletedId");
    QTest::addColumn<int>("brokenId");
    QTest::newRow("first") << 1 << 2;
    QTest::newRow("middle") << 3 << 4;
}

void TestAuditLog::deletedRecordBreaksTheNext() {
    QFETCH(int, deletedId);
    QFETCH(int, brokenId);
    appendRecords(5);
    QVERIFY(exec(QStringLiteral("DROP TRIGGER audit_no_delete")));
    QVERIFY(exec(QStringLiteral("DELETE FROM audit WHERE id = %1").arg(deletedId)));

    const AuditLog::Verification result = m_log->verify();
    QVERIFY(!result.intact);
    QCOMPARE(result.firstBrokenId, std::optional<qint64>(brokenId));
    QVERIFY2(result.problem.contains(QString::number(brokenId)), qPrintable(result.problem));
    QVERIFY2(result.problem.contains(QStringLiteral("removed")), qPrintable(result.problem));
}

void TestAuditLog::updateAndDeleteRefusedByTriggers() {
    appendRecords(3);
    QSqlQuery update(m_database->connection());
    QVERIFY(!update.exec(QStringLiteral("UPDATE audit SET content = '{}' WHERE id = 2")));
    QVERIFY2(update.lastError().text().contains(QStringLiteral("append-only")),
             qPrintable(update.lastError().text()));
    QSqlQuery remove(m_database->connection());
    QVERIFY(!remove.exec(QStringLiteral("DELETE FROM audit WHERE id = 2")));
    QVERIFY(!exec(QStringLiteral("DELETE FROM audit")));

    const AuditLog::Verification result = m_log->verify();
    QVERIFY(result.intact);
    QCOMPARE(result.records, qint64(3));
    // The log still takes new records.
    QString error;
    QVERIFY2(m_log->append(record(4), &error), qPrintable(error));
    QCOMPARE(m_log->verify().records, qint64(4));
}

void TestAuditLog::canonicalContentIsWhatQJsonDocumentWrites() {
    QCOMPARE(AuditLog::canonicalContent(record(1)), referenceContent(record(1)));
    QRandomGenerator random(20261128);
    const double costs[] = {0.0, 0.0000105, 1e-7, 12.5, 3.0, 0.1 + 0.2, 1e21, 123456789.125};
    for (int i = 0; i < 2000; ++i) {
        AuditRecord r;
        // Local, UTC and offset times from 1900 to 2200, with milliseconds.
        const qint64 msecs =
            qint64(random.bounded(9'500'000'000.0)) * 1000 - 2'208'988'800'000LL + random.bounded(1000);
        const int zone = int(random.bounded(3));
        r.time = zone == 0   ? QDateTime::fromMSecsSinceEpoch(msecs, Qt::UTC)
                 : zone == 1 ? QDateTime::fromMSecsSinceEpoch(msecs, Qt::LocalTime)
                             : QDateTime::fromMSecsSinceEpoch(msecs, Qt::OffsetFromUTC, -9 * 3600 - 1800);
        r.requestId = randomText(random);
        r.profile = randomText(random);
        r.kind = randomText(random);
        r.model = randomText(random);
        r.endpointHost = randomText(random);
        r.promptSha256 = randomText(random);
        r.promptLength = qint64(random.generate64() >> random.bounded(64));
        for (int k = int(random.bounded(4)); k > 0; --k)
            r.redactions.insert(randomText(random), int(random.bounded(100)));
        r.status = randomText(random);
        r.errorType = randomText(random);
        if (random.bounded(2))
            r.inputTokens = qint64(random.bounded(1'000'000));
        if (random.bounded(2))
            r.outputTokens = qint64(random.bounded(1'000'000));
        if (random.bounded(2))
            r.costUsd = costs[random.bounded(int(std::size(costs)))] * (random.bounded(2) ? 1 : 1.0 / 3);
        r.cacheHit = random.bounded(2);
        r.fallbackFrom = randomText(random);
        r.attempts = int(random.bounded(10));
        QCOMPARE(AuditLog::canonicalContent(r), referenceContent(r));
    }
    // An invalid time writes an empty string, as before.
    AuditRecord invalid = record(2);
    invalid.time = QDateTime();
    QCOMPARE(AuditLog::canonicalContent(invalid), referenceContent(invalid));
}

QTEST_GUILESS_MAIN(TestAuditLog)
#include "TestAuditLog.moc"
