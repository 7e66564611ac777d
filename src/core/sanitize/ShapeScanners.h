#pragma once

#include "sanitize/Span.h"

#include <QString>
#include <QStringView>

#include <vector>

namespace parallax {

/// Hand-written equivalents of the fixed-shape digit rules' patterns (BuiltinRules: ipv4, us-ssn,
/// us-ssn-weak, credit-card, iban and the two mac-address rules), for Rule::scanner.
///
/// Each appends to `found` the ranges of group 1 of the successive matches its pattern finds in
/// `subject` (leftmost first, the next search starting where a match ended), in order: exactly
/// what iterating the pattern gives, with the same backtracking choices, at a fraction of the
/// cost. The patterns stay the definitions; TestShapeScanners compares both on random text.
/// Characters >= 128 (and lone surrogates, which PCRE2 reads as U+FFFD) are neither word
/// characters nor digits, as for the patterns, which are compiled without Unicode properties.
class ShapeScanners {
public:
    /// `(?<![\w.])(OCTET(?:\.OCTET){3}(?:/(?:3[0-2]|[12]?\d))?)(?![\w]|\.\d)`,
    /// OCTET = `(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)`
    static void ipv4(QStringView subject, std::vector<TextRange>& found);
    /// `(?<![\w\-.])(\d{3}([\- .])\d{2}\2\d{4})(?![\w\-]|\.\d)`
    static void usSsn(QStringView subject, std::vector<TextRange>& found);
    /// `(?<![\w\-.])(\d{9}|\d{3}-\d{6}|\d{5}-\d{4})(?![\w\-]|\.\d)`
    static void weakSsn(QStringView subject, std::vector<TextRange>& found);
    /// `(?<![\w\-])(?!1\d{12}(?!\d))((?:4\d{3}|5[0-5]\d{2}|2[2-7]\d{2}|6\d{3}|1\d{3}|3\d{3})[\- ]?\d{3,4}`
    /// `[\- ]?\d{3,4}[\- ]?\d{3,5})(?![\w\-])`
    static void creditCard(QStringView subject, std::vector<TextRange>& found);
    /// `(?<![A-Za-z0-9])([A-Z]{2}\d{2}(?:[ \-]?[A-Z0-9]{4}){2,7}(?:[ \-]?[A-Z0-9]{1,4})?)(?![A-Za-z0-9])`
    static void iban(QStringView subject, std::vector<TextRange>& found);
    /// `(?<![\w:\-])([0-9A-Fa-f]{2}([:\-])(?:[0-9A-Fa-f]{2}\2){4}[0-9A-Fa-f]{2})(?![\w:\-])`
    static void macColon(QStringView subject, std::vector<TextRange>& found);
    /// `(?<![\w.])([0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4})(?![\w]|\.\w)`
    static void macDotted(QStringView subject, std::vector<TextRange>& found);
};

} // namespace parallax
