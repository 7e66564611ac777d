#pragma once

#include "sanitize/Span.h"

#include <QList>
#include <QString>
#include <QStringView>

namespace parallax {

class Detector;

/// Detection after an edit, from the spans of the text before it: an editor holding a megabyte of
/// prompt re-scans the paragraph being typed in, not the whole prompt.
///
/// Why this equals Detector::detect(after): every rule except the multi-line ones (private key
/// blocks) matches within one line, and overlaps are resolved among overlapping spans only. So the
/// lines the edit touches are scanned again, widened to every old span they reach (its cluster may
/// change) and to every multi-line span that appeared, vanished or moved (those are found on the
/// whole text, which is cheap: they need a literal keyword); the spans outside keep their values and
/// are shifted. TestIncrementalScan compares both on random edits of text full of personal data.
class IncrementalScan {
public:
    /// The spans of `after`, given `spansBefore` = detector.detect(before). `rescanned` (optional)
    /// receives the range of `after` that was scanned again.
    static QList<Span> detect(const Detector& detector, const QString& before, const QList<Span>& spansBefore,
                              const QString& after, TextRange* rescanned = nullptr);
};

} // namespace parallax
