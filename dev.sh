#!/usr/bin/env bash
# Sets up everything massage-coach needs on a Debian or Ubuntu machine, then runs it.
#
#   ./dev.sh run [ARGS...]    set up, then start a guided session (massage-coach run ARGS)
#   ./dev.sh test [ARGS...]   set up, then lint, type-check and run the whole test suite
#   ./dev.sh bench [ARGS...]  set up (with the benchmarks' synthesisers), then run every benchmark
#   ./dev.sh setup            set up only
#
# Set-up is idempotent and quick when nothing changed: Debian packages (espeak-ng for speech,
# PortAudio for sound, sox), a virtual environment in .venv, and the project with its extras.
set -euo pipefail
cd "$(dirname "$0")"

APT_PACKAGES=(espeak-ng libportaudio2 sox python3-venv)
# Only the benchmarks need these: voices the recogniser was not tuned on (bench_voices).
BENCH_APT_PACKAGES=(flite festival festvox-kallpc16k)
VENV=.venv
PYTHON=${PYTHON:-python3}

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

install_debian_packages() {
    local missing=()
    for package in "$@"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" \
            || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if ! command -v apt-get >/dev/null; then
        say "Not a Debian/Ubuntu machine: please install ${missing[*]} yourself."
        return 0
    fi
    local sudo=()
    [ "$(id -u)" -ne 0 ] && sudo=(sudo)
    say "Installing Debian packages: ${missing[*]}"
    "${sudo[@]}" apt-get update -q
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
}

install_python_packages() {
    "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
        say "massage-coach needs Python 3.11 or newer; $PYTHON is $("$PYTHON" --version)."
        exit 1
    }
    [ -x "$VENV/bin/python" ] || { say "Creating $VENV"; "$PYTHON" -m venv "$VENV"; }
    # Reinstall only when the project's requirements changed.
    local stamp="$VENV/.installed" wanted
    wanted=$(sha256sum pyproject.toml | cut -d' ' -f1)
    if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
        say "Installing massage-coach and its dependencies into $VENV"
        "$VENV/bin/python" -m pip install -q --upgrade pip
        "$VENV/bin/python" -m pip install -q -e ".[dev]"
        echo "$wanted" > "$stamp"
    fi
}

setup() {
    install_debian_packages "${APT_PACKAGES[@]}"
    install_python_packages
}

command=${1:-run}
shift || true
case "$command" in
    setup)
        setup
        ;;
    run)
        setup
        exec "$VENV/bin/massage-coach" run "$@"
        ;;
    test)
        setup
        say "ruff check";  "$VENV/bin/ruff" check .
        say "ruff format"; "$VENV/bin/ruff" format --check .
        say "mypy";        "$VENV/bin/mypy"
        say "model check"; "$VENV/bin/massage-coach" model check
        say "pytest";      exec "$VENV/bin/pytest" "$@"
        ;;
    bench)
        setup
        install_debian_packages "${BENCH_APT_PACKAGES[@]}"
        exec "$VENV/bin/python" -m tests.benchmarks.run_all "$@"
        ;;
    *)
        echo "usage: ./dev.sh run [ARGS...] | test [PYTEST ARGS...] | bench [ARGS...] | setup" >&2
        exit 2
        ;;
esac
