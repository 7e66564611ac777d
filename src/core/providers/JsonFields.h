#pragma once

#include <QJsonObject>
#include <QJsonValue>
#include <QString>

#include <optional>

namespace parallax::json {

/// A token count or other integer field; empty when absent, null or not a number.
inline std::optional<qint64> optionalInteger(const QJsonValue& value) {
    if (!value.isDouble())
        return std::nullopt;
    return value.toInteger();
}

inline std::optional<qint64> optionalInteger(const QJsonObject& object, QLatin1String key) {
    return optionalInteger(object.value(key));
}

/// A string field; empty optional when absent or null (an empty string stays an empty string).
inline std::optional<QString> optionalString(const QJsonObject& object, QLatin1String key) {
    const QJsonValue value = object.value(key);
    if (!value.isString())
        return std::nullopt;
    return value.toString();
}

/// Adds two optional counts; the sum is known when at least one part is.
inline std::optional<qint64> sumKnown(std::optional<qint64> a, std::optional<qint64> b) {
    if (!a && !b)
        return std::nullopt;
    return a.value_or(0) + b.value_or(0);
}

} // namespace parallax::json
