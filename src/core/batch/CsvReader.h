#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace parallax {

/// RFC 4180 CSV: comma-separated fields, fields in double quotes may hold commas, line breaks and
/// doubled quotes; CRLF or LF line ends; a UTF-8 BOM is skipped. Each record remembers the line it
/// starts on, so a problem can be reported where the user will find it.
class CsvReader {
public:
    struct Record {
        int line = 0;
        QStringList fields;
    };

    /// Parses the whole text; a malformed record (a stray quote, an unterminated quoted field) is
    /// reported in `problems` and skipped, the others are returned.
    static QList<Record> parse(const QByteArray& utf8, QList<QPair<int, QString>>* problems);
};

} // namespace parallax
