#pragma once

#include <QByteArray>
#include <QString>
#include <QStringView>

#include <optional>

namespace parallax {

/// Writes compact JSON straight into a byte buffer, with the same bytes QJsonDocument::Compact gives
/// for the same values (escaping, lone surrogates as \uXXXX, shortest round-trip doubles).
///
/// Why not QJsonObject: building one sorts and converts every member, which costs more than the
/// request itself on the per-request paths (audit records, stored answers). Keys are written in the
/// order the caller gives them; callers that need QJsonDocument's canonical form write them sorted.
class CompactJsonWriter {
public:
    CompactJsonWriter& beginObject();
    CompactJsonWriter& endObject();
    CompactJsonWriter& beginArray();
    CompactJsonWriter& endArray();

    /// The next member's name (inside an object).
    CompactJsonWriter& key(QLatin1StringView name);
    /// A member name that may need escaping (user data such as a type name).
    CompactJsonWriter& key(QStringView name);

    CompactJsonWriter& value(QStringView text);
    CompactJsonWriter& value(const QString& text) { return value(QStringView(text)); }
    CompactJsonWriter& value(QLatin1StringView text);
    CompactJsonWriter& value(qint64 number);
    CompactJsonWriter& value(int number) { return value(qint64(number)); }
    CompactJsonWriter& value(double number);
    CompactJsonWriter& value(bool flag);
    CompactJsonWriter& null();

    /// A value that may be absent: null when it is.
    template <typename T>
    CompactJsonWriter& optional(const std::optional<T>& maybe) {
        return maybe ? value(*maybe) : null();
    }
    /// Empty text is written as null.
    CompactJsonWriter& stringOrNull(const QString& text) { return text.isEmpty() ? null() : value(text); }

    /// Appends an already serialized JSON value as it is.
    CompactJsonWriter& raw(QByteArrayView json);

    const QByteArray& bytes() const { return m_out; }
    QByteArray take() { return std::move(m_out); }

    /// The JSON string literal (with quotes) for text, as QJsonDocument writes it.
    static void appendString(QByteArray& out, QStringView text);

private:
    void separate();

    QByteArray m_out;
    bool m_needsComma = false;
};

} // namespace parallax
