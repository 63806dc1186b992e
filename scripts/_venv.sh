# Shared by scripts/run and scripts/test: makes .venv and installs Eye Contact into it.
#
# Usage (sourced): ensure_venv ""      # the app
#                  ensure_venv "test"  # the app with the test tools
#
# The install is skipped when pyproject.toml has not changed since the last one, so a second
# run starts in a second. A stamp file in .venv records what was installed.

ensure_venv() {
    local extras="$1"
    local root venv python stamp want
    root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
    venv="$root/.venv"
    python="${PYTHON:-python3}"

    if ! command -v "$python" >/dev/null 2>&1; then
        echo "Eye Contact needs Python 3.11 or newer: '$python' was not found." >&2
        return 1
    fi
    if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
        echo "Eye Contact needs Python 3.11 or newer; $("$python" --version 2>&1) was found." >&2
        return 1
    fi
    # A venv whose interpreter moved or vanished cannot be repaired in place.
    if [ -d "$venv" ] && ! "$venv/bin/python" -c '' >/dev/null 2>&1; then
        echo "Recreating $venv: its Python no longer runs."
        rm -rf "$venv"
    fi
    if [ ! -x "$venv/bin/python" ]; then
        echo "Creating $venv"
        "$python" -m venv "$venv"
    fi

    stamp="$venv/.eyecontact-installed"
    want="$("$venv/bin/python" -c \
        'import hashlib, sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest())' \
        <"$root/pyproject.toml")"
    # The test install includes the app's, so either stamp satisfies the app.
    if [ -f "$stamp" ]; then
        local have_hash have_extras
        read -r have_hash have_extras <"$stamp" || true
        if [ "$have_hash" = "$want" ] && { [ -z "$extras" ] || [ "$have_extras" = "$extras" ]; }; then
            return 0
        fi
    fi

    local target="."
    [ -n "$extras" ] && target=".[$extras]"
    echo "Installing Eye Contact into $venv (pip install -e '$target')"
    (cd "$root" && "$venv/bin/python" -m pip install --disable-pip-version-check --quiet \
        --editable "$target")
    echo "$want ${extras:-}" >"$stamp"
}
