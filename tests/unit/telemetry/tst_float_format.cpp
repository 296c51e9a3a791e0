// Floats must print exactly as Go's strconv.FormatFloat(v, 'g', -1, 64), which is what
// Prometheus and client_golang emit, and parse as Go's ParseFloat accepts them.
#include "backends/telemetry/float_format.h"

#include <QtTest>

#include <bit>
#include <cmath>
#include <limits>
#include <random>

using namespace opsdeck::telemetry;

class TestFloatFormat : public QObject {
    Q_OBJECT
private slots:
    void formatsLikeGo_data()
    {
        QTest::addColumn<double>("value");
        QTest::addColumn<QString>("expected");
        // Expected strings are Go's output (fmt.Println(strconv.FormatFloat(v,'g',-1,64))).
        QTest::newRow("zero") << 0.0 << "0";
        QTest::newRow("negative zero") << -0.0 << "-0";
        QTest::newRow("one") << 1.0 << "1";
        QTest::newRow("minus one") << -1.0 << "-1";
        QTest::newRow("tenth") << 0.1 << "0.1";
        QTest::newRow("0.1+0.2") << (0.1 + 0.2) << "0.30000000000000004";
        QTest::newRow("sample sum") << 247.266 << "247.266";
        QTest::newRow("1e5 stays plain") << 100000.0 << "100000";
        QTest::newRow("999999") << 999999.0 << "999999";
        QTest::newRow("123456.7") << 123456.7 << "123456.7";
        QTest::newRow("1e6 goes exponent") << 1e6 << "1e+06";
        QTest::newRow("1234567") << 1234567.0 << "1.234567e+06";
        QTest::newRow("2^53") << 9007199254740992.0 << "9.007199254740992e+15";
        QTest::newRow("1e21") << 1e21 << "1e+21";
        QTest::newRow("1e100") << 1e100 << "1e+100";
        QTest::newRow("max") << std::numeric_limits<double>::max() << "1.7976931348623157e+308";
        QTest::newRow("0.0001 plain") << 0.0001 << "0.0001";
        QTest::newRow("0.00012345") << 0.00012345 << "0.00012345";
        QTest::newRow("1e-5 exponent") << 0.00001 << "1e-05";
        QTest::newRow("1.5e-7") << 1.5e-7 << "1.5e-07";
        QTest::newRow("denormal min") << 5e-324 << "5e-324";
        QTest::newRow("negative exp") << -2.5e-10 << "-2.5e-10";
        QTest::newRow("nan") << std::nan("") << "NaN";
        QTest::newRow("+inf") << HUGE_VAL << "+Inf";
        QTest::newRow("-inf") << -HUGE_VAL << "-Inf";
        QTest::newRow("bucket 0.005") << 0.005 << "0.005";
        QTest::newRow("12.5") << 12.5 << "12.5";
        QTest::newRow("1001.5") << 1001.5 << "1001.5";
    }
    void formatsLikeGo()
    {
        QFETCH(double, value);
        QFETCH(QString, expected);
        QCOMPARE(QString::fromStdString(formatFloat(value)), expected);
    }

    void roundTripsRandomDoubles()
    {
        std::mt19937_64 rng(42);
        for (int i = 0; i < 100000; ++i) {
            const double v = std::bit_cast<double>(rng());
            if (std::isnan(v))
                continue;
            const std::string text = formatFloat(v);
            auto back = parseFloat(text);
            QVERIFY2(back.has_value(), text.c_str());
            QVERIFY2(std::bit_cast<std::uint64_t>(*back) == std::bit_cast<std::uint64_t>(v),
                     text.c_str());
        }
    }

    void parsesGoSpellings_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<double>("expected");
        QTest::newRow("int") << "65" << 65.0;
        QTest::newRow("plus sign") << "+3.5" << 3.5;
        QTest::newRow("exp") << "1e+06" << 1e6;
        QTest::newRow("upper exp") << "2.5E-3" << 2.5e-3;
        QTest::newRow("leading dot") << ".5" << 0.5;
        QTest::newRow("trailing dot") << "5." << 5.0;
        QTest::newRow("+Inf") << "+Inf" << HUGE_VAL;
        QTest::newRow("-Inf") << "-Inf" << -HUGE_VAL;
        QTest::newRow("inf lower") << "inf" << HUGE_VAL;
        QTest::newRow("Infinity") << "Infinity" << HUGE_VAL;
        QTest::newRow("hex") << "0x1p-2" << 0.25;
        QTest::newRow("underflow to zero") << "1e-999" << 0.0;
    }
    void parsesGoSpellings()
    {
        QFETCH(QString, text);
        QFETCH(double, expected);
        auto v = parseFloat(text.toStdString());
        QVERIFY(v.has_value());
        QCOMPARE(*v, expected);
    }

    void parsesNaN()
    {
        for (const char *s : {"NaN", "nan", "NAN"}) {
            auto v = parseFloat(s);
            QVERIFY(v.has_value());
            QVERIFY(std::isnan(*v));
        }
    }

    void rejectsJunk()
    {
        for (const char *s : {"", "+", "-", "abc", "1,5", "1_000", "1e", "1.2.3", " 1", "1 ",
                              "nan(123)", "0x", "infx", "1e999", "--1"})
            QVERIFY2(!parseFloat(s).has_value(), s);
    }
};

QTEST_APPLESS_MAIN(TestFloatFormat)
#include "tst_float_format.moc"
