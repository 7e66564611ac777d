#pragma once

#include "sanitize/Pcre2Pattern.h"
#include "sanitize/Span.h"

#include <QFuture>
#include <QHash>
#include <QList>
#include <QMutex>
#include <QStringList>

#include <string_view>
#include <vector>

namespace parallax {

/// Finds phone numbers with libphonenumber's PhoneNumberMatcher at leniency VALID (as Presidio
/// does), which rejects dates, timestamps and numbers that are impossible in the region.
/// The matcher is slow compared with a regex (about 50-100 µs per call: ICU regexes and
/// allocations), so:
/// - a cheap candidate regex picks the digit runs and only a small window around each candidate
///   is handed to libphonenumber;
/// - candidates whose digits all lie inside values a stronger rule already claimed (card, IBAN,
///   SSN, IP address, secret, ...) are skipped: the phone would lose the overlap anyway;
/// - results are cached per window text (bounded, shared by all threads under a mutex).
class PhoneNumberFinder {
public:
    /// `regions` are ISO 3166 codes ("US", "DE"); numbers written with "+" are found regardless.
    /// Empty means the system locale's territory, falling back to US.
    explicit PhoneNumberFinder(const QStringList& regions = {});
    ~PhoneNumberFinder();
    PhoneNumberFinder(const PhoneNumberFinder&) = delete;
    PhoneNumberFinder& operator=(const PhoneNumberFinder&) = delete;

    /// Ranges (UTF-16 offsets into `text`) of the phone numbers found, sorted and disjoint.
    QList<TextRange> find(QStringView text) const;
    /// What the caller knows of a text: nothing, that it has no surrogates (PCRE2 need not check
    /// it), or that it is ASCII (candidates are found by hand, PhoneCandidateScanner).
    enum Known { Unchecked, ValidUtf16, Ascii };
    /// Same for `text` = the range [offset, offset + text.size()) of a larger text; `claimed` are
    /// absolute, sorted, disjoint ranges of stronger findings: a candidate whose digits all lie in
    /// them is skipped. Returned ranges are relative to `text`.
    QList<TextRange> find(QStringView text, qsizetype offset, const std::vector<TextRange>& claimed,
                          Known known = Unchecked) const;

    const QStringList& regions() const { return m_regions; }
    /// The region implied by QLocale::system(), or "US".
    static QString defaultRegion();

private:
    struct WindowHash {
        using is_transparent = void;
        size_t operator()(std::u16string_view window) const {
            return std::hash<std::u16string_view>{}(window);
        }
    };
    QList<TextRange> matchWindow(QStringView window) const;
    QList<TextRange> matchWindowShared(QStringView window) const;

    uint64_t m_id;
    QStringList m_regions;
    std::vector<std::string> m_regionCodes;
    Pcre2Pattern m_candidate;
    QFuture<void> m_warmUp; // libphonenumber's one-time set-up, started by the constructor

    static constexpr qsizetype kMaxCacheEntries = 16384;
    mutable QMutex m_cacheMutex;
    mutable QHash<QString, QList<TextRange>> m_cache; // window text -> ranges relative to it
};

} // namespace parallax
