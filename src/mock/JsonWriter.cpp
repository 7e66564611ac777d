#include "JsonWriter.h"

namespace parallax::mock {

JsonWriter::JsonWriter(Spacing spacing)
    : m_spacing(spacing) {}

void JsonWriter::beforeValue() {
    if (m_afterKey) {
        m_afterKey = false;
        return;
    }
    if (!m_firstInScope.isEmpty()) {
        if (!m_firstInScope.last())
            m_out += ',';
        m_firstInScope.last() = false;
    }
}

JsonWriter& JsonWriter::beginObject() {
    beforeValue();
    m_out += '{';
    m_firstInScope.append(true);
    return *this;
}

JsonWriter& JsonWriter::endObject() {
    m_out += '}';
    m_firstInScope.removeLast();
    return *this;
}

JsonWriter& JsonWriter::beginArray() {
    beforeValue();
    m_out += '[';
    m_firstInScope.append(true);
    return *this;
}

JsonWriter& JsonWriter::endArray() {
    m_out += ']';
    m_firstInScope.removeLast();
    return *this;
}

JsonWriter& JsonWriter::key(const char* name) {
    beforeValue();
    m_out += '"';
    m_out += name;
    m_out += m_spacing == Spacing::SpaceAfterColon ? "\": " : "\":";
    m_afterKey = true;
    return *this;
}

JsonWriter& JsonWriter::str(const QString& value) {
    beforeValue();
    m_out += quoted(value);
    return *this;
}

JsonWriter& JsonWriter::num(qint64 value) {
    beforeValue();
    m_out += QByteArray::number(value);
    return *this;
}

JsonWriter& JsonWriter::boolean(bool value) {
    beforeValue();
    m_out += value ? "true" : "false";
    return *this;
}

JsonWriter& JsonWriter::null() {
    beforeValue();
    m_out += "null";
    return *this;
}

JsonWriter& JsonWriter::raw(const QByteArray& json) {
    beforeValue();
    m_out += json;
    return *this;
}

QByteArray JsonWriter::quoted(const QString& value) {
    static const char kHex[] = "0123456789abcdef";
    const QByteArray utf8 = value.toUtf8();
    QByteArray out;
    out.reserve(utf8.size() + 2);
    out += '"';
    for (const char c : utf8) {
        const auto byte = static_cast<unsigned char>(c);
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (byte < 0x20) {
                out += "\\u00";
                out += kHex[byte >> 4];
                out += kHex[byte & 0xF];
            } else {
                out += c;
            }
        }
    }
    out += '"';
    return out;
}

} // namespace parallax::mock
