#include "PhoneNumberFinder.h"

#include <QLocale>

#include <algorithm>
#include <string>

#include <phonenumbers/logger.h>
#include <phonenumbers/phonenumbermatch.h>
#include <phonenumbers/phonenumbermatcher.h>
#include <phonenumbers/phonenumberutil.h>

namespace parallax {

namespace pn = i18n::phonenumbers;

namespace {

const pn::PhoneNumberUtil& phoneUtil() {
    // The util is a thread-safe singleton; silence its stderr logger once.
    static const pn::PhoneNumberUtil* util = [] {
        pn::PhoneNumberUtil* instance = pn::PhoneNumberUtil::GetInstance();
        instance->SetLogger(new pn::NullLogger());
        return instance;
    }();
    return *util;
}

// Maps UTF-8 byte offsets of `utf8` (made from `text`) back to UTF-16 offsets.
qsizetype utf16Offset(QStringView text, const std::string& utf8, int byteOffset) {
    qsizetype units = 0;
    for (int i = 0; i < byteOffset && i < static_cast<int>(utf8.size()); ++i) {
        const auto b = static_cast<unsigned char>(utf8[static_cast<size_t>(i)]);
        if ((b & 0xC0) == 0x80)
            continue; // continuation byte
        units += (b >= 0xF0) ? 2 : 1;
    }
    return std::min(units, text.size());
}

int digitCount(QStringView text) {
    int n = 0;
    for (QChar c : text)
        n += c.isDigit() ? 1 : 0;
    return n;
}

} // namespace

PhoneNumberFinder::PhoneNumberFinder(const QStringList& regions)
    : m_regions(regions)
    // A run of digits with phone separators, optionally "+" or "(" in front and an extension
    // behind. Full-width digits are included because libphonenumber understands them.
    , m_candidate(
          QStringLiteral(
              R"re((?<![\w.+])[+(]?[0-9\x{FF10}-\x{FF19}][0-9\x{FF10}-\x{FF19} \t().\-/\x{2010}-\x{2015}]{4,24}[0-9\x{FF10}-\x{FF19}](?:\s*(?:x|ext\.?|#)\s*\d{1,6})?)re"),
          QRegularExpression::UseUnicodePropertiesOption)
    // libphonenumber rejects slash-separated dates and "YYYY-MM-DD hh" timestamps itself; rejecting
    // them here saves its (comparatively slow) ICU regex work on every log line.
    , m_date(QStringLiteral(R"re(^(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}/\d{1,2}/\d{2,4})(?!\d))re")) {
    if (m_regions.isEmpty())
        m_regions << defaultRegion();
    for (QString& region : m_regions)
        region = region.toUpper();
    m_regions.removeDuplicates();
    m_candidate.optimize();
    m_date.optimize();
    phoneUtil();
}

QString PhoneNumberFinder::defaultRegion() {
    const QString name = QLocale::system().name(); // "de_DE"; "C" has no territory
    const qsizetype underscore = name.indexOf(QLatin1Char('_'));
    if (underscore > 0 && name.size() >= underscore + 3) {
        const QString region = name.mid(underscore + 1, 2).toUpper();
        if (region != QLatin1String("XX"))
            return region;
    }
    return QStringLiteral("US");
}

QList<TextRange> PhoneNumberFinder::find(QStringView text) const {
    QList<TextRange> found;
    auto it = m_candidate.globalMatch(text);
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        const QStringView candidate = text.mid(m.capturedStart(), m.capturedLength());
        if (digitCount(candidate) < 7 || m_date.match(candidate).hasMatch())
            continue;
        // libphonenumber looks a few characters around the number to reject dates and times
        // ("2012-01-02 08:00"), so hand it a window, not just the candidate.
        const qsizetype windowStart = std::max<qsizetype>(0, m.capturedStart() - 8);
        const qsizetype windowEnd = std::min(text.size(), m.capturedEnd() + 8);
        const QStringView window = text.mid(windowStart, windowEnd - windowStart);
        const QByteArray utf8Bytes = window.toUtf8();
        const std::string utf8(utf8Bytes.constData(), static_cast<size_t>(utf8Bytes.size()));
        for (const QString& region : m_regions) {
            pn::PhoneNumberMatcher matcher(phoneUtil(), utf8, region.toStdString(),
                                           pn::PhoneNumberMatcher::VALID, 16);
            pn::PhoneNumberMatch match;
            while (matcher.HasNext() && matcher.Next(&match)) {
                const qsizetype start = windowStart + utf16Offset(window, utf8, match.start());
                const qsizetype end = windowStart + utf16Offset(window, utf8, match.start() + match.length());
                // Only numbers that lie inside this candidate; neighbours get their own turn.
                if (start < m.capturedStart() - 1 || end > m.capturedEnd() + 16)
                    continue;
                const TextRange range{start, end};
                if (!found.contains(range))
                    found.append(range);
            }
        }
    }
    std::sort(found.begin(), found.end(),
              [](const TextRange& a, const TextRange& b) { return a.start < b.start; });
    // Different regions can read overlapping numbers from the same digits: keep the longest.
    QList<TextRange> disjoint;
    for (const TextRange& range : found) {
        if (!disjoint.isEmpty() && range.start < disjoint.last().end) {
            if (range.end - range.start > disjoint.last().end - disjoint.last().start)
                disjoint.last() = range;
            continue;
        }
        disjoint.append(range);
    }
    return disjoint;
}

} // namespace parallax
