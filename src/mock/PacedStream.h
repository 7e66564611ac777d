#pragma once

#include <QObject>

namespace parallax::mock {

/// A response written over time and driven by the StreamScheduler.
class PacedStream : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;

    /// Writes whatever is due at `nowMs` (scheduler clock). Returns when to be called again,
    /// or -1 when the stream needs no more calls.
    virtual qint64 advance(qint64 nowMs) = 0;
};

} // namespace parallax::mock
