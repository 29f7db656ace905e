#!/usr/bin/env bash
# Makes the pgvector extension (`create extension vector`) available to this machine's
# native PostgreSQL by building it from Debian trixie's source package.
#
# Debian bookworm ships no pgvector package. Trixie's source package builds cleanly against
# PostgreSQL 15, so this script:
#   1. adds a deb-src (source only, never binaries) entry for suite `trixie`, component `main`,
#      on the Debian mirror the machine already uses, signed by the Debian archive keyring;
#   2. apt-get update; installs postgresql-server-dev-<major> (and build tools if missing),
#      refusing to upgrade any package that is already installed;
#   3. apt-get source pgvector into a temporary directory, make && make install.
#
# Idempotent: exits at once when PostgreSQL already lists `vector` in pg_available_extensions
# or its control file is installed. Must run as root (apt, make install).
#
# Environment (all optional):
#   PG_MAJOR                  PostgreSQL major version to build for (default 15)
#   PGHOST / PGPORT / PGUSER  where to ask pg_available_extensions (default 127.0.0.1 / 5432 / postgres)
#   PGVECTOR_ALLOW_UPGRADES=1 let apt upgrade installed packages while installing the build deps
#   PGVECTOR_OPTFLAGS         passed as OPTFLAGS to make (pgvector defaults to -march=native;
#                             set it to an empty string for a portable build)
set -euo pipefail

PG_MAJOR="${PG_MAJOR:-15}"
PG_CONFIG="/usr/lib/postgresql/${PG_MAJOR}/bin/pg_config"
SRC_LIST="/etc/apt/sources.list.d/heimdex-pgvector-trixie-src.sources"
KEYRING="/usr/share/keyrings/debian-archive-keyring.gpg"
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
export DEBIAN_FRONTEND=noninteractive

log() { printf '[install-pgvector] %s\n' "$*"; }
die() { printf '[install-pgvector] ERROR: %s\n' "$*" >&2; exit 1; }

control_file() {
  local sharedir="/usr/share/postgresql/${PG_MAJOR}"
  if [[ -x "$PG_CONFIG" ]]; then sharedir="$("$PG_CONFIG" --sharedir)"; fi
  printf '%s/extension/vector.control' "$sharedir"
}

# True when the running server already offers the extension, or its control file is installed.
already_installed() {
  if [[ -f "$(control_file)" ]]; then return 0; fi
  if command -v psql >/dev/null 2>&1; then
    local found
    found="$(psql -X -w -Atq -d postgres -c "select 1 from pg_available_extensions where name = 'vector'" 2>/dev/null || true)"
    [[ "$found" == "1" ]] && return 0
  fi
  return 1
}

if already_installed; then
  log "pgvector already installed ($(control_file))"
  exit 0
fi

[[ "$(id -u)" -eq 0 ]] || die "run as root (it uses apt-get and make install)"
command -v apt-get >/dev/null 2>&1 || die "apt-get not found: this script is for Debian-based machines"
[[ -f "$KEYRING" ]] || die "$KEYRING is missing (install debian-archive-keyring)"

START=$SECONDS
codename="$(. /etc/os-release && printf '%s' "${VERSION_CODENAME:-}")"
[[ -n "$codename" ]] || die "cannot read VERSION_CODENAME from /etc/os-release"

# --- 1. find the Debian mirror this machine already uses ------------------------------------
# The first `deb` entry whose suite is the release codename (e.g. bookworm), from the deb822
# *.sources files or the one-line sources.list format.
detect_mirror() {
  local f uri
  shopt -s nullglob
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ "$f" == "$SRC_LIST" ]] && continue
    uri="$(awk -v want="$codename" '
      function flush() {
        if (enabled != "no" && types ~ /(^| )deb( |$)/ && (" " suites " ") ~ (" " want " ") && uris != "") { split(uris, u, " "); print u[1]; found = 1; exit }
        types = ""; uris = ""; suites = ""; enabled = ""
      }
      /^[ \t]*#/ { next }
      /^[ \t]*$/ { flush(); next }
      tolower($1) == "types:"  { $1 = ""; types = $0 }
      tolower($1) == "uris:"   { $1 = ""; uris = $0 }
      tolower($1) == "suites:" { $1 = ""; suites = $0 }
      tolower($1) == "enabled:" { enabled = tolower($2) }
      END { if (!found) flush() }
    ' "$f")"
    if [[ -n "$uri" ]]; then printf '%s' "$uri"; return 0; fi
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -f "$f" ]] || continue
    # deb [options] URI suite components...
    uri="$(sed -E 's/\[[^]]*\]//' "$f" | awk -v want="$codename" '$1 == "deb" && $3 == want { print $2; exit }')"
    if [[ -n "$uri" ]]; then printf '%s' "$uri"; return 0; fi
  done
  return 1
}

if mirror="$(detect_mirror)"; then
  mirror="${mirror%/}"
  log "Debian mirror in use: $mirror"
else
  mirror="http://deb.debian.org/debian"
  log "no '$codename' entry found in apt's sources; using $mirror"
fi

# --- 2. deb-src entry for trixie (sources only: no trixie binaries can be installed) --------
want_entry="# Added by Heimdex scripts/install-pgvector.sh: source packages only, to build pgvector.
Types: deb-src
URIs: ${mirror}
Suites: trixie
Components: main
Signed-By: ${KEYRING}
"
if [[ -f "$SRC_LIST" ]] && [[ "$(cat "$SRC_LIST")"$'\n' == "$want_entry" ]]; then
  log "deb-src entry already present: $SRC_LIST"
else
  printf '%s' "$want_entry" >"$SRC_LIST"
  log "wrote $SRC_LIST (deb-src trixie main on $mirror)"
fi

log "apt-get update"
apt-get update -qq

# --- 3. build dependencies, without upgrading anything already installed --------------------
pkgs=()
dev_pkg="postgresql-server-dev-${PG_MAJOR}"
if dpkg-query -W -f='${Status}' "$dev_pkg" 2>/dev/null | grep -q 'install ok installed'; then
  log "$dev_pkg already installed"
else
  # Prefer the headers of exactly the installed server version when the mirror still has it.
  server_ver="$(dpkg-query -W -f='${Version}' "postgresql-${PG_MAJOR}" 2>/dev/null || true)"
  if [[ -n "$server_ver" ]] && apt-cache madison "$dev_pkg" | awk -F'|' '{gsub(/ /,"",$2); print $2}' | grep -qxF "$server_ver"; then
    pkgs+=("${dev_pkg}=${server_ver}")
  else
    pkgs+=("$dev_pkg")
  fi
fi
for p in build-essential dpkg-dev; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || pkgs+=("$p")
done

if ((${#pkgs[@]})); then
  # Simulate first: "Inst name [old-version] (new-version ...)" means an upgrade of an installed package.
  upgrades="$(apt-get install -s -y --no-install-recommends "${pkgs[@]}" | awk '/^Inst [^ ]+ \[/ { print "  " $2 " " $3 " -> " $4 }' | tr -d '[]()')"
  if [[ -n "$upgrades" && "${PGVECTOR_ALLOW_UPGRADES:-0}" != "1" ]]; then
    printf '%s\n' "$upgrades" >&2
    die "installing ${pkgs[*]} would upgrade the packages above; re-run with PGVECTOR_ALLOW_UPGRADES=1 to allow it"
  fi
  log "apt-get install ${pkgs[*]}"
  apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null
fi
[[ -x "$PG_CONFIG" ]] || die "$PG_CONFIG not found after installing $dev_pkg"

# --- 4. fetch, build and install pgvector ---------------------------------------------------
workdir="$(mktemp -d /tmp/pgvector-build.XXXXXX)"
trap 'rm -rf "$workdir"' EXIT
# Let apt's unprivileged _apt user write the download (avoids the "unsandboxed as root" warning).
if id _apt >/dev/null 2>&1; then chown _apt:root "$workdir"; chmod 0775 "$workdir"; fi

log "apt-get source pgvector/trixie (into $workdir)"
(cd "$workdir" && apt-get source -qq pgvector/trixie >/dev/null)
srcdir="$(find "$workdir" -mindepth 1 -maxdepth 1 -type d -name 'pgvector-*' | head -n1)"
[[ -n "$srcdir" ]] || die "apt-get source did not unpack a pgvector-* directory"
log "building $(basename "$srcdir") against $("$PG_CONFIG" --version)"

make_args=("PG_CONFIG=$PG_CONFIG")
if [[ -n "${PGVECTOR_OPTFLAGS+x}" ]]; then make_args+=("OPTFLAGS=$PGVECTOR_OPTFLAGS"); fi
make -C "$srcdir" -s -j"$(nproc)" "${make_args[@]}" >/dev/null
make -C "$srcdir" -s "${make_args[@]}" install >/dev/null

[[ -f "$(control_file)" ]] || die "make install finished but $(control_file) is missing"
log "installed $(control_file) ($(grep -E '^default_version' "$(control_file)" | tr -d "'" | sed 's/ *= */ /'))"

found="$(psql -X -w -Atq -d postgres -c "select default_version from pg_available_extensions where name = 'vector'" 2>/dev/null || true)"
if [[ -n "$found" ]]; then
  log "PostgreSQL on $PGHOST:$PGPORT lists vector $found in pg_available_extensions"
else
  log "could not ask PostgreSQL on $PGHOST:$PGPORT (is it running?); the files are installed"
fi
log "done in $((SECONDS - START)) s; enable it per database with: create extension if not exists vector"
