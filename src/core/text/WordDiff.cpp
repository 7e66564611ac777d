#include "WordDiff.h"

#include <dtl/dtl.hpp>

#include <vector>

namespace parallax {

namespace {

enum class TokenClass { Space, Word, Other };

TokenClass classOf(QChar c) {
    if (c.isSpace())
        return TokenClass::Space;
    if (c.isLetterOrNumber() || c.isMark())
        return TokenClass::Word;
    return TokenClass::Other;
}

bool isSpace(const QString& token) {
    return !token.isEmpty() && token.front().isSpace();
}

/// Whitespace or punctuation: text that carries no word of its own.
bool isSeparator(const QString& token) {
    return !token.isEmpty() && classOf(token.front()) != TokenClass::Word && !token.front().isSurrogate();
}

/// dtl's comparator: tokens are equal when their text is, and any two whitespace runs are equal.
class TokenComparator : public dtl::Compare<QString> {
public:
    bool impl(const QString& a, const QString& b) const override {
        return a == b || (isSpace(a) && isSpace(b));
    }
};

/// One token of the edit script. Equal tokens keep both spellings (they may differ in whitespace).
struct Edit {
    WordDiff::Segment::Kind kind;
    QString baseText;
    QString otherText;
};

std::vector<QString> toVector(const QStringList& tokens) {
    return std::vector<QString>(tokens.begin(), tokens.end());
}

void append(QList<WordDiff::Segment>& segments, WordDiff::Segment::Kind kind, const QString& text) {
    if (text.isEmpty())
        return;
    if (!segments.isEmpty() && segments.last().kind == kind)
        segments.last().text += text;
    else
        segments.append({kind, text});
}

} // namespace

QStringList WordDiff::tokenize(const QString& text) {
    QStringList tokens;
    qsizetype i = 0;
    const qsizetype size = text.size();
    while (i < size) {
        const qsizetype start = i;
        const QChar c = text.at(i);
        if (c.isHighSurrogate() && i + 1 < size && text.at(i + 1).isLowSurrogate()) {
            // An emoji or other astral character: one token, never split between two segments.
            i += 2;
        } else {
            const TokenClass kind = classOf(c);
            ++i;
            if (kind != TokenClass::Other) {
                while (i < size && classOf(text.at(i)) == kind && !text.at(i).isHighSurrogate())
                    ++i;
            }
        }
        tokens.append(text.mid(start, i - start));
    }
    return tokens;
}

QList<WordDiff::Segment> WordDiff::compute(const QString& base, const QString& other) {
    using Kind = Segment::Kind;
    const std::vector<QString> before = toVector(tokenize(base));
    const std::vector<QString> after = toVector(tokenize(other));

    std::vector<Edit> edits;
    if (before.empty() || after.empty()) {
        // dtl needs two sequences to walk; one empty side is all deletion or all insertion.
        for (const QString& token : before)
            edits.push_back({Kind::Deleted, token, {}});
        for (const QString& token : after)
            edits.push_back({Kind::Inserted, {}, token});
    } else {
        dtl::Diff<QString, std::vector<QString>, TokenComparator> diff(before, after);
        diff.compose();
        for (const auto& [token, info] : diff.getSes().getSequence()) {
            if (info.type == dtl::SES_ADD)
                edits.push_back({Kind::Inserted, {}, token});
            else if (info.type == dtl::SES_DELETE)
                edits.push_back({Kind::Deleted, token, {}});
            else // indices are 1-based; the common token's own spelling on each side
                edits.push_back({Kind::Equal, before.at(std::size_t(info.beforeIdx - 1)),
                                 after.at(std::size_t(info.afterIdx - 1))});
        }
    }

    // Whitespace and punctuation that merely separate two changed words belong to the change: without
    // this, a replaced phrase reads as alternating one-word deletions and insertions, and an address
    // replaced by a mask keeps a stray "." of its own in the middle.
    for (std::size_t i = 0; i < edits.size(); ++i) {
        if (edits[i].kind != Kind::Equal || !isSeparator(edits[i].otherText))
            continue;
        std::size_t next = i + 1;
        while (next < edits.size() && edits[next].kind == Kind::Equal && isSeparator(edits[next].otherText))
            ++next;
        const bool changeBefore = i > 0 && edits[i - 1].kind != Kind::Equal;
        const bool changeAfter = next < edits.size() && edits[next].kind != Kind::Equal;
        if (!changeBefore || !changeAfter)
            continue;
        std::vector<Edit> split;
        for (std::size_t j = i; j < next; ++j) {
            split.push_back({Kind::Deleted, edits[j].baseText, {}});
            split.push_back({Kind::Inserted, {}, edits[j].otherText});
        }
        edits.erase(edits.begin() + std::ptrdiff_t(i), edits.begin() + std::ptrdiff_t(next));
        edits.insert(edits.begin() + std::ptrdiff_t(i), split.begin(), split.end());
        i += split.size() - 1;
    }

    // Each run of changes becomes one deletion followed by one insertion.
    QList<Segment> segments;
    QString deleted;
    QString inserted;
    const auto flushChange = [&] {
        append(segments, Kind::Deleted, deleted);
        append(segments, Kind::Inserted, inserted);
        deleted.clear();
        inserted.clear();
    };
    for (const Edit& edit : edits) {
        switch (edit.kind) {
        case Kind::Equal:
            flushChange();
            append(segments, Kind::Equal, edit.otherText);
            break;
        case Kind::Deleted:
            deleted += edit.baseText;
            break;
        case Kind::Inserted:
            inserted += edit.otherText;
            break;
        }
    }
    flushChange();
    return segments;
}

} // namespace parallax
