#pragma once

#include <QString>
#include <QStringView>

#include <cstddef>

struct pcre2_real_code_16;
struct pcre2_real_match_data_16;

namespace parallax {

/// A PCRE2 (UTF-16, JIT) pattern used directly instead of through QRegularExpression.
///
/// Why: the detector makes tens of thousands of short regex calls per megabyte, and each
/// QRegularExpression call allocates a match context and match data, re-validates the subject's
/// UTF-16 and builds a QRegularExpressionMatch. Here the match data comes from a per-thread pool,
/// the JIT stack is per thread, and the caller may vouch for the subject's UTF-16 (the detector
/// already looks at every character, so it knows when there are no surrogates).
///
/// Semantics are QRegularExpression's: compiled with PCRE2_UTF (plus CASELESS / UCP on request)
/// and the library's default newline, and iteration steps over empty matches the same way as
/// QRegularExpression::globalMatch(), so results are identical.
class Pcre2Pattern {
public:
    /// `StartLimit` allows Matches::matchStartingIn() (PCRE2_USE_OFFSET_LIMIT).
    enum Option { NoOption = 0, CaseInsensitive = 1, UnicodeProperties = 2, StartLimit = 4 };

    Pcre2Pattern() = default;
    Pcre2Pattern(const QString& pattern, int options);
    ~Pcre2Pattern();
    Pcre2Pattern(Pcre2Pattern&& other) noexcept;
    Pcre2Pattern& operator=(Pcre2Pattern&& other) noexcept;
    Pcre2Pattern(const Pcre2Pattern&) = delete;
    Pcre2Pattern& operator=(const Pcre2Pattern&) = delete;

    bool isValid() const { return m_code != nullptr; }
    QString errorString() const { return m_error; }
    qsizetype errorOffset() const { return m_errorOffset; }

    /// Successive non-overlapping matches in a subject, like QRegularExpressionMatchIterator:
    /// `while (it.next()) use(it.capturedStart(1), it.capturedEnd(1));`. Offsets are relative to
    /// the subject. Lookbehinds do not see before the subject's first character.
    class Matches {
    public:
        ~Matches();
        Matches(const Matches&) = delete;
        Matches& operator=(const Matches&) = delete;

        /// Finds the next match; false at the end (or on a PCRE2 error).
        bool next();
        /// Start/end of `group` in the current match, -1 when the group did not take part.
        qsizetype capturedStart(int group) const;
        qsizetype capturedEnd(int group) const;
        /// The highest group that took part in the current match (0 = only the whole match).
        int lastCapturedIndex() const { return m_groups - 1; }
        /// Continues the search at `offset` as if a new iteration started there.
        void restartAt(qsizetype offset);
        /// The leftmost match that starts in [from, lastStart] (PCRE2's offset limit; the pattern
        /// needs StartLimit), if any; it becomes the current match. Does not move next().
        bool matchStartingIn(qsizetype from, qsizetype lastStart);

    private:
        friend class Pcre2Pattern;
        Matches(const Pcre2Pattern& pattern, QStringView subject, bool subjectIsValidUtf16);

        const Pcre2Pattern& m_pattern;
        QStringView m_subject;
        QString m_repaired; ///< the subject with its lone surrogates replaced, when it had any
        pcre2_real_match_data_16* m_data = nullptr;
        bool m_pooled = false;
        bool m_done = false;
        qsizetype m_offset = 0;
        bool m_lastWasEmpty = false;
        int m_groups = 0;
    };

    /// `subjectIsValidUtf16`: the caller knows the subject is well-formed UTF-16 (e.g. it has no
    /// surrogates), so it need not be checked. Otherwise it is, and each lone surrogate is read as
    /// U+FFFD (one unit for one, so offsets hold). QRegularExpression finds nothing at all in such a
    /// subject: a secret next to one broken character would not be seen.
    Matches matches(QStringView subject, bool subjectIsValidUtf16) const {
        return {*this, subject, subjectIsValidUtf16};
    }

private:
    pcre2_real_code_16* m_code = nullptr;
    int m_captureCount = 0;
    bool m_jit = false; ///< JIT-compiled: matched with pcre2_jit_match()
    QString m_error;
    qsizetype m_errorOffset = -1;
};

} // namespace parallax
