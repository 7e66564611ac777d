#pragma once

#include <QStringView>

namespace parallax {

class AsciiLineBits;

/// Shapes of digit and hex-digit runs in one line: for each digit-led rule, a condition that every
/// line holding a match meets. The detector runs a rule's regex only on lines with its shape, so
/// log lines full of timestamps and version numbers are not scanned by six regexes each.
///
/// Every flag is implied by the rule's pattern (never the other way round), so a scan that skips
/// lines without the shape finds exactly what scanning every line finds:
/// - `ssn`: `\d{3}([- .])\d{2}\1\d{4}` needs digit runs of 3 and 2 digits joined by the same
///   separator, then a run of 4 or more;
/// - `weakSsn`: a run of exactly 9 digits, or runs 3-6 or 5-4 joined by '-';
/// - `card`: digit runs joined by single '-' or ' ' holding 13 or more digits in all;
/// - `ipv4`: 4 or more digit runs joined by '.', each but the last of at most 3 digits;
/// - `macColon`: 6 runs of exactly 2 hex digits joined by the same ':' or '-';
/// - `macDotted`: 3 runs of exactly 4 hex digits joined by '.';
/// - `phone`: a run of phone characters (digits, full-width digits, space, tab, `().-/` and
///   U+2010-2015) with 7 or more digits, or an extension marker ('#', or an 'x' not inside a
///   word other than "ext") that could add the missing digits.
struct LineShapes {
    bool ssn = false;
    bool weakSsn = false;
    bool card = false;
    bool ipv4 = false;
    bool macColon = false;
    bool macDotted = false;
    bool phone = false;

    /// Which trackers to run; flags of the others stay false. The detector asks only for those
    /// its cheap counts leave possible (hex runs, for instance, only on lines with ':', '-' or
    /// '.' enough for a MAC address), since every letter a-f starts a hex run.
    enum Part { DigitRuns = 1, HexRuns = 2, PhoneRuns = 4, AllParts = 7 };
    /// The shapes of `line`. ASCII lines are read as bitsets (AsciiLineBits): only the digit runs
    /// are visited one by one, and the MAC shapes are bitwise formulas. Other lines, and builds
    /// without SSE2, use reference().
    static LineShapes of(QStringView line, int parts = AllParts);
    /// Same, for an ASCII `line` already read into `bits` (which gets its hex digits if needed).
    static LineShapes of(AsciiLineBits& bits, QStringView line, int parts);
    /// The definition: one tracker per shape, fed character by character. of() gives exactly
    /// the same flags (TestLineShapes compares them on random lines).
    static LineShapes reference(QStringView line, int parts = AllParts);
};

} // namespace parallax
