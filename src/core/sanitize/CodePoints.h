#pragma once

#include <QList>
#include <QStringView>

namespace parallax {

/// Converts UTF-16 offsets (what QString and Span use) into Unicode code point offsets (what the
/// CLI's JSON and Python-based tools use): an emoji is two UTF-16 units but one code point.
class CodePoints {
public:
    explicit CodePoints(QStringView text);
    /// Code point index of UTF-16 index `utf16` (0..text.size()); O(log n).
    qsizetype fromUtf16(qsizetype utf16) const;

private:
    QList<qsizetype> m_surrogateStarts; // UTF-16 indices of high surrogates, ascending
};

} // namespace parallax
