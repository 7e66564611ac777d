#include "CompactJsonWriter.h"

#include <QLocale>

#include <cmath>

namespace parallax {

namespace {
constexpr char hexDigits[] = "0123456789abcdef";

void appendUnicodeEscape(QByteArray& out, char16_t unit) {
    const char escape[6] = {'\\',
                            'u',
                            hexDigits[(unit >> 12) & 0xF],
                            hexDigits[(unit >> 8) & 0xF],
                            hexDigits[(unit >> 4) & 0xF],
                            hexDigits[unit & 0xF]};
    out.append(escape, 6);
}
} // namespace

void CompactJsonWriter::appendString(QByteArray& out, QStringView text) {
    out.reserve(out.size() + text.size() + 2);
    out.append('"');
    const char16_t* data = text.utf16();
    const qsizetype size = text.size();
    for (qsizetype i = 0; i < size; ++i) {
        const char16_t unit = data[i];
        if (unit < 0x80) {
            switch (unit) {
            case u'"':
                out.append("\\\"", 2);
                break;
            case u'\\':
                out.append("\\\\", 2);
                break;
            case u'\b':
                out.append("\\b", 2);
                break;
            case u'\f':
                out.append("\\f", 2);
                break;
            case u'\n':
                out.append("\\n", 2);
                break;
            case u'\r':
                out.append("\\r", 2);
                break;
            case u'\t':
                out.append("\\t", 2);
                break;
            default:
                if (unit < 0x20)
                    appendUnicodeEscape(out, unit);
                else
                    out.append(char(unit));
            }
        } else if (unit < 0x800) {
            out.append(char(0xC0 | (unit >> 6)));
            out.append(char(0x80 | (unit & 0x3F)));
        } else if (QChar::isHighSurrogate(unit) && i + 1 < size && QChar::isLowSurrogate(data[i + 1])) {
            const char32_t code = QChar::surrogateToUcs4(unit, data[i + 1]);
            ++i;
            out.append(char(0xF0 | (code >> 18)));
            out.append(char(0x80 | ((code >> 12) & 0x3F)));
            out.append(char(0x80 | ((code >> 6) & 0x3F)));
            out.append(char(0x80 | (code & 0x3F)));
        } else if (QChar::isSurrogate(unit)) {
            appendUnicodeEscape(out, unit); // a lone half of a pair, as QJsonDocument keeps it
        } else {
            out.append(char(0xE0 | (unit >> 12)));
            out.append(char(0x80 | ((unit >> 6) & 0x3F)));
            out.append(char(0x80 | (unit & 0x3F)));
        }
    }
    out.append('"');
}

void CompactJsonWriter::separate() {
    if (m_needsComma)
        m_out.append(',');
    m_needsComma = true;
}

CompactJsonWriter& CompactJsonWriter::beginObject() {
    separate();
    m_out.append('{');
    m_needsComma = false;
    return *this;
}

CompactJsonWriter& CompactJsonWriter::endObject() {
    m_out.append('}');
    m_needsComma = true;
    return *this;
}

CompactJsonWriter& CompactJsonWriter::beginArray() {
    separate();
    m_out.append('[');
    m_needsComma = false;
    return *this;
}

CompactJsonWriter& CompactJsonWriter::endArray() {
    m_out.append(']');
    m_needsComma = true;
    return *this;
}

CompactJsonWriter& CompactJsonWriter::key(QLatin1StringView name) {
    separate();
    m_out.append('"');
    m_out.append(name.data(), name.size()); // member names are plain ASCII identifiers
    m_out.append("\":", 2);
    m_needsComma = false; // the value follows the colon
    return *this;
}

CompactJsonWriter& CompactJsonWriter::key(QStringView name) {
    separate();
    appendString(m_out, name);
    m_out.append(':');
    m_needsComma = false;
    return *this;
}

CompactJsonWriter& CompactJsonWriter::value(QStringView text) {
    separate();
    appendString(m_out, text);
    return *this;
}

CompactJsonWriter& CompactJsonWriter::value(QLatin1StringView text) {
    return value(QStringView(QString(text)));
}

CompactJsonWriter& CompactJsonWriter::value(qint64 number) {
    separate();
    m_out.append(QByteArray::number(number));
    return *this;
}

CompactJsonWriter& CompactJsonWriter::value(double number) {
    separate();
    if (std::isfinite(number))
        m_out.append(QByteArray::number(number, 'g', QLocale::FloatingPointShortest));
    else
        m_out.append("null", 4); // JSON has no infinity or NaN; QJsonDocument writes null too
    return *this;
}

CompactJsonWriter& CompactJsonWriter::value(bool flag) {
    separate();
    m_out.append(flag ? QByteArrayView("true") : QByteArrayView("false"));
    return *this;
}

CompactJsonWriter& CompactJsonWriter::null() {
    separate();
    m_out.append("null", 4);
    return *this;
}

CompactJsonWriter& CompactJsonWriter::raw(QByteArrayView json) {
    separate();
    m_out.append(json);
    return *this;
}

} // namespace parallax
