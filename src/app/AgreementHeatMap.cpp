#include "AgreementHeatMap.h"

#include "app/ColumnPalette.h"

#include <QHelpEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>

namespace parallax {

AgreementHeatMap::AgreementHeatMap(QWidget* parent)
    : QWidget(parent) {
    setObjectName(QStringLiteral("agreementHeatMap"));
    setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    setWhatsThis(tr("How much the answers agree: the cosine similarity of their word counts, computed on "
                    "this machine. 1 means the same words in the same proportions, 0 no word in common."));
}

void AgreementHeatMap::setMatrix(const QStringList& profiles, const Matrix& matrix) {
    m_profiles = profiles;
    m_matrix = matrix;
    updateGeometry();
    update();
}

void AgreementHeatMap::clear() {
    setMatrix({}, {});
}

std::optional<double> AgreementHeatMap::value(int row, int column) const {
    return m_matrix.value(row).value(column);
}

QRect AgreementHeatMap::cellRect(int row, int column) const {
    return QRect(stripSize + 1 + column * cellSize, stripSize + 1 + row * cellSize, cellSize, cellSize);
}

QSize AgreementHeatMap::sizeHint() const {
    const int side = stripSize + 1 + dimension() * cellSize;
    return {side, side};
}

QColor AgreementHeatMap::colourFor(std::optional<double> value) const {
    if (!value)
        return palette().color(QPalette::Mid);
    const QColor low = palette().color(QPalette::Base);
    const QColor high(0x1e, 0x6f, 0xd9);
    const double t = std::clamp(*value, 0.0, 1.0);
    return QColor::fromRgbF(float(low.redF() + (high.redF() - low.redF()) * t),
                            float(low.greenF() + (high.greenF() - low.greenF()) * t),
                            float(low.blueF() + (high.blueF() - low.blueF()) * t));
}

std::optional<QPoint> AgreementHeatMap::cellAt(const QPoint& point) const {
    for (int row = 0; row < dimension(); ++row) {
        for (int column = 0; column < dimension(); ++column) {
            if (cellRect(row, column).contains(point))
                return QPoint(column, row);
        }
    }
    return std::nullopt;
}

QString AgreementHeatMap::toolTipAt(const QPoint& point) const {
    const std::optional<QPoint> cell = cellAt(point);
    if (!cell)
        return {};
    const std::optional<double> agreement = value(cell->y(), cell->x());
    const QString pair = tr("%1 ↔ %2").arg(m_profiles.at(cell->y()), m_profiles.at(cell->x()));
    if (!agreement)
        return tr("%1: no value (an answer failed)").arg(pair);
    return tr("%1: agreement %2").arg(pair).arg(*agreement, 0, 'f', 2);
}

bool AgreementHeatMap::event(QEvent* event) {
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const std::optional<QPoint> cell = cellAt(help->pos());
        if (!cell)
            QToolTip::hideText();
        else // tied to the cell, so moving to the next cell shows that cell's tooltip
            QToolTip::showText(help->globalPos(), toolTipAt(help->pos()), this,
                               cellRect(cell->y(), cell->x()));
        return true;
    }
    return QWidget::event(event);
}

void AgreementHeatMap::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    for (int i = 0; i < dimension(); ++i) {
        const QColor colour = ColumnPalette::colour(i);
        painter.fillRect(QRect(stripSize + 1 + i * cellSize, 0, cellSize, stripSize), colour);
        painter.fillRect(QRect(0, stripSize + 1 + i * cellSize, stripSize, cellSize), colour);
    }
    for (int row = 0; row < dimension(); ++row) {
        for (int column = 0; column < dimension(); ++column) {
            const QRect cell = cellRect(row, column).adjusted(0, 0, -1, -1);
            const std::optional<double> agreement = value(row, column);
            painter.fillRect(cell, colourFor(agreement));
            if (!agreement)
                painter.fillRect(cell, QBrush(palette().color(QPalette::Dark), Qt::BDiagPattern));
        }
    }
}

} // namespace parallax
