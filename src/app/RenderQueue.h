#pragma once

#include <QList>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>

namespace parallax {

/// Re-renders of streaming answers, one per event-loop pass. Columns whose throttle expires together
/// (eight streams started at the same moment) would otherwise lay out their text back to back and hold
/// the GUI thread for all of them at once; spread out, input, network reads and painting run in between.
class RenderQueue : public QObject {
    Q_OBJECT
public:
    /// The queue of the GUI thread (owned by the application object).
    static RenderQueue& instance();

    /// Runs `render` in a later event-loop pass, after the renders already waiting. A second request of
    /// the same `owner` before its turn replaces the first; an owner destroyed meanwhile is skipped.
    void request(QObject* owner, std::function<void()> render);
    /// Drops the waiting request of `owner` (it rendered by itself, or was reset).
    void cancel(QObject* owner);
    qsizetype pending() const { return m_pending.size(); }

private:
    explicit RenderQueue(QObject* parent);
    void runNext();

    struct Entry {
        QPointer<QObject> owner;
        std::function<void()> render;
    };
    QList<Entry> m_pending;
    QTimer m_next;
};

} // namespace parallax
