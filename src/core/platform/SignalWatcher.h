#pragma once

#include <QObject>

class QSocketNotifier;

namespace parallax {

/// Turns SIGINT and SIGTERM into a Qt signal on the event loop (a self-pipe), so an interrupted command
/// can cancel its requests and still print what it has, and the window (a session logging out) can cancel
/// its streams, save its layout and exit 0, instead of dying mid-write. One per process.
class SignalWatcher : public QObject {
    Q_OBJECT
public:
    explicit SignalWatcher(QObject* parent = nullptr);
    ~SignalWatcher() override;

signals:
    void interrupted(int signalNumber);

private:
    QSocketNotifier* m_notifier = nullptr;
};

} // namespace parallax
