#pragma once

#include <QMainWindow>

namespace parallax {

/// The main window. For now it opens, shows what Parallax is, and quits cleanly; the comparison view,
/// prompt editor and panels arrive with the desktop-app work.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);

protected:
    void closeEvent(QCloseEvent* event) override;
};

} // namespace parallax
