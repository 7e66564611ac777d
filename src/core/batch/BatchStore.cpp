#include "BatchStore.h"

#include "store/Database.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>

namespace parallax {

namespace {
QString now() {
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
}
QString text(const QString& value) {
    return value.isNull() ? QStringLiteral("") : value;
}
const QString kJobColumns = QStringLiteral(
    "j.id, j.state, j.profiles, j.created_at, j.input_path, j.mode, j.concurrency, j.budget_usd");
const QString kProviderMode = QStringLiteral("provider");
} // namespace

BatchStore::BatchStore(Database& database)
    : m_database(database) {}

int BatchStore::JobSummary::total() const {
    int sum = 0;
    for (int count : counts)
        sum += count;
    return sum;
}

int BatchStore::JobSummary::rows() const {
    return job.profiles.isEmpty() ? 0 : total() / static_cast<int>(job.profiles.size());
}

int BatchStore::JobSummary::unfinished() const {
    return counts.value(BatchItem::State::Pending) + counts.value(BatchItem::State::Running);
}

BatchStore::Job BatchStore::readJob(const QSqlQuery& query) {
    Job job;
    job.id = query.value(0).toLongLong();
    job.state = query.value(1).toString();
    for (const QJsonValue& value : QJsonDocument::fromJson(query.value(2).toString().toUtf8()).array())
        job.profiles.append(value.toString());
    job.createdAt = QDateTime::fromString(query.value(3).toString(), Qt::ISODateWithMs);
    job.inputPath = query.value(4).toString();
    job.settings.providerMode = query.value(5).toString() == kProviderMode;
    job.settings.concurrency = query.value(6).toInt();
    if (!query.value(7).isNull())
        job.settings.budgetUsd = query.value(7).toDouble();
    return job;
}

std::optional<BatchStore::Job> BatchStore::findJob(const QString& jobKey) const {
    QSqlQuery query(m_database.connection());
    query.prepare(QStringLiteral("SELECT %1 FROM batch_jobs j WHERE j.job_key = ?").arg(kJobColumns));
    query.addBindValue(jobKey);
    if (!query.exec() || !query.next())
        return std::nullopt;
    return readJob(query);
}

std::optional<BatchStore::Job> BatchStore::job(qint64 jobId) const {
    QSqlQuery query(m_database.connection());
    query.prepare(QStringLiteral("SELECT %1 FROM batch_jobs j WHERE j.id = ?").arg(kJobColumns));
    query.addBindValue(jobId);
    if (!query.exec() || !query.next())
        return std::nullopt;
    return readJob(query);
}

QList<BatchStore::JobSummary> BatchStore::jobs(const QString& keyPrefix, QString* error) const {
    QList<JobSummary> result;
    QSqlQuery query(m_database.connection());
    query.setForwardOnly(true);
    // One pass over the items, counted per job and state; a job without items still gets a row.
    query.prepare(QStringLiteral("SELECT %1, i.state, COUNT(i.id) FROM batch_jobs j "
                                 "LEFT JOIN batch_items i ON i.job_id = j.id "
                                 "WHERE substr(j.job_key, 1, length(?)) = ? "
                                 "GROUP BY j.id, i.state ORDER BY j.id DESC")
                      .arg(kJobColumns));
    query.addBindValue(keyPrefix);
    query.addBindValue(keyPrefix);
    if (!query.exec()) {
        *error = query.lastError().text();
        return result;
    }
    while (query.next()) {
        const qint64 id = query.value(0).toLongLong();
        if (result.isEmpty() || result.last().job.id != id)
            result.append(JobSummary{readJob(query), {}});
        if (!query.value(8).isNull())
            result.last().counts.insert(BatchItem::stateFromName(query.value(8).toString()),
                                        query.value(9).toInt());
    }
    return result;
}

std::optional<qint64> BatchStore::createJob(const QString& jobKey, const QString& inputPath,
                                            const QString& outputPath, const QStringList& profiles,
                                            const QList<BatchRow>& rows, const RunSettings& settings,
                                            QString* error) {
    QSqlDatabase db = m_database.connection();
    if (!db.transaction()) {
        *error = db.lastError().text();
        return std::nullopt;
    }
    QSqlQuery query(db);
    query.prepare(QStringLiteral(
        "INSERT INTO batch_jobs (job_key, created_at, input_path, output_path, profiles, state, mode, "
        "concurrency, budget_usd) VALUES (?, ?, ?, ?, ?, 'running', ?, ?, ?)"));
    query.addBindValue(jobKey);
    query.addBindValue(now());
    query.addBindValue(inputPath);
    query.addBindValue(outputPath);
    query.addBindValue(QString::fromUtf8(
        QJsonDocument(QJsonArray::fromStringList(profiles)).toJson(QJsonDocument::Compact)));
    query.addBindValue(settings.providerMode ? kProviderMode : QStringLiteral("local"));
    query.addBindValue(settings.concurrency);
    query.addBindValue(settings.budgetUsd ? QVariant(*settings.budgetUsd)
                                          : QVariant(QMetaType::fromType<double>()));
    if (!query.exec()) {
        *error = query.lastError().text();
        db.rollback();
        return std::nullopt;
    }
    const qint64 jobId = query.lastInsertId().toLongLong();
    query.prepare(
        QStringLiteral("INSERT INTO batch_items (job_id, row_index, item_id, profile_index, prompt, "
                       "system_prompt, state, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'pending', ?)"));
    const QString created = now();
    for (qsizetype row = 0; row < rows.size(); ++row) {
        for (qsizetype profile = 0; profile < profiles.size(); ++profile) {
            query.addBindValue(jobId);
            query.addBindValue(static_cast<int>(row));
            query.addBindValue(text(rows.at(row).id));
            query.addBindValue(static_cast<int>(profile));
            query.addBindValue(text(rows.at(row).prompt));
            query.addBindValue(text(rows.at(row).system));
            query.addBindValue(created);
            if (!query.exec()) {
                *error = query.lastError().text();
                db.rollback();
                return std::nullopt;
            }
        }
    }
    if (!db.commit()) {
        *error = db.lastError().text();
        return std::nullopt;
    }
    return jobId;
}

bool BatchStore::deleteJob(qint64 jobId, QString* error) {
    QSqlQuery query(m_database.connection());
    query.prepare(QStringLiteral("DELETE FROM batch_jobs WHERE id = ?"));
    query.addBindValue(jobId);
    if (query.exec())
        return true;
    *error = query.lastError().text();
    return false;
}

bool BatchStore::setJobState(qint64 jobId, const QString& state, QString* error) {
    QSqlQuery query(m_database.connection());
    query.prepare(QStringLiteral("UPDATE batch_jobs SET state = ? WHERE id = ?"));
    query.addBindValue(state);
    query.addBindValue(jobId);
    if (query.exec())
        return true;
    *error = query.lastError().text();
    return false;
}

int BatchStore::requeueRunning(qint64 jobId) {
    QSqlQuery query(m_database.connection());
    query.prepare(
        // Items in a provider's batch are running there, not in a dead process: they are polled, not resent.
        QStringLiteral("UPDATE batch_items SET state = 'pending' WHERE job_id = ? AND state = 'running' AND "
                       "remote_batch_id IS NULL"));
    query.addBindValue(jobId);
    return query.exec() ? query.numRowsAffected() : 0;
}

int BatchStore::requeueFailed(qint64 jobId) {
    QSqlQuery query(m_database.connection());
    query.prepare(
        QStringLiteral("UPDATE batch_items SET state = 'pending', answer_json = NULL WHERE job_id = ? AND "
                       "state IN ('failed', 'cancelled')"));
    query.addBindValue(jobId);
    return query.exec() ? query.numRowsAffected() : 0;
}

std::optional<int> BatchStore::cancelPending(qint64 jobId, const QStringList& answerJsonByProfile,
                                             QString* error) {
    QSqlDatabase db = m_database.connection();
    if (!db.transaction()) {
        *error = db.lastError().text();
        return std::nullopt;
    }
    QSqlQuery query(db);
    query.prepare(
        QStringLiteral("UPDATE batch_items SET state = 'cancelled', answer_json = ?, updated_at = ? "
                       "WHERE job_id = ? AND profile_index = ? AND state = 'pending'"));
    const QString updated = now();
    int cancelled = 0;
    for (qsizetype profile = 0; profile < answerJsonByProfile.size(); ++profile) {
        query.addBindValue(answerJsonByProfile.at(profile));
        query.addBindValue(updated);
        query.addBindValue(jobId);
        query.addBindValue(static_cast<int>(profile));
        if (!query.exec()) {
            *error = query.lastError().text();
            db.rollback();
            return std::nullopt;
        }
        cancelled += query.numRowsAffected();
    }
    if (!db.commit()) {
        *error = db.lastError().text();
        return std::nullopt;
    }
    return cancelled;
}

QList<BatchItem> BatchStore::items(qint64 jobId, std::optional<BatchItem::State> only) const {
    QSqlQuery query(m_database.connection());
    query.setForwardOnly(true);
    query.prepare(QStringLiteral(
        "SELECT id, row_index, item_id, profile_index, prompt, system_prompt, state, attempts, "
        "answer_json FROM batch_items WHERE job_id = ? AND (? = '' OR state = ?) "
        "ORDER BY row_index, profile_index"));
    const QString state = only ? BatchItem::stateName(*only) : QStringLiteral("");
    query.addBindValue(jobId);
    query.addBindValue(state);
    query.addBindValue(state);
    return read(query);
}

QList<BatchItem> BatchStore::rowItems(qint64 itemId) const {
    QSqlQuery query(m_database.connection());
    query.setForwardOnly(true);
    query.prepare(QStringLiteral(
        "SELECT id, row_index, item_id, profile_index, prompt, system_prompt, state, attempts, "
        "answer_json FROM batch_items WHERE (job_id, row_index) = (SELECT job_id, row_index FROM "
        "batch_items WHERE id = ?) ORDER BY profile_index"));
    query.addBindValue(itemId);
    return read(query);
}

QList<BatchItem> BatchStore::read(QSqlQuery& query) {
    QList<BatchItem> result;
    if (!query.exec())
        return result;
    while (query.next()) {
        BatchItem item;
        item.id = query.value(0).toLongLong();
        item.rowIndex = query.value(1).toInt();
        item.itemId = query.value(2).toString();
        item.profileIndex = query.value(3).toInt();
        item.prompt = query.value(4).toString();
        item.systemPrompt = query.value(5).toString();
        item.state = BatchItem::stateFromName(query.value(6).toString());
        item.attempts = query.value(7).toInt();
        item.answerJson = query.value(8).toString();
        result.append(item);
    }
    return result;
}

bool BatchStore::markRunning(qint64 itemId, QString* error) {
    QSqlQuery& query = m_database.prepared(QStringLiteral(
        "UPDATE batch_items SET state = 'running', attempts = attempts + 1, updated_at = ? WHERE id = ?"));
    query.addBindValue(now());
    query.addBindValue(itemId);
    if (query.exec())
        return true;
    *error = query.lastError().text();
    return false;
}

bool BatchStore::markFinished(qint64 itemId, BatchItem::State state, const QString& answerJson,
                              QString* error) {
    QSqlQuery& query = m_database.prepared(
        QStringLiteral("UPDATE batch_items SET state = ?, answer_json = ?, updated_at = ? WHERE id = ?"));
    query.addBindValue(BatchItem::stateName(state));
    query.addBindValue(answerJson);
    query.addBindValue(now());
    query.addBindValue(itemId);
    if (query.exec())
        return true;
    *error = query.lastError().text();
    return false;
}

QMap<BatchItem::State, int> BatchStore::counts(qint64 jobId) const {
    QMap<BatchItem::State, int> result;
    QSqlQuery query(m_database.connection());
    query.prepare(QStringLiteral("SELECT state, COUNT(*) FROM batch_items WHERE job_id = ? GROUP BY state"));
    query.addBindValue(jobId);
    if (query.exec()) {
        while (query.next())
            result.insert(BatchItem::stateFromName(query.value(0).toString()), query.value(1).toInt());
    }
    return result;
}

} // namespace parallax
