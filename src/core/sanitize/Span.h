#pragma once

#include <QList>
#include <QString>

namespace parallax {

/// One detected value. Offsets are QString (UTF-16) indices into the scanned text, end exclusive;
/// `CodePoints` converts them for the CLI's code-point contract.
struct Span {
    qsizetype start = 0;
    qsizetype end = 0;
    QString type;            ///< EntityType name or a user type
    QString rule;            ///< rule that found it, e.g. "openai-api-key", "credit-card"
    double confidence = 0.0; ///< 0..1; 1.0 once a checksum or parser validated the value
    bool suggestion = false; ///< weak pattern: shown in the preview, not redacted unless enabled
    QString placeholder;     ///< filled by Sanitizer: what replaced the value ("" when allowed)

    qsizetype length() const { return end - start; }
    bool overlaps(const Span& other) const { return start < other.end && other.start < end; }
    friend bool operator==(const Span& a, const Span& b) {
        return a.start == b.start && a.end == b.end && a.type == b.type && a.rule == b.rule &&
               a.suggestion == b.suggestion && a.placeholder == b.placeholder;
    }
};

/// A [start, end) range in UTF-16 indices, used for "allow once" and incremental re-scans.
struct TextRange {
    qsizetype start = 0;
    qsizetype end = 0;
    friend bool operator==(const TextRange& a, const TextRange& b) {
        return a.start == b.start && a.end == b.end;
    }
};

} // namespace parallax

// Lists of spans grow by moving bytes, not element by element (the detector appends thousands).
Q_DECLARE_TYPEINFO(parallax::Span, Q_RELOCATABLE_TYPE);
Q_DECLARE_TYPEINFO(parallax::TextRange, Q_PRIMITIVE_TYPE);
