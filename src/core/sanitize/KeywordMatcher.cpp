#include "KeywordMatcher.h"

#include <algorithm>
#include <queue>
#include <utility>

namespace parallax {

namespace {
char16_t foldAscii(char16_t c) {
    return (c >= u'A' && c <= u'Z') ? static_cast<char16_t>(c + 32) : c;
}
} // namespace

KeywordMatcher::KeywordMatcher(const QStringList& keywords) {
    std::vector<std::vector<int32_t>> trie(1, std::vector<int32_t>(128, -1));
    m_outputs.assign(1, {});
    for (int k = 0; k < keywords.size(); ++k) {
        m_longest = std::max(m_longest, static_cast<int>(keywords.at(k).size()));
        int state = 0;
        for (QChar qc : keywords.at(k)) {
            const char16_t c = foldAscii(qc.unicode());
            if (c >= 128)
                break; // keywords are ASCII by contract; a non-ASCII tail cannot match anyway
            if (trie[static_cast<size_t>(state)][c] < 0) {
                trie[static_cast<size_t>(state)][c] = static_cast<int32_t>(trie.size());
                trie.emplace_back(128, -1);
                m_outputs.emplace_back();
            }
            state = trie[static_cast<size_t>(state)][c];
        }
        m_outputs[static_cast<size_t>(state)].push_back(k);
    }
    // Breadth-first failure links, folded into a complete transition table.
    const size_t count = trie.size();
    std::vector<int32_t> fail(count, 0);
    m_delta.assign(count * 128, 0);
    std::queue<int32_t> queue;
    for (int c = 0; c < 128; ++c) {
        const int32_t s = trie[0][static_cast<size_t>(c)];
        m_delta[static_cast<size_t>(c)] = s < 0 ? 0 : s;
        if (s > 0) {
            fail[static_cast<size_t>(s)] = 0;
            queue.push(s);
        }
    }
    while (!queue.empty()) {
        const int32_t r = queue.front();
        queue.pop();
        const auto& failOutputs = m_outputs[static_cast<size_t>(fail[static_cast<size_t>(r)])];
        m_outputs[static_cast<size_t>(r)].insert(m_outputs[static_cast<size_t>(r)].end(), failOutputs.begin(),
                                                 failOutputs.end());
        for (int c = 0; c < 128; ++c) {
            const int32_t s = trie[static_cast<size_t>(r)][static_cast<size_t>(c)];
            const size_t slot = static_cast<size_t>(r) * 128 + static_cast<size_t>(c);
            if (s < 0) {
                m_delta[slot] =
                    m_delta[static_cast<size_t>(fail[static_cast<size_t>(r)]) * 128 + static_cast<size_t>(c)];
            } else {
                m_delta[slot] = s;
                fail[static_cast<size_t>(s)] =
                    m_delta[static_cast<size_t>(fail[static_cast<size_t>(r)]) * 128 + static_cast<size_t>(c)];
                queue.push(s);
            }
        }
    }
    // Upper-case input folds onto the lower-case transitions.
    for (size_t s = 0; s < count; ++s) {
        for (char16_t c = u'A'; c <= u'Z'; ++c)
            m_delta[s * 128 + c] = m_delta[s * 128 + c + 32];
    }

    // Columns: one per character that occurs in a keyword (upper-case letters share their
    // lower-case one's); every other character leads to the root from every state.
    std::array<bool, 128> used{};
    for (const QString& keyword : keywords) {
        for (QChar qc : keyword) {
            const char16_t c = foldAscii(qc.unicode());
            if (c >= 128)
                break;
            used[c] = true;
        }
    }
    std::array<char16_t, 128> representative{}; // column -> a character it stands for
    for (char16_t c = 0; c < 128; ++c) {
        if (!used[foldAscii(c)]) {
            representative[0] = c;
            break;
        }
    }
    int columns = 1;
    for (char16_t c = 0; c < 128; ++c) {
        if (used[c])
            representative[static_cast<size_t>(columns++)] = c;
    }
    m_column.assign(65536, 0); // every non-ASCII character: column 0
    for (char16_t c = 0; c < 128; ++c) {
        const char16_t folded = foldAscii(c);
        for (int k = 1; k < columns; ++k) {
            if (representative[static_cast<size_t>(k)] == folded)
                m_column[c] = static_cast<uint8_t>(k);
        }
    }
    m_columns = columns;

    // States are stored pre-multiplied by the column count. The non-accepting ones come first
    // (the root stays 0: no keyword is empty), the accepting ones from m_accepting on, a power of
    // two above every other state and every accepting state's offset from it: a state accepts
    // exactly when that bit is set, so four lanes are tested with one OR.
    size_t accepting = 0;
    for (size_t s = 0; s < count; ++s)
        accepting += m_outputs[s].empty() ? 0 : 1;
    const size_t stride = static_cast<size_t>(columns);
    size_t bit = 1;
    while (bit < (count - accepting) * stride || bit < accepting * stride)
        bit <<= 1;
    std::vector<int32_t> number(count);
    size_t plain = 0;
    size_t accepted = 0;
    for (size_t s = 0; s < count; ++s)
        number[s] = static_cast<int32_t>(m_outputs[s].empty() ? stride * plain++ : bit + stride * accepted++);
    std::vector<int32_t> delta(bit + accepting * stride, 0);
    std::vector<std::vector<int>> outputs(accepting); // by accepting state, see outputs()
    for (size_t s = 0; s < count; ++s) {
        const auto row = static_cast<size_t>(number[s]);
        for (size_t k = 0; k < stride; ++k)
            delta[row + k] = number[static_cast<size_t>(m_delta[s * 128 + representative[k]])];
        if (!m_outputs[s].empty())
            outputs[(row - bit) / stride] = std::move(m_outputs[s]);
    }
    m_delta = std::move(delta);
    m_outputs = std::move(outputs);
    m_accepting = static_cast<int>(bit);
}

void KeywordMatcher::report(const Lanes& lanes, qsizetype j, const std::array<uint32_t, 4>& states,
                            std::vector<Hit>& hits, std::vector<Hit> (&later)[3]) {
    if (states[0] & lanes.accepting)
        hits.push_back({lanes.from + j, static_cast<int>(states[0])});
    for (size_t k = 0; k < 3; ++k) {
        // Lane k + 1 reports from its own part on, after its warm-up.
        if ((states[k + 1] & lanes.accepting) && j >= lanes.warmUp)
            later[k].push_back({lanes.from + lanes.at[k] + j, static_cast<int>(states[k + 1])});
    }
}

int KeywordMatcher::scan(const char16_t* text, qsizetype from, qsizetype to, int state,
                         std::vector<Hit>& hits) const {
    const qsizetype warmUp = m_longest;
    // Unsigned 32-bit states index without a sign extension.
    const auto* delta = reinterpret_cast<const uint32_t*>(m_delta.data());
    const uint8_t* column = m_column.data();
    const auto accepting = static_cast<uint32_t>(m_accepting);
    const qsizetype part = (to - from) / 4;
    if (part < 4 * warmUp + 64) {
        auto s = static_cast<uint32_t>(state);
        for (qsizetype i = from; i < to; ++i) {
            s = delta[s + column[text[i]]];
            if (s & accepting) [[unlikely]]
                hits.push_back({i, static_cast<int>(s)});
        }
        return static_cast<int>(s);
    }

    // Lane k reports hits in [from + k * part, ...) and starts reading warmUp characters earlier
    // (k > 0); during that warm-up its state may be wrong, so it reports nothing there. The lanes
    // are four variables reading at fixed distances from one pointer, so that everything stays in
    // registers; hits (rare) are handled out of line.
    const char16_t* lane0 = text + from;
    const qsizetype at1 = part - warmUp;
    const qsizetype at2 = 2 * part - warmUp;
    const qsizetype at3 = 3 * part - warmUp;
    auto s0 = static_cast<uint32_t>(state);
    uint32_t s1 = 0;
    uint32_t s2 = 0;
    uint32_t s3 = 0;
    std::vector<Hit> later[3]; // lanes 1-3 report after lane 0
    const Lanes lanes{from, {at1, at2, at3}, warmUp, accepting};
    const char16_t* p0 = lane0;
    const char16_t* p1 = lane0 + at1;
    const char16_t* p2 = lane0 + at2;
    const char16_t* p3 = lane0 + at3;
    for (const char16_t* end = lane0 + part; p0 < end; ++p0, ++p1, ++p2, ++p3) {
        s0 = delta[s0 + column[*p0]];
        s1 = delta[s1 + column[*p1]];
        s2 = delta[s2 + column[*p2]];
        s3 = delta[s3 + column[*p3]];
        if ((s0 | s1 | s2 | s3) & accepting) [[unlikely]]
            report(lanes, p0 - lane0, {s0, s1, s2, s3}, hits, later);
    }
    // Lanes 1-3 have warmUp characters left (lane 3 also the remainder of the division).
    auto finish = [&](uint32_t s, qsizetype begin, qsizetype end, std::vector<Hit>& out) {
        for (qsizetype i = begin; i < end; ++i) {
            s = delta[s + column[text[i]]];
            if (s & accepting) [[unlikely]]
                out.push_back({i, static_cast<int>(s)});
        }
        return s;
    };
    finish(s1, from + at1 + part, from + 2 * part, later[0]);
    finish(s2, from + at2 + part, from + 3 * part, later[1]);
    s3 = finish(s3, from + at3 + part, to, later[2]);
    for (const std::vector<Hit>& lane : later)
        hits.insert(hits.end(), lane.begin(), lane.end());
    return static_cast<int>(s3);
}

} // namespace parallax
