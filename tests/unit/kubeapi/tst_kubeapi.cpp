// The simulated cluster's Kubernetes API without sockets: selectors, patches, auth,
// discovery, Tables, list/watch with resourceVersions, and writes that become the
// simulator's actions (scale, rollback, set image, restart, pod deletion).
#include "backends/kubeapi/api.h"
#include "backends/kubeapi/kube_time.h"
#include "backends/kubeapi/patch.h"

#include <QtTest>

#include <set>

using namespace opsdeck;
using namespace opsdeck::kubeapi;
using nlohmann::json;

namespace {

Request req(const std::string &method, const std::string &path, std::map<std::string, std::string> query = {},
            const std::string &accept = "application/json")
{
    Request r;
    r.method = method;
    r.path = path;
    r.query = std::move(query);
    r.accept = accept;
    return r;
}

Request patch(const std::string &path, const std::string &contentType, const std::string &body,
              const std::string &token = {})
{
    Request r = req("PATCH", path);
    r.contentType = contentType;
    r.body = body;
    r.bearerToken = token;
    return r;
}

const char *kTable = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";
const char *kDeploy = "/apis/apps/v1/namespaces/chatgpt-agent/deployments/agent-orchestrator";

const sim::Deployment &primaryDeployment(const sim::Simulation &s, const std::string &name)
{
    for (const sim::Deployment &d : s.inventory().deployments)
        if (d.name == name && d.ns == "chatgpt-agent" && d.region == "us-east-1")
            return d;
    throw std::runtime_error("no deployment " + name);
}

std::string image(const json &deployment)
{
    return deployment.at("/spec/template/spec/containers/0/image"_json_pointer).get<std::string>();
}

} // namespace

class TestKubeApi : public QObject {
    Q_OBJECT

private slots:
    void labelSelectors()
    {
        const std::map<std::string, std::string> labels = {{"app", "orchestrator"}, {"tier", "web"}};
        auto match = [&](const std::string &text) {
            Result<LabelSelector> s = LabelSelector::parse(text);
            if (!s)
                throw std::runtime_error(s.error());
            return s->matches(labels);
        };
        QVERIFY(match(""));
        QVERIFY(match("app=orchestrator"));
        QVERIFY(match("app==orchestrator,tier"));
        QVERIFY(!match("app!=orchestrator"));
        QVERIFY(match("app=orchestrator,tier notin (db)"));
        QVERIFY(!match("tier in (db,cache)"));
        QVERIFY(match("!missing"));
        QVERIFY(!match("missing"));
        const Result<LabelSelector> bad = LabelSelector::parse("tier in ()");
        QVERIFY(!bad);
        QVERIFY2(bad.error().find("tier in ()") != std::string::npos, bad.error().c_str());
    }

    void fieldSelectors()
    {
        Result<FieldSelector> s = FieldSelector::parse("status.phase=Failed,metadata.name!=x", {"status.phase"});
        QVERIFY(s.ok());
        const json pod = {{"metadata", {{"name", "p"}}}, {"status", {{"phase", "Failed"}}}};
        QVERIFY(s->matches([&](const std::string &f) { return fieldValue(pod, f); }));
        const json running = {{"metadata", {{"name", "p"}}}, {"status", {{"phase", "Running"}}}};
        QVERIFY(!s->matches([&](const std::string &f) { return fieldValue(running, f); }));
        const Result<FieldSelector> bad = FieldSelector::parse("spec.bogus=1", {"status.phase"});
        QVERIFY(!bad);
        QCOMPARE(QString::fromStdString(bad.error()), QString("field label not supported: spec.bogus"));
    }

    void patches()
    {
        const json deployment = json::parse(
            "{\"metadata\":{\"annotations\":{\"a\":\"1\"}},\"spec\":{\"replicas\":3,\"template\":{\"spec\":"
            "{\"containers\":[{\"name\":\"a\",\"image\":\"a:1\"},{\"name\":\"b\",\"image\":\"b:1\"}]}}}}");
        // SMP merges containers by name and ignores $setElementOrder.
        Result<json> smp = applyPatch(deployment,
                                      "{\"spec\":{\"template\":{\"spec\":{\"$setElementOrder/containers\":[{\"name\":\"b\"}],"
                                      "\"containers\":[{\"image\":\"b:2\",\"name\":\"b\"}]}}}}",
                                      PatchType::StrategicMerge);
        QVERIFY2(smp.ok(), smp.ok() ? "" : smp.error().c_str());
        QCOMPARE(smp->at("/spec/template/spec/containers"_json_pointer).size(), std::size_t(2));
        QCOMPARE(smp->at("/spec/template/spec/containers/0/image"_json_pointer).get<std::string>(), std::string("a:1"));
        QCOMPARE(smp->at("/spec/template/spec/containers/1/image"_json_pointer).get<std::string>(), std::string("b:2"));
        Result<json> merge = applyPatch(deployment, "{\"spec\":{\"replicas\":10}}", PatchType::Merge);
        QCOMPARE(merge->at("/spec/replicas"_json_pointer).get<int>(), 10);
        Result<json> jp = applyPatch(deployment, "[{\"op\":\"replace\",\"path\":\"/metadata/annotations\",\"value\":{}}]", PatchType::Json);
        QVERIFY(jp.ok());
        QVERIFY(jp->at("/metadata/annotations"_json_pointer).empty());
        QVERIFY(!applyPatch(deployment, "[{\"op\":\"replace\",\"path\":\"/nope/x\",\"value\":1}]", PatchType::Json));
        QVERIFY(!applyPatch(deployment, "{not json", PatchType::Merge));
        QVERIFY(!patchTypeFromContentType("text/plain"));
    }

    void tokenFile()
    {
        Result<Authorizer> auth = Authorizer::fromText("# comment\nt1,alice,1,\"opsdeck:operators,x\"\nt2,bob,2,opsdeck:viewers\n", "tokens.csv");
        QVERIFY2(auth.ok(), auth.ok() ? "" : auth.error().c_str());
        QVERIFY(auth->authenticate("t1").has_value());
        QVERIFY(auth->mayMutate(*auth->authenticate("t1")));
        QCOMPARE(auth->authenticate("t1")->groups.size(), std::size_t(2));
        QVERIFY(!auth->mayMutate(*auth->authenticate("t2")));
        QVERIFY(!auth->authenticate("nope"));
        const Result<Authorizer> bad = Authorizer::fromText("t1,alice,1\nonlytoken\n", "tokens.csv");
        QVERIFY(!bad);
        QVERIFY2(bad.error().rfind("tokens.csv:2: ", 0) == 0, bad.error().c_str());
        QVERIFY(!Authorizer::fromText("t,a,1,\"unterminated\n", "f"));
    }

    void humanDurations()
    {
        QCOMPARE(humanDuration(45'000), std::string("45s"));
        QCOMPARE(humanDuration(192'000), std::string("3m12s"));
        QCOMPARE(humanDuration(47LL * 3600'000), std::string("47h"));
        QCOMPARE(humanDuration(5LL * 86400'000), std::string("5d"));
        QCOMPARE(rfc3339(1752969600000), std::string("2025-07-20T00:00:00Z"));
        QCOMPARE(parseRfc3339("2025-07-20T00:00:00Z"), std::int64_t(1752969600000));
    }

    void discovery()
    {
        sim::Simulation simulation(sim::SimConfig{});
        KubeApi api(simulation, Authorizer());
        const Response agg = api.handle(req("GET", "/apis", {}, "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json"));
        QCOMPARE(agg.status, 200);
        QCOMPARE(agg.contentType, std::string(kAggregatedDiscoveryContentType));
        const json groups = json::parse(agg.body);
        std::set<std::string> names;
        for (const json &g : groups["items"])
            names.insert(g["metadata"]["name"].get<std::string>());
        QVERIFY(names.count("apps") && names.count("metrics.k8s.io"));
        const Response legacy = api.handle(req("GET", "/api/v1"));
        QCOMPARE(json::parse(legacy.body)["kind"].get<std::string>(), std::string("APIResourceList"));
        const Response missing = api.handle(req("GET", "/apis/batch/v1/jobs"));
        QCOMPARE(missing.status, 404);
    }

    void listsAndTables()
    {
        sim::Simulation simulation(sim::SimConfig{});
        simulation.advance(60'000);
        KubeApi api(simulation, Authorizer());
        int orchestrators = 0;
        for (const sim::Pod &p : simulation.inventory().pods)
            orchestrators += p.ns == "chatgpt-agent" && p.region == "us-east-1" && p.labels.at("app") == "orchestrator";
        QVERIFY(orchestrators > 0);
        const Response table = api.handle(req("GET", "/api/v1/namespaces/chatgpt-agent/pods", {{"labelSelector", "app=orchestrator"}, {"limit", "500"}}, kTable));
        QCOMPARE(table.status, 200);
        const json t = json::parse(table.body);
        QCOMPARE(t["kind"].get<std::string>(), std::string("Table"));
        QCOMPARE(static_cast<int>(t["rows"].size()), orchestrators);
        QCOMPARE(t["columnDefinitions"][5]["priority"].get<int>(), 1);
        QCOMPARE(t["rows"][0]["object"]["metadata"]["namespace"].get<std::string>(), std::string("chatgpt-agent"));
        // Every region's pods, paginated: the pages add up to the whole list.
        const Response all = api.handle(req("GET", "/api/v1/pods"));
        const json whole = json::parse(all.body);
        QCOMPARE(whole["items"].size(), simulation.inventory().pods.size());
        std::size_t paged = 0;
        std::string next;
        int pages = 0;
        do {
            std::map<std::string, std::string> q = {{"limit", "7"}};
            if (!next.empty())
                q["continue"] = next;
            const json page = json::parse(api.handle(req("GET", "/api/v1/pods", q)).body);
            paged += page["items"].size();
            next = page["metadata"].value("continue", "");
            ++pages;
        } while (!next.empty() && pages < 1000);
        QCOMPARE(paged, whole["items"].size());
        QVERIFY(pages > 1);
        // A secondary region's namespace.
        const json west = json::parse(api.handle(req("GET", "/apis/apps/v1/namespaces/chatgpt-agent-us-west-2/deployments")).body);
        QVERIFY(!west["items"].empty());
        QCOMPARE(west["items"][0]["metadata"]["labels"]["topology.kubernetes.io/region"].get<std::string>(), std::string("us-west-2"));
        // ReplicaSet names repeat across regions: each pod must still point at its own
        // region's ReplicaSet (kubectl describe and rollout history follow these uids).
        for (const std::string ns : {"chatgpt-agent", "chatgpt-agent-us-west-2"}) {
            const json pods = json::parse(api.handle(req("GET", "/api/v1/namespaces/" + ns + "/pods")).body);
            QVERIFY(!pods["items"].empty());
            for (const json &pod : pods["items"]) {
                const json &owner = pod["metadata"]["ownerReferences"][0];
                const Response rs = api.handle(req("GET", "/apis/apps/v1/namespaces/" + ns + "/replicasets/" + owner["name"].get<std::string>()));
                QCOMPARE(rs.status, 200);
                QCOMPARE(json::parse(rs.body)["metadata"]["uid"], owner["uid"]);
            }
        }
        // Errors are Status objects.
        const Response nf = api.handle(req("GET", "/apis/apps/v1/namespaces/chatgpt-agent/deployments/nope"));
        QCOMPARE(nf.status, 404);
        QCOMPARE(json::parse(nf.body)["message"].get<std::string>(), std::string("deployments.apps \"nope\" not found"));
        const Response badField = api.handle(req("GET", "/api/v1/pods", {{"fieldSelector", "spec.bogus=1"}}));
        QCOMPARE(badField.status, 400);
    }

    void scaleConflictAndInvalid()
    {
        sim::Simulation simulation(sim::SimConfig{});
        KubeApi api(simulation, Authorizer());
        const Response scaled = api.handle(patch(std::string(kDeploy) + "/scale", "application/merge-patch+json", "{\"spec\":{\"replicas\":17}}"));
        QCOMPARE(scaled.status, 200);
        const json scale = json::parse(scaled.body);
        QCOMPARE(scale["kind"].get<std::string>(), std::string("Scale"));
        QCOMPARE(scale["spec"]["replicas"].get<int>(), 17);
        QCOMPARE(primaryDeployment(simulation, "agent-orchestrator").replicas, 17);
        // A stale resourceVersion is a 409 conflict, and nothing changes.
        const Response stale = api.handle(patch(kDeploy, "application/merge-patch+json", "{\"metadata\":{\"resourceVersion\":\"1\"},\"spec\":{\"replicas\":4}}"));
        QCOMPARE(stale.status, 409);
        QVERIFY(json::parse(stale.body)["message"].get<std::string>().find("the object has been modified") != std::string::npos);
        QCOMPARE(primaryDeployment(simulation, "agent-orchestrator").replicas, 17);
        const Response negative = api.handle(patch(kDeploy, "application/merge-patch+json", "{\"spec\":{\"replicas\":-1}}"));
        QCOMPARE(negative.status, 422);
        QCOMPARE(json::parse(negative.body)["reason"].get<std::string>(), std::string("Invalid"));
    }

    void viewersAreForbidden()
    {
        sim::Simulation simulation(sim::SimConfig{});
        Result<Authorizer> auth = Authorizer::fromText("op,olga,1,opsdeck:operators\nview,victor,2,opsdeck:viewers\n", "t");
        KubeApi api(simulation, *auth);
        Request anonymous = req("GET", "/api/v1/pods");
        QCOMPARE(api.handle(anonymous).status, 401);
        Request read = anonymous;
        read.bearerToken = "view";
        QCOMPARE(api.handle(read).status, 200);
        const Response denied = api.handle(patch(kDeploy, "application/strategic-merge-patch+json", "{\"spec\":{\"replicas\":2}}", "view"));
        QCOMPARE(denied.status, 403);
        QCOMPARE(json::parse(denied.body)["message"].get<std::string>(),
                 std::string("deployments.apps \"agent-orchestrator\" is forbidden: User \"victor\" cannot patch resource "
                             "\"deployments\" in API group \"apps\" in the namespace \"chatgpt-agent\""));
        const Response allowed = api.handle(patch(kDeploy, "application/strategic-merge-patch+json", "{\"spec\":{\"replicas\":2}}", "op"));
        QCOMPARE(allowed.status, 200);
        Request review = req("POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews");
        review.bearerToken = "view";
        review.body = "{\"spec\":{\"resourceAttributes\":{\"verb\":\"patch\",\"resource\":\"deployments\",\"group\":\"apps\"}}}";
        QCOMPARE(json::parse(api.handle(review).body)["status"]["allowed"].get<bool>(), false);
    }

    void setImageThenUndo()
    {
        sim::Simulation simulation(sim::SimConfig{});
        KubeApi api(simulation, Authorizer());
        const json before = json::parse(api.handle(req("GET", kDeploy)).body);
        const std::string oldImage = image(before);
        const std::string body = "{\"spec\":{\"template\":{\"spec\":{\"$setElementOrder/containers\":[{\"name\":\"orchestrator\"}],"
                                 "\"containers\":[{\"image\":\"openai/chatgpt-agent:v9.9.9\",\"name\":\"orchestrator\"}]}}}}";
        const Response set = api.handle(patch(kDeploy, "application/strategic-merge-patch+json", body));
        QVERIFY2(set.status == 200, set.body.c_str());
        const json after = json::parse(set.body);
        QCOMPARE(image(after), std::string("openai/chatgpt-agent:v9.9.9"));
        QCOMPARE(primaryDeployment(simulation, "agent-orchestrator").podTemplate.containers.front().image, std::string("openai/chatgpt-agent:v9.9.9"));
        QVERIFY(after["metadata"]["generation"].get<int>() > before["metadata"]["generation"].get<int>());
        // kubectl rollout undo: a JSON patch with the previous ReplicaSet's template.
        json tpl = before["spec"]["template"];
        const json undo = json::array({{{"op", "replace"}, {"path", "/spec/template"}, {"value", tpl}},
                                       {{"op", "replace"}, {"path", "/metadata/annotations"}, {"value", {{"deployment.kubernetes.io/revision", "1"}}}}});
        const Response undone = api.handle(patch(kDeploy, "application/json-patch+json", undo.dump()));
        QVERIFY2(undone.status == 200, undone.body.c_str());
        QCOMPARE(image(json::parse(undone.body)), oldImage);
        QCOMPARE(primaryDeployment(simulation, "agent-orchestrator").podTemplate.containers.front().image, oldImage);
        // rollout history: the reused ReplicaSet carries the newest revision.
        const json sets = json::parse(api.handle(req("GET", "/apis/apps/v1/namespaces/chatgpt-agent/replicasets", {{"labelSelector", "app=orchestrator"}})).body);
        int newest = 0;
        std::string newestImage;
        for (const json &rs : sets["items"]) {
            const int rev = std::stoi(rs["metadata"]["annotations"]["deployment.kubernetes.io/revision"].get<std::string>());
            QCOMPARE(rs["metadata"]["ownerReferences"][0]["uid"], before["metadata"]["uid"]);
            if (rev > newest) {
                newest = rev;
                newestImage = image(rs);
            }
        }
        QCOMPARE(newestImage, oldImage);
        // rollout restart: a restartedAt template annotation restarts the pods.
        const int revision = primaryDeployment(simulation, "agent-orchestrator").revision;
        const Response restart = api.handle(patch(kDeploy, "application/strategic-merge-patch+json",
                                                  "{\"spec\":{\"template\":{\"metadata\":{\"annotations\":{\"kubectl.kubernetes.io/restartedAt\":\"2025-07-20T01:00:00Z\"}}}}}"));
        QCOMPARE(restart.status, 200);
        QVERIFY(primaryDeployment(simulation, "agent-orchestrator").revision > revision);
        QCOMPARE(json::parse(restart.body).at("/spec/template/metadata/annotations/kubectl.kubernetes.io~1restartedAt"_json_pointer).get<std::string>(),
                 std::string("2025-07-20T01:00:00Z"));
    }

    void deletePodAndWatch()
    {
        sim::Simulation simulation(sim::SimConfig{});
        simulation.advance(30'000);
        KubeApi api(simulation, Authorizer());
        const json list = json::parse(api.handle(req("GET", "/api/v1/namespaces/chatgpt-agent/pods")).body);
        const std::string rv = list["metadata"]["resourceVersion"].get<std::string>();
        const std::string victim = list["items"][0]["metadata"]["name"].get<std::string>();
        // A watch from the list's resourceVersion, as kubectl get -w opens it.
        Response w = api.handle(req("GET", "/api/v1/namespaces/chatgpt-agent/pods", {{"watch", "true"}, {"resourceVersion", rv}}, kTable));
        QVERIFY(w.watch.has_value());
        WatchState watch;
        watch.spec = *w.watch;
        QCOMPARE(api.pollWatch(watch), std::string());
        Request del = req("DELETE", "/api/v1/namespaces/chatgpt-agent/pods/" + victim);
        del.body = "{\"propagationPolicy\":\"Background\"}";
        QCOMPARE(api.handle(del).status, 200);
        QCOMPARE(api.handle(req("GET", "/api/v1/namespaces/chatgpt-agent/pods/" + victim)).status, 404);
        const std::string events = api.pollWatch(watch);
        QVERIFY2(events.find("\"type\":\"DELETED\"") != std::string::npos, events.c_str());
        QVERIFY(events.find(victim) != std::string::npos);
        // Tables: column definitions in the first event only.
        const json first = json::parse(events.substr(0, events.find('\n')));
        QVERIFY(first["object"]["columnDefinitions"].is_array());
        api.advance(20'000); // the ReplicaSet replaces the pod
        const std::string more = api.pollWatch(watch);
        QVERIFY2(more.find("\"type\":\"ADDED\"") != std::string::npos, more.c_str());
        const json next = json::parse(more.substr(0, more.find('\n')));
        QVERIFY(next["object"]["columnDefinitions"].is_null());
        // A field-selected watch sees only its object (kubectl rollout status).
        const Response dw = api.handle(req("GET", "/apis/apps/v1/namespaces/chatgpt-agent/deployments",
                                           {{"watch", "true"}, {"fieldSelector", "metadata.name=agent-orchestrator"},
                                            {"resourceVersion", std::to_string(api.store().resourceVersion())}}));
        WatchState dws;
        dws.spec = *dw.watch;
        QCOMPARE(api.pollWatch(dws), std::string());
        QCOMPARE(api.handle(patch(std::string(kDeploy) + "/scale", "application/merge-patch+json", "{\"spec\":{\"replicas\":12}}")).status, 200);
        const std::string modified = api.pollWatch(dws);
        QVERIFY(modified.find("\"MODIFIED\"") != std::string::npos);
        QVERIFY(modified.find("\"name\":\"model-server\"") == std::string::npos);
    }

    void virtualServiceSplitStartsCanary()
    {
        sim::Simulation simulation(sim::SimConfig{});
        KubeApi api(simulation, Authorizer());
        const std::string vs = "/apis/networking.istio.io/v1beta1/namespaces/istio-system/virtualservices/agent-routing";
        QCOMPARE(api.handle(req("GET", vs)).status, 200);
        QVERIFY(api.store().list(Res::Deployments, "chatgpt-agent-canary").empty());
        const std::string split = "{\"spec\":{\"http\":[{\"route\":[{\"destination\":{\"host\":\"agent-orchestrator-canary\"}}],\"weight\":20}]}}";
        QCOMPARE(api.handle(patch(vs, "application/strategic-merge-patch+json", split)).status, 415);
        const Response r = api.handle(patch(vs, "application/merge-patch+json", split));
        QVERIFY2(r.status == 200, r.body.c_str());
        QCOMPARE(json::parse(r.body).at("/spec/http/0/weight"_json_pointer).get<int>(), 20);
        QCOMPARE(api.store().list(Res::Deployments, "chatgpt-agent-canary").size(), std::size_t(1));
        const std::string tooMuch = "{\"spec\":{\"http\":[{\"route\":[{\"destination\":{\"host\":\"agent-orchestrator-canary\"}}],\"weight\":101}]}}";
        QCOMPARE(api.handle(patch(vs, "application/merge-patch+json", tooMuch)).status, 422);
    }

    void expiredWatchIsGone()
    {
        sim::Simulation simulation(sim::SimConfig{});
        KubeApi api(simulation, Authorizer());
        // The store starts its watch log above resourceVersion 0, so a version just below
        // the floor exists and must be answered 410 Gone; a floor of 0 would be a bug.
        QVERIFY2(api.store().oldestResumableRv() > 0, "watch log floor is 0: nothing can be expired");
        const std::string old = std::to_string(api.store().oldestResumableRv() - 1);
        const Response r = api.handle(req("GET", "/api/v1/pods", {{"watch", "1"}, {"resourceVersion", old}}));
        QCOMPARE(r.status, 410);
        QCOMPARE(json::parse(r.body)["reason"].get<std::string>(), std::string("Expired"));
    }

    void logsMetricsAndControl()
    {
        sim::Simulation simulation(sim::SimConfig{});
        simulation.advance(300'000);
        KubeApi api(simulation, Authorizer());
        std::string pod;
        for (const ObjectPtr &o : api.store().list(Res::Pods, "chatgpt-agent"))
            if (o->object["status"]["phase"] == "Running")
                pod = o->name;
        QVERIFY(!pod.empty());
        const Response log = api.handle(req("GET", "/api/v1/namespaces/chatgpt-agent/pods/" + pod + "/log", {{"sinceSeconds", "60"}}));
        QCOMPARE(log.status, 200);
        QCOMPARE(log.contentType, std::string("text/plain"));
        const auto lines = std::count(log.body.begin(), log.body.end(), '\n');
        QVERIFY2(lines >= 5 && lines <= 7, log.body.c_str()); // one line per 10 s
        const Response tail = api.handle(req("GET", "/api/v1/namespaces/chatgpt-agent/pods/" + pod + "/log", {{"tailLines", "2"}}));
        QCOMPARE(std::count(tail.body.begin(), tail.body.end(), '\n'), 2L);
        const json top = json::parse(api.handle(req("GET", "/apis/metrics.k8s.io/v1beta1/namespaces/chatgpt-agent/pods")).body);
        QCOMPARE(top["kind"].get<std::string>(), std::string("PodMetricsList"));
        QVERIFY(!top["items"].empty());
        QVERIFY(top["items"][0]["containers"][0]["usage"]["cpu"].get<std::string>().back() == 'n');
        Request fault = req("POST", "/opsdeck/v1/faults");
        fault.body = "{\"kind\":\"bad-deploy\"}";
        QCOMPARE(api.handle(fault).status, 201);
        fault.body = "{\"kind\":\"no-such-fault\"}";
        QCOMPARE(api.handle(fault).status, 400);
        Request advance = req("POST", "/opsdeck/v1/advance");
        advance.body = "{\"seconds\":120}";
        const std::int64_t before = simulation.nowMs();
        QCOMPARE(api.handle(advance).status, 200);
        QCOMPARE(simulation.nowMs(), before + 120'000);
        const json health = json::parse(api.handle(req("GET", "/opsdeck/v1/health")).body);
        QCOMPARE(health["simulatedMs"].get<std::int64_t>(), simulation.nowMs());
    }
};

QTEST_GUILESS_MAIN(TestKubeApi)
#include "tst_kubeapi.moc"
