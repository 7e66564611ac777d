#pragma once

#include <QJsonObject>
#include <QMap>
#include <QString>

#include "Fault.h"

namespace parallax::mock {

/// What the mock saw and did, served at GET /mock/stats.
class MockStats {
public:
    void recordPath(const QByteArray& path) { ++m_byPath[QString::fromUtf8(path)]; }
    void recordGeneration(const QString& protocol) {
        ++m_total;
        ++m_byProtocol[protocol];
    }
    void recordStatus(int status) { ++m_byStatus[QString::number(status)]; }
    void recordFault(Fault fault) { ++m_byFault[faultName(fault)]; }
    void addTokens(qint64 count) { m_tokensStreamed += count; }
    void recordDrop() { ++m_connectionsDropped; }
    void recordClientAbort() { ++m_clientAborts; }
    void recordConnection() { ++m_connectionsAccepted; }
    void recordRateLimited() { ++m_rateLimited; }

    qint64 total() const { return m_total; }
    QJsonObject toJson() const;
    void reset() { *this = MockStats(); }

private:
    qint64 m_total = 0;
    QMap<QString, qint64> m_byProtocol;
    QMap<QString, qint64> m_byPath;
    QMap<QString, qint64> m_byStatus;
    QMap<QString, qint64> m_byFault;
    qint64 m_tokensStreamed = 0;
    qint64 m_connectionsDropped = 0;
    qint64 m_clientAborts = 0;
    qint64 m_connectionsAccepted = 0;
    qint64 m_rateLimited = 0;
};

} // namespace parallax::mock
