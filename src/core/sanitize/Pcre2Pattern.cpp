#include "Pcre2Pattern.h"

#define PCRE2_CODE_UNIT_WIDTH 16
#include <pcre2.h>

#include <utility>
#include <vector>

namespace parallax {

namespace {

// Match data in the per-thread pool holds this many (start, end) pairs; patterns with more groups
// get their own for the duration of one iteration.
constexpr uint32_t kPooledPairs = 32;

// Per-thread PCRE2 state: a match context carrying a JIT stack (32 KiB growing to 512 KiB, as
// QRegularExpression allocates on demand), and a free list of match data so that a call costs no
// allocation. Iterations may nest (each takes its own match data from the pool).
class ThreadScratch {
public:
    ThreadScratch() {
        m_context = pcre2_match_context_create_16(nullptr);
        m_stack = pcre2_jit_stack_create_16(32 * 1024, 512 * 1024, nullptr);
        if (m_context && m_stack)
            pcre2_jit_stack_assign_16(m_context, nullptr, m_stack);
    }
    ~ThreadScratch() {
        for (pcre2_match_data_16* data : m_free)
            pcre2_match_data_free_16(data);
        pcre2_jit_stack_free_16(m_stack);
        pcre2_match_context_free_16(m_context);
    }
    ThreadScratch(const ThreadScratch&) = delete;
    ThreadScratch& operator=(const ThreadScratch&) = delete;

    pcre2_match_context_16* context() const { return m_context; }
    pcre2_match_data_16* acquire() {
        if (m_free.empty())
            return pcre2_match_data_create_16(kPooledPairs, nullptr);
        pcre2_match_data_16* data = m_free.back();
        m_free.pop_back();
        return data;
    }
    void release(pcre2_match_data_16* data) { m_free.push_back(data); }

private:
    pcre2_match_context_16* m_context = nullptr;
    pcre2_jit_stack_16* m_stack = nullptr;
    std::vector<pcre2_match_data_16*> m_free;
};

ThreadScratch& scratch() {
    thread_local ThreadScratch instance;
    return instance;
}

/// `subject` with every surrogate that is not half of a pair replaced by U+FFFD, or an empty string
/// when it has none.
QString withoutLoneSurrogates(QStringView subject) {
    QString repaired;
    const qsizetype size = subject.size();
    for (qsizetype i = 0; i < size; ++i) {
        const QChar c = subject[i];
        if (!c.isSurrogate())
            continue;
        if (c.isHighSurrogate() && i + 1 < size && subject[i + 1].isLowSurrogate()) {
            ++i;
            continue;
        }
        if (repaired.isNull())
            repaired = subject.toString();
        repaired[i] = QChar::ReplacementCharacter;
    }
    return repaired;
}

} // namespace

Pcre2Pattern::Pcre2Pattern(const QString& pattern, int options) {
    uint32_t flags = PCRE2_UTF;
    if (options & CaseInsensitive)
        flags |= PCRE2_CASELESS;
    if (options & UnicodeProperties)
        flags |= PCRE2_UCP;
    if (options & StartLimit)
        flags |= PCRE2_USE_OFFSET_LIMIT;
    int errorCode = 0;
    PCRE2_SIZE errorOffset = 0;
    m_code =
        pcre2_compile_16(reinterpret_cast<PCRE2_SPTR16>(pattern.utf16()),
                         static_cast<PCRE2_SIZE>(pattern.size()), flags, &errorCode, &errorOffset, nullptr);
    if (!m_code) {
        PCRE2_UCHAR16 message[256];
        const int length = pcre2_get_error_message_16(errorCode, message, 256);
        m_error = length > 0 ? QString::fromUtf16(reinterpret_cast<const char16_t*>(message), length)
                             : QStringLiteral("error %1").arg(errorCode);
        m_errorOffset = static_cast<qsizetype>(errorOffset);
        return;
    }
    // Complete matches only (QRegularExpression also compiles the partial-match variants).
    if (pcre2_jit_compile_16(m_code, PCRE2_JIT_COMPLETE) == 0) {
        size_t jitSize = 0;
        m_jit = pcre2_pattern_info_16(m_code, PCRE2_INFO_JITSIZE, &jitSize) == 0 && jitSize > 0;
    }
    uint32_t captures = 0;
    pcre2_pattern_info_16(m_code, PCRE2_INFO_CAPTURECOUNT, &captures);
    m_captureCount = static_cast<int>(captures);
}

Pcre2Pattern::~Pcre2Pattern() {
    pcre2_code_free_16(m_code);
}

Pcre2Pattern::Pcre2Pattern(Pcre2Pattern&& other) noexcept
    : m_code(std::exchange(other.m_code, nullptr))
    , m_captureCount(other.m_captureCount)
    , m_jit(other.m_jit)
    , m_error(std::move(other.m_error))
    , m_errorOffset(other.m_errorOffset) {}

Pcre2Pattern& Pcre2Pattern::operator=(Pcre2Pattern&& other) noexcept {
    if (this != &other) {
        pcre2_code_free_16(m_code);
        m_code = std::exchange(other.m_code, nullptr);
        m_captureCount = other.m_captureCount;
        m_jit = other.m_jit;
        m_error = std::move(other.m_error);
        m_errorOffset = other.m_errorOffset;
    }
    return *this;
}

Pcre2Pattern::Matches::Matches(const Pcre2Pattern& pattern, QStringView subject, bool subjectIsValidUtf16)
    : m_pattern(pattern)
    , m_subject(subject)
    , m_done(!pattern.m_code) {
    if (m_done)
        return;
    if (!subjectIsValidUtf16) {
        m_repaired = withoutLoneSurrogates(subject);
        if (!m_repaired.isNull())
            m_subject = m_repaired;
    }
    if (static_cast<uint32_t>(pattern.m_captureCount) + 1 <= kPooledPairs) {
        m_data = scratch().acquire();
        m_pooled = true;
    } else {
        m_data = pcre2_match_data_create_from_pattern_16(pattern.m_code, nullptr);
    }
    m_done = m_data == nullptr;
}

Pcre2Pattern::Matches::~Matches() {
    if (!m_data)
        return;
    if (m_pooled)
        scratch().release(m_data);
    else
        pcre2_match_data_free_16(m_data);
}

void Pcre2Pattern::Matches::restartAt(qsizetype offset) {
    m_offset = offset;
    m_lastWasEmpty = false;
    m_done = !m_data || offset > m_subject.size();
}

bool Pcre2Pattern::Matches::next() {
    if (m_done)
        return false;
    const auto* subject = reinterpret_cast<PCRE2_SPTR16>(m_subject.utf16());
    const auto length = static_cast<PCRE2_SIZE>(m_subject.size());
    pcre2_match_context_16* context = scratch().context();
    auto run = [&](uint32_t extra) {
        // The subject is well-formed: the caller said so, or the constructor made it so, and
        // pcre2_jit_match() (pcre2_match() without its checks) is what pcre2_match() calls for a
        // JIT-compiled pattern. An anchored retry is left to pcre2_match(): the JIT code was not
        // compiled for it.
        const auto start = static_cast<PCRE2_SIZE>(m_offset);
        if (m_pattern.m_jit && !(extra & PCRE2_ANCHORED))
            return pcre2_jit_match_16(m_pattern.m_code, subject, length, start, extra, m_data, context);
        return pcre2_match_16(m_pattern.m_code, subject, length, start, extra | PCRE2_NO_UTF_CHECK, m_data,
                              context);
    };
    int rc = 0;
    if (m_lastWasEmpty) {
        // As QRegularExpression does after an empty match: first a non-empty match anchored at
        // the same place, else step over one character (a surrogate pair counts as one).
        rc = run(PCRE2_NOTEMPTY_ATSTART | PCRE2_ANCHORED);
        if (rc == PCRE2_ERROR_NOMATCH) {
            ++m_offset;
            if (m_offset < m_subject.size() && m_subject.at(m_offset).isLowSurrogate())
                ++m_offset;
            if (m_offset > m_subject.size()) {
                m_done = true;
                return false;
            }
            rc = run(0);
        }
    } else {
        rc = run(0);
    }
    if (rc <= 0) {
        m_done = true;
        m_groups = 0;
        return false;
    }
    m_groups = rc;
    const PCRE2_SIZE* ovector = pcre2_get_ovector_pointer_16(m_data);
    m_lastWasEmpty = ovector[0] == ovector[1];
    m_offset = static_cast<qsizetype>(ovector[1]);
    return true;
}

bool Pcre2Pattern::Matches::matchStartingIn(qsizetype from, qsizetype lastStart) {
    m_groups = 0;
    if (!m_data || !m_pattern.m_code || from < 0 || from > m_subject.size() || lastStart < from)
        return false;
    pcre2_match_context_16* context = scratch().context();
    pcre2_set_offset_limit_16(context, static_cast<PCRE2_SIZE>(lastStart));
    const auto* subject = reinterpret_cast<PCRE2_SPTR16>(m_subject.utf16());
    const auto length = static_cast<PCRE2_SIZE>(m_subject.size());
    const int rc = m_pattern.m_jit
                       ? pcre2_jit_match_16(m_pattern.m_code, subject, length, static_cast<PCRE2_SIZE>(from),
                                            0, m_data, context)
                       : pcre2_match_16(m_pattern.m_code, subject, length, static_cast<PCRE2_SIZE>(from),
                                        PCRE2_NO_UTF_CHECK, m_data, context);
    pcre2_set_offset_limit_16(context, PCRE2_UNSET);
    if (rc <= 0)
        return false;
    m_groups = rc;
    return true;
}

qsizetype Pcre2Pattern::Matches::capturedStart(int group) const {
    if (group < 0 || group >= m_groups)
        return -1;
    const PCRE2_SIZE value = pcre2_get_ovector_pointer_16(m_data)[2 * group];
    return value == PCRE2_UNSET ? -1 : static_cast<qsizetype>(value);
}

qsizetype Pcre2Pattern::Matches::capturedEnd(int group) const {
    if (group < 0 || group >= m_groups)
        return -1;
    const PCRE2_SIZE value = pcre2_get_ovector_pointer_16(m_data)[2 * group + 1];
    return value == PCRE2_UNSET ? -1 : static_cast<qsizetype>(value);
}

} // namespace parallax
