#include "Detector.h"

#include "sanitize/AsciiLineBits.h"
#include "sanitize/BuiltinRules.h"
#include "sanitize/EntityType.h"
#include "sanitize/LineFeatures.h"
#include "sanitize/LineShapes.h"
#include "sanitize/PublicSuffix.h"
#include "sanitize/SanitizeLog.h"
#include "sanitize/Validators.h"

#include <QHostAddress>

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <numeric>
#include <tuple>
#include <utility>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace parallax {

struct Detector::Compiled {
    Rule rule;
    Pcre2Pattern re;
    std::array<bool, 128> inKeywordRun{}; // Rule::keywordRun as a table
};

namespace {

// Lines longer than this are scanned in pieces cut at whitespace, so that a keyword hit in a
// megabyte-long minified line does not make every triggered rule scan the whole line.
constexpr qsizetype kMaxSegment = 4096;
constexpr qsizetype kSegmentBackoff = 512;
// Triggered lines at most this far apart share one regex call (scanning a short gap is cheaper
// than the call's setup).
constexpr qsizetype kMergeGap = 512;
// ... up to this many UTF-16 units per call, so that the text a call scans is still in the CPU
// cache from the feature pass (whole-text passes over 10 MB were memory-bound).
constexpr qsizetype kMaxMerged = 32 * 1024;
// The keyword automaton reads ahead this far (UTF-16 units) at a time.
constexpr qsizetype kKeywordStretch = 16 * 1024;

// The first '\n' in data[from, to), or `to`.
qsizetype nextLineBreak(const char16_t* data, qsizetype from, qsizetype to) {
    qsizetype i = from;
#if defined(__SSE2__)
    const __m128i newline = _mm_set1_epi16(u'\n');
    for (; i + 8 <= to; i += 8) {
        const __m128i chars = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + i));
        if (const int mask = _mm_movemask_epi8(_mm_cmpeq_epi16(chars, newline)))
            return i + std::countr_zero(static_cast<unsigned>(mask)) / 2;
    }
#endif
    for (; i < to; ++i) {
        if (data[i] == u'\n')
            return i;
    }
    return to;
}

constexpr int kTriggerCount = static_cast<int>(RuleTrigger::Always) + 1;

// The counts are cheap necessary conditions; the shapes (a second pass over the line, only when
// the counts allow any) are the tight ones. Bit t is set when RuleTrigger t holds for the line.
uint32_t activeTriggers(const LineFeatures& f, const LineShapes& shapes) {
    auto bit = [](RuleTrigger trigger, bool holds) {
        return static_cast<uint32_t>(holds) << static_cast<int>(trigger);
    };
    return bit(RuleTrigger::UsSsnShape, f.digits >= 9 && shapes.ssn) |
           bit(RuleTrigger::WeakSsnShape, f.digits >= 9 && shapes.weakSsn) |
           bit(RuleTrigger::CardShape, f.digits >= 12 && shapes.card) |
           bit(RuleTrigger::DottedQuad, f.digits >= 4 && f.dots >= 3 && shapes.ipv4) |
           bit(RuleTrigger::MacColons, (f.colons >= 5 || f.dashes >= 5) && shapes.macColon) |
           bit(RuleTrigger::MacDots, f.dots >= 2 && shapes.macDotted) |
           bit(RuleTrigger::LongToken, f.longToken) |
           bit(RuleTrigger::Ipv6Colons, f.doubleColon || f.colons >= 6) |
           bit(RuleTrigger::IbanPrefix, f.ibanPrefix) | bit(RuleTrigger::Always, true);
    // RuleTrigger::KeywordsOnly never holds.
}

// The LineShapes trackers whose flags the triggers can still use on a line with these counts.
int neededShapes(const LineFeatures& f, bool findPhones) {
    int parts = 0;
    if (f.digits >= 4)
        parts |= LineShapes::DigitRuns;
    if (f.colons >= 5 || f.dashes >= 5 || f.dots >= 2)
        parts |= LineShapes::HexRuns;
    if (findPhones && f.digits >= 7)
        parts |= LineShapes::PhoneRuns;
    return parts;
}

struct UrlVerdict {
    bool keep = false;
    bool credentials = false;
    qsizetype length = 0; // after trimming trailing punctuation
};

UrlVerdict checkUrl(QStringView url) {
    UrlVerdict verdict;
    qsizetype length = url.size();
    // Sentence punctuation after a URL is not part of it; a ')' is, when the URL opened one.
    while (length > 0) {
        const QChar last = url.at(length - 1);
        if (last == u')' && url.left(length).count(u'(') >= url.left(length).count(u')'))
            break;
        if (QStringView(u".,;:!?)]'\"").contains(last) || last == u'>') {
            --length;
            continue;
        }
        break;
    }
    const QStringView trimmed = url.left(length);
    const qsizetype schemeEnd = trimmed.indexOf(u"://");
    if (schemeEnd < 0)
        return verdict;
    QStringView authority = trimmed.mid(schemeEnd + 3);
    for (qsizetype i = 0; i < authority.size(); ++i) {
        const QChar c = authority.at(i);
        if (c == u'/' || c == u'?' || c == u'#') {
            authority = authority.left(i);
            break;
        }
    }
    const qsizetype at = authority.lastIndexOf(u'@');
    if (at >= 0) {
        const QStringView userInfo = authority.left(at);
        const qsizetype colon = userInfo.indexOf(u':');
        verdict.credentials = colon >= 0 && colon + 1 < userInfo.size();
        authority = authority.mid(at + 1);
    }
    QStringView host = authority;
    if (host.startsWith(u'[')) {
        const qsizetype close = host.indexOf(u']');
        host = close > 0 ? host.mid(1, close - 1) : QStringView();
    } else {
        const qsizetype colon = host.lastIndexOf(u':');
        if (colon >= 0)
            host = host.left(colon);
    }
    bool hostOk = false;
    if (!host.isEmpty()) {
        QHostAddress address;
        hostOk = address.setAddress(host.toString()) || PublicSuffix::hasRegistrableDomain(host.toString());
    }
    verdict.keep = verdict.credentials ? !authority.isEmpty() : hostOk;
    verdict.length = length;
    return verdict;
}

bool checkEmail(QStringView email) {
    qsizetype at = email.lastIndexOf(u'@');
    qsizetype domainStart = at + 1;
    if (at < 0) {
        at = email.indexOf(u"[at]", 0, Qt::CaseInsensitive);
        if (at < 0)
            return false;
        domainStart = at + 4;
    }
    QString domain = email.mid(domainStart).trimmed().toString();
    domain.replace(QLatin1String("[dot]"), QLatin1String("."), Qt::CaseInsensitive);
    return PublicSuffix::hasRegistrableDomain(domain);
}

} // namespace

Detector::Detector()
    : Detector(BuiltinRules::all()) {}

Detector::Detector(const QList<Rule>& rules, const QStringList& phoneRegions, bool findPhones)
    : m_phones(phoneRegions)
    , m_findPhones(findPhones) {
    QStringList keywords;
    for (const Rule& rule : rules) {
        auto compiled = std::make_unique<Compiled>();
        compiled->rule = rule;
        // JIT-compiled now, not on the first (possibly GUI-visible) scan.
        compiled->re =
            Pcre2Pattern(rule.pattern, (rule.caseInsensitive ? Pcre2Pattern::CaseInsensitive : 0) |
                                           (rule.searchedAroundKeywords() ? Pcre2Pattern::StartLimit : 0));
        for (QChar c : rule.keywordRun) {
            if (c.unicode() < 128)
                compiled->inKeywordRun[c.unicode()] = true;
        }
        if (!compiled->re.isValid()) {
            qCWarning(lcSanitize) << "rule" << rule.name << "does not compile:" << compiled->re.errorString()
                                  << "at" << compiled->re.errorOffset();
            continue;
        }
        const int index = static_cast<int>(m_rules.size());
        for (const QString& keyword : rule.keywords) {
            keywords << keyword.toLower();
            m_rulesByKeyword.push_back({index});
            m_keywordLength.push_back(static_cast<int>(keyword.size()));
        }
        if (rule.multiLine) {
            // multiLineSpans() finds these by their keywords alone.
            Q_ASSERT(rule.trigger == RuleTrigger::KeywordsOnly && !rule.keywords.isEmpty());
            m_multiLineRules.push_back(m_rules.size());
        }
        m_rules.push_back(std::move(compiled));
    }
    m_keywords = KeywordMatcher(keywords);
    m_ruleWords = (m_rules.size() + 63) / 64;
    m_rulesByTrigger.assign(kTriggerCount * m_ruleWords, 0);
    for (size_t r = 0; r < m_rules.size(); ++r) {
        const auto trigger = static_cast<size_t>(m_rules[r]->rule.trigger);
        m_rulesByTrigger[trigger * m_ruleWords + r / 64] |= uint64_t(1) << (r % 64);
    }
}

Detector::~Detector() = default;

const QStringList& Detector::phoneRegions() const {
    return m_phones.regions();
}

QList<Span> Detector::detect(const QString& text) const {
    QList<Span> spans;
    scanRange(text, 0, text.size(), spans);
    return resolveOverlaps(std::move(spans));
}

TextRange Detector::expandToLines(const QString& text, TextRange changed) {
    const qsizetype from = std::clamp<qsizetype>(changed.start, 0, text.size());
    const qsizetype to = std::clamp<qsizetype>(changed.end, from, text.size());
    const qsizetype lineStart = from == 0 ? 0 : text.lastIndexOf(QLatin1Char('\n'), from - 1) + 1;
    qsizetype lineEnd = text.indexOf(QLatin1Char('\n'), to);
    if (lineEnd < 0)
        lineEnd = text.size();
    return {lineStart, lineEnd};
}

QList<Span> Detector::detect(const QString& text, TextRange changed) const {
    const TextRange lines = expandToLines(text, changed);
    QList<Span> spans;
    scanRange(text, lines.start, lines.end, spans);
    return resolveOverlaps(std::move(spans));
}

namespace {
/// Whether `keyword` (lower-case ASCII) occurs in `text`, ASCII letters compared without case: the
/// keyword automaton's notion of an occurrence.
bool containsAsciiCaseless(QStringView text, QStringView keyword) {
    if (keyword.isEmpty() || keyword.size() > text.size())
        return false;
    const char16_t first = keyword.front().unicode();
    const bool letter = first >= u'a' && first <= u'z';
    const qsizetype last = text.size() - keyword.size();
    for (qsizetype i = 0; i <= last; ++i) {
        if (!letter) {
            // Jump to the next occurrence of a non-letter first character (vectorised by Qt).
            i = text.indexOf(QChar(first), i);
            if (i < 0 || i > last)
                return false;
        } else if ((text[i].unicode() | 0x20) != first) {
            continue;
        }
        qsizetype k = 1;
        for (; k < keyword.size(); ++k) {
            const char16_t c = text[i + k].unicode();
            const char16_t want = keyword[k].unicode();
            const char16_t folded = c >= u'A' && c <= u'Z' ? char16_t(c | 0x20) : c;
            if (folded != want)
                break;
        }
        if (k == keyword.size())
            return true;
    }
    return false;
}
} // namespace

QList<Span> Detector::multiLineSpans(const QString& text) const {
    QList<Span> spans;
    for (size_t index : m_multiLineRules) {
        const Compiled& compiled = *m_rules[index];
        for (const QString& keyword : compiled.rule.keywords) {
            if (containsAsciiCaseless(text, keyword.toLower())) {
                runRule(compiled, text, 0, text.size(), false, spans);
                break;
            }
        }
    }
    return spans;
}

bool Detector::isMultiLineRule(const QString& ruleName) const {
    return std::any_of(m_multiLineRules.begin(), m_multiLineRules.end(),
                       [&](size_t index) { return m_rules[index]->rule.name == ruleName; });
}

void Detector::scanRange(const QString& text, qsizetype from, qsizetype to, QList<Span>& out) const {
    const char16_t* data = reinterpret_cast<const char16_t*>(text.constData());
    // Per segment: the rules a keyword fired for, and those to run (bitsets over m_rules).
    std::vector<uint64_t> fired(m_ruleWords, 0);
    std::vector<uint64_t> toRun(m_ruleWords, 0);
    std::vector<char> multiLineFired(m_rules.size(), 0);
    // Line-local rules and the phone finder run once over a stretch of nearby triggered lines
    // instead of once per line: each QRegularExpression call costs about a microsecond of setup.
    std::vector<TextRange> pending(m_rules.size(), TextRange{-1, -1});
    struct PhoneRange {
        qsizetype start;
        qsizetype end;
        bool ascii;
    };
    std::vector<PhoneRange> phoneRanges;
    // For rules searched around their keywords: in the current segment, where a match holding a
    // keyword hit may start, [first, last] (relative to the segment).
    std::vector<std::vector<TextRange>> keywordWindows(m_rules.size());
    // PCRE2 need not re-check UTF-16 that has no surrogates at all (the common case); the feature
    // pass below notices any.
    bool surrogatesSoFar = false;
    AsciiLineBits bits; // reused for every segment
    // Keyword hits of the text read so far: the automaton reads on across segments, and a segment
    // takes the occurrences that lie wholly inside it (what reading it alone would find).
    std::vector<KeywordMatcher::Hit> keywordHits;
    size_t nextHit = 0;
    qsizetype keywordsScannedTo = from;
    int keywordState = m_keywords.root();
    auto flush = [&](size_t r) {
        if (pending[r].start >= 0)
            runRule(*m_rules[r], text, pending[r].start, pending[r].end, !surrogatesSoFar, out);
        pending[r] = {-1, -1};
    };
    auto extend = [](TextRange& range, qsizetype start, qsizetype end) {
        if (range.start >= 0 && start - range.end <= kMergeGap && end - range.start <= kMaxMerged) {
            range.end = end;
            return true;
        }
        return false;
    };
    qsizetype segmentStart = from;
    while (segmentStart < to) {
        const qsizetype lineEnd = nextLineBreak(data, segmentStart, to);
        qsizetype segmentEnd = lineEnd;
        if (segmentEnd - segmentStart > kMaxSegment) {
            segmentEnd = segmentStart + kMaxSegment;
            for (qsizetype i = segmentEnd; i > segmentEnd - kSegmentBackoff; --i) {
                if (QChar(data[i]).isSpace()) {
                    segmentEnd = i + 1;
                    break;
                }
            }
        }

        const QStringView segment = QStringView(text).mid(segmentStart, segmentEnd - segmentStart);
        bool anyKeyword = false;
        auto keywordHit = [&](int state, qsizetype i) {
            for (int keyword : m_keywords.outputs(state)) {
                const qsizetype start = i + 1 - m_keywordLength[static_cast<size_t>(keyword)];
                if (start < segmentStart)
                    continue; // begun in the previous segment (a long line cut inside a word)
                if (!anyKeyword) {
                    std::fill(fired.begin(), fired.end(), 0);
                    anyKeyword = true;
                }
                for (int rule : m_rulesByKeyword[static_cast<size_t>(keyword)]) {
                    uint64_t& word = fired[static_cast<size_t>(rule) / 64];
                    const uint64_t bit = uint64_t(1) << (rule % 64);
                    if (!(word & bit))
                        keywordWindows[static_cast<size_t>(rule)].clear();
                    word |= bit;
                    const Compiled& compiled = *m_rules[static_cast<size_t>(rule)];
                    if (compiled.rule.searchedAroundKeywords()) {
                        const qsizetype first =
                            windowStart(compiled, data, segmentStart, segmentEnd, start, i + 1);
                        if (first >= 0)
                            keywordWindows[static_cast<size_t>(rule)].push_back(
                                {first - segmentStart, start - segmentStart});
                    }
                }
            }
        };
        LineFeatures features;
        LineShapes shapes;
        if (segmentEnd > keywordsScannedTo) {
            // The automaton runs ahead over a stretch of lines at a time (KeywordMatcher::scan).
            keywordHits.erase(keywordHits.begin(),
                              keywordHits.begin() + static_cast<std::ptrdiff_t>(nextHit));
            nextHit = 0;
            const qsizetype stretchEnd =
                std::min(to, std::max(segmentEnd, keywordsScannedTo + kKeywordStretch));
            keywordState = m_keywords.scan(data, keywordsScannedTo, stretchEnd, keywordState, keywordHits);
            keywordsScannedTo = stretchEnd;
        }
        for (; nextHit < keywordHits.size() && keywordHits[nextHit].last < segmentEnd; ++nextHit)
            keywordHit(keywordHits[nextHit].state, keywordHits[nextHit].last);
        if (bits.read(segment, text.size() - segmentStart)) {
            // ASCII (nearly every line): the counts and flags are word operations on the bitsets.
            features = LineFeatures::of(bits, segment);
            const int parts = neededShapes(features, m_findPhones);
            if (parts)
                shapes = LineShapes::of(bits, segment, parts);
        } else {
            features = LineFeatures::reference(segment);
            const int parts = neededShapes(features, m_findPhones);
            if (parts)
                shapes = LineShapes::reference(segment, parts);
        }
        const bool nonAscii = features.nonAscii;
        const bool surrogates = features.surrogates;
        surrogatesSoFar |= surrogates;
        // The rules to run, in rule order: those a keyword fired for, and those whose trigger holds.
        for (size_t w = 0; w < m_ruleWords; ++w)
            toRun[w] = anyKeyword ? fired[w] : 0;
        for (uint32_t active = activeTriggers(features, shapes); active; active &= active - 1) {
            const uint64_t* rules =
                m_rulesByTrigger.data() + static_cast<size_t>(std::countr_zero(active)) * m_ruleWords;
            for (size_t w = 0; w < m_ruleWords; ++w)
                toRun[w] |= rules[w];
        }
        for (size_t w = 0; w < m_ruleWords; ++w) {
            for (uint64_t rules = toRun[w]; rules; rules &= rules - 1) {
                const size_t r = w * 64 + static_cast<size_t>(std::countr_zero(rules));
                const Compiled& compiled = *m_rules[r];
                if (compiled.rule.multiLine) {
                    multiLineFired[r] = 1;
                    continue;
                }
                if (!compiled.rule.lineLocal) {
                    // Keyword hits locate the matches only where the keyword matcher sees every
                    // character as the regex does (case folding is ASCII there).
                    const bool byKeyword = compiled.rule.searchedAroundKeywords() && anyKeyword &&
                                           ((fired[w] >> (r % 64)) & 1) && !nonAscii;
                    runRule(compiled, text, segmentStart, segmentEnd, !surrogates, out,
                            byKeyword ? &keywordWindows[r] : nullptr);
                    continue;
                }
                if (!extend(pending[r], segmentStart, segmentEnd)) {
                    flush(r);
                    pending[r] = {segmentStart, segmentEnd};
                }
            }
        }
        // Phone candidates are scanned by hand (no per-call cost), so only adjacent lines share
        // a range and the lines between triggered ones are not scanned.
        if (m_findPhones && features.digits >= 7 && shapes.phone) {
            if (!phoneRanges.empty() && segmentStart - phoneRanges.back().end <= 1) {
                phoneRanges.back().end = segmentEnd;
                phoneRanges.back().ascii &= !nonAscii; // joined by '\n' or nothing
            } else {
                phoneRanges.push_back({segmentStart, segmentEnd, !nonAscii});
            }
        }
        segmentStart = segmentEnd == lineEnd ? lineEnd + 1 : segmentEnd;
    }
    for (size_t r = 0; r < m_rules.size(); ++r) {
        flush(r);
        if (multiLineFired[r])
            runRule(*m_rules[r], text, from, to, !surrogatesSoFar, out);
    }
    if (phoneRanges.empty())
        return;

    // Phones last: libphonenumber is by far the slowest step, and a candidate whose digits a
    // stronger finding (secret, card, IBAN, SSN, IP, ...) already covers would lose the overlap
    // anyway. Those findings are resolved exactly as resolveOverlaps() will: they all rank above
    // every phone, so which of them survive does not depend on the phones.
    std::vector<qsizetype> stronger;
    const int phonePriority = EntityType::priority(EntityType::Phone);
    for (qsizetype i = 0; i < out.size(); ++i) {
        if (!out.at(i).suggestion && EntityType::priority(out.at(i).type) > phonePriority)
            stronger.push_back(i);
    }
    std::vector<TextRange> claimed;
    claimed.reserve(stronger.size());
    for (qsizetype i : acceptedOf(out, std::move(stronger)))
        claimed.push_back({out.at(i).start, out.at(i).end});
    for (const PhoneRange& segment : phoneRanges) {
        const QStringView view = QStringView(text).mid(segment.start, segment.end - segment.start);
        const auto known = segment.ascii      ? PhoneNumberFinder::Ascii
                           : !surrogatesSoFar ? PhoneNumberFinder::ValidUtf16
                                              : PhoneNumberFinder::Unchecked;
        for (const TextRange& range : m_phones.find(view, segment.start, claimed, known)) {
            Span span;
            span.start = segment.start + range.start;
            span.end = segment.start + range.end;
            span.type = EntityType::Phone;
            span.rule = QStringLiteral("phone-number");
            span.confidence = 0.7;
            out.append(std::move(span));
        }
    }
}

qsizetype Detector::windowStart(const Compiled& compiled, const char16_t* data, qsizetype segmentStart,
                                qsizetype segmentEnd, qsizetype keywordStart, qsizetype keywordEnd) {
    const Rule& rule = compiled.rule;
    if (rule.assignmentAfterKeyword) {
        // [\w-]*, at most one quote, whitespace (\s without Unicode properties), then ':' or '='.
        qsizetype i = keywordEnd;
        auto at = [&](qsizetype k) { return k < segmentEnd ? data[k] : char16_t(0); };
        auto isWord = [](char16_t c) {
            return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9') ||
                   c == u'_' || c == u'-';
        };
        while (isWord(at(i)))
            ++i;
        if (at(i) == u'"' || at(i) == u'\'')
            ++i;
        while (at(i) == u' ' || (at(i) >= u'\t' && at(i) <= u'\r'))
            ++i;
        if (at(i) != u':' && at(i) != u'=')
            return -1;
    }
    if (rule.keywordReach >= 0)
        return std::max(segmentStart, keywordStart - rule.keywordReach);
    qsizetype first = keywordStart;
    if (first > segmentStart &&
        (data[first - 1] == u' ' || (data[first - 1] >= u'\t' && data[first - 1] <= u'\r')))
        --first; // \s? (a whitespace character before the keyword cannot be in the run)
    while (first > segmentStart && data[first - 1] < 128 && compiled.inKeywordRun[data[first - 1]])
        --first;
    return first;
}

void Detector::runRule(const Compiled& compiled, const QString& text, qsizetype from, qsizetype to,
                       bool validUtf16, QList<Span>& out,
                       const std::vector<TextRange>* keywordWindows) const {
    const Rule& rule = compiled.rule;
    const QStringView subject = QStringView(text).mid(from, to - from);
    // The value's range (relative to `subject`) in one match.
    auto accept = [&](qsizetype start, qsizetype end) {
        if (start < 0 || end <= start)
            return;
        QStringView value = subject.mid(start, end - start);
        Span span;
        span.type = rule.type;
        span.rule = rule.name;
        span.confidence = rule.confidence;
        span.suggestion = rule.suggestion;

        bool keep = true;
        switch (rule.check) {
        case RuleCheck::None:
            break;
        case RuleCheck::Luhn:
            keep = Validators::luhn(value);
            break;
        case RuleCheck::Iban: {
            // Presidio's lesson: "DE89 3704 ... 3000 2 days" must not swallow the " 2"; drop
            // trailing groups until the checksum holds.
            keep = Validators::iban(value);
            while (!keep) {
                const qsizetype cut = std::max(value.lastIndexOf(u' '), value.lastIndexOf(u'-'));
                if (cut < 15)
                    break;
                value = value.left(cut);
                keep = Validators::iban(value);
            }
            end = start + value.size();
            break;
        }
        case RuleCheck::UsSsn:
            keep = Validators::usSsn(value);
            break;
        case RuleCheck::IpAddress:
            keep = Validators::ipAddress(value);
            if (keep) {
                QStringView address = value;
                const qsizetype cut = address.indexOf(u'/');
                if (cut >= 0)
                    address = address.left(cut);
                if (address == u"::") {
                    // The unspecified address reveals nothing; Presidio scores it 0.05-0.15.
                    span.suggestion = true;
                    span.confidence = 0.1;
                }
            }
            break;
        case RuleCheck::MacAddress:
            keep = Validators::macAddress(value);
            break;
        case RuleCheck::Bitcoin:
            keep = Validators::bitcoinAddress(value);
            break;
        case RuleCheck::EmailDomain:
            keep = checkEmail(value);
            break;
        case RuleCheck::Url: {
            const UrlVerdict verdict = checkUrl(value);
            keep = verdict.keep;
            end = start + verdict.length;
            if (verdict.credentials) {
                span.type = EntityType::Secret;
                span.rule = QStringLiteral("url-credentials");
                span.confidence = 0.9;
            }
            break;
        }
        }
        if (!keep)
            return;
        if (rule.minEntropy > 0.0 && Validators::entropyBelow(value, rule.minEntropy))
            return;
        if (rule.secretAllowlist && Validators::looksLikeSecretPlaceholder(value))
            return;
        if (rule.check != RuleCheck::None && span.confidence < 1.0 && !span.suggestion &&
            rule.check != RuleCheck::Url)
            span.confidence = 1.0; // a checksum or parser confirmed it
        span.start = from + start;
        span.end = from + end;
        out.append(std::move(span));
    };
    if (rule.scanner && !keywordWindows) {
        // The same ranges as the pattern's group, found by hand.
        std::vector<TextRange> found;
        rule.scanner(subject, found);
        for (const TextRange& range : found)
            accept(range.start, range.end);
        return;
    }
    auto m = compiled.re.matches(subject, validUtf16);
    auto acceptMatch = [&] {
        const int group = m.lastCapturedIndex() >= rule.group ? rule.group : 0;
        accept(m.capturedStart(group), m.capturedEnd(group));
    };
    if (!keywordWindows) {
        while (m.next())
            acceptMatch();
        return;
    }
    // Every match starts in one of the windows in front of the keyword hits: search just those
    // (PCRE2's offset limit), continuing after a match as next() would. Same matches, without
    // trying every separator of a long line.
    std::vector<TextRange> windows = *keywordWindows;
    std::sort(windows.begin(), windows.end(),
              [](const TextRange& a, const TextRange& b) { return a.start < b.start; });
    qsizetype next = 0;
    for (size_t h = 0; h < windows.size();) {
        // One search per run of overlapping or adjacent windows.
        const qsizetype windowStart = std::max(next, windows[h].start);
        qsizetype windowEnd = windows[h].end;
        while (++h < windows.size() && windows[h].start <= windowEnd + 1)
            windowEnd = std::max(windowEnd, windows[h].end);
        qsizetype searchFrom = windowStart;
        while (searchFrom <= windowEnd && m.matchStartingIn(searchFrom, windowEnd)) {
            acceptMatch();
            searchFrom = std::max(m.capturedEnd(0), m.capturedStart(0) + 1);
        }
        next = std::max(next, searchFrom);
    }
}

std::vector<Detector::SpanKey> Detector::sortedByStart(const QList<Span>& spans,
                                                       const std::vector<qsizetype>& indices) {
    // Spans are many and mostly in order within a stretch of text (each rule appends its own in
    // order), so: a stable counting sort into stretches of 4 K characters, then a stable insertion
    // sort inside each (a comparison sort where a stretch holds many). The spans are read once
    // (they are large and far apart in memory); the rest works on their keys.
    constexpr int kShift = 12;
    std::vector<SpanKey> input;
    input.reserve(indices.size());
    qsizetype highest = 0;
    for (qsizetype i : indices) {
        const Span& span = spans.at(i);
        input.push_back({span.start, span.end, i});
        highest = std::max(highest, span.start);
    }
    if (input.size() < 2)
        return input;
    std::vector<size_t> offsets(static_cast<size_t>(highest >> kShift) + 2, 0);
    for (const SpanKey& key : input)
        ++offsets[static_cast<size_t>(key.start >> kShift) + 1];
    for (size_t b = 1; b < offsets.size(); ++b)
        offsets[b] += offsets[b - 1];
    std::vector<SpanKey> keys(input.size());
    std::vector<size_t> next(offsets.begin(), offsets.end() - 1);
    for (const SpanKey& key : input)
        keys[next[static_cast<size_t>(key.start >> kShift)]++] = key;
    for (size_t b = 0; b + 1 < offsets.size(); ++b) {
        const auto first = keys.begin() + static_cast<std::ptrdiff_t>(offsets[b]);
        const auto last = keys.begin() + static_cast<std::ptrdiff_t>(offsets[b + 1]);
        if (last - first > 64) {
            // Ties stay in index order, as the indices came ascending.
            std::sort(first, last, [](const SpanKey& x, const SpanKey& y) {
                return x.start != y.start ? x.start < y.start : x.index < y.index;
            });
            continue;
        }
        for (auto it = first + (first != last ? 1 : 0); it < last; ++it) {
            const SpanKey key = *it;
            auto hole = it;
            for (; hole > first && (hole - 1)->start > key.start; --hole)
                *hole = *(hole - 1);
            *hole = key;
        }
    }
    return keys;
}

QList<Span> Detector::resolveOverlaps(QList<Span> spans) {
    std::vector<qsizetype> all(static_cast<size_t>(spans.size()));
    std::iota(all.begin(), all.end(), qsizetype(0));
    const std::vector<qsizetype> accepted = acceptedOf(spans, std::move(all));
    QList<Span> result;
    result.reserve(static_cast<qsizetype>(accepted.size()));
    for (qsizetype index : accepted)
        result.append(std::move(spans[index]));
    return result;
}

std::vector<qsizetype> Detector::acceptedOf(const QList<Span>& spans,
                                            const std::vector<qsizetype>& candidates) {
    // Greedy acceptance by rank: real finds over suggestions, then type priority, then the longer,
    // then the earlier span. Whether a span is accepted depends only on the spans it overlaps,
    // directly or through a chain, so the greedy pass runs per cluster of overlapping spans; most
    // spans overlap nothing and are kept without ranking (priority() compares strings).
    // By start, ties in index order (what a stable sort gives: `candidates` are ascending).
    const std::vector<SpanKey> byStart = sortedByStart(spans, candidates);
    std::vector<qsizetype> accepted;
    accepted.reserve(byStart.size());
    std::vector<qsizetype> cluster;
    for (size_t i = 0; i < byStart.size();) {
        size_t next = i + 1;
        qsizetype reach = byStart[i].end;
        while (next < byStart.size() && byStart[next].start < reach) {
            reach = std::max(reach, byStart[next].end);
            ++next;
        }
        if (next == i + 1) {
            accepted.push_back(byStart[i].index);
        } else {
            cluster.clear();
            for (size_t k = i; k < next; ++k)
                cluster.push_back(byStart[k].index);
            acceptByRank(spans, cluster, accepted);
        }
        i = next;
    }
    return accepted;
}

void Detector::acceptByRank(const QList<Span>& spans, std::vector<qsizetype>& cluster,
                            std::vector<qsizetype>& accepted) {
    struct Ranked {
        int suggestion;
        int priority;
        qsizetype length;
        qsizetype start;
        qsizetype index;
    };
    // Ties keep the input order, as a stable sort over the whole list did.
    std::sort(cluster.begin(), cluster.end());
    std::vector<Ranked> ranked;
    ranked.reserve(cluster.size());
    for (qsizetype i : cluster) {
        const Span& s = spans.at(i);
        ranked.push_back({s.suggestion ? 0 : 1, EntityType::priority(s.type), s.length(), s.start, i});
    }
    auto key = [](const Ranked& r) { return std::make_tuple(r.suggestion, r.priority, r.length, -r.start); };
    std::stable_sort(ranked.begin(), ranked.end(),
                     [&](const Ranked& a, const Ranked& b) { return key(a) > key(b); });
    const size_t firstOfCluster = accepted.size();
    for (const Ranked& r : ranked) {
        const Span& span = spans.at(r.index);
        bool free = true;
        for (size_t k = firstOfCluster; k < accepted.size() && free; ++k)
            free = !span.overlaps(spans.at(accepted[k]));
        if (free)
            accepted.push_back(r.index);
    }
    std::sort(accepted.begin() + static_cast<std::ptrdiff_t>(firstOfCluster), accepted.end(),
              [&](qsizetype a, qsizetype b) { return spans.at(a).start < spans.at(b).start; });
}

} // namespace parallax
