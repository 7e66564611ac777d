#include "RemoteBatchStore.h"

#include "batch/BatchStore.h"
#include "store/Database.h"

#include <QDateTime>
#include <QSqlError>
#include <QSqlQuery>

namespace parallax {

namespace {
QString now() {
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
}

bool run(QSqlQuery& query, QString* error) {
    if (query.exec())
        return true;
    *error = query.lastError().text();
    return false;
}
} // namespace

RemoteBatchStore::RemoteBatchStore(Database& database)
    : m_database(database) {}

std::optional<qint64> RemoteBatchStore::begin(qint64 jobId, int profileIndex, ProviderKind kind,
                                              const QString& baseUrl, const QList<qint64>& itemIds,
                                              QString* error) {
    QSqlDatabase db = m_database.connection();
    if (!db.transaction()) {
        *error = db.lastError().text();
        return std::nullopt;
    }
    QSqlQuery query(db);
    query.prepare(QStringLiteral("INSERT INTO batch_remote (job_id, profile_index, kind, base_url, phase, "
                                 "created_at, updated_at) VALUES (?, ?, ?, ?, 'submitting', ?, ?)"));
    const QString created = now();
    query.addBindValue(jobId);
    query.addBindValue(profileIndex);
    query.addBindValue(providerKindName(kind));
    query.addBindValue(baseUrl);
    query.addBindValue(created);
    query.addBindValue(created);
    if (!run(query, error)) {
        db.rollback();
        return std::nullopt;
    }
    const qint64 id = query.lastInsertId().toLongLong();
    query.prepare(QStringLiteral("UPDATE batch_items SET state = 'running', remote_batch_id = ?, attempts = "
                                 "attempts + 1, updated_at = ? WHERE id = ?"));
    for (qint64 itemId : itemIds) {
        query.addBindValue(id);
        query.addBindValue(created);
        query.addBindValue(itemId);
        if (!run(query, error)) {
            db.rollback();
            return std::nullopt;
        }
    }
    if (!db.commit()) {
        *error = db.lastError().text();
        return std::nullopt;
    }
    return id;
}

bool RemoteBatchStore::setInputFile(qint64 id, const QString& fileId, QString* error) {
    QSqlQuery query(m_database.connection());
    query.prepare(QStringLiteral("UPDATE batch_remote SET input_file_id = ?, updated_at = ? WHERE id = ?"));
    query.addBindValue(fileId);
    query.addBindValue(now());
    query.addBindValue(id);
    return run(query, error);
}

bool RemoteBatchStore::setSubmitted(qint64 id, const QString& remoteId, const QString& status,
                                    QString* error) {
    QSqlQuery query(m_database.connection());
    query.prepare(QStringLiteral(
        "UPDATE batch_remote SET phase = 'polling', remote_id = ?, status = ?, updated_at = ? WHERE id = ?"));
    query.addBindValue(remoteId);
    query.addBindValue(status);
    query.addBindValue(now());
    query.addBindValue(id);
    return run(query, error);
}

bool RemoteBatchStore::setStatus(qint64 id, const QString& status, const QString& outputFileId,
                                 const QString& errorFileId, const QString& resultsUrl, QString* error) {
    QSqlQuery query(m_database.connection());
    query.prepare(QStringLiteral("UPDATE batch_remote SET status = ?, output_file_id = ?, error_file_id = ?, "
                                 "results_url = ?, updated_at = ? WHERE id = ?"));
    query.addBindValue(status);
    query.addBindValue(outputFileId);
    query.addBindValue(errorFileId);
    query.addBindValue(resultsUrl);
    query.addBindValue(now());
    query.addBindValue(id);
    return run(query, error);
}

bool RemoteBatchStore::abandon(qint64 id, QString* error) {
    QSqlDatabase db = m_database.connection();
    if (!db.transaction()) {
        *error = db.lastError().text();
        return false;
    }
    QSqlQuery query(db);
    query.prepare(QStringLiteral("UPDATE batch_items SET state = 'pending', remote_batch_id = NULL WHERE "
                                 "remote_batch_id = ? AND state = 'running'"));
    query.addBindValue(id);
    bool ok = run(query, error);
    if (ok) {
        query.prepare(
            QStringLiteral("UPDATE batch_remote SET phase = 'abandoned', updated_at = ? WHERE id = ?"));
        query.addBindValue(now());
        query.addBindValue(id);
        ok = run(query, error);
    }
    if (!ok || !db.commit()) {
        if (ok)
            *error = db.lastError().text();
        db.rollback();
        return false;
    }
    return true;
}

bool RemoteBatchStore::merge(qint64 id, const QList<Outcome>& outcomes, QString* error) {
    QSqlDatabase db = m_database.connection();
    if (!db.transaction()) {
        *error = db.lastError().text();
        return false;
    }
    QSqlQuery query(db);
    const QString updated = now();
    query.prepare(
        QStringLiteral("UPDATE batch_items SET state = ?, answer_json = ?, updated_at = ? WHERE id = ? "
                       "AND remote_batch_id = ? AND state = 'running'"));
    bool ok = true;
    for (const Outcome& outcome : outcomes) {
        query.addBindValue(BatchItem::stateName(outcome.state));
        query.addBindValue(outcome.answerJson);
        query.addBindValue(updated);
        query.addBindValue(outcome.itemId);
        query.addBindValue(id);
        if (!(ok = run(query, error)))
            break;
    }
    if (ok) {
        query.prepare(
            QStringLiteral("UPDATE batch_remote SET phase = 'merged', updated_at = ? WHERE id = ?"));
        query.addBindValue(updated);
        query.addBindValue(id);
        ok = run(query, error);
    }
    if (!ok || !db.commit()) {
        if (ok)
            *error = db.lastError().text();
        db.rollback();
        return false;
    }
    return true;
}

QList<RemoteBatch> RemoteBatchStore::unfinished(qint64 jobId) const {
    QSqlQuery query(m_database.connection());
    query.setForwardOnly(true);
    query.prepare(QStringLiteral(
        "SELECT id, job_id, profile_index, kind, base_url, phase, remote_id, input_file_id, status, "
        "output_file_id, error_file_id, results_url FROM batch_remote WHERE job_id = ? AND phase IN "
        "('submitting', 'polling') ORDER BY id"));
    query.addBindValue(jobId);
    QList<RemoteBatch> result;
    if (!query.exec())
        return result;
    while (query.next()) {
        RemoteBatch batch;
        batch.id = query.value(0).toLongLong();
        batch.jobId = query.value(1).toLongLong();
        batch.profileIndex = query.value(2).toInt();
        batch.kind = providerKindFromName(query.value(3).toString()).value_or(ProviderKind::OpenAi);
        batch.baseUrl = query.value(4).toString();
        batch.phase = RemoteBatch::phaseFromName(query.value(5).toString());
        batch.remoteId = query.value(6).toString();
        batch.inputFileId = query.value(7).toString();
        batch.status = query.value(8).toString();
        batch.outputFileId = query.value(9).toString();
        batch.errorFileId = query.value(10).toString();
        batch.resultsUrl = query.value(11).toString();
        result.append(batch);
    }
    return result;
}

QList<BatchItem> RemoteBatchStore::runningItems(qint64 id) const {
    QSqlQuery query(m_database.connection());
    query.setForwardOnly(true);
    query.prepare(
        QStringLiteral("SELECT id, row_index, item_id, profile_index, prompt, system_prompt, state, "
                       "attempts, answer_json FROM batch_items WHERE remote_batch_id = ? AND state = "
                       "'running' ORDER BY row_index"));
    query.addBindValue(id);
    return BatchStore::read(query);
}

} // namespace parallax
