#!/usr/bin/env bash
# Real kubectl against `opsdeck-sim serve`. Simulated time is paused (--speed 0) and
# moved only by POST /opsdeck/v1/advance, so every wait below is "advance, then check
# the server's state", with a bounded number of tries -- never a wall-clock guess.
set -u -o pipefail

SIM=${1:?usage: kubectl_against_serve.sh PATH/TO/opsdeck-sim}
if ! command -v kubectl >/dev/null 2>&1; then
    echo "SKIP: kubectl is not on PATH"
    exit 77
fi
for tool in curl openssl; do
    command -v "$tool" >/dev/null 2>&1 || { echo "FAIL: $tool is needed"; exit 1; }
done

WORK=$(mktemp -d /tmp/opsdeck-kubectl.XXXXXX)
SERVER_PID=
BG_PIDS=()
cleanup() {
    for pid in "${BG_PIDS[@]}"; do kill "$pid" 2>/dev/null; done
    [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT

FAILURES=0
pass() { echo "ok   - $1"; }
fail() { echo "FAIL - $1"; FAILURES=$((FAILURES + 1)); }

cat > "$WORK/tokens.csv" <<'TOKENS'
# token,user,uid,"groups"
operator-token,olga,1001,"opsdeck:operators,system:authenticated"
viewer-token,victor,1002,"opsdeck:viewers"
TOKENS

# kubectl sends bearer tokens only over TLS: a throwaway self-signed certificate for
# 127.0.0.1, which the kubeconfig then trusts as its CA.
if ! openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=opsdeck-sim" \
        -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
        -keyout "$WORK/tls.key" -out "$WORK/tls.crt" >"$WORK/openssl.log" 2>&1; then
    echo "FAIL - openssl could not make a test certificate:"; cat "$WORK/openssl.log"; exit 1
fi

# --- a non-loopback address is refused with a clear error
if "$SIM" serve --listen 0.0.0.0:0 >"$WORK/refused.out" 2>&1; then
    fail "serve --listen 0.0.0.0 must be refused"
elif grep -q "not a loopback address" "$WORK/refused.out"; then
    pass "non-loopback --listen refused: $(head -1 "$WORK/refused.out")"
else
    fail "non-loopback refusal message: $(cat "$WORK/refused.out")"
fi

"$SIM" serve --listen 127.0.0.1:0 --speed 0 --seed 7 --token-auth-file "$WORK/tokens.csv" \
    --tls-cert-file "$WORK/tls.crt" --tls-private-key-file "$WORK/tls.key" \
    >"$WORK/serve.out" 2>"$WORK/serve.err" &
SERVER_PID=$!
for _ in $(seq 1 300); do
    grep -q "listening on" "$WORK/serve.out" 2>/dev/null && break
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
done
URL=$(grep -o 'https://127.0.0.1:[0-9]*' "$WORK/serve.out" | head -1)
if [ -z "$URL" ]; then
    echo "FAIL - server did not start:"; cat "$WORK/serve.out" "$WORK/serve.err"; exit 1
fi
echo "# server at $URL"

cat > "$WORK/kubeconfig" <<KUBECONFIG
apiVersion: v1
kind: Config
clusters:
- name: drill
  cluster:
    server: $URL
    certificate-authority-data: $(base64 -w0 "$WORK/tls.crt")
users:
- name: olga
  user:
    token: operator-token
- name: victor
  user:
    token: viewer-token
contexts:
- name: operator
  context: {cluster: drill, user: olga, namespace: chatgpt-agent}
- name: viewer
  context: {cluster: drill, user: victor, namespace: chatgpt-agent}
current-context: operator
KUBECONFIG
export KUBECONFIG="$WORK/kubeconfig" KUBECACHEDIR="$WORK/cache"
cd "$WORK" || exit 1

CURL=(curl -sf --cacert "$WORK/tls.crt")
control() { # METHOD PATH [JSON]
    "${CURL[@]}" -X "$1" -H "Authorization: Bearer operator-token" -H "Content-Type: application/json" \
        ${3:+-d "$3"} "$URL/opsdeck/v1/$2"
}
advance() { control POST advance "{\"seconds\":$1}" >/dev/null; }

# run NAME CMD...: must exit 0; output in $WORK/out, stderr in $WORK/err
run() {
    local name=$1; shift
    if "$@" >"$WORK/out" 2>"$WORK/err"; then return 0; fi
    fail "$name: exit $? from: $*"; sed 's/^/      /' "$WORK/err" | head -5; return 1
}
expect_out() { # NAME EXTENDED-REGEX
    if grep -Eq -- "$2" "$WORK/out"; then pass "$1"; else fail "$1: no /$2/ in:"; head -8 "$WORK/out" | sed 's/^/      /'; fi
}
expect_err() {
    if grep -Eq -- "$2" "$WORK/err"; then pass "$1"; else fail "$1: no /$2/ in stderr:"; head -5 "$WORK/err" | sed 's/^/      /'; fi
}
# wait_until NAME SECONDS-PER-TRY TRIES CMD...: advance simulated time until CMD succeeds
wait_until() {
    local name=$1 step=$2 tries=$3; shift 3
    for _ in $(seq 1 "$tries"); do
        if "$@" >/dev/null 2>&1; then pass "$name"; return 0; fi
        advance "$step"
    done
    fail "$name (not after $tries x ${step}s simulated)"; return 1
}
jp() { kubectl get "$1" -n "${3:-chatgpt-agent}" -o "jsonpath=$2"; }
metric() { "${CURL[@]}" "$URL/metrics" | grep -E "^$1" | awk '{print $2}' | head -1; }

advance 60

# --- discovery, version, the Table format
run "api-resources" kubectl api-resources && expect_out "discovery lists deployments (apps/v1)" "^deployments +deploy +apps/v1 +true +Deployment"
run "api-versions" kubectl api-versions && expect_out "discovery lists metrics.k8s.io" "^metrics.k8s.io/v1beta1$"
run "version" kubectl version && expect_out "kubectl version reaches the server" "Server Version: v1.32"

# --- runbook: inspect the orchestrator and model servers
run "get pods -l app=orchestrator" kubectl get pods -n chatgpt-agent -l app=orchestrator &&
    expect_out "pods listed as a server-side Table" "^agent-orchestrator-[a-z0-9]+-[a-z0-9]+ +1/1 +Running +0 "
if [ "$(grep -vc '^agent-orchestrator-\|^NAME' "$WORK/out")" = 0 ]; then pass "label selector filters on the server"; else fail "other pods in -l app=orchestrator"; fi
run "get pods -l app=model-server" kubectl get pods -n chatgpt-agent -l app=model-server && expect_out "model-server pods" "^model-server-"
run "get pods -o wide" kubectl get pods -n chatgpt-agent -o wide && expect_out "-o wide adds the priority-1 columns" "NOMINATED NODE"
run "get pods -A" kubectl get pods -A && expect_out "-A shows every region's namespace" "^chatgpt-agent-us-west-2 +"
run "get deploy -o yaml" kubectl get deployment agent-orchestrator -o yaml && expect_out "-o yaml" "^kind: Deployment"
run "get nodes" kubectl get nodes && expect_out "nodes (cluster-scoped)" "^us-east-1-gpu-h200-000 +Ready"
run "describe deployment" kubectl describe deployment agent-orchestrator -n chatgpt-agent &&
    expect_out "describe deployment" "^Replicas: +[0-9]+ desired"
POD=$(kubectl get pods -n chatgpt-agent -l app=orchestrator -o jsonpath='{.items[0].metadata.name}')
run "describe pod" kubectl describe pod "$POD" -n chatgpt-agent && expect_out "describe pod" "^Controlled By: +ReplicaSet/agent-orchestrator-"
run "get pods | grep -v Running" bash -c "kubectl get pods -n chatgpt-agent | grep -v Running" && expect_out "| grep -v Running keeps the header" "^NAME +READY +STATUS"
run "get configmap -o yaml" kubectl get configmap -n chatgpt-agent -o yaml && expect_out "configmaps as yaml" "kind: ConfigMap"
kubectl get configmap -n chatgpt-agent -o yaml > "configs_backup_$(date +%Y%m%d).yaml" && pass "runbook config backup file written"
PVS=0
for pv in $(kubectl get pv -o name); do
    kubectl get "$pv" -o yaml > "pv_backup_$(basename "$pv")_$(date +%Y%m%d).yaml" && grep -q "kind: PersistentVolume" "pv_backup_$(basename "$pv")_$(date +%Y%m%d).yaml" && PVS=$((PVS + 1))
done
[ "$PVS" -gt 0 ] && pass "runbook PV backup loop saved $PVS volumes" || fail "runbook PV backup loop saved nothing"
run "top pods" kubectl top pods -n chatgpt-agent && expect_out "kubectl top pods" "^agent-orchestrator-[^ ]+ +[0-9]+m +[0-9]+Mi"

# --- runbook: bad deployment -> logs show errors -> history -> undo restores the image
GOOD_IMAGE=$(jp deployment/agent-orchestrator '{.spec.template.spec.containers[0].image}')
control POST faults '{"kind":"bad-deploy"}' >/dev/null || fail "inject bad-deploy"
BAD_IMAGE=$(jp deployment/agent-orchestrator '{.spec.template.spec.containers[0].image}')
[ "$BAD_IMAGE" != "$GOOD_IMAGE" ] && pass "bad-deploy rolled out $BAD_IMAGE over $GOOD_IMAGE" || fail "bad-deploy did not change the image"
# (into a file first: with pipefail, grep -q closing the pipe early would fail kubectl)
errors_in_logs() { kubectl logs -n chatgpt-agent -l app=orchestrator --since=1h >"$WORK/logs.out" && grep -q ERROR "$WORK/logs.out"; }
wait_until "logs -l app=orchestrator --since=1h | grep ERROR shows the failures" 60 10 errors_in_logs
run "rollout history" kubectl rollout history deployment/agent-orchestrator -n chatgpt-agent &&
    expect_out "rollout history lists revisions" "^3 +"
run "rollout undo" kubectl rollout undo deployment/agent-orchestrator -n chatgpt-agent && expect_out "rollout undo" "rolled back"
[ "$(jp deployment/agent-orchestrator '{.spec.template.spec.containers[0].image}')" = "$GOOD_IMAGE" ] &&
    pass "rollout undo restored $GOOD_IMAGE" || fail "rollout undo did not restore $GOOD_IMAGE"
# rollout status checks generation, updated, available and total replicas: wait for all.
rollout_done() { [ "$(jp "deployment/$1" '{.metadata.generation}/{.status.observedGeneration}/{.spec.replicas}/{.status.updatedReplicas}/{.status.availableReplicas}/{.status.replicas}' "${2:-chatgpt-agent}" |
    awk -F/ '$2>=$1 && $4==$3 && $5==$3 && $6==$3 {print "y"}')" = y ]; }
rolled_back() { rollout_done agent-orchestrator; }
wait_until "the undo's rollout completes in the simulation" 15 40 rolled_back
run "rollout status" kubectl rollout status deployment/agent-orchestrator -n chatgpt-agent --timeout=60s && expect_out "rollout status" "successfully rolled out"
control DELETE faults/bad-deploy >/dev/null

# --- set image, with rollout status watching while simulated time moves
run "set image" kubectl set image deployment/agent-orchestrator orchestrator=openai/chatgpt-agent:v2.15.0 -n chatgpt-agent && expect_out "set image" "image updated"
kubectl rollout status deployment/agent-orchestrator -n chatgpt-agent --timeout=120s >"$WORK/status.out" 2>&1 &
STATUS_PID=$!; BG_PIDS+=("$STATUS_PID")
status_done() { ! kill -0 "$STATUS_PID" 2>/dev/null; }
wait_until "rollout status (a watch) follows the rollout to its end" 10 60 status_done
wait "$STATUS_PID" && grep -q "successfully rolled out" "$WORK/status.out" && grep -q "Waiting for deployment" "$WORK/status.out" &&
    pass "rollout status saw progress and success" || { fail "rollout status output:"; cat "$WORK/status.out"; }
run "history after set image" kubectl rollout history deployment/agent-orchestrator -n chatgpt-agent && expect_out "set image recorded as a revision" "v2.15.0"
run "rollout restart" kubectl rollout restart deployment/agent-orchestrator -n chatgpt-agent && expect_out "rollout restart" "restarted"
[ -n "$(jp deployment/agent-orchestrator '{.spec.template.metadata.annotations.kubectl\.kubernetes\.io/restartedAt}')" ] &&
    pass "restartedAt annotation kept" || fail "restartedAt annotation lost"

# --- runbook canary procedure: route traffic (step 3) -- this starts the canary
[ -z "$(kubectl get deployments -n chatgpt-agent-canary -o name)" ] && pass "no canary before the split" || fail "a canary already runs"
CANARY_PERCENTAGE=10
run "route canary traffic (runbook VirtualService patch)" kubectl patch virtualservice agent-routing -n istio-system \
  --type merge \
  -p '{"spec":{"http":[{"match":[{"headers":{"canary":{"exact":"true"}}}],"route":[{"destination":{"host":"agent-orchestrator-canary"}}],"weight":'$CANARY_PERCENTAGE'}]}}' &&
    expect_out "virtualservice patched" "virtualservice.networking.istio.io/agent-routing patched"
[ "$(kubectl get virtualservice agent-routing -n istio-system -o 'jsonpath={.spec.http[0].weight}')" = 10 ] &&
    pass "the VirtualService keeps the weight" || fail "VirtualService weight not stored"
canary_scaled() { [ "$(jp deployment/agent-orchestrator '{.spec.replicas}' chatgpt-agent-canary)" -ge 1 ]; }
wait_until "the 10 % canary split reaches the simulation" 5 10 canary_scaled

# --- runbook canary procedure (steps 1-2) on the running canary
control POST actions '{"kind":"canary","target":"agent-orchestrator","params":{"image":"v2.15.0","percent":"5"}}' >/dev/null ||
    fail "start a canary through /opsdeck/v1/actions"
canary_ready() { rollout_done agent-orchestrator chatgpt-agent-canary; }
wait_until "the canary deployment is up" 15 40 canary_ready
VERSION=v2.15.1
run "canary set image (runbook)" kubectl set image deployment/agent-orchestrator \
  orchestrator=openai/chatgpt-agent:$VERSION \
  -n chatgpt-agent-canary && expect_out "canary image updated" "image updated"
wait_until "the canary rollout completes" 15 40 canary_ready
run "canary rollout status (runbook)" kubectl rollout status deployment/agent-orchestrator -n chatgpt-agent-canary &&
    expect_out "canary rollout status" "successfully rolled out"
[ "$(jp deployment/agent-orchestrator '{.spec.template.spec.containers[0].image}' chatgpt-agent-canary)" = "openai/chatgpt-agent:$VERSION" ] &&
    pass "canary runs $VERSION" || fail "canary image is not $VERSION"

# --- runbook: scale (verbatim lines, with and without -n) and get -w
run "scale agent-orchestrator" kubectl scale deployment/agent-orchestrator --replicas=10 -n chatgpt-agent && expect_out "scale" "scaled"
kubectl get pods -n chatgpt-agent -l app=model-server -w >"$WORK/watch.out" 2>&1 &
WATCH_PID=$!; BG_PIDS+=("$WATCH_PID")
watch_listed() { grep -q "^model-server-" "$WORK/watch.out" 2>/dev/null; }
for _ in $(seq 1 100); do watch_listed && break; sleep 0.1; done
BEFORE=$(wc -l < "$WORK/watch.out")
run "scale model-server (runbook, namespace from context)" kubectl scale deployment/model-server --replicas=7
[ "$(jp deployment/model-server '{.spec.replicas}')" = 7 ] && pass "scale changed spec.replicas" || fail "scale did not change spec.replicas"
ready7() { [ "$(jp deployment/model-server '{.status.readyReplicas}')" = 7 ]; }
wait_until "the simulation brings model-server to 7 ready" 15 40 ready7
[ "$(metric 'kube_deployment_spec_replicas\{deployment="model-server",namespace="chatgpt-agent",region="us-east-1"\}')" = 7 ] &&
    pass "/metrics shows the new replica count" || fail "/metrics kube_deployment_spec_replicas for model-server is not 7"
watch_moved() { [ "$(wc -l < "$WORK/watch.out")" -gt "$BEFORE" ]; }
wait_until "get -w streams the new pods" 5 20 watch_moved
kill "$WATCH_PID" 2>/dev/null

run "get events" kubectl get events -n chatgpt-agent && expect_out "events Table (the scaling shows)" "Normal +ScalingReplicaSet +deployment/model-server "

# --- runbook: delete Failed pods (a GPU node failure fails its pods)
control POST faults '{"kind":"gpu-failure"}' >/dev/null || fail "inject gpu-failure"
failed_pods() { [ -n "$(kubectl get pods -n chatgpt-agent --field-selector status.phase=Failed -o name)" ]; }
wait_until "a failed GPU node leaves Failed pods" 15 40 failed_pods
N_FAILED=$(kubectl get pods -n chatgpt-agent --field-selector status.phase=Failed -o name | wc -l)
run "delete pods --field-selector status.phase=Failed" kubectl delete pods -n chatgpt-agent --field-selector status.phase=Failed &&
    expect_out "delete reports each pod" "^pod \"[^\"]+\" deleted"
[ "$(grep -c ' deleted' "$WORK/out")" = "$N_FAILED" ] && pass "all $N_FAILED Failed pods deleted" || fail "deleted $(grep -c ' deleted' "$WORK/out") of $N_FAILED"
[ -z "$(kubectl get pods -n chatgpt-agent --field-selector status.phase=Failed -o name)" ] && pass "no Failed pods remain" || fail "Failed pods remain"

# --- errors as a real API server words them
if kubectl get deployment nope -n chatgpt-agent >"$WORK/out" 2>"$WORK/err"; then fail "get of a missing deployment succeeded"; else
    expect_err "404 NotFound" 'Error from server \(NotFound\): deployments.apps "nope" not found'; fi
if kubectl patch deployment model-server -n chatgpt-agent -p '{"spec":{"replicas":-1}}' >"$WORK/out" 2>"$WORK/err"; then fail "negative replicas accepted"; else
    expect_err "422 Invalid" 'is invalid: spec.replicas: Invalid value: -1'; fi
if kubectl patch deployment model-server -n chatgpt-agent --type merge -p '{"metadata":{"resourceVersion":"1"},"spec":{"replicas":6}}' >"$WORK/out" 2>"$WORK/err"; then fail "stale resourceVersion accepted"; else
    expect_err "409 Conflict" 'Error from server \(Conflict\).*the object has been modified'; fi

# --- the viewer may read but not act
run "viewer reads" kubectl --context viewer get deployments && expect_out "viewer can list" "^agent-orchestrator "
if kubectl --context viewer scale deployment/agent-orchestrator --replicas=3 >"$WORK/out" 2>"$WORK/err"; then fail "viewer could scale"; else
    expect_err "viewer gets 403 Forbidden" 'Error from server \(Forbidden\): deployments.apps "agent-orchestrator" is forbidden: User "victor" cannot patch resource "deployments/scale" in API group "apps" in the namespace "chatgpt-agent"'; fi
[ "$(jp deployment/agent-orchestrator '{.spec.replicas}')" != 3 ] && pass "the forbidden scale changed nothing" || fail "forbidden scale took effect"
kubectl --context viewer auth can-i patch deployments >"$WORK/out" 2>&1; expect_out "auth can-i for a viewer says no" "^no"
kubectl auth can-i patch deployments >"$WORK/out" 2>&1; expect_out "auth can-i for an operator says yes" "^yes"
if "${CURL[@]}" "$URL/api/v1/pods" >/dev/null; then fail "a request without a token was served"; else pass "no token: 401"; fi
"${CURL[@]}" "$URL/metrics" >"$WORK/out" && expect_out "/metrics serves the exposition format" "^# TYPE agent_requests_total counter" || fail "/metrics"

echo "# $FAILURES failure(s)"
[ "$FAILURES" = 0 ]
