#include "MultipartForm.h"

#include <QRegularExpression>

namespace parallax::mock {

namespace {
QByteArray parameter(const QByteArray& header, const QByteArray& name) {
    // Quoted (name="file") or bare (boundary=abc); the quoted form may hold ';'.
    const QRegularExpression pattern(QStringLiteral("(?:^|;)\\s*%1=(?:\"([^\"]*)\"|([^;\\s]*))")
                                         .arg(QRegularExpression::escape(QString::fromLatin1(name))),
                                     QRegularExpression::CaseInsensitiveOption);
    const QRegularExpressionMatch match = pattern.match(QString::fromUtf8(header));
    if (!match.hasMatch())
        return {};
    return (match.capturedLength(1) > 0 ? match.captured(1) : match.captured(2)).toUtf8();
}
} // namespace

const MultipartForm::Part* MultipartForm::part(const QString& name) const {
    for (const Part& candidate : m_parts) {
        if (candidate.name == name)
            return &candidate;
    }
    return nullptr;
}

std::optional<MultipartForm> MultipartForm::parse(const QByteArray& contentType, const QByteArray& body) {
    if (!contentType.trimmed().toLower().startsWith("multipart/form-data"))
        return std::nullopt;
    const QByteArray boundary = parameter(contentType, "boundary");
    if (boundary.isEmpty())
        return std::nullopt;
    const QByteArray delimiter = "--" + boundary;
    MultipartForm form;
    qsizetype position = body.indexOf(delimiter);
    if (position < 0)
        return std::nullopt;
    while (true) {
        position += delimiter.size();
        if (body.mid(position, 2) == "--")
            return form; // the closing delimiter
        if (body.mid(position, 2) != "\r\n")
            return std::nullopt;
        position += 2;
        const qsizetype headEnd = body.indexOf("\r\n\r\n", position);
        if (headEnd < 0)
            return std::nullopt;
        Part part;
        for (const QByteArray& line : body.mid(position, headEnd - position).split('\n')) {
            const qsizetype colon = line.indexOf(':');
            if (colon <= 0)
                continue;
            const QByteArray name = line.left(colon).trimmed().toLower();
            const QByteArray value = line.mid(colon + 1).trimmed();
            if (name == "content-disposition") {
                part.name = QString::fromUtf8(parameter(value, "name"));
                part.fileName = QString::fromUtf8(parameter(value, "filename"));
            } else if (name == "content-type") {
                part.contentType = value;
            }
        }
        const qsizetype dataStart = headEnd + 4;
        const qsizetype next = body.indexOf("\r\n" + delimiter, dataStart);
        if (next < 0)
            return std::nullopt;
        part.data = body.mid(dataStart, next - dataStart);
        form.m_parts.append(part);
        position = next + 2;
    }
}

} // namespace parallax::mock
