#include "PhoneNumberFinder.h"

#include "sanitize/PhoneCandidateScanner.h"

#include <QLocale>
#include <QMutexLocker>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <atomic>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>

#include <phonenumbers/logger.h>
#include <phonenumbers/phonenumbermatch.h>
#include <phonenumbers/phonenumbermatcher.h>
#include <phonenumbers/phonenumberutil.h>

namespace parallax {

namespace pn = i18n::phonenumbers;

namespace {

const pn::PhoneNumberUtil& phoneUtil() {
    // The util is a thread-safe singleton; silence its stderr logger once. Loading its metadata
    // and compiling the matcher's ICU regexes (the first matcher does that) takes ~10 ms, which is
    // most of a CLI run's start-up: PhoneNumberFinder starts it on the thread pool.
    static const pn::PhoneNumberUtil* util = [] {
        pn::PhoneNumberUtil* instance = pn::PhoneNumberUtil::GetInstance();
        instance->SetLogger(new pn::NullLogger());
        pn::PhoneNumberMatcher warmUp(*instance, std::string("+1 650 253 0000"), "US",
                                      pn::PhoneNumberMatcher::VALID, 1);
        warmUp.HasNext();
        return instance;
    }();
    return *util;
}

// Every PhoneNumberFinder gets its own number, so that a thread's cache of windows never answers
// for another finder (other regions) that happens to live at the same address later.
std::atomic<uint64_t> nextFinderId{1};

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

bool isAsciiDigit(QChar c) {
    return c >= u'0' && c <= u'9';
}

// Reads `min`..`max` ASCII digits at `i`; returns how many (0 = fewer than `min`).
qsizetype digitRun(QStringView s, qsizetype i, qsizetype min, qsizetype max) {
    qsizetype n = 0;
    while (n < max && i + n < s.size() && isAsciiDigit(s.at(i + n)))
        ++n;
    return n >= min ? n : 0;
}

// ^(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}/\d{1,2}/\d{2,4})(?!\d), by hand: libphonenumber rejects
// slash-separated dates and "YYYY-MM-DD hh" timestamps itself; rejecting them here saves its
// (comparatively slow) ICU regex work on every log line. Backtracking over the {1,2} and {2,4}
// counts is covered by trying each length.
bool startsWithDate(QStringView s) {
    auto isSep = [](QChar c) { return c == u'-' || c == u'/' || c == u'.'; };
    auto endsHere = [&](qsizetype i) { return i >= s.size() || !isAsciiDigit(s.at(i)); };
    // \d{4}[-/.]\d{1,2}[-/.]\d{1,2}
    if (digitRun(s, 0, 4, 4) == 4 && s.size() > 4 && isSep(s.at(4))) {
        for (qsizetype a = 1; a <= 2; ++a) {
            if (digitRun(s, 5, a, a) != a || 5 + a >= s.size() || !isSep(s.at(5 + a)))
                continue;
            for (qsizetype b = 1; b <= 2; ++b) {
                if (digitRun(s, 6 + a, b, b) == b && endsHere(6 + a + b))
                    return true;
            }
        }
    }
    // \d{1,2}/\d{1,2}/\d{2,4}
    for (qsizetype a = 1; a <= 2; ++a) {
        if (digitRun(s, 0, a, a) != a || a >= s.size() || s.at(a) != u'/')
            continue;
        for (qsizetype b = 1; b <= 2; ++b) {
            if (digitRun(s, a + 1, b, b) != b || a + 1 + b >= s.size() || s.at(a + 1 + b) != u'/')
                continue;
            for (qsizetype c = 2; c <= 4; ++c) {
                if (digitRun(s, a + b + 2, c, c) == c && endsHere(a + b + 2 + c))
                    return true;
            }
        }
    }
    return false;
}

// Whether every digit of [start, end) lies inside one of the sorted, disjoint `claimed` ranges.
bool allDigitsClaimed(QStringView text, qsizetype offset, qsizetype start, qsizetype end,
                      const std::vector<TextRange>& claimed) {
    if (claimed.empty())
        return false;
    auto it = std::upper_bound(claimed.begin(), claimed.end(), offset + start,
                               [](qsizetype pos, const TextRange& r) { return pos < r.start; });
    if (it != claimed.begin())
        --it;
    for (qsizetype i = start; i < end; ++i) {
        if (!text.at(i).isDigit())
            continue;
        const qsizetype pos = offset + i;
        while (it != claimed.end() && it->end <= pos)
            ++it;
        if (it == claimed.end() || it->start > pos)
            return false;
    }
    return true;
}

} // namespace

PhoneNumberFinder::PhoneNumberFinder(const QStringList& regions)
    : m_id(nextFinderId.fetch_add(1))
    , m_regions(regions)
    // A run of digits with phone separators, optionally "+" or "(" in front and an extension
    // behind. Full-width digits are included because libphonenumber understands them.
    , m_candidate(PhoneCandidateScanner::pattern(), Pcre2Pattern::UnicodeProperties) {
    if (m_regions.isEmpty())
        m_regions << defaultRegion();
    for (QString& region : m_regions)
        region = region.toUpper();
    m_regions.removeDuplicates();
    for (const QString& region : m_regions)
        m_regionCodes.push_back(region.toStdString());
    // A concurrent first use simply waits for the static initialisation to finish.
    m_warmUp = QtConcurrent::run([] { phoneUtil(); });
}

PhoneNumberFinder::~PhoneNumberFinder() {
    m_warmUp.waitForFinished();
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

QList<TextRange> PhoneNumberFinder::matchWindow(QStringView window) const {
    // A cache per thread in front of the shared one: no lock, and no string built for a window
    // seen before (most are: text repeats its numbers, and its dates and versions).
    struct ThreadCache {
        uint64_t finder = 0;
        std::unordered_map<std::u16string, QList<TextRange>, WindowHash, std::equal_to<>> entries;
    };
    thread_local ThreadCache local;
    if (local.finder != m_id) {
        local.entries.clear();
        local.finder = m_id;
    }
    const std::u16string_view view(window.utf16(), static_cast<size_t>(window.size()));
    const auto known = local.entries.find(view);
    if (known != local.entries.end())
        return known->second;
    const QList<TextRange> ranges = matchWindowShared(window);
    if (local.entries.size() >= static_cast<size_t>(kMaxCacheEntries))
        local.entries.clear();
    local.entries.emplace(std::u16string(view), ranges);
    return ranges;
}

QList<TextRange> PhoneNumberFinder::matchWindowShared(QStringView window) const {
    const QString key = window.toString();
    {
        QMutexLocker lock(&m_cacheMutex);
        const auto hit = m_cache.constFind(key);
        if (hit != m_cache.constEnd())
            return hit.value();
    }
    QList<TextRange> ranges;
    const QByteArray utf8Bytes = window.toUtf8();
    const std::string utf8(utf8Bytes.constData(), static_cast<size_t>(utf8Bytes.size()));
    for (const std::string& region : m_regionCodes) {
        pn::PhoneNumberMatcher matcher(phoneUtil(), utf8, region, pn::PhoneNumberMatcher::VALID, 16);
        pn::PhoneNumberMatch match;
        while (matcher.HasNext() && matcher.Next(&match)) {
            const qsizetype start = utf16Offset(window, utf8, match.start());
            const qsizetype end = utf16Offset(window, utf8, match.start() + match.length());
            ranges.append(TextRange{start, end});
        }
    }
    QMutexLocker lock(&m_cacheMutex);
    if (m_cache.size() >= kMaxCacheEntries)
        m_cache.clear();
    m_cache.insert(key, ranges);
    return ranges;
}

QList<TextRange> PhoneNumberFinder::find(QStringView text) const {
    return find(text, 0, {});
}

QList<TextRange> PhoneNumberFinder::find(QStringView text, qsizetype offset,
                                         const std::vector<TextRange>& claimed, Known known) const {
    // `text` may hold several lines; each candidate and its window stay within its own line, so
    // the result is the same as scanning line by line.
    QList<TextRange> found;
    std::set<std::pair<qsizetype, qsizetype>> seen;
    // Returns where to continue the search after a cut at a line break (rare), else -1.
    auto visit = [&](const qsizetype candidateStart, qsizetype candidateEnd) -> qsizetype {
        qsizetype restart = -1;
        // Only the optional extension (`\s*x 12`) can reach past a line break; on its own line
        // the candidate would end at its last digit before the break, and the next line would be
        // searched from its start.
        // One pass for the line break and the digits before it (the candidate cut at the break
        // ends at its last digit: the same digits).
        qsizetype lineBreak = -1;
        int digits = 0;
        for (qsizetype i = candidateStart; i < candidateEnd; ++i) {
            const QChar c = text[i];
            if (c == u'\n') {
                lineBreak = i - candidateStart;
                break;
            }
            digits += c.isDigit() ? 1 : 0;
        }
        if (lineBreak >= 0) {
            candidateEnd = candidateStart + lineBreak;
            while (candidateEnd > candidateStart && !text.at(candidateEnd - 1).isDigit())
                --candidateEnd;
            restart = candidateStart + lineBreak;
        }
        const QStringView candidate = text.mid(candidateStart, candidateEnd - candidateStart);
        if (digits < 7 || startsWithDate(candidate))
            return restart;
        // libphonenumber looks a few characters around the number to reject dates and times
        // ("2012-01-02 08:00"), so hand it a window (within the line), not just the candidate.
        qsizetype windowStart = candidateStart;
        while (windowStart > 0 && candidateStart - windowStart < 8 && text.at(windowStart - 1) != u'\n')
            --windowStart;
        qsizetype windowEnd = candidateEnd;
        while (windowEnd < text.size() && windowEnd - candidateEnd < 8 && text.at(windowEnd) != u'\n')
            ++windowEnd;
        if (allDigitsClaimed(text, offset, candidateStart, candidateEnd, claimed))
            return restart;
        const QStringView window = text.mid(windowStart, windowEnd - windowStart);
        for (const TextRange& relative : matchWindow(window)) {
            const qsizetype start = windowStart + relative.start;
            const qsizetype end = windowStart + relative.end;
            // Only numbers that lie inside this candidate; neighbours get their own turn.
            if (start < candidateStart - 1 || end > candidateEnd + 16)
                continue;
            if (seen.insert({start, end}).second)
                found.append(TextRange{start, end});
        }
        return restart;
    };
    bool ascii = known == Ascii;
    if (!ascii)
        ascii = std::all_of(text.begin(), text.end(), [](QChar c) { return c.unicode() < 128; });
    if (ascii) {
        PhoneCandidateScanner candidates(text);
        while (candidates.next()) {
            const qsizetype restart = visit(candidates.start(), candidates.end());
            if (restart >= 0)
                candidates.restartAt(restart);
        }
    } else {
        auto m = m_candidate.matches(text, known != Unchecked);
        while (m.next()) {
            const qsizetype restart = visit(m.capturedStart(0), m.capturedEnd(0));
            if (restart >= 0)
                m.restartAt(restart);
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
