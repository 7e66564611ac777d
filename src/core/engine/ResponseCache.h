#pragma once

#include "providers/Answer.h"
#include "providers/ChatRequest.h"
#include "providers/ProviderProfile.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <list>

#include <optional>

namespace parallax {

class Database;

/// Finished answers by request: an in-memory LRU in front of the SQLite `cache` table. The key is the
/// SHA-256 of the canonical JSON of what was sent (kind, base URL, model, the sanitized messages, system
/// prompt, parameters), so a hit is exactly the same request. Errors and cancelled answers are never
/// stored. A hit comes back with `cached: true`, cost 0, and the original timings for display.
class ResponseCache {
public:
    struct Limits {
        qint64 ttlMs = 24LL * 3600 * 1000;
        int maxEntries = 2000;
        int memoryEntries = 256;
    };

    /// Settings' "cache": {"ttl_hours": 24, "max_entries": 2000}.
    static Limits limitsFromSettings(const QJsonObject& cache);

    ResponseCache(Database* database, Limits limits);

    static QString key(const ProviderProfile& profile, const ChatRequest& request);

    std::optional<Answer> lookup(const QString& key, qint64 nowMs);
    /// Stores a successful answer; anything else is ignored.
    void store(const QString& key, const Answer& answer, qint64 nowMs);

private:
    struct Entry {
        Answer answer;
        qint64 createdAtMs = 0;
        qint64 lastUseWrittenMs = 0; ///< when last_used_ms was last written to SQLite
        std::list<QString>::iterator recency;
    };
    Entry& remember(const QString& key, Answer answer, qint64 createdAtMs, qint64 lastUseWrittenMs);
    void forget(const QString& key);

    Database* m_database;
    Limits m_limits;
    QHash<QString, Entry> m_memory;
    std::list<QString> m_recency; // most recently used last
};

} // namespace parallax
