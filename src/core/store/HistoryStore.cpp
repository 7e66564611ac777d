#include "HistoryStore.h"

#include "engine/AnswerJson.h"
#include "store/Database.h"

#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>

namespace parallax {

namespace {
QVariant optionalVariant(const std::optional<qint64>& value) {
    return value ? QVariant(*value) : QVariant();
}

/// The run columns both queries select first, in this order: request_id, created_at, command, prompt,
/// system_prompt, parameters.
RunRecord runFrom(const QSqlQuery& query) {
    RunRecord run;
    run.requestId = query.value(0).toString();
    run.createdAt = QDateTime::fromString(query.value(1).toString(), Qt::ISODateWithMs);
    run.command = query.value(2).toString();
    run.prompt = query.value(3).toString();
    run.systemPrompt = query.value(4).toString();
    run.parameters = QJsonDocument::fromJson(query.value(5).toString().toUtf8()).object();
    return run;
}

// Qt binds a null QString as SQL NULL; the history's text columns hold "" for "nothing".
QString text(const QString& value) {
    return value.isNull() ? QStringLiteral("") : value;
}
} // namespace

HistoryStore::HistoryStore(Database& database)
    : m_database(database) {}

bool HistoryStore::save(const RunRecord& run, QString* error) {
    QSqlDatabase db = m_database.connection();
    if (!db.transaction()) {
        *error = db.lastError().text();
        return false;
    }
    const auto fail = [&](const QSqlQuery& query) {
        *error = query.lastError().text();
        db.rollback();
        return false;
    };
    QSqlQuery query(db);
    query.prepare(QStringLiteral(
        "INSERT INTO runs (request_id, created_at, command, prompt, system_prompt, parameters, "
        "synthesis) VALUES (?, ?, ?, ?, ?, ?, ?)"));
    query.addBindValue(text(run.requestId));
    query.addBindValue(run.createdAt.toUTC().toString(Qt::ISODateWithMs));
    query.addBindValue(text(run.command));
    query.addBindValue(text(run.prompt));
    query.addBindValue(text(run.systemPrompt));
    query.addBindValue(QString::fromUtf8(QJsonDocument(run.parameters).toJson(QJsonDocument::Compact)));
    query.addBindValue(run.synthesis ? QVariant(AnswerJson::toCompactText(*run.synthesis)) : QVariant());
    if (!query.exec())
        return fail(query);
    const qint64 runId = query.lastInsertId().toLongLong();

    for (qsizetype position = 0; position < run.answers.size(); ++position) {
        const Answer& answer = run.answers.at(position);
        query.prepare(QStringLiteral(
            "INSERT INTO answers (run_id, position, profile, kind, model, text, finish_reason, input_tokens, "
            "output_tokens, ttft_ms, latency_ms, cost_usd, cached, error_type, answer_json) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
        query.addBindValue(runId);
        query.addBindValue(static_cast<int>(position));
        query.addBindValue(text(answer.profile));
        query.addBindValue(providerKindName(answer.kind));
        query.addBindValue(text(answer.model));
        query.addBindValue(text(answer.text));
        query.addBindValue(answer.finishReason == FinishReason::Unknown
                               ? QVariant()
                               : QVariant(finishReasonName(answer.finishReason)));
        query.addBindValue(optionalVariant(answer.usage.inputTokens));
        query.addBindValue(optionalVariant(answer.usage.outputTokens));
        query.addBindValue(optionalVariant(answer.ttftMs));
        query.addBindValue(optionalVariant(answer.latencyMs));
        query.addBindValue(answer.costUsd ? QVariant(*answer.costUsd) : QVariant());
        query.addBindValue(answer.cached ? 1 : 0);
        query.addBindValue(answer.error ? QVariant(errorTypeName(answer.error->type)) : QVariant());
        query.addBindValue(AnswerJson::toCompactText(answer));
        if (!query.exec())
            return fail(query);
    }
    if (!db.commit()) {
        *error = db.lastError().text();
        return false;
    }
    return true;
}

QList<RunRecord> HistoryStore::recent(int limit, const QString& containing) const {
    QSqlQuery query(m_database.connection());
    query.prepare(
        QStringLiteral("SELECT request_id, created_at, command, prompt, system_prompt, parameters FROM runs "
                       "WHERE ? = '' OR prompt LIKE '%' || ? || '%' ORDER BY id DESC LIMIT ?"));
    query.addBindValue(text(containing));
    query.addBindValue(text(containing));
    query.addBindValue(limit);
    QList<RunRecord> runs;
    if (!query.exec())
        return runs;
    while (query.next())
        runs.append(runFrom(query));
    return runs;
}

std::optional<RunRecord> HistoryStore::load(const QString& requestId) const {
    QSqlQuery query(m_database.connection());
    query.prepare(QStringLiteral("SELECT request_id, created_at, command, prompt, system_prompt, parameters, "
                                 "synthesis, id FROM runs WHERE request_id = ?"));
    query.addBindValue(text(requestId));
    if (!query.exec() || !query.next())
        return std::nullopt;
    RunRecord run = runFrom(query);
    if (!query.value(6).isNull())
        run.synthesis =
            AnswerJson::fromJson(QJsonDocument::fromJson(query.value(6).toString().toUtf8()).object());
    const qint64 runId = query.value(7).toLongLong();
    query.prepare(QStringLiteral("SELECT answer_json FROM answers WHERE run_id = ? ORDER BY position"));
    query.addBindValue(runId);
    if (!query.exec())
        return std::nullopt;
    while (query.next())
        run.answers.append(
            AnswerJson::fromJson(QJsonDocument::fromJson(query.value(0).toString().toUtf8()).object()));
    return run;
}

qint64 HistoryStore::count() const {
    QSqlQuery query(m_database.connection());
    if (query.exec(QStringLiteral("SELECT COUNT(*) FROM runs")) && query.next())
        return query.value(0).toLongLong();
    return 0;
}

} // namespace parallax
