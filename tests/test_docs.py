"""What the code cites is in the repository: no citation of the first round's design file (which is
not in the repository), and every cited section of docs/design.md or of the README exists.

A citation names the file and the section's heading in quotes, `docs/design.md, "Pay quartiles"` or
`README, "Privacy"`, or an anchor of docs/design.md, `docs/design.md#pay-quartiles`.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Spelled in two parts so that this file does not cite it itself.
OLD_DESIGN = "DESIGN" + ".md"
DESIGN_HEADING = re.compile(r"docs/design\.md,\s*\"([^\"\n]+)\"")
DESIGN_ANCHOR = re.compile(r"docs/design\.md#([A-Za-z0-9_-]+)")
README_HEADING = re.compile(r"README(?:\.md)?,\s*\"([^\"\n]+)\"")


def headings(text: str) -> set[str]:
    """The Markdown headings of a page (any level), as written after the hashes."""
    return {m.group(1).strip() for m in re.finditer(r"^#{1,6}\s+(.+)$", text, re.M)}


def anchors(text: str) -> list[str]:
    return re.findall(r"<a id=\"([^\"]+)\"></a>", text)


def repository_files(root: Path) -> list[Path]:
    """Every file git tracks or would track (untracked but not ignored), so a new file counts too."""
    out = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
                         cwd=root, capture_output=True, check=True).stdout
    return [root / name for name in out.decode().split("\0") if name and (root / name).is_file()]


def citation_problems(root: Path) -> list[str]:
    """One line per bad citation: `path:line: what is wrong`."""
    design = (root / "docs" / "design.md").read_text(encoding="utf-8")
    readme = (root / "README.md").read_text(encoding="utf-8")
    design_headings, design_anchors, readme_headings = headings(design), set(anchors(design)), headings(readme)
    problems = []
    for path in repository_files(root):
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue  # xlsx, images, databases: no citations in them
        name = path.relative_to(root).as_posix()

        def line(pos: int) -> int:
            return text.count("\n", 0, pos) + 1

        for m in re.finditer(re.escape(OLD_DESIGN), text):
            problems.append(f"{name}:{line(m.start())}: cites {OLD_DESIGN}, which is not in the repository")
        for m in DESIGN_HEADING.finditer(text):
            if m.group(1).strip() not in design_headings:
                problems.append(f"{name}:{line(m.start())}: docs/design.md has no section \"{m.group(1)}\"")
        for m in DESIGN_ANCHOR.finditer(text):
            if m.group(1) not in design_anchors:
                problems.append(f"{name}:{line(m.start())}: docs/design.md has no anchor #{m.group(1)}")
        for m in README_HEADING.finditer(text):
            if m.group(1).strip() not in readme_headings:
                problems.append(f"{name}:{line(m.start())}: README.md has no section \"{m.group(1)}\"")
    return problems


def test_every_citation_is_in_the_repository():
    assert citation_problems(ROOT) == []


def test_every_design_section_has_its_own_stable_anchor():
    # Each heading of docs/design.md is directly preceded by <a id="..."></a>, and no id repeats, so
    # docs/design.md#pay-quartiles keeps working when a heading is reworded.
    lines = (ROOT / "docs" / "design.md").read_text(encoding="utf-8").splitlines()
    sections = [i for i, text in enumerate(lines) if text.startswith("## ")]
    assert len(sections) == 8  # positions, share, GCI, segregation, pay gap, equal value, quartiles, performance
    assert all(re.fullmatch(r"<a id=\"[a-z0-9-]+\"></a>", lines[i - 1]) for i in sections)
    ids = anchors("\n".join(lines))
    assert len(ids) == len(set(ids)) == 8


def test_a_bad_citation_is_found(tmp_path):
    # A repository of three files: one cites the old design file, a missing section, a missing anchor
    # and a missing README section; the other citations are good. Exactly the four bad ones are found.
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "design.md").write_text('<a id="pay-gap"></a>\n## Pay gap\n', encoding="utf-8")
    (tmp_path / "README.md").write_text("# Balans\n## Privacy\n### Who sees what\n", encoding="utf-8")
    (tmp_path / "code.py").write_text(
        f'"""Good: (docs/design.md, "Pay gap"), docs/design.md#pay-gap, (README, "Who sees what").\n'
        f'Bad: ({OLD_DESIGN}, Privacy)\n'
        f'(docs/design.md, "Pay quartiles") docs/design.md#{"quartiles"} (README.md, "Architecture")."""\n',
        encoding="utf-8")
    assert citation_problems(tmp_path) == [
        f"code.py:2: cites {OLD_DESIGN}, which is not in the repository",
        'code.py:3: docs/design.md has no section "Pay quartiles"',
        "code.py:3: docs/design.md has no anchor #quartiles",
        'code.py:3: README.md has no section "Architecture"',
    ]
