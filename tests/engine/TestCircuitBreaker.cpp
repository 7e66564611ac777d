#include "engine/CircuitBreaker.h"

#include <QJsonObject>
#include <QTest>

using namespace parallax;

using State = CircuitBreaker::State;

namespace {

const QString kEndpoint = QStringLiteral("https://api.example.com:443");
const QString kOther = QStringLiteral("https://other.example.com:443");

CircuitBreaker breaker(int threshold, qint64 cooldownMs) {
    CircuitBreaker result;
    result.failureThreshold = threshold;
    result.cooldownMs = cooldownMs;
    return result;
}

void fail(CircuitBreaker& breaker, const QString& endpoint, int times, qint64 nowMs) {
    for (int i = 0; i < times; ++i)
        breaker.recordFailure(endpoint, nowMs);
}

} // namespace

class TestCircuitBreaker : public QObject {
    Q_OBJECT

private slots:
    void defaults();
    void unknownEndpointIsClosed();
    void opensAfterThreshold_data();
    void opensAfterThreshold();
    void openRefusesUntilCooldownEnds();
    void halfOpenLetsExactlyOneProbe();
    void probeSuccessCloses();
    void unreportedProbeDoesNotBlockForever();
    void probeFailureReopens();
    void successResetsTheCount();
    void endpointsAreIndependent();
    void stateNames();
    void fromSettings_data();
    void fromSettings();
};

void TestCircuitBreaker::defaults() {
    const CircuitBreaker breaker;
    QCOMPARE(breaker.failureThreshold, 5);
    QCOMPARE(breaker.cooldownMs, qint64(30'000));
}

void TestCircuitBreaker::unknownEndpointIsClosed() {
    CircuitBreaker breaker;
    QCOMPARE(breaker.state(kEndpoint, 0), State::Closed);
    for (int i = 0; i < 10; ++i)
        QVERIFY(breaker.allowRequest(kEndpoint, i));
    QCOMPARE(breaker.state(kEndpoint, 10), State::Closed);
}

void TestCircuitBreaker::opensAfterThreshold_data() {
    QTest::addColumn<int>("threshold");
    QTest::newRow("one") << 1;
    QTest::newRow("three") << 3;
    QTest::newRow("five") << 5;
}

void TestCircuitBreaker::opensAfterThreshold() {
    QFETCH(int, threshold);
    CircuitBreaker b = breaker(threshold, 10'000);
    const qint64 now = 1'000'000;

    fail(b, kEndpoint, threshold - 1, now);
    QCOMPARE(b.state(kEndpoint, now), State::Closed);
    QVERIFY(b.allowRequest(kEndpoint, now));

    b.recordFailure(kEndpoint, now);
    QCOMPARE(b.state(kEndpoint, now), State::Open);
    QVERIFY(!b.allowRequest(kEndpoint, now));
}

void TestCircuitBreaker::openRefusesUntilCooldownEnds() {
    CircuitBreaker b = breaker(2, 10'000);
    const qint64 openedAt = 50'000;
    fail(b, kEndpoint, 2, openedAt);

    for (qint64 t : {openedAt, openedAt + 1, openedAt + 5'000, openedAt + 9'999}) {
        QCOMPARE(b.state(kEndpoint, t), State::Open);
        QVERIFY2(!b.allowRequest(kEndpoint, t), qPrintable(QString::number(t)));
    }
    QCOMPARE(b.state(kEndpoint, openedAt + 10'000), State::HalfOpen);
}

void TestCircuitBreaker::halfOpenLetsExactlyOneProbe() {
    CircuitBreaker b = breaker(2, 10'000);
    fail(b, kEndpoint, 2, 0);

    QVERIFY(b.allowRequest(kEndpoint, 10'000)); // the probe
    QCOMPARE(b.state(kEndpoint, 10'000), State::HalfOpen);
    QVERIFY(!b.allowRequest(kEndpoint, 10'000));
    QVERIFY(!b.allowRequest(kEndpoint, 10'001));
    QVERIFY(!b.allowRequest(kEndpoint, 19'999)); // still waiting for the probe's outcome, for one cool-down
    QCOMPARE(b.state(kEndpoint, 19'999), State::HalfOpen);
}

void TestCircuitBreaker::probeSuccessCloses() {
    CircuitBreaker b = breaker(2, 10'000);
    fail(b, kEndpoint, 2, 0);
    QVERIFY(b.allowRequest(kEndpoint, 12'000));
    b.recordSuccess(kEndpoint);

    QCOMPARE(b.state(kEndpoint, 12'001), State::Closed);
    QVERIFY(b.allowRequest(kEndpoint, 12'001));
    QVERIFY(b.allowRequest(kEndpoint, 12'001));
    // Closed with a fresh count: one failure below the threshold does not open it again.
    b.recordFailure(kEndpoint, 12'002);
    QCOMPARE(b.state(kEndpoint, 12'002), State::Closed);
    b.recordFailure(kEndpoint, 12'003);
    QCOMPARE(b.state(kEndpoint, 12'003), State::Open);
}

void TestCircuitBreaker::unreportedProbeDoesNotBlockForever() {
    // A probe may end without a success or failure for the endpoint: the user cancels it, the budget
    // refuses it after allowRequest, or the process loses track of it. The breaker must not wait for that
    // probe forever.
    CircuitBreaker b = breaker(2, 10'000);
    fail(b, kEndpoint, 2, 0);
    QVERIFY(b.allowRequest(kEndpoint, 10'000)); // the probe, never reported
    QVERIFY(!b.allowRequest(kEndpoint, 10'001));
    // A probe whose outcome is never reported expires after one cool-down.
    QVERIFY(b.allowRequest(kEndpoint, 10'000 + 10'000));
    QVERIFY(b.allowRequest(kEndpoint, 10'000 + 3'600'000));
}

void TestCircuitBreaker::probeFailureReopens() {
    CircuitBreaker b = breaker(3, 10'000);
    fail(b, kEndpoint, 3, 0);
    QVERIFY(b.allowRequest(kEndpoint, 10'000));
    b.recordFailure(kEndpoint, 11'000); // one failure is enough in the half-open state

    QCOMPARE(b.state(kEndpoint, 11'000), State::Open);
    QVERIFY(!b.allowRequest(kEndpoint, 11'000));
    // A new full cool-down from the probe's failure.
    QVERIFY(!b.allowRequest(kEndpoint, 20'999));
    QCOMPARE(b.state(kEndpoint, 20'999), State::Open);
    QCOMPARE(b.state(kEndpoint, 21'000), State::HalfOpen);
    QVERIFY(b.allowRequest(kEndpoint, 21'000)); // the next probe
    QVERIFY(!b.allowRequest(kEndpoint, 21'000));
}

void TestCircuitBreaker::successResetsTheCount() {
    CircuitBreaker b = breaker(3, 10'000);
    for (int round = 0; round < 5; ++round) {
        fail(b, kEndpoint, 2, round);
        b.recordSuccess(kEndpoint);
    }
    QCOMPARE(b.state(kEndpoint, 10), State::Closed);
    QVERIFY(b.allowRequest(kEndpoint, 10));
    fail(b, kEndpoint, 2, 10);
    QCOMPARE(b.state(kEndpoint, 10), State::Closed);
    b.recordFailure(kEndpoint, 10);
    QCOMPARE(b.state(kEndpoint, 10), State::Open);
}

void TestCircuitBreaker::endpointsAreIndependent() {
    CircuitBreaker b = breaker(2, 10'000);
    fail(b, kEndpoint, 2, 0);
    b.recordFailure(kOther, 0);

    QCOMPARE(b.state(kEndpoint, 0), State::Open);
    QCOMPARE(b.state(kOther, 0), State::Closed);
    QVERIFY(!b.allowRequest(kEndpoint, 0));
    QVERIFY(b.allowRequest(kOther, 0));

    // The other endpoint's success does not close this one, nor its failures add up with this one's.
    b.recordSuccess(kOther);
    QCOMPARE(b.state(kEndpoint, 1), State::Open);
    b.recordFailure(kOther, 1);
    QCOMPARE(b.state(kOther, 1), State::Closed);

    // Each half-open endpoint gets its own probe.
    fail(b, kOther, 1, 2);
    QCOMPARE(b.state(kOther, 2), State::Open);
    QVERIFY(b.allowRequest(kEndpoint, 10'002));
    QVERIFY(b.allowRequest(kOther, 10'002));
    QVERIFY(!b.allowRequest(kEndpoint, 10'002));
    QVERIFY(!b.allowRequest(kOther, 10'002));
}

void TestCircuitBreaker::stateNames() {
    QCOMPARE(CircuitBreaker::stateName(State::Closed), QStringLiteral("closed"));
    QCOMPARE(CircuitBreaker::stateName(State::Open), QStringLiteral("open"));
    QCOMPARE(CircuitBreaker::stateName(State::HalfOpen), QStringLiteral("half-open"));
}

void TestCircuitBreaker::fromSettings_data() {
    QTest::addColumn<QJsonObject>("settings");
    QTest::addColumn<int>("threshold");
    QTest::addColumn<qint64>("cooldownMs");

    QTest::newRow("empty: defaults") << QJsonObject() << 5 << qint64(30'000);
    QTest::newRow("both") << QJsonObject{{"failure_threshold", 3}, {"cooldown_seconds", 12}} << 3
                          << qint64(12'000);
    QTest::newRow("fractional cool-down") << QJsonObject{{"cooldown_seconds", 0.25}} << 5 << qint64(250);
    QTest::newRow("zero threshold becomes one")
        << QJsonObject{{"failure_threshold", 0}} << 1 << qint64(30'000);
    QTest::newRow("negative cool-down becomes zero")
        << QJsonObject{{"cooldown_seconds", -4}} << 5 << qint64(0);
    QTest::newRow("strings ignored") << QJsonObject{{"failure_threshold", "2"}, {"cooldown_seconds", "1"}}
                                     << 5 << qint64(30'000);
}

void TestCircuitBreaker::fromSettings() {
    QFETCH(QJsonObject, settings);
    QFETCH(int, threshold);
    QFETCH(qint64, cooldownMs);

    CircuitBreaker b = CircuitBreaker::fromSettings(settings);
    QCOMPARE(b.failureThreshold, threshold);
    QCOMPARE(b.cooldownMs, cooldownMs);

    // The loaded values are the ones applied.
    fail(b, kEndpoint, threshold - 1, 1'000);
    QCOMPARE(b.state(kEndpoint, 1'000), State::Closed);
    b.recordFailure(kEndpoint, 1'000);
    if (cooldownMs > 0)
        QCOMPARE(b.state(kEndpoint, 1'000 + cooldownMs - 1), State::Open);
    QCOMPARE(b.state(kEndpoint, 1'000 + cooldownMs), State::HalfOpen);
}

QTEST_GUILESS_MAIN(TestCircuitBreaker)
#include "TestCircuitBreaker.moc"
