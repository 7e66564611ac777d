#pragma once

#include <QStringView>

namespace parallax {

class AsciiLineBits;

/// Cheap counts and flags of one line, the first test of every digit-led rule's trigger (the
/// shapes, LineShapes, are the tight one): whatever a rule's match needs, its line has.
struct LineFeatures {
    /// A run of letters and digits this long may hold a Bitcoin address (RuleTrigger::LongToken).
    static constexpr int kLongToken = 26;

    int digits = 0; ///< ASCII and full-width
    int dots = 0;
    int colons = 0;
    int dashes = 0;
    bool longToken = false;   ///< a run of kLongToken ASCII letters and digits
    bool doubleColon = false; ///< "::"
    bool ibanPrefix = false;  ///< a run of letters and digits starting with two capitals and two digits
    bool nonAscii = false;    ///< a character >= 128
    bool surrogates = false;  ///< a UTF-16 surrogate (PCRE2 must check the line)

    /// The features of an ASCII `line` already read into `bits`, from word operations on them.
    static LineFeatures of(AsciiLineBits& bits, QStringView line);
    /// The definition: character by character, any line. of() gives the same for ASCII lines
    /// (TestLineFeatures compares them on random lines).
    static LineFeatures reference(QStringView line);

    friend bool operator==(const LineFeatures&, const LineFeatures&) = default;
};

} // namespace parallax
