"""The floors declared in pyproject.toml, as exact pins for ``make test-min``.

``python .ci/min_requirements.py`` prints a pip constraints file: one
``name==floor`` line for every runtime dependency and every ``test`` extra,
read from their ``>=`` bounds, so the floors tested are the floors declared
(one source of truth). ``--python`` prints instead the path of an interpreter
of the declared minimum Python (``requires-python``), or, loudly on stderr,
this interpreter when none is found.
"""

import re
import shutil
import subprocess
import sys
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: pip vendors the same parser
    from pip._vendor import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
FLOOR = re.compile(r"^\s*([A-Za-z0-9_.-]+)\s*(?:\[[^\]]*\])?\s*>=\s*([0-9][^,;\s]*)\s*$")


def _project():
    with open(ROOT / "pyproject.toml", "rb") as handle:
        return tomllib.load(handle)["project"]


def pins(project):
    """``name==floor`` for each runtime and ``test`` requirement (extras dropped)."""
    out = {}
    for req in project["dependencies"] + project["optional-dependencies"]["test"]:
        match = FLOOR.match(req)
        if match is None:
            sys.exit(f"min_requirements: {req!r} has no single '>=' floor to pin")
        out[match[1].lower()] = match[2]
    return [f"{name}=={version}" for name, version in out.items()]


def _works(cmd):
    # pyenv puts shims for every installed version on PATH; a shim for a
    # version that is not selected exists but fails, so try running it.
    try:
        done = subprocess.run([cmd, "-c", "import sys; print(sys.executable)"],
                              capture_output=True, text=True, timeout=60)
    except OSError:
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def interpreter(project):
    """A ``pythonX.Y`` for the declared minimum X.Y, else this one, with a warning."""
    version = re.fullmatch(r">=\s*(\d+\.\d+)", project["requires-python"].strip())[1]
    candidates = [f"python{version}"]
    pyenv = shutil.which("pyenv")
    if pyenv:
        root = subprocess.run([pyenv, "root"], capture_output=True, text=True).stdout.strip()
        installed = Path(root).glob(f"versions/{version}.*/bin/python{version}")
        candidates += sorted(str(path) for path in installed)
    for cmd in candidates:
        found = _works(cmd)
        if found:
            return found
    bar = "!" * 72
    print(f"{bar}\nWARNING: no python{version} found (requires-python "
          f"{project['requires-python']}).\nmake test-min falls back to {sys.executable} "
          f"(Python {sys.version.split()[0]}):\nit does NOT test the declared minimum Python."
          f"\n{bar}", file=sys.stderr)
    return sys.executable


if __name__ == "__main__":
    project = _project()
    print(interpreter(project) if sys.argv[1:] == ["--python"] else "\n".join(pins(project)))
