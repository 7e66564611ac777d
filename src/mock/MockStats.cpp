#include "MockStats.h"

namespace parallax::mock {

namespace {
QJsonObject toObject(const QMap<QString, qint64>& counts) {
    QJsonObject object;
    for (auto it = counts.cbegin(); it != counts.cend(); ++it)
        object.insert(it.key(), it.value());
    return object;
}
} // namespace

QJsonObject MockStats::toJson() const {
    QJsonObject object;
    object.insert(QStringLiteral("total"), m_total);
    object.insert(QStringLiteral("byProtocol"), toObject(m_byProtocol));
    object.insert(QStringLiteral("byPath"), toObject(m_byPath));
    object.insert(QStringLiteral("byStatus"), toObject(m_byStatus));
    object.insert(QStringLiteral("byFault"), toObject(m_byFault));
    object.insert(QStringLiteral("tokensStreamed"), m_tokensStreamed);
    object.insert(QStringLiteral("connectionsDropped"), m_connectionsDropped);
    object.insert(QStringLiteral("clientAborts"), m_clientAborts);
    object.insert(QStringLiteral("connectionsAccepted"), m_connectionsAccepted);
    object.insert(QStringLiteral("rateLimited"), m_rateLimited);
    return object;
}

} // namespace parallax::mock
