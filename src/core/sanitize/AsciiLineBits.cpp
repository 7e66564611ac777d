#include "AsciiLineBits.h"

#include <algorithm>
#include <iterator>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace parallax {

#if defined(__SSE2__)

bool AsciiLineBits::read(QStringView line, qsizetype readable) {
    const char16_t* data = line.utf16();
    m_size = line.size();
    m_words = m_size / 64 + 2;
    for (Bitset* set : {&digit, &hex, &alnum, &upper, &colon, &dash, &dot, &nonPhone, &marker})
        set->resize(m_words);
    char16_t tail[16];
    // One word (64 characters, four blocks of 16) at a time, kept in registers until complete.
    for (qsizetype word = 0; word * 64 < m_size; ++word) {
        uint64_t digits = 0, hexes = 0, alnums = 0, uppers = 0, colons = 0, dashes = 0, dots = 0, phone = 0,
                 markers = 0;
        for (int part = 0; part < 4; ++part) {
            const qsizetype at = word * 64 + part * 16;
            if (at >= m_size)
                break;
            const char16_t* block = data + at;
            const qsizetype left = m_size - at;
            if (left < 16 && readable - at < 16) {
                // Near the end of the readable memory: copy what is left.
                std::fill(std::begin(tail), std::end(tail), u'\0');
                std::copy(block, data + m_size, tail);
                block = tail;
            }
            const int valid =
                left < 16 ? (1 << left) - 1 : 0xFFFF; // characters past the line count for nothing
            const __m128i low = _mm_loadu_si128(reinterpret_cast<const __m128i*>(block));
            const __m128i high = _mm_loadu_si128(reinterpret_cast<const __m128i*>(block + 8));
            const __m128i top = _mm_set1_epi16(-128); // 0xFF80: the bits of a character >= 128
            const __m128i ascii =
                _mm_packs_epi16(_mm_cmpeq_epi16(_mm_and_si128(low, top), _mm_setzero_si128()),
                                _mm_cmpeq_epi16(_mm_and_si128(high, top), _mm_setzero_si128()));
            if ((_mm_movemask_epi8(ascii) & valid) != valid)
                return false;
            const __m128i bytes = _mm_packus_epi16(low, high);
            auto equals = [&](char c) { return _mm_cmpeq_epi8(bytes, _mm_set1_epi8(c)); };
            auto inRange = [](__m128i value, char first, char last) {
                const __m128i offset = _mm_sub_epi8(value, _mm_set1_epi8(first));
                return _mm_cmpeq_epi8(_mm_min_epu8(offset, _mm_set1_epi8(static_cast<char>(last - first))),
                                      offset);
            };
            const __m128i isDigit = inRange(bytes, '0', '9');
            const __m128i folded = _mm_or_si128(bytes, _mm_set1_epi8(0x20)); // 'A'..'Z' -> 'a'..'z'
            const __m128i isLetter = inRange(folded, 'a', 'z');
            const __m128i isDash = equals('-');
            const __m128i isDot = equals('.');
            const __m128i isPhoneSeparator = _mm_or_si128(
                _mm_or_si128(_mm_or_si128(equals(' '), equals('\t')), _mm_or_si128(equals('('), equals(')'))),
                _mm_or_si128(_mm_or_si128(isDot, isDash), equals('/')));
            const int shift = part * 16;
            auto bitsOf = [&](__m128i mask) {
                return static_cast<uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(mask) & valid)) << shift;
            };
            digits |= bitsOf(isDigit);
            hexes |= bitsOf(_mm_or_si128(isDigit, inRange(folded, 'a', 'f')));
            alnums |= bitsOf(_mm_or_si128(isDigit, isLetter));
            uppers |= bitsOf(inRange(bytes, 'A', 'Z'));
            colons |= bitsOf(equals(':'));
            dashes |= bitsOf(isDash);
            dots |= bitsOf(isDot);
            phone |= bitsOf(_mm_or_si128(isDigit, isPhoneSeparator));
            markers |= bitsOf(_mm_or_si128(equals('#'), equals('x')));
        }
        digit[word] = digits;
        hex[word] = hexes;
        alnum[word] = alnums;
        upper[word] = uppers;
        colon[word] = colons;
        dash[word] = dashes;
        dot[word] = dots;
        // Within the line only.
        const qsizetype inLine = std::min<qsizetype>(64, m_size - word * 64);
        nonPhone[word] = ~phone & (inLine == 64 ? ~uint64_t(0) : (uint64_t(1) << inLine) - 1);
        marker[word] = markers;
    }
    for (qsizetype word = (m_size + 63) / 64; word < m_words; ++word) {
        for (Bitset* set : {&digit, &hex, &alnum, &upper, &colon, &dash, &dot, &nonPhone, &marker})
            (*set)[word] = 0;
    }
    return true;
}

#else

bool AsciiLineBits::read(QStringView, qsizetype) {
    return false;
}

#endif

} // namespace parallax
