#pragma once

#include "app/PreparedPrompt.h"

#include <QFutureWatcher>
#include <QObject>
#include <QTimer>

#include <optional>

namespace parallax {

/// Runs detection and sanitizing off the GUI thread (QtConcurrent on the global pool), debounced while
/// the user types. Only one job runs at a time; edits made meanwhile are coalesced into the next job, so
/// a fast typist never queues up stale scans.
class PromptPreparer : public QObject {
    Q_OBJECT
public:
    explicit PromptPreparer(QObject* parent = nullptr);
    ~PromptPreparer() override;

    static constexpr int debounceMs = 150;

    /// The input for the next job; it starts after `debounceMs` of quiet, or at once when `immediate`.
    void request(const PreparedPrompt& input, bool immediate = false);
    bool isBusy() const;

    /// The pure work, callable from any thread (and from tests).
    static PreparedPrompt prepare(PreparedPrompt input);

signals:
    void prepared(const parallax::PreparedPrompt& result);

private:
    void startPending();

    QTimer m_debounce;
    QFutureWatcher<PreparedPrompt>* m_watcher;
    std::optional<PreparedPrompt> m_pending;
};

} // namespace parallax
