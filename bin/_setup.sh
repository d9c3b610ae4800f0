# Shared set-up for bin/run and bin/test (sourced, not run). Idempotent and quick
# when everything is already there: each step checks before it installs.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD

export DATABASE_URL="${DATABASE_URL:-postgis://postgres@127.0.0.1:5432/deir_ez_zor}"
export SHARED_DATA_DIR="${SHARED_DATA_DIR:-$ROOT/../shared/data}"
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"

log() { printf '\033[1m==> %s\033[0m\n' "$*"; }

need_debian_packages() {
  [ "${SKIP_SYSTEM_PACKAGES:-0}" = 1 ] && return 0
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "Installing Debian packages: ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

database_is_local() {
  case "$DATABASE_URL" in *@127.0.0.1*|*@localhost*) return 0 ;; *) return 1 ;; esac
}

setup_system() {
  # The Docker image bakes its packages in; it sets SKIP_SYSTEM_PACKAGES=1.
  [ "${SKIP_SYSTEM_PACKAGES:-0}" = 1 ] && return 0
  local pkgs=(gdal-bin)
  python3 -c "import ensurepip, venv" 2>/dev/null || pkgs+=(python3-venv)
  if database_is_local; then pkgs+=(postgresql postgresql-15-postgis-3); fi
  need_debian_packages "${pkgs[@]}"
}

setup_python() {
  local stamp=.venv/.requirements.sha
  [ -x .venv/bin/python ] || { log "Creating .venv"; python3 -m venv .venv; }
  if [ "$(sha256sum requirements.txt | cut -d' ' -f1)" != "$(cat "$stamp" 2>/dev/null)" ]; then
    log "Installing Python packages (requirements.txt)"
    .venv/bin/pip install -q --disable-pip-version-check -r requirements.txt
    sha256sum requirements.txt | cut -d' ' -f1 > "$stamp"
  fi
}

setup_database() {
  database_is_local || return 0
  if ! pg_isready -q -h 127.0.0.1 -p 5432; then
    log "Starting PostgreSQL"
    $SUDO pg_ctlcluster --skip-systemctl-redirect 15 main start
    for _ in $(seq 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  fi
  local name="${DATABASE_URL##*/}"; name="${name%%\?*}"
  if ! psql -h 127.0.0.1 -U postgres -tAc "select 1 from pg_database where datname='$name'" | grep -q 1; then
    log "Creating database $name"
    psql -q -h 127.0.0.1 -U postgres -c "create database \"$name\""
  fi
  psql -q -h 127.0.0.1 -U postgres -d "$name" -c "create extension if not exists postgis"
}

setup_redis() {
  # Debian's redis-server on 127.0.0.1:6379 for the shared public cache (REDIS_URL) and its tests.
  # Skipped when REDIS_URL names another machine: that Redis is someone else's to run.
  case "${REDIS_URL:-redis://127.0.0.1:6379/0}" in *127.0.0.1*|*localhost*) ;; *) return 0 ;; esac
  need_debian_packages redis-server
  if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
    log "Starting redis-server"
    $SUDO redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null
    for _ in $(seq 30); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 0.2; done
  fi
}
