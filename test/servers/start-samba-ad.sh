#!/usr/bin/env bash
# start-samba-ad.sh DIR [IP]   (copied from the reference in shared/notes/servers)
#
# Start a throwaway Samba Active Directory DC (Debian 12: Samba 4.17) that lives in DIR.
#   * first run: `samba-tool domain provision` (realm EXAMPLE.TEST, NetBIOS domain EXAMPLE,
#     host dc1, DNS backend NONE, RFC2307 attributes) into DIR (~6 s), writes a self-signed
#     CA + server cert (SAN: IP, localhost, dc1.example.test) into DIR/tls, relaxes the
#     password policy (no complexity/history/age -- set AD_STRICT_PASSWORDS=1 to keep AD
#     defaults) and rewrites DIR/etc/smb.conf so that every path lives under DIR.
#   * then runs `samba -F --no-process-group` in the background, bound ONLY to IP
#     (default 127.0.0.1), waits until LDAP answers and prints the PID of the samba root
#     process on stdout (the only stdout line). Idempotent: prints the PID if running.
# Ports are FIXED by Samba (no smb.conf option changes them): LDAP 389, LDAPS 636,
# GC 3268/3269, and with the default AD_SERVICES="ldap kdc" also Kerberos 88/464.
# To run several instances side by side give each its own IP from 127.0.0.0/8: Samba only
# binds addresses that are configured on an interface, so for IP != 127.0.0.1 this script
# adds IP/32 to `lo` (ip addr add; recorded in DIR/run/ip-added, removed again by
# stop-samba-ad.sh). Needs iproute2 (installed if missing) and CAP_NET_ADMIN (root).
# Simple binds without TLS are allowed (ldap server require strong auth = no);
# StartTLS and LDAPS use DIR/tls/ca.crt (exported as LDAPTLS_CACERT in DIR/env).
# Writes DIR/env (source it): AD_URI AD_LDAPS_URI AD_BASE AD_BIND_DN AD_BIND_UPN
#   AD_BIND_PW AD_REALM AD_NETBIOS_DOMAIN LDAPTLS_CACERT SAMBA_PID SAMBA_CONF
# Env: AD_BACKEND=tdb|mdb (sam.ldb storage at provision time, default tdb)
#      AD_ADMIN_PW (default Adm1n!Passw0rd)  AD_SERVICES ("ldap kdc"; add e.g. "rpc"
#      "cldap" "drepl" if you need them)  AD_STRICT_PASSWORDS=0  SAMBA_DEBUG=0
# Stop with stop-samba-ad.sh DIR; bulk-load users/groups with seed-samba-ad.sh.
# Must run as root (Samba AD DC refuses otherwise). Installs packages if missing.
set -euo pipefail
DIR=${1:?usage: start-samba-ad.sh DIR [IP]}
IP=${2:-127.0.0.1}
ADMIN_PW=${AD_ADMIN_PW:-Adm1n!Passw0rd}
SERVICES=${AD_SERVICES:-ldap kdc}
REALM=EXAMPLE.TEST
DOMAIN=EXAMPLE
BASE=DC=example,DC=test
log() { echo "start-samba-ad: $*" >&2; }
[ "$(id -u)" = 0 ] || { log "must run as root"; exit 1; }

ensure_pkgs() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing: ${missing[*]}"
  # keep postinst scripts from starting system smbd/nmbd/samba-ad-dc/slapd services
  local prc=/usr/sbin/policy-rc.d made=0
  if [ ! -e "$prc" ]; then printf '#!/bin/sh\nexit 101\n' >"$prc"; chmod 755 "$prc"; made=1; fi
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -q --no-install-recommends "${missing[@]}" >&2; then
    apt-get update -q >&2
    apt-get install -y -q --no-install-recommends "${missing[@]}" >&2 || { [ $made = 1 ] && rm -f "$prc"; return 1; }
  fi
  [ $made = 1 ] && rm -f "$prc"
  return 0
}
ensure_pkgs samba samba-ad-provision samba-dsdb-modules samba-vfs-modules ldb-tools ldap-utils openssl tdb-tools
[ "$IP" = 127.0.0.1 ] || ensure_pkgs iproute2

mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)
CONF=$DIR/etc/smb.conf
PIDFILE=$DIR/run/samba.pid

if [ -s "$PIDFILE" ]; then
  pid=$(cat "$PIDFILE")
  if kill -0 "$pid" 2>/dev/null && grep -q samba "/proc/$pid/comm" 2>/dev/null; then
    log "already running (pid $pid)"; echo "$pid"; exit 0
  fi
  rm -f "$PIDFILE"
fi

provision() {
  log "provisioning $REALM in $DIR"
  rm -rf "$DIR/etc" "$DIR/private" "$DIR/state" "$DIR/cache" "$DIR/bind-dns" "$DIR/run" "$DIR"/*.tdb
  mkdir -p "$DIR/log" "$DIR/tls"
  samba-tool domain provision --realm="$REALM" --domain="$DOMAIN" --server-role=dc \
    --dns-backend=NONE --use-rfc2307 --host-name=dc1 --adminpass="$ADMIN_PW" \
    --backend-store="${AD_BACKEND:-tdb}" \
    --targetdir="$DIR" --option="interfaces=$IP" --option="bind interfaces only=yes" \
    >"$DIR/log/provision.log" 2>&1 || { tail -20 "$DIR/log/provision.log" >&2; exit 1; }

  # smb.conf: everything under DIR, only the services we need, TLS with our cert,
  # simple binds allowed without TLS (test only!)
  local extra
  extra=$(cat <<EOF
	server services = ${SERVICES// /, }
	ldap server require strong auth = no
	log file = $DIR/log/samba.log
	max log size = 10000
	pid directory = $DIR/run
	ncalrpc dir = $DIR/run/ncalrpc
	winbindd socket directory = $DIR/run/winbindd
	ntp signd socket directory = $DIR/run/ntp_signd
	tls enabled = yes
	tls keyfile = $DIR/tls/server.key
	tls certfile = $DIR/tls/server.crt
	tls cafile = $DIR/tls/ca.crt
	prefork children = 2
	# throwaway test instance: no fsync on ldb transactions
	ldb:nosync = true
EOF
)
  awk -v extra="$extra" '
    /^[ \t]*(server services|log file|max log size|panic action|interfaces|bind interfaces only)[ \t]*=/ { next }
    { print }
    /^\[global\]/ { print extra; print "\tinterfaces = '"$IP"'"; print "\tbind interfaces only = yes" }
  ' "$CONF" >"$CONF.new" && mv "$CONF.new" "$CONF"
  mkdir -p "$DIR/cache" "$DIR/run"

  if [ "${AD_STRICT_PASSWORDS:-0}" != 1 ]; then
    samba-tool domain passwordsettings set -s "$CONF" --complexity=off --history-length=0 \
      --min-pwd-length=0 --min-pwd-age=0 --max-pwd-age=0 >/dev/null
  fi
  touch "$DIR/.provisioned"
}

[ -f "$DIR/.provisioned" ] && [ -f "$CONF" ] || provision

# TLS material (regenerated if IP changed / missing)
if [ ! -s "$DIR/tls/server.crt" ] || [ "$(cat "$DIR/tls/ip" 2>/dev/null)" != "$IP" ]; then
  (
    cd "$DIR/tls"
    [ -s ca.crt ] || openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -sha256 \
      -keyout ca.key -out ca.crt -subj "/CN=samba-ad test CA" \
      -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -sha256 -keyout server.key -out server.csr \
      -subj "/CN=dc1.example.test" 2>/dev/null
    # libldap checks ldaps://localhost against the machine's hostname, so include it
    printf 'subjectAltName=DNS:dc1.example.test,DNS:example.test,DNS:localhost,DNS:%s,IP:%s\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n' "$(hostname 2>/dev/null || echo localhost)" "$IP" >server.ext
    openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 3650 \
      -sha256 -extfile server.ext -out server.crt 2>/dev/null
    rm -f server.csr server.ext ca.srl
    chmod 600 ca.key server.key   # samba refuses a key readable by others
    echo "$IP" >ip
  )
  sed -i "s|^\tinterfaces = .*|\tinterfaces = $IP|" "$CONF"
fi

mkdir -p "$DIR/run" "$DIR/cache" "$DIR/log"
# Not `ip … | grep -q`: under pipefail, grep's early exit can SIGPIPE ip and read as "absent".
if [ "$IP" != 127.0.0.1 ] && ! grep -q " inet $IP/" <<<"$(ip -o addr show)"; then
  case "$IP" in 127.*) ;; *) log "refusing to add non-loopback address $IP"; exit 1 ;; esac
  ip addr add "$IP/32" dev lo
  echo "$IP" >"$DIR/run/ip-added"
  log "added $IP/32 to lo"
fi

# port 389/636 on IP must be free (a system slapd listening on *:389 blocks it)
if command -v ss >/dev/null && ss -Hltn "( sport = :389 )" | awk '{print $4}' | grep -qE "^(\*|0\.0\.0\.0|\[::\]|$IP):389$"; then
  log "port 389 on $IP is already taken:"; ss -ltnp "( sport = :389 )" >&2; exit 1
fi

log "starting samba ($SERVICES) on $IP"
rm -f "$PIDFILE"
setsid samba -F --no-process-group -s "$CONF" -d "${SAMBA_DEBUG:-0}" \
  >>"$DIR/log/samba.out" 2>&1 </dev/null &
ok=0
for _ in $(seq 1 300); do
  if [ -s "$PIDFILE" ] && ldapsearch -x -LLL -H "ldap://$IP" -s base -b "" dnsHostName >/dev/null 2>&1; then ok=1; break; fi
  sleep 0.1
done
if [ $ok != 1 ]; then
  log "samba did not come up; see $DIR/log/"; tail -20 "$DIR/log/samba.out" >&2 || true; exit 1
fi
pid=$(cat "$PIDFILE")
cat >"$DIR/env" <<EOF
# source me: generated by start-samba-ad.sh
export AD_URI=ldap://$IP
export AD_LDAPS_URI=ldaps://$IP
export AD_GC_URI=ldap://$IP:3268
export AD_BASE='$BASE'
export AD_BIND_DN='CN=Administrator,CN=Users,$BASE'
export AD_BIND_UPN='Administrator@example.test'
export AD_BIND_PW='$ADMIN_PW'
export AD_REALM=$REALM
export AD_NETBIOS_DOMAIN=$DOMAIN
export LDAPTLS_CACERT='$DIR/tls/ca.crt'
export SAMBA_CONF='$CONF'
export SAMBA_PID=$pid
EOF
log "up: pid $pid (source $DIR/env)"
echo "$pid"
