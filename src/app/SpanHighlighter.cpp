#include "SpanHighlighter.h"

#include <QElapsedTimer>
#include <QTextBlock>
#include <QTextDocument>
#include <QTextLayout>

#include <algorithm>

namespace parallax {

SpanHighlighter::SpanHighlighter(QTextDocument* document, QList<QTextCharFormat> formats,
                                 std::function<int(const Span&)> styleOf)
    : QSyntaxHighlighter(static_cast<QObject*>(document))
    , m_formats(std::move(formats))
    , m_styleOf(std::move(styleOf)) {
    // Connected before QSyntaxHighlighter's own handler (setDocument below), so that the block it
    // re-formats after an edit already sees the spans moved past the edit.
    connect(document, &QTextDocument::contentsChange, this, &SpanHighlighter::onContentsChange);
    setDocument(document);
    m_slice.setSingleShot(true);
    m_slice.setInterval(0);
    connect(&m_slice, &QTimer::timeout, this, &SpanHighlighter::reformatSlice);
}

void SpanHighlighter::setSpans(QList<Span> spans) {
    // Where the drawn styles differ, by a walk over both sorted lists.
    std::vector<qsizetype> changed;
    qsizetype i = 0;
    qsizetype j = 0;
    auto key = [this](const Span& span) { return std::make_tuple(span.start, span.end, m_styleOf(span)); };
    while (i < m_spans.size() || j < spans.size()) {
        if (j == spans.size() || (i < m_spans.size() && m_spans.at(i).start < spans.at(j).start)) {
            changed.push_back(m_spans.at(i).start);
            changed.push_back(m_spans.at(i).end - 1);
            ++i;
        } else if (i == m_spans.size() || spans.at(j).start < m_spans.at(i).start) {
            changed.push_back(spans.at(j).start);
            changed.push_back(spans.at(j).end - 1);
            ++j;
        } else {
            if (key(m_spans.at(i)) != key(spans.at(j))) {
                changed.push_back(m_spans.at(i).start);
                changed.push_back(std::max(m_spans.at(i).end, spans.at(j).end) - 1);
            }
            ++i;
            ++j;
        }
    }
    m_spans = std::move(spans);
    if (changed.empty())
        return;
    // A span over several blocks (a private key) needs each of them; most spans lie in one.
    std::vector<qsizetype> positions;
    positions.reserve(changed.size());
    for (size_t k = 0; k + 1 < changed.size(); k += 2) {
        QTextBlock block = document()->findBlock(int(changed[k]));
        const QTextBlock last = document()->findBlock(int(changed[k + 1]));
        for (; block.isValid(); block = block.next()) {
            positions.push_back(block.position());
            if (block == last || !last.isValid())
                break;
        }
    }
    m_dirty.insert(m_dirty.end(), positions.begin(), positions.end());
    std::sort(m_dirty.begin(), m_dirty.end());
    m_dirty.erase(std::unique(m_dirty.begin(), m_dirty.end()), m_dirty.end());
    reformatSlice(); // the usual few blocks are done at once; a paste continues on later passes
}

std::optional<Span> SpanHighlighter::spanAt(qsizetype position) const {
    const auto it = std::partition_point(m_spans.begin(), m_spans.end(),
                                         [&](const Span& span) { return span.end <= position; });
    if (it != m_spans.end() && it->start <= position)
        return *it;
    return std::nullopt;
}

QList<QPair<TextRange, int>> SpanHighlighter::drawnRanges() const {
    QList<QPair<TextRange, int>> ranges;
    for (QTextBlock block = document()->begin(); block.isValid(); block = block.next()) {
        for (const QTextLayout::FormatRange& range : block.layout()->formats()) {
            const auto style = std::find(m_formats.begin(), m_formats.end(), range.format);
            const qsizetype start = block.position() + range.start;
            ranges.append({TextRange{start, start + range.length}, int(style - m_formats.begin())});
        }
    }
    return ranges;
}

void SpanHighlighter::highlightBlock(const QString& text) {
    const qsizetype blockStart = currentBlock().position();
    const qsizetype blockEnd = blockStart + text.size();
    auto it = std::partition_point(m_spans.begin(), m_spans.end(),
                                   [&](const Span& span) { return span.end <= blockStart; });
    for (; it != m_spans.end() && it->start < blockEnd; ++it) {
        const qsizetype from = std::max(it->start, blockStart);
        const qsizetype to = std::min(it->end, blockEnd);
        const int style = m_styleOf(*it);
        if (to > from && style >= 0 && style < m_formats.size())
            setFormat(int(from - blockStart), int(to - from), m_formats.at(style));
    }
}

void SpanHighlighter::onContentsChange(int position, int removed, int added) {
    const qsizetype editEnd = qsizetype(position) + removed;
    const qsizetype delta = qsizetype(added) - removed;
    QList<Span> moved;
    moved.reserve(m_spans.size());
    for (const Span& span : std::as_const(m_spans)) {
        if (span.end <= position) {
            moved.append(span);
        } else if (span.start >= editEnd) {
            Span shifted = span;
            shifted.start += delta;
            shifted.end += delta;
            moved.append(shifted);
        }
        // A span the edit reaches into is dropped: the next scan says what it has become.
    }
    m_spans = std::move(moved);
    for (qsizetype& dirty : m_dirty) {
        if (dirty >= editEnd)
            dirty += delta;
        else if (dirty > position)
            dirty = position;
    }
}

void SpanHighlighter::reformatSlice() {
    QElapsedTimer clock;
    clock.start();
    size_t done = 0;
    while (done < m_dirty.size()) {
        const QTextBlock block = document()->findBlock(int(m_dirty[done]));
        ++done;
        if (block.isValid())
            rehighlightBlock(block);
        if (clock.elapsed() >= sliceBudgetMs)
            break;
    }
    m_dirty.erase(m_dirty.begin(), m_dirty.begin() + qsizetype(done));
    if (!m_dirty.empty())
        m_slice.start();
}

} // namespace parallax
