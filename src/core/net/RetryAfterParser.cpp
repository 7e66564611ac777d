#include "RetryAfterParser.h"

#include <QLocale>

#include <algorithm>
#include <cmath>

namespace parallax {

namespace {

std::optional<qint64> parseNonNegativeNumberMs(QByteArrayView text, double unitMs) {
    bool ok = false;
    const double value = text.trimmed().toDouble(&ok);
    if (!ok || !std::isfinite(value) || value < 0)
        return std::nullopt;
    return static_cast<qint64>(std::llround(value * unitMs));
}

std::optional<QDateTime> parseHttpDate(QByteArrayView value) {
    // The weekday is dropped before parsing: Qt rejects a name that does not match the date, and with
    // RFC 850's two-digit years it would check it against the wrong century.
    QString text = QString::fromLatin1(value.trimmed());
    const qsizetype firstSpace = text.indexOf(QLatin1Char(' '));
    if (firstSpace < 0)
        return std::nullopt;
    text = text.mid(firstSpace + 1).trimmed();
    const QLocale c = QLocale::c();
    // IMF-fixdate, RFC 850 and asctime, as RFC 9110 asks a recipient to accept.
    for (const auto* format :
         {"dd MMM yyyy HH:mm:ss 'GMT'", "dd-MMM-yy HH:mm:ss 'GMT'", "MMM d HH:mm:ss yyyy"}) {
        QDateTime parsed = c.toDateTime(text.simplified(), QString::fromLatin1(format));
        if (parsed.isValid()) {
            if (parsed.date().year() < 1970)
                parsed = parsed.addYears(100); // two-digit years of RFC 850
            parsed.setTimeSpec(Qt::UTC);       // the date names GMT; keep its fields, not local time
            return parsed;
        }
    }
    return std::nullopt;
}

} // namespace

std::optional<qint64> RetryAfterParser::parseRetryAfter(QByteArrayView value, const QDateTime& now) {
    if (auto seconds = parseNonNegativeNumberMs(value, 1000.0))
        return seconds;
    if (auto date = parseHttpDate(value))
        return std::max<qint64>(0, now.msecsTo(*date));
    return std::nullopt;
}

std::optional<qint64> RetryAfterParser::parseDurationMs(QByteArrayView value) {
    const QByteArrayView text = value.trimmed();
    if (text.isEmpty())
        return std::nullopt;
    if (auto plain = parseNonNegativeNumberMs(text, 1000.0))
        return plain;

    double totalMs = 0;
    qsizetype i = 0;
    while (i < text.size()) {
        const qsizetype numberStart = i;
        while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.'))
            ++i;
        if (i == numberStart)
            return std::nullopt;
        bool ok = false;
        const double number = text.sliced(numberStart, i - numberStart).toDouble(&ok);
        if (!ok)
            return std::nullopt;
        const qsizetype unitStart = i;
        // Units are letters; Go writes microseconds as "µs", whose UTF-8 bytes are not ASCII letters.
        while (i < text.size() && (std::isalpha(static_cast<unsigned char>(text[i])) ||
                                   static_cast<unsigned char>(text[i]) >= 0x80))
            ++i;
        const QByteArrayView unit = text.sliced(unitStart, i - unitStart);
        double unitMs = 0;
        if (unit == "h")
            unitMs = 3'600'000.0;
        else if (unit == "m")
            unitMs = 60'000.0;
        else if (unit == "s")
            unitMs = 1000.0;
        else if (unit == "ms")
            unitMs = 1.0;
        else if (unit == "us" || unit == "µs")
            unitMs = 0.001;
        else if (unit == "ns")
            unitMs = 0.000001;
        else
            return std::nullopt;
        totalMs += number * unitMs;
    }
    return static_cast<qint64>(std::llround(totalMs));
}

std::optional<qint64> RetryAfterParser::fromHeaders(const HttpHeaders& headers, bool includeRateLimitResets,
                                                    const QDateTime& now) {
    if (auto ms = headerValue(headers, "retry-after-ms")) {
        if (auto parsed = parseNonNegativeNumberMs(*ms, 1.0))
            return parsed;
    }
    if (auto retryAfter = headerValue(headers, "retry-after")) {
        if (auto parsed = parseRetryAfter(*retryAfter, now))
            return parsed;
    }

    if (!includeRateLimitResets)
        return std::nullopt;

    // Rate-limit reset headers: prefer a limit whose remaining count is zero.
    std::optional<qint64> exhaustedReset;
    std::optional<qint64> latestReset;
    for (const auto& [rawName, value] : headers) {
        const QByteArray name = rawName.toLower();
        std::optional<qint64> resetMs;
        QByteArray remainingName;
        if (name.startsWith("x-ratelimit-reset-")) {
            resetMs = parseDurationMs(value);
            remainingName = "x-ratelimit-remaining-" + name.mid(qsizetype(sizeof("x-ratelimit-reset-")) - 1);
        } else if (name.startsWith("anthropic-ratelimit-") && name.endsWith("-reset")) {
            const QDateTime at =
                QDateTime::fromString(QString::fromLatin1(value.trimmed()), Qt::ISODateWithMs);
            if (at.isValid())
                resetMs = std::max<qint64>(0, now.msecsTo(at));
            remainingName = name.chopped(qsizetype(sizeof("-reset")) - 1) + "-remaining";
        }
        if (!resetMs)
            continue;
        latestReset = std::max(latestReset.value_or(0), *resetMs);
        if (auto remaining = headerValue(headers, remainingName); remaining && remaining->trimmed() == "0")
            exhaustedReset = std::max(exhaustedReset.value_or(0), *resetMs);
    }
    return exhaustedReset ? exhaustedReset : latestReset;
}

} // namespace parallax
