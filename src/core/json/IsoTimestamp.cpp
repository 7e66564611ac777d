#include "IsoTimestamp.h"

namespace parallax {

namespace {

struct CivilDate {
    qint64 year;
    int month;
    int day;
};

// Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant's civil_from_days).
CivilDate civilFromDays(qint64 days) {
    days += 719468;
    const qint64 era = (days >= 0 ? days : days - 146096) / 146097;
    const qint64 dayOfEra = days - era * 146097;
    const qint64 yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365;
    const qint64 dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    const qint64 monthIndex = (5 * dayOfYear + 2) / 153;
    const int day = int(dayOfYear - (153 * monthIndex + 2) / 5 + 1);
    const int month = int(monthIndex < 10 ? monthIndex + 3 : monthIndex - 9);
    return {yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day};
}

void appendDigits(char*& out, qint64 value, int width) {
    for (int i = width - 1; i >= 0; --i) {
        out[i] = char('0' + value % 10);
        value /= 10;
    }
    out += width;
}

} // namespace

QString IsoTimestamp::utcWithMilliseconds(const QDateTime& time) {
    if (!time.isValid())
        return {};
    const qint64 msecs = time.toMSecsSinceEpoch();
    constexpr qint64 msecsPerDay = 86'400'000;
    qint64 days = msecs / msecsPerDay;
    qint64 inDay = msecs % msecsPerDay;
    if (inDay < 0) {
        inDay += msecsPerDay;
        --days;
    }
    const CivilDate date = civilFromDays(days);
    if (date.year < 1 || date.year > 9999) // Qt's own rules for such years (signs, widths) apply there
        return time.toUTC().toString(Qt::ISODateWithMs);
    char buffer[24];
    char* out = buffer;
    appendDigits(out, date.year, 4);
    *out++ = '-';
    appendDigits(out, date.month, 2);
    *out++ = '-';
    appendDigits(out, date.day, 2);
    *out++ = 'T';
    appendDigits(out, inDay / 3'600'000, 2);
    *out++ = ':';
    appendDigits(out, inDay / 60'000 % 60, 2);
    *out++ = ':';
    appendDigits(out, inDay / 1000 % 60, 2);
    *out++ = '.';
    appendDigits(out, inDay % 1000, 3);
    *out++ = 'Z';
    return QString::fromLatin1(buffer, out - buffer);
}

} // namespace parallax
