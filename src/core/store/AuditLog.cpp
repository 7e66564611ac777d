#include "AuditLog.h"

#include "store/Database.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlError>
#include <QSqlQuery>

namespace parallax {

AuditLog::AuditLog(Database& database)
    : m_database(database) {}

QByteArray AuditLog::canonicalContent(const AuditRecord& record) {
    QJsonObject redactions;
    for (auto it = record.redactions.begin(); it != record.redactions.end(); ++it)
        redactions.insert(it.key(), it.value());
    const auto optionalNumber = [](auto value) {
        return value ? QJsonValue(*value) : QJsonValue(QJsonValue::Null);
    };
    // QJsonDocument writes object keys sorted, so the same record always gives the same bytes.
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
        {"error_type",
         record.errorType.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(record.errorType)},
        {"input_tokens", optionalNumber(record.inputTokens)},
        {"output_tokens", optionalNumber(record.outputTokens)},
        {"cost_usd", optionalNumber(record.costUsd)},
        {"cache_hit", record.cacheHit},
        {"fallback_from",
         record.fallbackFrom.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(record.fallbackFrom)},
        {"attempts", record.attempts},
    };
    return QJsonDocument(content).toJson(QJsonDocument::Compact);
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
