"""The README's Python examples run as scripts and print what they claim.

Each fenced ``python`` block is copied to a file and run with a fresh
interpreter, as a reader would after saving it, so a block that needs a name
from an earlier block fails here.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()
BLOCKS = re.findall(r"```python\n(.*?)```", README, flags=re.DOTALL)


def _run(block, tmp_path):
    script = tmp_path / "example.py"
    script.write_text(block)
    run = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                         cwd=tmp_path, timeout=300, env={**os.environ, "MPLBACKEND": "Agg"})
    assert run.returncode == 0, run.stderr[-2000:]
    return run.stdout


def test_readme_has_the_examples_and_sections_it_promises():
    assert len(BLOCKS) >= 3
    assert "## When to use it instead of LinearRegression / Ridge / RidgeCV" in README
    assert "## How a fit flows" in README
    assert "make demo" in README and "make test" in README
    assert "pip install ." in README  # installing from a clone, no project URL yet


def test_first_example_prints_the_same_models_as_scikit_learn(tmp_path):
    out = _run(BLOCKS[0], tmp_path)
    ours, reference = re.search(r"test R2 (\S+) \(LinearRegression (\S+)\)", out).groups()
    assert ours == reference
    ours, reference = re.search(r"TikhonovCV alpha (\S+),.*\(RidgeCV alpha (\S+)\)", out).groups()
    assert ours == reference


def test_tolerance_example_prints_each_rule_and_the_report(tmp_path):
    out = _run(BLOCKS[1], tmp_path)
    ranks = [int(r) for r in re.findall(r"keeps\s+(\d+) of 24", out)]
    assert len(ranks) == 5 and len(set(ranks)) >= 3  # the rules disagree on this design
    assert "condition number" in out


@pytest.mark.parametrize("index", [i for i, b in enumerate(BLOCKS) if "Display" in b])
def test_display_examples_name_the_plot_extra_and_draw(index, tmp_path):
    pytest.importorskip("matplotlib")
    before = README[: README.index(BLOCKS[index])].removesuffix("```python\n")
    text_before = before.rsplit("```", 1)[-1]  # the prose since the previous block
    assert '".[plot]"' in text_before, "say which extra a Display needs"
    _run(BLOCKS[index], tmp_path)
    assert (tmp_path / "spectrum.png").stat().st_size > 1000
