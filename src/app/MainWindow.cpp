#include "MainWindow.h"

#include <QAction>
#include <QCloseEvent>
#include <QLabel>
#include <QMenuBar>
#include <QSettings>
#include <QStatusBar>

namespace parallax {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent) {
    setObjectName(QStringLiteral("MainWindow"));
    setWindowTitle(QStringLiteral("Parallax"));
    auto* placeholder =
        new QLabel(tr("<h2>Parallax</h2><p>Send one prompt to several LLM providers and compare the answers "
                      "side by side.</p>"
                      "<p>The comparison view is not built yet. Meanwhile <code>parallax-cli run</code> and "
                      "<code>parallax-cli compare</code> work against real providers and the local "
                      "<code>parallax-mock</code>.</p>"),
                   this);
    placeholder->setObjectName(QStringLiteral("welcomeLabel"));
    placeholder->setAlignment(Qt::AlignCenter);
    placeholder->setWordWrap(true);
    placeholder->setMargin(32);
    setCentralWidget(placeholder);

    QMenu* fileMenu = menuBar()->addMenu(tr("&File"));
    QAction* quitAction = fileMenu->addAction(tr("&Quit"), this, &QWidget::close);
    quitAction->setShortcut(QKeySequence::Quit);
    quitAction->setObjectName(QStringLiteral("quitAction"));
    statusBar()->showMessage(tr("Ready"));

    resize(960, 640);
    restoreGeometry(QSettings().value(QStringLiteral("mainWindow/geometry")).toByteArray());
}

void MainWindow::closeEvent(QCloseEvent* event) {
    QSettings().setValue(QStringLiteral("mainWindow/geometry"), saveGeometry());
    event->accept();
}

} // namespace parallax
