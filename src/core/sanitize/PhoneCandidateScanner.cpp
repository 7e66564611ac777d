#include "PhoneCandidateScanner.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace parallax {

namespace {

// ASCII character classes of the pattern, one table lookup per character.
enum : uint8_t {
    Digit = 1,
    Lead = 2,        // [+(]
    BlocksStart = 4, // [\w.+]: Unicode properties change nothing below 128
    NumberChar = 8,  // the class between the first and the last digit
    Space = 16,      // \s: space, \t, \n, \v, \f, \r
};

constexpr std::array<uint8_t, 128> classes() {
    std::array<uint8_t, 128> table{};
    for (int c = '0'; c <= '9'; ++c)
        table[c] = Digit | BlocksStart | NumberChar;
    for (int c = 'a'; c <= 'z'; ++c)
        table[c] = BlocksStart;
    for (int c = 'A'; c <= 'Z'; ++c)
        table[c] = BlocksStart;
    table['_'] = BlocksStart;
    table['.'] = BlocksStart | NumberChar;
    table['+'] = BlocksStart | Lead;
    table['('] = Lead | NumberChar;
    for (char c : {' ', '\t', ')', '-', '/'})
        table[static_cast<size_t>(c)] |= NumberChar;
    for (char c : {' ', '\t', '\n', '\v', '\f', '\r'})
        table[static_cast<size_t>(c)] |= Space;
    return table;
}

constexpr std::array<uint8_t, 128> kClasses = classes();

// The scanner is only used on ASCII text.
uint8_t classOf(char16_t c) {
    return kClasses[c & 0x7F];
}

// The first position from `p` holding a digit, '+' or '(' (or `n`): every candidate starts there.
qsizetype nextDigitOrLead(const char16_t* d, qsizetype p, qsizetype n) {
#if defined(__SSE2__)
    // Eight characters at a time (ASCII: a signed 16-bit comparison is fine).
    for (; p + 8 <= n; p += 8) {
        const __m128i chars = _mm_loadu_si128(reinterpret_cast<const __m128i*>(d + p));
        const __m128i digit = _mm_and_si128(_mm_cmpgt_epi16(chars, _mm_set1_epi16('0' - 1)),
                                            _mm_cmplt_epi16(chars, _mm_set1_epi16('9' + 1)));
        const __m128i lead = _mm_or_si128(_mm_cmpeq_epi16(chars, _mm_set1_epi16('+')),
                                          _mm_cmpeq_epi16(chars, _mm_set1_epi16('(')));
        const int mask = _mm_movemask_epi8(_mm_or_si128(digit, lead));
        if (mask)
            return p + std::countr_zero(static_cast<unsigned>(mask)) / 2;
    }
#endif
    for (; p < n; ++p) {
        if (classOf(d[p]) & (Digit | Lead))
            return p;
    }
    return n;
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
        p = nextDigitOrLead(d, p, n);
        if (p == n)
            break;
        // (?<![\w.+])[+(]?[0-9]
        const uint8_t kind = classOf(d[p]);
        if (!(kind & (Digit | Lead)))
            continue;
        if (p > 0 && (classOf(d[p - 1]) & BlocksStart)) {
            // The digits that follow a digit have one before them: no candidate starts there either.
            if (kind & Digit) {
                while (p + 1 < n && (classOf(d[p + 1]) & Digit))
                    ++p;
            }
            continue;
        }
        const qsizetype first = (kind & Lead) ? p + 1 : p;
        if (first >= n || !(classOf(d[first]) & Digit))
            continue; // without the lead the start is not a digit either
        // [class]{4,24}[0-9], greedy: the last digit 5..25 places after the first, with only
        // class characters in between.
        qsizetype last = -1;
        const qsizetype limit = std::min(n, first + 26);
        for (qsizetype j = first + 1; j < limit; ++j) {
            const uint8_t k = classOf(d[j]);
            if (!(k & NumberChar))
                break;
            if ((k & Digit) && j >= first + 5)
                last = j;
        }
        if (last < 0)
            continue;
        qsizetype end = last + 1;
        // (?:\s*(?:x|ext\.?|#)\s*\d{1,6})?, tried before going without it.
        qsizetype k = end;
        while (k < n && (classOf(d[k]) & Space))
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
            while (t < n && (classOf(d[t]) & Space))
                ++t;
            qsizetype digits = 0;
            while (digits < 6 && t + digits < n && (classOf(d[t + digits]) & Digit))
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
