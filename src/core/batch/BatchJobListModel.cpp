#include "BatchJobListModel.h"

#include <QFileInfo>
#include <QLocale>

namespace parallax {

BatchJobListModel::BatchJobListModel(QObject* parent)
    : QAbstractListModel(parent) {}

void BatchJobListModel::setJobs(QList<BatchStore::JobSummary> jobs) {
    beginResetModel();
    m_jobs = std::move(jobs);
    endResetModel();
}

int BatchJobListModel::rowOf(qint64 jobId) const {
    for (qsizetype row = 0; row < m_jobs.size(); ++row) {
        if (m_jobs.at(row).job.id == jobId)
            return static_cast<int>(row);
    }
    return -1;
}

QList<qint64> BatchJobListModel::unfinishedJobs(qint64 except) const {
    QList<qint64> ids;
    for (const BatchStore::JobSummary& summary : m_jobs) {
        if (summary.job.id != except && summary.unfinished() > 0)
            ids.append(summary.job.id);
    }
    return ids;
}

QString BatchJobListModel::describeCounts(const BatchStore::JobSummary& summary) {
    QStringList parts;
    for (BatchItem::State state :
         {BatchItem::State::Done, BatchItem::State::Failed, BatchItem::State::Cancelled,
          BatchItem::State::Running, BatchItem::State::Pending}) {
        if (const int count = summary.counts.value(state); count > 0)
            parts.append(QStringLiteral("%1 %2").arg(count).arg(BatchItem::stateName(state)));
    }
    return parts.isEmpty() ? tr("no items") : parts.join(QStringLiteral(", "));
}

QString BatchJobListModel::describe(const BatchStore::JobSummary& summary) {
    const BatchStore::Job& job = summary.job;
    return QStringList{QLocale().toString(job.createdAt.toLocalTime(), QLocale::ShortFormat),
                       QFileInfo(job.inputPath).fileName(),
                       tr("%n row(s)", nullptr, summary.rows()),
                       job.profiles.join(QStringLiteral(", ")),
                       job.settings.providerMode ? tr("provider") : tr("local"),
                       describeCounts(summary)}
        .join(QStringLiteral(" · "));
}

int BatchJobListModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_jobs.size());
}

QVariant BatchJobListModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const BatchStore::JobSummary& summary = m_jobs.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return describe(summary);
    case Qt::ToolTipRole: {
        const BatchStore::RunSettings& settings = summary.job.settings;
        QStringList lines{
            summary.job.inputPath,
            settings.providerMode      ? tr("Provider Batch API (OpenAI, Anthropic); other profiles locally")
            : settings.concurrency > 0 ? tr("Local, %n request(s) at a time", nullptr, settings.concurrency)
                                       : tr("Local"),
            settings.budgetUsd ? tr("Budget $%1").arg(*settings.budgetUsd, 0, 'f', 2)
                               : tr("No batch budget")};
        if (summary.unfinished() > 0)
            lines.append(tr("Not finished: open it to resume or cancel it"));
        return lines.join(QLatin1Char('\n'));
    }
    case JobIdRole:
        return summary.job.id;
    case UnfinishedRole:
        return summary.unfinished() > 0;
    default:
        return {};
    }
}

} // namespace parallax
