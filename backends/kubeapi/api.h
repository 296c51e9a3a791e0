#pragma once
// The simulated cluster's Kubernetes API, without sockets: one request in, one response
// out (or a watch to keep open). `opsdeck-sim serve` puts HTTP in front of it; the unit
// tests call it directly.
//
// Reads come from the ObjectStore (sync()ed after every simulated step); writes become
// the simulator's operator actions (scale → Scale, a template going back to an older
// ReplicaSet's → Rollback, a new image → SetImage, restartedAt → Restart, DELETE pod →
// Simulation::deletePod), so their effects show in the simulation and its /metrics.
#include "auth.h"
#include "selectors.h"
#include "status.h"
#include "store.h"

#include "backends/sim/simulation.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace opsdeck::kubeapi {

struct Request {
    std::string method;                       // "GET", "PATCH", ...
    std::string path;                         // decoded path, no query
    std::map<std::string, std::string> query; // decoded ('+' is a space)
    std::string accept;
    std::string contentType;
    std::string body;
    std::string bearerToken;                  // from "Authorization: Bearer ..."
};

struct WatchSpec {
    Res res{};
    std::string ns;              // "" = every namespace
    LabelSelector labels;
    FieldSelector fields;
    std::uint64_t fromRv = 0;
    bool initialEvents = false;  // resourceVersion "" or "0": current objects as ADDED first
    bool table = false;          // Accept asked for Tables (kubectl get -w)
    bool bookmarks = false;      // allowWatchBookmarks=true
    int timeoutSeconds = 0;      // 0: until the client goes
};

struct Response {
    int status = 200;
    std::string contentType = "application/json";
    std::string body;
    std::optional<WatchSpec> watch; // set: keep the connection open and stream pollWatch()
};

// An open watch: what it has already sent.
struct WatchState {
    WatchSpec spec;
    std::uint64_t sentRv = 0;
    bool started = false;
    bool columnsSent = false;
    bool expired = false;        // sent 410 Gone: close after this
};

class KubeApi {
public:
    // speed: simulated seconds per wall second, reported by the control endpoint.
    KubeApi(sim::Simulation &simulation, Authorizer auth, double speed = 1);

    Response handle(const Request &request);
    // The newline-terminated JSON events the watch has not seen yet ("" if none).
    std::string pollWatch(WatchState &watch);
    // A BOOKMARK event at the current resourceVersion (for watches that asked for them).
    std::string bookmark(const WatchState &watch) const;

    // Advances the simulation and syncs the store (the server's clock calls this).
    void advance(std::int64_t ms);
    void sync() { m_store.sync(m_sim); }

    ObjectStore &store() { return m_store; }
    sim::Simulation &simulation() { return m_sim; }
    const Authorizer &authorizer() const { return m_auth; }
    double speed() const { return m_speed; }
    void setSpeed(double speed) { m_speed = speed; }
    std::int64_t nowEpochMs() const { return m_sim.epochMs(); }

private:
    struct Target { // a parsed resource path
        const ResourceInfo *info = nullptr;
        std::string ns, name, sub;
    };
    Response dispatch(const Request &request, const User &user);
    Response handleResource(const Request &request, const User &user, const Target &target);
    Response get(const Request &request, const Target &target);
    Response list(const Request &request, const Target &target);
    Response patchDeployment(const Request &request, const User &user, const Target &target);
    Response putScale(const Request &request, const User &user, const Target &target);
    Response deletePod(const Request &request, const User &user, const Target &target);
    Result<ObjectPtr> changeDeployment(const std::string &ns, const std::string &name, const nlohmann::json &before,
                                       const nlohmann::json &after, const User &user, ApiError &error);
    Response podLog(const Request &request, const Target &target);
    Response metricsApi(const Request &request, const std::string &path);
    Response accessReview(const Request &request, const User &user);
    Response control(const Request &request, const User &user);
    Response virtualServices(const Request &request, const User &user);

    sim::Simulation &m_sim;
    Authorizer m_auth;
    double m_speed = 1;
    ObjectStore m_store;
    nlohmann::json m_virtualService; // istio-system/agent-routing (api_istio.cpp)
};

Response errorResponse(const ApiError &error);
Response jsonResponse(const nlohmann::json &body, int status = 200);

} // namespace opsdeck::kubeapi
