#include "RenderQueue.h"

#include <QCoreApplication>

namespace parallax {

RenderQueue& RenderQueue::instance() {
    static QPointer<RenderQueue> queue;
    if (!queue)
        queue = new RenderQueue(QCoreApplication::instance());
    return *queue;
}

RenderQueue::RenderQueue(QObject* parent)
    : QObject(parent) {
    // A zero-interval timer fires in the next pass of the event loop, after what is already pending
    // there (the next network read, a key press, a paint).
    m_next.setSingleShot(true);
    m_next.setInterval(0);
    connect(&m_next, &QTimer::timeout, this, &RenderQueue::runNext);
}

void RenderQueue::request(QObject* owner, std::function<void()> render) {
    for (Entry& entry : m_pending) {
        if (entry.owner == owner) {
            entry.render = std::move(render);
            return;
        }
    }
    m_pending.append({owner, std::move(render)});
    if (!m_next.isActive())
        m_next.start();
}

void RenderQueue::cancel(QObject* owner) {
    m_pending.removeIf([owner](const Entry& entry) { return entry.owner == owner; });
}

void RenderQueue::runNext() {
    while (!m_pending.isEmpty()) {
        const Entry entry = m_pending.takeFirst();
        if (!entry.owner)
            continue; // destroyed while waiting
        entry.render();
        // Armed only now: a timer due before this render ended would fire in the same round of timers
        // (Qt activates every timer due when the round started), back to back with this one.
        if (!m_pending.isEmpty())
            m_next.start();
        return;
    }
}

} // namespace parallax
