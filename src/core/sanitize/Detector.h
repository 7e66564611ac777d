#pragma once

#include "sanitize/KeywordMatcher.h"
#include "sanitize/PhoneNumberFinder.h"
#include "sanitize/Rule.h"
#include "sanitize/Span.h"

#include <QList>
#include <QString>

#include <memory>
#include <vector>

namespace parallax {

/// Finds personal data and secrets. Construction compiles every rule once (PCRE2 + JIT) and
/// builds the keyword automaton; detect() is const and safe to call from several threads at once.
///
/// How a scan works: the text is cut into lines (long lines into ~4 KiB pieces at whitespace).
/// The keyword automaton reads ahead over stretches of lines (KeywordMatcher::scan); each ASCII
/// line is read once into bitsets (AsciiLineBits), from which its counts of digits, dots and
/// colons and its digit-run shapes (LineShapes) follow; only the rules whose keyword or trigger
/// fired run their regex, on that line only. Matches are then
/// validated (Luhn, mod-97, SSA rules, address parsing, Base58Check/Bech32, public suffix,
/// entropy and the placeholder allowlist for secrets) and overlaps resolved (secrets and user
/// types over checksum-validated values over the rest; URL last; suggestions lose to real finds).
class Detector {
public:
    /// `rules` defaults to BuiltinRules::all(); user rules are appended by the caller.
    explicit Detector(const QList<Rule>& rules, const QStringList& phoneRegions = {}, bool findPhones = true);
    Detector();
    ~Detector();
    Detector(const Detector&) = delete;
    Detector& operator=(const Detector&) = delete;

    /// All spans (suggestions included), sorted by start, non-overlapping.
    QList<Span> detect(const QString& text) const;
    /// Only the lines that intersect `changed` (UTF-16 offsets into `text`): an editor re-scans the
    /// edited paragraph and keeps the other spans. Offsets are absolute.
    QList<Span> detect(const QString& text, TextRange changed) const;
    /// The line range detect(text, changed) actually scans, for merging with older spans.
    static TextRange expandToLines(const QString& text, TextRange changed);

    /// What the rules that may span lines (private key blocks) find in the whole `text`, before
    /// overlaps with other spans are resolved: they run where one of their keywords occurs, as in
    /// detect(). Every other rule's matches lie within one line. IncrementalScan uses both facts.
    QList<Span> multiLineSpans(const QString& text) const;
    /// Whether `ruleName` is one of those rules.
    bool isMultiLineRule(const QString& ruleName) const;
    bool hasMultiLineRules() const { return !m_multiLineRules.empty(); }

    const QStringList& phoneRegions() const;

private:
    struct Compiled;
    void scanRange(const QString& text, qsizetype from, qsizetype to, QList<Span>& out) const;
    /// `validUtf16`: [from, to) is known to hold no surrogates, so PCRE2 may skip its UTF check.
    /// `keywordWindows` (relative to `from`, [start, end] inclusive): for rules searched around
    /// their keywords, where a match may start; only those starts are tried.
    void runRule(const Compiled& rule, const QString& text, qsizetype from, qsizetype to, bool validUtf16,
                 QList<Span>& out, const std::vector<TextRange>* keywordWindows = nullptr) const;
    /// The first position where a match holding the keyword at [keywordStart, keywordEnd) may
    /// start (Rule::keywordReach, Rule::keywordRun), or -1 when none holds it
    /// (Rule::assignmentAfterKeyword).
    static qsizetype windowStart(const Compiled& compiled, const char16_t* data, qsizetype segmentStart,
                                 qsizetype segmentEnd, qsizetype keywordStart, qsizetype keywordEnd);
    static QList<Span> resolveOverlaps(QList<Span> spans);
    /// resolveOverlaps() over the spans at `candidates` (indices into `spans`): the indices of the
    /// accepted ones, sorted by start.
    static std::vector<qsizetype> acceptedOf(const QList<Span>& spans,
                                             const std::vector<qsizetype>& candidates);
    struct SpanKey {
        qsizetype start;
        qsizetype end;
        qsizetype index; ///< into the span list
    };
    /// The spans at `indices` (ascending), sorted by start; ties keep their order.
    static std::vector<SpanKey> sortedByStart(const QList<Span>& spans,
                                              const std::vector<qsizetype>& indices);
    /// The greedy by-rank pass of resolveOverlaps() over one cluster of overlapping spans
    /// (indices into `spans`); appends the accepted ones to `accepted`, sorted by start.
    static void acceptByRank(const QList<Span>& spans, std::vector<qsizetype>& cluster,
                             std::vector<qsizetype>& accepted);

    std::vector<std::unique_ptr<Compiled>> m_rules;
    std::vector<size_t> m_multiLineRules; ///< indices into m_rules
    std::vector<std::vector<int>> m_rulesByKeyword;
    /// Per RuleTrigger value, the rules with that trigger: a bitset over m_rules of m_ruleWords words
    /// (the value's bitset starts at value * m_ruleWords).
    std::vector<uint64_t> m_rulesByTrigger;
    size_t m_ruleWords = 0;
    std::vector<int> m_keywordLength;
    KeywordMatcher m_keywords;
    PhoneNumberFinder m_phones;
    bool m_findPhones = true;
};

} // namespace parallax
