#!/usr/bin/env bash
# A local control plane for the README's run command (usage below).
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: hack/local-cluster.sh start|stop

A local control plane for ./run: etcd and kube-apiserver (built by hack/provision.sh) on loopback,
with a static admin token.
  start       start it, empty, unless it is running; print the path of its kubeconfig.
  stop        stop it.
  -h, --help  print this text.

State lives in $IGO_CACHE/local (default ~/.cache/image-gallery-operator/local). Ports:
IGO_LOCAL_API_PORT (default 16443) and IGO_LOCAL_ETCD_PORT (default 12379, and the next one).
EOF
}
CACHE=${IGO_CACHE:-$HOME/.cache/image-gallery-operator}
DIR="$CACHE/local"
API_PORT=${IGO_LOCAL_API_PORT:-16443}
ETCD_PORT=${IGO_LOCAL_ETCD_PORT:-12379}
KUBECONFIG_FILE="$DIR/kubeconfig"
BIN="$CACHE/bin"

log() { echo "[local-cluster] $*" >&2; }

running() { [ -f "$DIR/$1.pid" ] && kill -0 "$(cat "$DIR/$1.pid")" 2>/dev/null; }

start() {
  mkdir -p "$DIR"
  if running kube-apiserver && running etcd; then
    log "already running on https://127.0.0.1:$API_PORT"
    echo "$KUBECONFIG_FILE"
    return
  fi
  stop >/dev/null 2>&1 || true
  # A fresh cluster each start: this is a playground, and stale objects would clash with changed examples.
  rm -rf "$DIR/etcd-data"
  [ -f "$DIR/token" ] || head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$DIR/token"
  echo "$(cat "$DIR/token"),admin,admin,system:masters" > "$DIR/tokens.csv"
  [ -f "$DIR/sa.key" ] || openssl genrsa -out "$DIR/sa.key" 2048 2>/dev/null
  log "starting etcd on 127.0.0.1:$ETCD_PORT"
  "$BIN/etcd" --data-dir "$DIR/etcd-data" --listen-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" --listen-peer-urls "http://127.0.0.1:$((ETCD_PORT + 1))" \
    > "$DIR/etcd.log" 2>&1 &
  echo $! > "$DIR/etcd.pid"
  log "starting kube-apiserver on https://127.0.0.1:$API_PORT"
  "$BIN/kube-apiserver" --etcd-servers "http://127.0.0.1:$ETCD_PORT" \
    --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$API_PORT" \
    --cert-dir "$DIR/certs" --token-auth-file "$DIR/tokens.csv" --authorization-mode RBAC \
    --service-account-issuer https://kubernetes.default.svc --service-account-key-file "$DIR/sa.key" \
    --service-account-signing-key-file "$DIR/sa.key" --service-cluster-ip-range 10.0.0.0/24 \
    --disable-admission-plugins ServiceAccount > "$DIR/kube-apiserver.log" 2>&1 &
  echo $! > "$DIR/kube-apiserver.pid"
  cat > "$KUBECONFIG_FILE" <<KCFG
apiVersion: v1
kind: Config
clusters:
- name: local
  cluster:
    server: https://127.0.0.1:$API_PORT
    insecure-skip-tls-verify: true
users:
- name: admin
  user:
    token: $(cat "$DIR/token")
contexts:
- name: local
  context: {cluster: local, user: admin}
current-context: local
KCFG
  for _ in $(seq 1 120); do
    if "$BIN/kubectl" --kubeconfig "$KUBECONFIG_FILE" get --raw /readyz >/dev/null 2>&1 \
       && "$BIN/kubectl" --kubeconfig "$KUBECONFIG_FILE" get namespace default >/dev/null 2>&1; then
      log "ready ($("$BIN/kubectl" --kubeconfig "$KUBECONFIG_FILE" version -o json | grep -m1 gitVersion | tr -d ' ",'))"
      echo "$KUBECONFIG_FILE"
      return
    fi
    running kube-apiserver || { log "kube-apiserver exited; see $DIR/kube-apiserver.log"; tail -5 "$DIR/kube-apiserver.log" | cut -c1-300 >&2; exit 1; }
    sleep 1
  done
  log "kube-apiserver not ready after 120 s; see $DIR/kube-apiserver.log"
  exit 1
}

stop() {
  for p in kube-apiserver etcd; do
    if running "$p"; then
      pid=$(cat "$DIR/$p.pid")
      kill "$pid"
      # Wait for the exit, so that a start right after finds its ports free.
      for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
      kill -9 "$pid" 2>/dev/null || true
      log "stopped $p"
    fi
    rm -f "$DIR/$p.pid"
  done
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  -h|--help) usage ;;
  *) echo "usage: hack/local-cluster.sh start|stop (see --help)" >&2; exit 2 ;;
esac
