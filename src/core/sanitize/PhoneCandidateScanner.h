#pragma once

#include <QString>
#include <QStringView>

namespace parallax {

/// The phone-number candidates of PhoneNumberFinder in ASCII text, found by hand.
///
/// A candidate is what pattern() matches: digits with phone separators, an optional '+' or '('
/// in front and an optional extension behind. On ASCII text this scanner returns exactly the
/// matches of the pattern, in the same order (leftmost, greedy, the next search starting at the
/// end of the previous match), at a fraction of the cost: the pattern's Unicode lookbehind makes
/// PCRE2 try every digit. Text with any non-ASCII character goes through the pattern instead.
class PhoneCandidateScanner {
public:
    /// The defining pattern (PCRE2, to be compiled with Unicode properties).
    static QString pattern();

    /// `text` must be ASCII only.
    explicit PhoneCandidateScanner(QStringView text)
        : m_text(text) {}

    /// Finds the next candidate; false at the end.
    bool next();
    qsizetype start() const { return m_start; }
    qsizetype end() const { return m_end; }
    /// Continues the search at `offset`.
    void restartAt(qsizetype offset) { m_offset = offset; }

private:
    QStringView m_text;
    qsizetype m_offset = 0;
    qsizetype m_start = -1;
    qsizetype m_end = -1;
};

} // namespace parallax
