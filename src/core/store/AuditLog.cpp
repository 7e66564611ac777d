#include "AuditLog.h"

#include "store/Database.h"
#include "json/CompactJsonWriter.h"
#include "json/IsoTimestamp.h"

#include <QCryptographicHash>
#include <QSqlError>
#include <QSqlQuery>

namespace parallax {

AuditLog::AuditLog(Database& database)
    : m_database(database) {}

QByteArray AuditLog::canonicalContent(const AuditRecord& record) {
    // The bytes QJsonDocument::Compact gives for these members (keys sorted), written directly: this
    // runs for every request, and building a QJsonObject cost more than the rest of the append.
    // TestAuditLog checks the two stay identical, since changing a byte would break old chains.
    CompactJsonWriter json;
    json.beginObject();
    json.key(QLatin1StringView("attempts")).value(record.attempts);
    json.key(QLatin1StringView("cache_hit")).value(record.cacheHit);
    json.key(QLatin1StringView("cost_usd")).optional(record.costUsd);
    json.key(QLatin1StringView("endpoint_host")).value(record.endpointHost);
    json.key(QLatin1StringView("error_type")).stringOrNull(record.errorType);
    json.key(QLatin1StringView("fallback_from")).stringOrNull(record.fallbackFrom);
    json.key(QLatin1StringView("input_tokens")).optional(record.inputTokens);
    json.key(QLatin1StringView("kind")).value(record.kind);
    json.key(QLatin1StringView("model")).value(record.model);
    json.key(QLatin1StringView("output_tokens")).optional(record.outputTokens);
    json.key(QLatin1StringView("profile")).value(record.profile);
    json.key(QLatin1StringView("prompt_length")).value(record.promptLength);
    json.key(QLatin1StringView("prompt_sha256")).value(record.promptSha256);
    json.key(QLatin1StringView("redactions")).beginObject();
    for (auto it = record.redactions.begin(); it != record.redactions.end(); ++it) {
        // QMap iterates in the UTF-16 order QJsonObject sorts its keys by.
        json.key(QStringView(it.key())).value(it.value());
    }
    json.endObject();
    json.key(QLatin1StringView("request_id")).value(record.requestId);
    json.key(QLatin1StringView("status")).value(record.status);
    json.key(QLatin1StringView("time")).value(IsoTimestamp::utcWithMilliseconds(record.time));
    json.endObject();
    return json.take();
}

QString AuditLog::chainHash(const QString& previousHash, const QByteArray& content) {
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(previousHash.toLatin1());
    hash.addData(QByteArrayView("\n"));
    hash.addData(content);
    return QString::fromLatin1(hash.result().toHex());
}

bool AuditLog::append(const AuditRecord& record, QString* error) {
    QSqlDatabase db = m_database.connection();
    // IMMEDIATE takes the write lock before reading the chain's head, so two processes appending at
    // once cannot both link to the same record.
    QSqlQuery& begin = m_database.prepared(QStringLiteral("BEGIN IMMEDIATE"));
    if (!begin.exec()) {
        *error = begin.lastError().text();
        return false;
    }
    QString previous = genesisHash();
    QSqlQuery& head = m_database.prepared(QStringLiteral("SELECT hash FROM audit ORDER BY id DESC LIMIT 1"));
    if (head.exec() && head.next())
        previous = head.value(0).toString();
    head.finish();
    const QByteArray content = canonicalContent(record);
    QSqlQuery& insert = m_database.prepared(
        QStringLiteral("INSERT INTO audit (content, previous_hash, hash) VALUES (?, ?, ?)"));
    insert.addBindValue(QString::fromUtf8(content));
    insert.addBindValue(previous);
    insert.addBindValue(chainHash(previous, content));
    if (!insert.exec()) {
        *error = insert.lastError().text();
        m_database.prepared(QStringLiteral("ROLLBACK")).exec();
        return false;
    }
    QSqlQuery& commit = m_database.prepared(QStringLiteral("COMMIT"));
    if (!commit.exec()) {
        *error = commit.lastError().text();
        return false;
    }
    return true;
}

AuditLog::Verification AuditLog::verify() const {
    Verification result;
    QSqlQuery query(m_database.connection());
    query.setForwardOnly(true);
    if (!query.exec(QStringLiteral("SELECT id, content, previous_hash, hash FROM audit ORDER BY id"))) {
        result.intact = false;
        result.problem = query.lastError().text();
        return result;
    }
    QString expectedPrevious = genesisHash();
    while (query.next()) {
        const qint64 id = query.value(0).toLongLong();
        const QByteArray content = query.value(1).toString().toUtf8();
        const QString previous = query.value(2).toString();
        const QString stored = query.value(3).toString();
        if (previous != expectedPrevious) {
            result.intact = false;
            result.firstBrokenId = id;
            result.problem =
                QStringLiteral(
                    "record %1 does not link to the record before it (one was removed or inserted)")
                    .arg(id);
            return result;
        }
        if (chainHash(previous, content) != stored) {
            result.intact = false;
            result.firstBrokenId = id;
            result.problem = QStringLiteral("record %1 was changed after it was written").arg(id);
            return result;
        }
        expectedPrevious = stored;
        ++result.records;
    }
    return result;
}

} // namespace parallax
