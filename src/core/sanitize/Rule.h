#pragma once

#include "sanitize/Span.h"

#include <QString>
#include <QStringList>

#include <vector>

namespace parallax {

/// What a rule's match must pass after the regex, besides the secret allowlist.
enum class RuleCheck {
    None,
    Luhn,
    Iban,
    UsSsn,
    IpAddress,
    MacAddress,
    Bitcoin,
    EmailDomain, ///< domain ends in a public suffix (libpsl)
    Url,         ///< host has a public suffix or is an IP literal; user:password@ turns it into SECRET
};

/// Cheap per-line conditions under which a rule is worth running. They play the role of gitleaks'
/// keywords for values that have no literal to anchor on (digits, hex groups, base58 blobs).
enum class RuleTrigger {
    KeywordsOnly, ///< only where one of `keywords` occurs
    UsSsnShape,   ///< digit runs 3, 2, 4+ joined by one repeated separator (LineShapes::ssn)
    WeakSsnShape, ///< 9 digits, or 3-6 / 5-4 (LineShapes::weakSsn)
    CardShape,    ///< 13+ digits in runs joined by single '-' / ' ' (LineShapes::card)
    DottedQuad,   ///< 4 digit runs joined by '.' (LineShapes::ipv4)
    MacColons,    ///< 6 hex pairs joined by ':' or '-' (LineShapes::macColon)
    MacDots,      ///< 3 groups of 4 hex digits joined by '.' (LineShapes::macDotted)
    LongToken,    ///< a run of at least 26 letters/digits
    Ipv6Colons,   ///< "::" or at least 6 ':' (what every valid IPv6 address has)
    IbanPrefix,   ///< a token starting with two capitals and two digits ("GB33")
    Always,       ///< every line (user rules, which have no keywords)
};

/// One detection rule: a regex (PCRE2 syntax, compiled once) plus its prefilter and validation.
/// Built-in rules come from BuiltinRules; user rules from UserRule::toRule().
struct Rule {
    QString name;         ///< stable id shown as `rule`, e.g. "aws-access-key-id"
    QString type;         ///< EntityType name or user type
    QString pattern;      ///< regex; `group` selects the value (0 = whole match)
    QStringList keywords; ///< lower-case literals searched case-insensitively before the regex
    RuleTrigger trigger = RuleTrigger::KeywordsOnly;
    int group = 0;
    RuleCheck check = RuleCheck::None;
    double minEntropy = 0.0;      ///< Shannon bits/char of the value (secrets only)
    bool secretAllowlist = false; ///< drop `xxxx`, `${VAR}`, `…EXAMPLE` and similar values
    double confidence = 0.8;
    bool suggestion = false; ///< weak pattern: reported, redacted only when enabled
    bool multiLine = false;  ///< may span lines (private key blocks); runs on the whole text
    bool caseInsensitive = false;
    /// No match spans a line break, and a line holding a valid match always meets `trigger`: the
    /// detector may then run the regex once over several nearby triggered lines (fewer calls).
    bool lineLocal = false;
    /// When >= 0: every match contains one of `keywords` (as the keyword matcher finds them, ASCII
    /// case-insensitively), starting at most this many characters after the match start. The
    /// detector then only tries match starts in front of keyword hits instead of every position.
    int keywordReach = -1;
    /// Instead of a fixed reach: every match contains one of `keywords` and starts in the run of
    /// these (ASCII) characters that ends right before that keyword, or before one whitespace
    /// character in front of it (an e-mail address's local part before its '@').
    QString keywordRun;
    /// With keywordReach: after its keyword every match goes on with letters, digits, '_' and '-',
    /// at most one quote, whitespace and then ':' or '=' (key = value rules). Keyword hits not
    /// followed so are not searched.
    bool assignmentAfterKeyword = false;

    /// When set, finds what iterating `pattern` finds (the ranges of group `group`, in order),
    /// without the regex: ShapeScanners for the fixed-shape digit rules. `pattern` remains the
    /// definition (TestShapeScanners compares both).
    using Scanner = void (*)(QStringView subject, std::vector<TextRange>& found);
    Scanner scanner = nullptr;

    /// Whether matches are searched only around keyword hits (keywordReach or keywordRun).
    bool searchedAroundKeywords() const { return keywordReach >= 0 || !keywordRun.isEmpty(); }
};

} // namespace parallax
