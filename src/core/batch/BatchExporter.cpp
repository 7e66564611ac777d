#include "BatchExporter.h"

#include "json/CompactJsonWriter.h"
#include "json/JsonTree.h"

#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QSaveFile>

namespace parallax {

namespace {

// RFC 4180: a field with a comma, a quote or a line break is quoted, its quotes doubled.
QByteArray csvField(const QString& text) {
    QByteArray field = text.toUtf8();
    if (field.contains(',') || field.contains('"') || field.contains('\n') || field.contains('\r')) {
        field.replace("\"", "\"\"");
        field = '"' + field + '"';
    }
    return field;
}

// Unknown values stay empty, never 0.
QString number(const QJsonValue& value) {
    if (!value.isDouble())
        return {};
    const double number = value.toDouble();
    if (number == static_cast<double>(value.toInteger()))
        return QString::number(value.toInteger());
    return QString::number(number, 'g', QLocale::FloatingPointShortest);
}

QJsonObject answerOf(const BatchItem& item) {
    return QJsonDocument::fromJson(item.answerJson.toUtf8()).object();
}

} // namespace

BatchExporter::Format BatchExporter::formatFor(const QString& path) {
    return QFileInfo(path).suffix().compare(QLatin1String("csv"), Qt::CaseInsensitive) == 0 ? Format::Csv
                                                                                            : Format::Jsonl;
}

bool BatchExporter::hasResult(const BatchItem& item) {
    return item.state != BatchItem::State::Pending && item.state != BatchItem::State::Running &&
           !item.answerJson.isEmpty();
}

QByteArray BatchExporter::jsonLine(const BatchItem& item) {
    // Stored answers are compact JSON with sorted keys (AnswerJson::toCompactJson), so `id` and
    // `state` slot in where QJsonObject would sort them, and the rest is copied as it is: the same
    // bytes as the QJsonObject round trip below without parsing and re-writing every answer.
    const QByteArray answer = item.answerJson.toUtf8();
    JsonTree tree;
    if (tree.parse(answer) && tree.root().isObject()) {
        QByteArray idMember = "\"id\":";
        CompactJsonWriter::appendString(idMember, item.itemId);
        QByteArray stateMember = "\"state\":";
        CompactJsonWriter::appendString(stateMember, BatchItem::stateName(item.state));
        QByteArray line;
        line.reserve(answer.size() + idMember.size() + stateMember.size() + 2);
        line += '{';
        const auto appendMember = [&line](QByteArrayView member) {
            if (line.size() > 1)
                line += ',';
            line += member;
        };
        bool idWritten = false;
        bool stateWritten = false;
        bool sorted = true;
        QString previousKey;
        for (JsonTree::Value member = tree.root().firstChild(); !member.isUndefined();
             member = member.nextSibling()) {
            const QString key = member.key();
            if ((!previousKey.isNull() && key <= previousKey) || key == QLatin1String("id") ||
                key == QLatin1String("state")) {
                sorted = false; // not written by us: take the general path
                break;
            }
            if (!idWritten && key > QLatin1String("id")) {
                appendMember(idMember);
                idWritten = true;
            }
            if (!stateWritten && key > QLatin1String("state")) {
                appendMember(stateMember);
                stateWritten = true;
            }
            appendMember(member.memberText());
            previousKey = key;
        }
        if (sorted) {
            if (!idWritten)
                appendMember(idMember);
            if (!stateWritten)
                appendMember(stateMember);
            line += '}';
            return line;
        }
    }
    QJsonObject line = answerOf(item);
    line.insert(QStringLiteral("id"), item.itemId);
    line.insert(QStringLiteral("state"), BatchItem::stateName(item.state));
    return QJsonDocument(line).toJson(QJsonDocument::Compact);
}

QByteArray BatchExporter::csvHeader() {
    return QByteArrayLiteral("id,profile,model,state,input_tokens,output_tokens,cost_usd,ttft_ms,latency_ms,"
                             "error_type,error_message,answer\r\n");
}

QByteArray BatchExporter::csvRecord(const BatchItem& item, const QString& profileName) {
    const QJsonObject answer = answerOf(item);
    const QJsonObject usage = answer.value(QLatin1String("usage")).toObject();
    const QJsonObject error = answer.value(QLatin1String("error")).toObject();
    const QStringList fields{item.itemId,
                             profileName,
                             answer.value(QLatin1String("model")).toString(),
                             BatchItem::stateName(item.state),
                             number(usage.value(QLatin1String("input_tokens"))),
                             number(usage.value(QLatin1String("output_tokens"))),
                             number(answer.value(QLatin1String("cost_usd"))),
                             number(answer.value(QLatin1String("ttft_ms"))),
                             number(answer.value(QLatin1String("latency_ms"))),
                             error.value(QLatin1String("type")).toString(),
                             error.value(QLatin1String("message")).toString(),
                             answer.value(QLatin1String("text")).toString()};
    QByteArray record;
    for (const QString& field : fields) {
        if (!record.isEmpty())
            record += ',';
        record += csvField(field);
    }
    return record + "\r\n";
}

std::optional<BatchExporter::Summary> BatchExporter::write(const QList<BatchItem>& items,
                                                           const QStringList& profiles, Format format,
                                                           const QString& path, QString* error) {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return std::nullopt;
    }
    Summary summary;
    if (format == Format::Csv)
        file.write(csvHeader());
    for (const BatchItem& item : items) {
        if (!hasResult(item)) {
            ++summary.unfinished;
            continue;
        }
        ++summary.written;
        if (item.state == BatchItem::State::Failed)
            ++summary.failed;
        if (format == Format::Csv)
            file.write(csvRecord(item, profiles.value(item.profileIndex)));
        else
            file.write(jsonLine(item) + '\n');
    }
    if (!file.commit()) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return std::nullopt;
    }
    return summary;
}

} // namespace parallax
