#include "app/MainWindow.h"

#include <QApplication>

int main(int argc, char* argv[]) {
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("parallax"));
    QApplication::setOrganizationName(QStringLiteral("parallax"));
    QApplication::setApplicationVersion(QStringLiteral(PARALLAX_VERSION));
    parallax::MainWindow window;
    window.show();
    return QApplication::exec();
}
