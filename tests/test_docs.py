import re
from pathlib import Path

from corroborate.cli import cli

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_readme_starts_with_the_two_commands():
    first_block = re.search(r"```(?:bash|sh)?\n(.*?)```", README, re.S).group(1)
    assert "make report" in first_block and "make test" in first_block


def test_every_command_is_in_the_readme_and_has_help():
    for name, command in cli.commands.items():
        assert f"corroborate {name}" in README, name
        assert command.help and len(command.help.strip()) > 20, name


def test_every_analyze_option_is_documented_in_the_readme():
    for param in cli.commands["analyze"].params:
        for opt in param.opts:
            if opt.startswith("--"):
                assert opt in README, opt


def test_the_review_docs_name_every_store_migration():
    from corroborate.review.store import MIGRATIONS

    review = (Path(__file__).resolve().parent.parent / "docs" / "review.md").read_text(encoding="utf-8")
    bullet = re.search(r"\*\*Migrations\.\*\* (\w+) named functions", review)
    words = {3: "Three", 4: "Four", 5: "Five", 6: "Six", 7: "Seven", 8: "Eight", 9: "Nine"}
    assert bullet and bullet.group(1) == words.get(len(MIGRATIONS), str(len(MIGRATIONS)))
    for migration in MIGRATIONS:
        assert f"`{migration.__name__}`" in review, migration.__name__


def test_the_readme_excerpt_is_the_report_as_it_is_written():
    report = (Path(__file__).resolve().parent.parent / "reports" / "seeds.md").read_text(encoding="utf-8")
    excerpt = re.search(r"```markdown\n(.*?)```", README, re.S).group(1)
    for line in excerpt.splitlines():
        assert line in report.splitlines(), line      # regenerate from reports/seeds.md
    # and a cluster id the README names is one a real run gives (the rest come from `review list`)
    for cluster_id in re.findall(r"\bk-[0-9a-f]{12}\b", README):
        assert cluster_id in report, cluster_id
