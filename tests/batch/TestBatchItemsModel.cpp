#include "batch/BatchItemsModel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace parallax;

namespace {

QList<BatchItem> makeItems(int rows, int profiles) {
    QList<BatchItem> items;
    qint64 id = 1;
    for (int row = 0; row < rows; ++row) {
        for (int profile = 0; profile < profiles; ++profile) {
            BatchItem item;
            item.id = id++;
            item.rowIndex = row;
            item.itemId = QStringLiteral("row-%1").arg(row);
            item.profileIndex = profile;
            items.append(item);
        }
    }
    return items;
}

BatchItem finished(BatchItem item, bool ok) {
    item.state = ok ? BatchItem::State::Done : BatchItem::State::Failed;
    item.attempts = 1;
    item.answerJson = ok ? QStringLiteral(R"({"ttft_ms":120,"latency_ms":900,"usage":{"input_tokens":10,)"
                                          R"("output_tokens":20},"cost_usd":0.0001,"error":null})")
                         : QStringLiteral(R"({"error":{"type":"server","message":"boom"}})");
    return item;
}

} // namespace

class TestBatchItemsModel : public QObject {
    Q_OBJECT

private slots:
    void behavesAsAModel() {
        BatchItemsModel model({QStringLiteral("a"), QStringLiteral("b")});
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const QList<BatchItem> items = makeItems(50, 2);
        model.setItems(items);
        QCOMPARE(model.rowCount(), 100);
        QCOMPARE(model.data(model.index(3, BatchItemsModel::Profile)).toString(), QStringLiteral("b"));
        QCOMPARE(model.data(model.index(3, BatchItemsModel::State)).toString(), QStringLiteral("pending"));

        model.updateItem(finished(items.at(3), true));
        model.updateItem(finished(items.at(7), false));
        model.flush();
        QCOMPARE(model.data(model.index(3, BatchItemsModel::State)).toString(), QStringLiteral("done"));
        QCOMPARE(model.data(model.index(3, BatchItemsModel::Latency)).toLongLong(), 900);
        QCOMPARE(model.data(model.index(7, BatchItemsModel::Error)).toString(), QStringLiteral("boom"));

        model.setStateFilter(BatchItem::State::Failed);
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.databaseId(0), items.at(7).id);
        model.updateItem(finished(items.at(9), false)); // a row entering the filter
        model.flush();
        QCOMPARE(model.rowCount(), 2);
        model.setStateFilter(std::nullopt);
        QCOMPARE(model.rowCount(), 100);
    }

    void coalescesUpdatesAtScale() {
        BatchItemsModel model({QStringLiteral("only")});
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const QList<BatchItem> items = makeItems(100'000, 1);
        model.setItems(items);
        QCOMPARE(model.rowCount(), 100'000);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.setRefreshIntervalMs(50);
        for (int i = 1000; i < 3000; ++i)
            model.updateItem(finished(items.at(i), true));
        QCOMPARE(changed.size(), 0); // nothing reaches the view item by item
        QVERIFY(changed.wait(5000));
        QCOMPARE(changed.size(), 1); // one refresh for 2,000 updates
        const QModelIndex first = changed.first().at(0).value<QModelIndex>();
        const QModelIndex last = changed.first().at(1).value<QModelIndex>();
        QCOMPARE(first.row(), 1000);
        QCOMPARE(last.row(), 2999);
        QCOMPARE(model.data(model.index(2999, BatchItemsModel::State)).toString(), QStringLiteral("done"));
    }
};

QTEST_GUILESS_MAIN(TestBatchItemsModel)
#include "TestBatchItemsModel.moc"
