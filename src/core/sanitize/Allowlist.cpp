#include "Allowlist.h"

#include "sanitize/SanitizeLog.h"

#include <QJsonArray>

#include <algorithm>

namespace parallax {

void Allowlist::addValue(const QString& value) {
    m_values.insert(value);
}

void Allowlist::removeValue(const QString& value) {
    m_values.remove(value);
}

std::optional<RegexError> Allowlist::addPattern(const QString& pattern) {
    if (auto error = UserRule::validatePattern(pattern))
        return error;
    removePattern(pattern);
    QRegularExpression anchored(QRegularExpression::anchoredPattern(pattern));
    anchored.optimize();
    m_patterns.append({pattern, anchored});
    return std::nullopt;
}

void Allowlist::removePattern(const QString& pattern) {
    m_patterns.removeIf([&](const Pattern& p) { return p.source == pattern; });
}

bool Allowlist::allows(QStringView value) const {
    if (isEmpty())
        return false; // asked for every span: no string built when there is nothing to allow
    if (m_values.contains(value.toString()))
        return true;
    return std::any_of(m_patterns.begin(), m_patterns.end(),
                       [&](const Pattern& p) { return p.anchored.match(value).hasMatch(); });
}

QStringList Allowlist::values() const {
    QStringList list(m_values.begin(), m_values.end());
    list.sort();
    return list;
}

QStringList Allowlist::patterns() const {
    QStringList list;
    for (const Pattern& p : m_patterns)
        list << p.source;
    return list;
}

QJsonObject Allowlist::toJson() const {
    return {{QStringLiteral("values"), QJsonArray::fromStringList(values())},
            {QStringLiteral("patterns"), QJsonArray::fromStringList(patterns())}};
}

Allowlist Allowlist::fromJson(const QJsonObject& json) {
    Allowlist list;
    for (const QJsonValue& v : json.value(QStringLiteral("values")).toArray())
        list.addValue(v.toString());
    for (const QJsonValue& v : json.value(QStringLiteral("patterns")).toArray()) {
        if (auto error = list.addPattern(v.toString()))
            qCWarning(lcSanitize) << "allowlist pattern skipped:" << error->message;
    }
    return list;
}

} // namespace parallax
