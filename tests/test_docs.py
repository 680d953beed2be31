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
