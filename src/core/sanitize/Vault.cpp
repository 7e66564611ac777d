#include "Vault.h"

#include <algorithm>

namespace parallax {

QString Vault::placeholderFor(const QString& type, const QString& value) {
    const auto found = m_placeholderByValue.constFind(value);
    if (found != m_placeholderByValue.constEnd())
        return found.value();
    const int n = ++m_counters[type];
    QString placeholder = QStringLiteral("[%1_%2]").arg(type).arg(n);
    m_placeholderByValue.insert(value, placeholder);
    m_valueByPlaceholder.insert(placeholder, value);
    m_order.append(placeholder);
    m_longest = std::max(m_longest, placeholder.size());
    return placeholder;
}

QString Vault::placeholderFor(const QString& type, QStringView value) {
    // QHash (Qt 6.4) looks up QString keys only: the value is copied into a per-thread string
    // whose buffer is reused, not into a new one.
    thread_local QString key;
    key.resize(value.size());
    std::copy(value.begin(), value.end(), key.begin());
    const auto found = m_placeholderByValue.constFind(key);
    if (found != m_placeholderByValue.constEnd())
        return found.value();
    return placeholderFor(type, value.toString());
}

QString Vault::valueFor(QStringView placeholder) const {
    return m_valueByPlaceholder.value(placeholder.toString());
}

bool Vault::contains(QStringView placeholder) const {
    return m_valueByPlaceholder.contains(placeholder.toString());
}

bool Vault::hasPlaceholderStartingWith(QStringView prefix) const {
    for (const QString& placeholder : m_order) {
        if (placeholder.startsWith(prefix))
            return true;
    }
    return false;
}

QList<QPair<QString, QString>> Vault::entries() const {
    QList<QPair<QString, QString>> list;
    for (const QString& placeholder : m_order)
        list.append({placeholder, m_valueByPlaceholder.value(placeholder)});
    return list;
}

} // namespace parallax
