"""What the code and the pages cite is in the repository: no citation of the first round's design file
(which is not in the repository), every cited section of a page exists, and every link between the
pages leads somewhere.

A citation names the file and the section's heading in quotes, `docs/design.md, "Pay quartiles"`,
`docs/privacy.md, "Who sees what"` or `README, "The two commands"` (the heading may run over a line
break), or an anchor, `docs/design.md#pay-quartiles`. A link is Markdown's `[text](path#anchor)` in a
page, its path relative to the page. An anchor is a heading as GitHub makes it one (`Who sees what`
is `#who-sees-what`) or an `<a id="..."></a>` of the page.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Spelled in two parts so that a search for it does not find this file.
OLD_DESIGN = "DESIGN" + ".md"
# `README, "X"`, `README "X"`, `README ("X")`, `docs/privacy.md, "X"`: the file, then the quoted heading.
HEADING = re.compile(r"(?<![\w/.])(README(?:\.md)?|docs/[\w.-]+\.md),?\s*\(?\"([^\"]{1,200})\"")
ANCHOR = re.compile(r"(?<![\w/.])(README\.md|docs/[\w.-]+\.md)#([A-Za-z0-9_-]+)")
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def headings(text: str) -> set[str]:
    """The Markdown headings of a page (any level), as written after the hashes, outside code blocks."""
    return {m.group(1).strip() for m in re.finditer(r"^#{1,6}\s+(.+)$", _prose(text), re.M)}


def anchors(text: str) -> list[str]:
    return re.findall(r"<a id=\"([^\"]+)\"></a>", text)


def slug(heading: str) -> str:
    """GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _prose(text: str) -> str:
    """A page with its fenced code blocks blanked (a `# comment` in a shell example is no heading),
    every other character where it was, so that a position in it is a position in the page."""
    return re.sub(r"^```.*?^```", lambda m: re.sub(r"[^\n]", " ", m.group(0)), text, flags=re.M | re.S)


def repository_files(root: Path) -> list[Path]:
    """Every file git tracks or would track (untracked but not ignored), so a new file counts too."""
    out = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=root,
        capture_output=True,
        check=True,
    ).stdout
    return [root / name for name in out.decode().split("\0") if name and (root / name).is_file()]


class Pages:
    """The headings and anchors of the repository's pages, each read once."""

    def __init__(self, root: Path):
        self.root = root
        self._cache: dict[Path, tuple[set[str], set[str]] | None] = {}

    def _read(self, path: Path):
        if path not in self._cache:
            if not path.is_file():
                self._cache[path] = None
            else:
                text = path.read_text(encoding="utf-8")
                names = headings(text)
                self._cache[path] = (names, {slug(h) for h in names} | set(anchors(text)))
        return self._cache[path]

    def cited(self, name: str) -> Path:
        return self.root / ("README.md" if name.startswith("README") else name)

    def section_problem(self, name: str, section: str) -> str | None:
        page = self._read(self.cited(name))
        if page is None:
            return f"{name} is not in the repository"
        section = " ".join(section.split())
        return None if section in page[0] else f'{name} has no section "{section}"'

    def anchor_problem(self, path: Path, anchor: str, name: str) -> str | None:
        page = self._read(path)
        if page is None:
            return f"{name} is not in the repository"
        return None if anchor in page[1] else f"{name} has no anchor #{anchor}"


def _reporter(problems: list[str], name: str, text: str):
    """found(pos, problem): adds `name:line: problem` to problems, when there is a problem."""

    def found(pos: int, problem: str | None) -> None:
        if problem:
            problems.append(f"{name}:{text.count(chr(10), 0, pos) + 1}: {problem}")

    return found


def citation_problems(root: Path) -> list[str]:
    """One line per bad citation or link: `path:line: what is wrong`."""
    pages = Pages(root)
    problems = []
    for path in repository_files(root):
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue  # xlsx, images, databases: no citations in them
        name = path.relative_to(root).as_posix()
        if name == "tests/test_docs.py":
            continue  # the checker itself: its patterns and examples are no citations
        found = _reporter(problems, name, text)
        for m in re.finditer(re.escape(OLD_DESIGN), text):
            found(m.start(), f"cites {OLD_DESIGN}, which is not in the repository")
        for m in HEADING.finditer(text):
            # in a Python string the formatter may have written the heading's apostrophe as \'
            found(m.start(), pages.section_problem(m.group(1), m.group(2).replace("\\'", "'")))
        for m in ANCHOR.finditer(text):
            found(m.start(), pages.anchor_problem(pages.cited(m.group(1)), m.group(2), m.group(1)))
        if path.suffix == ".md":
            prose = _prose(text)
            for m in LINK.finditer(prose):
                target = m.group(1)
                if re.match(r"[a-z]+:", target):
                    continue  # https:, mailto:: outside the repository
                file, _, anchor = target.partition("#")
                linked = (path.parent / file).resolve() if file else path
                shown = linked.relative_to(root.resolve()).as_posix() if linked.is_relative_to(root.resolve()) else file
                if not linked.exists():
                    problem = f"links to {file}, which is not in the repository"
                elif anchor and linked.suffix == ".md":
                    problem = pages.anchor_problem(linked, anchor, shown)
                else:
                    problem = None
                found(m.start(), problem)
    return problems


def test_every_citation_and_link_is_in_the_repository():
    assert citation_problems(ROOT) == []


def test_the_readme_is_a_door():
    # About 150-200 lines that lead to docs/, and it names `make test` (.ci/run runs what it names).
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert 120 <= len(readme.splitlines()) <= 220
    assert "make test" in readme and "make run" in readme
    linked = {m.group(1).partition("#")[0] for m in LINK.finditer(readme)}
    pages = {p.relative_to(ROOT).as_posix() for p in (ROOT / "docs").glob("*.md")}
    assert pages <= linked, f"pages of docs/ the README does not lead to: {sorted(pages - linked)}"


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
    # A repository of five files: code.py cites the old design file, a missing section of design.md,
    # a missing anchor, a section the README no longer has, a page that is not there and a section of
    # privacy.md that is not there; docs/guide.md links to a missing page and a missing anchor. Its
    # other citations and links are good, among them a heading cited over a line break and a shell
    # comment in a code block that is no heading. Exactly the bad ones are found.
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "design.md").write_text('<a id="pay-gap"></a>\n## Pay gap\n', encoding="utf-8")
    (tmp_path / "docs" / "privacy.md").write_text("# Privacy\n## Who sees what\n", encoding="utf-8")
    (tmp_path / "docs" / "guide.md").write_text(
        "# Guide\n```sh\n# Not a heading\n```\n"
        "[ok](privacy.md#who-sees-what) [ok](../README.md) [ok](#guide) [ok](https://example.org/x.md)\n"
        "[bad](plan.md) [bad](privacy.md#exports) [bad](#not-a-heading)\n",
        encoding="utf-8",
    )
    (tmp_path / "README.md").write_text("# Balans\n## The two commands\n", encoding="utf-8")
    (tmp_path / "code.py").write_text(
        f'"""Good: (docs/design.md, "Pay gap"), docs/design.md#pay-gap, (docs/privacy.md, "Who sees\n'
        f'what"), docs/privacy.md#who-sees-what, (README, "The two commands").\n'
        f"Bad: ({OLD_DESIGN}, Privacy)\n"
        f'(docs/design.md, "Pay quartiles") docs/design.md#{"quartiles"} (README, "Privacy")\n'
        f'(docs/plan.md, "Measures") docs/privacy.md, "Exports"."""\n',
        encoding="utf-8",
    )
    assert sorted(citation_problems(tmp_path)) == sorted(
        [
            f"code.py:3: cites {OLD_DESIGN}, which is not in the repository",
            'code.py:4: docs/design.md has no section "Pay quartiles"',
            "code.py:4: docs/design.md has no anchor #quartiles",
            'code.py:4: README has no section "Privacy"',
            "code.py:5: docs/plan.md is not in the repository",
            'code.py:5: docs/privacy.md has no section "Exports"',
            "docs/guide.md:6: links to plan.md, which is not in the repository",
            "docs/guide.md:6: docs/privacy.md has no anchor #exports",
            "docs/guide.md:6: docs/guide.md has no anchor #not-a-heading",
        ]
    )


def test_ruff_is_pinned_once():
    # make lint runs the ruff of requirements-dev.txt; the pre-commit hooks install their own from PyPI:
    # the same version, or a commit passes its hooks and fails make lint (or the reverse).
    pinned = re.search(r"^ruff==(\S+)$", (ROOT / "requirements-dev.txt").read_text(encoding="utf-8"), re.M)
    hooks = re.findall(r"ruff==([^\"'\s\]]+)", (ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    assert pinned and hooks and set(hooks) == {pinned.group(1)}
