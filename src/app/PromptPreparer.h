#pragma once

#include "app/PreparedPrompt.h"

#include <QFutureWatcher>
#include <QObject>
#include <QTimer>

#include <functional>
#include <optional>

namespace parallax {

/// Runs detection and sanitizing off the GUI thread (QtConcurrent on the global pool), debounced while
/// the user types. Only one job runs at a time; edits made meanwhile are coalesced into the next job, so
/// a fast typist never queues up stale scans. The input is read from `source` only when a job starts
/// (a keystroke in a megabyte of prompt costs no copy of it), and each job re-scans only what changed
/// since the previous one (Sanitizer::redetect).
class PromptPreparer : public QObject {
    Q_OBJECT
public:
    using Source = std::function<PreparedPrompt()>;
    explicit PromptPreparer(Source source, QObject* parent = nullptr);
    ~PromptPreparer() override;

    static constexpr int debounceMs = 150;

    /// The input changed: a job starts after `debounceMs` of quiet, or at once when `immediate`.
    void request(bool immediate = false);
    bool isBusy() const;

    /// The pure work, callable from any thread (and from tests). With `input.previous` from the same
    /// sanitizer, only the lines an edit touched are scanned again.
    static PreparedPrompt prepare(PreparedPrompt input);

signals:
    void prepared(const parallax::PreparedPrompt& result);

private:
    void startPending();

    Source m_source;
    QTimer m_debounce;
    QFutureWatcher<PreparedPrompt>* m_watcher;
    bool m_pending = false;
    std::optional<PromptScan> m_lastScan;
};

} // namespace parallax
