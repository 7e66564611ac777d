#pragma once

#include <QStringView>
#include <QVarLengthArray>

#include <algorithm>
#include <bit>
#include <cstdint>

namespace parallax {

/// One line of ASCII text as bitsets, one per character class: bit i of a set says whether
/// character i belongs to the class. Built 16 characters at a time with SSE2 (where the build has
/// no SSE2, read() refuses and callers use their character-by-character path).
///
/// The detector reads each line once into these sets; the per-line counts, the long-token and
/// IBAN-prefix flags (Detector) and the digit-run shapes (LineShapes) are then word operations
/// instead of a branch per character. Only the classes every line needs are read at once.
class AsciiLineBits {
public:
    using Bitset = QVarLengthArray<uint64_t, 72>; // lines up to 4,480 characters stay on the stack

    /// Reads `line`; false if it holds a character >= 128 (the sets are then incomplete).
    /// `readable`: how many characters from the line's start may be read (the rest of the text
    /// behind it), so that the last block need not be copied.
    bool read(QStringView line, qsizetype readable);
    bool read(QStringView line) { return read(line, line.size()); }

    qsizetype size() const { return m_size; }
    /// Words per set: the line's, plus one zero word past its end, so that a look up to 63
    /// characters ahead (ahead()) may read the next word.
    qsizetype words() const { return m_words; }

    Bitset digit; ///< 0-9
    Bitset alnum; ///< 0-9, a-z, A-Z
    Bitset colon; ///< ':'
    Bitset dash;  ///< '-'
    Bitset dot;   ///< '.'

    /// The hex digits (0-9, a-f, A-F) of an ASCII `line` (read() succeeded on it), into `hex`
    /// (words() words): only some lines need them.
    static void readHex(QStringView line, Bitset& hex);

    /// Word `w` of `set` looked at `k` (0..63) characters ahead: bit i is bit i + k of the set.
    static uint64_t ahead(const Bitset& set, qsizetype w, int k) {
        return k == 0 ? set[w] : (set[w] >> k) | (set[w + 1] << (64 - k));
    }
    /// Word `w` of `set` looked at one character behind (nothing before the line).
    static uint64_t behind(const Bitset& set, qsizetype w) {
        return (set[w] << 1) | (w > 0 ? set[w - 1] >> 63 : 0);
    }
    /// The first set bit at or after `from`, or `end` if there is none before it.
    static qsizetype nextSet(const Bitset& set, qsizetype from, qsizetype end) {
        qsizetype w = from >> 6;
        if (w >= set.size())
            return end;
        uint64_t bits = set[w] & (~uint64_t(0) << (from & 63));
        while (bits == 0) {
            if (++w >= set.size())
                return end;
            bits = set[w];
        }
        return std::min(end, w * 64 + std::countr_zero(bits));
    }
    /// The first clear bit at or after `from` (there is one: the last word is zero).
    static qsizetype nextClear(const Bitset& set, qsizetype from) {
        qsizetype w = from >> 6;
        uint64_t bits = ~set[w] & (~uint64_t(0) << (from & 63));
        while (bits == 0)
            bits = ~set[++w];
        return w * 64 + std::countr_zero(bits);
    }
    /// Whether any bit in [from, to) is set.
    static bool anySet(const Bitset& set, qsizetype from, qsizetype to) {
        return from < to && nextSet(set, from, to) < to;
    }
    /// Number of set bits in the first `words` words.
    static int count(const Bitset& set, qsizetype words) {
        int n = 0;
        for (qsizetype w = 0; w < words; ++w)
            n += bitCount(set[w]);
        return n;
    }
    static int bitCount(uint64_t x) {
#if defined(__POPCNT__)
        return std::popcount(x);
#else
        // Without the POPCNT instruction std::popcount is a library call.
        x = x - ((x >> 1) & 0x5555555555555555);
        x = (x & 0x3333333333333333) + ((x >> 2) & 0x3333333333333333);
        x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0F;
        return static_cast<int>((x * 0x0101010101010101) >> 56);
#endif
    }

private:
    qsizetype m_size = 0;
    qsizetype m_words = 0;
};

} // namespace parallax
