#pragma once

#include <QList>
#include <QStringList>
#include <QWidget>

#include <optional>

namespace parallax {

/// The agreement matrix (engine/AgreementMatrix) as a small heat map: one cell per pair of answers,
/// darker where two answers use more of the same words, hatched where an answer failed. A strip in
/// each answer's column colour runs along the top and the left; hovering a cell names both profiles
/// and the value.
class AgreementHeatMap : public QWidget {
    Q_OBJECT
public:
    using Matrix = QList<QList<std::optional<double>>>;
    static constexpr int cellSize = 16;
    static constexpr int stripSize = 4;

    explicit AgreementHeatMap(QWidget* parent = nullptr);

    /// `profiles[i]` names row and column i; `matrix` is square with the same size.
    void setMatrix(const QStringList& profiles, const Matrix& matrix);
    void clear();

    int dimension() const { return int(m_profiles.size()); }
    const QStringList& profiles() const { return m_profiles; }
    std::optional<double> value(int row, int column) const;
    QRect cellRect(int row, int column) const;
    /// The tooltip for a point of the widget, empty outside the cells.
    QString toolTipAt(const QPoint& point) const;
    /// 0 → the window's base colour, 1 → a saturated blue; null → grey.
    QColor colourFor(std::optional<double> value) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override { return sizeHint(); }

protected:
    bool event(QEvent* event) override;
    void paintEvent(QPaintEvent* event) override;

private:
    /// The cell under a point, as (column, row).
    std::optional<QPoint> cellAt(const QPoint& point) const;

    QStringList m_profiles;
    Matrix m_matrix;
};

} // namespace parallax
