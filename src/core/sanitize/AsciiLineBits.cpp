#include "AsciiLineBits.h"

#include <algorithm>
#include <iterator>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace parallax {

#if defined(__SSE2__)

namespace {

// The 16 characters at `block` as bytes; false if one of the first `valid` (a bit mask) is not ASCII.
bool asciiBytes(const char16_t* block, int valid, __m128i& bytes) {
    const __m128i low = _mm_loadu_si128(reinterpret_cast<const __m128i*>(block));
    const __m128i high = _mm_loadu_si128(reinterpret_cast<const __m128i*>(block + 8));
    const __m128i top = _mm_set1_epi16(-128); // 0xFF80: the bits of a character >= 128
    const __m128i ascii = _mm_packs_epi16(_mm_cmpeq_epi16(_mm_and_si128(low, top), _mm_setzero_si128()),
                                          _mm_cmpeq_epi16(_mm_and_si128(high, top), _mm_setzero_si128()));
    if ((_mm_movemask_epi8(ascii) & valid) != valid)
        return false;
    bytes = _mm_packus_epi16(low, high);
    return true;
}

__m128i inRange(__m128i value, char first, char last) {
    const __m128i offset = _mm_sub_epi8(value, _mm_set1_epi8(first));
    return _mm_cmpeq_epi8(_mm_min_epu8(offset, _mm_set1_epi8(static_cast<char>(last - first))), offset);
}

uint64_t bitsOf(__m128i mask, int shift) {
    return static_cast<uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(mask))) << shift;
}

// The 16 characters of line[at, at + 16) as a block to load, and in `valid` which of them lie in the line
// (characters past it are read but count for nothing). Near the end of the readable memory what is left is
// copied into `tail` (NUL belongs to no class).
inline const char16_t* blockAt(const char16_t* line, qsizetype at, qsizetype size, qsizetype readable,
                               char16_t (&tail)[16], int& valid) {
    const qsizetype left = size - at;
    valid = left < 16 ? (1 << left) - 1 : 0xFFFF;
    if (left >= 16 || readable - at >= 16)
        return line + at;
    std::fill(std::begin(tail), std::end(tail), u'\0');
    std::copy(line + at, line + size, tail);
    return tail;
}

// Calls `visit(block, valid, shift, word)` for each block of 16 characters of line[0, size), four
// per 64-bit word (blockAt).
template <typename Visit>
bool forEachBlock(const char16_t* line, qsizetype size, qsizetype readable, Visit visit) {
    char16_t tail[16];
    for (qsizetype at = 0; at < size; at += 16) {
        int valid = 0;
        const char16_t* block = blockAt(line, at, size, readable, tail, valid);
        if (!visit(block, valid, static_cast<int>(at & 63), at >> 6))
            return false;
    }
    return true;
}

// Clears the bits past the line's last character in its last word, and zeroes the words after it.
void trim(AsciiLineBits::Bitset& set, qsizetype size, qsizetype words) {
    qsizetype word = size >> 6;
    if (size & 63)
        set[static_cast<size_t>(word++)] &= (uint64_t(1) << (size & 63)) - 1;
    for (; word < words; ++word)
        set[static_cast<size_t>(word)] = 0;
}

} // namespace

bool AsciiLineBits::read(QStringView line, qsizetype readable) {
    const char16_t* data = line.utf16();
    m_size = line.size();
    m_words = m_size / 64 + 2;
    // The sets only grow: words past words() are never read.
    if (digit.size() < static_cast<size_t>(m_words)) {
        for (Bitset* set : {&digit, &alnum, &colon, &dash, &dot})
            set->resize(static_cast<size_t>(m_words));
    }
    char16_t tail[16];
    const qsizetype blocks = (m_size + 15) / 16;
    const qsizetype lineWords = (m_size + 63) / 64;
    // A word (64 characters, four blocks of 16) at a time, kept in registers until complete.
    for (qsizetype word = 0; word < lineWords; ++word) {
        uint64_t digits = 0, alnums = 0, colons = 0, dashes = 0, dots = 0;
        const int parts = static_cast<int>(std::min<qsizetype>(4, blocks - word * 4));
        for (int part = 0; part < parts; ++part) {
            int valid = 0;
            const char16_t* block = blockAt(data, word * 64 + part * 16, m_size, readable, tail, valid);
            __m128i bytes = _mm_setzero_si128();
            if (!asciiBytes(block, valid, bytes))
                return false;
            const __m128i isDigit = inRange(bytes, '0', '9');
            const __m128i isLetter =
                inRange(_mm_or_si128(bytes, _mm_set1_epi8(0x20)), 'a', 'z'); // A-Z -> a-z
            const int shift = part * 16;
            digits |= bitsOf(isDigit, shift);
            alnums |= bitsOf(_mm_or_si128(isDigit, isLetter), shift);
            colons |= bitsOf(_mm_cmpeq_epi8(bytes, _mm_set1_epi8(':')), shift);
            dashes |= bitsOf(_mm_cmpeq_epi8(bytes, _mm_set1_epi8('-')), shift);
            dots |= bitsOf(_mm_cmpeq_epi8(bytes, _mm_set1_epi8('.')), shift);
        }
        // Characters past the line count for nothing.
        const qsizetype inLine = m_size - word * 64;
        const uint64_t keep = inLine >= 64 ? ~uint64_t(0) : (uint64_t(1) << inLine) - 1;
        const auto w = static_cast<size_t>(word);
        digit[w] = digits & keep;
        alnum[w] = alnums & keep;
        colon[w] = colons & keep;
        dash[w] = dashes & keep;
        dot[w] = dots & keep;
    }
    for (auto w = static_cast<size_t>(lineWords); w < static_cast<size_t>(m_words); ++w)
        digit[w] = alnum[w] = colon[w] = dash[w] = dot[w] = 0;
    return true;
}

void AsciiLineBits::readHex(QStringView line) {
    hex.assign(static_cast<size_t>(m_words), 0);
    forEachBlock(
        line.utf16(), m_size, m_size, [&](const char16_t* block, int valid, int shift, qsizetype word) {
            __m128i bytes = _mm_setzero_si128();
            asciiBytes(block, valid, bytes);
            const __m128i isHex = _mm_or_si128(inRange(bytes, '0', '9'),
                                               inRange(_mm_or_si128(bytes, _mm_set1_epi8(0x20)), 'a', 'f'));
            hex[static_cast<size_t>(word)] |= bitsOf(isHex, shift);
            return true;
        });
    trim(hex, m_size, m_words);
}

#else

bool AsciiLineBits::read(QStringView, qsizetype) {
    return false;
}

void AsciiLineBits::readHex(QStringView) {}

#endif

} // namespace parallax
