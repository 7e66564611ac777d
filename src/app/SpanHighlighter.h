#pragma once

#include "sanitize/Span.h"

#include <QList>
#include <QSyntaxHighlighter>
#include <QTextCharFormat>
#include <QTimer>

#include <functional>
#include <optional>
#include <vector>

namespace parallax {

/// Draws spans (detected values in the prompt, placeholders in the preview) as formats of a
/// QTextDocument, and keeps them on their characters while the text is edited, until the next scan
/// brings new spans.
///
/// Built for a megabyte of prompt: formats live in each block's layout (no per-paint loop over
/// thousands of selections, as QPlainTextEdit does with extra selections); a new list of spans
/// re-formats only the blocks where it differs from the current one, and when that is many blocks
/// (a pasted document) it does so a slice at a time between other events.
class SpanHighlighter : public QSyntaxHighlighter {
    Q_OBJECT
public:
    /// `styleOf` picks an index into `formats` for a span.
    SpanHighlighter(QTextDocument* document, QList<QTextCharFormat> formats,
                    std::function<int(const Span&)> styleOf);

    /// Sorted, non-overlapping spans with offsets into the document's current text.
    void setSpans(QList<Span> spans);
    /// The spans, moved along with the edits made since setSpans(); a span an edit touched is gone.
    const QList<Span>& spans() const { return m_spans; }
    std::optional<Span> spanAt(qsizetype position) const;
    /// Blocks still waiting for their formats (a slice runs on each event-loop pass).
    bool hasPendingBlocks() const { return !m_dirty.empty(); }
    /// What is drawn: the formatted ranges of every block with their style, in document offsets.
    QList<QPair<TextRange, int>> drawnRanges() const;

    /// Time spent re-formatting per event-loop pass before yielding.
    static constexpr int sliceBudgetMs = 6;

protected:
    void highlightBlock(const QString& text) override;

private:
    void onContentsChange(int position, int removed, int added);
    void reformatSlice();

    QList<QTextCharFormat> m_formats;
    std::function<int(const Span&)> m_styleOf;
    QList<Span> m_spans;
    std::vector<qsizetype> m_dirty; ///< sorted positions whose blocks need new formats
    QTimer m_slice;
};

} // namespace parallax
