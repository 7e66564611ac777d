#include "KeywordMatcher.h"

#include <queue>

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
    m_accepting.resize(count);
    for (size_t s = 0; s < count; ++s)
        m_accepting[s] = m_outputs[s].empty() ? 0 : 1;
}

} // namespace parallax
