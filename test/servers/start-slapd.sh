#!/usr/bin/env bash
# start-slapd.sh DIR PORT [TLS_PORT]
#
# Adapted for this project from the reference in shared/notes/servers: also loads
# test/fixtures/ldap/domino-test.schema (so the Domino preset reads a real server) and indexes
# modifyTimestamp/entryCSN (incremental reads filter on them).
#
# Start a throwaway OpenLDAP (slapd 2.5, Debian 12) instance that lives entirely in DIR.
#   * first run in DIR: builds config (slapd.conf -> cn=config in DIR/slapd.d via slaptest),
#     an mdb database (suffix dc=example,dc=com), a self-signed CA + server cert (DIR/tls),
#     and the base entries (ou=people, ou=groups, cn=reader service account) via slapadd.
#   * later runs reuse DIR (data is kept); if slapd from DIR is already running the
#     script just prints its PID (idempotent).
#   * listens on ldap://127.0.0.1:PORT (StartTLS available) and ldaps://127.0.0.1:TLS_PORT
#     (default PORT+1; TLS_PORT=0 disables LDAPS), plus ldapi:// socket DIR/run/ldapi.
#   * prints the slapd PID on stdout (only that); everything else goes to stderr.
#   * writes DIR/env (source it): LDAP_URI LDAPS_URI LDAP_BASE LDAP_BIND_DN LDAP_BIND_PW
#     LDAP_READER_DN LDAP_READER_PW LDAPTLS_CACERT ...
#
# Schemas: core cosine inetorgperson nis misc (misc = mailLocalAddress aliases).
# Overlays: memberof (groupOfNames/member -> memberOf). Paged results, entryUUID,
# entryCSN, createTimestamp/modifyTimestamp are built in (mdb).
# Size limits (non-rootdn binds, AD-like): unpaged searches capped at 1000 entries, paged
# searches unlimited.  Override with SLAPD_SIZELIMIT="unlimited".
#
# Env overrides (only used when DIR is first initialised):
#   LDAP_SUFFIX (dc=example,dc=com)  LDAP_ADMIN_PW (secret)  LDAP_READER_PW (reader-secret)
#   SLAPD_SIZELIMIT ("size.soft=1000 size.hard=1000 size.prtotal=unlimited")
# Env at start: SLAPD_DEBUG (debug level for -d, default 0; log in DIR/slapd.log)
#
# Stop with: stop-slapd.sh DIR      Seed with: seed-ldap.sh DIR N_USERS N_GROUPS
# Needs root only for apt-get (installs slapd ldap-utils openssl if missing).
set -euo pipefail

DIR=${1:?usage: start-slapd.sh DIR PORT [TLS_PORT]}
PORT=${2:?usage: start-slapd.sh DIR PORT [TLS_PORT]}
TLS_PORT=${3:-$((PORT + 1))}
SUFFIX=${LDAP_SUFFIX:-dc=example,dc=com}
ADMIN_PW=${LDAP_ADMIN_PW:-secret}
READER_PW=${LDAP_READER_PW:-reader-secret}
HERE=$(cd "$(dirname "$0")" && pwd)
SIZELIMIT=${SLAPD_SIZELIMIT:-size.soft=1000 size.hard=1000 size.prtotal=unlimited}

TOOL_THREADS=$(nproc 2>/dev/null || echo 2); [ "$TOOL_THREADS" -gt 4 ] && TOOL_THREADS=4

log() { echo "start-slapd: $*" >&2; }

ensure_pkgs() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing: ${missing[*]}"
  # keep the package's postinst from starting a system slapd on :389 (honoured by
  # invoke-rc.d and deb-systemd-invoke); removed again afterwards.
  local prc=/usr/sbin/policy-rc.d made=0
  if [ ! -e "$prc" ]; then printf '#!/bin/sh\nexit 101\n' >"$prc"; chmod 755 "$prc"; made=1; fi
  # no default database in /var/lib/ldap, we never use it
  echo 'slapd slapd/no_configuration boolean true' | debconf-set-selections 2>/dev/null || true
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -q --no-install-recommends "${missing[@]}" >&2; then
    apt-get update -q >&2
    apt-get install -y -q --no-install-recommends "${missing[@]}" >&2 || { [ $made = 1 ] && rm -f "$prc"; return 1; }
  fi
  [ $made = 1 ] && rm -f "$prc"
  return 0
}

ensure_pkgs slapd ldap-utils openssl

mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)
PIDFILE=$DIR/run/slapd.pid

# already running?
if [ -s "$PIDFILE" ]; then
  pid=$(cat "$PIDFILE")
  if kill -0 "$pid" 2>/dev/null && grep -q slapd "/proc/$pid/comm" 2>/dev/null; then
    log "already running (pid $pid)"
    echo "$pid"
    exit 0
  fi
  rm -f "$PIDFILE"
fi

hash_pw() { slappasswd -h '{SSHA}' -s "$1"; }

init_instance() {
  log "initialising new instance in $DIR"
  rm -rf "$DIR/slapd.d" "$DIR/data" "$DIR/run"
  mkdir -p "$DIR/slapd.d" "$DIR/data" "$DIR/run" "$DIR/tls"
  chmod 700 "$DIR/data"

  # --- TLS: self-signed CA + server cert for 127.0.0.1 / localhost -------------------
  if [ ! -s "$DIR/tls/server.crt" ]; then
    (
      cd "$DIR/tls"
      openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -sha256 \
        -keyout ca.key -out ca.crt -subj "/CN=ldapprobe test CA" \
        -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
      openssl req -newkey rsa:2048 -nodes -sha256 -keyout server.key -out server.csr \
        -subj "/CN=localhost" 2>/dev/null
      # libldap checks ldaps://localhost against the machine's hostname, so include it
      hn=$(hostname 2>/dev/null || echo localhost)
      printf 'subjectAltName=DNS:localhost,DNS:%s,IP:127.0.0.1,IP:::1\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\nbasicConstraints=CA:FALSE\n' "$hn" >server.ext
      openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 3650 \
        -sha256 -extfile server.ext -out server.crt 2>/dev/null
      rm -f server.csr server.ext ca.srl
      chmod 600 ca.key server.key
    )
  fi

  local admin_hash reader_hash
  admin_hash=$(hash_pw "$ADMIN_PW")
  reader_hash=$(hash_pw "$READER_PW")

  cat >"$DIR/slapd.conf" <<EOF
# generated by start-slapd.sh -- source of DIR/slapd.d (cn=config), kept for reference
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
include /etc/ldap/schema/misc.schema
include $HERE/../fixtures/ldap/domino-test.schema

pidfile  $DIR/run/slapd.pid
argsfile $DIR/run/slapd.args

# indexer threads used by slapadd -q (bulk seeding)
tool-threads $TOOL_THREADS

modulepath /usr/lib/ldap
moduleload back_mdb
moduleload memberof

# keep multi-valued attrs sorted: fast add/delete of members in huge groups
sortvals member memberOf memberUid
# anonymous bind allowed (like AD) but anonymous users only see rootDSE + schema (ACLs below)

TLSCACertificateFile  $DIR/tls/ca.crt
TLSCertificateFile    $DIR/tls/server.crt
TLSCertificateKeyFile $DIR/tls/server.key

# rootDSE and schema readable by everyone (clients discover supportedControl etc.)
access to dn.base="" by * read
access to dn.base="cn=Subschema" by * read

database config
rootdn "cn=admin,cn=config"
rootpw $admin_hash
access to * by dn.exact="gidNumber=0+uidNumber=0,cn=peercred,cn=external,cn=auth" manage by * break

database mdb
suffix    "$SUFFIX"
rootdn    "cn=admin,$SUFFIX"
rootpw    $admin_hash
directory $DIR/data
maxsize   17179869184
# throwaway instance: no fsync
dbnosync
sizelimit $SIZELIMIT
index objectClass eq,pres
index uid,mail,cn eq,sub
index sn,givenName,mailLocalAddress eq
index member,memberOf eq
index uidNumber,gidNumber eq
index entryUUID,entryCSN,modifyTimestamp eq
access to attrs=userPassword
  by self write
  by anonymous auth
  by * none
access to *
  by self write
  by users read
  by * none

overlay memberof
memberof-group-oc groupOfNames
memberof-member-ad member
memberof-memberof-ad memberOf
memberof-refint TRUE
EOF

  local dc=${SUFFIX%%,*}; dc=${dc#dc=}
  # load base entries with slapd.conf (this creates data.mdb), then convert slapd.conf to
  # cn=config (slaptest needs an existing database unless -u, and -u skips the conversion)
  slapadd -q -f "$DIR/slapd.conf" -b "$SUFFIX" >&2 <<EOF
dn: $SUFFIX
objectClass: top
objectClass: dcObject
objectClass: organization
dc: $dc
o: Example Corp

dn: ou=people,$SUFFIX
objectClass: organizationalUnit
ou: people

dn: ou=groups,$SUFFIX
objectClass: organizationalUnit
ou: groups

dn: cn=reader,$SUFFIX
objectClass: organizationalRole
objectClass: simpleSecurityObject
cn: reader
description: read-only service account for tests
userPassword: $reader_hash
EOF
  slaptest -Q -f "$DIR/slapd.conf" -F "$DIR/slapd.d" >&2
  touch "$DIR/.initialised"
}

[ -f "$DIR/.initialised" ] && [ -d "$DIR/slapd.d/cn=config" ] || init_instance

# ldapi socket path must be URL-encoded
SOCK=$DIR/run/ldapi
SOCK_ENC=$(printf '%s' "$SOCK" | sed 's/%/%25/g; s|/|%2F|g')
URLS="ldap://127.0.0.1:$PORT/ ldapi://$SOCK_ENC"
[ "$TLS_PORT" != 0 ] && URLS="$URLS ldaps://127.0.0.1:$TLS_PORT/"

# slapd sizes its connection table from the fd limit: a huge container default
# (e.g. 1073741824) makes it allocate lots of memory / start slowly.
ulimit -n 8192 2>/dev/null || true

log "starting slapd on $URLS"
rm -f "$PIDFILE" "$SOCK"
# -d keeps slapd in the foreground (logs to DIR/slapd.log); setsid detaches it from our
# session so it survives the calling shell.
setsid slapd -h "$URLS" -F "$DIR/slapd.d" -n "slapd-$(basename "$DIR")" -d "${SLAPD_DEBUG:-0}" \
  >>"$DIR/slapd.log" 2>&1 </dev/null &

ok=0
for _ in $(seq 1 300); do
  if [ -s "$PIDFILE" ] && ldapsearch -x -LLL -H "ldap://127.0.0.1:$PORT" -s base -b "" 1.1 >/dev/null 2>&1; then
    ok=1; break
  fi
  sleep 0.1
done
if [ $ok != 1 ]; then
  log "slapd did not come up; last log lines:"; tail -20 "$DIR/slapd.log" >&2 || true
  exit 1
fi
pid=$(cat "$PIDFILE")

cat >"$DIR/env" <<EOF
# source me: generated by start-slapd.sh
export LDAP_URI=ldap://127.0.0.1:$PORT
export LDAPS_URI=$([ "$TLS_PORT" != 0 ] && echo "ldaps://127.0.0.1:$TLS_PORT")
export LDAPI_URI=ldapi://$SOCK_ENC
export LDAP_BASE='$SUFFIX'
export LDAP_BIND_DN='cn=admin,$SUFFIX'
export LDAP_BIND_PW='$ADMIN_PW'
export LDAP_READER_DN='cn=reader,$SUFFIX'
export LDAP_READER_PW='$READER_PW'
export LDAP_CONFIG_DN='cn=admin,cn=config'
export LDAPTLS_CACERT='$DIR/tls/ca.crt'
export SLAPD_PID=$pid
EOF
echo "$PORT" >"$DIR/run/port"; echo "$TLS_PORT" >"$DIR/run/tls_port"
log "up: pid $pid  (source $DIR/env for connection settings)"
echo "$pid"
