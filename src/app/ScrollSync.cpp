#include "ScrollSync.h"

#include <cmath>

namespace parallax {

ScrollSync::ScrollSync(QObject* parent)
    : QObject(parent) {}

void ScrollSync::setEnabled(bool enabled) {
    m_enabled = enabled;
}

void ScrollSync::setScrollBars(const QList<QScrollBar*>& bars) {
    for (const QMetaObject::Connection& connection : std::as_const(m_connections))
        disconnect(connection);
    m_connections.clear();
    m_bars.clear();
    for (QScrollBar* bar : bars) {
        m_bars.append(bar);
        // actionTriggered comes only from the reader (and before the value moves: sliderPosition() is
        // already the new place); valueChanged would also come from a column following its stream.
        m_connections.append(
            connect(bar, &QAbstractSlider::actionTriggered, this, [this, bar](int) { follow(bar); }));
    }
}

void ScrollSync::follow(QScrollBar* leader) {
    if (!m_enabled)
        return;
    const int range = leader->maximum() - leader->minimum();
    const double fraction =
        range > 0 ? double(leader->sliderPosition() - leader->minimum()) / double(range) : 0.0;
    for (const QPointer<QScrollBar>& bar : std::as_const(m_bars)) {
        if (!bar || bar == leader)
            continue;
        const int otherRange = bar->maximum() - bar->minimum();
        bar->setValue(bar->minimum() + int(std::lround(fraction * otherRange)));
    }
}

} // namespace parallax
