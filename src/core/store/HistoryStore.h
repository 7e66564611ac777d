#pragma once

#include "providers/Answer.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace parallax {

class Database;

/// One run or comparison as the history keeps it: the sanitized prompt (what was sent), never a key.
struct RunRecord {
    QString requestId;
    QDateTime createdAt;
    QString command; ///< "run", "compare", "batch"
    QString prompt;
    QString systemPrompt;
    QJsonObject parameters; ///< max_tokens, temperature, profiles
    QList<Answer> answers;
    std::optional<Answer> synthesis;
};

/// Every run and comparison with its answers and metrics, in SQLite.
class HistoryStore {
public:
    explicit HistoryStore(Database& database);

    bool save(const RunRecord& run, QString* error);
    /// The newest runs first (answers not loaded), for lists and searches.
    QList<RunRecord> recent(int limit, const QString& containing = {}) const;
    /// One run with its answers (in column order) and synthesis; nothing when no run has that id.
    std::optional<RunRecord> load(const QString& requestId) const;
    qint64 count() const;

private:
    Database& m_database;
};

} // namespace parallax
