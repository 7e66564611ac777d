#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace parallax {

/// Word-level differences between two answers, for the window's diff mode. Texts are cut into tokens
/// — runs of whitespace, runs of letters and digits, and single other characters (punctuation, a
/// surrogate pair) — so that "blue." against "green." changes the word and keeps the full stop. The
/// longest common subsequence of the tokens (dtl's O(NP) algorithm) gives the edit script; any two
/// whitespace runs count as equal, because a re-wrapped line says nothing about the answer. Pure and
/// thread-safe: the window runs it on the thread pool.
class WordDiff {
public:
    struct Segment {
        enum class Kind { Equal, Inserted, Deleted };
        Kind kind = Kind::Equal;
        QString text;

        friend bool operator==(const Segment& a, const Segment& b) {
            return a.kind == b.kind && a.text == b.text;
        }
    };

    static QStringList tokenize(const QString& text);

    /// The segments that turn `base` into `other`, in reading order. Equal segments carry `other`'s
    /// text (its whitespace where the two differ only in whitespace); Deleted is text only in `base`,
    /// Inserted text only in `other`. Within one change, the deleted text comes before the inserted
    /// text, and whitespace or punctuation between changed words joins the change instead of splitting
    /// it into word-sized pieces ("b c" → "x y" rather than b→x, c→y). Adjacent segments never share a
    /// kind.
    static QList<Segment> compute(const QString& base, const QString& other);
};

} // namespace parallax
