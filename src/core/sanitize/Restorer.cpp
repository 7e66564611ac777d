#include "Restorer.h"

namespace parallax {

Restorer::Restorer(Vault vault)
    : m_vault(std::move(vault)) {}

QString Restorer::restore(QStringView text, const Vault& vault) {
    if (vault.isEmpty())
        return text.toString();
    QString out;
    out.reserve(text.size());
    qsizetype pos = 0;
    while (pos < text.size()) {
        const qsizetype open = text.indexOf(u'[', pos);
        if (open < 0)
            break;
        const qsizetype close = text.indexOf(u']', open + 1);
        if (close < 0)
            break;
        const QStringView candidate = text.mid(open, close - open + 1);
        if (candidate.size() <= vault.longestPlaceholder() && vault.contains(candidate)) {
            out.append(text.mid(pos, open - pos));
            out.append(vault.valueFor(candidate));
            pos = close + 1;
        } else {
            out.append(text.mid(pos, open + 1 - pos));
            pos = open + 1;
        }
    }
    out.append(text.mid(pos));
    return out;
}

QString Restorer::push(QStringView delta) {
    m_pending.append(delta);
    // Hold back from the last '[' whose tail is still a prefix of some placeholder. A tail that
    // already contains its ']' is complete and gets restored now.
    qsizetype hold = m_pending.size();
    const qsizetype open = m_pending.lastIndexOf(QLatin1Char('['));
    if (open >= 0 && m_pending.indexOf(QLatin1Char(']'), open) < 0) {
        const QStringView tail = QStringView(m_pending).mid(open);
        if (tail.size() < m_vault.longestPlaceholder() && m_vault.hasPlaceholderStartingWith(tail))
            hold = open;
    }
    const QString ready = restore(QStringView(m_pending).left(hold), m_vault);
    m_pending.remove(0, hold);
    return ready;
}

QString Restorer::finish() {
    const QString rest = restore(m_pending, m_vault);
    m_pending.clear();
    return rest;
}

} // namespace parallax
