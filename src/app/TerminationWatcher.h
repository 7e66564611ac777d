#pragma once

#include <QObject>

class QSocketNotifier;

namespace parallax {

/// Turns SIGTERM and SIGINT (a session logging out, Ctrl+C in the terminal) into a Qt signal on the
/// event loop through a self-pipe, so the window can cancel its streams, save its layout and exit 0
/// instead of dying mid-write.
class TerminationWatcher : public QObject {
    Q_OBJECT
public:
    explicit TerminationWatcher(QObject* parent = nullptr);
    ~TerminationWatcher() override;

signals:
    void terminationRequested(int signalNumber);

private:
    QSocketNotifier* m_notifier = nullptr;
};

} // namespace parallax
