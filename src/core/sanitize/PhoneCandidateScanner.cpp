#include "PhoneCandidateScanner.h"

namespace parallax {

namespace {

bool isDigit(char16_t c) {
    return c >= u'0' && c <= u'9';
}

// [\w.+] for ASCII (Unicode properties change nothing below 128).
bool blocksStart(char16_t c) {
    return isDigit(c) || (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || c == u'_' || c == u'.' ||
           c == u'+';
}

// The pattern's character class between the first and the last digit.
bool isNumberChar(char16_t c) {
    return isDigit(c) || c == u' ' || c == u'\t' || c == u'(' || c == u')' || c == u'.' || c == u'-' ||
           c == u'/';
}

// \s for ASCII: space, \t, \n, \v, \f, \r.
bool isSpace(char16_t c) {
    return c == u' ' || (c >= u'\t' && c <= u'\r');
}

} // namespace

QString PhoneCandidateScanner::pattern() {
    return QStringLiteral(
        R"re((?<![\w.+])[+(]?[0-9\x{FF10}-\x{FF19}][0-9\x{FF10}-\x{FF19} \t().\-/\x{2010}-\x{2015}]{4,24}[0-9\x{FF10}-\x{FF19}](?:\s*(?:x|ext\.?|#)\s*\d{1,6})?)re");
}

bool PhoneCandidateScanner::next() {
    const char16_t* d = m_text.utf16();
    const qsizetype n = m_text.size();
    for (qsizetype p = m_offset; p < n; ++p) {
        // (?<![\w.+])[+(]?[0-9]
        const char16_t c = d[p];
        const bool lead = c == u'+' || c == u'(';
        if (!lead && !isDigit(c))
            continue;
        if (p > 0 && blocksStart(d[p - 1]))
            continue;
        const qsizetype first = lead ? p + 1 : p;
        if (first >= n || !isDigit(d[first]))
            continue; // without the lead the start is not a digit either
        // [class]{4,24}[0-9], greedy: the last digit 5..25 places after the first, with only
        // class characters in between.
        qsizetype last = -1;
        for (qsizetype j = first + 1; j < n && j <= first + 25 && isNumberChar(d[j]); ++j) {
            if (j >= first + 5 && isDigit(d[j]))
                last = j;
        }
        if (last < 0)
            continue;
        qsizetype end = last + 1;
        // (?:\s*(?:x|ext\.?|#)\s*\d{1,6})?, tried before going without it.
        qsizetype k = end;
        while (k < n && isSpace(d[k]))
            ++k;
        qsizetype afterMarker = -1;
        if (k < n && (d[k] == u'x' || d[k] == u'#')) {
            afterMarker = k + 1;
        } else if (k + 2 < n && d[k] == u'e' && d[k + 1] == u'x' && d[k + 2] == u't') {
            afterMarker = k + 3;
            if (afterMarker < n && d[afterMarker] == u'.')
                ++afterMarker; // without the '.', the '.' could be neither \s nor \d
        }
        if (afterMarker >= 0) {
            qsizetype t = afterMarker;
            while (t < n && isSpace(d[t]))
                ++t;
            qsizetype digits = 0;
            while (digits < 6 && t + digits < n && isDigit(d[t + digits]))
                ++digits;
            if (digits > 0)
                end = t + digits;
        }
        m_start = p;
        m_end = end;
        m_offset = end;
        return true;
    }
    m_offset = n;
    return false;
}

} // namespace parallax
