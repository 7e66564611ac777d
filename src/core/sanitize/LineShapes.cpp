#include "LineShapes.h"

#include "sanitize/AsciiLineBits.h"

#include <array>
#include <bit>
#include <cstdint>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace parallax {

namespace {

// Character classes, one table lookup per ASCII character.
enum : uint8_t {
    Digit = 1,          // 0-9
    HexDigit = 2,       // 0-9, a-f, A-F
    PhoneDigit = 4,     // 0-9 and full-width digits
    PhoneSeparator = 8, // PhoneNumberFinder's candidate separators
    AsciiLetter = 16,
    Marker = 32, // '#' and 'x': may start a phone extension
};

constexpr std::array<uint8_t, 128> asciiClasses() {
    std::array<uint8_t, 128> table{};
    for (int c = '0'; c <= '9'; ++c)
        table[c] = Digit | HexDigit | PhoneDigit;
    for (int c = 'a'; c <= 'z'; ++c)
        table[c] = AsciiLetter | (c <= 'f' ? HexDigit : 0);
    for (int c = 'A'; c <= 'Z'; ++c)
        table[c] = AsciiLetter | (c <= 'F' ? HexDigit : 0);
    for (char c : {' ', '\t', '(', ')', '.', '-', '/'})
        table[static_cast<size_t>(c)] = PhoneSeparator;
    table['#'] |= Marker;
    table['x'] |= Marker;
    return table;
}

constexpr std::array<uint8_t, 128> kAscii = asciiClasses();

uint8_t classOf(char16_t c) {
    if (c < 128)
        return kAscii[c];
    if (c >= 0xFF10 && c <= 0xFF19)
        return PhoneDigit;
    if (c >= 0x2010 && c <= 0x2015)
        return PhoneSeparator;
    return 0;
}

// The digit-run shapes, fed the runs of ASCII digits in order: shared by reference() (which finds
// the runs character by character) and of() (which finds them in a bitset).
class DigitRunTracker {
public:
    explicit DigitRunTracker(const char16_t* data)
        : m_data(data) {}

    void endRun(qsizetype start, qsizetype end, LineShapes& shapes) {
        const qsizetype length = end - start;
        const bool joined = start - m_previousEnd == 1;
        const char16_t separator = joined ? m_data[start - 1] : char16_t(0);
        if (joined && (separator == u'-' || separator == u' ' || separator == u'.') && length >= 4 &&
            m_previousLength == 2 && m_previousJoin == separator && m_beforePreviousLength == 3)
            shapes.ssn = true;
        if (length == 9 ||
            (joined && separator == u'-' &&
             ((m_previousLength == 3 && length == 6) || (m_previousLength == 5 && length == 4))))
            shapes.weakSsn = true;
        m_chainDigits = joined && (separator == u'-' || separator == u' ')
                            ? m_chainDigits + static_cast<int>(length)
                            : static_cast<int>(length);
        if (m_chainDigits >= 13)
            shapes.card = true;
        m_dotChain = joined && separator == u'.' && m_previousLength <= 3 ? m_dotChain + 1 : 1;
        if (m_dotChain >= 4)
            shapes.ipv4 = true;
        m_beforePreviousLength = joined ? m_previousLength : 0;
        m_previousLength = length;
        m_previousJoin = separator;
        m_previousEnd = end;
    }

private:
    const char16_t* m_data;
    qsizetype m_previousLength = 0; // the run before the current one, if joined to it
    qsizetype m_previousEnd = -2;
    char16_t m_previousJoin = 0; // separator that joined the previous run to its predecessor
    qsizetype m_beforePreviousLength = 0;
    int m_chainDigits = 0; // card: digits in runs joined by single '-' / ' '
    int m_dotChain = 0;    // ipv4: runs joined by '.'
};

} // namespace

LineShapes LineShapes::reference(QStringView line, int parts) {
    LineShapes shapes;
    const char16_t* data = line.utf16();
    const qsizetype n = line.size();

    // Digit runs.
    qsizetype digitStart = -1;
    DigitRunTracker digitTracker(data);
    // Hex runs.
    qsizetype hexStart = -1;
    qsizetype previousHexLength = 0;
    qsizetype previousHexEnd = -2;
    int macChain = 0;
    char16_t macSeparator = 0;
    int dottedChain = 0;
    // Phone runs.
    int phoneDigits = 0;

    auto endHexRun = [&](qsizetype start, qsizetype end) {
        const qsizetype length = end - start;
        const bool joined = start - previousHexEnd == 1;
        const char16_t separator = joined ? data[start - 1] : char16_t(0);
        if (length == 2) {
            if (joined && (separator == u':' || separator == u'-') && previousHexLength == 2) {
                if (macChain >= 2 && separator == macSeparator) {
                    ++macChain;
                } else {
                    macChain = 2;
                    macSeparator = separator;
                }
            } else {
                macChain = 1;
            }
        } else {
            macChain = 0;
        }
        if (macChain >= 6)
            shapes.macColon = true;
        if (length == 4)
            dottedChain = joined && separator == u'.' && previousHexLength == 4 ? dottedChain + 1 : 1;
        else
            dottedChain = 0;
        if (dottedChain >= 3)
            shapes.macDotted = true;
        previousHexLength = length;
        previousHexEnd = end;
    };

    const bool digitRuns = parts & DigitRuns;
    const bool hexRuns = parts & HexRuns;
    const bool phoneRuns = parts & PhoneRuns;
    for (qsizetype i = 0; i < n; ++i) {
        const uint8_t kind = classOf(data[i]);
        if (digitRuns) {
            if (kind & Digit) {
                if (digitStart < 0)
                    digitStart = i;
            } else if (digitStart >= 0) {
                digitTracker.endRun(digitStart, i, shapes);
                digitStart = -1;
            }
        }
        if (hexRuns) {
            if (kind & HexDigit) {
                if (hexStart < 0)
                    hexStart = i;
            } else if (hexStart >= 0) {
                endHexRun(hexStart, i);
                hexStart = -1;
            }
        }
        if (phoneRuns) {
            if (kind & PhoneDigit) {
                if (++phoneDigits >= 7)
                    shapes.phone = true;
            } else if (!(kind & PhoneSeparator)) {
                phoneDigits = 0;
                // '#', or an 'x' not inside a word other than "ext".
                if ((kind & Marker) && (data[i] == u'#' || i == 0 || !(classOf(data[i - 1]) & AsciiLetter) ||
                                        (data[i - 1] == u'e' && i + 1 < n && data[i + 1] == u't')))
                    shapes.phone = true;
            }
        }
    }
    if (digitStart >= 0)
        digitTracker.endRun(digitStart, n, shapes);
    if (hexStart >= 0)
        endHexRun(hexStart, n);
    return shapes;
}

namespace {

// The first '#' or 'x' in data[from, to), or `to`.
qsizetype nextMarker(const char16_t* data, qsizetype from, qsizetype to) {
    qsizetype i = from;
#if defined(__SSE2__)
    for (; i + 8 <= to; i += 8) {
        const __m128i chars = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + i));
        const __m128i marker = _mm_or_si128(_mm_cmpeq_epi16(chars, _mm_set1_epi16('#')),
                                            _mm_cmpeq_epi16(chars, _mm_set1_epi16('x')));
        if (const int mask = _mm_movemask_epi8(marker))
            return i + std::countr_zero(static_cast<unsigned>(mask)) / 2;
    }
#endif
    for (; i < to; ++i) {
        if (data[i] == u'#' || data[i] == u'x')
            return i;
    }
    return to;
}

} // namespace

LineShapes LineShapes::of(QStringView line, int parts) {
    AsciiLineBits bits;
    if (!bits.read(line))
        return reference(line, parts);
    return of(bits, line, parts);
}

LineShapes LineShapes::of(AsciiLineBits& bits, QStringView line, int parts) {
    using Bits = AsciiLineBits;
    const qsizetype n = line.size();
    const char16_t* data = line.utf16();
    LineShapes shapes;

    if (parts & (DigitRuns | PhoneRuns)) {
        // The digit runs in order, as reference() ends them; for phones, consecutive runs with
        // only phone separators between them add up.
        DigitRunTracker tracker(data);
        int phoneDigits = 0;
        qsizetype previousEnd = -1;
        auto endRun = [&](qsizetype start, qsizetype end) {
            if (parts & DigitRuns)
                tracker.endRun(start, end, shapes);
            if (parts & PhoneRuns) {
                // Same phone run when only phone separators lie between the two digit runs.
                bool sameRun = previousEnd >= 0;
                for (qsizetype i = previousEnd; sameRun && i < start; ++i)
                    sameRun = (classOf(data[i]) & PhoneSeparator) != 0;
                phoneDigits = static_cast<int>(end - start) + (sameRun ? phoneDigits : 0);
                if (phoneDigits >= 7)
                    shapes.phone = true;
            }
            previousEnd = end;
        };
        // Where runs start (a digit after a non-digit) and end (a non-digit after a digit), a word
        // at a time; they alternate. The zero word past the line ends a run that reaches its end.
        const Bits::Bitset& digits = bits.digit;
        uint64_t carry = 0; // whether the previous word ended in a digit
        qsizetype open = -1;
        for (size_t w = 0; w < static_cast<size_t>(bits.words()); ++w) {
            const uint64_t before = (digits[w] << 1) | carry;
            carry = digits[w] >> 63;
            uint64_t starts = digits[w] & ~before;
            uint64_t ends = ~digits[w] & before;
            const auto base = static_cast<qsizetype>(w * 64);
            for (;;) {
                if (open < 0) {
                    if (!starts)
                        break;
                    open = base + std::countr_zero(starts);
                    starts &= starts - 1;
                } else {
                    if (!ends)
                        break;
                    endRun(open, base + std::countr_zero(ends));
                    ends &= ends - 1;
                    open = -1;
                }
            }
        }
    }
    if ((parts & PhoneRuns) && !shapes.phone) {
        // '#', or an 'x' not inside a word other than "ext".
        for (qsizetype i = nextMarker(data, 0, n); i < n; i = nextMarker(data, i + 1, n)) {
            if (data[i] == u'#' || i == 0 || !(classOf(data[i - 1]) & AsciiLetter) ||
                (data[i - 1] == u'e' && i + 1 < n && data[i + 1] == u't')) {
                shapes.phone = true;
                break;
            }
        }
    }
    if (parts & HexRuns) {
        // macColon: six runs of exactly two hex digits, each joined to the next by one ':' (or each
        // by one '-'): hex at offsets 0,1 3,4 ... 15,16, separators at 2,5,8,11,14, no hex at -1
        // and 17. macDotted: three runs of exactly four, joined by one '.'.
        bits.readHex(line);
        const Bits::Bitset& h = bits.hex;
        for (qsizetype w = 0; w + 1 < bits.words() && !(shapes.macColon && shapes.macDotted); ++w) {
            if (h[w] == 0)
                continue;
            const uint64_t notBefore = ~Bits::behind(h, w);
            uint64_t pairs = notBefore & ~Bits::ahead(h, w, 17);
            for (int k = 0; k <= 15; k += 3)
                pairs &= Bits::ahead(h, w, k) & Bits::ahead(h, w, k + 1);
            if (pairs) {
                uint64_t colons = pairs;
                uint64_t dashes = pairs;
                for (int k = 2; k <= 14; k += 3) {
                    colons &= Bits::ahead(bits.colon, w, k);
                    dashes &= Bits::ahead(bits.dash, w, k);
                }
                if (colons | dashes)
                    shapes.macColon = true;
            }
            uint64_t quads = notBefore & ~Bits::ahead(h, w, 14) & Bits::ahead(bits.dot, w, 4) &
                             Bits::ahead(bits.dot, w, 9);
            for (int k : {0, 1, 2, 3, 5, 6, 7, 8, 10, 11, 12, 13})
                quads &= Bits::ahead(h, w, k);
            if (quads)
                shapes.macDotted = true;
        }
    }
    return shapes;
}

} // namespace parallax
