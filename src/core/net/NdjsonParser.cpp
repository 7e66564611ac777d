#include "NdjsonParser.h"

namespace parallax {

void NdjsonParser::feed(QByteArrayView chunk, QList<QByteArray>& lines) {
    m_lines.feed(chunk, [&](QByteArrayView line) {
        if (!line.trimmed().isEmpty())
            lines.append(line.toByteArray());
    });
}

void NdjsonParser::finish(QList<QByteArray>& lines) {
    const QByteArray rest = m_lines.takeRemainder();
    if (!rest.trimmed().isEmpty())
        lines.append(rest);
}

} // namespace parallax
