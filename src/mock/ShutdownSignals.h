#pragma once

#include <QObject>

class QSocketNotifier;

namespace parallax::mock {

/// Turns SIGTERM and SIGINT into a Qt signal (self-pipe), so the program quits through the event
/// loop and exits 0 instead of dying inside whatever it was doing.
class ShutdownSignals : public QObject {
    Q_OBJECT
public:
    explicit ShutdownSignals(QObject* parent = nullptr);
    ~ShutdownSignals() override;

    /// False when the pipe or handlers could not be set up (the default handlers stay).
    bool isActive() const { return m_notifier != nullptr; }

signals:
    void shutdownRequested(int signalNumber);

private:
    QSocketNotifier* m_notifier = nullptr;
};

} // namespace parallax::mock
