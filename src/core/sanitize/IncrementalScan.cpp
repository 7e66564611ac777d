#include "IncrementalScan.h"

#include "sanitize/Detector.h"
#include "text/TextEdit.h"

#include <algorithm>

namespace parallax {

namespace {

bool sameSpan(const Span& a, const Span& b) {
    return a.start == b.start && a.end == b.end && a.rule == b.rule && a.type == b.type;
}

void include(TextRange& range, qsizetype start, qsizetype end) {
    range.start = std::min(range.start, start);
    range.end = std::max(range.end, end);
}

} // namespace

QList<Span> IncrementalScan::detect(const Detector& detector, const QString& before,
                                    const QList<Span>& spansBefore, const QString& after,
                                    TextRange* rescanned) {
    const TextEdit edit = TextEdit::between(before, after);
    if (edit.isEmpty()) {
        if (rescanned)
            *rescanned = {0, 0};
        return spansBefore;
    }
    const qsizetype delta = edit.added - edit.removed;
    const qsizetype editEnd = edit.start + edit.removed; // in `before`

    // The old spans outside the edit, in `after`'s offsets; those the edit touches widen the scan.
    TextRange dirty{edit.start, edit.start + edit.added};
    QList<Span> kept;
    kept.reserve(spansBefore.size());
    for (const Span& span : spansBefore) {
        if (span.end <= edit.start) {
            kept.append(span);
        } else if (span.start >= editEnd) {
            Span shifted = span;
            shifted.start += delta;
            shifted.end += delta;
            kept.append(shifted);
        } else {
            include(dirty, std::min(span.start, edit.start),
                    span.end > editEnd ? span.end + delta : edit.start + edit.added);
        }
    }

    if (detector.hasMultiLineRules()) {
        const QList<Span> now = detector.multiLineSpans(after);
        for (const Span& span : now) {
            const bool known =
                std::any_of(kept.begin(), kept.end(), [&](const Span& old) { return sameSpan(old, span); });
            if (!known)
                include(dirty, span.start, span.end);
        }
        for (const Span& old : kept) {
            if (!detector.isMultiLineRule(old.rule))
                continue;
            const bool still =
                std::any_of(now.begin(), now.end(), [&](const Span& span) { return sameSpan(old, span); });
            if (!still)
                include(dirty, old.start, old.end);
        }
    }

    // Whole lines, and every kept span that reaches into them or touches them, until nothing grows.
    for (;;) {
        const TextRange lines = Detector::expandToLines(after, dirty);
        TextRange grown = lines;
        for (const Span& span : kept) {
            if (span.start <= lines.end && span.end >= lines.start)
                include(grown, span.start, span.end);
        }
        if (grown == lines) {
            dirty = lines;
            break;
        }
        dirty = grown;
    }

    QList<Span> result;
    result.reserve(kept.size() + 16);
    auto firstAfter = std::partition_point(kept.begin(), kept.end(),
                                           [&](const Span& span) { return span.end < dirty.start; });
    result.append(QList<Span>(kept.begin(), firstAfter));
    result.append(detector.detect(after, dirty));
    for (auto it = firstAfter; it != kept.end(); ++it) {
        if (it->start > dirty.end)
            result.append(*it);
    }
    if (rescanned)
        *rescanned = dirty;
    return result;
}

} // namespace parallax
