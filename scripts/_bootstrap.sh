# shellcheck shell=bash
# Shared helpers for scripts/test and scripts/serve; source it, don't run it.

# Repository root = parent of the scripts/ directory this file lives in.
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export DEBIAN_FRONTEND=noninteractive

log() { printf '%s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# apt_install PKG... : install Debian packages, running `apt-get update` only when needed.
apt_install() {
    [ "$#" -gt 0 ] || return 0
    if [ "$(id -u)" -ne 0 ]; then
        die "missing system packages: $* (install them with: sudo apt-get install $*)"
    fi
    command -v apt-get >/dev/null || die "missing system packages: $* and no apt-get to install them"
    log "== installing system packages: $*"
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "$@"
}

# python_venv_packages: prints the Debian packages needed for `python3 -m venv` (none if it works).
python_venv_packages() {
    if ! command -v python3 >/dev/null; then
        echo "python3 python3-venv"
    elif ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
        # Debian splits venv/ensurepip out of python3.
        echo "python3-venv"
    fi
}

# ensure_venv EXTRA : create .venv if needed and pip-install the project with EXTRA
# ("" for the base install, "dev" for the dev extra). A stamp keyed on the hash of
# pyproject.toml makes reruns skip pip; other accepted stamp kinds may follow EXTRA.
ensure_venv() {
    local extra="$1"; shift
    local kind="${extra:-base}" accepted=("${extra:-base}" "$@")
    cd "$REPO_ROOT" || return
    [ -f pyproject.toml ] || die "pyproject.toml not found in $REPO_ROOT"
    local hash; hash="$(sha256sum pyproject.toml | cut -c1-16)"

    # Check for the interpreter, not the directory: a half-created .venv has no bin/python.
    if [ ! -x .venv/bin/python ]; then
        log "== creating .venv"
        rm -rf .venv
        python3 -m venv .venv
    fi

    local k
    for k in "${accepted[@]}"; do
        if [ -e ".venv/.installed-$k-$hash" ]; then return 0; fi
    done

    log "== pip install -e '.${extra:+[$extra]}'"
    .venv/bin/python -m pip install --disable-pip-version-check --progress-bar off \
        -e ".${extra:+[$extra]}"
    rm -f .venv/.installed-"$kind"-*
    touch ".venv/.installed-$kind-$hash"
}
