#include "HistoryModel.h"

#include <QJsonArray>
#include <QLocale>

namespace parallax {

HistoryModel::HistoryModel(QObject* parent)
    : QAbstractListModel(parent) {}

void HistoryModel::setRuns(QList<RunRecord> runs) {
    beginResetModel();
    m_runs = std::move(runs);
    endResetModel();
}

int HistoryModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_runs.size());
}

QVariant HistoryModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const RunRecord& run = m_runs.at(index.row());
    switch (role) {
    case Qt::DisplayRole: {
        QString first = run.prompt.section(QLatin1Char('\n'), 0, 0).simplified();
        if (first.size() > 60)
            first = first.left(57) + QStringLiteral("…");
        return QStringLiteral("%1  %2").arg(
            QLocale().toString(run.createdAt.toLocalTime(), QLocale::ShortFormat), first);
    }
    case Qt::ToolTipRole: {
        QStringList profiles;
        for (const QJsonValue& value : run.parameters.value(QLatin1String("profiles")).toArray())
            profiles.append(value.toString());
        return tr("%1 · %2\n%3").arg(run.command, profiles.join(QStringLiteral(", ")), run.prompt.left(500));
    }
    case PromptRole:
        return run.prompt;
    case SystemRole:
        return run.systemPrompt;
    case RequestIdRole:
        return run.requestId;
    default:
        return {};
    }
}

} // namespace parallax
