#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace parallax::mock {

/// Writes compact JSON with keys in the order given. QJsonDocument sorts keys, and the mock's
/// output should look like the providers' own bytes (id, object, created, ... first).
class JsonWriter {
public:
    /// Gemini and Anthropic's ping put a space after each colon; OpenAI and most others do not.
    enum class Spacing { Compact, SpaceAfterColon };

    explicit JsonWriter(Spacing spacing = Spacing::Compact);

    JsonWriter& beginObject();
    JsonWriter& endObject();
    JsonWriter& beginArray();
    JsonWriter& endArray();
    JsonWriter& key(const char* name);
    JsonWriter& str(const QString& value);
    JsonWriter& num(qint64 value);
    JsonWriter& boolean(bool value);
    JsonWriter& null();
    /// Inserts already serialized JSON as one value.
    JsonWriter& raw(const QByteArray& json);

    const QByteArray& data() const { return m_out; }

    static QByteArray quoted(const QString& value);

private:
    void beforeValue();

    QByteArray m_out;
    QList<bool> m_firstInScope;
    bool m_afterKey = false;
    Spacing m_spacing;
};

} // namespace parallax::mock
