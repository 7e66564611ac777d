#pragma once

#include <QStringView>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <vector>

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
    /// Kept from line to line (an AsciiLineBits is reused): no allocation once the longest line fit.
    /// A set may hold more words than words(); those past it mean nothing.
    using Bitset = std::vector<uint64_t>;

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

    /// Read by readHex() only, for the lines that need them.
    Bitset hex; ///< 0-9, a-f, A-F
    /// Room for a caller's own set of words() words.
    Bitset scratch;

    /// Fills `hex` from `line`, on which read() succeeded.
    void readHex(QStringView line);

    /// Word `w` of `set` looked at `k` (0..63) characters ahead: bit i is bit i + k of the set.
    static uint64_t ahead(const Bitset& set, qsizetype w, int k) {
        const auto i = static_cast<size_t>(w);
        return k == 0 ? set[i] : (set[i] >> k) | (set[i + 1] << (64 - k));
    }
    /// Word `w` of `set` looked at one character behind (nothing before the line).
    static uint64_t behind(const Bitset& set, qsizetype w) {
        const auto i = static_cast<size_t>(w);
        return (set[i] << 1) | (i > 0 ? set[i - 1] >> 63 : 0);
    }
    /// Number of set bits in the first `words` words.
    static int count(const Bitset& set, qsizetype words) {
        int n = 0;
        for (qsizetype w = 0; w < words; ++w)
            n += bitCount(set[static_cast<size_t>(w)]);
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
