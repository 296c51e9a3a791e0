// The component map: YAML in, runbook components out. Which workload each rule claims,
// what happens to the rest (today's defaults), and bad files named by file, line and field.
#include "backends/remote/component_map.h"

#include <QTemporaryDir>
#include <QTest>

using opsdeck::remote::ComponentMap;
namespace sim = opsdeck::sim;

namespace {
ComponentMap parsed(const std::string &yaml)
{
    auto map = ComponentMap::parse(yaml, "/etc/opsdeck/map.yaml");
    if (!map)
        qFatal("%s", map.error().c_str());
    return *map;
}
sim::Deployment deployment(const std::string &ns, const std::string &name, sim::StringMap labels)
{
    sim::Deployment d;
    d.ns = ns;
    d.name = name;
    d.labels = std::move(labels);
    return d;
}
sim::Pod pod(const std::string &deployment, sim::StringMap labels)
{
    sim::Pod p;
    p.ns = "prod";
    p.name = deployment + "-abc-xyz";
    p.deployment = deployment;
    p.labels = std::move(labels);
    return p;
}
} // namespace

class TestComponentMap : public QObject {
    Q_OBJECT
private slots:
    void withoutAMapNamesAndAppLabelsDecide()
    {
        const ComponentMap none;
        QVERIFY(none.empty());
        QCOMPARE(none.componentOf(deployment("chatgpt-agent", "agent-orchestrator", {{"app", "orchestrator"}})),
                 std::string("agent-orchestrator"));
        // The app label names a component: that component, whatever the deployment is called.
        QCOMPARE(none.componentOf(deployment("prod", "vllm-70b", {{"app", "model-server"}})), std::string("model-server"));
        // Neither: its own name, as before.
        QCOMPARE(none.componentOf(deployment("prod", "redis", {{"app", "cache"}})), std::string("redis"));
        QCOMPARE(none.componentOfPod(pod("vllm-70b", {{"app", "model-server"}})), std::string("model-server"));
        QCOMPARE(none.componentOfPod(pod("redis", {{"app", "cache"}})), std::string()); // its deployment's
    }

    void rulesClaimByLabelFirstInFileOrder()
    {
        const ComponentMap map = parsed("# a cluster whose names differ from the runbook's\n"
                                        "components:\n"
                                        "  agent-orchestrator: \"app.kubernetes.io/name=orchestrator,tier in (control)\"\n"
                                        "  model-server: app=vllm\n"
                                        "  state-db: [\"app=postgres\", \"app=pgbouncer\"]\n"
                                        "  api-gateway: tier in (control, edge)\n");
        QCOMPARE(map.rules().size(), std::size_t(4));
        QCOMPARE(map.rules()[1].line, 4);
        const auto orchestrator = deployment("prod", "orch-main", {{"app.kubernetes.io/name", "orchestrator"}, {"tier", "control"}});
        QCOMPARE(map.componentOf(orchestrator), std::string("agent-orchestrator")); // before api-gateway's rule
        QCOMPARE(map.componentOf(deployment("prod", "gw", {{"tier", "edge"}})), std::string("api-gateway"));
        QCOMPARE(map.componentOf(deployment("prod", "vllm-70b", {{"app", "vllm"}})), std::string("model-server"));
        QCOMPARE(map.componentOf(deployment("prod", "pgb", {{"app", "pgbouncer"}})), std::string("state-db"));
        QCOMPARE(map.componentOfPod(pod("", {{"app", "postgres"}})), std::string("state-db")); // a StatefulSet's pod
        // Unclaimed ids keep the defaults.
        QCOMPARE(map.componentOf(deployment("prod", "safety-filter", {})), std::string("safety-filter"));
        QCOMPARE(map.componentOf(deployment("prod", "sf-v2", {{"app", "safety-filter"}})), std::string("safety-filter"));
        // A workload named like a claimed id but not selected stays apart from it.
        QCOMPARE(map.componentOf(deployment("legacy", "model-server", {{"app", "old"}})), std::string("legacy/model-server"));
        // ... and an app label naming a claimed id does not claim it either.
        QCOMPARE(map.componentOf(deployment("prod", "x", {{"app", "model-server"}})), std::string("x"));
        QVERIFY(map.summary().find("model-server <- app=vllm") != std::string::npos);
        QVERIFY(map.summary().find("state-db <- app=postgres or app=pgbouncer") != std::string::npos);
    }

    void emptyComponentsKeyMeansDefaults()
    {
        QVERIFY(parsed("components:\n").empty());
        QVERIFY(parsed("components: {}\n").empty());
    }

    void badFilesSayFileLineAndField_data()
    {
        QTest::addColumn<QString>("yaml");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("not YAML") << "components:\n  model-server: [app=vllm\n"
                                  << "/etc/opsdeck/map.yaml:3:1: not valid YAML";
        QTest::newRow("not a mapping") << "- app=vllm\n" << "map.yaml:1:1: expected a mapping with a 'components:' key";
        QTest::newRow("unknown top-level key") << "components: {}\ncomponent:\n  x: y\n"
                                               << "map.yaml:2:1: component: unknown key";
        QTest::newRow("components not a mapping") << "components: [a, b]\n"
                                                  << "map.yaml:1:13: components: expected a mapping";
        QTest::newRow("unknown component")
            << "components:\n  model-server: app=vllm\n  agent-orchestator: app=orch\n"
            << "map.yaml:3:3: components.agent-orchestator: not a runbook component (known: load-balancer, api-gateway, agent-orchestrator";
        QTest::newRow("bad selector") << "components:\n  model-server: app in (vllm\n"
                                      << "map.yaml:2:17: components.model-server: label selector \"app in (vllm\": column 13";
        QTest::newRow("bad selector in a list") << "components:\n  state-db:\n    - app=postgres\n    - app=\"x y\"\n"
                                                << "map.yaml:4:7: components.state-db: label selector";
        QTest::newRow("no selector") << "components:\n  model-server:\n" << "map.yaml:2:3: components.model-server: expected a label selector";
        QTest::newRow("empty selector") << "components:\n  model-server: \"\"\n"
                                        << "map.yaml:2:17: components.model-server: an empty selector would select every workload";
        QTest::newRow("selector not a string") << "components:\n  model-server: {app: vllm}\n"
                                               << "map.yaml:2:17: components.model-server: expected a label selector";
        QTest::newRow("given twice") << "components:\n  model-server: app=a\n  model-server: app=b\n"
                                     << "map.yaml:3:3: components.model-server: given twice";
    }
    void badFilesSayFileLineAndField()
    {
        QFETCH(QString, yaml);
        QFETCH(QString, mentions);
        auto map = ComponentMap::parse(yaml.toStdString(), "/etc/opsdeck/map.yaml");
        QVERIFY2(!map.ok(), qPrintable(yaml));
        const QString error = QString::fromStdString(map.error());
        QVERIFY2(error.startsWith(QLatin1String("component map /etc/opsdeck/map.yaml")), qPrintable(error));
        QVERIFY2(error.contains(mentions), qPrintable(error));
    }

    void loadsFromAFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("map.yaml"));
        auto missing = ComponentMap::load(path.toStdString());
        QVERIFY(!missing.ok());
        QVERIFY2(missing.error() == "component map " + path.toStdString() + ": cannot read the file", missing.error().c_str());
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("components:\n  model-server: app=vllm\n");
        file.close();
        auto map = ComponentMap::load(path.toStdString());
        QVERIFY2(map.ok(), map.ok() ? "" : map.error().c_str());
        QCOMPARE(map->rules().front().component, std::string("model-server"));
    }
};

QTEST_GUILESS_MAIN(TestComponentMap)
#include "tst_component_map.moc"
