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
    , m_limits(limits) {
    // The memory layer is a view of the table, never larger than the table may be.
    m_limits.memoryEntries = qMin(m_limits.memoryEntries, m_limits.maxEntries);
}

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

namespace {
// The on-disk recency only orders evictions, so it is refreshed at most once a minute per entry
// instead of on every hit.
constexpr qint64 kRecencyWriteIntervalMs = 60'000;
} // namespace

ResponseCache::Entry& ResponseCache::remember(const QString& key, Answer answer, qint64 createdAtMs,
                                              qint64 lastUseWrittenMs) {
    forget(key);
    m_recency.push_back(key);
    Entry& entry = m_memory[key];
    entry = Entry{std::move(answer), createdAtMs, lastUseWrittenMs, std::prev(m_recency.end())};
    while (static_cast<int>(m_recency.size()) > m_limits.memoryEntries)
        forget(m_recency.front());
    return entry;
}

void ResponseCache::forget(const QString& key) {
    const auto it = m_memory.find(key);
    if (it == m_memory.end())
        return;
    m_recency.erase(it->recency);
    m_memory.erase(it);
}

std::optional<Answer> ResponseCache::lookup(const QString& key, qint64 nowMs) {
    if (m_limits.maxEntries == 0 || m_limits.ttlMs == 0)
        return std::nullopt;
    Entry* entry = nullptr;
    if (auto it = m_memory.find(key); it != m_memory.end()) {
        m_recency.splice(m_recency.end(), m_recency, it->recency);
        entry = &it.value();
    } else if (m_database) {
        QSqlQuery query(m_database->connection());
        query.prepare(
            QStringLiteral("SELECT created_at_ms, last_used_ms, answer_json FROM cache WHERE key = ?"));
        query.addBindValue(key);
        if (query.exec() && query.next()) {
            entry = &remember(
                key,
                AnswerJson::fromJson(QJsonDocument::fromJson(query.value(2).toString().toUtf8()).object()),
                query.value(0).toLongLong(), query.value(1).toLongLong());
        }
    }
    if (!entry)
        return std::nullopt;
    if (nowMs - entry->createdAtMs > m_limits.ttlMs) {
        forget(key);
        if (m_database) {
            QSqlQuery query(m_database->connection());
            query.prepare(QStringLiteral("DELETE FROM cache WHERE key = ?"));
            query.addBindValue(key);
            query.exec();
        }
        return std::nullopt;
    }
    if (m_database && nowMs - entry->lastUseWrittenMs >= kRecencyWriteIntervalMs) {
        QSqlQuery query(m_database->connection());
        query.prepare(QStringLiteral("UPDATE cache SET last_used_ms = ? WHERE key = ?"));
        query.addBindValue(nowMs);
        query.addBindValue(key);
        if (query.exec())
            entry->lastUseWrittenMs = nowMs;
    }
    Answer answer = entry->answer;
    answer.cached = true;
    answer.costUsd = 0.0; // nothing was paid for this answer
    answer.attempts = 0;
    answer.fallbackFrom.reset();
    return answer;
}

void ResponseCache::store(const QString& key, const Answer& answer, qint64 nowMs) {
    if (!answer.succeeded() || m_limits.maxEntries == 0 || m_limits.ttlMs == 0)
        return;
    remember(key, answer, nowMs, nowMs);
    if (!m_database)
        return;
    QSqlQuery query(m_database->connection());
    query.prepare(QStringLiteral(
        "INSERT OR REPLACE INTO cache (key, created_at_ms, last_used_ms, answer_json) VALUES (?, ?, ?, ?)"));
    query.addBindValue(key);
    query.addBindValue(nowMs);
    query.addBindValue(nowMs);
    query.addBindValue(AnswerJson::toCompactText(answer));
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
