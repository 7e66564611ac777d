#include "app/MainWindow.h"
#include "platform/SignalWatcher.h"

#include <QApplication>
#include <QIcon>

int main(int argc, char* argv[]) {
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("parallax"));
    QApplication::setOrganizationName(QStringLiteral("parallax"));
    QApplication::setApplicationVersion(QStringLiteral(PARALLAX_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("io.github.parallax.Parallax"));
    QApplication::setWindowIcon(QIcon::fromTheme(QStringLiteral("io.github.parallax.Parallax")));
    // A logout's SIGTERM closes the window like the user would: streams cancelled, layout saved, exit 0.
    // Watched from the start, so a signal during start-up is handled too (once the event loop runs).
    parallax::SignalWatcher termination;
    parallax::MainWindow window;
    QObject::connect(&termination, &parallax::SignalWatcher::interrupted, &window,
                     [&window] { window.close(); });
    window.show();
    return QApplication::exec();
}
