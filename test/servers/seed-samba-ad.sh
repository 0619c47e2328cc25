#!/usr/bin/env bash
# seed-samba-ad.sh DIR N_USERS N_GROUPS
#
# Adapted for this project from the reference in shared/notes/servers (adds EXTRA_LDIF).
#
# Bulk-load N_USERS users and N_GROUPS groups (gen-ad-ldif.sh) into the Samba AD DC
# instance DIR made by start-samba-ad.sh. Writes straight into DIR/private/sam.ldb with
# `ldbadd --nosync` through Samba's full dsdb module stack (objectGUID/objectSid/
# uSNChanged/memberOf back-links/password hashes are all generated as for LDAP adds),
# in chunks of $CHUNK entries (default 500): one huge ldbadd transaction is quadratic
# (3000 users: 33 s in one transaction vs 11 s in chunks; 10k users: 418 s vs ~150 s)
# and leaves a ~750 MB tdb file behind.
# Works whether samba is running or not (the running server sees the new objects).
# Idempotent: if OU=Corp already exists the instance is thrown away and re-provisioned
# first (deleting 10k AD objects leaves tombstones and is slower than provisioning).
# Afterwards (COMPACT=1; default: only when N_USERS >= 1000) the tdb files are compacted with tdbbackup (needs a
# short samba stop/start if it is running): 10k users: 464 MB -> 247 MB, ~2.5 s.
# Env: EXTRA_LDIF=path of hand-written changetype records applied with ldbmodify after the
#      generated data (test fixtures).
#      PASSWORDS=all|K (see gen-ad-ldif.sh; passwords cost ~15-25 ms/user), CHUNK=500,
#      COMPACT=0|1, SEED, AD_USER_PW.
# Prints timings on stderr.
set -euo pipefail
DIR=${1:?usage: seed-samba-ad.sh DIR N_USERS N_GROUPS}
N=${2:?usage: seed-samba-ad.sh DIR N_USERS N_GROUPS}
G=${3:?usage: seed-samba-ad.sh DIR N_USERS N_GROUPS}
CHUNK=${CHUNK:-500}
HERE=$(cd "$(dirname "$0")" && pwd)
DIR=$(cd "$DIR" && pwd)
CONF=$DIR/etc/smb.conf
SAM=$DIR/private/sam.ldb
BASE=DC=example,DC=test
log() { echo "seed-samba-ad: $*" >&2; }
now() { date +%s.%N; }
dt() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.1f", b-a}'; }
[ -f "$CONF" ] || { log "$DIR is not provisioned (run start-samba-ad.sh $DIR first)"; exit 1; }

if ldbsearch --configfile="$CONF" -H "$SAM" -s base -b "OU=Corp,$BASE" dn 2>/dev/null | grep -q '^dn:'; then
  log "OU=Corp exists: re-provisioning $DIR for an exact reseed"
  running=0
  if [ -s "$DIR/run/samba.pid" ] && kill -0 "$(cat "$DIR/run/samba.pid")" 2>/dev/null; then running=1; fi
  ip=$(cat "$DIR/tls/ip" 2>/dev/null || echo 127.0.0.1)
  "$HERE/stop-samba-ad.sh" "$DIR"
  rm -f "$DIR/.provisioned"
  "$HERE/start-samba-ad.sh" "$DIR" "$ip" >/dev/null
  [ $running = 1 ] || "$HERE/stop-samba-ad.sh" "$DIR"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/seed-samba-ad.XXXXXX")
trap 'rm -rf "$work"' EXIT
load() {   # $1 = users|groups
  ONLY=$1 "$HERE/gen-ad-ldif.sh" "$N" "$G" |
    awk -v cs="$CHUNK" -v d="$work" -v k="$1" 'BEGIN{RS=""; ORS="\n\n"} {f=sprintf("%s/%s-%06d.ldif", d, k, int((NR-1)/cs)); print > f}'
  local f
  for f in "$work/$1"-*.ldif; do
    [ -e "$f" ] || continue
    ldbadd --nosync --configfile="$CONF" -H "$SAM" "$f" >"$work/ldbadd.out" 2>&1 ||
      { log "ldbadd failed on $f:"; tail -5 "$work/ldbadd.out" >&2; exit 1; }
    rm -f "$f"
  done
}
t0=$(now); load users; t1=$(now); load groups
if [ -n "${EXTRA_LDIF:-}" ]; then
  ldbmodify --nosync --configfile="$CONF" -H "$SAM" "$EXTRA_LDIF" >"$work/ldbmodify.out" 2>&1 ||
    { log "ldbmodify failed on $EXTRA_LDIF:"; tail -5 "$work/ldbmodify.out" >&2; exit 1; }
fi
t2=$(now)
log "users ($N, PASSWORDS=${PASSWORDS:-all}): $(dt "$t0" "$t1")s  groups ($G): $(dt "$t1" "$t2")s  total $(dt "$t0" "$t2")s"
log "sam.ldb.d size: $(du -sh "$DIR/private/sam.ldb.d" | cut -f1)"
COMPACT=${COMPACT:-$([ "$N" -ge 1000 ] && echo 1 || echo 0)}
if [ "$COMPACT" = 1 ]; then
  running=0
  if [ -s "$DIR/run/samba.pid" ] && kill -0 "$(cat "$DIR/run/samba.pid")" 2>/dev/null; then running=1; fi
  [ $running = 0 ] || "$HERE/stop-samba-ad.sh" "$DIR" 2>/dev/null
  for f in "$DIR"/private/sam.ldb.d/*.ldb; do
    # tdb only (an mdb-backed provision would need mdb_copy -c instead)
    if tdbbackup -s .compact "$f" >/dev/null 2>&1; then mv -f "$f.compact" "$f"; else rm -f "$f.compact"; fi
  done
  [ $running = 0 ] || "$HERE/start-samba-ad.sh" "$DIR" "$(cat "$DIR/tls/ip" 2>/dev/null || echo 127.0.0.1)" >/dev/null 2>&1
  log "compacted: sam.ldb.d $(du -sh "$DIR/private/sam.ldb.d" | cut -f1); total $(dt "$t0" "$(now)")s"
fi
