#include "LineShapes.h"

#include <array>
#include <cstdint>

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

} // namespace

LineShapes LineShapes::of(QStringView line, int parts) {
    LineShapes shapes;
    const char16_t* data = line.utf16();
    const qsizetype n = line.size();

    // Digit runs.
    qsizetype digitStart = -1;
    qsizetype previousLength = 0; // the run before the current one, if joined to it
    qsizetype previousEnd = -2;
    char16_t previousJoin = 0; // separator that joined the previous run to its predecessor
    qsizetype beforePreviousLength = 0;
    int chainDigits = 0; // card: digits in runs joined by single '-' / ' '
    int dotChain = 0;    // ipv4: runs joined by '.'
    // Hex runs.
    qsizetype hexStart = -1;
    qsizetype previousHexLength = 0;
    qsizetype previousHexEnd = -2;
    int macChain = 0;
    char16_t macSeparator = 0;
    int dottedChain = 0;
    // Phone runs.
    int phoneDigits = 0;

    auto endDigitRun = [&](qsizetype start, qsizetype end) {
        const qsizetype length = end - start;
        const bool joined = start - previousEnd == 1;
        const char16_t separator = joined ? data[start - 1] : char16_t(0);
        if (joined && (separator == u'-' || separator == u' ' || separator == u'.') && length >= 4 &&
            previousLength == 2 && previousJoin == separator && beforePreviousLength == 3)
            shapes.ssn = true;
        if (length == 9 || (joined && separator == u'-' &&
                            ((previousLength == 3 && length == 6) || (previousLength == 5 && length == 4))))
            shapes.weakSsn = true;
        chainDigits = joined && (separator == u'-' || separator == u' ')
                          ? chainDigits + static_cast<int>(length)
                          : static_cast<int>(length);
        if (chainDigits >= 13)
            shapes.card = true;
        dotChain = joined && separator == u'.' && previousLength <= 3 ? dotChain + 1 : 1;
        if (dotChain >= 4)
            shapes.ipv4 = true;
        beforePreviousLength = joined ? previousLength : 0;
        previousLength = length;
        previousJoin = separator;
        previousEnd = end;
    };
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
                endDigitRun(digitStart, i);
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
        endDigitRun(digitStart, n);
    if (hexStart >= 0)
        endHexRun(hexStart, n);
    return shapes;
}

} // namespace parallax
