#include "ResponseCache.h"

#include "engine/AnswerJson.h"
#include "store/Database.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>

namespace parallax {

ResponseCache::Limits ResponseCache::limitsFromSettings(const QJsonObject& cache) {
    Limits limits;
    if (const QJsonValue ttl = cache.value(QLatin1String("ttl_hours")); ttl.isDouble())
        limits.ttlMs = static_cast<qint64>(qMax(0.0, ttl.toDouble()) * 3600 * 1000);
    if (const QJsonValue entries = cache.value(QLatin1String("max_entries")); entries.isDouble())
        limits.maxEntries = qMax(0, entries.toInt());
    return limits;
}

ResponseCache::ResponseCache(Database* database, Limits limits)
    : m_database(database)
    , m_limits(limits) {}

QString ResponseCache::key(const ProviderProfile& profile, const ChatRequest& request) {
    QJsonArray messages;
    for (const ChatMessage& message : request.messages) {
        messages.append(QJsonObject{{"role", message.role == ChatMessage::Role::User ? "user" : "assistant"},
                                    {"content", message.content}});
    }
    // Object keys are written sorted and numbers in one form, so equal requests give equal bytes.
    const QJsonObject canonical{
        {"kind", providerKindName(profile.kind)},
        {"base_url", profile.baseUrl.adjusted(QUrl::StripTrailingSlash).toString()},
        {"model", profile.model},
        {"system", request.system},
        {"messages", messages},
        {"max_tokens", request.maxTokens ? QJsonValue(*request.maxTokens) : QJsonValue(QJsonValue::Null)},
        {"temperature",
         request.temperature ? QJsonValue(*request.temperature) : QJsonValue(QJsonValue::Null)},
    };
    return QString::fromLatin1(
        QCryptographicHash::hash(QJsonDocument(canonical).toJson(QJsonDocument::Compact),
                                 QCryptographicHash::Sha256)
            .toHex());
}

void ResponseCache::touch(const QString& key) {
    m_recency.removeOne(key);
    m_recency.append(key);
    while (m_recency.size() > m_limits.memoryEntries)
        m_memory.remove(m_recency.takeFirst());
}

std::optional<Answer> ResponseCache::lookup(const QString& key, qint64 nowMs) {
    if (m_limits.maxEntries == 0 || m_limits.ttlMs == 0)
        return std::nullopt;
    std::optional<Entry> found;
    if (auto it = m_memory.constFind(key); it != m_memory.constEnd()) {
        found = *it;
    } else if (m_database) {
        QSqlQuery query(m_database->connection());
        query.prepare(QStringLiteral("SELECT created_at_ms, answer_json FROM cache WHERE key = ?"));
        query.addBindValue(key);
        if (query.exec() && query.next()) {
            found = Entry{
                AnswerJson::fromJson(QJsonDocument::fromJson(query.value(1).toString().toUtf8()).object()),
                query.value(0).toLongLong()};
            m_memory.insert(key, *found);
        }
    }
    if (!found)
        return std::nullopt;
    if (nowMs - found->createdAtMs > m_limits.ttlMs) {
        m_memory.remove(key);
        m_recency.removeOne(key);
        if (m_database) {
            QSqlQuery query(m_database->connection());
            query.prepare(QStringLiteral("DELETE FROM cache WHERE key = ?"));
            query.addBindValue(key);
            query.exec();
        }
        return std::nullopt;
    }
    touch(key);
    if (m_database) {
        QSqlQuery query(m_database->connection());
        query.prepare(QStringLiteral("UPDATE cache SET last_used_ms = ? WHERE key = ?"));
        query.addBindValue(nowMs);
        query.addBindValue(key);
        query.exec();
    }
    Answer answer = found->answer;
    answer.cached = true;
    answer.costUsd = 0.0; // nothing was paid for this answer
    answer.attempts = 0;
    answer.fallbackFrom.reset();
    return answer;
}

void ResponseCache::store(const QString& key, const Answer& answer, qint64 nowMs) {
    if (!answer.succeeded() || m_limits.maxEntries == 0 || m_limits.ttlMs == 0)
        return;
    m_memory.insert(key, Entry{answer, nowMs});
    touch(key);
    if (!m_database)
        return;
    QSqlQuery query(m_database->connection());
    query.prepare(QStringLiteral(
        "INSERT OR REPLACE INTO cache (key, created_at_ms, last_used_ms, answer_json) VALUES (?, ?, ?, ?)"));
    query.addBindValue(key);
    query.addBindValue(nowMs);
    query.addBindValue(nowMs);
    query.addBindValue(
        QString::fromUtf8(QJsonDocument(AnswerJson::toJson(answer)).toJson(QJsonDocument::Compact)));
    if (!query.exec())
        return;
    // Keep the table within its cap, dropping the least recently used.
    query.prepare(
        QStringLiteral("DELETE FROM cache WHERE key IN (SELECT key FROM cache ORDER BY last_used_ms DESC "
                       "LIMIT -1 OFFSET ?)"));
    query.addBindValue(m_limits.maxEntries);
    query.exec();
}

} // namespace parallax
