"""Stored intersphinx inventories, so that ``make docs`` never needs the network.

``docs/conf.py`` links scikit-learn, NumPy, SciPy, matplotlib and Python
objects through the ``*.inv`` files beside this script (each project's
``objects.inv``). Sphinx reads them from disk; only a reader's click on a link
goes to the project's site. An object missing from a stored inventory is
simply not linked: the build does not fail.

Refresh them now and then (the links stay valid across versions because the
projects keep their page layout)::

    python docs/_intersphinx/inventories.py            # from each project's site
    python docs/_intersphinx/inventories.py --debian trixie

The second form takes them from Debian's documentation packages, for
machines that reach Debian's archive but not the projects' sites: it runs
``apt-get download`` against the archive the machine's apt already uses, with
a private apt state directory, and installs nothing. The files committed here
came from Debian trixie (see ``VERSIONS``); another suite may need other
package names in ``INVENTORIES`` (``python3.13-doc`` follows Python).
"""

import argparse
import subprocess
import tarfile
import tempfile
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent

# name: (documentation root, Debian doc package, objects.inv inside it)
INVENTORIES = {
    "sklearn": ("https://scikit-learn.org/stable/", "python-sklearn-doc",
                "usr/share/doc/python-sklearn-doc/html/objects.inv"),
    "numpy": ("https://numpy.org/doc/stable/", "python-numpy-doc",
              "usr/share/doc/python-numpy/html/objects.inv"),
    "scipy": ("https://docs.scipy.org/doc/scipy/", "python-scipy-doc",
              "usr/share/doc/python-scipy-doc/html/objects.inv"),
    "matplotlib": ("https://matplotlib.org/stable/", "python-matplotlib-doc",
                   "usr/share/doc/python-matplotlib-doc/html/objects.inv"),
    "python": ("https://docs.python.org/3/", "python3.13-doc",
               "usr/share/doc/python3.13/html/objects.inv"),
}


def intersphinx_mapping():
    """``conf.py``'s ``intersphinx_mapping``: each site with its stored file."""
    return {name: (url, str(HERE / f"{name}.inv"))
            for name, (url, _, _) in INVENTORIES.items()}


def _from_site(name):
    with urllib.request.urlopen(INVENTORIES[name][0] + "objects.inv", timeout=60) as r:
        return r.read()


def _debian_mirror():
    """The archive this machine's apt already uses (first ``URIs:`` or ``deb`` line)."""
    files = [Path("/etc/apt/sources.list"), *Path("/etc/apt/sources.list.d").glob("*.sources")]
    for line in (ln.split() for f in files if f.is_file() for ln in f.read_text().splitlines()):
        if line[:1] == ["URIs:"] or (line[:1] == ["deb"] and not line[1].startswith("[")):
            return line[1]
    raise SystemExit("no Debian archive configured in /etc/apt")


def _from_debian(name, suite, workdir):
    # A private apt state directory, so the machine's own sources are untouched.
    package, member = INVENTORIES[name][1:]
    state = Path(workdir)
    (state / "lists" / "partial").mkdir(parents=True, exist_ok=True)
    sources = state / "sources.list"
    if not sources.exists():
        sources.write_text("deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] "
                           f"{_debian_mirror()} {suite} main\n")
    options = [f"-oDir::Etc::SourceList={sources}", "-oDir::Etc::SourceParts=/dev/null",
               f"-oDir::State::Lists={state / 'lists'}", f"-oDir::Cache={state / 'cache'}"]
    if not (state / "updated").exists():
        subprocess.run(["apt-get", *options, "update"], check=True)
        (state / "updated").touch()
    subprocess.run(["apt-get", *options, "download", package], check=True, cwd=state)
    deb = next(state.glob(f"{package}_*.deb"))
    tar = subprocess.run(["dpkg-deb", "--fsys-tarfile", str(deb)], check=True,
                         capture_output=True).stdout
    with tempfile.TemporaryFile() as handle:
        handle.write(tar)
        handle.seek(0)
        with tarfile.open(fileobj=handle) as archive:
            return archive.extractfile("./" + member).read()


def _version(data):
    # The third header line of an inventory: "# Version: 1.4".
    return data.split(b"\n")[2].decode().removeprefix("# Version: ")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--debian", metavar="SUITE",
                        help="take them from Debian SUITE's doc packages")
    args = parser.parse_args(argv)
    versions = []
    with tempfile.TemporaryDirectory() as workdir:
        for name in INVENTORIES:
            data = (_from_debian(name, args.debian, workdir) if args.debian
                    else _from_site(name))
            (HERE / f"{name}.inv").write_bytes(data)
            versions.append(f"{name} {_version(data)}")
    source = f"Debian {args.debian} doc packages" if args.debian else "the projects' sites"
    (HERE / "VERSIONS").write_text(f"# from {source}\n" + "\n".join(versions) + "\n")
    print("\n".join(versions))


if __name__ == "__main__":
    main()
