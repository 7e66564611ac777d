#include "CsvReader.h"

namespace parallax {

QList<CsvReader::Record> CsvReader::parse(const QByteArray& utf8, QList<QPair<int, QString>>* problems) {
    QString text = QString::fromUtf8(utf8);
    if (text.startsWith(QChar(0xFEFF)))
        text.remove(0, 1);

    QList<Record> records;
    Record record;
    QString field;
    bool inQuotes = false;
    bool fieldWasQuoted = false;
    bool broken = false;
    QString brokenReason;
    int line = 1;
    record.line = 1;

    const auto endField = [&] {
        record.fields.append(field);
        field.clear();
        fieldWasQuoted = false;
    };
    const auto endRecord = [&](int nextLine) {
        endField();
        const bool blank = record.fields.size() == 1 && record.fields.first().isEmpty();
        if (broken)
            problems->append({record.line, brokenReason});
        else if (!blank)
            records.append(record);
        record = Record{};
        record.line = nextLine;
        broken = false;
    };

    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (inQuotes) {
            if (c == QLatin1Char('"')) {
                if (i + 1 < text.size() && text.at(i + 1) == QLatin1Char('"')) {
                    field += QLatin1Char('"');
                    ++i;
                } else {
                    inQuotes = false;
                }
            } else {
                if (c == QLatin1Char('\n'))
                    ++line;
                field += c;
            }
            continue;
        }
        if (c == QLatin1Char('"')) {
            if (field.isEmpty() && !fieldWasQuoted) {
                inQuotes = true;
                fieldWasQuoted = true;
            } else if (!broken) {
                broken = true;
                brokenReason =
                    QStringLiteral("a double quote inside an unquoted field (quote the field and double the "
                                   "quote: \"\")");
            }
        } else if (c == QLatin1Char(',')) {
            endField();
        } else if (c == QLatin1Char('\r') || c == QLatin1Char('\n')) {
            if (c == QLatin1Char('\r') && i + 1 < text.size() && text.at(i + 1) == QLatin1Char('\n'))
                ++i;
            ++line;
            endRecord(line);
        } else {
            if (fieldWasQuoted && !broken) {
                broken = true;
                brokenReason = QStringLiteral("text after a closing quote");
            }
            field += c;
        }
    }
    if (inQuotes) {
        broken = true;
        brokenReason = QStringLiteral("a quoted field is never closed");
    }
    if (!field.isEmpty() || !record.fields.isEmpty() || broken)
        endRecord(line + 1);
    return records;
}

} // namespace parallax
