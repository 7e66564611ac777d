#pragma once

#include <QDateTime>
#include <QString>

namespace parallax {

/// ISO 8601 UTC timestamps with milliseconds ("2026-11-28T04:15:21.123Z"), the exact text of
/// `time.toUTC().toString(Qt::ISODateWithMs)`, computed from the epoch milliseconds: converting a
/// local QDateTime to UTC and formatting it costs tens of microseconds, and the audit log writes one
/// per request.
class IsoTimestamp {
public:
    static QString utcWithMilliseconds(const QDateTime& time);
};

} // namespace parallax
