#include "LineFeatures.h"

#include "sanitize/AsciiLineBits.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>

namespace parallax {

namespace {

// What the character-by-character pass needs to know of an ASCII character, in one lookup.
enum : uint8_t {
    Digit = 1, // must stay 1: added to the digit count
    Alnum = 2,
    Counted = 4, // '.', ':' and '-'
};

constexpr std::array<uint8_t, 128> featureClasses() {
    std::array<uint8_t, 128> table{};
    for (int c = '0'; c <= '9'; ++c)
        table[c] = Digit | Alnum;
    for (int c = 'a'; c <= 'z'; ++c)
        table[c] = Alnum;
    for (int c = 'A'; c <= 'Z'; ++c)
        table[c] = Alnum;
    table['.'] = Counted;
    table[':'] = Counted;
    table['-'] = Counted;
    return table;
}

constexpr std::array<uint8_t, 128> kFeatureClasses = featureClasses();

bool isAsciiDigit(char16_t c) {
    return c >= u'0' && c <= u'9';
}

bool isAsciiUpper(char16_t c) {
    return c >= u'A' && c <= u'Z';
}

} // namespace

LineFeatures LineFeatures::of(AsciiLineBits& bits, QStringView line) {
    using Bits = AsciiLineBits;
    const char16_t* data = line.utf16();
    LineFeatures features;
    const qsizetype words = bits.words() - 1; // the last word is padding
    features.digits = Bits::count(bits.digit, words);
    features.dots = Bits::count(bits.dot, words);
    features.colons = Bits::count(bits.colon, words);
    features.dashes = Bits::count(bits.dash, words);
    for (qsizetype w = 0; w < words; ++w) {
        if (bits.colon[w] & Bits::behind(bits.colon, w))
            features.doubleColon = true;
        // Where a run of letters and digits starts with two capitals and two digits ("GB33"):
        // runs whose third and fourth characters are digits, then the capitals by hand.
        const uint64_t starts = bits.alnum[w] & ~Bits::behind(bits.alnum, w);
        for (uint64_t at = starts & Bits::ahead(bits.digit, w, 2) & Bits::ahead(bits.digit, w, 3);
             at && !features.ibanPrefix; at &= at - 1) {
            const qsizetype i = w * 64 + std::countr_zero(at);
            features.ibanPrefix = isAsciiUpper(data[i]) && isAsciiUpper(data[i + 1]);
        }
    }
    // A run of kLongToken (>= 15) bits holds a whole aligned byte: most lines have none.
    bool fullByte = false;
    for (qsizetype w = 0; w < words && !fullByte; ++w) {
        const uint64_t gaps = ~bits.alnum[w];
        fullByte = ((gaps - 0x0101010101010101) & ~gaps & 0x8080808080808080) != 0; // a zero byte
    }
    if (fullByte) {
        // Bit i of `run` ends up set where kLongToken letters and digits start at i: runs of 2, 4,
        // 8, 16, then 16 + 10. Each step reads only the word itself and the next, which is still
        // the previous step's.
        Bits::Bitset& run = bits.scratch;
        run.assign(bits.alnum.begin(), bits.alnum.end());
        for (int step : {1, 2, 4, 8, kLongToken - 16}) {
            for (qsizetype w = 0; w < words; ++w)
                run[w] &= Bits::ahead(run, w, step);
        }
        for (qsizetype w = 0; w < words && !features.longToken; ++w)
            features.longToken = run[w] != 0;
    }
    return features;
}

LineFeatures LineFeatures::reference(QStringView line) {
    const char16_t* data = line.utf16();
    LineFeatures features;
    int token = 0;
    int longestToken = 0;
    for (qsizetype i = 0; i < line.size(); ++i) {
        const char16_t c = data[i];
        if (c >= 128) {
            token = 0;
            features.nonAscii = true;
            features.surrogates |= (c & 0xF800) == 0xD800;
            if (c >= 0xFF10 && c <= 0xFF19)
                ++features.digits; // full-width digits, for phone numbers
            continue;
        }
        const uint8_t kind = kFeatureClasses[c];
        if (kind & Alnum) {
            features.digits += kind & Digit;
            longestToken = std::max(longestToken, ++token);
            if (token == 4 && (kind & Digit) && isAsciiDigit(data[i - 1]) && isAsciiUpper(data[i - 2]) &&
                isAsciiUpper(data[i - 3]))
                features.ibanPrefix = true;
            continue;
        }
        token = 0;
        if (!(kind & Counted))
            continue;
        features.dots += c == u'.' ? 1 : 0;
        features.dashes += c == u'-' ? 1 : 0;
        if (c == u':') {
            ++features.colons;
            if (i > 0 && data[i - 1] == u':')
                features.doubleColon = true;
        }
    }
    features.longToken = longestToken >= kLongToken;
    return features;
}

} // namespace parallax
