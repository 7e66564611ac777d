#pragma once

#include <QHash>
#include <QList>
#include <QPair>
#include <QString>

namespace parallax {

/// The per-request map between placeholders and the values they hide. The same value always gets
/// the same placeholder (`[EMAIL_ADDRESS_1]`, `[EMAIL_ADDRESS_2]`, `[SECRET_1]`, ...), numbered per
/// type in order of first appearance. Held in memory only; never logged or persisted.
class Vault {
public:
    /// The placeholder for `value`, created on first use.
    QString placeholderFor(const QString& type, const QString& value);
    /// Same; a value seen before costs no string (a sanitize() looks up every replaced value).
    QString placeholderFor(const QString& type, QStringView value);
    /// The value behind `placeholder`, or a null QString when unknown.
    QString valueFor(QStringView placeholder) const;
    bool contains(QStringView placeholder) const;
    /// True if some placeholder begins with `prefix` (used to hold back split stream deltas).
    bool hasPlaceholderStartingWith(QStringView prefix) const;
    qsizetype longestPlaceholder() const { return m_longest; }
    qsizetype size() const { return m_order.size(); }
    bool isEmpty() const { return m_order.isEmpty(); }
    /// (placeholder, value) pairs in creation order.
    QList<QPair<QString, QString>> entries() const;

private:
    QHash<QString, QString> m_valueByPlaceholder;
    QHash<QString, QString> m_placeholderByValue;
    QHash<QString, int> m_counters;
    QList<QString> m_order;
    qsizetype m_longest = 0;
};

} // namespace parallax
