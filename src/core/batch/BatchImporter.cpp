#include "BatchImporter.h"

#include "batch/CsvReader.h"
#include "text/TemplateRenderer.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include <algorithm>
#include <optional>

namespace parallax {

namespace {

QString valueText(const QJsonValue& value) {
    if (value.isString())
        return value.toString();
    if (value.isDouble())
        return QString::number(value.toDouble(), 'g', 15);
    if (value.isBool())
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
}

// The text of a Chat Completions message content: a string, or an array of text parts.
QString contentText(const QJsonValue& content) {
    if (content.isString())
        return content.toString();
    QString text;
    for (const QJsonValue& part : content.toArray()) {
        if (part.toObject().value(QLatin1String("type")).toString() == QLatin1String("text"))
            text += part.toObject().value(QLatin1String("text")).toString();
    }
    return text;
}

} // namespace

void BatchImporter::addRow(BatchRow row, const QHash<QString, QString>* values, Result& result) {
    if (values) {
        QStringList missing;
        const std::optional<QString> prompt = TemplateRenderer::render(row.prompt, *values, &missing);
        if (!prompt) {
            result.problems.append(
                {row.line, QStringLiteral("the prompt uses {{%1}}, which this row does not have")
                               .arg(missing.join(QStringLiteral("}}, {{")))});
            return;
        }
        row.prompt = *prompt;
    }
    if (row.prompt.trimmed().isEmpty()) {
        result.problems.append({row.line, QStringLiteral("the prompt is empty")});
        return;
    }
    if (row.id.isEmpty())
        row.id = QStringLiteral("line-%1").arg(row.line);
    if (const auto first = result.lineOfId.constFind(row.id); first != result.lineOfId.constEnd()) {
        result.problems.append(
            {row.line, QStringLiteral("the id '%1' is used already on line %2").arg(row.id).arg(*first)});
        return;
    }
    result.lineOfId.insert(row.id, row.line);
    result.rows.append(row);
}

std::optional<BatchImporter::Result> BatchImporter::importFile(const QString& path, QString* fatalError,
                                                               const QString& promptTemplate) {
    std::optional<Result> result = readFile(path, fatalError, promptTemplate);
    if (result) {
        std::stable_sort(result->problems.begin(), result->problems.end(),
                         [](const ImportProblem& a, const ImportProblem& b) { return a.line < b.line; });
    }
    return result;
}

std::optional<BatchImporter::Result> BatchImporter::readFile(const QString& path, QString* fatalError,
                                                             const QString& promptTemplate) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *fatalError = QStringLiteral("cannot read %1: %2").arg(path, file.errorString());
        return std::nullopt;
    }
    if (file.size() > kMaxInputBytes) {
        *fatalError = QStringLiteral("%1 is %2 MiB; batches take inputs up to %3 MiB (split the file)")
                          .arg(path)
                          .arg(file.size() / (1024 * 1024))
                          .arg(kMaxInputBytes / (1024 * 1024));
        return std::nullopt;
    }
    const QByteArray content = file.readAll();
    if (QFileInfo(path).suffix().compare(QLatin1String("csv"), Qt::CaseInsensitive) == 0)
        return importCsv(content, fatalError, promptTemplate);
    return importJsonl(content, promptTemplate);
}

std::optional<BatchImporter::Result> BatchImporter::importCsv(const QByteArray& content, QString* fatalError,
                                                              const QString& promptTemplate) {
    Result result;
    QList<QPair<int, QString>> csvProblems;
    const QList<CsvReader::Record> records = CsvReader::parse(content, &csvProblems);
    for (const auto& [line, reason] : csvProblems)
        result.problems.append({line, reason});
    if (records.isEmpty()) {
        *fatalError = QStringLiteral("the CSV file has no header row");
        return std::nullopt;
    }
    QStringList header;
    for (const QString& name : records.first().fields)
        header.append(name.trimmed());
    const qsizetype promptColumn = header.indexOf(QStringLiteral("prompt"));
    if (promptColumn < 0 && promptTemplate.isEmpty()) {
        *fatalError = QStringLiteral("the CSV header (line %1) has no 'prompt' column; it has: %2")
                          .arg(records.first().line)
                          .arg(header.join(QStringLiteral(", ")));
        return std::nullopt;
    }
    const qsizetype idColumn = header.indexOf(QStringLiteral("id"));
    const qsizetype systemColumn = header.indexOf(QStringLiteral("system"));
    for (qsizetype r = 1; r < records.size(); ++r) {
        const CsvReader::Record& record = records.at(r);
        if (record.fields.size() != header.size()) {
            result.problems.append({record.line, QStringLiteral("%1 fields where the header has %2")
                                                     .arg(record.fields.size())
                                                     .arg(header.size())});
            continue;
        }
        QHash<QString, QString> values;
        for (qsizetype c = 0; c < header.size(); ++c)
            values.insert(header.at(c), record.fields.at(c));
        BatchRow row;
        row.line = record.line;
        row.id = idColumn >= 0 ? record.fields.at(idColumn).trimmed() : QString();
        row.prompt = promptTemplate.isEmpty() ? record.fields.at(promptColumn) : promptTemplate;
        row.system = systemColumn >= 0 ? record.fields.at(systemColumn) : QString();
        addRow(row, &values, result);
    }
    return result;
}

BatchImporter::Result BatchImporter::importJsonl(const QByteArray& content, const QString& promptTemplate) {
    Result result;
    QByteArray text = content;
    if (text.startsWith("\xEF\xBB\xBF"))
        text.remove(0, 3);
    const QList<QByteArray> lines = text.split('\n');
    for (qsizetype index = 0; index < lines.size(); ++index) {
        const int lineNumber = static_cast<int>(index + 1);
        const QByteArray line = lines.at(index).trimmed();
        if (line.isEmpty())
            continue;
        QJsonParseError parseError;
        const QJsonDocument document = QJsonDocument::fromJson(line, &parseError);
        if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
            result.problems.append(
                {lineNumber, parseError.error != QJsonParseError::NoError
                                 ? QStringLiteral("not valid JSON: %1").arg(parseError.errorString())
                                 : QStringLiteral("not a JSON object")});
            continue;
        }
        const QJsonObject object = document.object();
        BatchRow row;
        row.line = lineNumber;
        QHash<QString, QString> values;
        if (object.contains(QLatin1String("custom_id")) && object.contains(QLatin1String("body"))) {
            // OpenAI Batch API input: the prompt is the last user message, the system message the system.
            row.id = valueText(object.value(QLatin1String("custom_id")));
            for (const QJsonValue& message :
                 object.value(QLatin1String("body")).toObject().value(QLatin1String("messages")).toArray()) {
                const QString role = message.toObject().value(QLatin1String("role")).toString();
                const QString messageText = contentText(message.toObject().value(QLatin1String("content")));
                if (role == QLatin1String("system") || role == QLatin1String("developer"))
                    row.system = messageText;
                else if (role == QLatin1String("user"))
                    row.prompt = messageText;
            }
            if (row.prompt.isEmpty()) {
                result.problems.append({lineNumber, QStringLiteral("the request body has no user message")});
                continue;
            }
            if (!promptTemplate.isEmpty()) {
                values.insert(QStringLiteral("id"), row.id);
                values.insert(QStringLiteral("prompt"), row.prompt);
                row.prompt = promptTemplate;
                addRow(row, &values, result);
                continue;
            }
            addRow(row, nullptr, result); // sent as it is: braces in it are not template placeholders
            continue;
        }
        if (!object.value(QLatin1String("prompt")).isString() && promptTemplate.isEmpty()) {
            result.problems.append({lineNumber, QStringLiteral("no \"prompt\" string")});
            continue;
        }
        if (object.contains(QLatin1String("id")))
            row.id = valueText(object.value(QLatin1String("id")));
        row.prompt = object.value(QLatin1String("prompt")).toString();
        row.system = object.value(QLatin1String("system")).toString();
        const QJsonObject vars = object.value(QLatin1String("vars")).toObject();
        for (auto it = vars.begin(); it != vars.end(); ++it)
            values.insert(it.key(), valueText(it.value()));
        if (!promptTemplate.isEmpty()) {
            if (object.value(QLatin1String("prompt")).isString())
                values.insert(QStringLiteral("prompt"), row.prompt);
            if (!row.id.isEmpty())
                values.insert(QStringLiteral("id"), row.id);
            row.prompt = promptTemplate;
        }
        addRow(row, &values, result);
    }
    return result;
}

} // namespace parallax
