#pragma once

#include "sanitize/UserRule.h"

#include <QJsonObject>
#include <QList>
#include <QRegularExpression>
#include <QSet>
#include <QString>

#include <optional>

namespace parallax {

/// Values the user allowed "always": exact strings and regexes (Presidio's allow_list with
/// "exact" and "regex" matching). A regex must match the whole value. Persisted as JSON by
/// whoever owns the settings; "allow once" is not stored here but passed per sanitize() call.
class Allowlist {
public:
    void addValue(const QString& value);
    void removeValue(const QString& value);
    /// Returns the compile error instead of adding a bad pattern.
    std::optional<RegexError> addPattern(const QString& pattern);
    void removePattern(const QString& pattern);

    bool allows(QStringView value) const;
    bool isEmpty() const { return m_values.isEmpty() && m_patterns.isEmpty(); }
    QStringList values() const;
    QStringList patterns() const;

    /// {"values": [...], "patterns": [...]}
    QJsonObject toJson() const;
    /// Bad patterns in `json` are skipped (and logged), never fatal.
    static Allowlist fromJson(const QJsonObject& json);

private:
    struct Pattern {
        QString source;
        QRegularExpression anchored;
    };
    QSet<QString> m_values;
    QList<Pattern> m_patterns;
};

} // namespace parallax
